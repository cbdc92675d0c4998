/* cli_staff: "refbot staff add|list|set|deactivate", the registry. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "db_staff.h"
#include "json.h"
#include "util.h"

struct sopts {
	const char *name, *lang, *role, *active;
};

static int
valid(const struct sopts *o)
{
	if (o->lang != NULL && strcmp(o->lang, "en") != 0 &&
	    strcmp(o->lang, "ja") != 0) {
		fprintf(stderr, "refbot: --lang must be en or ja\n");
		return 0;
	}
	if (o->role != NULL && strcmp(o->role, "intake") != 0 &&
	    strcmp(o->role, "owner") != 0 && strcmp(o->role, "manager") != 0) {
		fprintf(stderr, "refbot: --role must be intake, owner or "
		    "manager\n");
		return 0;
	}
	if (o->active != NULL && strcmp(o->active, "on") != 0 &&
	    strcmp(o->active, "off") != 0) {
		fprintf(stderr, "refbot: --active must be on or off\n");
		return 0;
	}
	if (o->name != NULL && *o->name == '\0') {
		fprintf(stderr, "refbot: --name is empty\n");
		return 0;
	}
	return 1;
}

static int
add(struct refbot *rb, const char *addr, const struct sopts *o)
{
	char *email = xstrdup(addr);
	const char *at = strchr(email, '@');
	int r;

	ascii_lower(email);
	if (at == NULL || at == email || at[1] == '\0' ||
	    strpbrk(email, " \t<>,;\"") != NULL) {
		fprintf(stderr, "refbot: '%s' is not an email address\n", addr);
		free(email);
		return EX_USAGE_;
	}
	r = db_staff_add(rb->db, email, o->name, o->lang ? o->lang : "en",
	    o->role ? o->role : "intake", clock_now());
	if (r < 0) {
		free(email);
		return cli_db_error(rb);
	}
	if (r > 0)
		fprintf(stderr, "refbot: %s is registered already (refbot "
		    "staff set)\n", email);
	else
		printf("staff %s added\n", email);
	free(email);
	return r > 0 ? EX_DATAERR_ : 0;
}

static int
set(struct refbot *rb, const char *email, const struct sopts *o)
{
	struct staff_member m;
	int found = db_staff_get(rb->db, email, &m);

	if (found <= 0) {
		if (found == 0)
			fprintf(stderr, "refbot: no staff member %s (refbot "
			    "staff list)\n", email);
		staff_member_free(&m);
		return found < 0 ? cli_db_error(rb) : EX_DATAERR_;
	}
	if (o->name != NULL) {
		free(m.name);
		m.name = xstrdup(o->name);
	}
	if (o->lang != NULL) {
		free(m.lang);
		m.lang = xstrdup(o->lang);
	}
	if (o->role != NULL) {
		free(m.role);
		m.role = xstrdup(o->role);
	}
	if (o->active != NULL)
		m.active = strcmp(o->active, "on") == 0;
	found = db_staff_update(rb->db, &m);
	if (found == 0)
		printf("staff %s updated%s\n", m.email, m.active ? "" :
		    " (inactive: gets no mail, owns no new referral)");
	staff_member_free(&m);
	return found != 0 ? cli_db_error(rb) : 0;
}

static int
print_member(const struct staff_member *m, void *arg)
{
	struct list_ctx *lc = arg;

	if (!lc->json) {
		printf("%-32s  %-7s  %-2s  %-8s  %s\n", m->email, m->role,
		    m->lang, m->active ? "active" : "inactive", m->name);
		return 0;
	}
	buf_adds(&lc->out, lc->n++ ? ",\n  {" : "\n  {");
	json_kv_str(&lc->out, "email", m->email, 1);
	json_kv_str(&lc->out, "name", m->name, 0);
	json_kv_str(&lc->out, "lang", m->lang, 0);
	json_kv_str(&lc->out, "role", m->role, 0);
	json_kv_int(&lc->out, "active", m->active, 0);
	buf_addc(&lc->out, '}');
	return 0;
}

static int
cmd_staff(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ "lang", required_argument, NULL, 'l' },
		{ "role", required_argument, NULL, 'r' },
		{ "active", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	struct list_ctx lc = { 0, 0, { NULL, 0, 0 } };
	struct sopts o = { NULL, NULL, NULL, NULL };
	const char *verb;
	int c, rc, nargs;

	if (argc < 2)
		return cli_usage();
	verb = argv[1];
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:n:l:r:a:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if ((lc.json = cli_parse_format(optarg)) < 0)
				return EX_USAGE_;
			break;
		case 'n': o.name = optarg; break;
		case 'l': o.lang = optarg; break;
		case 'r': o.role = optarg; break;
		case 'a': o.active = optarg; break;
		default: return cli_usage();
		}
	}
	nargs = argc - optind;
	if (strcmp(verb, "list") == 0 ? nargs != 0 : nargs != 1)
		return cli_usage();
	if (strcmp(verb, "add") == 0 && o.name == NULL)
		return cli_usage();
	if (!valid(&o))
		return EX_USAGE_;
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	if (strcmp(verb, "add") == 0)
		rc = add(&rb, argv[optind], &o);
	else if (strcmp(verb, "set") == 0)
		rc = set(&rb, argv[optind], &o);
	else if (strcmp(verb, "deactivate") == 0) {
		o.active = "off";
		rc = set(&rb, argv[optind], &o);
	} else if (strcmp(verb, "list") == 0) {
		if (db_staff_each(rb.db, NULL, 0, print_member, &lc) != 0)
			rc = cli_db_error(&rb);
		else
			cli_list_print(&lc);
	} else
		rc = cli_usage();
	buf_free(&lc.out);
	refbot_close(&rb);
	return rc;
}

const struct cli_cmd cli_staff_cmd = { "staff",
"  staff add EMAIL --name NAME [--lang en|ja] [--role intake|owner|manager]\n"
"  staff set EMAIL [--name N] [--lang L] [--role R] [--active on|off]\n"
"  staff list [--format text|json]\n"
"  staff deactivate EMAIL\n",
	cmd_staff,
"The staff registry: who gets staff mail, in which language, and who\n"
"owns referrals.  Without one, staff_addresses in refbot.conf get every\n"
"staff mail in English.\n"
"Options:\n"
"  --name N           the person's name (ASSIGN / 担当 finds them by it)\n"
"  --lang en|ja       the language of every mail to them (default en)\n"
"  --role R           intake: in the rota that owns new referrals\n"
"                     (default); owner: owns what is assigned to them;\n"
"                     manager: gets escalations and stalled referrals\n"
"  --active on|off    off: no mail, no new referrals (deactivate)\n"
"  --format text|json (list)\n"
"\n"
"Example:\n"
"  refbot staff add yamamoto@firm.example --name \"山本 花子\" --lang ja "
"--role intake\n" };
