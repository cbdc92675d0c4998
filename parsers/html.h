/*
 * html: an HTML mail body turned into plain text that keeps the body's
 * line structure, so that "Label: value" lines, quoted mail and the
 * signature can be read from it as from a text/plain part.
 *
 * Pure: bytes in, string out.  No I/O; nothing is printed and nothing is
 * fetched.  This is the one module that uses libxml2.
 */
#ifndef REFBOT_HTML_H
#define REFBOT_HTML_H

#include <stddef.h>

/* At most this many bytes of text are written; the rest is cut. */
#define HTML_MAX_TEXT	(4u << 20)

/*
 * Converts len bytes of HTML, already in UTF-8 (invalid bytes become
 * U+FFFD), to UTF-8 text with "\n" after every line.  Blocks start
 * lines, a two-cell table row reads "Label: value", quoted mail
 * (<blockquote>, Gmail's and Outlook's reply markers) gets "> " before
 * each line.  Returns a new string the caller frees; never NULL, and ""
 * when no text could be recovered.
 */
char *html_to_text(const char *html, size_t len);

#endif
