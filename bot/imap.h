/*
 * imap: the only module that talks IMAP (through libetpan).
 *
 * Return codes say what to give up, as in mbsync's driver: IMAP_OK;
 * IMAP_ECONN, the connection is gone or unusable (reconnect later);
 * IMAP_EAUTH / IMAP_ETLS / IMAP_EBOX, a setup problem an operator must fix
 * (login refused, certificate rejected, mailbox missing); IMAP_EMSG, this
 * one message could not be handled (skip it).  *errstr is set on failure
 * (caller frees) and untouched on success.
 */
#ifndef REFBOT_IMAP_H
#define REFBOT_IMAP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"

enum imap_err {
	IMAP_OK = 0,
	IMAP_ECONN,
	IMAP_EAUTH,
	IMAP_ETLS,
	IMAP_EBOX,
	IMAP_EMSG,
};

struct imap;

/* Connects, secures and verifies TLS, logs in, selects cfg->imap_mailbox. */
int imap_open(const struct config *, struct imap **, char **errstr);
void imap_close(struct imap *);
uint32_t imap_uidvalidity(const struct imap *);
int imap_has_idle(const struct imap *);

/* Every UID in the selected mailbox, ascending.  Caller frees *uids. */
int imap_search_all(struct imap *, uint32_t **uids, size_t *n,
    char **errstr);

/*
 * Fetches the messages (BODY.PEEK[], so \Seen is not set) and calls cb
 * for each with its raw bytes, valid only during the call.  A non-zero
 * return from cb stops the fetch and is returned.
 */
typedef int (*imap_fetch_cb)(uint32_t uid, const char *raw, size_t len,
    void *arg);
int imap_fetch(struct imap *, const uint32_t *uids, size_t n,
    imap_fetch_cb cb, void *arg, char **errstr);

/*
 * As imap_fetch, but only each message's header (BODY.PEEK[HEADER]) and
 * of that at most max bytes: what a message too large to download is
 * known by.
 */
int imap_fetch_headers(struct imap *, const uint32_t *uids, size_t n,
    size_t max, imap_fetch_cb cb, void *arg, char **errstr);

/*
 * The size of each message (RFC822.SIZE), asked in one command: sizes[i]
 * for uids[i], which must ascend; 0 for a message the server no longer
 * has.
 */
int imap_fetch_sizes(struct imap *, const uint32_t *uids, size_t n,
    uint32_t *sizes, char **errstr);

/*
 * Moves the messages to folder in one command (MOVE, else COPY +
 * \Deleted + UID EXPUNGE): a backlog costs the server one MOVE per
 * batch, not one per message.
 */
int imap_move(struct imap *, const uint32_t *uids, size_t n,
    const char *folder, char **errstr);

/*
 * Deletes the messages (\Deleted and UID EXPUNGE; without UIDPLUS they
 * stay flagged).  Only doctor's own probe is ever deleted: refbot never
 * deletes mail it was sent.
 */
int imap_delete(struct imap *, const uint32_t *uids, size_t n,
    char **errstr);

/* Creates folder unless it exists. */
int imap_ensure_folder(struct imap *, const char *folder, char **errstr);

/*
 * Whether folder exists and can hold mail, by LIST (nothing is created):
 * IMAP_OK; IMAP_EBOX, missing or \Noselect, with *errstr saying which.
 */
int imap_folder_exists(struct imap *, const char *folder, char **errstr);

/*
 * Waits in IDLE up to seconds for the server to report a change; returns
 * IMAP_OK either way (*changed says which) or IMAP_ECONN.  Checks *stop
 * every second so a signal ends the wait promptly.
 */
int imap_idle(struct imap *, int seconds, volatile sig_atomic_t *stop,
    int *changed, char **errstr);

/* A NOOP, which also collects news when polling. */
int imap_noop(struct imap *, char **errstr);

#endif
