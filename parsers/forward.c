/* forward: the original message inside a forward (see forward.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "forward.h"
#include "reply.h"
#include "util.h"

/* Lines before the header block: the rule, and blank lines after it. */
#define LEAD_LINES 4
/* Header lines read at most (a long Cc: wraps). */
#define HEADER_LINES 40

/* "Name" becomes Name, in place. */
static void
unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
}

enum hdr { H_NONE, H_FROM, H_SUBJECT, H_DATE, H_OTHER };

static const struct {
	const char *name;
	enum hdr h;
} names[] = {
	{ "from", H_FROM }, { "差出人", H_FROM }, { "送信者", H_FROM },
	{ "subject", H_SUBJECT }, { "件名", H_SUBJECT },
	{ "sent", H_DATE }, { "date", H_DATE }, { "送信日時", H_DATE },
	{ "日付", H_DATE }, { "日時", H_DATE },
	{ "to", H_OTHER }, { "cc", H_OTHER }, { "reply-to", H_OTHER },
	{ "宛先", H_OTHER }, { "importance", H_OTHER }, { "重要度", H_OTHER },
};

/*
 * "From: x", "*From:* x", "差出人： x" in the n bytes at p: which header,
 * with *val at its value.  H_NONE when the line is none of them.
 */
static enum hdr
header_line(const char *p, size_t n, const char **val)
{
	const char *e = p + n, *k, *ke;
	size_t i, kl;

	while (p < e && (*p == ' ' || *p == '*'))
		p++;
	for (k = p; p < e && *p != ':' && !(e - p >= 3 &&
	    memcmp(p, "\xef\xbc\x9a", 3) == 0); p++)
		;
	if (p == e)
		return H_NONE;
	for (ke = p; ke > k && (ke[-1] == ' ' || ke[-1] == '*'); ke--)
		;
	p += *p == ':' ? 1 : 3;
	while (p < e && (*p == ' ' || *p == '*'))
		p++;
	*val = p;
	kl = (size_t)(ke - k);
	for (i = 0; i < nitems(names); i++)
		if (strlen(names[i].name) == kl &&
		    ascii_strncasecmp(k, names[i].name, kl) == 0)
			return names[i].h;
	return H_NONE;
}

/*
 * The address in a From: value: "Name <a@b>", "Name [mailto:a@b]",
 * "Name <mailto:a@b>" or "a@b"; NULL when it holds no valid one.  *name:
 * what stands before the address, unquoted, or NULL.
 */
static char *
from_address(const char *v, char **name)
{
	const char *s = NULL, *e = NULL, *open = NULL, *p;
	char *a, *nm;

	*name = NULL;
	if ((p = strstr(v, "mailto:")) != NULL) {
		s = p + 7;
		e = s + strcspn(s, "]>) \t");
		open = p > v && (p[-1] == '[' || p[-1] == '<') ? p - 1 : p;
	} else if ((p = strrchr(v, '<')) != NULL && strchr(p, '>') != NULL) {
		s = p + 1;
		e = strchr(s, '>');
		open = p;
	} else {
		/* A bare address: the first word with an "@" in it. */
		for (p = v; *p != '\0' && s == NULL; p += strcspn(p, " \t")) {
			p += strspn(p, " \t");
			if (strcspn(p, "@") < strcspn(p, " \t")) {
				s = p;
				e = s + strcspn(s, " \t");
			}
		}
	}
	if (s == NULL || e <= s)
		return NULL;
	a = xstrndup(s, (size_t)(e - s));
	if (addr_check(a, strlen(a)) != ADDR_OK) {
		free(a);
		return NULL;
	}
	ascii_lower(a);
	if (open == NULL)
		return a;
	nm = strtrim(xstrndup(v, (size_t)(open - v)));
	unquote(nm);
	if (*nm == '\0')
		free(nm);
	else
		*name = nm;
	return a;
}

/* Sets *slot to the n bytes at p, unless already set (the first wins). */
static void
keep(char **slot, const char *p, size_t n)
{
	if (*slot == NULL) {
		*slot = xstrndup(p, n);
		strtrim(*slot);
	}
}

int
forward_parse(const char *text, struct forwarded *out)
{
	struct reply_text rt;
	char *fw = reply_forwarded(text), *from = NULL, *p, *nl;
	const char *val;
	size_t len, lead = 0, nhdr = 0;
	enum hdr h;
	int in_headers = 0;

	memset(out, 0, sizeof(*out));
	if (fw == NULL)
		return 0;
	for (p = fw; *p != '\0'; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		len = (size_t)(nl - p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (!in_headers) {
			h = len > 0 ? header_line(p, len, &val) : H_NONE;
			if (h == H_NONE) {
				if (++lead > LEAD_LINES)
					break;
				continue;
			}
			in_headers = 1;
		} else if (len == 0 || nhdr >= HEADER_LINES) {
			p = *nl ? nl + 1 : nl;
			break;
		} else if (*p == ' ' || *p == '\t')
			continue;	/* a wrapped To: or Cc: list */
		else if ((h = header_line(p, len, &val)) == H_NONE)
			break;		/* no blank line: the body starts */
		nhdr++;
		if (h == H_FROM)
			keep(&from, val, len - (size_t)(val - p));
		else if (h == H_SUBJECT)
			keep(&out->subject, val, len - (size_t)(val - p));
		else if (h == H_DATE)
			keep(&out->date, val, len - (size_t)(val - p));
	}
	if (from != NULL)
		out->from_addr = from_address(from, &out->from_name);
	if (out->from_addr == NULL) {
		free(from);
		free(fw);
		forwarded_free(out);
		return 0;
	}
	while (*p == '\n')
		p++;
	out->text = xstrdup(in_headers ? p : "");
	reply_extract(text, NULL, &rt);
	out->note = rt.cut_reason == REPLY_CUT_FORWARD ||
	    rt.cut_reason == REPLY_CUT_ORIGINAL_MESSAGE ||
	    rt.cut_reason == REPLY_CUT_HEADER_BLOCK ? rt.visible :
	    xstrdup("");
	if (out->note != rt.visible)
		free(rt.visible);
	free(rt.quoted);
	free(from);
	free(fw);
	return 1;
}

void
forwarded_free(struct forwarded *f)
{
	if (f == NULL)
		return;
	free(f->from_addr);
	free(f->from_name);
	free(f->subject);
	free(f->date);
	free(f->note);
	free(f->text);
	memset(f, 0, sizeof(*f));
}
