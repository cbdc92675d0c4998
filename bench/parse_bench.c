/*
 * parse_bench: runs analyze() -- the daemon's own parser, linked from
 * libparsers.a -- over every .eml file of a directory and prints what it
 * took and what it found, one "name value" line each.  bench/parse runs it
 * beside bench/parse_bench.py on the same corpus.
 *
 * Usage: parse_bench [-t TEMPLATE] [-n MAX] [-f] DIR
 *   -t  the qualification template (default templates/referral.template)
 *   -n  only the first MAX files (by name)
 *   -f  also fork a child per message that parses it first, as the
 *       daemon's intake did before issue 8 (it now keeps one parser
 *       child for many messages, bot/intake.c), and time that
 *
 * Files are read one at a time into one reused buffer and only analyze()
 * and analysis_free() are timed (wall clock, and CPU time of this process,
 * which other load on a shared machine disturbs less), so neither disk
 * I/O nor the size of the corpus enters the figures: memory should be flat
 * in the corpus size.  MB are 10^6 bytes.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analyze.h"
#include "template.h"
#include "util.h"

/*
 * The loop header of bot/mailout.h, the size cap bot/conf.c defaults to,
 * and our Message-ID host in the fixtures (tests/data/corpus/README.md).
 */
#define LOOP_HEADER	"X-Refbot-Loop"
#define OUR_DOMAIN	"refbot.example.test"
#define MAX_SIZE	(25 * 1024 * 1024)

struct tally {
	size_t messages;
	uint64_t bytes;
	size_t kinds[KIND_UNREADABLE + 1];
	size_t outcomes[OUTCOME_DISQUALIFIED + 1];
	size_t fields;		/* form values read, over all submissions */
	size_t with_attachments;
	double seconds;		/* in analyze() and analysis_free() only */
	double cpu_seconds;	/* the same, in CPU time of this process */
	double probe_seconds;	/* in the forked probes (-f) */
};

static double
now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
peak_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .eml files of dir, sorted by name; NULL if dir cannot be read. */
static char **
list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 5 ||
		    strcmp(de->d_name + len - 4, ".eml") != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (names == NULL)	/* no .eml files: not an error here */
		return xcalloc(1, sizeof(*names));
	qsort(names, *n, sizeof(*names), by_name);
	return names;
}

/* Reads path into *b (reused); returns 0, or -1 with errno set. */
static int
read_into(const char *path, struct buf *b)
{
	char chunk[65536];
	ssize_t r;
	int fd;

	buf_reset(b);
	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	while ((r = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(b, chunk, (size_t)r);
	close(fd);
	return r < 0 ? -1 : 0;
}

/* What the daemon does before it parses a message for real. */
static void
probe(const char *raw, size_t len, const struct analyze_opts *o)
{
	struct analysis a;
	pid_t pid;
	int status;

	fflush(NULL);
	if ((pid = fork()) < 0) {
		perror("parse_bench: fork");
		exit(1);
	}
	if (pid == 0) {
		analyze(raw, len, o, &a);
		analysis_free(&a);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

static void
count(const struct analysis *a, struct tally *t)
{
	t->kinds[a->kind]++;
	if (a->kind != KIND_UNREADABLE && a->msg.nattachments > 0)
		t->with_attachments++;
	if (a->kind != KIND_SUBMISSION)
		return;
	t->outcomes[a->form.outcome]++;
	t->fields += a->form.nvalues;
}

static char *
slurp(const char *path, size_t *len)
{
	struct buf b;

	buf_init(&b);
	if (read_into(path, &b) != 0) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return buf_steal(&b);
}

static void
usage(void)
{
	fprintf(stderr, "usage: parse_bench [-t TEMPLATE] [-n MAX] [-f] "
	    "DIR\n");
	exit(64);
}

int
main(int argc, char **argv)
{
	const char *tpath = "templates/referral.template";
	struct template tmpl;
	struct analyze_opts o;
	struct analysis a;
	struct tally t;
	struct buf in;
	char **names, *text, *err = NULL;
	size_t i, n, nfiles, limit = SIZE_MAX, len;
	long rss_before;
	int c, fork_probe = 0;

	while ((c = getopt(argc, argv, "t:n:f")) != -1) {
		switch (c) {
		case 't': tpath = optarg; break;
		case 'n': limit = strtoul(optarg, NULL, 10); break;
		case 'f': fork_probe = 1; break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();

	if ((text = slurp(tpath, &len)) == NULL) {
		fprintf(stderr, "parse_bench: %s: %s\n", tpath,
		    strerror(errno));
		return 66;
	}
	if (template_parse(text, len, &tmpl, &err) != 0) {
		fprintf(stderr, "parse_bench: %s:%s\n", tpath, err);
		return 65;
	}
	free(text);
	memset(&o, 0, sizeof(o));
	o.tmpl = &tmpl;
	o.our_domain = OUR_DOMAIN;
	o.loop_header = LOOP_HEADER;
	o.max_size = MAX_SIZE;

	if ((names = list_dir(argv[optind], &nfiles)) == NULL) {
		fprintf(stderr, "parse_bench: %s: %s\n", argv[optind],
		    strerror(errno));
		return 66;
	}
	n = nfiles < limit ? nfiles : limit;
	if (n == 0) {
		fprintf(stderr, "parse_bench: %s: no .eml files\n",
		    argv[optind]);
		return 66;
	}

	memset(&t, 0, sizeof(t));
	buf_init(&in);
	/* One message first, so lazily built state is in the baseline. */
	{
		char *path = xasprintf("%s/%s", argv[optind], names[0]);

		if (read_into(path, &in) == 0) {
			analyze(in.data ? in.data : "", in.len, &o, &a);
			analysis_free(&a);
		}
		free(path);
	}
	rss_before = peak_rss_kib();

	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", argv[optind], names[i]);
		double t0, c0;

		if (read_into(path, &in) != 0) {
			fprintf(stderr, "parse_bench: %s: %s\n", path,
			    strerror(errno));
			return 66;
		}
		free(path);
		if (fork_probe) {
			t0 = now(CLOCK_MONOTONIC);
			probe(in.data ? in.data : "", in.len, &o);
			t.probe_seconds += now(CLOCK_MONOTONIC) - t0;
		}
		c0 = now(CLOCK_PROCESS_CPUTIME_ID);
		t0 = now(CLOCK_MONOTONIC);
		analyze(in.data ? in.data : "", in.len, &o, &a);
		count(&a, &t);
		analysis_free(&a);
		t.seconds += now(CLOCK_MONOTONIC) - t0;
		t.cpu_seconds += now(CLOCK_PROCESS_CPUTIME_ID) - c0;
		t.messages++;
		t.bytes += in.len;
	}

	printf("messages %zu\n", t.messages);
	printf("mb %.3f\n", (double)t.bytes / 1e6);
	printf("seconds %.4f\n", t.seconds);
	printf("mb_per_s %.2f\n", (double)t.bytes / 1e6 / t.seconds);
	printf("messages_per_s %.0f\n", (double)t.messages / t.seconds);
	printf("us_per_message %.1f\n", t.seconds * 1e6 / (double)t.messages);
	printf("cpu_seconds %.4f\n", t.cpu_seconds);
	printf("cpu_mb_per_s %.2f\n", (double)t.bytes / 1e6 / t.cpu_seconds);
	if (fork_probe) {
		double s = t.seconds + t.probe_seconds;

		printf("probe_seconds %.4f\n", t.probe_seconds);
		printf("daemon_mb_per_s %.2f\n", (double)t.bytes / 1e6 / s);
		printf("daemon_messages_per_s %.0f\n", (double)t.messages / s);
	}
	printf("rss_before_kib %ld\n", rss_before);
	printf("peak_rss_kib %ld\n", peak_rss_kib());
	printf("checksum submission=%zu automatic=%zu reply=%zu "
	    "unreadable=%zu qualified=%zu incomplete=%zu disqualified=%zu "
	    "fields=%zu attachments=%zu\n",
	    t.kinds[KIND_SUBMISSION], t.kinds[KIND_AUTOMATIC],
	    t.kinds[KIND_REPLY], t.kinds[KIND_UNREADABLE],
	    t.outcomes[OUTCOME_QUALIFIED], t.outcomes[OUTCOME_INCOMPLETE],
	    t.outcomes[OUTCOME_DISQUALIFIED], t.fields, t.with_attachments);

	for (i = 0; i < nfiles; i++)
		free(names[i]);
	free(names);
	buf_free(&in);
	template_free(&tmpl);
	return 0;
}
