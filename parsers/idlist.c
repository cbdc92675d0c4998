/* idlist: walking address and message-id lists from headers. */
#include "config.h"

#include <string.h>

#include "idlist.h"
#include "util.h"

/* What separates words; never part of an address or a message id. */
#define SEPARATORS " \t\r\n,;<>"

void
idlist_init(struct idlist *it, const char *value)
{
	it->p = value != NULL ? value : "";
}

int
idlist_next(struct idlist *it, const char **word, size_t *len)
{
	size_t n;

	/* Separators and words alternate, so each pass eats one of each. */
	it->p += strspn(it->p, SEPARATORS);
	if (*it->p == '\0')
		return 0;
	n = strcspn(it->p, SEPARATORS);	/* > 0: *it->p is no separator */
	*word = it->p;
	*len = n;
	it->p += n;
	return 1;
}

/* RFC 5322 atext: the characters of an atom. */
static int
atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* Whether s[0..n) is dot-atom-text: atoms joined by single dots. */
static int
dot_atom(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '.' ? s[i + 1] == '.' : !atext((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Whether s[0..n) is "[" *dtext "]": printable ASCII but "[", "]", "\". */
static int
literal(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || s[0] != '[' || s[n - 1] != ']')
		return 0;
	for (i = 1; i + 1 < n; i++)
		if ((unsigned char)s[i] < 33 || (unsigned char)s[i] > 126 ||
		    s[i] == '[' || s[i] == ']' || s[i] == '\\')
			return 0;
	return 1;
}

int
idlist_msgid_ok(const char *s, size_t len)
{
	const char *at;

	if (len == 0 || len > IDLIST_MSGID_MAX ||
	    memchr(s, '\0', len) != NULL ||
	    (at = memchr(s, '@', len)) == NULL)
		return 0;
	return dot_atom(s, (size_t)(at - s)) &&
	    (dot_atom(at + 1, len - (size_t)(at - s) - 1) ||
	    literal(at + 1, len - (size_t)(at - s) - 1));
}

char *
idlist_last_msgids(const char *list, size_t max)
{
	struct idlist it;
	struct buf b;
	const char *w;
	size_t n, valid = 0, skip;

	idlist_init(&it, list);
	while (idlist_next(&it, &w, &n))
		valid += idlist_msgid_ok(w, n);
	skip = valid > max ? valid - max : 0;
	buf_init(&b);
	idlist_init(&it, list);
	while (idlist_next(&it, &w, &n)) {
		if (!idlist_msgid_ok(w, n))
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		if (b.len > 0)
			buf_addc(&b, ' ');
		buf_add(&b, w, n);
	}
	return buf_steal(&b);
}
