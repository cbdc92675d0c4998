/* classify: loop prevention (PRODUCT.md) and thread recognition. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "template.h"
#include "util.h"

/* What may stand beside the keyword in a request for the form. */
#define FORM_REQUEST_LINES 5
#define FORM_REQUEST_BYTES 400

int
classify_our_id(const char *id, const char *our_domain)
{
	const char *at;

	if (id == NULL || (at = strrchr(id, '@')) == NULL)
		return 0;
	return ascii_strcasecmp(at + 1, our_domain) == 0;
}

static int
sender_is_robot(const char *addr)
{
	static const char *locals[] = { "mailer-daemon", "postmaster",
	    "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply",
	    "bounce", "bounces" };
	const char *at;
	size_t i, n;

	if (addr == NULL)
		return 0;
	at = strchr(addr, '@');
	n = at ? (size_t)(at - addr) : strlen(addr);
	for (i = 0; i < nitems(locals); i++) {
		size_t k = strlen(locals[i]);
		/* "noreply+x@", "bounces-123@" are robots too. */
		if (n >= k && ascii_strncasecmp(addr, locals[i], k) == 0 &&
		    (n == k || addr[k] == '+' || addr[k] == '-' ||
		    addr[k] == '.'))
			return 1;
	}
	return 0;
}

/*
 * Every reason classify_automatic gives: returned from here, so that a
 * copy of one (wire.c) maps back to its static string.
 */
enum {
	AUTO_LOOP,
	AUTO_OUR_ID,
	AUTO_AUTO_SUBMITTED,
	AUTO_PRECEDENCE,
	AUTO_AUTOREPLY,
	AUTO_LIST,
	AUTO_EXCHANGE,
	AUTO_BOUNCE,
	AUTO_NO_FROM,
	AUTO_ROBOT,
	AUTO_REPORT,
};
static const char *const automatic_reasons[] = {
	"our own mail came back (loop marker)",
	"our own mail came back (Message-ID)",
	"Auto-Submitted",
	"Precedence",
	"X-Autoreply",
	"List-Id",
	"Exchange automatic message",
	"empty Return-Path (a bounce)",
	"no From address",
	"automatic sender address",
	"delivery or read report",
};

const char *
classify_automatic_reason(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < nitems(automatic_reasons); i++)
		if (strcmp(s, automatic_reasons[i]) == 0)
			return automatic_reasons[i];
	return NULL;
}

int
classify_auto_submitted(const char *v, size_t n)
{
	const char *end = v + n;
	size_t k;

	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	/* strchr finds the NUL too: a NUL ends the word. */
	for (k = 0; v + k < end && strchr(" \t\r\n;(", v[k]) == NULL; k++)
		;
	return !(k == 2 && ascii_strncasecmp(v, "no", 2) == 0);
}

const char *
classify_automatic(const struct message *msg, const char *our_domain,
    const char *loop_header)
{
	const char *v;

	if (message_header(msg, loop_header) != NULL)
		return automatic_reasons[AUTO_LOOP];
	if (classify_our_id(msg->message_id, our_domain))
		return automatic_reasons[AUTO_OUR_ID];
	if ((v = message_header(msg, "Auto-Submitted")) != NULL &&
	    classify_auto_submitted(v, strlen(v)))
		return automatic_reasons[AUTO_AUTO_SUBMITTED];
	if ((v = message_header(msg, "Precedence")) != NULL &&
	    (ascii_strcasecmp(v, "bulk") == 0 ||
	    ascii_strcasecmp(v, "junk") == 0 ||
	    ascii_strcasecmp(v, "list") == 0))
		return automatic_reasons[AUTO_PRECEDENCE];
	if (message_header(msg, "X-Autoreply") != NULL ||
	    message_header(msg, "X-Autorespond") != NULL)
		return automatic_reasons[AUTO_AUTOREPLY];
	if (message_header(msg, "List-Id") != NULL)
		return automatic_reasons[AUTO_LIST];
	if ((v = message_header(msg, "X-Auto-Response-Suppress")) != NULL &&
	    (strstr(v, "All") != NULL || strstr(v, "OOF") != NULL) &&
	    message_header(msg, "X-MS-Exchange-Generated-Message-Source"))
		return automatic_reasons[AUTO_EXCHANGE];
	if (msg->has_return_path && msg->return_path_empty)
		return automatic_reasons[AUTO_BOUNCE];
	if (msg->from_addr == NULL)
		return automatic_reasons[AUTO_NO_FROM];
	if (sender_is_robot(msg->from_addr))
		return automatic_reasons[AUTO_ROBOT];
	if (strcmp(msg->content_type, "multipart/report") == 0)
		return automatic_reasons[AUTO_REPORT];
	return NULL;
}

int64_t
classify_ref_tag(const char *s)
{
	const char *p = s;

	while (s != NULL && (p = strstr(p, "[REF-")) != NULL) {
		char *end;
		long long v;

		p += 5;
		if (*p < '0' || *p > '9')
			continue;
		v = strtoll(p, &end, 10);
		if (*end == ']' && v > 0 && end - p <= 12)
			return (int64_t)v;
	}
	return 0;
}

/* A few short lines at most: a greeting or a name, not a referral. */
static int
short_text(const char *s)
{
	size_t lines = 0, bytes = 0, n;

	while (s != NULL && *s != '\0') {
		n = strcspn(s, "\n");
		if (strspn(s, " \t\r") < n) {
			lines++;
			bytes += n;
		}
		s += n + (s[n] == '\n');
	}
	return lines <= FORM_REQUEST_LINES && bytes <= FORM_REQUEST_BYTES;
}

/* "TEMPLATE", "help please", "テンプレート。": the keyword on its own. */
static int
keyword_alone(const struct keyword_table *t, const char *s, int *rest_short)
{
	static const char *polite[] = { "please", "pls", "thanks",
	    "thank you", "お願いします", "おねがいします", "ください",
	    "下さい", "お願い致します" };
	/*
	 * Only TEMPLATE, which takes no date, is wanted here: any day will
	 * do for "today", and this one keeps the parse free of the clock.
	 */
	static const struct tm anyday = { .tm_year = 70, .tm_mday = 1 };
	struct keyword_cmd cmd;
	char *arg;
	size_t i, n;
	int yes = 0;

	if (s == NULL || keyword_parse(t, s, NULL, &anyday, &cmd) != 0 ||
	    cmd.kw != KW_TEMPLATE) {
		keyword_cmd_free(&cmd);
		return 0;
	}
	if (cmd.arg == NULL)
		yes = 1;
	else {
		arg = text_fold(cmd.arg);
		n = strlen(arg);
		/* Trailing ".!?" and their Japanese forms are not words. */
		while (n > 0 && strchr(".!?,", arg[n - 1]) != NULL)
			n--;
		while (n >= 3 && (memcmp(arg + n - 3, "\xe3\x80\x82", 3) == 0 ||
		    memcmp(arg + n - 3, "\xe3\x80\x81", 3) == 0))
			n -= 3;
		arg[n] = '\0';
		for (i = 0; i < nitems(polite) && !yes; i++)
			yes = strcmp(arg, polite[i]) == 0;
		free(arg);
	}
	if (rest_short != NULL)
		*rest_short = short_text(cmd.relay);
	keyword_cmd_free(&cmd);
	return yes;
}

int
classify_form_request(const struct keyword_table *t, const char *subject,
    const char *text, size_t nvalues)
{
	int rest_short = 0;

	if (nvalues > 0)
		return 0;
	if (keyword_alone(t, text, &rest_short))
		return rest_short;
	return keyword_alone(t, subject, NULL) && short_text(text);
}
