/* contacts: the person of a partner firm each mail goes to. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contacts.h"
#include "db_contacts.h"
#include "log.h"
#include "util.h"

/*
 * rc for contact c (NULL: the firm's own address, as for a contact whose
 * address bounced).
 */
static void
set_to(struct recipient *rc, const struct partner *p, const struct contact *c)
{
	if (c != NULL && c->bounced_at != 0)
		c = NULL;
	memset(rc, 0, sizeof(*rc));
	rc->to = xstrdup(c != NULL ? c->email : p->email);
	rc->lang = c != NULL && c->lang != NULL ? xstrdup(c->lang) : NULL;
}

/* The contact addr of p's, in *c: 1, 0 (not one of p's), -1. */
static int
contact_of(struct refbot *rb, const struct partner *p, const char *addr,
    struct contact *c)
{
	int r;

	if (addr == NULL)
		return 0;
	if ((r = db_contact_get(rb->db, addr, c)) <= 0)
		return r;
	if (c->partner_id == p->id)
		return 1;
	contact_free(c);
	return 0;
}

int
contacts_bounced(struct refbot *rb, const char *addr, const char *why)
{
	int r = db_contact_bounced(rb->db, addr, why);

	if (r > 0)
		log_info("a contact's address was refused for good: flagged; "
		    "their mail goes to the firm's main contact");
	return r < 0 ? -1 : r > 0;
}

int
contacts_of(struct refbot *rb, const struct partner *p, const char *addr)
{
	struct contact c;
	int r = contact_of(rb, p, addr, &c);

	if (r > 0)
		contact_free(&c);
	return r;
}

int
contacts_answer(struct refbot *rb, const struct partner *p, const char *addr,
    struct recipient *rc)
{
	struct contact c;
	int r = contact_of(rb, p, addr, &c);

	if (r < 0)
		return -1;
	set_to(rc, p, r > 0 ? &c : NULL);
	if (r > 0)
		contact_free(&c);
	return 0;
}

int
contacts_progress(struct refbot *rb, const struct partner *p,
    int64_t referral_id, struct recipient *rc)
{
	char *by;
	int r;

	if (db_referral_submitter(rb->db, referral_id, &by) != 0)
		return -1;
	r = contacts_answer(rb, p, by, rc);
	free(by);
	if (r == 0 && p->cc_main && strcasecmp(rc->to, p->email) != 0)
		rc->cc = xstrdup(p->email);
	return r;
}

int
contacts_billing(struct refbot *rb, const struct partner *p,
    struct recipient *rc)
{
	struct contact c;
	int r;

	if ((r = db_contact_with_role(rb->db, p->id, "billing", &c)) < 0)
		return -1;
	set_to(rc, p, r > 0 ? &c : NULL);
	if (r > 0)
		contact_free(&c);
	return 0;
}

const char *
contacts_lang(const struct recipient *rc, const struct partner *p,
    const char *otherwise)
{
	if (rc->lang != NULL && strcmp(rc->lang, "ja") == 0)
		return "ja";
	if (rc->lang != NULL && strcmp(rc->lang, "en") == 0)
		return "en";
	return refbot_partner_lang(p, otherwise);
}

const char *
contacts_sender_lang(struct refbot *rb, const struct partner *p,
    const char *addr, const char *otherwise)
{
	struct recipient rc;
	const char *lang;

	/* A database error here is caught by the mail's own queries. */
	if (contacts_answer(rb, p, addr, &rc) != 0)
		return refbot_partner_lang(p, otherwise);
	lang = contacts_lang(&rc, p, otherwise);
	recipient_free(&rc);
	return lang;
}

void
recipient_free(struct recipient *rc)
{
	if (rc == NULL)
		return;
	free(rc->to);
	free(rc->cc);
	free(rc->lang);
	memset(rc, 0, sizeof(*rc));
}
