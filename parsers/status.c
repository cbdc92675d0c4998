/* status: allowed transitions between referral states. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "util.h"

/*
 * Every state, what it means for the numbers, and the keywords that may
 * move a referral out of it.  counts: a formal referral (not waiting for
 * the partner, not a duplicate) that tiers, reports and duplicate
 * detection count; stage: how far along the pipeline it is (the funnel).
 * The database's queries take their lists of states from here too.
 */
static const struct {
	const char *from;
	int open, counts, stage;
	enum kw kws[8];
} moves[] = {
	{ "NEW", 1, 1, 0, { KW_CONTACTED, KW_MEETING, KW_PROPOSAL, KW_WON,
	    KW_LOST, KW_DECLINED, KW_NOTE, KW_ASSIGN } },
	{ "CONTACTED", 1, 1, 1, { KW_MEETING, KW_PROPOSAL, KW_WON, KW_LOST,
	    KW_DECLINED, KW_NOTE, KW_ASSIGN } },
	{ "MEETING", 1, 1, 2, { KW_MEETING, KW_PROPOSAL, KW_WON, KW_LOST,
	    KW_DECLINED, KW_NOTE, KW_ASSIGN } },
	{ "PROPOSAL", 1, 1, 3, { KW_MEETING, KW_PROPOSAL, KW_WON, KW_LOST,
	    KW_DECLINED, KW_NOTE, KW_ASSIGN } },
	{ "WON", 0, 1, 4, { KW_REOPEN, KW_NOTE, KW_REVENUE, KW_AMEND } },
	{ "LOST", 0, 1, 0, { KW_REOPEN, KW_NOTE } },
	{ "DECLINED", 0, 1, 0, { KW_REOPEN, KW_NOTE } },
	{ "INCOMPLETE", 0, 0, 0, { KW_CONTACTED, KW_DECLINED, KW_NOTE } },
	{ "DISQUALIFIED", 0, 0, 0, { KW_DECLINED, KW_NOTE } },
	{ "DUPLICATE", 0, 0, 0, { KW_CREDIT, KW_DECLINED, KW_NOTE } },
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

static int
state(const char *s)
{
	size_t i;

	for (i = 0; i < nitems(moves); i++)
		if (strcmp(moves[i].from, s) == 0)
			return (int)i;
	return -1;
}

int
status_is_open(const char *s)
{
	int i = state(s);

	return i >= 0 && moves[i].open;
}

int
status_counts(const char *s)
{
	int i = state(s);

	return i >= 0 && moves[i].counts;
}

int
status_stage(const char *s)
{
	int i = state(s);

	return i >= 0 ? moves[i].stage : 0;
}

int
status_index(const char *s)
{
	return state(s);
}

int
status_days_parse(const char *s, int days[STATUS_MAX])
{
	char *copy = xstrdup(s), *w, *save = NULL, *colon, *end;
	int i, rc = 0;
	long n;

	for (w = strtok_r(copy, " \t,", &save); w != NULL && rc == 0;
	    w = strtok_r(NULL, " \t,", &save)) {
		if ((colon = strchr(w, ':')) == NULL) {
			rc = -1;
			break;
		}
		*colon = '\0';
		n = strtol(colon + 1, &end, 10);
		if ((i = state(w)) < 0 || !moves[i].open || colon[1] == '\0' ||
		    *end != '\0' || n < 0 || n > 3650)
			rc = -1;
		else
			days[i] = (int)n;
	}
	free(copy);
	return rc;
}

const char *
status_name(size_t i)
{
	return i < nitems(moves) ? moves[i].from : NULL;
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
			if (kw == KW_NOTE || kw == KW_REVENUE ||
			    kw == KW_AMEND || kw == KW_ASSIGN)
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

enum kw
status_allowed_kw(const char *from, size_t k)
{
	int i = state(from);

	if (i < 0 || k >= nitems(moves[i].kws))
		return KW_NONE;
	return moves[i].kws[k];
}

char *
status_allowed(const char *from)
{
	struct buf b;
	enum kw kw;
	size_t k;

	buf_init(&b);
	for (k = 0; (kw = status_allowed_kw(from, k)) != KW_NONE; k++)
		buf_addf(&b, "%s%s", b.len ? ", " : "", keyword_arg_help(kw));
	return buf_steal(&b);
}
