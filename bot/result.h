/*
 * result: what a business function tells its caller, so the runner can
 * tell a poison message from a broken mail text or a busy database.
 * The transports keep their own finer codes (imap.h, smtp.h) and map to
 * these where a business decision is made.
 */
#ifndef REFBOT_RESULT_H
#define REFBOT_RESULT_H

enum result {
	RESULT_DONE = 0,	/* done: go on */
	RESULT_RETRY,		/* passing trouble (database busy, server
				   down): leave things as they are, retry */
	RESULT_BAD_INPUT,	/* this message or input is bad: set it
				   aside; retrying will not help */
	RESULT_CONFIG,		/* a configuration problem (a broken mail
				   text, a missing file): the operator must
				   fix it; nothing is lost meanwhile */
};

#endif
