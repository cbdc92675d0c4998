/*
 * doctor: "refbot doctor", the checks an operator runs after installing
 * refbot or when it misbehaves.
 */
#ifndef REFBOT_DOCTOR_H
#define REFBOT_DOCTOR_H

/*
 * Checks the configuration at confpath and everything it names: the file
 * and its permissions, the secret files, the qualification template, the
 * keyword table and mail texts, the database, the IMAP server (TLS,
 * login, mailbox, folders) and the SMTP server (TLS, login; no mail is
 * sent).  With mail set, a probe goes to a plus address of the intake
 * address and is looked for in the intake mailbox (plus addressing is
 * what the signed Reply-To needs), then deleted.  Prints one line per check on stdout:
 *
 *   OK   check: what was found
 *   WARN check: what is odd — what to do
 *   FAIL check: what is wrong — what to do
 *
 * A failure does not stop the other checks unless they depend on it (no
 * server is tried without a configuration).  Nothing is changed, except
 * that with fix set missing IMAP folders are created.  With verbose set,
 * some checks add indented detail lines.
 *
 * Returns 0 when nothing failed (warnings do not count), else the
 * sysexits code of the first failure: 78 configuration, templates or
 * folders; 74 database; 69 a server unreachable or refusing the session;
 * 76 TLS; 77 a login refused.
 */
int doctor_run(const char *confpath, int fix, int mail, int verbose);

#endif
