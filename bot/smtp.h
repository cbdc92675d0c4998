/*
 * smtp: the only module that talks SMTP (through libcurl).  One handle is
 * kept and reused, so a run of messages shares one connection.
 *
 * smtp_send returns SMTP_OK; SMTP_TEMP, try again later (4xx, connection
 * or TLS trouble, timeouts); SMTP_PERM, this message will never be
 * accepted (5xx); SMTP_CONFIG, the server refused our login: an operator
 * must fix the configuration, retry later.  *errstr is set on failure
 * (caller frees) and says which stage failed and what the server said.
 * An envelope address that is not RFC 5321 syntax (parsers/addr) is
 * SMTP_PERM, without connecting.
 * SMTP_TLS is returned by smtp_check only (smtp_send counts TLS trouble
 * as SMTP_TEMP, to be retried).
 */
#ifndef REFBOT_SMTP_H
#define REFBOT_SMTP_H

#include <stddef.h>

#include "conf.h"

enum smtp_err { SMTP_OK = 0, SMTP_TEMP, SMTP_PERM, SMTP_CONFIG, SMTP_TLS };

struct smtp;

struct smtp *smtp_new(const struct config *);
void smtp_free(struct smtp *);
/* copy: a second envelope recipient (the message's Cc), or NULL. */
int smtp_send(struct smtp *, const char *from, const char *rcpt,
    const char *copy, const char *data, size_t len, char **errstr);

/*
 * Checks that mail could be sent, sending none: a new connection, EHLO,
 * STARTTLS or implicit TLS with the certificate verified, AUTH when
 * smtp_user is set, then NOOP.  Returns SMTP_OK; SMTP_TLS, STARTTLS is
 * not offered or the certificate was rejected; SMTP_CONFIG, the login was
 * refused, or smtp_user is set but the server offers no AUTH (so it would
 * never be used); SMTP_PERM, the server refused the session (5xx);
 * SMTP_TEMP, anything else (no connection, 4xx, timeout).
 */
int smtp_check(struct smtp *, char **errstr);

#endif
