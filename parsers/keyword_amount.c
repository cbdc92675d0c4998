/*
 * keyword_amount: the arguments keyword.c reads with patterns: money
 * amounts (integer minor units, never floating point), dates and REF
 * numbers, all on folded text (see keyword.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "keyword.h"
#include "keyword_int.h"
#include "util.h"

#define AMOUNT_MAX 10000000000000LL	/* 10^13 minor units */

/*
 * An amount, on folded text: an optional "約" (about), currency code,
 * sign or symbol, digits with optional comma grouping and decimals, an
 * optional multiplier, an optional currency word.  Possessive digits and
 * the final look-ahead keep "12 000" or "12,000 3 months" from being read
 * as a shorter number.
 */
#define AMOUNT_RE \
	"^(?:約|およそ|approx\\.?|~|〜)?\\s?" \
	"(?:(usd|jpy|eur|gbp|us\\$)\\s?)?([-−▲△])?\\s?([$¥￥\\\\€£])?\\s?" \
	"([-−▲△])?\\s?([0-9]++(?:,[0-9]++)*+)(?:\\.([0-9]++))?+\\s?" \
	"(百万|千|万|億|k|m)?\\s?" \
	"(円|yen|usd|jpy|eur|gbp|ドル|dollars?|ユーロ|euros?|ポンド)?" \
	"(?![\\p{L}\\p{N}_]|\\s[0-9]|[.,][0-9])"
#define DATE_YMD_RE \
	"^([0-9]{4})\\s?[-/.年]\\s?([0-9]{1,2})\\s?[-/.月]\\s?([0-9]{1,2})" \
	"(?:\\s?日)?(?![0-9]|[-/.][0-9])"
#define DATE_MD_RE \
	"^([0-9]{1,2})\\s?[/月]\\s?([0-9]{1,2})(?:\\s?日)?(?![0-9]|[/.][0-9])"
/*
 * A time of day after a date: "14:00", "2pm", "2:30 p.m.", "14時",
 * "14時30分", "14時半", "午後2時", perhaps after a weekday in brackets
 * ("(木)", folded from "（木）").  Groups: 1 a prefix (午前, 午後, am,
 * pm), 2 the hour, 3 minutes after a colon, 4 時, 5 minutes before 分,
 * 6 半, 7 a suffix (am, p.m., ...).
 */
#define TIME_RE \
	"^(?:\\s|,|、)*(?:\\([^()\\s]{1,9}\\)\\s?)?(午前|午後|am|pm)?\\s?" \
	"([0-9]{1,2})(?::([0-9]{2})|\\s?(時)(?:\\s?([0-9]{1,2})\\s?分|" \
	"\\s?(半))?)?\\s?(a\\.?m\\.?|p\\.?m\\.?)?(?![0-9a-z:])"
#define REF_RE "^\\[?ref\\s?[-#]?\\s?([0-9]{1,12})\\]?(?![0-9a-z_])"

static const struct {
	const char *word;
	const char *code;	/* "$" means any dollar: USD, AUD, ... */
} money_words[] = {
	{ "usd", "USD" }, { "us$", "USD" }, { "$", "$" }, { "ドル", "$" },
	{ "dollar", "$" }, { "dollars", "$" },
	{ "jpy", "JPY" }, { "¥", "JPY" }, { "￥", "JPY" }, { "円", "JPY" },
	{ "yen", "JPY" },
	/* Japanese fonts draw the backslash as a yen sign. */
	{ "\\", "JPY" },
	{ "eur", "EUR" }, { "€", "EUR" }, { "euro", "EUR" }, { "euros", "EUR" },
	{ "ユーロ", "EUR" },
	{ "gbp", "GBP" }, { "£", "GBP" }, { "ポンド", "GBP" },
};

static const struct {
	const char *word;
	int exp;
} multipliers[] = {
	{ "k", 3 }, { "千", 3 }, { "万", 4 }, { "m", 6 }, { "百万", 6 },
	{ "億", 8 },
};

static char *
group(const char *s, const size_t *ov, int i)
{
	if (ov[2 * i] == PCRE2_UNSET)
		return NULL;
	return xstrndup(s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
}

const char *
amount_code(const char *currency)
{
	return currency != NULL && *currency != '\0' ? currency : "JPY";
}

static int
minor_digits(const char *code)
{
	if (ascii_strcasecmp(code, "JPY") == 0 ||
	    ascii_strcasecmp(code, "KRW") == 0)
		return 0;
	return 2;
}

int
amount_decimals(const char *currency)
{
	return minor_digits(amount_code(currency));
}

/* Non-zero when a currency word in the amount agrees with the config. */
static int
money_word_ok(const char *word, const char *code)
{
	size_t i, n = strlen(code);

	for (i = 0; i < nitems(money_words); i++)
		if (strcmp(word, money_words[i].word) == 0)
			break;
	if (i == nitems(money_words))
		return 0;
	if (strcmp(money_words[i].code, "$") == 0)
		return n == 3 && (code[2] == 'D' || code[2] == 'd');
	return ascii_strcasecmp(money_words[i].code, code) == 0;
}

/*
 * Reads an amount at the start of folded text f = fold(orig) (orig is
 * quoted in errors).  Returns minor units and sets *end to where it
 * stopped in f; AMOUNT_NONE when f does not start with an amount; -1
 * with *err and *tok when it does but the amount is refused.
 */
int64_t
amount_scan(const char *orig, const char *f, const char *currency,
    size_t *end, enum keyword_err *err, char **tok)
{
	static const int money_groups[] = { 1, 3, 8 };	/* code, symbol, word */
	const char *code = amount_code(currency);
	size_t ov[18], i, len, sig = 0;
	char *g[9], digits[40];
	const char *q;
	int md = minor_digits(code), exp = 0, s, commas;
	int64_t v = 0, result = -1;

	if (rx(AMOUNT_RE, f, ov, 9) <= 0)
		return AMOUNT_NONE;
	*end = ov[1];
	/* g[0], the whole amount, as written; the parts folded. */
	g[0] = xstrndup(orig, (size_t)(orig_pos(orig, f, ov[1]) - orig));
	for (i = 1; i < 9; i++)
		g[i] = group(f, ov, (int)i);
	*err = KWE_NONE;

	if (g[2] != NULL || g[4] != NULL) {
		*err = KWE_AMOUNT_NEGATIVE;
		goto out;
	}
	for (i = 0; i < nitems(money_groups); i++) {
		const char *w = g[money_groups[i]];

		if (w != NULL && !money_word_ok(w, code)) {
			*err = KWE_AMOUNT_CURRENCY;
			goto out;
		}
	}
	/* "1,2000" or "12,00" (a decimal comma) could mean two things. */
	commas = strchr(g[5], ',') != NULL;
	if (commas) {
		q = g[5];
		len = strcspn(q, ",");
		if (len > 3)
			goto ambiguous;
		for (q += len; *q == ','; q += len) {
			len = strcspn(++q, ",");
			if (len != 3)
				goto ambiguous;
		}
	}
	if (g[7] != NULL)
		for (i = 0; i < nitems(multipliers); i++)
			if (strcmp(g[7], multipliers[i].word) == 0)
				exp = multipliers[i].exp;
	/* "12.000" is twelve to some readers and twelve thousand to others. */
	if (g[6] != NULL && strlen(g[6]) == 3 && !commas && exp == 0)
		goto ambiguous;

	s = 0;
	if (g[6] != NULL) {
		s = (int)strlen(g[6]);
		while (s > 0 && g[6][s - 1] == '0')
			s--;
	}
	if (s > exp + md) {
		*err = md == 0 ? KWE_AMOUNT_WHOLE : KWE_AMOUNT_DECIMALS;
		goto out;
	}
	/* The significant digits, then scaled by 10^(exp + md - s). */
	for (q = g[5]; *q != '\0'; q++)
		if (*q != ',' && (sig > 0 || *q != '0')) {
			if (sig == 20)
				goto too_large;
			digits[sig++] = *q;
		}
	for (i = 0; i < (size_t)s; i++)
		if (sig > 0 || g[6][i] != '0') {
			if (sig == 20)
				goto too_large;
			digits[sig++] = g[6][i];
		}
	if (sig > 15)
		goto too_large;
	for (i = 0; i < sig; i++)
		v = v * 10 + (digits[i] - '0');
	for (i = 0; i < (size_t)(exp + md - s); i++) {
		if (v > AMOUNT_MAX)
			goto too_large;
		v *= 10;
	}
	if (v > AMOUNT_MAX)
		goto too_large;
	if (v == 0) {
		*err = KWE_AMOUNT_ZERO;
		goto out;
	}
	result = v;
	goto out;
ambiguous:
	*err = KWE_AMOUNT_AMBIGUOUS;
	goto out;
too_large:
	*err = KWE_AMOUNT_TOO_LARGE;
out:
	if (result < 0)
		*tok = excerpt(g[0]);
	for (i = 0; i < 9; i++)
		free(g[i]);
	return result;
}

int64_t
amount_parse(const char *s, const char *currency, char **errstr)
{
	char *clean = utf8_sanitize(s, strlen(s));
	char *f = fold(clean), *ex, *tok = NULL;
	enum keyword_err err = KWE_NONE;
	size_t end = 0;
	int64_t v;

	v = amount_scan(clean, f, currency, &end, &err, &tok);
	if (v == -1)
		*errstr = amount_err_sentence(err, tok, currency);
	else if (v == AMOUNT_NONE || (v > 0 && f[end] != '\0')) {
		ex = excerpt(clean);
		*errstr = xasprintf("\"%s\" is not an amount; write it like "
		    "1,200,000, ¥1,200,000, 120万円, 12k or USD 12,000.50.",
		    ex);
		free(ex);
		v = -1;
	}
	free(tok);
	free(f);
	free(clean);
	return v;
}

char *
amount_format(int64_t minor, const char *currency)
{
	static const struct {
		const char *code, *sign;
	} signs[] = {
		{ "JPY", "¥" }, { "USD", "$" }, { "EUR", "€" }, { "GBP", "£" },
	};
	const char *code = amount_code(currency), *sign = NULL;
	int md = minor_digits(code), i;
	uint64_t m = minor < 0 ? -(uint64_t)minor : (uint64_t)minor;
	uint64_t unit = 1, whole;
	char num[32];
	struct buf b;
	size_t n, k;

	for (i = 0; i < md; i++)
		unit *= 10;
	for (k = 0; k < nitems(signs); k++)
		if (ascii_strcasecmp(code, signs[k].code) == 0)
			sign = signs[k].sign;
	buf_init(&b);
	if (minor < 0)
		buf_addc(&b, '-');
	if (sign != NULL)
		buf_adds(&b, sign);
	else
		buf_addf(&b, "%s ", code);
	whole = m / unit;
	n = (size_t)snprintf(num, sizeof(num), "%llu",
	    (unsigned long long)whole);
	for (k = 0; k < n; k++) {
		if (k > 0 && (n - k) % 3 == 0)
			buf_addc(&b, ',');
		buf_addc(&b, num[k]);
	}
	if (md > 0)
		buf_addf(&b, ".%0*llu", md, (unsigned long long)(m % unit));
	return buf_steal(&b);
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since an arbitrary epoch; only differences are used. */
static long
day_number(int y, int m, int d)
{
	long n = 365L * y + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;
	int i;

	for (i = 1; i < m; i++)
		n += month_days(y, i);
	return n + d;
}

/*
 * The year that puts month/day nearest today: "12/3" written in January
 * is last December's meeting, written in November it is this one.
 * Returns 0 when no year near today has that day (2/29).
 */
static int
nearest_year(const struct tm *today, int m, int d)
{
	int base = today->tm_year + 1900, y, best = 0;
	long now = day_number(base, today->tm_mon + 1, today->tm_mday);
	long diff, bestdiff = 0;

	for (y = base - 1; y <= base + 1; y++) {
		if (d > month_days(y, m))
			continue;
		diff = labs(day_number(y, m, d) - now);
		if (best == 0 || diff <= bestdiff) {
			best = y;
			bestdiff = diff;
		}
	}
	return best;
}

/*
 * Reads a date at the start of folded text f: 2026-12-03, 2026/12/3,
 * 2026年12月3日, 12/3, 12月3日 (month first).  Returns 1 with iso filled
 * and *end set, 0 when f does not start with a date, -1 when it starts
 * with one that does not exist (*end set).
 */
int
date_scan(const char *f, const struct tm *today, char *iso, size_t isolen,
    size_t *end)
{
	size_t ov[8];
	int y, m, d;

	if (rx(DATE_YMD_RE, f, ov, 4) > 0) {
		y = atoi(f + ov[2]);
		m = atoi(f + ov[4]);
		d = atoi(f + ov[6]);
	} else if (rx(DATE_MD_RE, f, ov, 3) > 0) {
		y = 0;
		m = atoi(f + ov[2]);
		d = atoi(f + ov[4]);
	} else
		return 0;
	*end = ov[1];
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	if (y == 0 && (y = nearest_year(today, m, d)) == 0)
		return -1;
	if (y < 2000 || y > 2099 || d > month_days(y, m))
		return -1;
	snprintf(iso, isolen, "%04d-%02d-%02d", y, m, d);
	return 1;
}

/*
 * Reads a time of day at the start of folded f (the text after a date).
 * Returns 1 with *minute (after midnight) and *end set, 0 when f does
 * not start with one (a bare number is not a time: "12/3 2 people"), -1
 * when it starts with one that does not exist ("25:00", "13pm"; *end
 * set).
 */
int
time_scan(const char *f, int *minute, size_t *end)
{
	size_t ov[16];
	int h, m = 0, pm;
	const char *mer;

	if (rx(TIME_RE, f, ov, 8) <= 0)
		return 0;
	mer = ov[14] != (size_t)-1 ? f + ov[14] : ov[2] != (size_t)-1 ?
	    f + ov[2] : NULL;
	if (mer == NULL && ov[6] == (size_t)-1 && ov[8] == (size_t)-1)
		return 0;
	*end = ov[1];
	h = atoi(f + ov[4]);
	if (ov[6] != (size_t)-1)
		m = atoi(f + ov[6]);
	else if (ov[10] != (size_t)-1)
		m = atoi(f + ov[10]);
	else if (ov[12] != (size_t)-1)
		m = 30;
	if (mer != NULL) {
		if (h > 12)
			return -1;
		pm = *mer == 'p' || strncmp(mer, "午後", 6) == 0;
		h = h % 12 + (pm ? 12 : 0);
	}
	if (h > 23 || m > 59)
		return -1;
	*minute = h * 60 + m;
	return 1;
}

/* Reads "REF-000123" at the start of folded f; returns the id or 0. */
int64_t
ref_scan(const char *f, size_t *end)
{
	size_t ov[4];

	if (rx(REF_RE, f, ov, 2) <= 0)
		return 0;
	*end = ov[1];
	return strtoll(f + ov[2], NULL, 10);
}
