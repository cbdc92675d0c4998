/*
 * checkpointer: during a backlog the WAL is checkpointed by a thread of
 * its own, not by the main connection's commits (issue 21); the main
 * connection takes them back when it stops; and the thread, waiting,
 * never holds up the parser child's fork.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "fork_check.h"
#include "checkpointer.h"
#include "db.h"
#include "thread.h"

static char dir[] = "/tmp/test_checkpointer.XXXXXX";
static char *path, *wal;
static struct db *db;

static long long
wal_size(void)
{
	struct stat st;

	return stat(wal, &st) == 0 ? (long long)st.st_size : -1;
}

/* Commits about mib MiB in transactions of 100 settings of 4 KiB. */
static int
write_mib(int mib, int round)
{
	char key[64], *v = xmalloc(4097);
	int i, k, rc = 0;

	memset(v, 'x', 4096);
	v[4096] = '\0';
	for (i = 0; i < mib * 256 / 100 + 1 && rc == 0; i++) {
		rc = db_begin(db);
		for (k = 0; k < 100 && rc == 0; k++) {
			snprintf(key, sizeof(key), "bulk.%d.%d", round,
			    i * 100 + k);
			rc = db_setting_put(db, key, v);
		}
		rc = rc == 0 ? db_commit(db) : rc;
	}
	free(v);
	return rc;
}

/* Checkpoints are due but nobody takes them (a checkpointer that lags). */
static void
nobody(void *arg)
{
	(void)arg;
}

static void
test_main_connection_leaves_them(void)
{
	/* 12 MiB is some 3,000 pages: three times SQLite's own point. */
	db_checkpoint_aside(db, nobody, NULL);
	EXPECT(write_mib(12, 1) == 0);
	EXPECT(wal_size() > 10LL << 20);
	db_checkpoint_aside(db, NULL, NULL);
	EXPECT(db_checkpoint(db) == 0);
}

static void
test_thread_takes_them(void)
{
	struct checkpointer c;
	char *v = NULL;

	EXPECT(checkpointer_start(&c, db, path) == 0);
	/*
	 * Each commit of 100 pages past the first 1,000 wakes it.  How far
	 * it keeps up depends on the disk (a slow fdatasync lets the WAL
	 * grow meanwhile), so what is checked is that it took them and that
	 * nothing written beside it was lost.
	 */
	EXPECT(write_mib(24, 2) == 0);
	checkpointer_stop(&c);
	EXPECT(c.taken > 0);
	EXPECT(!c.running);
	EXPECT(db_setting_get(db, "bulk.2.0", &v) == 1 && strlen(v) == 4096);
	free(v);
	v = NULL;
	EXPECT(db_setting_get(db, "bulk.2.6199", &v) == 1 && strlen(v) == 4096);
	free(v);
}

static void
test_given_back(void)
{
	long long before = wal_size();

	/* The main connection checkpoints again: the WAL is reused. */
	EXPECT(write_mib(24, 3) == 0);
	EXPECT(wal_size() <= before + (8LL << 20));
}

static void
test_waiting_lets_fork_go(void)
{
	struct checkpointer c;

	EXPECT(checkpointer_start(&c, db, path) == 0);
	EXPECT(fork_goes());
	checkpointer_stop(&c);
}

int
main(void)
{
	char *err = NULL;

	if (mkdtemp(dir) == NULL)
		return 99;
	path = xasprintf("%s/test.db", dir);
	wal = xasprintf("%s-wal", path);
	if (db_open(path, 1, &db, &err) != 0 || db_migrate(db, &err) < 0) {
		printf("Bail out! %s: %s\n", path, err ? err : "?");
		return 99;
	}
	RUN(test_main_connection_leaves_them);
	RUN(test_thread_takes_them);
	RUN(test_given_back);
	RUN(test_waiting_lets_fork_go);
	db_close(db);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
		free(cmd);
	}
	free(path);
	free(wal);
	return check_done();
}
