/* wire: struct analysis to bytes and back, checked (wire.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "classify.h"
#include "wire.h"

static const char magic[4] = { 'R', 'B', 'W', 'A' };

#define NONE UINT32_MAX

/* Writing. */

/* n bytes of v, least significant first. */
static void
put_le(struct buf *b, uint64_t v, size_t n)
{
	unsigned char c[8];
	size_t i;

	for (i = 0; i < n; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	buf_add(b, c, n);
}

static void
put_u8(struct buf *b, unsigned v)
{
	put_le(b, v, 1);
}

static void
put_u32(struct buf *b, uint32_t v)
{
	put_le(b, v, 4);
}

static void
put_u64(struct buf *b, uint64_t v)
{
	put_le(b, v, 8);
}

static void
put_str(struct buf *b, const char *s)
{
	size_t n;

	if (s == NULL) {
		put_u32(b, NONE);
		return;
	}
	/* Longer than any message refbot accepts; cut, never misframed. */
	if ((n = strlen(s)) >= NONE)
		n = NONE - 1;
	put_u32(b, (uint32_t)n);
	buf_add(b, s, n);
}

/* Bytes that may hold NULs: like a string (NULL: none), not NUL-checked. */
static void
put_bytes(struct buf *b, const char *s, size_t n)
{
	if (s == NULL || n >= NONE) {
		put_u32(b, NONE);
		return;
	}
	put_u32(b, (uint32_t)n);
	buf_add(b, s, n);
}

static int
field_index(const struct template *t, const struct tfield *f, uint32_t *i)
{
	if (f == NULL) {
		*i = NONE;
		return 0;
	}
	if (t->nfields == 0 || f < t->fields || f >= t->fields + t->nfields)
		return -1;
	*i = (uint32_t)(f - t->fields);
	return 0;
}

static int
group_index(const struct template *t, const struct tgroup *g, uint32_t *i)
{
	if (g == NULL) {
		*i = NONE;
		return 0;
	}
	if (t->ngroups == 0 || g < t->groups || g >= t->groups + t->ngroups)
		return -1;
	*i = (uint32_t)(g - t->groups);
	return 0;
}

static void
put_files(struct buf *b, const struct attachment *a, size_t n)
{
	size_t i;

	put_u32(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		put_str(b, a[i].name);
		put_str(b, a[i].type);
		put_u64(b, a[i].size);
		put_bytes(b, a[i].data, a[i].len);
	}
}

static void
put_message(struct buf *b, const struct message *m)
{
	size_t i;

	put_str(b, m->from_addr);
	put_str(b, m->from_name);
	put_str(b, m->reply_to_addr);
	put_str(b, m->to_addrs);
	put_str(b, m->subject);
	put_str(b, m->message_id);
	put_str(b, m->in_reply_to);
	put_str(b, m->references);
	put_u8(b, m->has_return_path != 0);
	put_u8(b, m->return_path_empty != 0);
	put_str(b, m->content_type);
	put_u32(b, (uint32_t)m->nheaders);
	for (i = 0; i < m->nheaders; i++) {
		put_str(b, m->headers[i].name);
		put_str(b, m->headers[i].value);
	}
	put_str(b, m->text);
	put_str(b, m->text_type);
	put_str(b, m->charset);
	put_files(b, m->attachments, m->nattachments);
}

static int
put_form(struct buf *b, const struct form *f, const struct template *t)
{
	uint32_t fi, gi;
	size_t i;

	put_u32(b, (uint32_t)f->nvalues);
	for (i = 0; i < f->nvalues; i++) {
		if (field_index(t, f->values[i].field, &fi) != 0 || fi == NONE)
			return -1;
		put_u32(b, fi);
		put_str(b, f->values[i].value);
		put_u32(b, (uint32_t)f->values[i].line);
	}
	put_u32(b, (uint32_t)f->nproblems);
	for (i = 0; i < f->nproblems; i++) {
		const struct form_problem *p = &f->problems[i];

		if (field_index(t, p->field, &fi) != 0 || fi == NONE ||
		    group_index(t, p->group, &gi) != 0)
			return -1;
		put_u32(b, fi);
		put_u32(b, gi);
		put_u8(b, (unsigned)p->kind);
		put_str(b, p->code);
		put_str(b, p->arg);
	}
	put_u32(b, (uint32_t)f->nfailed);
	for (i = 0; i < f->nfailed; i++) {
		if (field_index(t, f->failed[i], &fi) != 0 || fi == NONE)
			return -1;
		put_u32(b, fi);
	}
	put_u8(b, (unsigned)f->outcome);
	return 0;
}

int
wire_put(const struct analysis *a, const struct template *tmpl,
    struct buf *out)
{
	size_t start = out->len;

	buf_add(out, magic, sizeof(magic));
	put_u8(out, WIRE_VERSION);
	put_u8(out, (unsigned)a->kind);
	put_u8(out, (unsigned)a->parse_status);
	put_str(out, a->error);
	put_message(out, &a->msg);
	put_str(out, a->automatic);
	put_u64(out, (uint64_t)a->ref);
	put_u8(out, a->ours != 0);
	put_u8(out, a->lang != NULL && strcmp(a->lang, "ja") == 0);
	if (put_form(out, &a->form, tmpl) != 0) {
		out->len = start;
		out->data[start] = '\0';
		return -1;
	}
	put_str(out, a->dsn_recipient);
	put_str(out, a->dsn_action);
	put_str(out, a->dsn_status);
	put_str(out, a->dsn_message_id);
	put_str(out, a->attached.from_addr);
	put_str(out, a->attached.from_name);
	put_str(out, a->attached.subject);
	put_str(out, a->attached.date);
	put_str(out, a->attached.note);
	put_str(out, a->attached.text);
	put_files(out, a->attached_files, a->nattached_files);
	put_u8(out, (unsigned)a->itip.method);
	put_str(out, a->itip.uid);
	put_u32(out, (uint32_t)a->itip.sequence);
	put_str(out, a->itip.attendee);
	put_u8(out, (unsigned)a->itip.partstat);
	put_u64(out, (uint64_t)a->itip.start);
	put_u64(out, (uint64_t)a->itip.end);
	return 0;
}

/* Reading: every get_* fails once the bytes are short or wrong. */

struct rd {
	const unsigned char *p;
	size_t left;
	const char *err;	/* the first problem; NULL while all is well */
};

static int
fail(struct rd *r, const char *why)
{
	if (r->err == NULL)
		r->err = why;
	r->left = 0;
	return -1;
}

/* n (at most 8) bytes, least significant first. */
static int
get_le(struct rd *r, size_t n, uint64_t *v)
{
	size_t i;

	if (r->err != NULL || r->left < n)
		return fail(r, "truncated");
	for (*v = 0, i = 0; i < n; i++)
		*v |= (uint64_t)r->p[i] << (8 * i);
	r->p += n;
	r->left -= n;
	return 0;
}

static int
get_u8(struct rd *r, unsigned *v)
{
	uint64_t w;

	if (get_le(r, 1, &w) != 0)
		return -1;
	*v = (unsigned)w;
	return 0;
}

static int
get_u32(struct rd *r, uint32_t *v)
{
	uint64_t w;

	if (get_le(r, 4, &w) != 0)
		return -1;
	*v = (uint32_t)w;
	return 0;
}

static int
get_u64(struct rd *r, uint64_t *v)
{
	return get_le(r, 8, v);
}

static int
get_flag(struct rd *r, int *v)
{
	unsigned u;

	if (get_u8(r, &u) != 0)
		return -1;
	if (u > 1)
		return fail(r, "a flag is neither 0 nor 1");
	*v = (int)u;
	return 0;
}

/* A string, or NULL when nullable; *s is left alone on failure. */
static int
get_str(struct rd *r, char **s, int nullable)
{
	uint32_t n;

	if (get_u32(r, &n) != 0)
		return -1;
	if (n == NONE) {
		if (!nullable)
			return fail(r, "a string that must be there is not");
		*s = NULL;
		return 0;
	}
	if (n > r->left)
		return fail(r, "a string runs past the end");
	if (memchr(r->p, '\0', n) != NULL)
		return fail(r, "a string holds a NUL");
	*s = xstrndup((const char *)r->p, n);
	r->p += n;
	r->left -= n;
	return 0;
}

/* Bytes put_bytes wrote: NULs allowed, NULL when absent. */
static int
get_bytes(struct rd *r, char **s, size_t *len)
{
	uint32_t n;

	if (get_u32(r, &n) != 0)
		return -1;
	if (n == NONE) {
		*s = NULL;
		*len = 0;
		return 0;
	}
	if (n > r->left)
		return fail(r, "bytes run past the end");
	*s = xmalloc((size_t)n + 1);
	memcpy(*s, r->p, n);
	(*s)[n] = '\0';
	*len = n;
	r->p += n;
	r->left -= n;
	return 0;
}

/*
 * An array count, at most what the bytes left can hold at min bytes an
 * element: so no count makes us allocate more than the input's size.
 */
static int
get_count(struct rd *r, size_t min, size_t *n)
{
	uint32_t v;

	if (get_u32(r, &v) != 0)
		return -1;
	if (v > r->left / min)
		return fail(r, "a count larger than the bytes left");
	*n = v;
	return 0;
}

static int
get_field(struct rd *r, const struct template *t, const struct tfield **f)
{
	uint32_t i;

	if (get_u32(r, &i) != 0)
		return -1;
	if (i >= t->nfields)
		return fail(r, "a field index outside the template");
	*f = &t->fields[i];
	return 0;
}

/* Files put_files wrote; *n counts those read, for the freeing. */
static int
get_files(struct rd *r, struct attachment **files, size_t *nfiles)
{
	struct attachment *a;
	uint64_t size;
	size_t i, n;

	if (get_count(r, 20, &n))
		return -1;
	if (n == 0)
		return 0;
	*files = a = xcalloc(n, sizeof(*a));
	for (i = 0; i < n; i++) {
		*nfiles = i + 1;
		if (get_str(r, &a[i].name, 0) || get_str(r, &a[i].type, 0) ||
		    get_u64(r, &size) || get_bytes(r, &a[i].data, &a[i].len))
			return -1;
		if (size > SIZE_MAX)
			return fail(r, "an attachment size out of range");
		a[i].size = (size_t)size;
	}
	return 0;
}

static int
get_message(struct rd *r, struct message *m)
{
	size_t i, n;

	if (get_str(r, &m->from_addr, 1) || get_str(r, &m->from_name, 1) ||
	    get_str(r, &m->reply_to_addr, 1) || get_str(r, &m->to_addrs, 1) ||
	    get_str(r, &m->subject, 1) || get_str(r, &m->message_id, 1) ||
	    get_str(r, &m->in_reply_to, 1) || get_str(r, &m->references, 1) ||
	    get_flag(r, &m->has_return_path) ||
	    get_flag(r, &m->return_path_empty) ||
	    get_str(r, &m->content_type, 1) || get_count(r, 8, &n))
		return -1;
	if (n > 0)
		m->headers = xcalloc(n, sizeof(*m->headers));
	for (i = 0; i < n; i++) {
		m->nheaders = i + 1;
		if (get_str(r, &m->headers[i].name, 0) ||
		    get_str(r, &m->headers[i].value, 0))
			return -1;
	}
	if (get_str(r, &m->text, 1) || get_str(r, &m->text_type, 1) ||
	    get_str(r, &m->charset, 1))
		return -1;
	return get_files(r, &m->attachments, &m->nattachments);
}

static int
get_form(struct rd *r, struct form *f, const struct template *t)
{
	size_t i, n;
	uint32_t v;
	unsigned u;
	char *code;

	if (get_count(r, 12, &n) != 0)
		return -1;
	if (n > 0)
		f->values = xcalloc(n, sizeof(*f->values));
	for (i = 0; i < n; i++) {
		f->nvalues = i + 1;
		if (get_field(r, t, &f->values[i].field) ||
		    get_str(r, &f->values[i].value, 0) || get_u32(r, &v))
			return -1;
		if (v > INT32_MAX)
			return fail(r, "a line number out of range");
		f->values[i].line = (int)v;
	}
	if (get_count(r, 17, &n) != 0)
		return -1;
	if (n > 0)
		f->problems = xcalloc(n, sizeof(*f->problems));
	for (i = 0; i < n; i++) {
		struct form_problem *p = &f->problems[i];

		f->nproblems = i + 1;
		if (get_field(r, t, &p->field) || get_u32(r, &v))
			return -1;
		if (v != NONE && v >= t->ngroups)
			return fail(r, "a group index outside the template");
		p->group = v == NONE ? NULL : &t->groups[v];
		if (get_u8(r, &u) != 0)
			return -1;
		if (u != PROBLEM_MISSING && u != PROBLEM_INVALID)
			return fail(r, "an unknown problem kind");
		p->kind = (enum problem_kind)u;
		if (get_str(r, &code, 0) != 0)
			return -1;
		p->code = form_problem_code(code);
		free(code);
		if (p->code == NULL)
			return fail(r, "an unknown problem code");
		if (get_str(r, &p->arg, 1) != 0)
			return -1;
	}
	if (get_count(r, 4, &n) != 0)
		return -1;
	if (n > 0)
		f->failed = xcalloc(n, sizeof(*f->failed));
	for (i = 0; i < n; i++) {
		f->nfailed = i + 1;
		if (get_field(r, t, &f->failed[i]) != 0)
			return -1;
	}
	if (get_u8(r, &u) != 0)
		return -1;
	if (u > OUTCOME_DISQUALIFIED)
		return fail(r, "an unknown form outcome");
	f->outcome = (enum form_outcome)u;
	return 0;
}

/* A calendar answer as itip_parse gives it, or none (all empty). */
static int
get_itip(struct rd *r, struct itip *t)
{
	unsigned method, ps;
	uint32_t seq;
	uint64_t start, end;

	if (get_u8(r, &method) || get_str(r, &t->uid, 1) ||
	    get_u32(r, &seq) || get_str(r, &t->attendee, 1) ||
	    get_u8(r, &ps) || get_u64(r, &start) || get_u64(r, &end))
		return -1;
	t->method = method <= ITIP_COUNTER ? (enum itip_method)method :
	    ITIP_NONE;
	t->partstat = ps <= ITIP_PS_MAX ? (enum itip_partstat)ps :
	    ITIP_PS_NONE;
	t->sequence = (int)seq;
	t->start = (int64_t)start;
	t->end = (int64_t)end;
	if (method > ITIP_COUNTER || ps > ITIP_PS_MAX || seq > INT32_MAX ||
	    (method == ITIP_NONE) != (t->uid == NULL) ||
	    (t->uid != NULL && (*t->uid == '\0' ||
	    strlen(t->uid) > ITIP_UID_MAX)) ||
	    (method == ITIP_REPLY && ps == ITIP_PS_NONE) ||
	    (method != ITIP_COUNTER && (t->start != -1 || t->end != -1)) ||
	    t->start < -1 || t->end < -1 || (t->start == -1 && t->end != -1) ||
	    (t->end != -1 && t->end <= t->start) ||
	    (method == ITIP_NONE && (seq != 0 || t->attendee != NULL ||
	    ps != ITIP_PS_NONE)) ||
	    (t->attendee != NULL && addr_check(t->attendee,
	    strlen(t->attendee)) != ADDR_OK))
		return fail(r, "a calendar answer that contradicts itself");
	return 0;
}

int
wire_get(const char *bytes, size_t len, const struct template *tmpl,
    struct analysis *a, const char **errstr)
{
	struct rd r = { (const unsigned char *)bytes, len, NULL };
	unsigned kind, status, version;
	uint64_t ref;
	char *automatic = NULL;
	int ja;

	memset(a, 0, sizeof(*a));
	a->lang = "en";
	if (len < sizeof(magic) || memcmp(bytes, magic, sizeof(magic)) != 0) {
		fail(&r, "not an analysis (bad magic)");
		goto bad;
	}
	r.p += sizeof(magic);
	r.left -= sizeof(magic);
	if (get_u8(&r, &version) != 0)
		goto bad;
	if (version != WIRE_VERSION) {
		fail(&r, "an analysis of another version");
		goto bad;
	}
	if (get_u8(&r, &kind) != 0 || get_u8(&r, &status) != 0)
		goto bad;
	if (kind > KIND_UNREADABLE || status > MESSAGE_UNPARSABLE) {
		fail(&r, "an unknown kind or parse status");
		goto bad;
	}
	a->kind = (enum mail_kind)kind;
	a->parse_status = (int)status;
	if (get_str(&r, &a->error, 1) || get_message(&r, &a->msg) ||
	    get_str(&r, &automatic, 1) || get_u64(&r, &ref) ||
	    get_flag(&r, &a->ours) || get_flag(&r, &ja))
		goto bad;
	if (automatic != NULL &&
	    (a->automatic = classify_automatic_reason(automatic)) == NULL) {
		fail(&r, "an unknown reason for automatic mail");
		goto bad;
	}
	free(automatic);
	automatic = NULL;
	a->ref = (int64_t)ref;
	a->lang = ja ? "ja" : "en";
	if (get_form(&r, &a->form, tmpl) ||
	    get_str(&r, &a->dsn_recipient, 1) ||
	    get_str(&r, &a->dsn_action, 1) ||
	    get_str(&r, &a->dsn_status, 1) ||
	    get_str(&r, &a->dsn_message_id, 1) ||
	    get_str(&r, &a->attached.from_addr, 1) ||
	    get_str(&r, &a->attached.from_name, 1) ||
	    get_str(&r, &a->attached.subject, 1) ||
	    get_str(&r, &a->attached.date, 1) ||
	    get_str(&r, &a->attached.note, 1) ||
	    get_str(&r, &a->attached.text, 1) ||
	    get_files(&r, &a->attached_files, &a->nattached_files) ||
	    get_itip(&r, &a->itip))
		goto bad;
	if (r.left != 0) {
		fail(&r, "bytes after the analysis");
		goto bad;
	}
	/* What analyze() promises and the bot relies on. */
	if ((a->kind == KIND_UNREADABLE) != (a->parse_status != MESSAGE_OK) ||
	    (a->kind == KIND_UNREADABLE && a->error == NULL) ||
	    (a->kind == KIND_AUTOMATIC) != (a->automatic != NULL) ||
	    ((a->kind == KIND_SUBMISSION || a->kind == KIND_REPLY) &&
	    a->msg.from_addr == NULL)) {
		fail(&r, "a kind that contradicts the rest");
		goto bad;
	}
	if ((a->parse_status == MESSAGE_OK || a->msg.text_type != NULL) &&
	    (a->msg.subject == NULL ||
	    a->msg.to_addrs == NULL || a->msg.content_type == NULL ||
	    a->msg.text == NULL || a->msg.text_type == NULL)) {
		fail(&r, "a message without a field it always has");
		goto bad;
	}
	/* An attached forward: a valid sender, its text, or nothing. */
	if (a->attached.from_addr != NULL ? addr_check(a->attached.from_addr,
	    strlen(a->attached.from_addr)) != ADDR_OK ||
	    a->attached.note == NULL || a->attached.text == NULL :
	    a->attached.from_name != NULL || a->attached.subject != NULL ||
	    a->attached.date != NULL || a->attached.note != NULL ||
	    a->attached.text != NULL || a->nattached_files > 0) {
		fail(&r, "an attached forward without its sender or text");
		goto bad;
	}
	return 0;
bad:
	free(automatic);
	analysis_free(a);
	a->lang = "en";
	if (errstr != NULL)
		*errstr = r.err ? r.err : "malformed";
	return -1;
}
