/* staff: the registry's people, owners and who gets which mail. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db_referrals.h"
#include "db_staff.h"
#include "history_words.h"
#include "log.h"
#include "staff.h"
#include "util.h"

/* 1 active member, 0 deactivated, -1 not in the registry (or error). */
static int
member(struct refbot *rb, const char *addr, struct staff_member *m)
{
	int found;

	memset(m, 0, sizeof(*m));
	found = addr != NULL ? db_staff_get(rb->db, addr, m) : 0;
	if (found <= 0) {
		if (found < 0)
			log_warnx("staff: %s", db_errmsg(rb->db));
		return -1;
	}
	return m->active != 0;
}

int
staff_is(struct refbot *rb, const char *addr)
{
	struct staff_member m;
	int r = member(rb, addr, &m);

	staff_member_free(&m);
	return r < 0 ? config_is_staff(&rb->cfg, addr) : r;
}

const char *
staff_lang(struct refbot *rb, const char *addr)
{
	struct staff_member m;
	const char *lang = "en";

	if (member(rb, addr, &m) >= 0 && strcmp(m.lang, "ja") == 0)
		lang = "ja";
	staff_member_free(&m);
	return lang;
}

char *
staff_owner_of(struct refbot *rb, int64_t referral_id)
{
	struct staff_member m;
	char *owner = NULL;

	if (referral_id <= 0 || db_referral_owner(rb->db, referral_id,
	    &owner) <= 0)
		return NULL;
	if (member(rb, owner, &m) <= 0 && !config_is_staff(&rb->cfg, owner)) {
		free(owner);	/* left, or no longer staff */
		owner = NULL;
	}
	staff_member_free(&m);
	return owner;
}

struct rcpts {
	struct staff_rcpt *v;
	size_t n;
};

static void
rcpt_add(struct rcpts *r, const char *email, const char *lang)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].email, email) == 0)
			return;
	r->v = xreallocarray(r->v, r->n + 1, sizeof(*r->v));
	r->v[r->n].email = xstrdup(email);
	r->v[r->n++].lang = lang != NULL && strcmp(lang, "ja") == 0 ? "ja" :
	    "en";
}

static int
add_member(const struct staff_member *m, void *arg)
{
	rcpt_add(arg, m->email, m->lang);
	return 0;
}

int
staff_recipients(struct refbot *rb, enum staff_to to, int64_t referral_id,
    struct staff_rcpt **out, size_t *n)
{
	struct rcpts r = { NULL, 0 };
	char *owner;
	size_t i;
	int rc = 0;

	if (to == STAFF_TO_OWNER &&
	    (owner = staff_owner_of(rb, referral_id)) != NULL) {
		rcpt_add(&r, owner, staff_lang(rb, owner));
		free(owner);
	} else if (to == STAFF_TO_MANAGERS) {
		rc = db_staff_each(rb->db, "manager", 1, add_member, &r);
		if (rc == 0 && r.n == 0 && rb->cfg.escalation_address != NULL)
			rcpt_add(&r, rb->cfg.escalation_address,
			    staff_lang(rb, rb->cfg.escalation_address));
	}
	if (rc == 0 && r.n == 0)
		rc = db_staff_each(rb->db, NULL, 1, add_member, &r);
	/* No registry yet: the configuration's list, in English. */
	if (rc == 0 && r.n == 0)
		for (i = 0; i < rb->cfg.nstaff; i++)
			if (staff_is(rb, rb->cfg.staff[i]))
				rcpt_add(&r, rb->cfg.staff[i], "en");
	if (rc != 0) {
		log_warnx("staff: %s", db_errmsg(rb->db));
		staff_rcpts_free(r.v, r.n);
		return -1;
	}
	*out = r.v;
	*n = r.n;
	return 0;
}

void
staff_rcpts_free(struct staff_rcpt *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].email);
	free(v);
}

int
staff_partner_manager(struct refbot *rb, int64_t partner_id, char **email)
{
	char *owner = NULL;

	*email = NULL;
	if (db_partner_owner(rb->db, partner_id, &owner) < 0) {
		log_warnx("staff: %s", db_errmsg(rb->db));
		return -1;
	}
	if (owner != NULL && staff_is(rb, owner)) {
		*email = owner;
		return 1;
	}
	free(owner);
	return 0;
}

int
staff_partner_recipients(struct refbot *rb, int64_t partner_id,
    enum staff_to otherwise, struct staff_rcpt **out, size_t *n)
{
	char *owner;
	int r;

	if ((r = staff_partner_manager(rb, partner_id, &owner)) < 0)
		return -1;
	if (r > 0) {
		*out = xcalloc(1, sizeof(**out));
		(*out)[0].email = owner;
		(*out)[0].lang = staff_lang(rb, owner);
		*n = 1;
		return 0;
	}
	return staff_recipients(rb, otherwise, 0, out, n);
}

int
staff_pick_owner(struct refbot *rb, int64_t referral_id, int64_t partner_id)
{
	struct staff_member m;
	char *owner = NULL;
	const char *how = "history.owner-manager";
	int r;

	memset(&m, 0, sizeof(m));
	if ((r = db_partner_owner(rb->db, partner_id, &owner)) < 0)
		return -1;
	if (r > 0 && member(rb, owner, &m) <= 0) {
		free(owner);	/* the account manager left: the rota */
		owner = NULL;
	}
	staff_member_free(&m);
	if (owner == NULL) {
		how = "history.owner-rota";
		if (db_staff_rota_next(rb->db, &owner) < 0)
			return -1;
	}
	if (owner == NULL)
		return 0;	/* nobody in particular: all staff */
	{
		const struct render_var vars[] = { { "who", owner } };

		r = db_referral_set_owner(rb->db, referral_id, owner) != 0 ||
		    history_add_words(rb, referral_id, "refbot", "assigned",
		    NULL, NULL, NULL, how, vars, 1, NULL) != 0 ? -1 : 0;
	}
	free(owner);
	return r;
}

int
staff_nobody(struct db *db, const struct config *cfg, char **why)
{
	int64_t n = cfg->nstaff > 0 ? 1 : db_staff_active(db);

	*why = NULL;
	if (n < 0)
		return -1;
	if (n > 0)
		return 0;
	*why = xasprintf("no staff to tell: staff_addresses is not set in %s "
	    "and the staff registry has nobody active — set it there, or add "
	    "a person with 'refbot staff add EMAIL --name NAME'", cfg->path);
	return 1;
}
