/*
 * keyword_error: why a keyword line was not understood.  The parser
 * records a code and the words that go in its sentence (struct
 * keyword_cmd's err fields), so the bot can say it in the reader's
 * language (mail/staff-lines, keyword.CODE, with the same placeholders);
 * the English sentence here goes in cmd->error for the CLI and the logs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyword.h"
#include "keyword_int.h"
#include "render.h"
#include "util.h"

/*
 * Indexed by enum keyword_err.  An amount's sentence (KWE_AMOUNT_*) is
 * also amount_parse's, for the CLI; after a keyword it reads
 * "{{keyword}}: " first.
 */
static const struct {
	const char *key;	/* the line in mail/staff-lines */
	const char *en;		/* the English sentence, for render() */
} kwe[] = {
	[KWE_NONE] = { "", "" },
	[KWE_EMPTY] = { "keyword.empty", "The reply is empty: start it with "
	    "a keyword; known: {{known}}." },
	[KWE_UNKNOWN] = { "keyword.unknown", "\"{{text}}\" is not a keyword; "
	    "known: {{known}}." },
	[KWE_UNKNOWN_NEAR] = { "keyword.unknown-near", "\"{{text}}\" is not a "
	    "keyword; known: {{known}}.  Write {{near}} alone, or followed by "
	    "a space and its argument." },
	[KWE_NEEDS_AMOUNT] = { "keyword.needs-amount", "{{keyword}} needs an "
	    "amount, e.g. \"{{keyword}} 1,200,000\"." },
	[KWE_AMOUNT_NEGATIVE] = { "keyword.amount-negative", "\"{{text}}\": "
	    "an amount cannot be negative." },
	[KWE_AMOUNT_CURRENCY] = { "keyword.amount-currency", "\"{{text}}\" is "
	    "not in {{currency}}, the currency refbot keeps amounts in." },
	[KWE_AMOUNT_WHOLE] = { "keyword.amount-whole", "\"{{text}}\": "
	    "{{currency}} amounts are whole numbers, without decimals." },
	[KWE_AMOUNT_DECIMALS] = { "keyword.amount-decimals", "\"{{text}}\": "
	    "{{currency}} amounts have at most {{decimals}} decimals." },
	[KWE_AMOUNT_ZERO] = { "keyword.amount-zero", "\"{{text}}\": the "
	    "amount must be more than zero." },
	[KWE_AMOUNT_AMBIGUOUS] = { "keyword.amount-ambiguous", "\"{{text}}\" "
	    "is ambiguous: write commas only between groups of three digits "
	    "and a point for decimals, e.g. 1,200,000 or 12,000.50." },
	[KWE_AMOUNT_TOO_LARGE] = { "keyword.amount-too-large", "\"{{text}}\" "
	    "is too large to be an amount." },
	[KWE_NOT_AMOUNT] = { "keyword.not-amount", "{{keyword}}: \"{{text}}\" "
	    "is not an amount; write it first, like \"{{keyword}} "
	    "1,200,000\", \"{{keyword}} 120万円\" or \"{{keyword}} 12k\"." },
	[KWE_BAD_DATE] = { "keyword.bad-date", "{{keyword}}: \"{{text}}\" is "
	    "not a valid date; write it like 2026-12-03, 12/3 or 12月3日." },
	[KWE_BAD_TIME] = { "keyword.bad-time", "{{keyword}}: \"{{text}}\" is "
	    "not a valid time; write it like 14:00, 2pm or 14時." },
	[KWE_NEEDS_REF] = { "keyword.needs-ref", "{{keyword}} needs the "
	    "referral it is about, e.g. \"{{keyword}} REF-000123\"." },
	[KWE_NEEDS_WHO] = { "keyword.needs-who", "{{keyword}} needs the "
	    "person: an address or a name after it (\"{{keyword}} "
	    "yamamoto\")." },
	[KWE_NEEDS_REASON] = { "keyword.needs-reason", "{{keyword}} needs a "
	    "reason: write it after the keyword (\"{{keyword}} the client "
	    "chose another firm\") or on the next line." },
};

const char *
keyword_err_key(enum keyword_err e)
{
	return (size_t)e < nitems(kwe) ? kwe[e].key : "";
}

size_t
keyword_err_vars(const struct keyword_cmd *cmd, struct render_var *vars)
{
	vars[0].name = "keyword";
	vars[0].value = cmd->name;
	vars[1].name = "text";
	vars[1].value = cmd->err_text ? cmd->err_text : "";
	vars[2].name = "known";
	vars[2].value = cmd->err_known ? cmd->err_known : "";
	vars[3].name = "near";
	vars[3].value = cmd->err_near ? cmd->err_near : "";
	vars[4].name = "currency";
	vars[4].value = cmd->err_currency ? cmd->err_currency : "";
	vars[5].name = "decimals";
	vars[5].value = cmd->err_decimals;
	return KEYWORD_ERR_NVARS;
}

static int
is_amount(enum keyword_err e)
{
	return e >= KWE_AMOUNT_NEGATIVE && e <= KWE_AMOUNT_TOO_LARGE;
}

void
keyword_fail(struct keyword_cmd *cmd, enum keyword_err e, const char *text,
    const char *known, const char *near)
{
	struct render_var vars[KEYWORD_ERR_NVARS];
	size_t n;

	cmd->err = e;
	cmd->err_text = text ? xstrdup(text) : NULL;
	cmd->err_known = known ? xstrdup(known) : NULL;
	cmd->err_near = near ? xstrdup(near) : NULL;
	n = keyword_err_vars(cmd, vars);
	if (is_amount(e)) {
		char *en = xasprintf("{{keyword}}: %s", kwe[e].en);

		cmd->error = render(en, vars, n, NULL);
		free(en);
	} else
		cmd->error = render(kwe[e].en, vars, n, NULL);
}

void
keyword_fail_amount(struct keyword_cmd *cmd, enum keyword_err e,
    const char *text, const char *currency)
{
	cmd->err_currency = xstrdup(amount_code(currency));
	snprintf(cmd->err_decimals, sizeof(cmd->err_decimals), "%d",
	    amount_decimals(currency));
	keyword_fail(cmd, e, text, NULL, NULL);
}

char *
amount_err_sentence(enum keyword_err e, const char *text,
    const char *currency)
{
	char dec[4];
	const struct render_var vars[] = {
		{ "text", text }, { "currency", amount_code(currency) },
		{ "decimals", dec },
	};

	snprintf(dec, sizeof(dec), "%d", amount_decimals(currency));
	return render(kwe[is_amount(e) ? e : KWE_NONE].en, vars,
	    nitems(vars), NULL);
}
