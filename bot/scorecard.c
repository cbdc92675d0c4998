/* scorecard: the report as a self-contained HTML page with SVG charts. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keyword.h"
#include "scorecard.h"
#include "svg.h"

/* Every word the page says, in English and Japanese. */
enum word {
	W_TITLE, W_PERIOD, W_UP_TO, W_PARTNER, W_KEY, W_RECEIVED, W_GIVEN,
	W_WON, W_CONVERSION, W_REVENUE, W_EARNED, W_PAID, W_COSTS, W_ROI,
	W_MEDIAN, W_BREACHES, W_DUPLICATES, W_FUNNEL, W_FUNNEL_NOTE,
	W_CONTACTED, W_MEETING, W_PROPOSAL, W_STAGE, W_REFERRALS, W_SHARE,
	W_PER_PARTNER, W_RECIPROCITY, W_RECIPROCITY_NOTE, W_BALANCE,
	W_RESPONSE, W_RESPONSE_NOTE, W_MONTH, W_HOURS, W_SLA, W_COMMISSION,
	W_DIFFERENCE, W_TOTAL, W_NO_DATA, W_MADE, W_ALL_PARTNERS,
	W_COMMISSION_NOTE, W_MEDIAN_H, W_REVIEW, W_N
};

static const char *const words[W_N][2] = {
	[W_TITLE] = { "Partner programme scorecard",
	    "パートナープログラム スコアカード" },
	[W_REVIEW] = { "Quarterly review", "四半期レビュー" },
	[W_PERIOD] = { "Referrals received", "対象期間" },
	[W_UP_TO] = { "everything up to", "まで(全期間)" },
	[W_PARTNER] = { "Partner", "パートナー" },
	[W_KEY] = { "Key figures", "主要指標" },
	[W_RECEIVED] = { "Received", "受けた紹介" },
	[W_GIVEN] = { "Given", "こちらからの紹介" },
	[W_WON] = { "Won", "成約" },
	[W_CONVERSION] = { "Conversion", "成約率" },
	[W_REVENUE] = { "Revenue", "売上" },
	[W_EARNED] = { "Commission earned", "コミッション発生額" },
	[W_PAID] = { "Commission paid", "コミッション支払額" },
	[W_COSTS] = { "Programme costs", "プログラム費用" },
	[W_ROI] = { "Return on commission and costs",
	    "コミッションと費用に対する収益率" },
	[W_MEDIAN] = { "Median time to first response",
	    "初回対応までの時間(中央値)" },
	[W_MEDIAN_H] = { "Median first response (h)",
	    "初回対応の中央値(時間)" },
	[W_BREACHES] = { "SLA breaches", "SLA超過" },
	[W_DUPLICATES] = { "Duplicates", "重複" },
	[W_FUNNEL] = { "Referral funnel", "紹介ファネル" },
	[W_FUNNEL_NOTE] = { "Each stage counts the referrals that reached it "
	    "or went further; duplicates are left out.",
	    "各段階は、その段階以降に進んだ紹介の数です。重複は含みません。" },
	[W_CONTACTED] = { "Contacted", "連絡済" },
	[W_MEETING] = { "Meeting", "面談" },
	[W_PROPOSAL] = { "Proposal", "提案" },
	[W_STAGE] = { "Stage", "段階" },
	[W_REFERRALS] = { "Referrals", "紹介数" },
	[W_SHARE] = { "Share of received", "受付に対する割合" },
	[W_PER_PARTNER] = { "Referrals and wins per partner",
	    "パートナー別の紹介数と成約数" },
	[W_RECIPROCITY] = { "Reciprocity: given and received",
	    "相互紹介: 紹介した数と受けた数" },
	[W_RECIPROCITY_NOTE] = { "Given: referrals the firm sent to the "
	    "partner. Received: referrals the partner sent to the firm.",
	    "こちらからの紹介: 当社がパートナーに送った紹介。受けた紹介: "
	    "パートナーから当社への紹介。" },
	[W_BALANCE] = { "Given minus received", "差 (紹介した数−受けた数)" },
	[W_RESPONSE] = { "Time to first response against the SLA",
	    "初回対応までの時間とSLA" },
	[W_RESPONSE_NOTE] = { "Median hours from a referral's arrival to the "
	    "first staff response, by month of arrival; the dashed line is "
	    "the SLA.",
	    "紹介の受信からスタッフの初回対応までの時間の中央値(受信月別)。"
	    "破線はSLAです。" },
	[W_MONTH] = { "Month", "月" },
	[W_HOURS] = { "h", "時間" },
	[W_SLA] = { "SLA", "SLA" },
	[W_COMMISSION] = { "Commission earned and paid",
	    "コミッションの発生額と支払額" },
	[W_DIFFERENCE] = { "Earned minus paid", "差額 (発生−支払)" },
	[W_TOTAL] = { "Overall", "合計" },
	[W_NO_DATA] = { "No data for this period", "この期間のデータはありません" },
	[W_MADE] = { "Made by refbot " PACKAGE_VERSION " on",
	    "refbot " PACKAGE_VERSION " により作成:" },
	[W_ALL_PARTNERS] = { "all partners", "全パートナー" },
	[W_COMMISSION_NOTE] = { "Commission written to the ledger and payouts "
	    "recorded in the period.",
	    "期間内に台帳に記録されたコミッションと支払。" },
};

static const char style[] =
    "body{font-family:system-ui,\"Noto Sans CJK JP\",\"IPAGothic\","
    "sans-serif;color:#222;background:#fff;margin:2em auto;max-width:1300px;"
    "padding:0 1em;line-height:1.4}"
    "h1{font-size:1.6em;margin:0 0 .2em}"
    "h2{font-size:1.2em;margin:0 0 .5em;flex-basis:100%}"
    "header p{margin:.2em 0;color:#444}"
    "section{display:flex;flex-wrap:wrap;gap:1em 2em;align-items:flex-start;"
    "margin:2em 0;break-inside:avoid;page-break-inside:avoid}"
    "figure{margin:0;flex:0 0 540px;max-width:100%}"
    "figcaption{font-size:.85em;color:#555;margin-top:.3em}"
    "svg.chart{width:100%;height:auto}"
    "table{border-collapse:collapse;font-size:.9em}"
    "th,td{border-bottom:1px solid #ccc;padding:.25em .7em;text-align:left;"
    "vertical-align:top}"
    "th{background:#f3f3f3}"
    ".n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}"
    "tfoot td{font-weight:bold;border-top:2px solid #888}"
    "footer{margin-top:3em;font-size:.8em;color:#666}"
    "@page{size:A4;margin:15mm}"
    "@media print{body{margin:0;max-width:none;font-size:10pt}"
    "section{margin:1.2em 0}figure{flex-basis:100%}"
    "th{background:none}}";

struct page {
	struct buf *b;
	const struct scorecard *sc;
	int ja;
};

static const char *
w(const struct page *p, enum word id)
{
	return words[id][p->ja];
}

static void
esc(struct page *p, const char *s)
{
	svg_escape(p->b, s);
}

void
scorecard_conversion(const struct scorecard_row *r, char *buf, size_t size)
{
	int64_t counted = r->received - r->duplicates;

	if (counted > 0)
		snprintf(buf, size, "%lld%%", (long long)(r->won * 100 /
		    counted));
	else
		snprintf(buf, size, "-");
}

void
scorecard_roi(const struct scorecard_row *all, int64_t costs, char *buf,
    size_t size)
{
	/*
	 * The programme's return: what the referrals brought in against
	 * what they cost (commission plus recorded costs), when costs exist.
	 */
	int64_t spent = all->commission + costs;

	if (spent > 0)
		snprintf(buf, size, "%lld%%", (long long)((all->revenue -
		    spent) * 100 / spent));
	else
		snprintf(buf, size, "-");
}

void
scorecard_hours(int64_t m, char *buf, size_t size)
{
	if (m < 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%lld.%lld", (long long)(m / 3600),
		    (long long)(m % 3600 * 10 / 3600));
}

static void
day(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, size, "%Y-%m-%d", &tm);
}

/* <td class="n">, the number with separators, </td>. */
static void
td_num(struct page *p, int64_t v)
{
	buf_adds(p->b, "<td class=\"n\">");
	svg_number(p->b, v, 0);
	buf_adds(p->b, "</td>");
}

static void
td_text(struct page *p, const char *s, int numeric)
{
	buf_adds(p->b, numeric ? "<td class=\"n\">" : "<td>");
	esc(p, s);
	buf_adds(p->b, "</td>");
}

static void
td_money(struct page *p, int64_t v)
{
	char *s = amount_format(v, p->sc->currency);

	td_text(p, s, 1);
	free(s);
}

/* A signed difference: "+3", "-2", "0". */
static void
td_signed(struct page *p, int64_t v, int money)
{
	char *s = money ? amount_format(v, p->sc->currency) : NULL;

	buf_adds(p->b, "<td class=\"n\">");
	if (v > 0)
		buf_addc(p->b, '+');
	if (s != NULL)
		esc(p, s);
	else
		svg_number(p->b, v, 0);
	buf_adds(p->b, "</td>");
	free(s);
}

/* <table id=...><thead> with the given headings; the first is text. */
static void
table_open(struct page *p, const char *id, const enum word *heads, size_t n)
{
	size_t i;

	buf_addf(p->b, "<table id=\"%s\"><thead><tr>", id);
	for (i = 0; i < n; i++) {
		buf_adds(p->b, i ? "<th class=\"n\">" : "<th>");
		esc(p, w(p, heads[i]));
		buf_adds(p->b, "</th>");
	}
	buf_adds(p->b, "</tr></thead><tbody>");
}

static void
section_open(struct page *p, const char *id, enum word title)
{
	buf_addf(p->b, "<section id=\"%s\"><h2>", id);
	esc(p, w(p, title));
	buf_adds(p->b, "</h2>");
}

static void
figure(struct page *p, void (*draw)(struct buf *, const struct svg_chart *),
    const struct svg_chart *c, enum word note)
{
	buf_adds(p->b, "<figure>");
	draw(p->b, c);
	if (note != W_N) {
		buf_adds(p->b, "<figcaption>");
		esc(p, w(p, note));
		buf_adds(p->b, "</figcaption>");
	}
	buf_adds(p->b, "</figure>");
}

static void
header(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char d1[16], d2[16];
	int64_t last = sc->to - 1 < sc->generated ? sc->to - 1 : sc->generated;

	day(sc->from, d1, sizeof(d1));
	day(last, d2, sizeof(d2));
	buf_addf(p->b, "<!DOCTYPE html>\n<html lang=\"%s\"><head>"
	    "<meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\"><title>", p->ja ? "ja" : "en");
	esc(p, w(p, sc->review != NULL ? W_REVIEW : W_TITLE));
	buf_addf(p->b, " %s</title><style>%s</style></head>\n<body><header>"
	    "<h1>", d2, style);
	esc(p, w(p, sc->review != NULL ? W_REVIEW : W_TITLE));
	buf_adds(p->b, "</h1><p id=\"period\">");
	esc(p, w(p, W_PERIOD));
	buf_adds(p->b, ": ");
	if (sc->from > 0)
		buf_addf(p->b, "%s – %s", d1, d2);
	else if (p->ja)
		buf_addf(p->b, "%s %s", d2, w(p, W_UP_TO));
	else
		buf_addf(p->b, "%s %s", w(p, W_UP_TO), d2);
	buf_adds(p->b, "</p><p id=\"partner\">");
	esc(p, w(p, W_PARTNER));
	buf_adds(p->b, ": ");
	esc(p, sc->partner != NULL ? sc->partner : w(p, W_ALL_PARTNERS));
	buf_adds(p->b, "</p></header>\n");
}

static void
key_row(struct page *p, const char *id, enum word label, const char *text,
    int64_t v)
{
	buf_addf(p->b, "<tr id=\"%s\"><th>", id);
	esc(p, w(p, label));
	buf_adds(p->b, "</th>");
	if (text != NULL)
		td_text(p, text, 1);
	else
		td_num(p, v);
	buf_adds(p->b, "</tr>");
}

static void
key_figures(struct page *p)
{
	const struct scorecard *sc = p->sc;
	const struct scorecard_row *a = &sc->all;
	char conv[32], roi[32], hours[48], *rev, *earned, *paid, *costs;

	scorecard_conversion(a, conv, sizeof(conv));
	scorecard_roi(a, sc->costs, roi, sizeof(roi));
	scorecard_hours(a->median, hours, sizeof(hours));
	if (a->median >= 0)
		snprintf(hours + strlen(hours), sizeof(hours) - strlen(hours),
		    " %s", w(p, W_HOURS));
	rev = amount_format(a->revenue, sc->currency);
	earned = amount_format(a->commission, sc->currency);
	paid = amount_format(a->paid, sc->currency);
	costs = amount_format(sc->costs, sc->currency);
	section_open(p, "key", W_KEY);
	buf_adds(p->b, "<table id=\"t-key\"><tbody>");
	key_row(p, "k-received", W_RECEIVED, NULL, a->received);
	key_row(p, "k-given", W_GIVEN, NULL, a->given);
	key_row(p, "k-won", W_WON, NULL, a->won);
	key_row(p, "k-conversion", W_CONVERSION, conv, 0);
	key_row(p, "k-revenue", W_REVENUE, rev, 0);
	key_row(p, "k-earned", W_EARNED, earned, 0);
	key_row(p, "k-paid", W_PAID, paid, 0);
	key_row(p, "k-costs", W_COSTS, costs, 0);
	key_row(p, "k-roi", W_ROI, roi, 0);
	key_row(p, "k-median", W_MEDIAN, hours, 0);
	key_row(p, "k-breaches", W_BREACHES, NULL, a->sla_breaches);
	key_row(p, "k-duplicates", W_DUPLICATES, NULL, a->duplicates);
	buf_adds(p->b, "</tbody></table></section>\n");
	free(rev);
	free(earned);
	free(paid);
	free(costs);
}

static void
funnel(struct page *p)
{
	static const enum word stage[STAGE_N] = { W_RECEIVED, W_CONTACTED,
	    W_MEETING, W_PROPOSAL, W_WON };
	static const enum word heads[] = { W_STAGE, W_REFERRALS, W_SHARE };
	const char *labels[STAGE_N];
	const int64_t *v = p->sc->funnel;
	struct svg_series s = { w(p, W_REFERRALS), v, NULL };
	struct svg_chart c;
	size_t i;

	for (i = 0; i < STAGE_N; i++)
		labels[i] = w(p, stage[i]);
	memset(&c, 0, sizeof(c));
	c.title = w(p, W_FUNNEL);
	c.labels = labels;
	c.n = v[0] > 0 ? STAGE_N : 0;
	c.series = &s;
	c.nseries = 1;
	c.empty = w(p, W_NO_DATA);
	c.ref = -1;
	section_open(p, "funnel", W_FUNNEL);
	figure(p, svg_funnel, &c, W_FUNNEL_NOTE);
	table_open(p, "t-funnel", heads, nitems(heads));
	for (i = 0; i < STAGE_N; i++) {
		buf_adds(p->b, "<tr>");
		td_text(p, labels[i], 0);
		td_num(p, v[i]);
		if (v[0] > 0)
			buf_addf(p->b, "<td class=\"n\">%lld%%</td>",
			    (long long)((double)v[i] * 100.0 / (double)v[0]));
		else
			td_text(p, "-", 1);
		buf_adds(p->b, "</tr>");
	}
	buf_adds(p->b, "</tbody></table></section>\n");
}

/* Labels and two value columns of the per-partner charts. */
struct cols {
	const char **labels;
	int64_t *a, *b;
	char **ta, **tb;	/* money texts, or NULL */
};

/*
 * Two int64 fields of every partner's row, named by their offsetof, so
 * that the three per-partner charts share this instead of three loops.
 */
static void
cols_fill(struct page *p, struct cols *c, size_t offa, size_t offb,
    int money)
{
	const struct scorecard *sc = p->sc;
	size_t i;

	c->labels = xcalloc(sc->nrows + 1, sizeof(*c->labels));
	c->a = xcalloc(sc->nrows + 1, sizeof(*c->a));
	c->b = xcalloc(sc->nrows + 1, sizeof(*c->b));
	c->ta = money ? xcalloc(sc->nrows + 1, sizeof(*c->ta)) : NULL;
	c->tb = money ? xcalloc(sc->nrows + 1, sizeof(*c->tb)) : NULL;
	for (i = 0; i < sc->nrows; i++) {
		const char *r = (const char *)&sc->rows[i];

		c->labels[i] = sc->rows[i].name;
		memcpy(&c->a[i], r + offa, sizeof(int64_t));
		memcpy(&c->b[i], r + offb, sizeof(int64_t));
		if (money) {
			c->ta[i] = amount_format(c->a[i], sc->currency);
			c->tb[i] = amount_format(c->b[i], sc->currency);
		}
	}
}

static void
cols_free(struct cols *c, size_t n)
{
	size_t i;

	for (i = 0; c->ta != NULL && i < n; i++) {
		free(c->ta[i]);
		free(c->tb[i]);
	}
	free(c->ta);
	free(c->tb);
	free(c->labels);
	free(c->a);
	free(c->b);
}

/* Two series per partner as grouped bars. */
static void
pair_chart(struct page *p, const struct cols *c, enum word title,
    enum word na, enum word nb, enum word note)
{
	struct svg_series s[2] = {
		{ w(p, na), c->a, (const char *const *)c->ta },
		{ w(p, nb), c->b, (const char *const *)c->tb },
	};
	struct svg_chart chart;

	memset(&chart, 0, sizeof(chart));
	chart.title = w(p, title);
	chart.labels = c->labels;
	chart.n = p->sc->nrows;
	chart.series = s;
	chart.nseries = 2;
	chart.empty = w(p, W_NO_DATA);
	chart.ref = -1;
	figure(p, svg_bars, &chart, note);
}

#define OFF(f) offsetof(struct scorecard_row, f)

static void
per_partner(struct page *p)
{
	static const enum word heads[] = { W_PARTNER, W_RECEIVED,
	    W_DUPLICATES, W_WON, W_CONVERSION };
	const struct scorecard *sc = p->sc;
	struct cols c;
	char conv[32];
	size_t i;

	cols_fill(p, &c, OFF(received), OFF(won), 0);
	section_open(p, "partners", W_PER_PARTNER);
	pair_chart(p, &c, W_PER_PARTNER, W_RECEIVED, W_WON, W_N);
	table_open(p, "t-partners", heads, nitems(heads));
	for (i = 0; i <= sc->nrows; i++) {
		const struct scorecard_row *r = i < sc->nrows ? &sc->rows[i] :
		    &sc->all;

		if (i == sc->nrows)
			buf_adds(p->b, "</tbody><tfoot>");
		buf_adds(p->b, "<tr>");
		td_text(p, i < sc->nrows ? r->name : w(p, W_TOTAL), 0);
		td_num(p, r->received);
		td_num(p, r->duplicates);
		td_num(p, r->won);
		scorecard_conversion(r, conv, sizeof(conv));
		td_text(p, conv, 1);
		buf_adds(p->b, "</tr>");
	}
	buf_adds(p->b, "</tfoot></table></section>\n");
	cols_free(&c, sc->nrows);
}

static void
reciprocity(struct page *p)
{
	static const enum word heads[] = { W_PARTNER, W_GIVEN, W_RECEIVED,
	    W_BALANCE };
	const struct scorecard *sc = p->sc;
	struct cols c;
	size_t i;

	cols_fill(p, &c, OFF(given), OFF(received), 0);
	section_open(p, "reciprocity", W_RECIPROCITY);
	pair_chart(p, &c, W_RECIPROCITY, W_GIVEN, W_RECEIVED,
	    W_RECIPROCITY_NOTE);
	table_open(p, "t-reciprocity", heads, nitems(heads));
	for (i = 0; i <= sc->nrows; i++) {
		const struct scorecard_row *r = i < sc->nrows ? &sc->rows[i] :
		    &sc->all;

		if (i == sc->nrows)
			buf_adds(p->b, "</tbody><tfoot>");
		buf_adds(p->b, "<tr>");
		td_text(p, i < sc->nrows ? r->name : w(p, W_TOTAL), 0);
		td_num(p, r->given);
		td_num(p, r->received);
		td_signed(p, r->given - r->received, 0);
		buf_adds(p->b, "</tr>");
	}
	buf_adds(p->b, "</tfoot></table></section>\n");
	cols_free(&c, sc->nrows);
}

static void
response(struct page *p)
{
	static const enum word heads[] = { W_MONTH, W_RECEIVED, W_MEDIAN_H,
	    W_BREACHES };
	const struct scorecard *sc = p->sc;
	const char **labels = xcalloc(sc->nmonths + 1, sizeof(*labels));
	int64_t *v = xcalloc(sc->nmonths + 1, sizeof(*v));
	struct svg_series s = { w(p, W_MEDIAN), v, NULL };
	struct svg_chart c;
	char sla[64], hours[32];
	size_t i;

	for (i = 0; i < sc->nmonths; i++) {
		labels[i] = sc->months[i].month;
		/* Tenths of an hour, cut like the tables' hours. */
		v[i] = sc->months[i].median < 0 ? -1 :
		    sc->months[i].median * 10 / 3600;
	}
	snprintf(sla, sizeof(sla), "%s %d %s", w(p, W_SLA), sc->sla_hours,
	    w(p, W_HOURS));
	memset(&c, 0, sizeof(c));
	c.title = w(p, W_RESPONSE);
	c.labels = labels;
	c.n = sc->nmonths;
	c.series = &s;
	c.nseries = 1;
	c.decimals = 1;
	c.empty = w(p, W_NO_DATA);
	c.ref = (int64_t)sc->sla_hours * 10;
	c.ref_text = sla;
	section_open(p, "response", W_RESPONSE);
	figure(p, svg_line, &c, W_RESPONSE_NOTE);
	table_open(p, "t-response", heads, nitems(heads));
	for (i = 0; i <= sc->nmonths; i++) {
		const struct scorecard_month *m = &sc->months[i];

		if (i == sc->nmonths) {
			buf_adds(p->b, "</tbody><tfoot><tr>");
			td_text(p, w(p, W_TOTAL), 0);
			td_num(p, sc->all.received - sc->all.duplicates);
			scorecard_hours(sc->all.median, hours, sizeof(hours));
			td_text(p, hours, 1);
			td_num(p, sc->all.sla_breaches);
			buf_adds(p->b, "</tr>");
			break;
		}
		buf_adds(p->b, "<tr>");
		td_text(p, m->month, 0);
		td_num(p, m->received);
		scorecard_hours(m->median, hours, sizeof(hours));
		td_text(p, hours, 1);
		td_num(p, m->breaches);
		buf_adds(p->b, "</tr>");
	}
	buf_adds(p->b, "</tfoot></table></section>\n");
	free(labels);
	free(v);
}

static void
commission(struct page *p)
{
	static const enum word heads[] = { W_PARTNER, W_EARNED, W_PAID,
	    W_DIFFERENCE };
	const struct scorecard *sc = p->sc;
	struct cols c;
	size_t i;

	cols_fill(p, &c, OFF(commission), OFF(paid), 1);
	section_open(p, "commission", W_COMMISSION);
	pair_chart(p, &c, W_COMMISSION, W_EARNED, W_PAID, W_COMMISSION_NOTE);
	table_open(p, "t-commission", heads, nitems(heads));
	for (i = 0; i <= sc->nrows; i++) {
		const struct scorecard_row *r = i < sc->nrows ? &sc->rows[i] :
		    &sc->all;

		if (i == sc->nrows)
			buf_adds(p->b, "</tbody><tfoot>");
		buf_adds(p->b, "<tr>");
		td_text(p, i < sc->nrows ? r->name : w(p, W_TOTAL), 0);
		td_money(p, r->commission);
		td_money(p, r->paid);
		td_signed(p, r->commission - r->paid, 1);
		buf_adds(p->b, "</tr>");
	}
	buf_adds(p->b, "</tfoot></table></section>\n");
	cols_free(&c, sc->nrows);
}

void
scorecard_html(struct buf *b, const struct scorecard *sc)
{
	struct page p = { b, sc, sc->lang != NULL &&
	    strcmp(sc->lang, "ja") == 0 };
	char made[16];

	header(&p);
	key_figures(&p);
	funnel(&p);
	per_partner(&p);
	reciprocity(&p);
	response(&p);
	commission(&p);
	scorecard_health_html(b, sc, p.ja);
	day(sc->generated, made, sizeof(made));
	buf_adds(b, "<footer>");
	esc(&p, w(&p, W_MADE));
	buf_addf(b, " %s</footer>\n</body></html>\n", made);
}
