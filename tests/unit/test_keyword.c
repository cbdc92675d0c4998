/*
 * Table-driven tests for staff keywords (against templates/keywords.txt),
 * amounts, the alias file and hostile input.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "classify.h"
#include "keyword.h"
#include "render.h"
#include "util.h"

static struct keyword_table *table;
static struct tm today;		/* 2026-11-15: fixed, for "12/3" */

/* Like EXPECT_STR, but NULL expects NULL. */
#define EXPECT_NSTR(a, b) do { \
	const char *x_ = (a), *y_ = (b); \
	if (y_ == NULL) { \
		if (x_ != NULL) { \
			printf("#   %s:%d: %s is \"%s\", expected NULL\n", \
			    __FILE__, __LINE__, #a, x_); \
			check_cur_failed = 1; \
		} \
	} else \
		EXPECT_STR(x_, y_); \
} while (0)

struct kcase {
	const char *name;
	const char *text;
	const char *currency;	/* NULL: JPY */
	int rc;
	enum kw kw;
	const char *arg;	/* NULL: expect none */
	int64_t amount;
	const char *date;	/* NULL: expect none */
	int64_t ref;
	const char *words;	/* cmd->text; NULL: expect none */
	const char *relay;	/* NULL: not checked */
	const char *error;	/* substring; NULL: expect no error */
};

static const struct kcase kcases[] = {
	/* Every keyword and alias. */
	{ "CONTACTED", "CONTACTED\n", NULL, 0, KW_CONTACTED, NULL, -1, NULL,
	    0, NULL, "", NULL },
	{ "alias 連絡済", "連絡済\n", NULL, 0, KW_CONTACTED, NULL, -1, NULL, 0,
	    NULL, "", NULL },
	{ "longest alias 連絡済み", "連絡済み", NULL, 0, KW_CONTACTED, NULL, -1,
	    NULL, 0, NULL, "", NULL },
	{ "CONTACTED with words", "CONTACTED: spoke with Tanaka-san", NULL, 0,
	    KW_CONTACTED, "spoke with Tanaka-san", -1, NULL, 0,
	    "spoke with Tanaka-san", "", NULL },
	{ "MEETING ISO date", "MEETING 2026-12-03\n", NULL, 0, KW_MEETING,
	    "2026-12-03", -1, "2026-12-03", 0, NULL, "", NULL },
	{ "MEETING slashes", "MEETING 2026/12/3", NULL, 0, KW_MEETING,
	    "2026/12/3", -1, "2026-12-03", 0, NULL, NULL, NULL },
	{ "MEETING month/day this year", "meeting 12/3 14:00", NULL, 0,
	    KW_MEETING, "12/3 14:00", -1, "2026-12-03", 0, NULL, NULL,
	    NULL },
	{ "MEETING month/day next year", "MEETING 1/10", NULL, 0, KW_MEETING,
	    "1/10", -1, "2027-01-10", 0, NULL, NULL, NULL },
	{ "面談 12月3日", "面談 12月3日 14時から", NULL, 0, KW_MEETING,
	    "12月3日 14時から", -1, "2026-12-03", 0, "から", NULL, NULL },
	{ "面談 2026年12月3日（木）", "面談：2026年12月3日（木）", NULL, 0,
	    KW_MEETING, "2026年12月3日（木）", -1, "2026-12-03", 0, "（木）",
	    NULL, NULL },
	{ "MEETING next week kept as text", "MEETING next week", NULL, 0,
	    KW_MEETING, "next week", -1, NULL, 0, "next week", NULL, NULL },
	{ "MEETING without date", "MEETING", NULL, 0, KW_MEETING, NULL, -1,
	    NULL, 0, NULL, "", NULL },
	{ "MEETING impossible date", "MEETING 2026-13-40", NULL, 0,
	    KW_MEETING, "2026-13-40", -1, NULL, 0, NULL, NULL,
	    "not a valid date" },
	{ "MEETING 2/30", "MEETING 2/30", NULL, 0, KW_MEETING, "2/30", -1,
	    NULL, 0, NULL, NULL, "not a valid date" },
	{ "PROPOSAL without amount", "PROPOSAL", NULL, 0, KW_PROPOSAL, NULL,
	    -1, NULL, 0, NULL, "", NULL },
	{ "提案 150万円", "提案 150万円", NULL, 0, KW_PROPOSAL, "150万円",
	    1500000, NULL, 0, NULL, NULL, NULL },
	{ "PROPOSAL with words only", "PROPOSAL sent by email", NULL, 0,
	    KW_PROPOSAL, "sent by email", -1, NULL, 0, "sent by email", NULL,
	    NULL },
	{ "PROPOSAL negative", "PROPOSAL -5000", NULL, 0, KW_PROPOSAL,
	    "-5000", -1, NULL, 0, NULL, NULL, "cannot be negative" },
	{ "PROPOSAL unreadable", "PROPOSAL 12,00", NULL, 0, KW_PROPOSAL,
	    "12,00", -1, NULL, 0, NULL, NULL, "ambiguous" },
	{ "WON plain", "WON 12000", NULL, 0, KW_WON, "12000", 12000, NULL, 0,
	    NULL, "", NULL },
	{ "成約 with space", "成約 1,200,000円", NULL, 0, KW_WON, "1,200,000円",
	    1200000, NULL, 0, NULL, NULL, NULL },
	{ "成約 without space", "成約1,200,000円", NULL, 0, KW_WON,
	    "1,200,000円", 1200000, NULL, 0, NULL, NULL, NULL },
	{ "WON with scope", "成約 1,200,000円 website redesign", NULL, 0,
	    KW_WON, "1,200,000円 website redesign", 1200000, NULL, 0,
	    "website redesign", NULL, NULL },
	{ "WON with brackets after", "WON: ¥1,200,000 (税抜)", NULL, 0, KW_WON,
	    "¥1,200,000 (税抜)", 1200000, NULL, 0, "(税抜)", NULL, NULL },
	{ "WON USD decimals", "WON 12,000.50", "USD", 0, KW_WON, "12,000.50",
	    1200050, NULL, 0, NULL, NULL, NULL },
	{ "WON without space", "WON12000", NULL, 0, KW_WON, "12000", 12000,
	    NULL, 0, NULL, NULL, NULL },
	{ "WON dash separator", "WON - 1,200,000", NULL, 0, KW_WON,
	    "1,200,000", 1200000, NULL, 0, NULL, NULL, NULL },
	{ "WON negative", "WON -1,200,000", NULL, 0, KW_WON, "-1,200,000", -1,
	    NULL, 0, NULL, NULL, "cannot be negative" },
	{ "WON missing amount", "WON\nGreat news!", NULL, 0, KW_WON, NULL, -1,
	    NULL, 0, NULL, "Great news!", "WON needs an amount" },
	{ "WON words instead of amount", "WON great news", NULL, 0, KW_WON,
	    "great news", -1, NULL, 0, NULL, NULL, "is not an amount" },
	{ "WON wrong currency", "WON $12,000", NULL, 0, KW_WON, "$12,000", -1,
	    NULL, 0, NULL, NULL, "not in JPY" },
	{ "WON other currency quoted as written",
	    "WON ＵＳＤ　１２，０００", NULL, 0, KW_WON, "ＵＳＤ　１２，０００",
	    -1, NULL, 0, NULL, NULL,
	    "\"ＵＳＤ　１２，０００\" is not in JPY" },
	{ "WON zero", "WON 0", NULL, 0, KW_WON, "0", -1, NULL, 0, NULL, NULL,
	    "more than zero" },
	{ "LOST reason on the line", "LOST budget cut", NULL, 0, KW_LOST,
	    "budget cut", -1, NULL, 0, "budget cut", "", NULL },
	{ "失注 full-width colon", "失注：予算が合わない", NULL, 0, KW_LOST,
	    "予算が合わない", -1, NULL, 0, "予算が合わない", NULL, NULL },
	{ "LOST reason on the next line", "LOST\n\nThe client chose in-house."
	    "\nThanks anyway.\n", NULL, 0, KW_LOST, NULL, -1, NULL, 0,
	    "The client chose in-house.",
	    "The client chose in-house.\nThanks anyway.", NULL },
	{ "LOST without reason", "LOST\n\n", NULL, 0, KW_LOST, NULL, -1, NULL,
	    0, NULL, "", "LOST needs a reason" },
	{ "DECLINED reason", "DECLINED not a fit: too small", NULL, 0,
	    KW_DECLINED, "not a fit: too small", -1, NULL, 0,
	    "not a fit: too small", NULL, NULL },
	{ "見送り reason", "見送り 今回は対象外です", NULL, 0, KW_DECLINED,
	    "今回は対象外です", -1, NULL, 0, "今回は対象外です", NULL, NULL },
	{ "DECLINED without reason", "DECLINED.", NULL, 0, KW_DECLINED, NULL,
	    -1, NULL, 0, NULL, NULL, "DECLINED needs a reason" },
	{ "NOTE text", "NOTE call back in January", NULL, 0, KW_NOTE,
	    "call back in January", -1, NULL, 0, "call back in January", NULL,
	    NULL },
	{ "メモ text", "メモ　社内確認中", NULL, 0, KW_NOTE, "社内確認中", -1,
	    NULL, 0, "社内確認中", NULL, NULL },
	{ "NOTE empty is allowed", "NOTE", NULL, 0, KW_NOTE, NULL, -1, NULL, 0,
	    NULL, "", NULL },
	{ "REOPEN", "REOPEN", NULL, 0, KW_REOPEN, NULL, -1, NULL, 0, NULL, "",
	    NULL },
	{ "再開", "再開\n", NULL, 0, KW_REOPEN, NULL, -1, NULL, 0, NULL, "",
	    NULL },
	{ "STATUS", "STATUS?", NULL, 0, KW_STATUS, NULL, -1, NULL, 0, NULL, "",
	    NULL },
	{ "状況 REF", "状況 REF-000123", NULL, 0, KW_STATUS, "REF-000123", -1,
	    NULL, 123, NULL, NULL, NULL },
	{ "STATUS with words", "Status update please", NULL, 0, KW_STATUS,
	    "update please", -1, NULL, 0, "update please", NULL, NULL },
	{ "UNSUBSCRIBE", "unsubscribe", NULL, 0, KW_UNSUBSCRIBE, NULL, -1,
	    NULL, 0, NULL, "", NULL },
	{ "配信停止", "配信停止", NULL, 0, KW_UNSUBSCRIBE, NULL, -1, NULL, 0,
	    NULL, "", NULL },
	{ "CREDIT REF", "CREDIT REF-000123", NULL, 0, KW_CREDIT, "REF-000123",
	    -1, NULL, 123, NULL, NULL, NULL },
	{ "CREDIT bracketed tag", "CREDIT [REF-000077] first partner", NULL,
	    0, KW_CREDIT, "[REF-000077] first partner", -1, NULL, 77,
	    "first partner", NULL, NULL },
	{ "CREDIT missing REF", "CREDIT", NULL, 0, KW_CREDIT, NULL, -1, NULL,
	    0, NULL, NULL, "CREDIT needs the referral" },
	{ "CREDIT with words", "CREDIT Acme Partners", NULL, 0, KW_CREDIT,
	    "Acme Partners", -1, NULL, 0, "Acme Partners", NULL,
	    "CREDIT needs the referral" },
	{ "売上", "売上 50,000円", NULL, 0, KW_REVENUE, "50,000円", 50000, NULL,
	    0, NULL, NULL, NULL },
	{ "REVENUE missing amount", "REVENUE", NULL, 0, KW_REVENUE, NULL, -1,
	    NULL, 0, NULL, NULL, "REVENUE needs an amount" },
	{ "AMEND amount", "AMEND 1,200,000", NULL, 0, KW_AMEND, "1,200,000",
	    1200000, NULL, 0, NULL, NULL, NULL },
	{ "AMEND amount and why", "amend ¥1,200,000 typo in the WON", NULL, 0,
	    KW_AMEND, "¥1,200,000 typo in the WON", 1200000, NULL, 0,
	    "typo in the WON", NULL, NULL },
	{ "訂正 man-yen", "訂正 120万円", NULL, 0, KW_AMEND, "120万円", 1200000,
	    NULL, 0, NULL, NULL, NULL },
	{ "訂正 full-width", "訂正　１２０万円　桁の誤り", NULL, 0, KW_AMEND,
	    "１２０万円　桁の誤り", 1200000, NULL, 0, "桁の誤り", NULL, NULL },
	{ "AMEND missing amount", "AMEND\nthe figure was wrong", NULL, 0,
	    KW_AMEND, NULL, -1, NULL, 0, NULL, "the figure was wrong",
	    "AMEND needs an amount" },
	{ "AMEND words instead of amount", "AMEND the scope", NULL, 0,
	    KW_AMEND, "the scope", -1, NULL, 0, NULL, NULL,
	    "is not an amount" },
	{ "AMEND negative", "訂正 -5万円", NULL, 0, KW_AMEND, "-5万円", -1,
	    NULL, 0, NULL, NULL, "cannot be negative" },

	/* ASSIGN: the person on the keyword line; the lines below stay. */
	{ "ASSIGN address", "ASSIGN yamamoto@firm.example", NULL, 0,
	    KW_ASSIGN, "yamamoto@firm.example", -1, NULL, 0,
	    "yamamoto@firm.example", "", NULL },
	{ "担当 name and a note", "担当 山本\n\nShe knows them.", NULL, 0,
	    KW_ASSIGN, "山本", -1, NULL, 0, "山本", "She knows them.", NULL },
	{ "ASSIGN without a person", "ASSIGN\nyamamoto", NULL, 0, KW_ASSIGN,
	    NULL, -1, NULL, 0, NULL, "yamamoto", "ASSIGN needs the person" },

	/* Case, full width, punctuation, bold. */
	{ "lower case", "contacted", NULL, 0, KW_CONTACTED, NULL, -1, NULL, 0,
	    NULL, NULL, NULL },
	{ "full-width upper", "ＣＯＮＴＡＣＴＥＤ", NULL, 0, KW_CONTACTED, NULL,
	    -1, NULL, 0, NULL, NULL, NULL },
	{ "full-width lower and U+3000", "ｗｏｎ　１，２００，０００", NULL, 0,
	    KW_WON, "１，２００，０００", 1200000, NULL, 0, NULL, NULL, NULL },
	{ "full-width colon and 万", "ＷＯＮ：１２０万円", NULL, 0, KW_WON,
	    "１２０万円", 1200000, NULL, 0, NULL, NULL, NULL },
	{ "full-width yen sign", "won ￥１，２００，０００", NULL, 0, KW_WON,
	    "￥１，２００，０００", 1200000, NULL, 0, NULL, NULL, NULL },
	{ "trailing full stop", "CONTACTED.", NULL, 0, KW_CONTACTED, NULL, -1,
	    NULL, 0, NULL, NULL, NULL },
	{ "bold keyword", "**WON** 1,200,000", NULL, 0, KW_WON, "1,200,000",
	    1200000, NULL, 0, NULL, NULL, NULL },
	{ "bold line", "**WON 12000**", NULL, 0, KW_WON, "12000", 12000, NULL,
	    0, NULL, NULL, NULL },
	{ "single star", "*CONTACTED*", NULL, 0, KW_CONTACTED, NULL, -1, NULL,
	    0, NULL, NULL, NULL },
	{ "no-break space", "WON\xc2\xa0" "12000", NULL, 0, KW_WON, "12000",
	    12000, NULL, 0, NULL, NULL, NULL },
	{ "leading blank lines", "\n \t\n\xe3\x80\x80\nMEETING 2026-12-03\n",
	    NULL, 0, KW_MEETING, "2026-12-03", -1, "2026-12-03", 0, NULL, "",
	    NULL },

	/* Whole words only. */
	{ "WONDERFUL is not WON", "WONDERFUL news", NULL, -1, KW_NONE, NULL,
	    -1, NULL, 0, NULL, NULL, "is not a keyword; known: CONTACTED" },
	{ "NOTES is not NOTE", "NOTES from the call", NULL, -1, KW_NONE, NULL,
	    -1, NULL, 0, NULL, NULL, "is not a keyword" },
	{ "REOPENED is not REOPEN", "Reopened", NULL, -1, KW_NONE, NULL, -1,
	    NULL, 0, NULL, NULL, "is not a keyword" },
	{ "メモリ is not メモ", "メモリ増設の件", NULL, -1, KW_NONE, NULL, -1,
	    NULL, 0, NULL, NULL, "is not a keyword" },
	{ "提案書 is not 提案", "提案書を送付しました", NULL, -1, KW_NONE, NULL,
	    -1, NULL, 0, NULL, NULL, "Write 提案 alone" },
	{ "成約しました hints", "成約しました 120万円", NULL, -1, KW_NONE, NULL,
	    -1, NULL, 0, NULL, NULL, "Write 成約 alone" },
	{ "keyword not first", "I think we WON 12000", NULL, -1, KW_NONE,
	    NULL, -1, NULL, 0, NULL, NULL, "\"I think we WON 12000\" is not" },
	{ "known list shows aliases", "Hello", NULL, -1, KW_NONE, NULL, -1,
	    NULL, 0, NULL, NULL, "WON (成約)" },

	/* Relay text. */
	{ "relay trimmed", "WON 1,200,000\nThanks for the referral!\n\nWe "
	    "start in January.\n\n \n", NULL, 0, KW_WON, "1,200,000", 1200000,
	    NULL, 0, NULL, "Thanks for the referral!\n\nWe start in January.",
	    NULL },
	{ "relay CRLF", "CONTACTED\r\n\r\nSpoke today.\r\nCall Friday.\r\n\r\n",
	    NULL, 0, KW_CONTACTED, NULL, -1, NULL, 0, NULL,
	    "Spoke today.\nCall Friday.", NULL },
	{ "relay keeps Japanese", "連絡済\n本日お電話しました。\n", NULL, 0,
	    KW_CONTACTED, NULL, -1, NULL, 0, NULL, "本日お電話しました。",
	    NULL },

	/* Empty and hostile. */
	{ "empty", "", NULL, -1, KW_NONE, NULL, -1, NULL, 0, NULL, NULL,
	    "empty" },
	{ "blank lines only", "\n\xe3\x80\x80\n\t\r\n", NULL, -1, KW_NONE,
	    NULL, -1, NULL, 0, NULL, NULL, "empty" },
	{ "stars only", "**", NULL, -1, KW_NONE, NULL, -1, NULL, 0, NULL,
	    NULL, "is not a keyword" },
	{ "invalid UTF-8 before", "\xffWON 1", NULL, -1, KW_NONE, NULL, -1,
	    NULL, 0, NULL, NULL, "is not a keyword" },
	{ "invalid UTF-8 after", "WON \xff\xfe", NULL, 0, KW_WON,
	    "\xef\xbf\xbd\xef\xbf\xbd", -1, NULL, 0, NULL, NULL,
	    "is not an amount" },
	{ "invalid UTF-8 joined", "WON\xff", NULL, -1, KW_NONE, NULL, -1, NULL,
	    0, NULL, NULL, "is not a keyword" },
};

static const struct kcase *kcur;

static void
test_keyword_case(void)
{
	struct keyword_cmd cmd;
	int rc;

	rc = keyword_parse(table, kcur->text, kcur->currency, &today, &cmd);
	EXPECT(rc == kcur->rc);
	EXPECT(cmd.kw == kcur->kw);
	/* The help text starts with the canonical name. */
	EXPECT(strncmp(keyword_arg_help(kcur->kw), cmd.name,
	    strlen(cmd.name)) == 0);
	EXPECT(*cmd.name != '\0' || kcur->kw == KW_NONE);
	EXPECT_NSTR(cmd.arg, kcur->arg);
	if (cmd.amount_minor != kcur->amount)
		printf("#   amount %lld, expected %lld\n",
		    (long long)cmd.amount_minor, (long long)kcur->amount);
	EXPECT(cmd.amount_minor == kcur->amount);
	EXPECT_NSTR(cmd.date, kcur->date);
	EXPECT(cmd.ref == kcur->ref);
	EXPECT_NSTR(cmd.text, kcur->words);
	if (kcur->relay != NULL)
		EXPECT_STR(cmd.relay, kcur->relay);
	if (kcur->error != NULL)
		EXPECT_CONTAINS(cmd.error, kcur->error);
	else
		EXPECT_NSTR(cmd.error, NULL);
	if (cmd.error != NULL)
		EXPECT(utf8_valid(cmd.error, strlen(cmd.error)));
	keyword_cmd_free(&cmd);
}

struct acase {
	const char *in;
	const char *currency;
	int64_t want;		/* -1: refused */
	const char *error;	/* substring when refused */
};

static const struct acase acases[] = {
	{ "12000", "JPY", 12000, NULL },
	{ "12,000", "JPY", 12000, NULL },
	{ "12,000.50", "USD", 1200050, NULL },
	{ "¥1,200,000", "JPY", 1200000, NULL },
	{ "￥1,200,000", "JPY", 1200000, NULL },
	{ "1,200,000円", "JPY", 1200000, NULL },
	{ "120万円", "JPY", 1200000, NULL },
	{ "1.5万", "JPY", 15000, NULL },
	{ "12k", "USD", 1200000, NULL },
	{ "12K", "JPY", 12000, NULL },
	{ "1.2m", "JPY", 1200000, NULL },
	{ "1.2M", "USD", 120000000, NULL },
	{ "$12,000", "USD", 1200000, NULL },
	{ "USD 12,000", "USD", 1200000, NULL },
	{ "JPY 1200000", "JPY", 1200000, NULL },
	{ "12000 USD", "USD", 1200000, NULL },
	{ "１２，０００", "JPY", 12000, NULL },
	{ "＄１２，０００．５０", "USD", 1200050, NULL },
	{ "€5.50", "EUR", 550, NULL },
	{ "\\1,200,000", "JPY", 1200000, NULL },
	{ "3百万円", "JPY", 3000000, NULL },
	{ "1億", "JPY", 100000000, NULL },
	{ "0.05", "USD", 5, NULL },
	{ "約300万円", "JPY", 3000000, NULL },
	{ "1,200,000.00", "JPY", 1200000, NULL },
	{ "10000000000000", "JPY", 10000000000000LL, NULL },
	{ "12000", NULL, 12000, NULL },
	{ "12 000", "JPY", -1, "is not an amount" },
	{ "1,2000", "JPY", -1, "ambiguous" },
	{ "12,00", "EUR", -1, "ambiguous" },
	{ "12.000", "JPY", -1, "ambiguous" },
	{ "12.345", "USD", -1, "ambiguous" },
	{ "12.5", "JPY", -1, "whole numbers" },
	{ "1,234.567", "USD", -1, "at most 2 decimals" },
	{ "-12000", "JPY", -1, "negative" },
	{ "▲12000", "JPY", -1, "negative" },
	{ "0", "JPY", -1, "more than zero" },
	{ "0.00", "USD", -1, "more than zero" },
	{ "10000000000001", "JPY", -1, "too large" },
	{ "100000000001", "USD", -1, "too large" },
	{ "99999999999999999999999999", "JPY", -1, "too large" },
	{ "$12,000", "JPY", -1, "not in JPY" },
	{ "12,000円", "USD", -1, "not in USD" },
	{ "1億2000万円", "JPY", -1, "is not an amount" },
	{ "12 apples", "JPY", -1, "is not an amount" },
	{ "", "JPY", -1, "is not an amount" },
	{ "12kg", "JPY", -1, "is not an amount" },
};

static const struct acase *acur;

static void
test_amount_case(void)
{
	char *err = NULL;
	int64_t v = amount_parse(acur->in, acur->currency, &err);

	if (v != acur->want)
		printf("#   got %lld (%s)\n", (long long)v, err ? err : "");
	EXPECT(v == acur->want);
	if (acur->error != NULL)
		EXPECT_CONTAINS(err, acur->error);
	else
		EXPECT(err == NULL);
	free(err);
}

static const struct {
	int64_t minor;
	const char *currency;
	const char *want;
} fcases[] = {
	{ 1200000, "JPY", "¥1,200,000" },
	{ 1200000, "USD", "$12,000.00" },
	{ 550, "EUR", "€5.50" },
	{ 5, "USD", "$0.05" },
	{ 999, "JPY", "¥999" },
	{ 123456, "CHF", "CHF 1,234.56" },
	{ -1500, "JPY", "-¥1,500" },
};

static void
test_amount_format(void)
{
	size_t i;

	for (i = 0; i < nitems(fcases); i++) {
		char *s = amount_format(fcases[i].minor, fcases[i].currency);
		EXPECT_STR(s, fcases[i].want);
		free(s);
	}
}

static void
test_format_parse_round_trip(void)
{
	static const char *cur[] = { "JPY", "USD", "EUR" };
	static const int64_t v[] = { 1, 99, 1000, 1234567, 10000000000000LL };
	size_t i, j;

	for (i = 0; i < nitems(cur); i++)
		for (j = 0; j < nitems(v); j++) {
			char *s = amount_format(v[j], cur[i]), *err = NULL;
			EXPECT(amount_parse(s, cur[i], &err) == v[j]);
			free(err);
			free(s);
		}
}

static const struct {
	const char *name;
	const char *text;
	const char *error;
} tcases[] = {
	{ "alias file: unknown keyword", "WON = 成約\nFOO = bar\n",
	    "2: unknown keyword 'FOO'" },
	{ "alias file: alias used twice", "WON = 成約\n# c\nLOST = 成約\n",
	    "3: alias '成約' is already used by WON" },
	{ "alias file: space in alias", "\n\nWON = a b\n",
	    "3: alias 'a b' may not contain a space" },
	{ "alias file: section", "[x]\nWON = y\n",
	    "2: the keyword file has no [sections]" },
	{ "alias file: keyword twice", "WON = 成約\nWON = 受注\n",
	    "2: WON is already listed on line 1" },
	{ "alias file: alias is another keyword", "LOST = declined\n",
	    "1: alias 'declined' is the keyword DECLINED itself" },
	{ "alias file: alias starts with digit", "WON = 1st\n",
	    "1: alias '1st' may not start with a digit" },
	{ "alias file: no equals sign", "WON = a\nLOST 失注\n",
	    "2: expected 'key = value'" },
	{ "alias file: invalid UTF-8", "WON = \xff\n",
	    "1: file is not valid UTF-8" },
};

static size_t tcur;

static void
test_table_error(void)
{
	struct keyword_table *t = NULL;
	char *err = NULL;
	const char *s = tcases[tcur].text;

	EXPECT(keyword_table_parse(s, strlen(s), &t, &err) == -1);
	EXPECT(t == NULL);
	EXPECT_CONTAINS(err, tcases[tcur].error);
	free(err);
}

static void
test_custom_aliases(void)
{
	const char *s = "# mine\nwon = win, 受注\nLOST = lost, ＤＯＷＮ\n"
	    "CONTACTED =\n";
	struct keyword_table *t = NULL;
	struct keyword_cmd cmd;
	char *err = NULL;

	EXPECT(keyword_table_parse(s, strlen(s), &t, &err) == 0);
	EXPECT(err == NULL);
	EXPECT(keyword_parse(t, "ＷＩＮ 5k", "USD", &today, &cmd) == 0);
	EXPECT(cmd.kw == KW_WON && cmd.amount_minor == 500000);
	keyword_cmd_free(&cmd);
	EXPECT(keyword_parse(t, "受注 5000", NULL, &today, &cmd) == 0);
	EXPECT(cmd.kw == KW_WON && cmd.amount_minor == 5000);
	keyword_cmd_free(&cmd);
	EXPECT(keyword_parse(t, "down: no budget", NULL, &today,
	    &cmd) == 0);
	EXPECT(cmd.kw == KW_LOST);
	EXPECT_NSTR(cmd.text, "no budget");
	keyword_cmd_free(&cmd);
	/* Aliases not in this file are not known. */
	EXPECT(keyword_parse(t, "成約 1", NULL, &today, &cmd) == -1);
	keyword_cmd_free(&cmd);
	keyword_table_free(t);
}

static void
test_null_table_knows_english(void)
{
	struct keyword_cmd cmd;

	EXPECT(keyword_parse(NULL, "WON 1", NULL, &today, &cmd) == 0);
	EXPECT(cmd.kw == KW_WON && cmd.amount_minor == 1);
	keyword_cmd_free(&cmd);
	EXPECT(keyword_parse(NULL, "成約 1", NULL, &today, &cmd) == -1);
	EXPECT_CONTAINS(cmd.error, "known: CONTACTED, MEETING");
	keyword_cmd_free(&cmd);
}

static void
test_year_less_date_last_year(void)
{
	struct tm jan = today;
	struct keyword_cmd cmd;

	jan.tm_year = 2027 - 1900;
	jan.tm_mon = 0;
	jan.tm_mday = 10;
	/* Written on 10 January: the meeting was last December. */
	EXPECT(keyword_parse(table, "MEETING 12/20", NULL, &jan,
	    &cmd) == 0);
	EXPECT_NSTR(cmd.date, "2026-12-20");
	keyword_cmd_free(&cmd);
	/* 2/29 only exists in 2028, which is nearest from 2027-01-10. */
	EXPECT(keyword_parse(table, "MEETING 2/29", NULL, &jan,
	    &cmd) == 0);
	EXPECT_NSTR(cmd.date, "2028-02-29");
	keyword_cmd_free(&cmd);
}

/* A date with its year is taken as written, whatever day today is. */
static void
test_full_date_ignores_today(void)
{
	struct tm later = today;
	struct keyword_cmd cmd;

	later.tm_year = 2031 - 1900;
	EXPECT(keyword_parse(table, "MEETING 2026-12-03", "JPY", &later,
	    &cmd) == 0);
	EXPECT_NSTR(cmd.date, "2026-12-03");
	keyword_cmd_free(&cmd);
}

static void
test_arg_help(void)
{
	int k;

	EXPECT_STR(keyword_arg_help(KW_NONE), "");
	for (k = KW_CONTACTED; k <= KW_AMEND; k++) {
		const char *h = keyword_arg_help((enum kw)k);
		EXPECT(h != NULL && *h >= 'A' && *h <= 'Z');
	}
	EXPECT_STR(keyword_arg_help(KW_WON), "WON <amount> [scope]");
	EXPECT_STR(keyword_arg_help(KW_AMEND), "AMEND <amount> [why]");
	EXPECT(keyword_arg(KW_LOST) == KW_ARG_TEXT_REQUIRED);
	EXPECT(keyword_arg(KW_CREDIT) == KW_ARG_REF);
}

static char *
repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_adds(&b, head);
	for (i = 0; i < n; i++)
		buf_adds(&b, unit);
	buf_adds(&b, tail);
	return buf_steal(&b);
}

static void
test_hostile_long_line(void)
{
	char *s = repeat("", "A", 1 << 20, "\nWON 1\n");
	struct keyword_cmd cmd;

	EXPECT(keyword_parse(table, s, NULL, &today, &cmd) == -1);
	/* The error quotes an excerpt, not the megabyte. */
	EXPECT(cmd.error != NULL && strlen(cmd.error) < 2000);
	keyword_cmd_free(&cmd);
	free(s);
}

static void
test_hostile_long_amounts(void)
{
	static const char *units[] = { "9", "1,", "1.", "万", "ｋ", "\xff" };
	struct keyword_cmd cmd;
	size_t i;

	for (i = 0; i < nitems(units); i++) {
		char *s = repeat("WON ", units[i], 200000, " x\n");
		EXPECT(keyword_parse(table, s, "USD", &today, &cmd) == 0);
		EXPECT(cmd.kw == KW_WON && cmd.amount_minor == -1);
		EXPECT(cmd.error != NULL && strlen(cmd.error) < 2000);
		keyword_cmd_free(&cmd);
		free(s);
	}
}

static void
test_hostile_long_note_and_relay(void)
{
	char *s = repeat("NOTE ", "あ", 300000, "\n\xfe\xfe\n");
	char *blanks = repeat("", "\n \xe3\x80\x80", 100000, "連絡済\nok\n");
	struct keyword_cmd cmd;

	EXPECT(keyword_parse(table, s, NULL, &today, &cmd) == 0);
	EXPECT(cmd.kw == KW_NOTE && cmd.text != NULL &&
	    strlen(cmd.text) == 900000);
	/* Invalid bytes never come back out. */
	EXPECT(utf8_valid(cmd.relay, strlen(cmd.relay)));
	keyword_cmd_free(&cmd);
	EXPECT(keyword_parse(table, blanks, NULL, &today, &cmd) == 0);
	EXPECT(cmd.kw == KW_CONTACTED);
	EXPECT_NSTR(cmd.relay, "ok");
	keyword_cmd_free(&cmd);
	free(blanks);
	free(s);
}

static void
test_default_file_aliases(void)
{
	static const struct {
		const char *word;
		enum kw kw;
	} want[] = {
		{ "連絡済", KW_CONTACTED }, { "面談", KW_MEETING },
		{ "提案", KW_PROPOSAL }, { "成約 1", KW_WON },
		{ "失注 x", KW_LOST }, { "見送り x", KW_DECLINED },
		{ "メモ", KW_NOTE }, { "再開", KW_REOPEN },
		{ "状況", KW_STATUS }, { "配信停止", KW_UNSUBSCRIBE },
		{ "CREDIT REF-1", KW_CREDIT }, { "売上 1", KW_REVENUE },
		{ "訂正 1", KW_AMEND },
		{ "テンプレート", KW_TEMPLATE }, { "help", KW_TEMPLATE },
		{ "ヘルプ", KW_TEMPLATE }, { "紹介先 p@firm.example", KW_GIVEN },
	};
	struct keyword_cmd cmd;
	size_t i;

	for (i = 0; i < nitems(want); i++) {
		EXPECT(keyword_parse(table, want[i].word, NULL, &today,
		    &cmd) == 0);
		EXPECT(cmd.kw == want[i].kw);
		EXPECT(cmd.error == NULL);
		keyword_cmd_free(&cmd);
	}
}

/* A partner's new mail: a request for the blank form, or a referral. */
static void
test_form_request(void)
{
	static const struct {
		const char *what, *subject, *text;
		size_t nvalues;
		int want;
	} cases[] = {
		{ "TEMPLATE alone", "", "TEMPLATE\n", 0, 1 },
		{ "lower case, a please", "x", "template please\n", 0, 1 },
		{ "HELP with a question mark", NULL, "Help?\n", 0, 1 },
		{ "full width", "", "ＴＥＭＰＬＡＴＥ\n", 0, 1 },
		{ "Japanese alias", "", "テンプレート\n", 0, 1 },
		{ "Japanese with please", "", "ヘルプ お願いします。\n", 0, 1 },
		{ "bold from HTML", "", "**TEMPLATE**\n", 0, 1 },
		{ "keyword, then a greeting and a name", "",
		    "TEMPLATE\n\nThanks,\nTaro Yamada\nYamada Consulting\n", 0,
		    1 },
		{ "in the subject, body empty", "TEMPLATE", "", 0, 1 },
		{ "in the subject, a short body", "テンプレート",
		    "よろしくお願いします。\n山田\n", 0, 1 },
		{ "help in the body of a referral", "Referral",
		    "Hi,\nthis client needs help with an audit.\n", 0, 0 },
		{ "help first, then a referral's words", "",
		    "Help with an audit for Acme\n", 0, 0 },
		{ "keyword alone, but a referral follows", "",
		    "HELP\nClient: Acme\nContact name: Jane\n", 2, 0 },
		{ "keyword, then a long free text", "",
		    "Help\nOur client Acme is growing fast.\nThey need audit.\n"
		    "Jane is the CFO.\nShe knows we write.\nBudget is fine.\n"
		    "Timeline: Q1.\n", 0, 0 },
		{ "subject help with words", "Help with Acme", "", 0, 0 },
		{ "subject keyword, a referral below", "HELP",
		    "Client: Acme\nContact name: Jane\n", 2, 0 },
		{ "a word that only starts like it", "", "Helpful client\n", 0,
		    0 },
		{ "Japanese alias running into a word", "",
		    "テンプレートを使いました\n", 0, 0 },
		{ "another keyword", "", "STATUS REF-000001\n", 0, 0 },
	};
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		int got = classify_form_request(table, cases[i].subject,
		    cases[i].text, cases[i].nvalues);
		if (!got != !cases[i].want) {
			printf("#   %s: got %d\n", cases[i].what, got);
			check_cur_failed = 1;
		}
	}
}

/* Issue 19.4: GIVEN partner@... with the form below it, by mail. */
static void
test_given_mail(void)
{
	static const struct {
		const char *what, *subject, *text;
		int is;
		const char *partner, *client, *contact, *note, *error;
	} cases[] = {
		{ "keyword line and the form", NULL,
		    "GIVEN partner@firm.example\nClient: Acme KK\n"
		    "Contact: cfo@acme.example\nNote: tax advice\n", 1,
		    "partner@firm.example", "Acme KK", "cfo@acme.example",
		    "tax advice", NULL },
		{ "Japanese alias, full-width colon and labels", NULL,
		    "紹介先　<tanaka@firm.example>\n顧客：山田商事\n"
		    "連絡先：yamada@yamada.example\n備考：相続の相談\n", 1,
		    "tanaka@firm.example", "山田商事", "yamada@yamada.example",
		    "相続の相談", NULL },
		{ "in the subject, the form in the body",
		    "given partner@firm.example", "Hi,\nclient: Beta LLC\n",
		    1, "partner@firm.example", "Beta LLC", NULL, NULL, NULL },
		{ "no client", NULL, "GIVEN partner@firm.example\nNote: x\n",
		    1, "partner@firm.example", NULL, NULL, "x",
		    "needs the client" },
		{ "no partner", NULL, "GIVEN\nClient: Acme\n", 1, NULL,
		    "Acme", NULL, NULL, "needs the partner" },
		{ "a contact that is not an address", NULL,
		    "GIVEN p@firm.example\nClient: Acme\nContact: call Jane\n",
		    1, "p@firm.example", "Acme", "call Jane", NULL,
		    "not an email address" },
		{ "first of two client lines counts", NULL,
		    "GIVEN p@firm.example\nClient: One\nClient: Two\n", 1,
		    "p@firm.example", "One", NULL, NULL, NULL },
		{ "another keyword", "GIVEN p@firm.example",
		    "NOTE hello\nClient: Acme\n", 1, "p@firm.example",
		    "Acme", NULL, NULL, NULL },
		{ "not a GIVEN mail", "Hello", "Client: Acme\n", 0, NULL,
		    NULL, NULL, NULL, NULL },
		{ "a word that starts like it", NULL,
		    "Givenchy bag\nClient: Acme\n", 0, NULL, NULL, NULL, NULL,
		    NULL },
	};
	struct given_mail g;
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		int is = given_mail_parse(table, cases[i].subject,
		    cases[i].text, &g);
		if (is != cases[i].is) {
			printf("#   %s: got %d\n", cases[i].what, is);
			check_cur_failed = 1;
		}
#define SAME(a, b) do { if ((a) == NULL ? (b) != NULL : (b) == NULL || \
	strcmp((a), (b)) != 0) { printf("#   %s: %s is \"%s\"\n", \
	cases[i].what, #a, (a) ? (a) : "(null)"); check_cur_failed = 1; } \
	} while (0)
		SAME(g.partner, cases[i].partner);
		SAME(g.client, cases[i].client);
		SAME(g.contact, cases[i].contact);
		SAME(g.note, cases[i].note);
#undef SAME
		if (cases[i].error == NULL ? g.error != NULL :
		    g.error == NULL || strstr(g.error, cases[i].error) == NULL) {
			printf("#   %s: error \"%s\"\n", cases[i].what,
			    g.error ? g.error : "(null)");
			check_cur_failed = 1;
		}
		given_mail_free(&g);
	}
}

static int
load_table(void)
{
	FILE *f = fopen(srcpath("templates/keywords.txt"), "rb");
	struct buf b;
	char chunk[4096], *err = NULL;
	size_t n;
	int rc;

	if (f == NULL)
		return -1;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	rc = keyword_table_parse(b.data ? b.data : "", b.len, &table, &err);
	if (rc != 0)
		printf("# keywords.txt: %s\n", err);
	free(err);
	buf_free(&b);
	return rc;
}

/*
 * Every error carries its code and words, so the bot can say it in the
 * reader's language; the English sentence is made from the same.
 */
static void
test_error_codes(void)
{
	static const struct {
		const char *text;
		enum keyword_err err;
		const char *words, *near;	/* err_text, err_near */
	} cases[] = {
		{ "CONTACTED", KWE_NONE, NULL, NULL },
		{ " \n\n", KWE_EMPTY, NULL, NULL },
		{ "frobnicate now", KWE_UNKNOWN, "frobnicate now", NULL },
		{ "成約しました", KWE_UNKNOWN_NEAR, "成約しました", "成約" },
		{ "WON", KWE_NEEDS_AMOUNT, NULL, NULL },
		{ "WON -5", KWE_AMOUNT_NEGATIVE, "-5", NULL },
		{ "WON lots", KWE_NOT_AMOUNT, "lots", NULL },
		{ "MEETING 2026-13-45", KWE_BAD_DATE, "2026-13-45", NULL },
		{ "MEETING 12/3 25:99", KWE_BAD_TIME, "25:99", NULL },
		{ "CREDIT", KWE_NEEDS_REF, NULL, NULL },
		{ "ASSIGN", KWE_NEEDS_WHO, NULL, NULL },
		{ "LOST", KWE_NEEDS_REASON, NULL, NULL },
	};
	struct keyword_cmd cmd;
	struct render_var vars[KEYWORD_ERR_NVARS];
	size_t i, nv;

	for (i = 0; i < nitems(cases); i++) {
		keyword_parse(table, cases[i].text, NULL, &today, &cmd);
		if (cmd.err != cases[i].err)
			printf("#   \"%s\": err %d, expected %d\n",
			    cases[i].text, (int)cmd.err, (int)cases[i].err);
		EXPECT(cmd.err == cases[i].err);
		EXPECT((cmd.err == KWE_NONE) == (cmd.error == NULL));
		EXPECT((*keyword_err_key(cmd.err) == '\0') ==
		    (cmd.err == KWE_NONE));
		EXPECT_NSTR(cmd.err_text, cases[i].words);
		EXPECT_NSTR(cmd.err_near, cases[i].near);
		EXPECT((cmd.err_known != NULL) == (cmd.err == KWE_EMPTY ||
		    cmd.err == KWE_UNKNOWN || cmd.err == KWE_UNKNOWN_NEAR));
		nv = keyword_err_vars(&cmd, vars);
		EXPECT(nv == KEYWORD_ERR_NVARS);
		EXPECT_STR(vars[0].value, cmd.name);
		/* The words are in the English sentence. */
		if (cmd.err_text != NULL)
			EXPECT_CONTAINS(cmd.error, cmd.err_text);
		if (cmd.err_known != NULL)
			EXPECT_CONTAINS(cmd.error, cmd.err_known);
		keyword_cmd_free(&cmd);
	}
}

/*
 * Why a GIVEN mail cannot be recorded is a code too (mail/staff-lines
 * given.*), with the contact as quoted; the English keeps the same words.
 */
static void
test_given_error_codes(void)
{
	static const struct {
		const char *text;
		enum given_err err;
		const char *key, *words;
	} cases[] = {
		{ "GIVEN p@firm.example\nClient: Acme\n", GIVEN_ERR_NONE, "",
		    NULL },
		{ "GIVEN\nClient: Acme\n", GIVEN_ERR_NO_PARTNER,
		    "given.no-partner", NULL },
		{ "紹介先 p@firm.example\n備考：x\n", GIVEN_ERR_NO_CLIENT,
		    "given.no-client", NULL },
		{ "GIVEN p@firm.example\nClient: Acme\nContact: call Jane\n",
		    GIVEN_ERR_CONTACT, "given.bad-contact", "call Jane" },
	};
	struct given_mail g;
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		EXPECT(given_mail_parse(table, NULL, cases[i].text, &g) == 1);
		if (g.err != cases[i].err)
			printf("#   \"%s\": err %d, expected %d\n",
			    cases[i].text, (int)g.err, (int)cases[i].err);
		EXPECT(g.err == cases[i].err);
		EXPECT((g.err == GIVEN_ERR_NONE) == (g.error == NULL));
		EXPECT_STR(given_err_key(g.err), cases[i].key);
		EXPECT_NSTR(g.err_text, cases[i].words);
		if (g.err_text != NULL)
			EXPECT_CONTAINS(g.error, g.err_text);
		given_mail_free(&g);
	}
	EXPECT_STR(given_err_key((enum given_err)99), "");
}

/*
 * Each reason an amount is refused has its own code, with the amount as
 * written and the currency's words; the English sentence (the CLI's)
 * says the same as amount_parse's.
 */
static void
test_amount_error_codes(void)
{
	static const struct {
		const char *text, *currency;
		enum keyword_err err;
		const char *words, *decimals, *english;
	} cases[] = {
		{ "WON ¥-5", NULL, KWE_AMOUNT_NEGATIVE, "¥-5", "0",
		    "WON: \"¥-5\": an amount cannot be negative." },
		{ "WON $12,000", "JPY", KWE_AMOUNT_CURRENCY, "$12,000", "0",
		    "WON: \"$12,000\" is not in JPY, the currency refbot "
		    "keeps amounts in." },
		{ "AMEND 12.5", "JPY", KWE_AMOUNT_WHOLE, "12.5", "0",
		    "AMEND: \"12.5\": JPY amounts are whole numbers, without "
		    "decimals." },
		{ "WON 1,234.567", "USD", KWE_AMOUNT_DECIMALS, "1,234.567", "2",
		    "WON: \"1,234.567\": USD amounts have at most 2 "
		    "decimals." },
		{ "WON 0", NULL, KWE_AMOUNT_ZERO, "0", "0",
		    "WON: \"0\": the amount must be more than zero." },
		{ "REVENUE 1,2000", NULL, KWE_AMOUNT_AMBIGUOUS, "1,2000", "0",
		    "REVENUE: \"1,2000\" is ambiguous: write commas only "
		    "between groups of three digits and a point for decimals, "
		    "e.g. 1,200,000 or 12,000.50." },
		{ "WON 10000000000001", NULL, KWE_AMOUNT_TOO_LARGE,
		    "10000000000001", "0", "WON: \"10000000000001\" is too "
		    "large to be an amount." },
	};
	struct keyword_cmd cmd;
	struct render_var vars[KEYWORD_ERR_NVARS];
	const char *cur;
	char *err;
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		cur = cases[i].currency ? cases[i].currency : "JPY";
		keyword_parse(table, cases[i].text, cases[i].currency, &today,
		    &cmd);
		if (cmd.err != cases[i].err)
			printf("#   \"%s\": err %d, expected %d\n",
			    cases[i].text, (int)cmd.err, (int)cases[i].err);
		EXPECT(cmd.err == cases[i].err);
		EXPECT(strncmp(keyword_err_key(cmd.err), "keyword.amount-",
		    15) == 0);
		EXPECT_NSTR(cmd.err_text, cases[i].words);
		EXPECT_NSTR(cmd.err_currency, cur);
		EXPECT_STR(cmd.err_decimals, cases[i].decimals);
		EXPECT_NSTR(cmd.error, cases[i].english);
		EXPECT(keyword_err_vars(&cmd, vars) == KEYWORD_ERR_NVARS);
		EXPECT_STR(vars[4].name, "currency");
		EXPECT_STR(vars[4].value, cur);
		EXPECT_STR(vars[5].name, "decimals");
		EXPECT_STR(vars[5].value, cases[i].decimals);
		/* The CLI's amount reader: the same sentence, no keyword. */
		err = NULL;
		EXPECT(amount_parse(cases[i].words, cases[i].currency,
		    &err) == -1);
		EXPECT_NSTR(err, strchr(cases[i].english, ' ') + 1);
		free(err);
		keyword_cmd_free(&cmd);
	}
}

int
main(void)
{
	char name[200];
	size_t i;

	today.tm_year = 2026 - 1900;
	today.tm_mon = 10;
	today.tm_mday = 15;
	if (load_table() != 0) {
		printf("Bail out! cannot load templates/keywords.txt\n");
		return 1;
	}
	RUN(test_default_file_aliases);
	for (i = 0; i < nitems(kcases); i++) {
		kcur = &kcases[i];
		snprintf(name, sizeof(name), "keyword: %s", kcur->name);
		check_run(name, test_keyword_case);
	}
	for (i = 0; i < nitems(acases); i++) {
		acur = &acases[i];
		snprintf(name, sizeof(name), "amount: \"%s\" %s", acur->in,
		    acur->currency ? acur->currency : "(default)");
		check_run(name, test_amount_case);
	}
	for (i = 0; i < nitems(tcases); i++) {
		tcur = i;
		check_run(tcases[i].name, test_table_error);
	}
	RUN(test_amount_format);
	RUN(test_format_parse_round_trip);
	RUN(test_custom_aliases);
	RUN(test_null_table_knows_english);
	RUN(test_year_less_date_last_year);
	RUN(test_full_date_ignores_today);
	RUN(test_arg_help);
	RUN(test_form_request);
	RUN(test_given_mail);
	RUN(test_error_codes);
	RUN(test_given_error_codes);
	RUN(test_amount_error_codes);
	RUN(test_hostile_long_line);
	RUN(test_hostile_long_amounts);
	RUN(test_hostile_long_note_and_relay);
	keyword_table_free(table);
	return check_done();
}
