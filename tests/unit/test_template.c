/* Unit tests for the qualification template and form reader. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "template.h"
#include "util.h"

static struct template tmpl;

static int
load_default(void)
{
	char *text, *err = NULL;
	size_t len;
	int rc;

	if ((text = check_slurp("templates/referral.template", &len)) == NULL)
		return -1;
	rc = template_parse(text, len, &tmpl, &err);
	if (rc != 0)
		printf("# template error: %s\n", err);
	free(err);
	free(text);
	return rc;
}

static void
test_default_template_loads(void)
{
	EXPECT(tmpl.nfields == 12);
	EXPECT(template_field(&tmpl, "client") != NULL);
	EXPECT(template_field(&tmpl, "client")->required);
	EXPECT(template_field(&tmpl, "contact_email")->type == FIELD_EMAIL);
	EXPECT(!template_field(&tmpl, "budget")->required);
	EXPECT_STR(template_field(&tmpl, "client")->title, "Client");
}

static char *
parse_error(const char *text)
{
	struct template t;
	char *err = NULL;

	if (template_parse(text, strlen(text), &t, &err) == 0) {
		template_free(&t);
		return NULL;
	}
	return err;
}

static void
test_template_errors_name_line(void)
{
	char *err;

	err = parse_error("[field a]\nlabels = A\n\n[field b]\nlabels = B\n"
	    "type = colour\n");
	EXPECT_CONTAINS(err, "6: unknown type 'colour'");
	free(err);
	err = parse_error("labels = A\n");
	EXPECT_CONTAINS(err, "1: settings must be under a [field KEY]");
	free(err);
	err = parse_error("[field a]\nlabels = Name\n[field b]\nlabels = NAME\n");
	EXPECT_CONTAINS(err, "4: label 'name' is used by fields 'a' and 'b'");
	free(err);
	err = parse_error("[field a]\nlabels = A\nrequired = perhaps\n");
	EXPECT_CONTAINS(err, "3: 'required' must be yes or no");
	free(err);
	err = parse_error("[field a]\nlabels = A\ncolour = red\n");
	EXPECT_CONTAINS(err, "3: unknown key 'colour'");
	free(err);
	err = parse_error("[field a]\nrequired = yes\n");
	EXPECT_CONTAINS(err, "2: field 'a' has no labels");
	free(err);
}

static void
test_fold(void)
{
	char *s = text_fold("ＣＯＮＴＡＣＴ　Ｎａｍｅ  x");

	EXPECT_STR(s, "contact name x");
	free(s);
	s = text_fold("担当者名");
	EXPECT_STR(s, "担当者名");
	free(s);
	s = text_fold("メモ　社内 向け");
	EXPECT_STR(s, "メモ 社内 向け");
	free(s);
}

static void
test_english_form(void)
{
	struct form f;

	form_read(&tmpl, "Hi,\n\nclient: Acme\nCONTACT NAME : Jane\n"
	    "Contact email:jane@acme.example\nService needed: Audit\n"
	    "Challenge: first line\n  second line\n\nClient aware: Yes\n"
	    "Thanks\n", &f);
	EXPECT_STR(form_get(&f, "client"), "Acme");
	EXPECT_STR(form_get(&f, "contact_name"), "Jane");
	EXPECT_STR(form_get(&f, "contact_email"), "jane@acme.example");
	EXPECT_STR(form_get(&f, "challenge"), "first line\nsecond line");
	EXPECT_STR(form_get(&f, "client_aware"), "yes");
	EXPECT(f.nproblems == 0);
	form_free(&f);
}

static void
test_japanese_form(void)
{
	struct form f;

	form_read(&tmpl, "■クライアント名：株式会社サンプル\n"
	    "担当者名: 山田 太郎\nメール：yamada@sample.example\n"
	    "必要なサービス：監査\n課題：連結決算\nクライアントの了承：はい\n",
	    &f);
	EXPECT_STR(form_get(&f, "client"), "株式会社サンプル");
	EXPECT_STR(form_get(&f, "contact_name"), "山田 太郎");
	EXPECT(f.nproblems == 0);
	form_free(&f);
}

static void
test_missing_and_invalid(void)
{
	struct form f;
	size_t i;
	int saw_email = 0, saw_aware = 0, saw_service = 0;

	form_read(&tmpl, "Client: Foo\nContact name: Bob\n"
	    "Contact email: bob at foo\nClient aware: perhaps\n", &f);
	for (i = 0; i < f.nproblems; i++) {
		const char *k = f.problems[i].field->key;
		if (strcmp(k, "contact_email") == 0) {
			saw_email = 1;
			EXPECT(f.problems[i].kind == PROBLEM_INVALID);
		} else if (strcmp(k, "client_aware") == 0)
			saw_aware = 1;
		else if (strcmp(k, "service") == 0) {
			saw_service = 1;
			EXPECT(f.problems[i].kind == PROBLEM_MISSING);
		}
	}
	EXPECT(saw_email && saw_aware && saw_service);
	EXPECT(f.nproblems == 4);	/* + challenge missing */
	form_free(&f);
}

static void
test_quotes_and_signature_ignored(void)
{
	struct form f;

	form_read(&tmpl, "Client: Real\n> Contact name: Quoted\n\n-- \n"
	    "Contact name: Signature\n", &f);
	EXPECT_STR(form_get(&f, "client"), "Real");
	EXPECT(form_get(&f, "contact_name") == NULL);
	form_free(&f);
}

static void
test_hostile_line(void)
{
	struct form f;
	struct buf b;
	int i;

	/* A very long line with many colons must be read in bounded time. */
	buf_init(&b);
	for (i = 0; i < 20000; i++)
		buf_adds(&b, "a:");
	buf_adds(&b, "\nClient: Still read\n");
	form_read(&tmpl, b.data, &f);
	EXPECT_STR(form_get(&f, "client"), "Still read");
	form_free(&f);
	buf_free(&b);
}

static void
test_blank_form_lines(void)
{
	struct buf b;

	buf_init(&b);
	template_blank_form(&tmpl, "en", &b);
	EXPECT(strncmp(b.data, "* Client: \n* Contact name: \n", 28) == 0);
	/* In a one_of group: marked, though not required alone. */
	EXPECT_CONTAINS(b.data, "\n* Contact phone: \n");
	EXPECT_CONTAINS(b.data, "\n  Budget: \n");
	EXPECT_CONTAINS(b.data, "\n* Client aware: \n");
	EXPECT(b.data[b.len - 1] == ' ');	/* no newline after the last */
	buf_free(&b);
	buf_init(&b);
	template_blank_form(&tmpl, "ja", &b);
	EXPECT(strncmp(b.data, "* クライアント名：\n", 27) == 0);
	EXPECT_CONTAINS(b.data, "\n  予算：\n");
	EXPECT_CONTAINS(b.data, "\n* クライアントの了承：\n");
	buf_free(&b);
}

/* A value every field of the default template accepts. */
static const char *
sample_value(const struct tfield *f)
{
	switch (f->type) {
	case FIELD_EMAIL: return "jane@acme.example";
	case FIELD_PHONE: return "+81 3-1234-5678";
	case FIELD_YESNO: return f->must == 0 ? "no" : "yes";
	case FIELD_DATE: return "2026-12-01";
	case FIELD_MONEY: return "1,000,000";
	default: return "something real";
	}
}

/* The blank form, filled in line by line, is a qualified submission. */
static void
round_trip(const char *lang)
{
	struct buf blank, filled;
	struct form f;
	const char *p;
	size_t i = 0;

	buf_init(&blank);
	buf_init(&filled);
	template_blank_form(&tmpl, lang, &blank);
	form_read(&tmpl, blank.data, &f);
	EXPECT(f.nvalues == 0);		/* blank means nothing was given */
	form_free(&f);
	for (p = blank.data; *p != '\0' && i < tmpl.nfields; i++) {
		size_t n = strcspn(p, "\n");

		buf_add(&filled, p, n);
		buf_addf(&filled, "%s\n", sample_value(&tmpl.fields[i]));
		p += n + (p[n] == '\n');
	}
	EXPECT(i == tmpl.nfields);
	form_read(&tmpl, filled.data, &f);
	EXPECT(f.outcome == OUTCOME_QUALIFIED);
	EXPECT(f.nvalues == tmpl.nfields);
	EXPECT_STR(form_get(&f, "client"), "something real");
	EXPECT_STR(form_get(&f, "contact_email"), "jane@acme.example");
	form_free(&f);
	buf_free(&blank);
	buf_free(&filled);
}

static void
test_blank_form_round_trip(void)
{
	round_trip("en");
	round_trip("ja");
}

/* The value a role reads from text under a template. */
static char *
role_value(const char *tmpl_text, const char *text, enum field_role role)
{
	struct template t;
	struct form f;
	char *err = NULL, *v = NULL;

	if (template_parse(tmpl_text, strlen(tmpl_text), &t, &err) != 0) {
		printf("# %s\n", err);
		free(err);
		return NULL;
	}
	form_read(&t, text, &f);
	if (form_role(&f, role) != NULL)
		v = xstrdup(form_role(&f, role));
	form_free(&f);
	template_free(&t);
	return v;
}

static void
test_roles(void)
{
	static const char renamed[] = "[field kaisha]\nrole = client\n"
	    "labels = Company\n[field tanto]\nrole = contact_name\n"
	    "labels = Person\n[field mail]\nrole = contact_email\n"
	    "labels = Mail\ntype = email\n[field client]\nlabels = Old\n";
	static const char legacy[] = "[field client]\nlabels = Company\n"
	    "[field contact_email]\nlabels = Mail\n";
	static const char text[] = "Company: Acme KK\n\nPerson: Ann\n\n"
	    "Mail: ann@acme.example\n\nOld: not the client\n";
	char *v, *err;

	/* The default template names its roles. */
	EXPECT(template_field(&tmpl, "client")->role == FIELD_ROLE_CLIENT);
	EXPECT(template_field(&tmpl, "contact_email")->role ==
	    FIELD_ROLE_CONTACT_EMAIL);
	EXPECT_STR(v = role_value(renamed, text, FIELD_ROLE_CLIENT),
	    "Acme KK");
	free(v);
	EXPECT_STR(v = role_value(renamed, text, FIELD_ROLE_CONTACT_NAME),
	    "Ann");
	free(v);
	EXPECT_STR(v = role_value(renamed, text, FIELD_ROLE_CONTACT_EMAIL),
	    "ann@acme.example");
	free(v);
	/* Without roles, the keys of old say which field is which. */
	EXPECT_STR(v = role_value(legacy, text, FIELD_ROLE_CLIENT), "Acme KK");
	free(v);
	EXPECT_STR(v = role_value(legacy, text, FIELD_ROLE_CONTACT_EMAIL),
	    "ann@acme.example");
	free(v);
	EXPECT((v = role_value(legacy, text, FIELD_ROLE_CONTACT_NAME)) ==
	    NULL);
	free(v);
	EXPECT((v = role_value(legacy, text, FIELD_ROLE_NONE)) == NULL);
	free(v);
	err = parse_error("[field a]\nlabels = A\nrole = client\n"
	    "[field b]\nlabels = B\nrole = client\n");
	EXPECT_CONTAINS(err, "5: role 'client' is given to fields 'a' and 'b'");
	free(err);
	err = parse_error("[field a]\nlabels = A\nrole = boss\n");
	EXPECT_CONTAINS(err, "3: unknown role 'boss'");
	free(err);
}

int
main(void)
{
	if (load_default() != 0) {
		printf("not ok 1 - load the default template\n1..1\n");
		return 1;
	}
	RUN(test_default_template_loads);
	RUN(test_template_errors_name_line);
	RUN(test_fold);
	RUN(test_english_form);
	RUN(test_japanese_form);
	RUN(test_missing_and_invalid);
	RUN(test_quotes_and_signature_ignored);
	RUN(test_hostile_line);
	RUN(test_blank_form_lines);
	RUN(test_blank_form_round_trip);
	RUN(test_roles);
	template_free(&tmpl);
	return check_done();
}
