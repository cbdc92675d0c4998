/*
 * smtp: the only module that talks SMTP (through libcurl).  One handle is
 * kept and reused, so a run of messages shares one connection.
 *
 * smtp_send returns SMTP_OK; SMTP_TEMP, try again later (4xx, connection
 * or TLS trouble, timeouts); SMTP_PERM, this message will never be
 * accepted (5xx); SMTP_CONFIG, the server refused our login: an operator
 * must fix the configuration, retry later.  *errstr is set on failure
 * (caller frees) and says which stage failed and what the server said.
 */
#ifndef REFBOT_SMTP_H
#define REFBOT_SMTP_H

#include <stddef.h>

#include "conf.h"

enum smtp_err { SMTP_OK = 0, SMTP_TEMP, SMTP_PERM, SMTP_CONFIG };

struct smtp;

struct smtp *smtp_new(const struct config *);
void smtp_free(struct smtp *);
int smtp_send(struct smtp *, const char *from, const char *rcpt,
    const char *data, size_t len, char **errstr);

#endif
