/*
 * doctor: checks what an operator can get wrong, one line per check.
 *
 * Every check loads what it checks itself, the way refbot would (the
 * texts through refbot's own loader, texts_load), but reports each
 * problem instead of stopping at the first one, and changes nothing: the
 * database is opened without creating or migrating it, and IMAP folders
 * are only looked up (created only with --fix).
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "db.h"
#include "db_staff.h"
#include "doctor.h"
#include "imap.h"
#include "kvfile.h"
#include "mailout.h"
#include "refbot.h"
#include "smtp.h"
#include "staff.h"
#include "texts.h"
#include "util.h"

/* The user refbot.service runs as: files it must read should be its. */
#define SERVICE_USER "refbot"

struct doctor {
	int fix;
	int verbose;
	int status;		/* exit code of the first failure */
	int as_root;		/* and SERVICE_USER exists: svc_uid is set */
	uid_t svc_uid;
};

static void line(const char *, const char *, const char *, va_list)
    __attribute__((format(printf, 3, 0)));

static void
line(const char *tag, const char *check, const char *fmt, va_list ap)
{
	printf("%-4s %s: ", tag, check);
	vprintf(fmt, ap);
	putchar('\n');
}

static void ok(struct doctor *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(struct doctor *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(struct doctor *, int, const char *, const char *, ...)
    __attribute__((format(printf, 4, 5)));
static void detail(struct doctor *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
ok(struct doctor *d, const char *check, const char *fmt, ...)
{
	va_list ap;

	(void)d;
	va_start(ap, fmt);
	line("OK", check, fmt, ap);
	va_end(ap);
}

/* Worth a look, but refbot works: the exit code stays 0. */
static void
warn(struct doctor *d, const char *check, const char *fmt, ...)
{
	va_list ap;

	(void)d;
	va_start(ap, fmt);
	line("WARN", check, fmt, ap);
	va_end(ap);
}

/* fmt says what is wrong, then " — " and what to do. */
static void
fail(struct doctor *d, int code, const char *check, const char *fmt, ...)
{
	va_list ap;

	if (d->status == 0)
		d->status = code;
	va_start(ap, fmt);
	line("FAIL", check, fmt, ap);
	va_end(ap);
}

static void
detail(struct doctor *d, const char *fmt, ...)
{
	va_list ap;

	if (!d->verbose)
		return;
	fputs("     ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static const char *
owner_name(uid_t uid, char *buf, size_t size)
{
	const struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		return pw->pw_name;
	snprintf(buf, size, "uid %ld", (long)uid);
	return buf;
}

/*
 * Run as root, doctor can read what the service user cannot: say so for
 * a file or directory the service needs for itself.
 */
static void
check_service_owner(struct doctor *d, const char *check, const char *path,
    const struct stat *st, int is_dir)
{
	char buf[32];

	if (!d->as_root || st->st_uid == d->svc_uid)
		return;
	warn(d, check, "%s is owned by %s, but refbot.service runs as %s "
	    "and may not %s it — chown %s %s", path,
	    owner_name(st->st_uid, buf, sizeof(buf)), SERVICE_USER,
	    is_dir ? "write in" : "read", SERVICE_USER, path);
}

/* The configuration file: it loads, and only its owner can change it. */
static int
check_config(struct doctor *d, const char *path, struct config *cfg)
{
	struct stat st;
	char *err = NULL, buf[32];

	if (stat(path, &st) != 0) {
		fail(d, EX_CONFIG_, "config", "%s: %s — copy %s to it and edit "
		    "it (see refbot.conf(5)), or name another file with "
		    "--config or REFBOT_CONFIG", path, strerror(errno),
		    SYSCONFDIR "/refbot/refbot.conf.example");
		return -1;
	}
	if (config_load(path, cfg, &err) != 0) {
		fail(d, EX_CONFIG_, "config", "%s — correct it (see "
		    "refbot.conf(5)); the other checks need a configuration "
		    "that loads", err);
		free(err);
		return -1;
	}
	ok(d, "config", "%s loads: IMAP %s, SMTP %s, %zu staff address%s",
	    path, cfg->imap.url, cfg->smtp.url, cfg->nstaff,
	    cfg->nstaff == 1 ? "" : "es");

	/*
	 * The file holds no secrets (they are in owner-only files or the
	 * environment), so others may read it; but whoever can change it
	 * can point refbot at another server or another password file.
	 */
	if (st.st_mode & S_IWOTH)
		fail(d, EX_CONFIG_, "config permissions", "%s can be changed "
		    "by any user (mode %04o) — chmod go-w %s", path,
		    (unsigned)(st.st_mode & 07777), path);
	else if (st.st_mode & S_IWGRP)
		warn(d, "config permissions", "%s can be changed by its group "
		    "(mode %04o) — chmod g-w %s unless everyone in that group "
		    "may run refbot", path, (unsigned)(st.st_mode & 07777),
		    path);
	else
		ok(d, "config permissions", "mode %04o, owner %s; the file "
		    "holds no secrets", (unsigned)(st.st_mode & 07777),
		    owner_name(st.st_uid, buf, sizeof(buf)));
	return 0;
}

/*
 * config_load already refused secret files others can read; here each
 * source is named, so the operator sees where refbot takes it from.
 */
static void
check_secrets(struct doctor *d, const char *path)
{
	static const struct {
		const char *key;
		const char *what;
		int env;
	} keys[] = {
		{ "imap_password_file", "IMAP password", 0 },
		{ "imap_password_env", "IMAP password", 1 },
		{ "smtp_password_file", "SMTP password", 0 },
		{ "smtp_password_env", "SMTP password", 1 },
		{ "secret_file", "reply-token key", 0 },
		{ "secret_env", "reply-token key", 1 },
	};
	struct kvfile kv;
	struct stat st;
	char *text, *err = NULL, buf[32];
	size_t len, i, j;

	if ((text = read_file(path, &len)) == NULL)
		return;		/* it loaded a moment ago */
	if (kvfile_parse(text, len, &kv, &err) != 0) {
		free(err);
		free(text);
		return;
	}
	free(text);
	for (i = 0; i < nitems(keys); i++) {
		for (j = 0; j < kv.n; j++)
			if (strcmp(kv.entries[j].key, keys[i].key) == 0)
				break;
		if (j == kv.n)
			continue;
		if (keys[i].env) {
			ok(d, "secrets", "%s from environment variable %s "
			    "(refbot.service needs it too: Environment= or "
			    "EnvironmentFile= in a drop-in)", keys[i].what,
			    kv.entries[j].value);
			continue;
		}
		if (stat(kv.entries[j].value, &st) != 0)
			continue;	/* config_load would have failed */
		ok(d, "secrets", "%s from %s (mode %04o, owner %s)",
		    keys[i].what, kv.entries[j].value,
		    (unsigned)(st.st_mode & 07777),
		    owner_name(st.st_uid, buf, sizeof(buf)));
		check_service_owner(d, "secrets", kv.entries[j].value, &st, 0);
	}
	kvfile_free(&kv);
}

/*
 * Staff mail clients write Message-IDs under the firm's domain; refbot
 * takes mail with a Message-ID under message_id_domain for its own and
 * never answers it.  The two must differ.
 */
static void
check_identity(struct doctor *d, const struct config *cfg)
{
	const char *dom = cfg->message_id_domain, *at;
	size_t i;

	at = strrchr(cfg->intake_address, '@');
	if (at != NULL && ascii_strcasecmp(at + 1, dom) == 0) {
		fail(d, EX_CONFIG_, "identity", "message_id_domain %s is the "
		    "intake address's domain: replies written there would be "
		    "taken for refbot's own mail and never answered — use a "
		    "host name only refbot uses, e.g. refbot.%s", dom, dom);
		return;
	}
	for (i = 0; i < cfg->nstaff; i++) {
		at = strrchr(cfg->staff[i], '@');
		if (at != NULL && ascii_strcasecmp(at + 1, dom) == 0) {
			fail(d, EX_CONFIG_, "identity", "message_id_domain %s "
			    "is the domain of staff address %s: staff replies "
			    "would be taken for refbot's own mail and ignored "
			    "— use a host name only refbot uses, e.g. "
			    "refbot.%s", dom, cfg->staff[i], dom);
			return;
		}
	}
	ok(d, "identity", "mail from %s, Message-IDs under %s",
	    cfg->intake_address, dom);
}

/* texts_load's findings, as doctor's lines. */
static void
text_finding(void *arg, enum texts_level level, const char *check,
    const char *msg)
{
	struct doctor *d = arg;

	switch (level) {
	case TEXTS_OK:
		ok(d, check, "%s", msg);
		break;
	case TEXTS_DETAIL:
		detail(d, "%s", msg);
		break;
	case TEXTS_WARN:
		warn(d, check, "%s", msg);
		break;
	case TEXTS_FAIL:
		fail(d, EX_CONFIG_, check, "%s", msg);
		break;
	}
}

/*
 * The template, the keywords and every text, checked as "refbot run"
 * checks them before it starts: the same problems, each one reported.
 */
static void
check_texts(struct doctor *d, const struct config *cfg)
{
	struct texts *t;

	(void)texts_load(cfg->templates, text_finding, d, &t);
	texts_free(t);
}

/* The database exists, is refbot's, and its folder takes the WAL. */
/* Someone gets staff mail: staff_addresses, or an active person. */
static void
check_staff(struct doctor *d, struct db *db, const struct config *cfg)
{
	char *why = NULL;
	int r = staff_nobody(db, cfg, &why);

	if (r < 0)
		fail(d, EX_IOERR_, "staff", "cannot read the staff registry: "
		    "%s", db_errmsg(db));
	else if (r > 0)
		fail(d, EX_CONFIG_, "staff", "%s", why);
	else
		ok(d, "staff", "%zu in staff_addresses, %lld active in the "
		    "registry", cfg->nstaff, (long long)db_staff_active(db));
	free(why);
}

static void
check_database(struct doctor *d, const struct config *cfg)
{
	const char *path = cfg->database, *slash = strrchr(path, '/');
	struct db *db = NULL;
	struct stat st;
	char *dir, *err = NULL;
	int v;

	dir = slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/") :
	    xstrndup(path, (size_t)(slash - path));
	if (stat(dir, &st) != 0) {
		fail(d, EX_IOERR_, "database", "folder %s: %s — create it "
		    "(install -d -m 0750 -o %s %s), then run 'refbot init'",
		    dir, strerror(errno), SERVICE_USER, dir);
		free(dir);
		return;
	}
	check_service_owner(d, "database", dir, &st, 1);
	if (access(dir, W_OK) != 0) {
		fail(d, EX_IOERR_, "database", "folder %s is not writable by "
		    "this user, and SQLite keeps its journal beside the "
		    "database — run doctor as the user refbot runs as, or make "
		    "the folder theirs", dir);
		free(dir);
		return;
	}
	free(dir);
	if (stat(path, &st) != 0) {
		fail(d, EX_IOERR_, "database", "%s: %s — run 'refbot init' (as "
		    "the user refbot runs as) to create it", path,
		    strerror(errno));
		return;
	}
	check_service_owner(d, "database", path, &st, 0);
	if (db_open(path, 0, &db, &err) != 0) {
		fail(d, EX_IOERR_, "database", "%s — check that 'database' "
		    "names a refbot database this user may read and write",
		    err);
		free(err);
		return;
	}
	if ((v = db_schema_version(db)) < 0)
		fail(d, EX_IOERR_, "database", "%s: cannot read its schema "
		    "version: %s — check that 'database' names a refbot "
		    "database", path, db_errmsg(db));
	else if (v == 0)
		fail(d, EX_IOERR_, "database", "%s is not initialised — run "
		    "'refbot init'", path);
	else {
		ok(d, "database", "%s: schema version %d", path, v);
		check_staff(d, db, cfg);
	}
	db_close(db);
}

/* A server on this host: plaintext to it never leaves the machine. */
static int
is_loopback(const char *host)
{
	return ascii_strcasecmp(host, "localhost") == 0 ||
	    strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
	    strcmp(host, "[::1]") == 0;
}

static void
tls_verdict(struct doctor *d, const char *check, const struct endpoint *ep,
    const char *key)
{
	if (ep->tls == TLS_NONE && is_loopback(ep->host)) {
		ok(d, check, "plaintext (%s = none) to %s, on this host: "
		    "nothing crosses the network", key, ep->host);
		return;
	}
	if (ep->tls == TLS_NONE) {
		warn(d, check, "plaintext (%s = none): %s cross%s the network "
		    "unencrypted — use TLS unless the network to %s is "
		    "trusted", key, ep->user != NULL ? "the password and the "
		    "mail" : "the mail", ep->user != NULL ? "" : "es",
		    ep->host);
		return;
	}
	ok(d, check, "%s, certificate for %s verified against %s",
	    ep->tls == TLS_IMPLICIT ? "TLS from the start" : "STARTTLS",
	    ep->host, ep->ca_file != NULL ? ep->ca_file :
	    "the system trust store");
}

static void
check_folder(struct doctor *d, struct imap *im, const char *folder,
    const char *key)
{
	char *check, *err = NULL;
	int rc;

	check = xasprintf("folder %s", folder);
	rc = imap_folder_exists(im, folder, &err);
	if (rc == IMAP_OK)
		ok(d, check, "exists (%s)", key);
	else if (rc != IMAP_EBOX)
		fail(d, EX_UNAVAILABLE_, check, "%s — check the connection "
		    "and run doctor again", err);
	else if (!d->fix)
		fail(d, EX_CONFIG_, check, "%s, and refbot cannot file mail "
		    "there — run 'refbot doctor --fix' to create it, or set "
		    "%s to an existing folder", err, key);
	else {
		free(err);
		err = NULL;
		if ((rc = imap_ensure_folder(im, folder, &err)) == IMAP_OK &&
		    (rc = imap_folder_exists(im, folder, &err)) == IMAP_OK)
			ok(d, check, "created (%s)", key);
		else
			fail(d, rc == IMAP_ECONN ? EX_UNAVAILABLE_ :
			    EX_CONFIG_, check, "%s — create it with a mail "
			    "client, or set %s to an existing folder", err,
			    key);
	}
	free(err);
	free(check);
}

static void
check_imap(struct doctor *d, const struct config *cfg)
{
	const struct endpoint *ep = &cfg->imap;
	struct imap *im = NULL;
	char *err = NULL;
	int rc;

	if ((rc = imap_open(cfg, &im, &err)) != IMAP_OK)
		strtrim(err);
	switch (rc) {
	case IMAP_OK:
	case IMAP_EAUTH:
	case IMAP_EBOX:
		/* imap_open verifies the certificate before LOGIN. */
		tls_verdict(d, "imap tls", ep, "imap_tls");
		break;
	case IMAP_ETLS:
		fail(d, EX_PROTOCOL_, "imap tls", "%s — if the server's "
		    "certificate is from a private CA, set imap_ca_file to "
		    "that CA; imap_url must name a host the certificate is "
		    "for", err);
		break;
	default:
		fail(d, EX_UNAVAILABLE_, "imap", "%s — check the host and "
		    "port in imap_url, and that the server runs and is "
		    "reachable from here", err);
		break;
	}
	if (rc == IMAP_EAUTH)
		fail(d, EX_NOPERM_, "imap", "%s — check imap_user and the "
		    "password (imap_password_file or imap_password_env)", err);
	else if (rc == IMAP_EBOX)
		fail(d, EX_CONFIG_, "imap", "%s — set imap_mailbox to the "
		    "mailbox referrals arrive in (usually INBOX)", err);
	free(err);
	if (rc != IMAP_OK)
		return;

	ok(d, "imap", "logged in as %s at %s:%d, mailbox %s selected; %s",
	    ep->user, ep->host, ep->port, cfg->imap_mailbox,
	    !cfg->use_idle ? "polling (imap_idle = no)" : imap_has_idle(im) ?
	    "IDLE offered" : "no IDLE, polling");
	detail(d, "UIDVALIDITY %u, poll_interval %d s",
	    (unsigned)imap_uidvalidity(im), cfg->poll_interval);
	check_folder(d, im, cfg->processed_folder, "imap_processed_folder");
	if (strcmp(cfg->rejected_folder, cfg->processed_folder) != 0)
		check_folder(d, im, cfg->rejected_folder,
		    "imap_rejected_folder");
	imap_close(im);
}

static void
check_smtp(struct doctor *d, const struct config *cfg)
{
	const struct endpoint *ep = &cfg->smtp;
	struct smtp *s = smtp_new(cfg);
	char *err = NULL;
	int rc;

	if ((rc = smtp_check(s, &err)) != SMTP_OK)
		strtrim(err);
	smtp_free(s);
	switch (rc) {
	case SMTP_OK:
		tls_verdict(d, "smtp tls", ep, "smtp_tls");
		if (ep->user != NULL)
			ok(d, "smtp", "%s:%d accepts the session: logged in as "
			    "%s, no mail sent", ep->host, ep->port, ep->user);
		else
			ok(d, "smtp", "%s:%d accepts the session without a "
			    "login (smtp_user not set), no mail sent", ep->host,
			    ep->port);
		break;
	case SMTP_TLS:
		fail(d, EX_PROTOCOL_, "smtp tls", "%s — if the server's "
		    "certificate is from a private CA, set smtp_ca_file to "
		    "that CA; smtp_url must name a host the certificate is "
		    "for, and smtp:// needs a server that offers STARTTLS",
		    err);
		break;
	case SMTP_CONFIG:
		tls_verdict(d, "smtp tls", ep, "smtp_tls");
		fail(d, EX_NOPERM_, "smtp", "%s — check smtp_user and the "
		    "password, and that smtp_url is the server's submission "
		    "port (usually 587), where logins are offered", err);
		break;
	case SMTP_PERM:
		fail(d, EX_UNAVAILABLE_, "smtp", "%s — the server refuses "
		    "this host: check smtp_url, or ask the server's "
		    "administrator to accept it", err);
		break;
	default:
		fail(d, EX_UNAVAILABLE_, "smtp", "%s — check the host and "
		    "port in smtp_url, and that the server runs and is "
		    "reachable from here", err);
		break;
	}
	free(err);
}

/* How long --mail waits for its probe, in one-second looks. */
#define PROBE_WAIT 30

/* The fix for a mail system that does not deliver plus addresses. */
#define PLUS_FIX "turn plus addressing on (Postfix: recipient_delimiter " \
	"= + in main.cf; Dovecot LMTP: recipient_delimiter = +; Microsoft " \
	"365 and Google Workspace: on by default, check the tenant's " \
	"settings), or set reply_token = message-id in refbot.conf"

/*
 * The probe did not arrive (what says how).  With reply_token =
 * message-id replies do without plus addresses; only the newsletter's
 * List-Unsubscribe address needs one.
 */
static void
no_plus(struct doctor *d, const struct config *cfg, char *what)
{
	if (cfg->reply_token == REPLY_TOKEN_MESSAGE_ID)
		warn(d, "mail", "%s — plus addresses do not reach the intake "
		    "mailbox; reply_token = message-id copes, but newsletter "
		    "List-Unsubscribe mail would bounce: partners must reply "
		    "UNSUBSCRIBE instead", what);
	else
		fail(d, EX_CONFIG_, "mail", "%s — staff replies to the signed "
		    "Reply-To would fail like this: " PLUS_FIX, what);
	free(what);
}

struct probe {
	const char *mid;
	uint32_t uid;
};

static int
probe_seen(uint32_t uid, const char *raw, size_t len, void *arg)
{
	struct probe *p = arg;

	if (memmem(raw, len, p->mid, strlen(p->mid)) != NULL)
		p->uid = uid;
	return 0;
}

/* Looks for the probe among the messages not in before[]. */
static int
probe_find(struct imap *im, struct probe *p, const uint32_t *before,
    size_t nbefore, char **err)
{
	uint32_t *uids = NULL;
	size_t n, i, j, k = 0;
	int rc;

	if ((rc = imap_noop(im, err)) != IMAP_OK ||
	    (rc = imap_search_all(im, &uids, &n, err)) != IMAP_OK)
		return rc;
	for (i = j = 0; i < n; i++) {
		while (j < nbefore && before[j] < uids[i])
			j++;
		if (j == nbefore || before[j] != uids[i])
			uids[k++] = uids[i];
	}
	rc = imap_fetch_headers(im, uids, k, 64 * 1024, probe_seen, p, err);
	free(uids);
	return rc;
}

/*
 * --mail: staff replies go to a plus address of the intake address, so
 * one probe goes there through the configured SMTP server and is looked
 * for in the intake mailbox, then deleted.  The probe comes from the
 * intake address with a Message-ID under message_id_domain: a running
 * refbot takes it for its own mail, never answers it, and files it.
 */
static void
check_mail(struct doctor *d, const struct config *cfg)
{
	const char *at = strchr(cfg->intake_address, '@');
	struct imap *im = NULL;
	struct smtp *s;
	struct mailout m;
	struct probe p;
	uint32_t *before = NULL;
	size_t nbefore = 0, len;
	char *rcpt, *mid, *raw, *err = NULL;
	int rc, i = 0;

	if (at == NULL)
		return;		/* config_load insists on one */
	if (imap_open(cfg, &im, &err) != IMAP_OK ||
	    imap_search_all(im, &before, &nbefore, &err) != IMAP_OK) {
		fail(d, EX_UNAVAILABLE_, "mail", "%s — the probe needs the "
		    "IMAP checks above to pass", strtrim(err));
		free(err);
		imap_close(im);
		return;
	}
	mid = mailout_message_id("doctor", cfg->message_id_domain);
	rcpt = xasprintf("%.*s+doctor.%.*s%s", (int)(at - cfg->intake_address),
	    cfg->intake_address, (int)strcspn(mid + 7, "@"), mid + 7, at);
	memset(&m, 0, sizeof(m));
	m.from_name = cfg->from_name;
	m.from_addr = cfg->intake_address;
	m.to_addr = rcpt;
	m.subject = "refbot doctor: plus-address probe";
	m.body = "refbot doctor --mail sent this to check that mail to a plus "
	    "address reaches the intake mailbox.\nIt deletes it when it "
	    "sees it.\n";
	m.message_id = mid;
	m.auto_submitted = "auto-generated";
	raw = mailout_compose(&m, &len);
	s = smtp_new(cfg);
	rc = smtp_send(s, cfg->envelope_from, rcpt, NULL, raw, len, &err);
	smtp_free(s);
	free(raw);
	if (rc == SMTP_PERM)
		no_plus(d, cfg, xasprintf("the SMTP server refused the probe "
		    "to %s: %s", rcpt, strtrim(err)));
	else if (rc != SMTP_OK)
		fail(d, EX_UNAVAILABLE_, "mail", "could not send the probe to "
		    "%s: %s — see the smtp check above, and run doctor --mail "
		    "again", rcpt, strtrim(err));
	free(err);
	err = NULL;
	p.mid = mid;
	p.uid = 0;
	if (rc == SMTP_OK) {
		for (i = 0; i < PROBE_WAIT && p.uid == 0; i++) {
			sleep(1);
			if (probe_find(im, &p, before, nbefore, &err) !=
			    IMAP_OK)
				break;
		}
		if (err != NULL)
			fail(d, EX_UNAVAILABLE_, "mail", "looking for the "
			    "probe: %s — run doctor --mail again",
			    strtrim(err));
		else if (p.uid == 0)
			no_plus(d, cfg, xasprintf("the probe to %s was "
			    "accepted but is not in %s after %d s (if 'refbot "
			    "run' is running it may have filed it in %s; "
			    "otherwise the mail system's log says where it "
			    "went)", rcpt, cfg->imap_mailbox, PROBE_WAIT,
			    cfg->processed_folder));
		else if (imap_delete(im, &p.uid, 1, &err) != IMAP_OK)
			warn(d, "mail", "plus addresses work: the probe to %s "
			    "arrived in %s, but deleting it failed: %s — delete "
			    "it by hand", rcpt, cfg->imap_mailbox,
			    strtrim(err));
		else
			ok(d, "mail", "plus addresses work: the probe to %s "
			    "arrived in %s within %d s (deleted)", rcpt,
			    cfg->imap_mailbox, i);
	}
	free(err);
	free(before);
	free(rcpt);
	free(mid);
	imap_close(im);
}

int
doctor_run(const char *confpath, int fix, int mail, int verbose)
{
	const struct passwd *pw;
	struct doctor d;
	struct config cfg;

	memset(&d, 0, sizeof(d));
	d.fix = fix;
	d.verbose = verbose;
	if (geteuid() == 0 && (pw = getpwnam(SERVICE_USER)) != NULL) {
		d.as_root = 1;
		d.svc_uid = pw->pw_uid;
	}
	/* A server closing the connection must not kill the check. */
	signal(SIGPIPE, SIG_IGN);

	if (check_config(&d, confpath, &cfg) != 0) {
		fflush(stdout);
		return d.status;
	}
	check_secrets(&d, confpath);
	check_identity(&d, &cfg);
	check_texts(&d, &cfg);
	check_database(&d, &cfg);
	check_imap(&d, &cfg);
	check_smtp(&d, &cfg);
	if (mail)
		check_mail(&d, &cfg);
	config_free(&cfg);
	fflush(stdout);
	return d.status;
}
