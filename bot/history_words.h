/*
 * history_words: what refbot records in a referral's history, kept as a
 * line key of mail/staff-lines (history.owner-rota, unverified.token...)
 * and its words, so each staff reader sees it in their language; the
 * English sentence is kept beside it for the CLI, the export and the
 * logs.  Rows written before (no key) show their detail as written.
 */
#ifndef REFBOT_HISTORY_WORDS_H
#define REFBOT_HISTORY_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "db_referrals.h"
#include "kvfile.h"
#include "refbot.h"
#include "render.h"

/*
 * A history row (as db_history_insert) whose detail is key's line of
 * mail/staff-lines with vars: English in the detail column, the key and
 * vars beside it.  *id (if not NULL) is the new row's.
 */
int history_add_words(struct refbot *, int64_t referral_id,
    const char *actor, const char *event, const char *from_status,
    const char *to_status, const char *message_id, const char *key,
    const struct render_var *vars, size_t nvars, int64_t *id);

/*
 * vars as one string, a "name=value" line each (a newline in a value
 * becomes a space); caller frees.
 */
char *history_args_encode(const struct render_var *vars, size_t nvars);

/*
 * A kind of mail (an outbox kind, "ack") as lines say it: its kind.NAME
 * line, else the "kind" line with {{name}}; NULL if lines have neither.
 * Caller frees.
 */
char *history_kind_text(const struct kvfile *lines, const char *name);

/*
 * e's detail as lines (mail/staff-lines in the reader's language) say
 * it: its key's line with its words (a "kind" word, a kind of mail, as
 * history_kind_text says it), else the detail as recorded (or
 * NULL when there is none).  Caller frees.
 */
char *history_detail_text(const struct kvfile *lines,
    const struct history_entry *e);

#endif
