/*
 * libFuzzer target: a calendar client's answer to an invitation
 * (parsers/itip.c, libical's parser underneath).  Any bytes must read
 * without a crash or a hang; an answer has a UID of at most
 * ITIP_UID_MAX bytes of valid UTF-8, a REPLY an answer, only a COUNTER
 * times (an end only after its start), and an attendee that is a mail
 * address; anything else leaves the struct empty.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "itip.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct itip t;
	int r;

	r = itip_parse((const char *)data, size, &t);
	if (r == 0) {
		if (t.method != ITIP_NONE || t.uid != NULL ||
		    t.attendee != NULL || t.start != -1 || t.end != -1)
			abort();
		return 0;
	}
	if (r != 1 || (t.method != ITIP_REPLY && t.method != ITIP_COUNTER) ||
	    t.uid == NULL || *t.uid == '\0' || strlen(t.uid) > ITIP_UID_MAX ||
	    !utf8_valid(t.uid, strlen(t.uid)) || t.sequence < 0 ||
	    t.partstat > ITIP_PS_MAX ||
	    (t.method == ITIP_REPLY && (t.partstat == ITIP_PS_NONE ||
	    t.start != -1 || t.end != -1)) ||
	    t.start < -1 || (t.start == -1 && t.end != -1) ||
	    (t.end != -1 && t.end <= t.start) ||
	    (t.attendee != NULL && addr_check(t.attendee,
	    strlen(t.attendee)) != ADDR_OK))
		abort();
	itip_free(&t);
	return 0;
}
