/* texts_int: the list of texts, shared by texts.c and texts_known.c. */
#ifndef REFBOT_TEXTS_INT_H
#define REFBOT_TEXTS_INT_H

#include <stddef.h>

enum kind {
	MAIL,			/* "Subject:" line, empty line, body */
	LINES,			/* "KEY = text" lines */
	PLAIN,			/* a text included whole (the partner kit) */
};

enum group { REASONS, MAILTEXTS, KIT };

/* One text of the set: its file, kind, and what it may use. */
struct known {
	const char *name;
	enum kind kind;
	enum group group;
	int ja;
	const char *vars;
	const char *keys;
};

extern const struct known known[];
extern const size_t nknown;

#endif
