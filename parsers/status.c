/* status: allowed transitions between referral states. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "util.h"

static const struct {
	const char *from;
	enum kw kws[8];
} moves[] = {
	{ "NEW", { KW_CONTACTED, KW_MEETING, KW_PROPOSAL, KW_WON, KW_LOST,
	    KW_DECLINED, KW_NOTE } },
	{ "CONTACTED", { KW_MEETING, KW_PROPOSAL, KW_WON, KW_LOST,
	    KW_DECLINED, KW_NOTE } },
	{ "MEETING", { KW_MEETING, KW_PROPOSAL, KW_WON, KW_LOST, KW_DECLINED,
	    KW_NOTE } },
	{ "PROPOSAL", { KW_MEETING, KW_PROPOSAL, KW_WON, KW_LOST,
	    KW_DECLINED, KW_NOTE } },
	{ "WON", { KW_REOPEN, KW_NOTE, KW_REVENUE } },
	{ "LOST", { KW_REOPEN, KW_NOTE } },
	{ "DECLINED", { KW_REOPEN, KW_NOTE } },
	{ "INCOMPLETE", { KW_CONTACTED, KW_DECLINED, KW_NOTE } },
	{ "DISQUALIFIED", { KW_DECLINED, KW_NOTE } },
	{ "DUPLICATE", { KW_CREDIT, KW_DECLINED, KW_NOTE } },
};

static const char *
kw_state(enum kw kw)
{
	switch (kw) {
	case KW_CONTACTED: return "CONTACTED";
	case KW_MEETING: return "MEETING";
	case KW_PROPOSAL: return "PROPOSAL";
	case KW_WON: return "WON";
	case KW_LOST: return "LOST";
	case KW_DECLINED: return "DECLINED";
	default: return NULL;
	}
}

int
status_is_open(const char *s)
{
	return strcmp(s, "NEW") == 0 || strcmp(s, "CONTACTED") == 0 ||
	    strcmp(s, "MEETING") == 0 || strcmp(s, "PROPOSAL") == 0;
}

const char *
status_next(const char *from, enum kw kw, const char *reopen_to)
{
	size_t i, k;

	for (i = 0; i < nitems(moves); i++) {
		if (strcmp(moves[i].from, from) != 0)
			continue;
		for (k = 0; k < nitems(moves[i].kws) && moves[i].kws[k]; k++) {
			if (moves[i].kws[k] != kw)
				continue;
			/* These record something; the state stays. */
			if (kw == KW_NOTE || kw == KW_REVENUE)
				return moves[i].from;
			if (kw == KW_CREDIT)
				return "NEW";
			if (kw == KW_REOPEN)
				return reopen_to != NULL &&
				    status_is_open(reopen_to) ? reopen_to :
				    "CONTACTED";
			return kw_state(kw);
		}
		return NULL;
	}
	return NULL;
}

char *
status_allowed(const char *from)
{
	struct buf b;
	size_t i, k;

	buf_init(&b);
	for (i = 0; i < nitems(moves); i++) {
		if (strcmp(moves[i].from, from) != 0)
			continue;
		for (k = 0; k < nitems(moves[i].kws) && moves[i].kws[k]; k++)
			buf_addf(&b, "%s%s", b.len ? ", " : "",
			    keyword_arg_help(moves[i].kws[k]));
	}
	return buf_steal(&b);
}
