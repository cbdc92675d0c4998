/*
 * Replays files through a fuzz target without libFuzzer, so the seed
 * corpus (the test fixtures) runs in every "make check" and in CI under
 * the sanitizers.  Usage: replay_NAME [FILE|DIR...]; one TAP line per
 * file; with no argument, the seeds that tests/fuzz/seeds-for NAME lists.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int count;

static void
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		printf("not ok %d - %s: cannot read\n", ++count, path);
		return;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	/* A crash or sanitizer report ends the program: no "ok" line. */
	LLVMFuzzerTestOneInput((const uint8_t *)(b.data ? b.data : ""), b.len);
	printf("ok %d - %s\n", ++count, path);
	fflush(stdout);
	buf_free(&b);
}

static void
replay(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		replay_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char *p;
		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", path, de->d_name);
		replay(p);
		free(p);
	}
	closedir(d);
}

/*
 * With no argument ("make check"): the seeds tests/fuzz/seeds-for lists
 * for this target, named by the program's own name, replay_NAME.
 */
static void
replay_listed(const char *argv0)
{
	const char *src = getenv("srcdir"), *name = strrchr(argv0, '_');
	char line[4096], *cmd;
	FILE *f;

	if (name == NULL)
		return;
	cmd = xasprintf("'%s/tests/fuzz/seeds-for' '%s'", src && *src ? src :
	    ".", name + 1);
	if ((f = popen(cmd, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			if (line[0] != '\0')
				replay(line);
		}
		pclose(f);
	}
	free(cmd);
}

int
main(int argc, char **argv)
{
	int i;

	if (argc == 1)
		replay_listed(argv[0]);
	for (i = 1; i < argc; i++)
		replay(argv[i]);
	printf("1..%d\n", count);
	/* No seed at all is a run that tested nothing. */
	return count > 0 ? 0 : 1;
}
