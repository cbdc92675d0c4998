/*
 * smtp: sends one message per call over a reused libcurl handle, and
 * checks a server without sending (refbot doctor).  Envelope addresses
 * are checked (parsers/addr) before libcurl sees them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "addr.h"
#include "log.h"
#include "sdnotify.h"
#include "smtp.h"
#include "util.h"

struct smtp {
	CURL *curl;
	char *url;
	const struct config *cfg;
	char errbuf[CURL_ERROR_SIZE];
	char reply[256];	/* the server's last 4xx/5xx line */
};

struct upload {
	const char *data;
	size_t len;
	size_t pos;
};

static size_t
read_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->len - u->pos)
		n = u->len - u->pos;
	memcpy(ptr, u->data + u->pos, n);
	u->pos += n;
	return n;
}

/* No SMTP reply is ever a body to keep; never let curl print one. */
static size_t
discard_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	(void)ptr;
	(void)arg;
	return size * nmemb;
}

/*
 * curl calls this about once a second while a mail is sent: a long send
 * (a large mail, a slow server) is not a hang, so the watchdog is told.
 * A stalled one is ended by the low-speed limit below.
 */
static int
xferinfo_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	(void)arg;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	sdnotify_alive();
	return 0;
}

struct smtp *
smtp_new(const struct config *cfg)
{
	static int global_done;
	struct smtp *s = xcalloc(1, sizeof(*s));
	const struct endpoint *ep = &cfg->smtp;
	const char *host = ep->host;
	int v6 = strchr(host, ':') != NULL;

	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			fatalx("curl_global_init failed");
		global_done = 1;
	}
	s->cfg = cfg;
	s->url = xasprintf("%s://%s%s%s:%d/%s",
	    ep->tls == TLS_IMPLICIT ? "smtps" : "smtp", v6 ? "[" : "", host,
	    v6 ? "]" : "", ep->port, cfg->message_id_domain);
	if ((s->curl = curl_easy_init()) == NULL)
		fatalx("curl_easy_init failed");
	return s;
}

void
smtp_free(struct smtp *s)
{
	if (s == NULL)
		return;
	curl_easy_cleanup(s->curl);
	free(s->url);
	free(s);
}

/*
 * Keeps the server's last error reply ("451 4.3.0 try again later"):
 * curl's own messages name only the code, and an operator needs the
 * words.  Only reply lines are looked at, never what we send.
 */
static int
debug_cb(CURL *c, curl_infotype type, char *data, size_t size, void *arg)
{
	struct smtp *s = arg;
	size_t n;

	(void)c;
	if (type != CURLINFO_HEADER_IN || size < 4 ||
	    (data[0] != '4' && data[0] != '5'))
		return 0;
	n = size < sizeof(s->reply) - 1 ? size : sizeof(s->reply) - 1;
	memcpy(s->reply, data, n);
	s->reply[n] = '\0';
	s->reply[strcspn(s->reply, "\r\n")] = '\0';
	/* Partner text never reaches here, but keep the log one line. */
	for (char *p = s->reply; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	return 0;
}

/* What every request needs: the server, TLS, timeouts and the login. */
static void
setup(struct smtp *s)
{
	const struct endpoint *ep = &s->cfg->smtp;
	CURL *c = s->curl;

	s->errbuf[0] = '\0';
	s->reply[0] = '\0';
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, s);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(c, CURLOPT_URL, s->url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	/* A stalled server must not hold the outbox forever. */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 120L);
	curl_easy_setopt(c, CURLOPT_USE_SSL, ep->tls == TLS_STARTTLS ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	if (ep->ca_file != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, ep->ca_file);
	if (ep->user != NULL) {
		curl_easy_setopt(c, CURLOPT_USERNAME, ep->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, ep->password);
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_cb);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
}

static char *
error_text(struct smtp *s, CURLcode cc, long code)
{
	const struct endpoint *ep = &s->cfg->smtp;

	if (s->reply[0] != '\0')
		return xasprintf("SMTP %s:%d: %s (%s%s%s)", ep->host, ep->port,
		    s->reply, curl_easy_strerror(cc), s->errbuf[0] ? ": " : "",
		    s->errbuf);
	return xasprintf("SMTP %s:%d: %s%s%s (reply %ld)", ep->host, ep->port,
	    curl_easy_strerror(cc), s->errbuf[0] ? ": " : "", s->errbuf, code);
}

int
smtp_send(struct smtp *s, const char *from, const char *rcpt,
    const char *copy, const char *data, size_t len, char **errstr)
{
	struct curl_slist *rcpts = NULL;
	struct upload up = { data, len, 0 };
	CURLcode cc;
	long code = 0;
	CURL *c = s->curl;
	enum addr_err ae;

	/*
	 * libcurl writes the envelope addresses into MAIL FROM and RCPT TO
	 * as given: one with a CR or LF would add SMTP commands of its own.
	 * An invalid address will never be deliverable, so it is permanent.
	 */
	if ((ae = addr_check(from, strlen(from))) != ADDR_OK) {
		*errstr = xasprintf("envelope sender refused before sending: "
		    "%s", addr_strerror(ae));
		return SMTP_PERM;
	}
	if ((ae = addr_check(rcpt, strlen(rcpt))) != ADDR_OK ||
	    (copy != NULL && (ae = addr_check(copy, strlen(copy))) !=
	    ADDR_OK)) {
		*errstr = xasprintf("envelope recipient refused before "
		    "sending: %s", addr_strerror(ae));
		return SMTP_PERM;
	}
	rcpts = curl_slist_append(rcpts, rcpt);
	if (copy != NULL)
		rcpts = curl_slist_append(rcpts, copy);
	setup(s);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);

	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpts);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	if (cc == CURLE_OK)
		return SMTP_OK;

	*errstr = error_text(s, cc, code);
	if (cc == CURLE_LOGIN_DENIED)
		return SMTP_CONFIG;
	if (code >= 500 && code < 600)
		return SMTP_PERM;
	return SMTP_TEMP;
}

/*
 * What the server's replies said during smtp_check.  libcurl hands every
 * reply line to the header callback; only the EHLO after the last "220"
 * (the greeting, or the go-ahead for STARTTLS) counts, because a server
 * may offer AUTH only once the connection is encrypted.
 */
struct check_state {
	int auth_offered;
};

static size_t
check_line_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct check_state *st = arg;
	size_t n = size * nmemb;

	if (n >= 3 && memcmp(ptr, "220", 3) == 0)
		st->auth_offered = 0;
	else if (n >= 9 && memcmp(ptr, "250", 3) == 0 &&
	    (ptr[3] == '-' || ptr[3] == ' ') &&
	    ascii_strncasecmp(ptr + 4, "AUTH", 4) == 0 &&
	    (ptr[8] == ' ' || ptr[8] == '='))
		st->auth_offered = 1;
	return n;
}

static int
tls_failure(CURLcode cc)
{
	switch (cc) {
	case CURLE_USE_SSL_FAILED:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return 1;
	default:
		return 0;
	}
}

int
smtp_check(struct smtp *s, char **errstr)
{
	const struct endpoint *ep = &s->cfg->smtp;
	struct check_state st = { 0 };
	CURLcode cc;
	long code = 0;
	CURL *c = s->curl;

	setup(s);
	/*
	 * NOOP as a custom command: with no upload and no recipients libcurl
	 * sends it after the whole session setup (EHLO, STARTTLS, AUTH) and
	 * no MAIL FROM, so nothing can be queued.  A fresh connection, so
	 * the check sees the greeting and EHLO.
	 */
	curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 0L);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "NOOP");
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, check_line_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &st);

	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	/* Leave the handle as smtp_send expects it. */
	curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 0L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, NULL);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, NULL);

	if (cc != CURLE_OK) {
		*errstr = error_text(s, cc, code);
		if (cc == CURLE_LOGIN_DENIED)
			return SMTP_CONFIG;
		if (tls_failure(cc))
			return SMTP_TLS;
		if (code >= 500 && code < 600)
			return SMTP_PERM;
		return SMTP_TEMP;
	}
	/* libcurl skips the login silently when AUTH is not offered. */
	if (ep->user != NULL && !st.auth_offered) {
		*errstr = xasprintf("SMTP %s:%d: smtp_user is set, but the "
		    "server offers no AUTH%s, so refbot would send without "
		    "logging in", ep->host, ep->port, ep->tls == TLS_NONE ?
		    "" : " over TLS");
		return SMTP_CONFIG;
	}
	return SMTP_OK;
}
