/* Unit tests for refbot.conf loading (bot/conf.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "conf.h"
#include "util.h"

static char dir[] = "/tmp/refbot-test-conf.XXXXXX";

static char *
write_tmp(const char *name, const char *text, mode_t mode)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

static const char base_conf[] =
    "# a comment\n"
    "database = /tmp/x.db\n"
    "templates = /tmp/templates\n"
    "imap_url = imaps://mail.example.test\n"
    "imap_user = intake\n"
    "imap_password_env = REFBOT_TEST_PW\n"
    "smtp_url = smtp://127.0.0.1:2525\n"
    "intake_address = Intake@Example.test\n"
    "staff_addresses = a@example.test, B@example.test\n"
    "message_id_domain = refbot.example.test\n";

/* Loads text (base_conf plus extra) and returns the error, or NULL. */
static char *
load(const char *extra, struct config *cfg)
{
	char *text = xasprintf("%s%s", base_conf, extra);
	char *path = write_tmp("refbot.conf", text, 0644);
	char *err = NULL;

	free(text);
	if (config_load(path, cfg, &err) != 0) {
		free(path);
		return err;
	}
	free(path);
	return NULL;
}

static void
test_good_config(void)
{
	struct config cfg;
	char *err = load("", &cfg);

	EXPECT(err == NULL);
	if (err != NULL) {
		printf("#   error: %s\n", err);
		free(err);
		return;
	}
	EXPECT_STR(cfg.imap.host, "mail.example.test");
	EXPECT(cfg.imap.port == 993);
	EXPECT(cfg.imap.tls == TLS_IMPLICIT);
	EXPECT_STR(cfg.imap.password, "secret-pw");
	EXPECT_STR(cfg.smtp.host, "127.0.0.1");
	EXPECT(cfg.smtp.port == 2525);
	EXPECT(cfg.smtp.tls == TLS_STARTTLS);
	EXPECT_STR(cfg.intake_address, "intake@example.test");
	EXPECT(cfg.nstaff == 2);
	EXPECT_STR(cfg.staff[1], "b@example.test");
	EXPECT_STR(cfg.imap_mailbox, "INBOX");
	EXPECT_STR(cfg.processed_folder, "Processed");
	EXPECT_STR(cfg.envelope_from, "intake@example.test");
	EXPECT(cfg.poll_interval == 60);
	EXPECT_STR(cfg.currency, "JPY");
	EXPECT_STR(cfg.language, "en");
	EXPECT(cfg.sla_hours == 24);
	EXPECT(cfg.reply_token == REPLY_TOKEN_BOTH);
	config_free(&cfg);
}

/* #17.1: reply_token = address|message-id|both. */
static void
test_reply_token(void)
{
	struct config cfg;
	char *err;

	err = load("reply_token = message-id\n", &cfg);
	EXPECT(err == NULL);
	if (err == NULL) {
		EXPECT(cfg.reply_token == REPLY_TOKEN_MESSAGE_ID);
		config_free(&cfg);
	}
	free(err);
	err = load("reply_token = address\n", &cfg);
	EXPECT(err == NULL);
	if (err == NULL) {
		EXPECT(cfg.reply_token == REPLY_TOKEN_ADDRESS);
		config_free(&cfg);
	}
	free(err);
	err = load("reply_token = plus\n", &cfg);
	EXPECT_CONTAINS(err, ":11: reply_token must be address, message-id "
	    "or both");
	free(err);
}

static void
test_unknown_key_names_file_and_line(void)
{
	struct config cfg;
	char *err = load("imap_passwort = x\n", &cfg);

	EXPECT(err != NULL);
	EXPECT_CONTAINS(err, "refbot.conf:11: unknown key 'imap_passwort'");
	free(err);
}

static void
test_missing_required_key(void)
{
	struct config cfg;
	char *path = write_tmp("short.conf", "database = /tmp/x.db\n", 0644);
	char *err = NULL;

	EXPECT(config_load(path, &cfg, &err) != 0);
	EXPECT_CONTAINS(err, "short.conf:");
	EXPECT_CONTAINS(err, "required key 'imap_url' is missing");
	free(err);
	free(path);
}

static void
test_syntax_error_line(void)
{
	struct config cfg;
	char *err = load("this line has no equals sign\n", &cfg);

	EXPECT_CONTAINS(err, "refbot.conf:11: expected 'key = value'");
	free(err);
}

static void
test_duplicate_key(void)
{
	struct config cfg;
	char *err = load("imap_user = other\n", &cfg);

	EXPECT_CONTAINS(err, ":11: 'imap_user' is set twice");
	free(err);
}

static void
test_bad_values(void)
{
	struct config cfg;
	char *err;

	err = load("poll_interval = soon\n", &cfg);
	EXPECT_CONTAINS(err, ":11: poll_interval must be a number");
	free(err);
	err = load("imap_tls = maybe\n", &cfg);
	EXPECT_CONTAINS(err, ":11: imap_tls must be implicit, starttls or none");
	free(err);
	err = load("language = fr\n", &cfg);
	EXPECT_CONTAINS(err, ":11: language must be en or ja");
	free(err);
	err = load("envelope_from = nobody\n", &cfg);
	EXPECT_CONTAINS(err, ":11: envelope_from: 'nobody' is not an email");
	free(err);
}

static void
test_bad_url(void)
{
	struct config cfg;
	char *path, *err = NULL;
	char *text = xstrdup(base_conf);
	char *p = strstr(text, "imaps://mail.example.test");

	memcpy(p, "http", 4);
	path = write_tmp("url.conf", text, 0644);
	EXPECT(config_load(path, &cfg, &err) != 0);
	EXPECT_CONTAINS(err, "url.conf:4: imap_url must start with imap://");
	free(err);
	free(path);
	free(text);
}

static void
test_plaintext_only_when_asked(void)
{
	struct config cfg;
	char *text = xstrdup(base_conf), *path, *err = NULL;

	memcpy(strstr(text, "imaps://"), "imap:// ", 8);
	path = write_tmp("plain.conf", text, 0644);
	EXPECT(config_load(path, &cfg, &err) == 0);
	if (err == NULL) {
		EXPECT(cfg.imap.tls == TLS_STARTTLS);
		EXPECT(cfg.imap.port == 143);
		config_free(&cfg);
	}
	free(err);
	free(path);
	free(text);
	err = load("smtp_tls = none\n", &cfg);
	EXPECT(err == NULL);
	if (err == NULL) {
		EXPECT(cfg.smtp.tls == TLS_NONE);
		config_free(&cfg);
	}
	free(err);
}

static void
test_password_file_permissions(void)
{
	struct config cfg;
	char *pw = write_tmp("pw", "file-secret\n", 0644), *extra, *err;

	/* Replace the env password by a file that others can read. */
	extra = xasprintf("smtp_user = u\nsmtp_password_file = %s\n", pw);
	err = load(extra, &cfg);
	EXPECT_CONTAINS(err, "is accessible by group or others");
	EXPECT_CONTAINS(err, ":12:");
	free(err);
	chmod(pw, 0600);
	err = load(extra, &cfg);
	EXPECT(err == NULL);
	if (err == NULL) {
		EXPECT_STR(cfg.smtp.password, "file-secret");
		config_free(&cfg);
	}
	free(err);
	free(extra);
	free(pw);
}

/*
 * Issue 14: a secret file is checked on the descriptor that is read: a
 * symbolic link is refused (even to a good file), as is a file group or
 * others may read; the reply-token key must be at least 32 bytes.
 */
static void
test_secret_file_symlink(void)
{
	struct config cfg;
	char *key = write_tmp("key", "0123456789abcdef0123456789abcdef\n",
	    0600);
	char *link = xasprintf("%s/key-link", dir), *extra, *err;

	EXPECT(symlink(key, link) == 0);
	extra = xasprintf("secret_file = %s\n", link);
	err = load(extra, &cfg);
	EXPECT_CONTAINS(err, ":11: secret_file:");
	EXPECT_CONTAINS(err, "is a symbolic link");
	EXPECT_CONTAINS(err, link);
	free(err);
	free(extra);
	/* The file itself is fine. */
	extra = xasprintf("secret_file = %s\n", key);
	err = load(extra, &cfg);
	EXPECT(err == NULL);
	if (err == NULL) {
		EXPECT_STR(cfg.secret, "0123456789abcdef0123456789abcdef");
		config_free(&cfg);
	}
	free(err);
	free(extra);
	free(link);
	free(key);
}

static void
test_secret_file_group_readable(void)
{
	struct config cfg;
	char *key = write_tmp("gkey", "0123456789abcdef0123456789abcdef\n",
	    0640), *extra, *err;

	extra = xasprintf("secret_file = %s\n", key);
	err = load(extra, &cfg);
	EXPECT_CONTAINS(err, ":11: secret_file:");
	EXPECT_CONTAINS(err, "is accessible by group or others");
	EXPECT(err == NULL || strstr(err, "0123456789abcdef") == NULL);
	free(err);
	free(extra);
	free(key);
}

/* Owned by someone else: refused (the suite runs as root, as CI does). */
static void
test_secret_file_other_owner(void)
{
	struct config cfg;
	char *key = write_tmp("okey", "0123456789abcdef0123456789abcdef\n",
	    0600), *extra, *err;

	EXPECT(chown(key, 65534, 65534) == 0);
	extra = xasprintf("secret_file = %s\n", key);
	err = load(extra, &cfg);
	EXPECT_CONTAINS(err, ":11: secret_file:");
	EXPECT_CONTAINS(err, "is owned by uid 65534");
	free(err);
	free(extra);
	free(key);
}

static void
test_secret_not_regular(void)
{
	struct config cfg;
	char *extra = xasprintf("secret_file = %s\n", dir), *err;

	err = load(extra, &cfg);
	EXPECT_CONTAINS(err, "is not a regular file");
	free(err);
	free(extra);
}

static void
test_secret_key_too_short(void)
{
	struct config cfg;
	char *key = write_tmp("short-key", "0123456789abcdef0123456789abcde\n",
	    0600), *extra, *err;

	/* 31 bytes: one short. */
	extra = xasprintf("secret_file = %s\n", key);
	err = load(extra, &cfg);
	EXPECT_CONTAINS(err, ":11: secret_file: the key in ");
	EXPECT_CONTAINS(err, key);
	EXPECT_CONTAINS(err, "is 31 bytes long; it must be at least 32");
	EXPECT(err == NULL || strstr(err, "0123456789abcdef") == NULL);
	free(err);
	free(extra);
	/* The same rule for the environment. */
	setenv("REFBOT_TEST_KEY", "short", 1);
	err = load("secret_env = REFBOT_TEST_KEY\n", &cfg);
	EXPECT_CONTAINS(err, ":11: secret_env: the key in environment "
	    "variable REFBOT_TEST_KEY is 5 bytes long");
	free(err);
	setenv("REFBOT_TEST_KEY", "0123456789abcdef0123456789abcdef", 1);
	err = load("secret_env = REFBOT_TEST_KEY\n", &cfg);
	EXPECT(err == NULL);
	if (err == NULL)
		config_free(&cfg);
	free(err);
	unsetenv("REFBOT_TEST_KEY");
	/* A password has no minimum: it is the server's to choose. */
	chmod(key, 0600);
	extra = xasprintf("smtp_user = u\nsmtp_password_file = %s\n", key);
	err = load(extra, &cfg);
	EXPECT(err == NULL);
	if (err == NULL)
		config_free(&cfg);
	free(err);
	free(extra);
	free(key);
}

static void
test_missing_env_password(void)
{
	struct config cfg;
	char *err;

	unsetenv("REFBOT_TEST_PW");
	err = load("", &cfg);
	EXPECT_CONTAINS(err, ":6: imap_password_env: environment variable "
	    "REFBOT_TEST_PW is not set");
	free(err);
	setenv("REFBOT_TEST_PW", "secret-pw", 1);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		return 99;
	setenv("REFBOT_TEST_PW", "secret-pw", 1);
	RUN(test_good_config);
	RUN(test_reply_token);
	RUN(test_unknown_key_names_file_and_line);
	RUN(test_missing_required_key);
	RUN(test_syntax_error_line);
	RUN(test_duplicate_key);
	RUN(test_bad_values);
	RUN(test_bad_url);
	RUN(test_plaintext_only_when_asked);
	RUN(test_password_file_permissions);
	RUN(test_missing_env_password);
	RUN(test_secret_file_symlink);
	RUN(test_secret_file_group_readable);
	RUN(test_secret_file_other_owner);
	RUN(test_secret_not_regular);
	RUN(test_secret_key_too_short);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
		free(cmd);
	}
	return check_done();
}
