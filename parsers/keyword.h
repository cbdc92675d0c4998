/*
 * keyword: the status keyword on the first line of a staff reply
 * ("WON 1,200,000円", "LOST budget cut"), the alias table that maps
 * Japanese and other words to the canonical keywords
 * (templates/keywords.txt), and money amounts in integer minor units.
 *
 * Pure: bytes in, structs out; no I/O, no logging, no clock: the caller
 * says what day it is, which places a year-less date such as "12/3".
 */
#ifndef REFBOT_KEYWORD_H
#define REFBOT_KEYWORD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct keyword_table;

/*
 * Parses the alias file: "CANONICAL = alias, alias" lines (see
 * templates/keywords.txt).  Returns 0 and *out (free with
 * keyword_table_free), or -1 with *errstr = "LINE: why" (caller frees).
 */
int keyword_table_parse(const char *text, size_t len,
    struct keyword_table **out, char **errstr);
void keyword_table_free(struct keyword_table *);

enum kw {
	KW_NONE = 0,
	KW_CONTACTED,
	KW_MEETING,
	KW_PROPOSAL,
	KW_WON,
	KW_LOST,
	KW_DECLINED,
	KW_NOTE,
	KW_REOPEN,
	KW_STATUS,
	KW_UNSUBSCRIBE,
	KW_CREDIT,
	KW_REVENUE,
	KW_HOT_OPPORTUNITY,	/* the newsletter's profile, by staff */
	KW_TEMPLATE,		/* a partner asks for the blank form */
	KW_AMEND,		/* a WON referral's amount corrected */
	KW_ASSIGN,		/* an open referral to another owner */
	KW_GIVEN,		/* staff: a referral the firm gave a partner */
};

enum kw_arg {
	KW_ARG_NONE,
	KW_ARG_OPTIONAL_DATE,
	KW_ARG_OPTIONAL_AMOUNT,
	KW_ARG_AMOUNT,
	KW_ARG_TEXT_REQUIRED,
	KW_ARG_TEXT,
	KW_ARG_REF,		/* required for CREDIT, optional for STATUS */
	KW_ARG_WHO,		/* a staff address or name, on the line */
};

/*
 * Why a keyword line was not understood (parsers/keyword_error.c): with
 * the command's err_* words, a line of mail/staff-lines in each language.
 */
enum keyword_err {
	KWE_NONE = 0,
	KWE_EMPTY,		/* known */
	KWE_UNKNOWN,		/* text (the line), known */
	KWE_UNKNOWN_NEAR,	/* text, known, near (an alias run into text) */
	KWE_NEEDS_AMOUNT,
	/* An amount refbot will not take: text, the amount as written. */
	KWE_AMOUNT_NEGATIVE,
	KWE_AMOUNT_CURRENCY,	/* text, currency (the configured one) */
	KWE_AMOUNT_WHOLE,	/* text, currency: it has no decimals */
	KWE_AMOUNT_DECIMALS,	/* text, currency, decimals (how many) */
	KWE_AMOUNT_ZERO,
	KWE_AMOUNT_AMBIGUOUS,	/* "1,2000", "12.000" */
	KWE_AMOUNT_TOO_LARGE,
	KWE_NOT_AMOUNT,		/* text: what stands where the amount goes */
	KWE_BAD_DATE,		/* text */
	KWE_BAD_TIME,		/* text */
	KWE_NEEDS_REF,
	KWE_NEEDS_WHO,
	KWE_NEEDS_REASON,
};

/* Every pointer member is owned by the command: keyword_cmd_free. */
struct keyword_cmd {
	enum kw kw;
	const char *name;	/* canonical English name, static; or "" */
	char *arg;		/* rest of the keyword line, trimmed; or NULL */
	int64_t amount_minor;	/* minor units, or -1 (none) */
	char *date;		/* MEETING: "YYYY-MM-DD" if one was read */
	int minute;		/* and the time after it: 0..1439, or -1 */
	int end_minute;		/* and when it ends (> minute), or -1 */
	int64_t ref;		/* STATUS/CREDIT: 123 for REF-000123; or 0 */
	/*
	 * The words of the argument after any amount, date or REF: WON's
	 * scope, MEETING's "next week", LOST's reason, NOTE's text,
	 * ASSIGN's person (an address or name, as written).  For
	 * LOST, DECLINED and NOTE an empty argument is taken from the first
	 * non-blank line of relay.  NULL if none.
	 */
	char *text;
	char *relay;		/* the lines after the keyword line, or "" */
	char *error;		/* NULL, or a sentence saying what is wrong */
	enum keyword_err err;	/* with error: why, as a code */
	char *err_text;		/* and its words, or NULL: see enum keyword_err */
	char *err_known;
	char *err_near;
	char *err_currency;	/* KWE_AMOUNT_*: the configured currency */
	char err_decimals[4];	/* and its decimals, as digits */
};

/*
 * Reads the first non-blank line of text (a reply already stripped of
 * quotes and signatures).  Returns 0 when it starts with a keyword or
 * alias: *cmd is filled, with cmd->error set when the argument is
 * missing or unreadable.  Returns -1 when it does not (or text is blank):
 * cmd->kw is KW_NONE and cmd->error says what the known keywords are.
 * A NULL table knows only the English names.  currency is the ISO code
 * amounts are kept in ("JPY", "USD", ...; NULL means JPY).  today is
 * the local date the text was read on: MEETING's "12/3" is taken in the
 * year that puts it nearest today; a time after the date ("14:00",
 * "2pm", "14時", "午後2時半") is local too.  Either way the caller frees *cmd
 * with keyword_cmd_free.
 */
int keyword_parse(const struct keyword_table *, const char *text,
    const char *currency, const struct tm *today, struct keyword_cmd *cmd);
void keyword_cmd_free(struct keyword_cmd *);

/* Why a GIVEN mail cannot be recorded (the words: given_err_key). */
enum given_err {
	GIVEN_ERR_NONE,
	GIVEN_ERR_NO_PARTNER,	/* no partner after the keyword */
	GIVEN_ERR_NO_CLIENT,	/* no "Client:" line */
	GIVEN_ERR_CONTACT,	/* the contact is not an address (err_text) */
};

/*
 * Issue 19.4: a staff member's mail to the intake recording a referral
 * the firm gave a partner: "GIVEN partner@firm.example" (or 紹介先) on
 * the first line of the text, or as the subject, and below it the form:
 * "Client: Acme KK" (required), "Contact: cfo@acme.example", "Note: tax
 * advice" (Japanese labels: 顧客/クライアント, 連絡先/メール, メモ/備考).
 * Every member is owned: given_mail_free.
 */
struct given_mail {
	char *partner;		/* the partner as written: an address or id */
	char *client;
	char *contact;		/* as written, or NULL */
	char *note;		/* or NULL */
	char *error;		/* NULL, or what is wrong, in English */
	enum given_err err;	/* the same as a code */
	char *err_text;		/* the words it quotes ({{text}}), or NULL */
};
/*
 * Returns 1 when text's first line (else the subject, NULL for none) is
 * GIVEN: *g filled, with g->error set when something is missing or
 * unreadable; 0 when it is not a GIVEN mail (*g empty).
 */
int given_mail_parse(const struct keyword_table *, const char *subject,
    const char *text, struct given_mail *g);
void given_mail_free(struct given_mail *);
/*
 * e's line key in mail/staff-lines ("given.no-client"; static, "" for
 * GIVEN_ERR_NONE); the line's {{text}} is g->err_text.
 */
const char *given_err_key(enum given_err e);

struct render_var;
#define KEYWORD_ERR_NVARS 6
/*
 * cmd's error as a line key of mail/staff-lines ("keyword.needs-amount";
 * static, "" for KWE_NONE) and the values of its placeholders (keyword,
 * text, known, near, currency, decimals) in vars[KEYWORD_ERR_NVARS],
 * pointing into cmd.
 */
const char *keyword_err_key(enum keyword_err);
size_t keyword_err_vars(const struct keyword_cmd *, struct render_var *vars);

/* The keyword and its argument for help text: "WON <amount>"; static. */
const char *keyword_arg_help(enum kw);
enum kw_arg keyword_arg(enum kw);

/*
 * Reads a whole string as an amount in currency ("¥1,200,000", "120万円",
 * "12k", "USD 12,000.50", full-width digits).  Returns minor units
 * (> 0 and at most 10^13), or -1 with *errstr set (caller frees).
 */
int64_t amount_parse(const char *s, const char *currency, char **errstr);
/* Digits after the point in currency's amounts (JPY 0, USD 2). */
int amount_decimals(const char *currency);
/* "¥1,200,000", "$12,000.00", "€5.50"; caller frees. */
char *amount_format(int64_t minor, const char *currency);

#endif
