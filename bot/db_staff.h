/*
 * db_staff: the staff registry (the staff table), who owns each
 * referral and manages each partner (referrals.owner, partners.owner),
 * and the stall notes sent (stall_notes).  Returns as in db.h; strings
 * in a struct staff_member are its own, freed by staff_member_free().
 */
#ifndef REFBOT_DB_STAFF_H
#define REFBOT_DB_STAFF_H

#include <stdint.h>

#include "db.h"

struct staff_member {
	char *email;		/* lowercased */
	char *name;
	char *lang;		/* "en" or "ja" */
	char *role;		/* "intake", "owner" or "manager" */
	int active;
};

/* Adds one; 0, 1 when the address is registered already, or -1. */
int db_staff_add(struct db *, const char *email, const char *name,
    const char *lang, const char *role, int64_t now);
/* 1 found (m filled), 0 not, -1. */
int db_staff_get(struct db *, const char *email, struct staff_member *m);
/* Writes name, lang, role and active back (by m->email). */
int db_staff_update(struct db *, const struct staff_member *m);
/*
 * Each member (role NULL: any; active_only: only active ones) in email
 * order; cb returns non-zero to stop.  0 or -1.
 */
int db_staff_each(struct db *, const char *role, int active_only,
    int (*cb)(const struct staff_member *, void *), void *arg);
/* How many active members; -1 on error. */
int64_t db_staff_active(struct db *);
/*
 * The intake rota's next: the active intake member longest without a
 * new referral (then by email), moved to the end of the rota.  1 with
 * *email (caller frees), 0 when nobody is on intake, -1.
 */
int db_staff_rota_next(struct db *, char **email);
/*
 * The active member an ASSIGN names: the address, the part before its
 * @, or the name (case as written), whole or as its first word.
 * 1 with *email, 0 none, 2 more than one matches, -1.
 */
int db_staff_find(struct db *, const char *who, char **email);

/* A referral's owner: 1 with *email (caller frees), 0 none, -1. */
int db_referral_owner(struct db *, int64_t referral_id, char **email);
/* NULL: no owner. */
int db_referral_set_owner(struct db *, int64_t referral_id,
    const char *email);
/*
 * Each referral (without fields and history), newest first: only
 * owner's (NULL: anyone's), only open ones when open, only in status
 * (NULL: any).  cb non-zero stops.  0 or -1.
 */
struct referral;
int db_referral_each_owned(struct db *, const char *owner, int open,
    const char *status, int (*cb)(const struct referral *, void *),
    void *arg);
/* A partner's account manager: as db_referral_owner. */
int db_partner_owner(struct db *, int64_t partner_id, char **email);
int db_partner_set_owner(struct db *, int64_t partner_id, const char *email);

/* An open referral as the stall check reads it. */
struct stall_row {
	int64_t id;
	const char *status;
	int64_t since;		/* when it entered status */
	int64_t created_at;
};
/*
 * Each referral in status whose stall_due is now or before, by id; cb
 * non-zero stops.  0 or -1.
 */
int db_stall_each(struct db *, const char *status, int64_t now,
    int (*cb)(const struct stall_row *, void *), void *arg);
/*
 * When the stall look need not read the referral again before (0:
 * next time); a change of its state or created_at sets 0.  0 or -1.
 */
int db_stall_due_set(struct db *, int64_t referral_id, int64_t due);
/* Every referral read again at the next look (stall_days changed). */
int db_stall_due_reset(struct db *);
/*
 * Records the note kind for period of the referral's stay in status
 * since then: 1 recorded now, 0 it was before (send nothing), -1.
 */
int db_stall_note(struct db *, int64_t referral_id, const char *status,
    int64_t since, const char *kind, int64_t period, int64_t now);
/* When the partner was last sent kind about the referral; 0 never. */
int64_t db_stall_last(struct db *, int64_t referral_id, const char *kind);

/* One open referral of an owner's queue. */
struct queue_row {
	int64_t id;
	const char *status, *client, *partner_name;
	int64_t created_at;
	int64_t since;		/* in status since */
	int64_t due;		/* first response due (NEW), or 0 */
	int responded;		/* a first response was recorded */
};
/*
 * Each open referral email owns, by id (the SLA queries' sla_due
 * function must be installed); cb non-zero stops.  0 or -1.
 */
int db_owner_queue(struct db *, const char *email,
    int (*cb)(const struct queue_row *, void *), void *arg);
/* Whether email's digest for day (YYYYMMDD) was queued: 1, 0, -1. */
int db_digest_sent(struct db *, const char *email, int day);
/* Records email's digest for day: 1 now, 0 it was, -1. */
int db_digest_mark(struct db *, const char *email, int day, int64_t now);

void staff_member_free(struct staff_member *);

#endif
