/*
 * cli_contact: "refbot partner contact ..." — the people of a partner
 * firm, and the contacts column of "partner import".
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "contacts.h"
#include "db_contacts.h"
#include "db_partners.h"
#include "enable.h"
#include "json.h"
#include "log.h"

/* A lower-case copy of addr, or NULL (said on stderr) if it is none. */
static char *
address(const char *addr)
{
	char *email = strtrim(xstrdup(addr));

	ascii_lower(email);
	if (strchr(email, '@') == NULL || strpbrk(email, " <>,;:") != NULL) {
		fprintf(stderr, "refbot: '%s' is not an email address\n",
		    email);
		free(email);
		return NULL;
	}
	return email;
}

static int
valid_role(const char *role)
{
	return strcmp(role, "main") == 0 || strcmp(role, "billing") == 0 ||
	    strcmp(role, "other") == 0;
}

int
cli_contact_add(struct refbot *rb, int64_t partner_id, const char *addr,
    const char *name, const char *lang, const char *role)
{
	struct contact c;
	char *email;
	int r;

	if (!valid_role(role)) {
		fprintf(stderr, "refbot: --role must be main, billing or "
		    "other\n");
		return EX_USAGE_;
	}
	if (lang != NULL && strcmp(lang, "en") && strcmp(lang, "ja")) {
		fprintf(stderr, "refbot: --lang must be en or ja\n");
		return EX_USAGE_;
	}
	if ((email = address(addr)) == NULL)
		return EX_DATAERR_;
	/* An address belongs to one firm: mail from it is that firm's. */
	if ((r = db_contact_get(rb->db, email, &c)) != 0) {
		if (r > 0)
			fprintf(stderr, "refbot: %s is already a contact of "
			    "partner %lld\n", email, (long long)c.partner_id);
		contact_free(&c);
		free(email);
		return r > 0 ? EX_DATAERR_ : cli_db_error(rb);
	}
	r = db_contact_add(rb->db, partner_id, email, name, lang, role);
	free(email);
	return r != 0 ? cli_db_error(rb) : 0;
}

int
cli_contacts_import(struct refbot *rb, int64_t partner_id, const char *list)
{
	char *copy = xstrdup(list), *save = NULL, *w, *role;
	int rc = 0;

	/* "a@x.example:billing; b@x.example" — role "other" when not said. */
	for (w = strtok_r(copy, "; ", &save); w != NULL && rc == 0;
	    w = strtok_r(NULL, "; ", &save)) {
		if ((role = strchr(w, ':')) != NULL)
			*role++ = '\0';
		rc = cli_contact_add(rb, partner_id, w, NULL, NULL,
		    role != NULL ? role : "other");
	}
	free(copy);
	return rc;
}

static int
print_contact(const struct contact *c, void *arg)
{
	struct list_ctx *lc = arg;
	char when[32], bounced[48];

	cli_iso_time(c->bounced_at, when, sizeof(when));
	snprintf(bounced, sizeof(bounced), "bounced %s", when);

	if (!lc->json) {
		printf("%-36s %-8s %-4s %-10s %-26s %s\n", c->email, c->role,
		    c->lang ? c->lang : "-", c->newsletter ? "newsletter" :
		    "-", c->bounced_at ? bounced : "-", c->name ? c->name : "");
		return 0;
	}
	buf_adds(&lc->out, lc->n++ ? ",\n  {" : "\n  {");
	json_kv_str(&lc->out, "email", c->email, 1);
	json_kv_str(&lc->out, "role", c->role, 0);
	json_kv_str(&lc->out, "lang", c->lang, 0);
	json_kv_str(&lc->out, "name", c->name, 0);
	buf_adds(&lc->out, ", \"newsletter\": ");
	buf_adds(&lc->out, c->newsletter ? "true" : "false");
	json_kv_str(&lc->out, "bounced_at", c->bounced_at ? when : NULL, 0);
	json_kv_str(&lc->out, "bounced", c->bounced, 0);
	buf_adds(&lc->out, "}");
	return 0;
}

static int
remove_one(struct refbot *rb, const struct partner *p, const char *addr)
{
	char *email = address(addr);
	int r;

	if (email == NULL)
		return EX_DATAERR_;
	if (strcmp(email, p->email) == 0) {
		fprintf(stderr, "refbot: %s is the main contact of partner "
		    "%lld: make another contact main first (partner contact "
		    "add %lld ADDRESS --role main)\n", email, (long long)p->id,
		    (long long)p->id);
		free(email);
		return EX_DATAERR_;
	}
	if ((r = db_contact_remove(rb->db, p->id, email)) < 0) {
		free(email);
		return cli_db_error(rb);
	}
	if (r == 0)
		fprintf(stderr, "refbot: %s is not a contact of partner %lld\n",
		    email, (long long)p->id);
	else
		printf("contact %s removed from partner %lld\n", email,
		    (long long)p->id);
	free(email);
	return r == 0 ? EX_DATAERR_ : 0;
}

/*
 * set --bounced off: the contact's bounce flag cleared (they answered by
 * phone, their mailbox is back), so mail meant for them reaches them
 * again.  0, or an exit code.
 */
static int
unbounce(struct refbot *rb, const struct partner *p, const struct contact *c)
{
	int r = db_contact_unbounce(rb->db, c->id);

	if (r < 0)
		return cli_db_error(rb);
	if (r == 0)
		printf("contact %s was not flagged as bouncing\n", c->email);
	else {
		printf("contact %s is no longer flagged as bouncing: mail "
		    "meant for them goes to them again\n", c->email);
		log_info("partner %lld: contact %lld's bounce flag cleared by "
		    "hand", (long long)p->id, (long long)c->id);
	}
	return 0;
}

/*
 * After add or set: the newsletter copy on or off (newsletter: "on",
 * "off" or NULL, unchanged), the bounce flag cleared when unbounced is
 * set, and the welcome kit when welcome is set.
 */
static int
contact_extras(struct refbot *rb, const struct partner *p, const char *addr,
    const char *newsletter, int unbounced, int welcome)
{
	struct contact c;
	char *email = address(addr);
	int r;

	if (email == NULL)
		return EX_DATAERR_;
	r = db_contact_get(rb->db, email, &c);
	free(email);
	if (r <= 0 || c.partner_id != p->id) {
		if (r >= 0)
			fprintf(stderr, "refbot: %s is not a contact of partner "
			    "%lld\n", addr, (long long)p->id);
		if (r > 0)
			contact_free(&c);
		return r < 0 ? cli_db_error(rb) : EX_DATAERR_;
	}
	r = 0;
	if (newsletter != NULL && strcmp(c.role, "main") == 0) {
		fprintf(stderr, "refbot: %s is the main contact: its newsletter "
		    "is the firm's (partner set --newsletter)\n", c.email);
		r = EX_DATAERR_;
	} else if (newsletter != NULL && db_contact_newsletter(rb->db, c.id,
	    strcmp(newsletter, "on") == 0) < 0)
		r = cli_db_error(rb);
	if (r == 0 && unbounced)
		r = unbounce(rb, p, &c);
	if (r == 0 && welcome && enable_welcome_to(rb, p, c.email,
	    contacts_lang(&(struct recipient){ c.email, NULL, c.lang }, p,
	    NULL)) < 0)
		r = EX_IOERR_;
	contact_free(&c);
	return r;
}

int
cli_contact_run(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "lang", required_argument, NULL, 'l' },
		{ "role", required_argument, NULL, 'r' },
		{ "newsletter", required_argument, NULL, 'N' },
		{ "welcome", no_argument, NULL, 'W' },
		{ "bounced", required_argument, NULL, 'B' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct list_ctx lc = { 0, 0, { NULL, 0, 0 } };
	const char *verb, *name = NULL, *lang = NULL, *role = "other";
	const char *newsletter = NULL;
	struct refbot rb;
	struct partner p;
	int c, rc, nargs, welcome = 0, unbounced = 0;

	if (argc < 2)
		return cli_usage();
	verb = argv[1];
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "n:l:r:f:N:WB:", opts, NULL)) !=
	    -1) {
		switch (c) {
		case 'N':
			if (strcmp(optarg, "on") && strcmp(optarg, "off")) {
				fprintf(stderr, "refbot: --newsletter must be "
				    "on or off\n");
				return EX_USAGE_;
			}
			newsletter = optarg;
			break;
		case 'B':
			/* The server flags a bounce; people clear it. */
			if (strcmp(optarg, "off")) {
				fprintf(stderr, "refbot: --bounced takes off "
				    "(a bounce is flagged when the mail server "
				    "refuses the address)\n");
				return EX_USAGE_;
			}
			unbounced = 1;
			break;
		case 'W': welcome = 1; break;
		case 'n': name = optarg; break;
		case 'l': lang = optarg; break;
		case 'r': role = optarg; break;
		case 'f':
			if ((lc.json = cli_parse_format(optarg)) < 0)
				return cli_usage();
			break;
		default:
			return cli_usage();
		}
	}
	nargs = argc - optind;
	if ((strcmp(verb, "list") == 0 ? nargs != 1 : nargs != 2 ||
	    (strcmp(verb, "add") && strcmp(verb, "remove") &&
	    strcmp(verb, "set"))) || (unbounced && strcmp(verb, "set")))
		return cli_usage();
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	if ((rc = cli_find_partner(&rb, argv[optind], &p)) != 0) {
		refbot_close(&rb);
		return rc;
	}
	if (strcmp(verb, "list") == 0) {
		if (db_contact_each(rb.db, p.id, print_contact, &lc) != 0)
			rc = cli_db_error(&rb);
		else
			cli_list_print(&lc);
	} else if (strcmp(verb, "remove") == 0)
		rc = remove_one(&rb, &p, argv[optind + 1]);
	else if (db_begin(rb.db) != 0)
		rc = cli_db_error(&rb);
	else if ((strcmp(verb, "add") == 0 && (rc = cli_contact_add(&rb,
	    p.id, argv[optind + 1], name, lang, role)) != 0) ||
	    (rc = contact_extras(&rb, &p, argv[optind + 1], newsletter,
	    unbounced, welcome)) != 0 || db_commit(rb.db) != 0) {
		db_rollback(rb.db);
		rc = rc ? rc : cli_db_error(&rb);
	} else
		printf("contact %s %s partner %lld%s%s\n", argv[optind + 1],
		    strcmp(verb, "add") == 0 ? "added to" : "of",
		    (long long)p.id, newsletter == NULL ? "" :
		    strcmp(newsletter, "on") == 0 ? "; gets the newsletter" :
		    "; no newsletter", welcome ? "; welcome kit queued (sent "
		    "by 'refbot run')" : "");
	buf_free(&lc.out);
	partner_free(&p);
	refbot_close(&rb);
	return rc;
}
