/* cli: the helpers every command-line module uses (see cli.h). */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"

int cli_verbose;

/* The global options are main.c's; the commands' lines are the table's. */
static const char help_head[] =
"usage: refbot [--config FILE] [-v] [--syslog] COMMAND [ARGS]\n"
"\n"
"Commands:\n";

static const char help_tail[] =
"\n"
"Options:\n"
"  -c, --config FILE   configuration file (default: $REFBOT_CONFIG, else\n"
"                      " SYSCONFDIR "/refbot/refbot.conf)\n"
"  -v, --verbose       debug logging\n"
"      --syslog        log to syslog instead of stderr\n"
"  -h, --help          this text\n"
"  -V, --version       the version\n"
"\n"
"'refbot COMMAND --help' explains one command, with an example.\n"
"\n"
"Exit codes follow sysexits(3): 0 success, 64 usage, 65 bad data (no such\n"
"referral, partner or mail), 66 an input file is missing, 69 server\n"
"unavailable, 70 internal error, 74 database, 75 try again later, 76 TLS,\n"
"77 login refused, 78 configuration.  refbot(1) says more.\n";

void
cli_help(FILE *fp)
{
	size_t i;

	fputs(help_head, fp);
	for (i = 0; cli_table[i] != NULL; i++)
		fputs(cli_table[i]->usage, fp);
	fputs(help_tail, fp);
}

void
cli_command_help(FILE *fp, const struct cli_cmd *cmd)
{
	fputs("usage: refbot [--config FILE] [-v] [--syslog] COMMAND ...\n"
	    "\n", fp);
	fputs(cmd->usage, fp);
	if (cmd->help != NULL) {
		fputc('\n', fp);
		fputs(cmd->help, fp);
	}
	fputs("\n'refbot --help' lists every command and the global "
	    "options; refbot(1) has the\ndetails and the exit codes.\n", fp);
}

int
cli_usage(void)
{
	cli_help(stderr);
	return EX_USAGE_;
}

void
cli_list_print(const struct list_ctx *lc)
{
	if (lc->json)
		printf("[%s%s]\n", lc->out.data ? lc->out.data : "",
		    lc->n ? "\n" : "");
}

int64_t
cli_parse_day(const char *s)
{
	struct tm tm;
	char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

void
cli_iso_time(int64_t t, char *buf, size_t size)
{
	struct tm tm;
	size_t n;

	/* RFC 3339 in the configured timezone: "+09:00", not "+0900". */
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S%z", clock_local(t, &tm));
	if (n >= 5 && n + 1 < size) {
		memmove(buf + n - 1, buf + n - 2, 3);
		buf[n - 2] = ':';
	}
}

/* Parses --format text|json; returns 0 text, 1 json, -1 bad. */
int
cli_parse_format(const char *s)
{
	if (strcmp(s, "text") == 0)
		return 0;
	if (strcmp(s, "json") == 0)
		return 1;
	fprintf(stderr, "refbot: --format must be text or json\n");
	return -1;
}

int
cli_open(struct refbot *rb, const char *conf, int create)
{
	char *err = NULL;
	int rc = refbot_open(rb, conf, create, &err);

	if (rc != 0) {
		fprintf(stderr, "refbot: %s\n", err);
		free(err);
	}
	return rc;
}

int
cli_db_error(struct refbot *rb)
{
	fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb->db));
	return EX_IOERR_;
}

int
cli_find_partner(struct refbot *rb, const char *key, struct partner *p)
{
	int found = db_partner_find(rb->db, key, p);

	if (found > 0)
		return 0;
	fprintf(stderr, "refbot: %s\n", found < 0 ? db_errmsg(rb->db) :
	    "no such partner");
	return found < 0 ? EX_IOERR_ : EX_DATAERR_;
}

const char *
cli_actor(void)
{
	static char actor[64];
	struct passwd *pw = getpwuid(getuid());

	snprintf(actor, sizeof(actor), "cli:%s", pw != NULL ? pw->pw_name :
	    "?");
	return actor;
}
