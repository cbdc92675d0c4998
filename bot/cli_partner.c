/* cli_partner: "refbot partner ..." — the partner registry. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db_contacts.h"
#include "db_ledger.h"
#include "db_partners.h"
#include "db_staff.h"
#include "db_surveys.h"
#include "enable.h"
#include "json.h"
#include "keyword.h"
#include "kvfile.h"

/* Options given on the command line; unset ones leave a field alone. */
struct popts {
	const char *name, *lang, *tier, *terms, *rate, *fee, *newsletter;
	const char *active, *cc_main;
	const char *contacts;	/* import: the contacts column */
	const char *owner;	/* set: the account manager ("-": none) */
	const char *client_contact;	/* set: the client survey allowed */
	const char *email;	/* set: the new main address */
	char *domains;		/* appended with each --domain */
	int json;
	int welcome;		/* add/import: queue the welcome kit */
};

static int
bad(const char *what)
{
	fprintf(stderr, "refbot: %s\n", what);
	return EX_USAGE_;
}

/* "15", "15%" or "12.5%" as basis points; -1 if unreadable. */
static int64_t
parse_rate(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || (*end != '\0' && strcmp(end, "%") != 0) || v < 0 ||
	    v > 100)
		return -1;
	return (int64_t)(v * 100 + 0.5);
}

/* Applies the options to p; returns 0 or an EX_* code (said on stderr). */
static int
apply(struct refbot *rb, struct partner *p, const struct popts *o)
{
	char *err = NULL;
	int b;

	if (o->name != NULL) {
		free(p->name);
		p->name = xstrdup(o->name);
	}
	if (o->lang != NULL) {
		if (strcmp(o->lang, "en") && strcmp(o->lang, "ja") &&
		    strcmp(o->lang, "auto"))
			return bad("--lang must be en, ja or auto");
		free(p->lang);
		p->lang = xstrdup(o->lang);
	}
	if (o->domains != NULL) {
		free(p->domains);
		p->domains = xstrdup(o->domains);
		ascii_lower(p->domains);
	}
	if (o->tier != NULL) {
		if (strcmp(o->tier, "1") && strcmp(o->tier, "2") &&
		    strcmp(o->tier, "3"))
			return bad("--tier must be 1 (strategic), 2 (active) "
			    "or 3 (referral network)");
		p->tier = atoi(o->tier);
	}
	if (o->terms != NULL) {
		if (strcmp(o->terms, "percent") && strcmp(o->terms,
		    "recurring") && strcmp(o->terms, "flat") &&
		    strcmp(o->terms, "reciprocal"))
			return bad("--terms must be percent, recurring, flat "
			    "or reciprocal");
		free(p->terms);
		p->terms = xstrdup(o->terms);
	}
	if (o->rate != NULL) {
		if (strcmp(o->rate, "tier") == 0)
			p->rate_bp = -1;
		else if ((p->rate_bp = parse_rate(o->rate)) < 0)
			return bad("--rate must be a percentage such as 15% "
			    "(or 'tier' for the tier table)");
	}
	if (o->fee != NULL) {
		if ((p->flat_fee = amount_parse(o->fee, rb->cfg.currency,
		    &err)) < 0) {
			fprintf(stderr, "refbot: --fee: %s\n", err);
			free(err);
			return EX_USAGE_;
		}
	}
	if (o->newsletter != NULL) {
		if ((b = kv_bool(o->newsletter)) < 0)
			return bad("--newsletter must be on or off");
		/*
		 * Turning it on is the operator saying the address works:
		 * a hard bounce no longer keeps the newsletter from it.
		 */
		if (b && p->bounced != NULL) {
			free(p->bounced);
			p->bounced = NULL;
		}
		p->newsletter = b;
	}
	if (o->active != NULL) {
		if ((b = kv_bool(o->active)) < 0)
			return bad("--active must be on or off");
		p->active = b;
	}
	if (o->cc_main != NULL) {
		if ((b = kv_bool(o->cc_main)) < 0)
			return bad("--cc-main must be on or off");
		p->cc_main = b;
	}
	return 0;
}

static int
print_partner(const struct partner *p, void *arg)
{
	struct list_ctx *lc = arg;
	char rate[32];

	if (p->rate_bp >= 0)
		snprintf(rate, sizeof(rate), "%lld.%02lld%%",
		    (long long)p->rate_bp / 100, (long long)p->rate_bp % 100);
	else
		snprintf(rate, sizeof(rate), "tier table");
	if (!lc->json) {
		printf("%-5lld %-28s %-30s %-4s tier %d  %s %s%s%s%s\n",
		    (long long)p->id, p->name, p->email, p->lang, p->tier,
		    p->terms, rate, p->active ? "" : "  (inactive)",
		    p->bounced ? "  (address bounced)" : "",
		    p->newsletter ? "" : "  (no newsletter)");
		if (!p->cc_main)
			printf("      progress mail: submitter only (--cc-main "
			    "off)\n");
		if (p->domains && *p->domains)
			printf("      domains: %s\n", p->domains);
		return 0;
	}
	buf_adds(&lc->out, lc->n++ ? ",\n  {" : "\n  {");
	json_kv_int(&lc->out, "id", p->id, 1);
	json_kv_str(&lc->out, "name", p->name, 0);
	json_kv_str(&lc->out, "email", p->email, 0);
	json_kv_str(&lc->out, "lang", p->lang, 0);
	json_kv_str(&lc->out, "domains", p->domains, 0);
	json_kv_int(&lc->out, "tier", p->tier, 0);
	json_kv_str(&lc->out, "terms", p->terms, 0);
	json_kv_int(&lc->out, "rate_bp", p->rate_bp, 0);
	json_kv_int(&lc->out, "flat_fee", p->flat_fee, 0);
	json_key(&lc->out, "cc_main", 0);
	buf_adds(&lc->out, p->cc_main ? "true" : "false");
	json_key(&lc->out, "newsletter", 0);
	buf_adds(&lc->out, p->newsletter ? "true" : "false");
	json_kv_str(&lc->out, "bounced", p->bounced, 0);
	json_kv_int(&lc->out, "soft_bounces", p->soft_bounces, 0);
	json_key(&lc->out, "active", 0);
	buf_adds(&lc->out, p->active ? "true}" : "false}");
	return 0;
}

/* Adds a partner, then applies the options; 0 or an EX_* code. */
static int
add_one(struct refbot *rb, const char *addr, const struct popts *o,
    int quiet)
{
	struct partner p;
	char *email = strtrim(xstrdup(addr));
	int64_t id;
	int rc;

	ascii_lower(email);
	if (strchr(email, '@') == NULL || strpbrk(email, " <>,;") != NULL) {
		fprintf(stderr, "refbot: '%s' is not an email address\n",
		    email);
		free(email);
		return EX_DATAERR_;
	}
	if (db_begin(rb->db) != 0)
		goto dberr;
	if (db_partner_add(rb->db, o->name ? o->name : email, email,
	    o->lang ? o->lang : "auto", &id) != 0) {
		fprintf(stderr, "refbot: cannot add partner %s: %s\n", email,
		    db_errmsg(rb->db));
		db_rollback(rb->db);
		free(email);
		return EX_DATAERR_;
	}
	if (db_partner_find(rb->db, email, &p) <= 0)
		goto dberr;
	if ((rc = apply(rb, &p, o)) != 0 || db_partner_update(rb->db, &p) ||
	    (o->contacts != NULL && (rc = cli_contacts_import(rb, id,
	    o->contacts)) != 0)) {
		partner_free(&p);
		db_rollback(rb->db);
		free(email);
		return rc ? rc : EX_IOERR_;
	}
	/* In the same transaction: a partner added is a partner welcomed. */
	if (o->welcome && p.active && enable_welcome(rb, &p, 0) < 0) {
		fprintf(stderr, "refbot: partner %s not added: the welcome kit "
		    "could not be queued (see the log above; 'refbot doctor' "
		    "checks the texts)\n", email);
		partner_free(&p);
		db_rollback(rb->db);
		free(email);
		return EX_CONFIG_;
	}
	if (db_commit(rb->db) != 0) {
		partner_free(&p);
		goto dberr;
	}
	if (!quiet)
		printf("partner %lld added: %s <%s>%s\n", (long long)id, p.name,
		    email, !o->welcome ? "" : !p.active ? "; inactive, so no "
		    "welcome kit" : "; welcome kit queued (sent by 'refbot "
		    "run')");
	partner_free(&p);
	free(email);
	return 0;
dberr:
	fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb->db));
	db_rollback(rb->db);
	free(email);
	return EX_IOERR_;
}

/* Splits one CSV line (RFC 4180 quoting) into at most max fields. */
static size_t
csv_fields(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *r = line, *w;

	while (n < max) {
		f[n++] = w = r;
		if (*r == '"') {
			r++;
			for (; *r != '\0'; r++) {
				if (*r == '"' && r[1] == '"')
					*w++ = *r++;
				else if (*r == '"') {
					r++;
					break;
				} else
					*w++ = *r;
			}
			while (*r != '\0' && *r != ',')
				r++;
		} else
			while (*r != '\0' && *r != ',')
				*w++ = *r++;
		if (*r == '\0') {
			*w = '\0';
			break;
		}
		*w = '\0';
		r++;
	}
	return n;
}

/*
 * email,name,lang,domains,tier,terms,rate,contacts — a header line is
 * skipped.
 */
static int
import_csv(struct refbot *rb, const char *path, int welcome_kit)
{
	char *text = read_file(path, NULL), *line, *save = NULL, *f[8];
	int lineno = 0, added = 0, rc = 0, r;
	size_t n, i;

	if (text == NULL) {
		fprintf(stderr, "refbot: %s: %s\n", path, strerror(errno));
		return EX_NOINPUT_;
	}
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		struct popts o;
		char *dom;

		lineno++;
		line[strcspn(line, "\r")] = '\0';
		if (*strtrim(line) == '\0' || *line == '#')
			continue;
		memset(f, 0, sizeof(f));
		n = csv_fields(line, f, 8);
		for (i = 0; i < n; i++)
			strtrim(f[i]);
		if (lineno == 1 && ascii_strcasecmp(f[0], "email") == 0)
			continue;
		memset(&o, 0, sizeof(o));
		o.welcome = welcome_kit;
		o.name = n > 1 && *f[1] ? f[1] : NULL;
		o.lang = n > 2 && *f[2] ? f[2] : NULL;
		dom = n > 3 && *f[3] ? xstrdup(f[3]) : NULL;
		/* Domains may be separated by spaces or semicolons in CSV. */
		for (char *c = dom; c && *c; c++)
			if (*c == ';' || *c == ' ')
				*c = ',';
		o.domains = dom;
		o.tier = n > 4 && *f[4] ? f[4] : NULL;
		o.terms = n > 5 && *f[5] ? f[5] : NULL;
		o.rate = n > 6 && *f[6] ? f[6] : NULL;
		o.contacts = n > 7 && *f[7] ? f[7] : NULL;
		if ((r = add_one(rb, f[0], &o, 1)) != 0) {
			fprintf(stderr, "refbot: %s:%d: partner not added\n",
			    path, lineno);
			rc = r;
		} else
			added++;
		free(dom);
	}
	free(text);
	printf("%d partner(s) imported from %s%s\n", added, path, welcome_kit &&
	    added ? "; welcome kits queued (sent by 'refbot run')" : "");
	return rc;
}

static int
show(struct refbot *rb, const char *key, struct list_ctx *lc)
{
	struct partner p;
	int64_t earned = 0, paid = 0, welcomed;
	char *e, *pd, *bal, when[32] = "";
	int rc;

	if ((rc = cli_find_partner(rb, key, &p)) != 0)
		return rc;

	if (db_ledger_totals(rb->db, p.id, &earned, &paid) != 0 ||
	    (welcomed = db_partner_welcomed_at(rb->db, p.id)) < 0) {
		partner_free(&p);
		return cli_db_error(rb);
	}
	print_partner(&p, lc);
	if (lc->json) {
		/* One object with the money added, not a list. */
		lc->out.data[--lc->out.len] = '\0';
		json_kv_int(&lc->out, "commission_earned", earned, 0);
		json_kv_int(&lc->out, "paid", paid, 0);
		json_kv_int(&lc->out, "balance", earned - paid, 0);
		if (welcomed > 0)
			cli_iso_time(welcomed, when, sizeof(when));
		json_kv_str(&lc->out, "welcomed_at", welcomed > 0 ? when :
		    NULL, 0);
		if ((rc = cli_partner_tier(rb, &p, lc)) == 0)
			printf("%s}\n", lc->out.data + 3);
		partner_free(&p);
		return rc;
	}
	e = amount_format(earned, rb->cfg.currency);
	pd = amount_format(paid, rb->cfg.currency);
	bal = amount_format(earned >= paid ? earned - paid : paid - earned,
	    rb->cfg.currency);
	printf("      commission earned %s, paid %s, balance %s%s%s\n", e, pd,
	    earned < paid ? "-" : "", bal, earned < paid ? " (paid more than "
	    "earned: a commission reversed after it was paid)" : paid > 0 &&
	    paid < earned ? " (partly paid)" : "");
	if (welcomed > 0)
		cli_iso_time(welcomed, when, sizeof(when));
	printf("      welcome kit %s%s\n", welcomed > 0 ? "sent " : "not sent "
	    "(refbot partner welcome)", when);
	rc = cli_partner_tier(rb, &p, lc);
	partner_free(&p);
	free(e);
	free(pd);
	free(bal);
	return rc;
}

/* --owner: an active staff member (staff.h), or "-" for none. */
static int
set_owner(struct refbot *rb, const struct partner *p, const char *owner)
{
	struct staff_member m;
	int found;

	if (owner == NULL)
		return 0;
	if (strcmp(owner, "-") == 0)
		return db_partner_set_owner(rb->db, p->id, NULL) != 0 ?
		    cli_db_error(rb) : 0;
	if ((found = db_staff_get(rb->db, owner, &m)) < 0)
		return cli_db_error(rb);
	if (found == 0 || !m.active) {
		fprintf(stderr, "refbot: %s is not an active staff member "
		    "(refbot staff add)\n", owner);
		staff_member_free(&m);
		return EX_DATAERR_;
	}
	found = db_partner_set_owner(rb->db, p->id, m.email);
	staff_member_free(&m);
	return found != 0 ? cli_db_error(rb) : 0;
}

/*
 * "partner set P --email NEW": NEW becomes the firm's address (its main
 * contact) and the old one stops being the firm's: mail from it is a
 * stranger's and "forget OLD" may erase it.  To keep it, add it back as
 * a contact.  *p is read again.
 */
static int
set_email(struct refbot *rb, struct partner *p, const char *addr)
{
	char *old = xstrdup(p->email), idbuf[24];
	int rc;

	if (db_begin(rb->db) != 0) {
		free(old);
		return cli_db_error(rb);
	}
	rc = cli_contact_add(rb, p->id, addr, NULL, NULL, "main");
	if (rc == 0 && db_contact_remove(rb->db, p->id, old) < 0)
		rc = cli_db_error(rb);
	if (rc == 0 && db_commit(rb->db) != 0)
		rc = cli_db_error(rb);
	if (rc != 0)
		db_rollback(rb->db);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)p->id);
	partner_free(p);
	if (db_partner_find(rb->db, idbuf, p) <= 0) {
		free(old);
		return rc != 0 ? rc : cli_db_error(rb);
	}
	if (rc == 0)
		printf("partner %lld: main address %s (was %s, which is no "
		    "longer the partner's; to keep it: refbot partner contact "
		    "add %lld %s)\n", (long long)p->id, p->email, old,
		    (long long)p->id, old);
	free(old);
	return rc;
}

static int
set(struct refbot *rb, const char *key, const struct popts *o)
{
	struct partner p;
	int rc;

	if (o->client_contact != NULL && kv_bool(o->client_contact) < 0)
		return bad("--client-contact must be on or off");
	if ((rc = cli_find_partner(rb, key, &p)) != 0)
		return rc;
	if (o->email != NULL && (rc = set_email(rb, &p, o->email)) != 0) {
		partner_free(&p);
		return rc;
	}
	if ((rc = apply(rb, &p, o)) == 0 && (rc = set_owner(rb, &p,
	    o->owner)) == 0) {
		if (db_partner_update(rb->db, &p) != 0 ||
		    (o->client_contact != NULL &&
		    db_partner_set_client_contact(rb->db, p.id,
		    kv_bool(o->client_contact)) < 0)) {
			rc = cli_db_error(rb);
		} else
			printf("partner %lld updated\n", (long long)p.id);
	}
	partner_free(&p);
	return rc;
}

/* "partner welcome P": the kit again, on purpose, and says so. */
static int
welcome(struct refbot *rb, const char *key)
{
	struct partner p;
	char when[32];
	int64_t at;
	int rc;

	if ((rc = cli_find_partner(rb, key, &p)) != 0)
		return rc;
	if (!p.active) {
		fprintf(stderr, "refbot: partner %lld is inactive: no welcome "
		    "kit (reactivate with 'partner set %lld --active on')\n",
		    (long long)p.id, (long long)p.id);
		partner_free(&p);
		return EX_DATAERR_;
	}
	if (db_begin(rb->db) != 0 ||
	    (at = db_partner_welcomed_at(rb->db, p.id)) < 0) {
		fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb->db));
		db_rollback(rb->db);
		partner_free(&p);
		return EX_IOERR_;
	}
	if (enable_welcome(rb, &p, 1) < 0) {
		fprintf(stderr, "refbot: the welcome kit could not be queued "
		    "(see the log above; 'refbot doctor' checks the texts)\n");
		db_rollback(rb->db);
		partner_free(&p);
		return EX_CONFIG_;
	}
	if (db_commit(rb->db) != 0) {
		fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb->db));
		db_rollback(rb->db);
		partner_free(&p);
		return EX_IOERR_;
	}
	if (at > 0) {
		cli_iso_time(at, when, sizeof(when));
		printf("partner %lld: welcome kit queued again (last sent %s)"
		    "\n", (long long)p.id, when);
	} else
		printf("partner %lld: welcome kit queued\n", (long long)p.id);
	if (p.bounced != NULL)
		fprintf(stderr, "refbot: warning: mail to %s bounced before "
		    "(%s)\n", p.email, p.bounced);
	partner_free(&p);
	return 0;
}

static int
cmd_partner(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ "lang", required_argument, NULL, 'l' },
		{ "domain", required_argument, NULL, 'd' },
		{ "tier", required_argument, NULL, 't' },
		{ "terms", required_argument, NULL, 'T' },
		{ "rate", required_argument, NULL, 'r' },
		{ "fee", required_argument, NULL, 'F' },
		{ "newsletter", required_argument, NULL, 'N' },
		{ "active", required_argument, NULL, 'a' },
		{ "welcome", no_argument, NULL, 'w' },
		{ "cc-main", required_argument, NULL, 'C' },
		{ "owner", required_argument, NULL, 'o' },
		{ "client-contact", required_argument, NULL, 'K' },
		{ "email", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	struct list_ctx lc = { 0, 0, { NULL, 0, 0 } };
	struct popts o;
	const char *verb;
	int c, rc, nargs;

	if (argc < 2)
		return cli_usage();
	verb = argv[1];
	if (strcmp(verb, "contact") == 0)
		return cli_contact_run(conf, argc - 1, argv + 1);
	argc--, argv++;
	memset(&o, 0, sizeof(o));
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:n:l:d:t:T:r:F:N:a:wC:o:K:e:", opts,
	    NULL)) != -1) {
		switch (c) {
		case 'f':
			if ((lc.json = cli_parse_format(optarg)) < 0)
				goto usage_err;
			break;
		case 'n': o.name = optarg; break;
		case 'l': o.lang = optarg; break;
		case 'd': {
			char *d = o.domains ? xasprintf("%s,%s", o.domains,
			    optarg) : xstrdup(optarg);
			free(o.domains);
			o.domains = d;
			break;
		}
		case 't': o.tier = optarg; break;
		case 'T': o.terms = optarg; break;
		case 'r': o.rate = optarg; break;
		case 'F': o.fee = optarg; break;
		case 'N': o.newsletter = optarg; break;
		case 'a': o.active = optarg; break;
		case 'w': o.welcome = 1; break;
		case 'C': o.cc_main = optarg; break;
		case 'o': o.owner = optarg; break;
		case 'K': o.client_contact = optarg; break;
		case 'e': o.email = optarg; break;
		default:
			goto usage_err;
		}
	}
	nargs = argc - optind;
	if ((strcmp(verb, "list") == 0 && nargs != 0) ||
	    (strcmp(verb, "list") != 0 && nargs != 1) ||
	    (strcmp(verb, "add") == 0 && o.name == NULL) ||
	    (o.welcome && strcmp(verb, "add") && strcmp(verb, "import")) ||
	    (o.email != NULL && strcmp(verb, "set") != 0))
		goto usage_err;
	if ((rc = cli_open(&rb, conf, 0)) != 0) {
		free(o.domains);
		return rc;
	}
	if (strcmp(verb, "add") == 0)
		rc = add_one(&rb, argv[optind], &o, 0);
	else if (strcmp(verb, "set") == 0)
		rc = set(&rb, argv[optind], &o);
	else if (strcmp(verb, "deactivate") == 0) {
		o.active = "off";
		rc = set(&rb, argv[optind], &o);
	} else if (strcmp(verb, "show") == 0)
		rc = show(&rb, argv[optind], &lc);
	else if (strcmp(verb, "import") == 0)
		rc = import_csv(&rb, argv[optind], o.welcome);
	else if (strcmp(verb, "welcome") == 0)
		rc = welcome(&rb, argv[optind]);
	else if (strcmp(verb, "list") == 0) {
		if (db_partner_each(rb.db, print_partner, &lc) != 0) {
			rc = cli_db_error(&rb);
		} else
			cli_list_print(&lc);
	} else
		rc = cli_usage();
	buf_free(&lc.out);
	free(o.domains);
	refbot_close(&rb);
	return rc;
usage_err:
	free(o.domains);
	return cli_usage();
}

const struct cli_cmd cli_partner_cmd = { "partner",
"  partner add EMAIL --name NAME [--welcome] [PARTNER OPTIONS]\n"
"                                --welcome: mail the welcome kit (how to\n"
"                                refer, the form, the overview, an\n"
"                                introduction email), once\n"
"  partner set PARTNER [PARTNER OPTIONS]   (PARTNER: id or address)\n"
"  partner list|show [PARTNER] [--format text|json]\n"
"  partner deactivate PARTNER\n"
"  partner import FILE.csv [--welcome]\n"
"                                email,name,lang,domains,tier,terms,rate,\n"
"                                contacts (\"a@x:billing; b@x\")\n"
"  partner contact add|set|remove|list PARTNER [EMAIL] [--name N]\n"
"                                [--lang en|ja] [--role main|billing|other]\n"
"                                [--newsletter on|off] [--welcome]\n"
"                                [--bounced off] (set)\n"
"                                the people of the firm; its address is\n"
"                                its main contact\n"
"  partner welcome PARTNER       mail the welcome kit again, on purpose\n",
	cmd_partner,
"Options of add and set:\n"
"  --name N              the firm's name\n"
"  --lang en|ja|auto     the language mail to the partner is in; auto: that\n"
"                        of the mail answered, else of the partner's name\n"
"  --domain D            mail from any address at D is this partner's\n"
"                        (repeatable)\n"
"  --tier 1|2|3          strategic, active, referral network (default 3)\n"
"  --terms T             percent, recurring, flat or reciprocal\n"
"  --rate 15%            the commission rate (percent, recurring); without\n"
"                        it the tier (templates/tiers.txt, else tier_rates)\n"
"  --fee AMOUNT          the flat fee per won referral (flat)\n"
"  --newsletter on|off   the monthly newsletter\n"
"  --active on|off       off: mail from the partner is a stranger's\n"
"  --cc-main on|off      progress mail goes to the contact who submitted\n"
"                        the referral, with the main contact in Cc (on,\n"
"                        the default) or not\n"
"Options of contact add:\n"
"  --name N --lang en|ja the person's name and language (default: the\n"
"                        firm's)\n"
"  --role main|billing|other  main: the firm's address (the old main\n"
"                        becomes other); billing: gets the statements\n"
"  --newsletter on|off   (contact add, set) a copy of the firm's issue,\n"
"                        with its own unsubscribe (default off)\n"
"  --welcome             (contact add, set) the welcome kit to the contact\n"
"  --bounced off         (contact set) the contact's address works again:\n"
"                        mail meant for them no longer goes to the main\n"
"                        contact\n"
"  --welcome             queue the welcome kit, once (add, import)\n"
"  --owner EMAIL         (set) the account manager, a staff member: owns\n"
"                        the partner's new referrals; - for none\n"
"  --client-contact on|off  (set) the partner's terms allow refbot to mail\n"
"                        its referrals' clients (the client survey after\n"
"                        WON, with client_survey = on); off by default\n"
"  --email NEW           (set) the firm's new address (its main contact);\n"
"                        the old one is no longer the partner's, so forget\n"
"                        may erase it (keep it with contact add)\n"
"  --format text|json    (list, show; show adds the partner's tier this\n"
"                        year and what would raise it)\n"
"PARTNER is the partner's id or address.\n"
"\n"
"Example:\n"
"  refbot partner add partner@firm.example --name \"Partner KK\" --lang ja \\\n"
"      --domain firm.example --tier 2 --rate 15% --welcome\n"
"  refbot partner contact add partner@firm.example keiri@firm.example \\\n"
"      --name \"Keiri\" --lang ja --role billing\n"
"  refbot partner contact set partner@firm.example sales@firm.example \\\n"
"      --newsletter on --welcome\n"
"  refbot partner contact set partner@firm.example sales@firm.example \\\n"
"      --bounced off\n"
"  refbot partner set partner@firm.example --owner yamamoto@firm.example\n"
"  refbot partner set partner@firm.example --email info@firm.example\n" };

/* Help text only: what "partner add" and "partner set" take. */
const struct cli_cmd cli_partner_options = { NULL,
"    PARTNER OPTIONS: --name N --lang en|ja|auto --domain D (repeatable)\n"
"      --tier 1|2|3 --terms percent|recurring|flat|reciprocal\n"
"      --rate 15% --fee AMOUNT --newsletter on|off --active on|off\n"
"      --cc-main on|off --owner EMAIL (set) --client-contact on|off (set)\n"
"      --email NEW (set)\n",
	NULL, NULL };
