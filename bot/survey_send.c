/*
 * survey_send: the partner survey, the client follow-up and their one
 * reminder (survey_send.h).  A survey's row is recorded in the same
 * transaction that queues its mail, and UNIQUE(kind, partner, period)
 * makes a second one for the same year or referral a no-op, whatever
 * restarts or CLI runs happen.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "contacts.h"
#include "db_partners.h"
#include "db_referrals.h"
#include "db_surveys.h"
#include "log.h"
#include "notify.h"
#include "reply.h"
#include "statement.h"
#include "survey_send.h"
#include "template.h"
#include "texts.h"
#include "token.h"
#include "util.h"

#define DAY 86400
/* A referral WON longer than this before its survey was due gets none:
 * turning client_survey on does not mail every past client. */
#define CLIENT_SURVEY_WINDOW (30 * DAY)

/* "  1. Overall satisfaction (1-5)" lines, in lang. */
static char *
questions_text(const struct template *t, const char *lang)
{
	struct buf b;
	size_t i;
	int ja = lang != NULL && strcmp(lang, "ja") == 0;

	buf_init(&b);
	for (i = 0; i < t->nfields; i++)
		buf_addf(&b, "%s  %zu. %s", i ? "\n" : "", i + 1,
		    ja ? t->fields[i].title_ja : t->fields[i].title);
	return b.data ? buf_steal(&b) : xstrdup("");
}

/* "1: " lines to fill in: questions qs (n), or all when n is 0. */
static char *
answer_lines(const struct template *t, const size_t *qs, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < (n ? n : t->nfields); i++)
		buf_addf(&b, "%s%zu: ", i ? "\n" : "", n ? qs[i] : i + 1);
	return b.data ? buf_steal(&b) : xstrdup("");
}

int
survey_queue(struct refbot *rb, const struct survey_row *s, const char *name,
    const size_t *qs, size_t n, const char *problems,
    const char *in_reply_to)
{
	const struct template *t = texts_survey(rb->texts, s->kind);
	struct referral r;
	struct notify nt;
	char ref[24] = "", *questions, *lines, *who = NULL;
	int rc;

	if (t == NULL || t->nfields == 0)
		return NOTIFY_CONFIG;
	if (s->referral_id > 0) {
		refbot_ref(s->referral_id, ref, sizeof(ref));
		if ((rc = db_referral_get(rb->db, s->referral_id, &r)) < 0)
			return NOTIFY_RETRY;
		if (rc > 0) {
			who = r.contact_name ? xstrdup(r.contact_name) : NULL;
			referral_free(&r);
		}
	}
	questions = questions_text(t, s->lang);
	lines = answer_lines(t, qs, n);
	{
		const struct render_var vars[] = {
			{ "name", who ? who : s->partner_name ?
			    s->partner_name : "" },
			{ "partner_name", s->partner_name ? s->partner_name :
			    "" },
			{ "ref", ref }, { "year", s->period },
			{ "questions", questions }, { "answer_lines", lines },
			{ "marker", REPLY_MARKER },
			{ "problems", problems ? problems : "" },
		};
		memset(&nt, 0, sizeof(nt));
		nt.name = name;
		nt.lang = s->lang;
		nt.rcpt = s->recipient;
		nt.role = ROLE_SURVEY;
		nt.token_id = s->id;
		nt.vars = vars;
		nt.nvars = nitems(vars);
		nt.in_reply_to = in_reply_to;
		nt.auto_reply = in_reply_to != NULL;
		rc = notify_queue(rb, &nt, NULL);
	}
	free(questions);
	free(lines);
	free(who);
	return rc;
}

/*
 * Records survey (kind, partner, period) to rcpt and queues its mail,
 * in one transaction: 1, 0 (sent before), -1.
 */
static int
record_and_send(struct refbot *rb, const char *kind, int64_t partner_id,
    int64_t referral_id, const char *period, const char *rcpt,
    const char *lang, int64_t *out)
{
	struct survey_row s;
	int64_t id = 0;
	int r;

	if (db_begin(rb->db) != 0)
		return -1;
	if ((r = db_survey_add(rb->db, kind, partner_id, referral_id, period,
	    rcpt, lang, clock_now(), &id)) <= 0) {
		db_rollback(rb->db);
		return r;
	}
	if (db_survey_get(rb->db, id, &s) <= 0) {
		db_rollback(rb->db);
		return -1;
	}
	r = survey_queue(rb, &s, strcmp(kind, "partner") == 0 ?
	    "survey-partner" : "survey-client", NULL, 0, NULL, NULL);
	survey_row_free(&s);
	if (r != 0 || db_commit(rb->db) != 0) {
		db_rollback(rb->db);
		return -1;
	}
	if (out != NULL)
		*out = id;
	log_info("partner %lld: %s survey %lld (%s) queued",
	    (long long)partner_id, kind, (long long)id, period);
	return 1;
}

int
survey_send_partner(struct refbot *rb, const struct partner *p, int year,
    int64_t *id)
{
	struct recipient to = { NULL, NULL, NULL };
	char period[16];
	int r;

	/* The firm's main contact, in their language. */
	if (contacts_answer(rb, p, p->email, &to) != 0)
		return -1;
	snprintf(period, sizeof(period), "%04d", year);
	r = record_and_send(rb, "partner", p->id, 0, period, to.to,
	    contacts_lang(&to, p, NULL), id);
	recipient_free(&to);
	return r;
}

int
survey_send_client(struct refbot *rb, int64_t referral_id, int64_t *id)
{
	struct referral ref;
	struct partner p;
	char key[24], period[24], *email = NULL;
	int r;

	if ((r = db_referral_get(rb->db, referral_id, &ref)) <= 0)
		return r < 0 ? -1 : 0;
	snprintf(key, sizeof(key), "%lld", (long long)ref.partner_id);
	refbot_ref(referral_id, period, sizeof(period));
	referral_free(&ref);
	if (db_survey_client_email(rb->db, referral_id, &email) != 0)
		return -1;
	if (email == NULL || (r = db_partner_find(rb->db, key, &p)) <= 0) {
		free(email);
		return email == NULL ? 0 : r < 0 ? -1 : 0;
	}
	/* The client's language is not known: the partner's is the best
	 * guess (the referral was written in it). */
	r = record_and_send(rb, "client", p.id, referral_id, period, email,
	    refbot_partner_lang(&p, NULL), id);
	partner_free(&p);
	free(email);
	return r;
}

/* The first working day (business_days, holidays) of month, or 0. */
static int
first_workday(struct refbot *rb, int year, int month)
{
	struct tm tm;
	int d;

	for (d = 1; d <= 28; d++) {
		clock_local(clock_at(year, month, d, 12), &tm);
		if (workhours_workday(&rb->cfg.hours, &tm))
			return d;
	}
	return 1;
}

/* The year's partner surveys, once a day in the month (new partners). */
static int
partner_surveys(struct refbot *rb, int64_t now)
{
	struct partner p;
	struct tm tm;
	char key[48], name[24], *done = NULL;
	int64_t *ids = NULL;
	size_t i, n = 0;
	int year, r = 0, queued = 0;

	clock_local(now, &tm);
	year = tm.tm_year + 1900;
	if (rb->cfg.partner_survey_month != tm.tm_mon + 1 ||
	    tm.tm_mday < first_workday(rb, year, tm.tm_mon + 1))
		return 0;
	snprintf(key, sizeof(key), "surveys.partner.%04d-%02d-%02d", year,
	    tm.tm_mon + 1, tm.tm_mday);
	if ((r = db_setting_get(rb->db, key, &done)) != 0) {
		free(done);
		return r < 0 ? -1 : 0;
	}
	if (statement_partners(rb, now + 1, &ids, &n) != 0)
		return -1;
	for (i = 0; i < n && r >= 0; i++) {
		snprintf(name, sizeof(name), "%lld", (long long)ids[i]);
		if ((r = db_partner_find(rb->db, name, &p)) <= 0)
			continue;
		if (p.bounced == NULL && (r = survey_send_partner(rb, &p, year,
		    NULL)) > 0)
			queued++;
		partner_free(&p);
	}
	free(ids);
	if (r < 0 || db_setting_put(rb->db, key, "sent") != 0) {
		log_warnx("partner surveys %04d: %s", year, db_errmsg(rb->db));
		return -1;
	}
	return queued;
}

static int
client_surveys(struct refbot *rb, int64_t now)
{
	int64_t due = now - (int64_t)rb->cfg.client_survey_days * DAY;
	int64_t *ids = NULL;
	size_t i, n = 0;
	int r = 0, queued = 0;

	if (!rb->cfg.client_survey)
		return 0;
	if (db_survey_clients_due(rb->db, due - CLIENT_SURVEY_WINDOW, due + 1,
	    &ids, &n) != 0)
		return -1;
	for (i = 0; i < n && r >= 0; i++)
		if ((r = survey_send_client(rb, ids[i], NULL)) > 0)
			queued++;
	free(ids);
	return r < 0 ? -1 : queued;
}

static int
reminders(struct refbot *rb, int64_t now)
{
	struct survey_row s;
	int64_t *ids = NULL;
	size_t i, n = 0;
	int r = 0, queued = 0;

	if (rb->cfg.survey_reminder_days <= 0)
		return 0;
	if (db_survey_reminders_due(rb->db, now -
	    (int64_t)rb->cfg.survey_reminder_days * DAY, &ids, &n) != 0)
		return -1;
	for (i = 0; i < n && r >= 0; i++) {
		if (db_begin(rb->db) != 0) {
			r = -1;
			break;
		}
		/* Marked in the transaction that queues it: exactly once. */
		if ((r = db_survey_reminded(rb->db, ids[i], now)) <= 0 ||
		    (r = db_survey_get(rb->db, ids[i], &s)) <= 0) {
			db_rollback(rb->db);
			continue;
		}
		r = survey_queue(rb, &s, "survey-reminder", NULL, 0, NULL,
		    NULL) == 0 && db_commit(rb->db) == 0 ? 1 : -1;
		if (r < 0)
			db_rollback(rb->db);
		else {
			log_info("survey %lld: reminder queued",
			    (long long)s.id);
			queued++;
		}
		survey_row_free(&s);
	}
	free(ids);
	return r < 0 ? -1 : queued;
}

int
survey_schedule(struct refbot *rb, int64_t now)
{
	/* Client surveys and reminders are looked for at most hourly (a
	 * day's precision is all they need); each process looks at once. */
	static int64_t looked;
	int a, b = 0, c = 0;

	if ((a = partner_surveys(rb, now)) < 0)
		return -1;
	if (looked == 0 || now < looked || now - looked >= 3600) {
		if ((b = client_surveys(rb, now)) < 0 ||
		    (c = reminders(rb, now)) < 0)
			return -1;
		looked = now;
	}
	return a + b + c;
}
