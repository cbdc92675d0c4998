/*
 * imap: libetpan's IMAP client, with the certificate checks libetpan
 * lacks (tlsverify) done after the handshake and before LOGIN.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "imap.h"
#include "log.h"
#include "sdnotify.h"
#include "tlsverify.h"
#include "util.h"

struct imap {
	mailimap *h;
	const struct config *cfg;
	uint32_t uidvalidity;
	int has_move;
	int has_uidplus;
	int has_idle;
};

static const char *
server_text(struct imap *im)
{
	const char *r = im->h != NULL ? im->h->imap_response : NULL;

	return r != NULL && *r != '\0' ? r : "no reason given";
}

/* libetpan's codes fall in two groups: the stream is gone, or a NO/BAD. */
static int
classify(int r)
{
	switch (r) {
	case MAILIMAP_ERROR_STREAM:
	case MAILIMAP_ERROR_CONNECTION_REFUSED:
	case MAILIMAP_ERROR_FATAL:
	case MAILIMAP_ERROR_PARSE:
	case MAILIMAP_ERROR_MEMORY:
	case MAILIMAP_ERROR_SSL:
	case MAILIMAP_ERROR_BAD_STATE:
		return IMAP_ECONN;
	default:
		return IMAP_EMSG;
	}
}

static void
sni_callback(struct mailstream_ssl_context *ctx, void *data)
{
	mailstream_ssl_set_server_name(ctx, data);
}

static int
verify_peer(struct imap *im, char **errstr)
{
	carray *chain;
	struct der_cert *certs;
	unsigned int i;
	int rc;

	chain = mailstream_get_certificate_chain(im->h->imap_stream);
	if (chain == NULL) {
		*errstr = xasprintf("IMAP %s:%d: no certificate chain "
		    "received", im->cfg->imap.host, im->cfg->imap.port);
		return IMAP_ETLS;
	}
	certs = xcalloc(carray_count(chain) + 1, sizeof(*certs));
	for (i = 0; i < carray_count(chain); i++) {
		MMAPString *s = carray_get(chain, i);
		certs[i].data = (const unsigned char *)s->str;
		certs[i].len = s->len;
	}
	rc = tls_verify_chain(certs, carray_count(chain), im->cfg->imap.host,
	    im->cfg->imap.ca_file, errstr);
	free(certs);
	mailstream_certificate_chain_free(chain);
	if (rc != 0) {
		char *e = *errstr;
		*errstr = xasprintf("IMAP %s:%d: %s", im->cfg->imap.host,
		    im->cfg->imap.port, e);
		free(e);
		return IMAP_ETLS;
	}
	return IMAP_OK;
}

static void
read_caps(struct imap *im)
{
	struct mailimap_capability_data *caps = NULL;

	/* Servers may announce more after LOGIN: ask again. */
	if (mailimap_capability(im->h, &caps) == MAILIMAP_NO_ERROR)
		mailimap_capability_data_free(caps);
	im->has_idle = mailimap_has_idle(im->h);
	im->has_move = mailimap_has_extension(im->h, "MOVE");
	im->has_uidplus = mailimap_has_extension(im->h, "UIDPLUS");
}

static int
connected(int r)
{
	return r == MAILIMAP_NO_ERROR || r == MAILIMAP_NO_ERROR_AUTHENTICATED ||
	    r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED;
}

/*
 * A download in progress (a large batch on a slow link) is not a hang:
 * tell the watchdog.  A stalled one ends at the 60 s timeout.
 */
static void
progress_cb(size_t current, size_t maximum, void *arg)
{
	(void)current;
	(void)maximum;
	(void)arg;
	sdnotify_alive();
}

int
imap_open(const struct config *cfg, struct imap **out, char **errstr)
{
	struct imap *im = xcalloc(1, sizeof(*im));
	const struct endpoint *ep = &cfg->imap;
	int r, rc;

	im->cfg = cfg;
	if ((im->h = mailimap_new(0, NULL)) == NULL)
		fatalx("out of memory");
	mailimap_set_timeout(im->h, 60);
	mailimap_set_progress_callback(im->h, progress_cb, progress_cb, NULL);

	if (ep->tls == TLS_IMPLICIT)
		r = mailimap_ssl_connect_with_callback(im->h, ep->host,
		    (uint16_t)ep->port, sni_callback, ep->host);
	else
		r = mailimap_socket_connect(im->h, ep->host,
		    (uint16_t)ep->port);
	if (!connected(r)) {
		*errstr = xasprintf("IMAP %s:%d: cannot connect (libetpan "
		    "error %d)", ep->host, ep->port, r);
		rc = IMAP_ECONN;
		goto fail;
	}
	if (ep->tls == TLS_STARTTLS) {
		if (!mailimap_has_extension(im->h, "STARTTLS")) {
			struct mailimap_capability_data *caps = NULL;
			if (mailimap_capability(im->h, &caps) ==
			    MAILIMAP_NO_ERROR)
				mailimap_capability_data_free(caps);
		}
		if (!mailimap_has_extension(im->h, "STARTTLS")) {
			*errstr = xasprintf("IMAP %s:%d: the server does not "
			    "offer STARTTLS (set imap_tls = none only if "
			    "plaintext is intended)", ep->host, ep->port);
			rc = IMAP_ETLS;
			goto fail;
		}
		r = mailimap_socket_starttls_with_callback(im->h,
		    sni_callback, ep->host);
		if (r != MAILIMAP_NO_ERROR) {
			*errstr = xasprintf("IMAP %s:%d: STARTTLS failed "
			    "(libetpan error %d)", ep->host, ep->port, r);
			rc = IMAP_ETLS;
			goto fail;
		}
	}
	if (ep->tls != TLS_NONE && (rc = verify_peer(im, errstr)) != IMAP_OK)
		goto fail;

	r = mailimap_login(im->h, ep->user, ep->password);
	if (r != MAILIMAP_NO_ERROR) {
		*errstr = xasprintf("IMAP %s:%d: login as %s refused: %s",
		    ep->host, ep->port, ep->user, server_text(im));
		rc = classify(r) == IMAP_ECONN ? IMAP_ECONN : IMAP_EAUTH;
		goto fail;
	}
	read_caps(im);
	r = mailimap_select(im->h, cfg->imap_mailbox);
	if (r != MAILIMAP_NO_ERROR || im->h->imap_selection_info == NULL) {
		*errstr = xasprintf("IMAP %s:%d: cannot select mailbox %s: %s",
		    ep->host, ep->port, cfg->imap_mailbox, server_text(im));
		rc = classify(r) == IMAP_ECONN ? IMAP_ECONN : IMAP_EBOX;
		goto fail;
	}
	im->uidvalidity = im->h->imap_selection_info->sel_uidvalidity;
	*out = im;
	return IMAP_OK;
fail:
	imap_close(im);
	return rc;
}

void
imap_close(struct imap *im)
{
	if (im == NULL)
		return;
	if (im->h != NULL) {
		if (im->h->imap_stream != NULL)
			mailimap_logout(im->h);
		mailimap_free(im->h);
	}
	free(im);
}

uint32_t
imap_uidvalidity(const struct imap *im)
{
	return im->uidvalidity;
}

int
imap_has_idle(const struct imap *im)
{
	return im->has_idle;
}

int
imap_search_all(struct imap *im, uint32_t **uids, size_t *n, char **errstr)
{
	struct mailimap_search_key *key = mailimap_search_key_new_all();
	clist *result = NULL;
	clistiter *it;
	size_t count = 0;
	uint32_t *v;
	int r;

	r = mailimap_uid_search(im->h, NULL, key, &result);
	mailimap_search_key_free(key);
	if (r != MAILIMAP_NO_ERROR) {
		*errstr = xasprintf("IMAP UID SEARCH failed: %s",
		    server_text(im));
		return IMAP_ECONN;
	}
	v = xcalloc((size_t)clist_count(result) + 1, sizeof(*v));
	for (it = clist_begin(result); it != NULL; it = clist_next(it))
		v[count++] = *(uint32_t *)clist_content(it);
	mailimap_search_result_free(result);
	/* Servers answer in any order; process oldest first. */
	for (size_t i = 1; i < count; i++) {
		uint32_t x = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	*uids = v;
	*n = count;
	return IMAP_OK;
}

/*
 * The UIDs as an IMAP set, each run of consecutive ones a range, so that
 * a MOVE of hundreds stays a short command line ("1:500", not
 * "1,2,...,500"; RFC 7162 asks clients to keep lines under 8192 octets).
 */
static struct mailimap_set *
uid_set(const uint32_t *uids, size_t n)
{
	struct mailimap_set *set = mailimap_set_new_empty();
	size_t i, j;

	if (set == NULL)
		fatalx("out of memory");
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && uids[j - 1] != UINT32_MAX &&
		    uids[j] == uids[j - 1] + 1; j++)
			;
		if ((j - i == 1 ? mailimap_set_add_single(set, uids[i]) :
		    mailimap_set_add_interval(set, uids[i], uids[j - 1])) !=
		    MAILIMAP_NO_ERROR)
			fatalx("out of memory");
	}
	return set;
}

/* The attribute of type t (MAILIMAP_MSG_ATT_*) in a FETCH answer, or NULL. */
static struct mailimap_msg_att_static *
att_static(struct mailimap_msg_att *ma, int t)
{
	clistiter *ai;

	for (ai = clist_begin(ma->att_list); ai != NULL; ai = clist_next(ai)) {
		struct mailimap_msg_att_item *item = clist_content(ai);

		if (item->att_type == MAILIMAP_MSG_ATT_ITEM_STATIC &&
		    item->att_data.att_static->att_type == t)
			return item->att_data.att_static;
	}
	return NULL;
}

/* UID FETCH uids (UID att); att is freed here, *result on IMAP_OK. */
static int
uid_fetch(struct imap *im, const uint32_t *uids, size_t n,
    struct mailimap_fetch_att *att, clist **result, char **errstr)
{
	struct mailimap_set *set = uid_set(uids, n);
	struct mailimap_fetch_type *ft;
	int r;

	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft, att);
	r = mailimap_uid_fetch(im->h, set, ft, result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		*errstr = xasprintf("IMAP UID FETCH failed: %s",
		    server_text(im));
		return classify(r);
	}
	return IMAP_OK;
}

/*
 * UID FETCH of uids with (UID, att): cb for each message with the bytes
 * of its body section.  att is freed here.
 */
static int
fetch_section(struct imap *im, const uint32_t *uids, size_t n,
    struct mailimap_fetch_att *att, imap_fetch_cb cb, void *arg,
    char **errstr)
{
	clist *result = NULL;
	clistiter *it;
	int rc;

	if (n == 0) {
		mailimap_fetch_att_free(att);
		return IMAP_OK;
	}
	if ((rc = uid_fetch(im, uids, n, att, &result, errstr)) != IMAP_OK)
		return rc;
	for (it = clist_begin(result); it != NULL && rc == IMAP_OK;
	    it = clist_next(it)) {
		struct mailimap_msg_att *ma = clist_content(it);
		struct mailimap_msg_att_static *u, *b;

		u = att_static(ma, MAILIMAP_MSG_ATT_UID);
		b = att_static(ma, MAILIMAP_MSG_ATT_BODY_SECTION);
		/* Unsolicited FETCH responses (flag changes) carry no body. */
		if (u == NULL || u->att_data.att_uid == 0 || b == NULL ||
		    b->att_data.att_body_section == NULL ||
		    b->att_data.att_body_section->sec_body_part == NULL)
			continue;
		rc = cb(u->att_data.att_uid,
		    b->att_data.att_body_section->sec_body_part,
		    b->att_data.att_body_section->sec_length, arg);
	}
	mailimap_fetch_list_free(result);
	return rc;
}

int
imap_fetch(struct imap *im, const uint32_t *uids, size_t n, imap_fetch_cb cb,
    void *arg, char **errstr)
{
	return fetch_section(im, uids, n,
	    mailimap_fetch_att_new_body_peek_section(mailimap_section_new(
	    NULL)), cb, arg, errstr);
}

int
imap_fetch_headers(struct imap *im, const uint32_t *uids, size_t n,
    size_t max, imap_fetch_cb cb, void *arg, char **errstr)
{
	return fetch_section(im, uids, n,
	    mailimap_fetch_att_new_body_peek_section_partial(
	    mailimap_section_new_header(), 0,
	    max < UINT32_MAX ? (uint32_t)max : UINT32_MAX), cb, arg, errstr);
}

int
imap_fetch_sizes(struct imap *im, const uint32_t *uids, size_t n,
    uint32_t *sizes, char **errstr)
{
	clist *result = NULL;
	clistiter *it;
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		sizes[i] = 0;
	if (n == 0)
		return IMAP_OK;
	if ((rc = uid_fetch(im, uids, n, mailimap_fetch_att_new_rfc822_size(),
	    &result, errstr)) != IMAP_OK)
		return rc;
	for (it = clist_begin(result); it != NULL; it = clist_next(it)) {
		struct mailimap_msg_att *ma = clist_content(it);
		struct mailimap_msg_att_static *u, *z;
		uint32_t uid, size;
		size_t lo = 0, hi = n;

		u = att_static(ma, MAILIMAP_MSG_ATT_UID);
		z = att_static(ma, MAILIMAP_MSG_ATT_RFC822_SIZE);
		uid = u != NULL ? u->att_data.att_uid : 0;
		size = z != NULL ? z->att_data.att_rfc822_size : 0;
		/* uids ascend: find the one answered, ignore any other. */
		while (uid != 0 && lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (uids[mid] == uid) {
				sizes[mid] = size;
				break;
			}
			if (uids[mid] < uid)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	mailimap_fetch_list_free(result);
	return IMAP_OK;
}

/*
 * \Deleted, then UID EXPUNGE of just these; without UIDPLUS they stay
 * flagged: never a plain EXPUNGE, which would take others' too.
 */
static int
expunge_uids(struct imap *im, struct mailimap_set *set)
{
	struct mailimap_flag_list *fl;
	struct mailimap_store_att_flags *sf;
	int r;

	fl = mailimap_flag_list_new_empty();
	mailimap_flag_list_add(fl, mailimap_flag_new_deleted());
	sf = mailimap_store_att_flags_new_add_flags_silent(fl);
	r = mailimap_uid_store(im->h, set, sf);
	mailimap_store_att_flags_free(sf);
	if (r == MAILIMAP_NO_ERROR && im->has_uidplus)
		r = mailimap_uid_expunge(im->h, set);
	return r;
}

int
imap_delete(struct imap *im, const uint32_t *uids, size_t n, char **errstr)
{
	struct mailimap_set *set;
	int r;

	if (n == 0)
		return IMAP_OK;
	set = uid_set(uids, n);
	r = expunge_uids(im, set);
	mailimap_set_free(set);
	if (r == MAILIMAP_NO_ERROR)
		return IMAP_OK;
	*errstr = xasprintf("IMAP: deleting UID %u failed: %s", uids[0],
	    server_text(im));
	return classify(r);
}

int
imap_move(struct imap *im, const uint32_t *uids, size_t n, const char *folder,
    char **errstr)
{
	struct mailimap_set *set;
	int r;

	if (n == 0)
		return IMAP_OK;
	set = uid_set(uids, n);
	if (im->has_move) {
		r = mailimap_uid_move(im->h, set, folder);
		if (r != MAILIMAP_NO_ERROR)
			goto fail;
		mailimap_set_free(set);
		return IMAP_OK;
	}
	if ((r = mailimap_uid_copy(im->h, set, folder)) != MAILIMAP_NO_ERROR ||
	    (r = expunge_uids(im, set)) != MAILIMAP_NO_ERROR)
		goto fail;
	mailimap_set_free(set);
	return IMAP_OK;
fail:
	mailimap_set_free(set);
	if (n == 1)
		*errstr = xasprintf("IMAP: moving UID %u to %s failed: %s",
		    uids[0], folder, server_text(im));
	else
		*errstr = xasprintf("IMAP: moving %zu messages (UID %u...) "
		    "to %s failed: %s", n, uids[0], folder, server_text(im));
	return classify(r);
}

int
imap_ensure_folder(struct imap *im, const char *folder, char **errstr)
{
	clist *list = NULL;
	int r, found;

	r = mailimap_list(im->h, "", folder, &list);
	if (r != MAILIMAP_NO_ERROR) {
		*errstr = xasprintf("IMAP LIST failed: %s", server_text(im));
		return classify(r);
	}
	found = list != NULL && clist_count(list) > 0;
	if (list != NULL)
		mailimap_list_result_free(list);
	if (found)
		return IMAP_OK;
	r = mailimap_create(im->h, folder);
	if (r != MAILIMAP_NO_ERROR) {
		*errstr = xasprintf("IMAP: cannot create folder %s: %s",
		    folder, server_text(im));
		return classify(r) == IMAP_ECONN ? IMAP_ECONN : IMAP_EBOX;
	}
	return IMAP_OK;
}

int
imap_folder_exists(struct imap *im, const char *folder, char **errstr)
{
	clist *list = NULL;
	clistiter *it;
	int r, found = 0, noselect = 0;

	r = mailimap_list(im->h, "", folder, &list);
	if (r != MAILIMAP_NO_ERROR) {
		*errstr = xasprintf("IMAP LIST failed: %s", server_text(im));
		return classify(r);
	}
	for (it = list != NULL ? clist_begin(list) : NULL; it != NULL;
	    it = clist_next(it)) {
		struct mailimap_mailbox_list *mb = clist_content(it);

		found = 1;
		/* A hierarchy level only: MOVE and COPY into it fail. */
		if (mb->mb_flag != NULL &&
		    mb->mb_flag->mbf_type == MAILIMAP_MBX_LIST_FLAGS_SFLAG &&
		    mb->mb_flag->mbf_sflag == MAILIMAP_MBX_LIST_SFLAG_NOSELECT)
			noselect = 1;
	}
	if (list != NULL)
		mailimap_list_result_free(list);
	if (!found) {
		*errstr = xasprintf("IMAP: folder %s does not exist", folder);
		return IMAP_EBOX;
	}
	if (noselect) {
		*errstr = xasprintf("IMAP: folder %s exists but cannot hold "
		    "mail (\\Noselect)", folder);
		return IMAP_EBOX;
	}
	return IMAP_OK;
}

int
imap_idle(struct imap *im, int seconds, volatile sig_atomic_t *stop,
    int *changed, char **errstr)
{
	int r, w = MAILSTREAM_IDLE_TIMEOUT, waited = 0;

	*changed = 0;
	if (mailstream_setup_idle(im->h->imap_stream) != 0) {
		*errstr = xstrdup("IMAP: cannot set up IDLE");
		return IMAP_ECONN;
	}
	if ((r = mailimap_idle(im->h)) != MAILIMAP_NO_ERROR) {
		mailstream_unsetup_idle(im->h->imap_stream);
		*errstr = xasprintf("IMAP IDLE refused: %s", server_text(im));
		return IMAP_ECONN;
	}
	while (waited < seconds && !*stop) {
		sdnotify_alive();	/* IDLE lasts up to 25 min */
		w = mailstream_wait_idle(im->h->imap_stream, 1);
		/*
		 * A signal (stop, reload) interrupts the wait: the connection
		 * is fine and IDLE ends as usual, with no warning (issue 17).
		 */
		if (w == MAILSTREAM_IDLE_ERROR && *stop)
			w = MAILSTREAM_IDLE_INTERRUPTED;
		if (w != MAILSTREAM_IDLE_TIMEOUT)
			break;
		waited++;
	}
	r = mailimap_idle_done(im->h);
	mailstream_unsetup_idle(im->h->imap_stream);
	if (w == MAILSTREAM_IDLE_ERROR || w == MAILSTREAM_IDLE_CANCELLED ||
	    r != MAILIMAP_NO_ERROR) {
		*errstr = xstrdup("IMAP connection lost during IDLE");
		return IMAP_ECONN;
	}
	*changed = w == MAILSTREAM_IDLE_HASDATA;
	return IMAP_OK;
}

int
imap_noop(struct imap *im, char **errstr)
{
	int r = mailimap_noop(im->h);

	if (r != MAILIMAP_NO_ERROR) {
		*errstr = xasprintf("IMAP NOOP failed: %s", server_text(im));
		return IMAP_ECONN;
	}
	return IMAP_OK;
}
