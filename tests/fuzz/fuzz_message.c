/*
 * libFuzzer target: one message through everything the daemon does with
 * untrusted bytes before the database — MIME, charsets, classification
 * and the form reader.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "analyze.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char default_template[] =
    "[field client]\nlabels = Client, クライアント名\nrequired = yes\n"
    "[field contact_email]\nlabels = Contact email, メール\ntype = email\n"
    "[field contact_phone]\nlabels = Phone, 電話\ntype = phone\n"
    "[one_of contact]\nfields = contact_email, contact_phone\n"
    "[field client_aware]\nlabels = Client aware\ntype = yesno\nmust = yes\n"
    "[field budget]\nlabels = Budget, 予算\ntype = money\n"
    "[field timeline]\nlabels = Timeline\ntype = date\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct template tmpl;
	static int loaded;
	struct analyze_opts o;
	struct analysis a;
	char *err = NULL;

	if (!loaded) {
		if (template_parse(default_template, strlen(default_template),
		    &tmpl, &err) != 0)
			abort();
		loaded = 1;
	}
	o.tmpl = &tmpl;
	o.our_domain = "refbot.example.test";
	o.loop_header = "X-Refbot-Loop";
	o.max_size = 1 << 20;
	analyze((const char *)data, size, &o, &a);
	if (a.kind != KIND_UNREADABLE && !utf8_valid(a.msg.text,
	    strlen(a.msg.text)))
		abort();	/* invalid UTF-8 must never get through */
	/* An attached forward (issue 19.1): a valid sender, UTF-8 text. */
	if (a.attached.from_addr != NULL && (addr_check(a.attached.from_addr,
	    strlen(a.attached.from_addr)) != ADDR_OK ||
	    !utf8_valid(a.attached.text, strlen(a.attached.text)) ||
	    !utf8_valid(a.attached.note, strlen(a.attached.note))))
		abort();
	/* Its files come only with it, each named in UTF-8. */
	if (a.nattached_files > 0 && a.attached.from_addr == NULL)
		abort();
	for (size_t i = 0; i < a.nattached_files; i++)
		if (!utf8_valid(a.attached_files[i].name,
		    strlen(a.attached_files[i].name)))
			abort();
	analysis_free(&a);
	return 0;
}
