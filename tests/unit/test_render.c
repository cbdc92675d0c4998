/*
 * render: mail texts are split into subject and body before anything is
 * filled in, and a value in the subject can carry no line end or control
 * (issue 14 item 4: a decoded subject "a\nInjected line" became the
 * first line of our own mail).
 */
#include "config.h"

#include "check.h"
#include "render.h"

static const char mail[] = "Subject: Re: {{subject}}\n\nHello {{who}},\n"
    "thanks.\n";

/* Renders mail with subject and who, checks the subject and body. */
static void
expect_mail(const char *subject, const char *want_subject)
{
	const struct render_var vars[] = { { "subject", subject },
	    { "who", "Jane" } };
	char *subj = NULL, *body = NULL, *unknown = NULL;

	EXPECT(render_mail(mail, vars, nitems(vars), &subj, &body,
	    &unknown) == 0);
	EXPECT_STR(subj, want_subject);
	EXPECT_STR(body, "Hello Jane,\nthanks.\n");
	EXPECT(unknown == NULL);
	free(subj);
	free(body);
	free(unknown);
}

static void
test_newline_in_subject(void)
{
	expect_mail("a\nInjected line", "Re: a Injected line");
	expect_mail("a\r\nBcc: x@y\r\n\r\nbody", "Re: a Bcc: x@y body");
	expect_mail("\n\nlead and trail\n", "Re: lead and trail");
	expect_mail("", "Re:");
}

static void
test_controls_in_subject(void)
{
	expect_mail("a\tb\x01" "c\x7f" "d", "Re: a b c d");
	/* NEL (U+0085), U+2028 and U+2029 end lines in some readers. */
	expect_mail("a\xc2\x85" "b\xe2\x80\xa8" "c\xe2\x80\xa9" "d",
	    "Re: a b c d");
	/* Other C1 controls too; printable non-ASCII stays. */
	expect_mail("\xc2\x9b" "x \xc2\xa0 \xe2\x80\xa7 株式会社",
	    "Re: x \xc2\xa0 \xe2\x80\xa7 株式会社");
	/* Runs of blanks and controls collapse to one space. */
	expect_mail("a  \r\n\t  b", "Re: a b");
}

/* A body value keeps its lines: only headers are made safe. */
static void
test_body_keeps_lines(void)
{
	const struct render_var vars[] = { { "subject", "s" },
	    { "who", "Jane\nSmith" } };
	char *subj = NULL, *body = NULL;

	EXPECT(render_mail(mail, vars, nitems(vars), &subj, &body,
	    NULL) == 0);
	EXPECT_STR(subj, "Re: s");
	EXPECT_STR(body, "Hello Jane\nSmith,\nthanks.\n");
	free(subj);
	free(body);
}

static void
test_unknown_and_missing_subject(void)
{
	const struct render_var vars[] = { { "subject", "s" } };
	char *subj = NULL, *body = NULL, *unknown = NULL;

	EXPECT(render_mail("Subject: {{nope}}\n\n{{who}}\n", vars,
	    nitems(vars), &subj, &body, &unknown) == 0);
	EXPECT_STR(unknown, "nope");
	free(subj);
	free(body);
	free(unknown);
	unknown = NULL;
	EXPECT(render_mail("Subject: {{subject}}\n\n{{who}}\n", vars,
	    nitems(vars), &subj, &body, &unknown) == 0);
	EXPECT_STR(unknown, "who");
	free(subj);
	free(body);
	free(unknown);
	subj = body = NULL;
	EXPECT(render_mail("Hello {{subject}}\n", vars, nitems(vars), &subj,
	    &body, NULL) == -1);
	EXPECT(subj == NULL && body == NULL);
}

static void
test_header_value(void)
{
	char *s = render_header_value(" a\r\n\xe2\x80\xa8 b\x1b[31m ");

	EXPECT_STR(s, "a b [31m");
	free(s);
	s = render_header_value(NULL);
	EXPECT_STR(s, "");
	free(s);
	s = render_header_value("\xc2");	/* cut UTF-8: left as it is */
	EXPECT_STR(s, "\xc2");
	free(s);
}

int
main(void)
{
	RUN(test_newline_in_subject);
	RUN(test_controls_in_subject);
	RUN(test_body_keeps_lines);
	RUN(test_unknown_and_missing_subject);
	RUN(test_header_value);
	return check_done();
}
