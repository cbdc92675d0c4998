/* smtp: sends one message per call over a reused libcurl handle. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "log.h"
#include "smtp.h"
#include "util.h"

struct smtp {
	CURL *curl;
	char *url;
	const struct config *cfg;
	char errbuf[CURL_ERROR_SIZE];
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

int
smtp_send(struct smtp *s, const char *from, const char *rcpt,
    const char *data, size_t len, char **errstr)
{
	const struct endpoint *ep = &s->cfg->smtp;
	struct curl_slist *rcpts = NULL;
	struct upload up = { data, len, 0 };
	CURLcode cc;
	long code = 0;
	CURL *c = s->curl;

	rcpts = curl_slist_append(rcpts, rcpt);
	s->errbuf[0] = '\0';
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

	*errstr = xasprintf("SMTP %s:%d: %s%s%s (reply %ld)", ep->host,
	    ep->port, curl_easy_strerror(cc), s->errbuf[0] ? ": " : "",
	    s->errbuf, code);
	if (cc == CURLE_LOGIN_DENIED)
		return SMTP_CONFIG;
	if (code >= 500 && code < 600)
		return SMTP_PERM;
	return SMTP_TEMP;
}
