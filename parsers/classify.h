/*
 * classify: what kind of inbound mail this is, before anything answers it.
 * Pure: reads a parsed message.
 */
#ifndef REFBOT_CLASSIFY_H
#define REFBOT_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "keyword.h"
#include "message.h"

/*
 * Returns why msg is automatic mail that must never be answered (an
 * auto-reply, bounce, list mail, our own mail coming back), as a static
 * string, or NULL for mail a person wrote.  our_domain is the host part
 * of refbot's own Message-IDs; loop_header is our loop-marker header.
 */
const char *classify_automatic(const struct message *msg,
    const char *our_domain, const char *loop_header);
/*
 * Whether an Auto-Submitted value (n bytes, after the colon) says the mail
 * is automatic: any value but "no" (RFC 3834), its first word read up to
 * a comment or parameter.
 */
int classify_auto_submitted(const char *value, size_t n);
/* The static copy of a reason classify_automatic gives, or NULL. */
const char *classify_automatic_reason(const char *);

/*
 * Finds a "[REF-000123]" tag in s; returns the referral id, or 0.
 */
int64_t classify_ref_tag(const char *s);

/* Non-zero when the id (without <>) is one refbot made under our_domain. */
int classify_our_id(const char *id, const char *our_domain);

/*
 * Non-zero when new mail asks for the blank form rather than being a
 * referral: the first line of text (what the sender wrote, quotes and
 * signature cut), or else the subject, is TEMPLATE or one of its aliases
 * (HELP, テンプレート, ヘルプ in templates/keywords.txt) on its own —
 * a "please" or punctuation may follow — and the rest of text is at most
 * a few short lines.  nvalues is the number of form fields read from the
 * message: any field makes it a submission, whatever it says.
 */
int classify_form_request(const struct keyword_table *, const char *subject,
    const char *text, size_t nvalues);

#endif
