/*
 * fetch_floor: the floor of bench/run-all's "ingest" figure.  The least
 * an IMAP client must do to take a backlog off the server: log in, select
 * the mailbox, UID SEARCH ALL, then UID FETCH (UID BODY.PEEK[]) in
 * batches, touching every byte once (a checksum) and keeping nothing.
 * Same library (libetpan), same server, same TLS as refbot.  With -m it
 * also files each batch with one UID MOVE to FOLDER, as refbot does: the
 * least a client that empties the mailbox must do.
 *
 * Usage: fetch_floor [-b BATCH] [-m FOLDER] imaps|starttls|none HOST PORT
 *            USER PASSWORD_FILE MAILBOX
 * Prints "name value" lines: messages, bytes, seconds, checksum.
 * Certificates are not checked: this is a measurement on loopback.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what, int r)
{
	fprintf(stderr, "fetch_floor: %s failed (libetpan %d)\n", what, r);
	exit(1);
}

static int
ok(int r)
{
	return r == MAILIMAP_NO_ERROR || r == MAILIMAP_NO_ERROR_AUTHENTICATED ||
	    r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED;
}

static char *
read_password(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return buf;
}

int
main(int argc, char **argv)
{
	struct mailimap *h;
	struct mailimap_search_key *key;
	struct mailimap_fetch_type *ft;
	clist *uids = NULL, *res;
	clistiter *it, *ai;
	uint32_t *all;
	size_t n = 0, i, batch = 50, msgs = 0;
	const char *move_to = NULL;
	uint64_t bytes = 0, sum = 0;
	double t0, t1;
	int c, r;

	while ((c = getopt(argc, argv, "b:m:")) != -1) {
		if (c == 'b')
			batch = (size_t)strtoul(optarg, NULL, 10);
		else if (c == 'm')
			move_to = optarg;
		else
			return 64;
	}
	argc -= optind;
	argv += optind;
	if (argc != 6 || batch == 0) {
		fprintf(stderr, "usage: fetch_floor [-b BATCH] [-m FOLDER] "
		    "imaps|starttls|none HOST PORT USER PASSWORD_FILE "
		    "MAILBOX\n");
		return 64;
	}

	t0 = now();
	if ((h = mailimap_new(0, NULL)) == NULL)
		die("mailimap_new", 0);
	mailimap_set_timeout(h, 60);
	if (strcmp(argv[0], "imaps") == 0)
		r = mailimap_ssl_connect(h, argv[1], (uint16_t)atoi(argv[2]));
	else
		r = mailimap_socket_connect(h, argv[1],
		    (uint16_t)atoi(argv[2]));
	if (!ok(r))
		die("connect", r);
	if (strcmp(argv[0], "starttls") == 0 &&
	    (r = mailimap_socket_starttls(h)) != MAILIMAP_NO_ERROR)
		die("STARTTLS", r);
	if ((r = mailimap_login(h, argv[3], read_password(argv[4]))) !=
	    MAILIMAP_NO_ERROR)
		die("LOGIN", r);
	if ((r = mailimap_select(h, argv[5])) != MAILIMAP_NO_ERROR)
		die("SELECT", r);

	key = mailimap_search_key_new_all();
	r = mailimap_uid_search(h, NULL, key, &uids);
	mailimap_search_key_free(key);
	if (r != MAILIMAP_NO_ERROR)
		die("UID SEARCH", r);
	all = calloc((size_t)clist_count(uids) + 1, sizeof(*all));
	if (all == NULL)
		die("calloc", 0);
	for (it = clist_begin(uids); it != NULL; it = clist_next(it))
		all[n++] = *(uint32_t *)clist_content(it);
	mailimap_search_result_free(uids);

	for (i = 0; i < n; i += batch) {
		struct mailimap_set *set = mailimap_set_new_empty();
		size_t j, end = i + batch < n ? i + batch : n;

		for (j = i; j < end; j++)
			if (mailimap_set_add_single(set, all[j]) !=
			    MAILIMAP_NO_ERROR)
				die("mailimap_set_add_single", 0);
		ft = mailimap_fetch_type_new_fetch_att_list_empty();
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_uid());
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_body_peek_section(
		    mailimap_section_new(NULL)));
		r = mailimap_uid_fetch(h, set, ft, &res);
		mailimap_fetch_type_free(ft);
		if (r != MAILIMAP_NO_ERROR)
			die("UID FETCH", r);
		if (move_to != NULL &&
		    (r = mailimap_uid_move(h, set, move_to)) != MAILIMAP_NO_ERROR)
			die("UID MOVE", r);
		mailimap_set_free(set);
		for (it = clist_begin(res); it != NULL; it = clist_next(it)) {
			struct mailimap_msg_att *ma = clist_content(it);

			for (ai = clist_begin(ma->att_list); ai != NULL;
			    ai = clist_next(ai)) {
				struct mailimap_msg_att_item *item =
				    clist_content(ai);
				struct mailimap_msg_att_body_section *s;
				size_t k;

				if (item->att_type !=
				    MAILIMAP_MSG_ATT_ITEM_STATIC ||
				    item->att_data.att_static->att_type !=
				    MAILIMAP_MSG_ATT_BODY_SECTION)
					continue;
				s = item->att_data.att_static->att_data.
				    att_body_section;
				if (s == NULL)
					continue;
				for (k = 0; k < s->sec_length; k++)
					sum = sum * 31 +
					    (unsigned char)s->sec_body_part[k];
				bytes += s->sec_length;
				msgs++;
			}
		}
		mailimap_fetch_list_free(res);
	}
	mailimap_logout(h);
	mailimap_free(h);
	t1 = now();
	free(all);
	printf("messages %zu\nbytes %llu\nseconds %.3f\nchecksum %016llx\n",
	    msgs, (unsigned long long)bytes, t1 - t0,
	    (unsigned long long)sum);
	return msgs == n ? 0 : 1;
}
