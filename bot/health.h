/*
 * health: how a partnership is doing, in words.  The talking points of
 * the quarterly review pack and the report's "needs attention" list are
 * the same points: each is a line of templates/mail/talking-points
 * (KEY = its words) that applies when its threshold (KEY.when, a
 * number, or "off") is met, so the firm edits both without
 * recompiling.  Points, in the file's order:
 *
 *   reciprocity        one direction outnumbers the other by .when : 1
 *   quiet              no more than .when referrals received
 *   disqualified       at least .when disqualified (the rule most failed)
 *   conversion         .when % or less won, once .min are counted
 *   sla                at least .when answered after the SLA
 *   stalled            at least .when open referrals stalled (stall_days)
 *   satisfaction_fell  satisfaction fell by at least .when
 *   satisfaction_low   satisfaction .when or lower (1-5)
 */
#ifndef REFBOT_HEALTH_H
#define REFBOT_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "refbot.h"

/* One partner's figures for a period. */
struct health {
	int64_t partner_id;
	int64_t received, counted, won;	/* counted: not duplicates */
	int64_t given, breaches, stalled;
	int64_t disqualified;
	const char *dq_reason;		/* the rule failed most, or NULL */
	int64_t dq_reason_n;		/* how many failed it */
	int64_t sat, sat_prev;		/* hundredths, -1: no answers */
};

/* cb for each point that applies: its key and its words. */
typedef void health_point_fn(const char *key, const char *text, void *arg);

/* The points of h in lang for partner_name; how many, or -1 (the file). */
int health_points(struct refbot *, const char *lang,
    const char *partner_name, int sla_hours, const struct health *,
    health_point_fn *cb, void *arg);

/*
 * The stalled referrals and the rule most failed by the disqualified
 * ones, per partner (0: all) for [from, to), as of now: each partner's
 * figures fill the health of the same partner_id in v[n] (sorted by
 * partner_id).  Stalled: open now, whenever they came.  With stalled
 * set, each is one line of it ("  REF-000004  client (STATUS, 21 days)").
 * 0 or -1 (database).
 */
int health_gather(struct refbot *, int64_t partner_id, int64_t from,
    int64_t to, int64_t now, const char *lang, struct health *v, size_t n,
    struct buf *stalled);

/*
 * The health of sc's rows (partner_id: the one, or 0 for all) for its
 * period: tier, commission rate, satisfaction against [prev_from, from),
 * the needs-attention points in lang, and conversion by tier.  0, or -1
 * (database).  health_scorecard_free frees what it added.
 */
struct scorecard;
int health_scorecard(struct refbot *, struct scorecard *, int64_t partner_id,
    const char *lang);
void health_scorecard_free(struct scorecard *);

/* "4.5" for 450; "-" for -1 (at least 24 bytes). */
void health_score(int64_t hundredths, char *buf, size_t size);

#endif
