/* enable: the welcome kit and the blank form, by email. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_partners.h"
#include "enable.h"
#include "log.h"
#include "notify.h"
#include "replies.h"
#include "token.h"
#include "util.h"

static char *
rtrim_lines(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
	    s[n - 1] == ' '))
		s[--n] = '\0';
	return s;
}

int
enable_welcome(struct refbot *rb, const struct partner *p, int again)
{
	int first;

	if ((first = db_partner_welcome_mark(rb->db, p->id, again)) <= 0) {
		if (first < 0)
			log_warnx("partner %lld: database: %s",
			    (long long)p->id, db_errmsg(rb->db));
		return first;
	}
	return enable_welcome_to(rb, p, p->email, refbot_partner_lang(p,
	    NULL));
}

int
enable_welcome_to(struct refbot *rb, const struct partner *p,
    const char *rcpt, const char *lang)
{
	char sla[16], *overview = NULL, *intro = NULL, *err = NULL;
	struct notify n;
	int rc = -1;

	snprintf(sla, sizeof(sla), "%d", config_sla_hours(&rb->cfg, p->tier));
	{
		struct render_var vars[] = {
			{ "partner_name", p->name }, { "sla_hours", sla },
			{ "overview", NULL }, { "introduction", NULL },
		};

		/* The firm's own files first: they may use the same names. */
		if (refbot_text(rb, "overview", lang, vars, 2, &overview,
		    &err) != 0 || refbot_text(rb, "introduction", lang, vars,
		    2, &intro, &err) != 0) {
			log_warnx("cannot build the welcome kit: %s", err);
			goto out;
		}
		/* The kit places them; their own last newline is in the way. */
		vars[2].value = rtrim_lines(overview);
		vars[3].value = rtrim_lines(intro);
		memset(&n, 0, sizeof(n));
		n.name = "welcome";
		n.lang = lang;
		n.rcpt = rcpt;
		n.role = ROLE_WELCOME;	/* a reply: a referral or a question */
		n.token_id = p->id;
		n.vars = vars;
		n.nvars = nitems(vars);
		if (notify_queue(rb, &n, NULL) != 0)
			goto out;
	}
	log_debug("partner %lld: welcome kit queued", (long long)p->id);
	rc = 1;
out:
	free(err);
	free(overview);
	free(intro);
	return rc;
}

int
enable_form_reply(struct refbot *rb, const struct analysis *a,
    const struct partner *p, const char *references)
{
	char sla[16];
	struct notify n;

	snprintf(sla, sizeof(sla), "%d", config_sla_hours(&rb->cfg, p->tier));
	{
		const struct render_var vars[] = {
			{ "partner_name", p->name }, { "sla_hours", sla },
			{ "subject", a->msg.subject },
		};

		memset(&n, 0, sizeof(n));
		n.name = "form-reply";
		n.lang = replies_partner_lang(rb, p, a);
		n.rcpt = a->msg.from_addr;
		n.role = ROLE_FORM;
		n.token_id = p->id;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = a->msg.message_id;
		n.references = references;
		n.auto_reply = 1;
		return notify_queue(rb, &n, NULL);
	}
}
