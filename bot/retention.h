/*
 * retention: the retention policy of refbot.conf, applied once a day by
 * the daemon, and "refbot forget" (issue 19 item 5): what personal data
 * refbot keeps, and for how long (APPI / GDPR).  The database side is
 * db_retention.h.
 */
#ifndef REFBOT_RETENTION_H
#define REFBOT_RETENTION_H

#include <stdint.h>

#include "db_retention.h"
#include "refbot.h"

/*
 * Once per local day (recorded in the settings, so a restart does not
 * run it again): raw mail and sent bodies older than keep_raw_mail_days
 * purged, referrals closed longer than anonymise_closed_after_days
 * anonymised, then the file scrubbed.  Returns 0 (also when nothing was
 * due or the policy is off), or -1 (database error, logged).
 */
int retention_daily(struct refbot *, int64_t now);

enum forget_refusal {
	FORGET_OK = 0,
	FORGET_NOT_ADDRESS,	/* not an email address */
	FORGET_OURS,		/* the intake or envelope address */
	FORGET_PARTNER,		/* a partner's own (main) address */
};

/*
 * Why email cannot be forgotten (FORGET_OK: it can); for
 * FORGET_PARTNER, *partner is the partner's id.  -1 on a database error.
 */
int forget_check(struct refbot *, const char *email, int64_t *partner);

/* What forget_run did after erasing, or -1: nothing changed (error). */
enum forget_done {
	FORGET_SCRUBBED = 0,	/* the old bytes are gone from the files */
	FORGET_WAL_BUSY,	/* another process kept the WAL: the bytes
				   leave it at its next checkpoint */
	FORGET_NOT_SCRUBBED,	/* erased, but VACUUM failed (db_errmsg):
				   forget again to compact the file */
};

/*
 * Erases email (db_forget) and scrubs the file (also when nothing
 * changed, so running it again finishes a scrub that failed), or with
 * dry_run does the same in a transaction it rolls back: *e counts what
 * changes either way.  Returns an enum forget_done, or -1.
 */
int forget_run(struct refbot *, const char *email, int dry_run,
    struct erasure *e);

#endif
