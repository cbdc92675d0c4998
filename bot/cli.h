/*
 * cli: what the command-line modules share — the usage text, --format,
 * opening refbot with the error on stderr, list output.
 */
#ifndef REFBOT_CLI_H
#define REFBOT_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "refbot.h"
#include "util.h"

struct list_ctx {
	int json;
	int n;
	struct buf out;
};

int usage(void);
/* --format text|json: 0 text, 1 json, -1 (said on stderr) otherwise. */
int parse_format(const char *);
/* refbot_open with the error on stderr; returns its EX_* code. */
int open_or_complain(struct refbot *, const char *conf, int create);
void iso_time(int64_t t, char *buf, size_t size);
/* A partner by id or address; 0, or an EX_* code said on stderr. */
int find_partner(struct refbot *, const char *key, struct partner *);

int cmd_partner(const char *conf, int argc, char **argv);
int cmd_payout(const char *conf, int argc, char **argv);
int cmd_report(const char *conf, int argc, char **argv);
int cmd_given(const char *conf, int argc, char **argv);
int cmd_statement(const char *conf, int argc, char **argv);
int cmd_cost(const char *conf, int argc, char **argv);
int cmd_newsletter(const char *conf, int argc, char **argv);

#endif
