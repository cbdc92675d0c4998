/*
 * forward_attached: a forward sent as an attached message (Outlook's
 * "Forward as Attachment", Apple Mail's "Forward as Attachment"): the
 * first message/rfc822 part, read with the MIME parser as the forwarded
 * mail.  Pure: bytes in, struct out (see forward.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "forward.h"
#include "message.h"
#include "util.h"

int
forward_attached(const struct message *msg, size_t max_size,
    struct forwarded *out, struct attachment **files, size_t *nfiles)
{
	const struct attachment *at = NULL;
	struct message inner;
	char *err = NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (files != NULL) {
		*files = NULL;
		*nfiles = 0;
	}
	for (i = 0; i < msg->nattachments && at == NULL; i++)
		if (strcmp(msg->attachments[i].type, "message/rfc822") == 0 &&
		    msg->attachments[i].data != NULL)
			at = &msg->attachments[i];
	if (at == NULL)
		return 0;
	if (message_parse(at->data, at->len, max_size, &inner, &err) !=
	    MESSAGE_OK) {
		message_free(&inner);	/* the headers it may have read */
		free(err);
		return 0;
	}
	if (inner.from_addr != NULL && addr_check(inner.from_addr,
	    strlen(inner.from_addr)) == ADDR_OK) {
		out->from_addr = xstrdup(inner.from_addr);
		out->from_name = inner.from_name ? xstrdup(inner.from_name) :
		    NULL;
		out->subject = *inner.subject ? xstrdup(inner.subject) : NULL;
		out->note = xstrdup(msg->text ? msg->text : "");
		out->text = xstrdup(inner.text ? inner.text : "");
		if (files != NULL) {	/* moved out of inner */
			*files = inner.attachments;
			*nfiles = inner.nattachments;
			inner.attachments = NULL;
			inner.nattachments = 0;
		}
	}
	message_free(&inner);
	return out->from_addr != NULL;
}
