/*
 * retention: the retention policy, once a day, and "refbot forget"
 * (issue 19 item 5).  The SQL is db_retention.c's; this decides when,
 * wraps each in one transaction and scrubs the file afterwards.  Logs
 * say how many rows, never whose.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "addr.h"
#include "clock.h"
#include "db_partners.h"
#include "fault.h"
#include "log.h"
#include "retention.h"
#include "sdnotify.h"
#include "util.h"

#define DAY (24 * 60 * 60)
#define DONE_KEY "retention.day"	/* the local date it last ran */

/*
 * VACUUM and WAL checkpoint; says what it could not do.  VACUUM rewrites
 * the whole file, so on a large database it may outlast the watchdog
 * (WatchdogSec=180): the interval is stretched for it, by a minute
 * plus a second for every 4 MiB (a slow disk's pace).
 */
static void
scrub(struct refbot *rb)
{
	unsigned long long secs = 60;
	struct stat st;
	int r;

	if (stat(rb->cfg.database, &st) == 0 && st.st_size > 0)
		secs += (unsigned long long)st.st_size >> 22;
	sdnotify_extend(secs * 1000000ULL);
	fault_slow_scrub();
	r = db_scrub(rb->db);
	sdnotify_extend(0);

	if (r < 0)
		log_warnx("retention: the purged bytes are still in the "
		    "database file (VACUUM failed: %s)", db_errmsg(rb->db));
	else if (r > 0)
		log_info("retention: another process reads the database; the "
		    "purged bytes leave its WAL at the next checkpoint");
}

int
retention_daily(struct refbot *rb, int64_t now)
{
	const struct config *c = &rb->cfg;
	struct erasure e;
	struct tm tm;
	char day[16], *done = NULL;
	int r;

	if (c->keep_raw_mail_days == 0 && c->anonymise_after_days == 0)
		return 0;
	clock_local(now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if ((r = db_setting_get(rb->db, DONE_KEY, &done)) == 1) {
		r = strcmp(done, day) == 0;
		free(done);
		if (r)
			return 0;	/* done today */
	} else if (r < 0)
		goto fail;
	memset(&e, 0, sizeof(e));
	if (db_begin(rb->db) != 0 ||
	    (c->keep_raw_mail_days > 0 && db_purge_raw(rb->db,
	    now - (int64_t)c->keep_raw_mail_days * DAY, now, &e) != 0) ||
	    (c->anonymise_after_days > 0 && db_anonymise_closed(rb->db,
	    now - (int64_t)c->anonymise_after_days * DAY, now, &e) != 0) ||
	    db_setting_put(rb->db, DONE_KEY, day) != 0 ||
	    db_commit(rb->db) != 0)
		goto fail;
	log_info("retention %s: %lld raw messages and %lld outbox bodies "
	    "purged, %lld closed referrals anonymised", day,
	    (long long)e.n[ER_MESSAGES], (long long)e.n[ER_OUTBOX],
	    (long long)e.n[ER_REFERRALS]);
	if (erasure_total(&e) > 0)
		scrub(rb);
	return 0;
fail:
	log_warnx("retention: %s", db_errmsg(rb->db));
	db_rollback(rb->db);
	return -1;
}

int
forget_check(struct refbot *rb, const char *email, int64_t *partner)
{
	struct partner p;
	int r;

	if (addr_check(email, strlen(email)) != ADDR_OK)
		return FORGET_NOT_ADDRESS;
	if (ascii_strcasecmp(email, rb->cfg.intake_address) == 0 ||
	    ascii_strcasecmp(email, rb->cfg.envelope_from) == 0)
		return FORGET_OURS;
	if ((r = db_partner_by_email(rb->db, email, &p)) <= 0)
		return r < 0 ? -1 : FORGET_OK;
	*partner = p.id;
	partner_free(&p);
	return FORGET_PARTNER;
}

int
forget_run(struct refbot *rb, const char *email, int dry_run,
    struct erasure *e)
{
	memset(e, 0, sizeof(*e));
	if (db_begin(rb->db) != 0 ||
	    db_forget(rb->db, email, clock_now(), e) != 0) {
		db_rollback(rb->db);
		return -1;
	}
	if (dry_run) {
		db_rollback(rb->db);
		return FORGET_SCRUBBED;
	}
	if (db_commit(rb->db) != 0) {
		db_rollback(rb->db);
		return -1;
	}
	log_info("forget: %lld rows changed (%lld referrals anonymised)",
	    (long long)erasure_total(e), (long long)e->n[ER_REFERRALS]);
	switch (db_scrub(rb->db)) {
	case 0:
		return FORGET_SCRUBBED;
	case 1:
		return FORGET_WAL_BUSY;
	default:
		return FORGET_NOT_SCRUBBED;
	}
}
