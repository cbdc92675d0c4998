/*
 * parserchild: the process that parses inbound mail for the bot.
 *
 * libetpan's MIME parser has known bugs, and a crash there must set that
 * one message aside, not kill the daemon or make it loop on the same
 * mail.  So analyze() runs in a child under a CPU limit, and hands its
 * analysis back as bytes (parsers/wire.h) that the bot checks: each
 * message is parsed once.  The child is long-lived (a fork per message
 * cost more than the parse itself, issue 8): it is restarted after a
 * crash and by parserchild_stop on a reload (it holds the configuration
 * it was forked with).  It parses in a worker forked from itself, a
 * fresh one every PARSERCHILD_RECYCLE messages.
 */
#ifndef REFBOT_PARSERCHILD_H
#define REFBOT_PARSERCHILD_H

#include <stddef.h>

#include "analyze.h"

/* CPU seconds the parser may spend on one message. */
#define PARSERCHILD_CPU_LIMIT 20
/* Wall-clock seconds before a parser that neither answers nor dies is killed. */
#define PARSERCHILD_WALL_LIMIT (6 * PARSERCHILD_CPU_LIMIT)
/* Messages one worker serves before a fresh one: bounds any leak. */
#define PARSERCHILD_RECYCLE 1000

/*
 * analyze(raw, len, o) in the parser child (started with o when there is
 * none).  Returns 0 with *a filled (free with analysis_free); or -1 with
 * *why saying what happened (caller frees): the child crashed, ran out of
 * time or gave a malformed answer, and is gone.  The next call starts a
 * new one.
 */
int parserchild_analyze(const struct analyze_opts *o, const char *raw,
    size_t len, struct analysis *a, char **why);

/*
 * raw is a message parserchild_analyze will be asked about, after those
 * given before (NULL: none; at most 64 are kept).  They are sent to the
 * child ahead, up to 32 at a time, from now on if a child runs, else from
 * the first question, and as answers are read, so that the child parses
 * them on the other core while the caller acts on what it was answered.
 * raw must stay as it is until asked about, or until
 * parserchild_next_end(), which ends a run of messages: messages sent
 * ahead and never asked about are dropped (the child is stopped).  The
 * answers of those sent ahead of the one asked about are dropped; asking
 * about one that was not sent ahead, while others are, costs a new
 * child, nothing else.  A crash or time out is laid at the message asked
 * about: the child answers in order.
 */
void parserchild_next(const char *raw, size_t len);
void parserchild_next_end(void);

/* Closes the child's socket (it then exits) and reaps it. */
void parserchild_stop(void);

/* How many children were started: each is a fork (for the tests). */
unsigned parserchild_starts(void);

#endif
