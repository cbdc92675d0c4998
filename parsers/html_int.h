/*
 * html_int: what html.c and html_lines.c share and nobody else sees: the
 * text being written and the line writer's calls.
 */
#ifndef REFBOT_HTML_INT_H
#define REFBOT_HTML_INT_H

#include <stddef.h>

#include "html.h"
#include "util.h"


struct limit {
	size_t left;		/* bytes still to write; cells count twice */
	int full;		/* none left: stop reading */
};

/* One text being written: the whole body, or one table cell. */
struct conv {
	struct buf out;		/* finished lines */
	struct buf line;	/* the line being built, without prefix */
	int space;		/* white space is due before the next word */
	int nbsp;		/* the line held &nbsp;: keep it though empty */
	int blank;		/* a blank line is due before the next line */
	size_t nlines;
	int last_level;		/* quote level of the last line written */
	int bq;			/* enclosing <blockquote>s */
	int marked;		/* enclosing Gmail / Yahoo quote containers */
	int quoted;		/* 1 once past Outlook's reply header */
	int pre;		/* inside <pre>: white space is kept */
	int item;		/* next number in an <ol>; 0 in a <ul> */
	char mark[16];		/* list marker for the next line written */
	struct limit *lim;
};

/* html_lines.c */
void conv_init(struct conv *st, struct limit *lim, int pre);
int level(const struct conv *st);
void blank(struct conv *st);
void emit(struct conv *st, const char *s, size_t n);
void end_line(struct conv *st, int force);
int is_ws(char c);
int is_nbsp(const char *s);
void text(struct conv *st, const char *s);

#endif
