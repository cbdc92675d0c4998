/*
 * rawhdr: reading a few header fields straight from the raw bytes of a
 * message, for the cases where the MIME parser cannot be used (it failed
 * on the message) or must not be (the bytes themselves are what counts).
 * Pure; the bytes come from senders and need not end in a NUL.
 */
#ifndef REFBOT_RAWHDR_H
#define REFBOT_RAWHDR_H

#include <stddef.h>

/*
 * The sender of a message, from its first header block by plain text
 * search: the address in its first "From:" line, lower-cased.  NULL when
 * there is none, when it does not look like a bare address, or when the
 * message says it is automatic (an "Auto-Submitted:" line not saying
 * "no").  Caller frees.
 */
char *rawhdr_sender(const char *raw, size_t len);

/*
 * The value of the first "name:" field (name without the colon, any
 * case) in the first header block, by plain text search: its folded
 * lines joined (unfolded as RFC 5322 says), trimmed, at most max bytes
 * (cut at a byte, so the caller sanitises it).  NULL when there is none.
 * Caller frees.
 */
char *rawhdr_field(const char *raw, size_t len, const char *name,
    size_t max);

/*
 * Where the message proper starts: the offset of the first line that
 * is not a header added in transit (Return-Path, Delivered-To, Received
 * and their continuation lines).
 */
size_t rawhdr_skip_transit(const char *raw, size_t len);

#endif
