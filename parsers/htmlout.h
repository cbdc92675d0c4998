/*
 * htmlout: the HTML part of a mail, made from its plain-text part, so
 * both come from one text in templates/mail/ and always say the same.
 *
 * The plain text's own conventions become markup: a line underlined with
 * "===" or "---" is a heading; lines starting "- " or "・" are a list;
 * "Label:  value" lines (a colon and two or more spaces) are a table;
 * blank lines separate paragraphs; http(s) and mailto: links are links.
 * The page is laid out with tables and inline styles, which is what
 * Outlook's Word-based renderer and Gmail's style filter both keep.
 * Pure: no I/O.
 */
#ifndef REFBOT_HTMLOUT_H
#define REFBOT_HTMLOUT_H

#include <stddef.h>

/* An HTML document for text (UTF-8); lang is "en" or "ja".  Caller frees. */
char *htmlout(const char *text, const char *title, const char *lang);

/* s with &, <, > and " escaped, appended to b. */
struct buf;
void htmlout_escape(struct buf *b, const char *s, size_t n);

#endif
