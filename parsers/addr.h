/*
 * addr: RFC 5321 syntax of an envelope address (the Mailbox of MAIL FROM
 * and RCPT TO), checked before an address reaches libcurl, which would
 * put whatever it is given on the wire: a CR or LF in it would be a
 * second SMTP command.
 *
 * Accepted: Local-part "@" Domain, or Local-part "@" [IPv4] / [IPv6:...];
 * the local part a dot-string or a quoted string; at most 64 octets of
 * local part, 255 of domain (labels of 63), 254 in all.  ASCII only (no
 * SMTPUTF8), and no General-address-literal (no tag is registered).
 */
#ifndef REFBOT_ADDR_H
#define REFBOT_ADDR_H

#include <stddef.h>

enum addr_err {
	ADDR_OK = 0,
	ADDR_EMPTY,		/* no bytes */
	ADDR_TOO_LONG,		/* more than 254 octets */
	ADDR_NO_AT,		/* no "@" after the local part */
	ADDR_LOCAL,		/* local part is neither dot-string nor quoted */
	ADDR_LOCAL_TOO_LONG,	/* local part over 64 octets */
	ADDR_DOMAIN,		/* domain is not a host name */
	ADDR_DOMAIN_TOO_LONG,	/* domain over 255 octets or a label over 63 */
	ADDR_LITERAL,		/* bad [address literal] */
};

/* ADDR_OK when the n bytes at s are a valid envelope address. */
enum addr_err addr_check(const char *s, size_t n);

/* A short English phrase for an error, for logs and the outbox. */
const char *addr_strerror(enum addr_err);

/*
 * Non-zero when the n bytes at s mention the address a (alen bytes) as
 * a whole address, ASCII case ignored: not inside a longer one, so
 * "ann@x.example" is not found in "joann@x.example" or
 * "ann@x.example.org" (a full stop after it, ending a sentence, is
 * fine).  For erasing one person's data ("refbot forget").
 */
int addr_mentions(const char *s, size_t n, const char *a, size_t alen);

#endif
