/* intake_staff: what staff hear of a partner's correction (intake_int.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake_int.h"
#include "intake_text.h"
#include "notify.h"
#include "reply.h"
#include "token.h"
#include "util.h"

int
intake_staff_corrected(struct job *j, const struct referral *r,
    const struct partner *p, const struct form *upd,
    const struct form *merged, const char *status, int64_t first)
{
	struct notify n;
	struct staff_form changes, fields;
	char ref[24], first_ref[24], *dup[2];
	const char *client = form_role(merged, FIELD_ROLE_CLIENT);
	const struct render_var dvars[] = { { "ref", first_ref } };
	int rc, i;

	refbot_ref(r->id, ref, sizeof(ref));
	refbot_ref(first, first_ref, sizeof(first_ref));
	for (i = 0; i < 2; i++)
		dup[i] = first > 0 ? notify_line(j->rb, i ? "ja" : "en",
		    "corrected.duplicate", dvars, nitems(dvars)) : xstrdup("");
	intake_staff_form(&changes, upd);
	intake_staff_form(&fields, merged);
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", client ? client : "?" },
			{ "partner_name", p->name },
			{ "partner_email", p->email },
			{ "sender", j->a.msg.from_addr },
			{ "from_status", r->status }, { "status", status },
			{ "duplicate", dup[0] },
			{ "changes", changes.fields[0] },
			{ "fields", fields.fields[0] },
			{ "marker", REPLY_MARKER },
		};
		const struct render_var ja[] = {
			{ "duplicate", dup[1] },
			{ "changes", changes.fields[1] },
			{ "fields", fields.fields[1] },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-corrected";
		n.referral_id = r->id;
		n.role = ROLE_STAFF;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.vars_ja = ja;
		n.nvars_ja = nitems(ja);
		rc = notify_staff(j->rb, &n);
	}
	free(dup[0]);
	free(dup[1]);
	intake_staff_form_free(&changes);
	intake_staff_form_free(&fields);
	return rc;
}
