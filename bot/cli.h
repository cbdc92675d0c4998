/*
 * cli: what the command-line modules share — the command table's entry,
 * the help text, --format, opening refbot with the error on stderr, list
 * output.
 *
 * Each command family lives in its own cli_*.c and exports one struct
 * cli_cmd per command; main.c lists them in cli_table, which gives both
 * the dispatch and the help text (entries in table order).
 */
#ifndef REFBOT_CLI_H
#define REFBOT_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "refbot.h"
#include "util.h"

/* One command: "refbot NAME ARGS" runs exec(conf, argc, argv), argv[0]
 * being NAME. A row with no name is help text only. */
struct cli_cmd {
	const char *name;
	const char *usage;	/* its lines of the help text */
	int (*exec)(const char *conf, int argc, char **argv);
	/* "refbot NAME --help" after the usage lines: what the options do
	 * and an example; NULL prints the usage lines alone. */
	const char *help;
};

struct list_ctx;
struct partner;
/*
 * "partner show": the partner's tier this year and what would raise it,
 * printed (text) or as a "commission_tier" key added to lc's object
 * (JSON).  0, or
 * an EX_* code (cli_tier.c).
 */
int cli_partner_tier(struct refbot *, const struct partner *,
    struct list_ctx *);

/* The command table, NULL-terminated; in main.c. */
extern const struct cli_cmd *const cli_table[];

/* -v was given (main sets it). */
extern int cli_verbose;

struct list_ctx {
	int json;
	int n;
	struct buf out;
};

/* A JSON list's rows, in brackets, when lc->json (its text: nothing). */
void cli_list_print(const struct list_ctx *);
/* The whole help text: the commands of cli_table and the options. */
void cli_help(FILE *);
/* One command's help: its usage lines, then its help text. */
void cli_command_help(FILE *, const struct cli_cmd *);
/* The help text on stderr; returns EX_USAGE_. */
int cli_usage(void);
/* --format text|json: 0 text, 1 json, -1 (said on stderr) otherwise. */
int cli_parse_format(const char *);
/* refbot_open with the error on stderr; returns its EX_* code. */
int cli_open(struct refbot *, const char *conf, int create);
/* The database's last error on stderr; returns EX_IOERR_. */
int cli_db_error(struct refbot *);
/*
 * YYYY-MM-DD as the midnight starting it in the configured timezone; -1
 * if not a date.
 */
int64_t cli_parse_day(const char *);
/* t as 2026-12-07T04:50:37+09:00, in the configured timezone. */
void cli_iso_time(int64_t t, char *buf, size_t size);
/* A partner by id or address; 0, or an EX_* code said on stderr. */
int cli_find_partner(struct refbot *, const char *key, struct partner *);
/* Who is at the keyboard, for history: "cli:USER" (static). */
const char *cli_actor(void);

/* cli_daemon.c */
extern const struct cli_cmd cli_init_cmd, cli_run_cmd, cli_doctor_cmd;
/* cli_referral.c */
extern const struct cli_cmd cli_referral_cmd;
/* cli_referral_add.c: "referral add ARGS", argv[0] being "add". */
int cli_referral_add(const char *conf, int argc, char **argv);
/* cli_message.c */
extern const struct cli_cmd cli_message_cmd;
/* cli_staff.c */
extern const struct cli_cmd cli_staff_cmd;
/* cli_partner.c */
extern const struct cli_cmd cli_partner_cmd;
extern const struct cli_cmd cli_partner_options;
/* cli_contact.c: "partner contact add|remove|list" (argv[0] "contact"). */
int cli_contact_run(const char *conf, int argc, char **argv);
/*
 * Adds a contact to a partner, in the caller's transaction; role main,
 * billing or other, lang en, ja or NULL.  0, or an EX_* code said on
 * stderr.
 */
int cli_contact_add(struct refbot *, int64_t partner_id, const char *addr,
    const char *name, const char *lang, const char *role);
/* The contacts column of partner import: "a@x:billing; b@x" (as above). */
int cli_contacts_import(struct refbot *, int64_t partner_id,
    const char *list);
/* cli_ledger.c */
extern const struct cli_cmd cli_payout_cmd, cli_ledger_cmd;
/* cli_report.c */
extern const struct cli_cmd cli_given_cmd, cli_cost_cmd, cli_statement_cmd;
extern const struct cli_cmd cli_report_cmd;
/* cli_review.c */
extern const struct cli_cmd cli_review_cmd;
/*
 * "--quarter Q [--partner P] [--send]" (the quarter required, or the
 * current one): one(rb, partner, quarter, send) for that partner or each
 * active one, until one fails.  An exit code.
 */
struct quarter;
int cli_quarterly(const char *conf, int argc, char **argv, int need_quarter,
    int (*one)(struct refbot *, const struct partner *,
    const struct quarter *, int send));
/* cli_newsletter.c */
extern const struct cli_cmd cli_newsletter_cmd;
/* cli_outbox.c */
extern const struct cli_cmd cli_outbox_cmd;
/* cli_export.c */
extern const struct cli_cmd cli_export_cmd;
/* cli_forget.c */
extern const struct cli_cmd cli_forget_cmd;
/* cli_survey.c */
extern const struct cli_cmd cli_survey_cmd;
/* cli_parse.c */
extern const struct cli_cmd cli_parse_cmd;

#endif
