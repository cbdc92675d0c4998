/*
 * Unit tests for the caps (issue 14 item 7): the staff alert hour, the
 * summary's texts (bot/notify.c), the alert records and the per-sender
 * reply count (bot/db.c), and the staff_alert_limit key (bot/conf.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "conf.h"
#include "db.h"
#include "db_alerts.h"
#include "db_outbox.h"
#include "notify.h"
#include "util.h"

static char dir[] = "/tmp/refbot-test-caps.XXXXXX";

static void
test_alert_period(void)
{
	EXPECT(notify_alert_period(0) == 0);
	EXPECT(notify_alert_period(3599) == 0);
	EXPECT(notify_alert_period(3600) == 3600);
	EXPECT(notify_alert_period(1767229199) == 1767225600);
	EXPECT(notify_alert_period(-1) == -3600);
}

static void
test_rows_text(void)
{
	const int64_t runs[] = { 9, 3, 4, 5, 12, 11, 0, 4, 20 };
	const int64_t one[] = { 7 };
	char *s, *s2;

	const char *more = "and {{count}} more";

	s = notify_rows_text(runs, nitems(runs), 10, more);
	EXPECT_STR(s, "#3-#5, #9, #11-#12, #20");
	free(s);
	s = notify_rows_text(one, 1, 10, more);
	EXPECT_STR(s, "#7");
	free(s);
	s = notify_rows_text(NULL, 0, 10, more);
	EXPECT_STR(s, "-");
	free(s);
	/* Two ranges shown; the rest counted as distinct rows. */
	s = notify_rows_text(runs, nitems(runs), 2, more);
	EXPECT_STR(s, "#3-#5, #9, and 3 more");
	/* In the reader's words (mail/staff-lines rows.more). */
	s2 = notify_rows_text(runs, nitems(runs), 2, "ほか {{count}} 件");
	EXPECT_STR(s2, "#3-#5, #9, ほか 3 件");
	free(s2);
	free(s);
	s = notify_rows_text(runs, nitems(runs), 0, more);
	EXPECT_STR(s, "and 7 more");
	free(s);
}

static void
test_tally_text(void)
{
	char *w[] = { "unreadable", "quarantined", "unreadable", "?",
	    "unreadable" };
	char *s;

	s = notify_tally_text(w, nitems(w));
	EXPECT_STR(s, "unreadable 3, quarantined 1, ? 1");
	free(s);
	s = notify_tally_text(w, 0);
	EXPECT_STR(s, "-");
	free(s);
}

static struct db *
fresh_db(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name), *err = NULL;
	struct db *db = NULL;

	if (db_open(path, 1, &db, &err) != 0 || db_migrate(db, &err) < 0) {
		printf("#   %s\n", err ? err : "?");
		free(err);
		db_close(db);
		db = NULL;
	}
	free(path);
	return db;
}

static void
test_alert_records(void)
{
	struct db *db = fresh_db("alerts.db");
	struct alert_period ap;
	char *kind = NULL;
	int64_t period = 0, h = 7200;
	int i;

	EXPECT(db != NULL);
	if (db == NULL)
		return;
	/* 3 sent and 4 held in one hour, 1 held in the next, another kind. */
	for (i = 0; i < 3; i++)
		EXPECT(db_alert_add(db, "staff-unknown", h, 0, h + i, 0) == 0);
	for (i = 0; i < 4; i++)
		EXPECT(db_alert_add(db, "staff-unknown", h, 0, h + 10 + i,
		    1) == 0);
	EXPECT(db_alert_add(db, "staff-unknown", h + 3600, 0, h + 3700,
	    1) == 0);
	EXPECT(db_alert_add(db, "staff-unverified", h, 0, h + 5, 0) == 0);
	EXPECT(db_alert_sent(db, "staff-unknown", h) == 3);
	EXPECT(db_alert_sent(db, "staff-unverified", h) == 1);
	EXPECT(db_alert_sent(db, "staff-unknown", h + 3600) == 0);

	/* Nothing is due while its hour lasts. */
	EXPECT(db_alert_due(db, h, &kind, &period) == 0);
	EXPECT(db_alert_due(db, h + 3600, &kind, &period) == 1);
	EXPECT_STR(kind, "staff-unknown");
	EXPECT(period == h);
	free(kind);
	kind = NULL;

	EXPECT(db_alert_held(db, "staff-unknown", h, &ap) == 0);
	EXPECT(ap.sent == 3);
	EXPECT(ap.nheld == 4);
	EXPECT(ap.first == h + 10 && ap.last == h + 13);
	if (ap.nheld > 0)
		EXPECT_STR(ap.disp[0], "?");
	alert_period_free(&ap);

	/* Summarised once: not due again, and the later hour is next. */
	EXPECT(db_alert_summarised(db, "staff-unknown", h, h + 3600) == 0);
	EXPECT(db_alert_due(db, h + 3600, &kind, &period) == 0);
	EXPECT(db_alert_due(db, h + 7200, &kind, &period) == 1);
	EXPECT(period == h + 3600);
	free(kind);
	EXPECT(db_alert_held(db, "staff-unknown", h, &ap) == 0);
	EXPECT(ap.nheld == 0 && ap.sent == 3);
	alert_period_free(&ap);
	db_close(db);
}

static void
test_reply_count(void)
{
	struct db *db = fresh_db("replies.db");
	struct outmail m;
	int64_t id = 0;

	EXPECT(db != NULL);
	if (db == NULL)
		return;
	memset(&m, 0, sizeof(m));
	m.mail_from = "intake@example.test";
	m.rcpt = "p@example.test";
	m.data = "x";
	m.len = 1;
	/* Any kind counts once it is marked; nothing counts unmarked. */
	m.kind = "unreadable";
	m.message_id = "a@refbot.example.test";
	EXPECT(db_outbox_add(db, &m, &id) == 0);
	EXPECT(db_outbox_recent_replies(db, "p@example.test", 0) == 0);
	EXPECT(db_outbox_mark_reply(db, id) == 0);
	EXPECT(db_outbox_recent_replies(db, "p@example.test", 0) == 1);
	m.kind = "some-new-kind";
	m.message_id = "b@refbot.example.test";
	EXPECT(db_outbox_add(db, &m, &id) == 0);
	EXPECT(db_outbox_mark_reply(db, id) == 0);
	EXPECT(db_outbox_recent_replies(db, "p@example.test", 0) == 2);
	EXPECT(db_outbox_recent_replies(db, "other@example.test", 0) == 0);
	db_close(db);
}

static void
test_staff_alert_limit_key(void)
{
	const char *base =
	    "database = /tmp/x.db\ntemplates = /tmp/templates\n"
	    "imap_url = imaps://mail.example.test\nimap_user = intake\n"
	    "imap_password_env = REFBOT_TEST_PW\n"
	    "smtp_url = smtp://127.0.0.1:2525\n"
	    "intake_address = intake@example.test\n"
	    "staff_addresses = a@example.test\n"
	    "message_id_domain = refbot.example.test\n";
	const char *extra[] = { "", "staff_alert_limit = 3\n",
	    "staff_alert_limit = 10001\n" };
	const int want[] = { 10, 3, -1 };
	size_t i;

	for (i = 0; i < nitems(extra); i++) {
		char *path = xasprintf("%s/c%zu.conf", dir, i), *err = NULL;
		FILE *f = fopen(path, "w");
		struct config cfg;

		if (f == NULL) {
			EXPECT(f != NULL);
			free(path);
			continue;
		}
		fprintf(f, "%s%s", base, extra[i]);
		fclose(f);
		if (config_load(path, &cfg, &err) == 0) {
			EXPECT(cfg.staff_alert_limit == want[i]);
			config_free(&cfg);
		} else {
			EXPECT(want[i] == -1);
			EXPECT_CONTAINS(err, "staff_alert_limit must be a number");
			free(err);
		}
		free(path);
	}
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		return 99;
	setenv("REFBOT_TEST_PW", "secret-pw", 1);
	RUN(test_alert_period);
	RUN(test_rows_text);
	RUN(test_tally_text);
	RUN(test_alert_records);
	RUN(test_reply_count);
	RUN(test_staff_alert_limit_key);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
		free(cmd);
	}
	return check_done();
}
