/*
 * wire: a struct analysis as bytes, so that the parser child can hand
 * the bot what it read and the bot does not parse the message again.
 *
 * The bytes come from a process that parsed hostile mail and may have
 * been subverted by it, so wire_get is a parser of sender input: every
 * length and count is checked against what is left, every index against
 * the template, every enum against its range, and a string may not hold
 * a NUL.  Pure: bytes in, struct out.
 *
 * Layout (integers little-endian): "RBWA", a version byte, then the
 * fields of struct analysis in declaration order.  A string is a u32
 * length (0xffffffff: NULL) and its bytes; an array is a u32 count and
 * its elements.  Pointers into the template travel as indices into it
 * (0xffffffff: no group); the static strings analyze() points at travel
 * as text and are mapped back to their one static copy.  What analyze()
 * promises is checked too (an automatic mail has its reason, a message
 * the MIME parser read has its subject and text, a submission or reply
 * its From address), so the bot may rely on it as on analyze() itself.
 */
#ifndef REFBOT_WIRE_H
#define REFBOT_WIRE_H

#include <stddef.h>

#include "analyze.h"
#include "template.h"
#include "util.h"

#define WIRE_VERSION 4

/*
 * Appends a (read with tmpl) to out.  Returns 0, or -1 when a points
 * outside tmpl (a caller's bug; nothing useful was appended).
 */
int wire_put(const struct analysis *a, const struct template *tmpl,
    struct buf *out);

/*
 * Reads len bytes into *a, its template pointers into tmpl.  Returns 0
 * (free *a with analysis_free), or -1 with *a empty and *errstr, when
 * errstr is not NULL, saying what is wrong (static).
 */
int wire_get(const char *bytes, size_t len, const struct template *tmpl,
    struct analysis *a, const char **errstr);

#endif
