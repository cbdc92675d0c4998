/* normalize: company-name and domain keys for duplicate detection. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "template.h"	/* text_fold */
#include "util.h"

/* Legal forms, folded (lowercase, half-width), removed wherever they stand. */
static const char *legal_forms[] = {
	"株式会社", "(株)", "（株）", "㈱", "有限会社", "(有)", "㈲",
	"合同会社", "合資会社", "合名会社", "一般社団法人", "一般財団法人",
	"税理士法人", "弁護士法人", "監査法人",
};

/* Latin forms, matched as whole words after punctuation is gone. */
static const char *latin_forms[] = {
	"inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "corp",
	"corporation", "co", "company", "gmbh", "ag", "sa", "bv", "kk", "pte",
	"pty", "the",
};

static void
remove_all(char *s, const char *what)
{
	size_t n = strlen(what);
	char *p;

	while ((p = strstr(s, what)) != NULL)
		memmove(p, p + n, strlen(p + n) + 1);
}

char *
normalize_company(const char *name)
{
	char *s = text_fold(name ? name : ""), *w, *out, *tok, *save = NULL;
	const unsigned char *p;
	struct buf b;
	size_t i;

	for (i = 0; i < nitems(legal_forms); i++) {
		char *f = text_fold(legal_forms[i]);
		remove_all(s, f);
		free(f);
	}
	/*
	 * Dots and apostrophes join ("K.K." is "kk"); other ASCII
	 * punctuation breaks words; other bytes are kept.
	 */
	for (w = out = s; *w != '\0'; w++) {
		p = (const unsigned char *)w;
		if (*p == '.' || *p == '\'')
			continue;
		*out++ = *p < 0x80 && !((*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9')) ? ' ' : *w;
	}
	*out = '\0';
	buf_init(&b);
	for (tok = strtok_r(s, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		for (i = 0; i < nitems(latin_forms); i++)
			if (strcmp(tok, latin_forms[i]) == 0)
				break;
		if (i < nitems(latin_forms))
			continue;
		buf_adds(&b, tok);
	}
	free(s);
	out = buf_steal(&b);
	return out;
}

char *
normalize_domain(const char *email)
{
	static const char *freemail[] = {
		"gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.jp",
		"ymail.com", "hotmail.com", "outlook.com", "outlook.jp",
		"live.com", "live.jp", "msn.com", "icloud.com", "me.com",
		"mac.com", "aol.com", "gmx.com", "gmx.de", "mail.com",
		"proton.me", "protonmail.com", "docomo.ne.jp", "ezweb.ne.jp",
		"au.com", "softbank.ne.jp", "i.softbank.jp", "nifty.com",
		"biglobe.ne.jp", "ocn.ne.jp", "so-net.ne.jp", "yandex.ru",
		"qq.com", "163.com", "naver.com",
	};
	const char *at;
	char *d;
	size_t i;

	if (email == NULL || (at = strrchr(email, '@')) == NULL ||
	    at[1] == '\0' || strchr(at + 1, '.') == NULL)
		return NULL;
	d = strtrim(xstrdup(at + 1));
	ascii_lower(d);
	for (i = 0; i < nitems(freemail); i++)
		if (strcmp(d, freemail[i]) == 0) {
			free(d);
			return NULL;
		}
	return d;
}
