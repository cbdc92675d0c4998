/*
 * conf_file: reading the files refbot.conf names — the configuration
 * itself and the holidays (read_file), and secret files, checked for
 * owner and mode on the descriptor that is read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "conf_int.h"
#include "util.h"

/* Reads fd to its end; NULL with errno set on a read error. */
static char *
read_fd(int fd, size_t *lenp)
{
	struct buf b;
	char chunk[65536];
	ssize_t n;

	buf_init(&b);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			int saved = errno;
			if (errno == EINTR)
				continue;
			buf_free(&b);
			errno = saved;
			return NULL;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	if (lenp != NULL)
		*lenp = b.len;
	return buf_steal(&b);
}

char *
read_file(const char *path, size_t *lenp)
{
	char *s;
	int fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	s = read_fd(fd, lenp);
	saved = errno;
	close(fd);
	errno = saved;
	return s;
}

/*
 * Reads the first line of a secret file.  The checks are made on the
 * descriptor that is read (fstat after open, O_NOFOLLOW), so the file
 * cannot be swapped for another, or for a symbolic link, between check
 * and read: a regular file, owned by us (or root), that no group or
 * other user may read or write.
 */
char *
conf_read_secret(const char *path, int line, const char *cfgpath,
    const char *key, char **errstr)
{
	struct stat st;
	char *s;
	size_t len;
	int fd, saved;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK)) < 0) {
		if (errno == ELOOP)
			*errstr = xasprintf("%s:%d: %s: %s is a symbolic "
			    "link; name the file itself", cfgpath, line, key,
			    path);
		else
			*errstr = xasprintf("%s:%d: %s: cannot read %s: %s",
			    cfgpath, line, key, path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		*errstr = xasprintf("%s:%d: %s: cannot read %s: %s", cfgpath,
		    line, key, path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		*errstr = xasprintf("%s:%d: %s: %s is not a regular file",
		    cfgpath, line, key, path);
		goto fail;
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		*errstr = xasprintf("%s:%d: %s: %s is owned by uid %lu, not "
		    "by the user refbot runs as (uid %lu) or root", cfgpath,
		    line, key, path, (unsigned long)st.st_uid,
		    (unsigned long)geteuid());
		goto fail;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		*errstr = xasprintf("%s:%d: %s: %s is accessible by group or "
		    "others; run: chmod 600 %s", cfgpath, line, key, path,
		    path);
		goto fail;
	}
	if ((s = read_fd(fd, &len)) == NULL) {
		*errstr = xasprintf("%s:%d: %s: cannot read %s: %s", cfgpath,
		    line, key, path, strerror(errno));
		goto fail;
	}
	close(fd);
	/* The first line is the secret; editors add a newline. */
	s[strcspn(s, "\r\n")] = '\0';
	if (*s == '\0') {
		*errstr = xasprintf("%s:%d: %s: %s is empty", cfgpath, line,
		    key, path);
		free(s);
		return NULL;
	}
	return s;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return NULL;
}

/*
 * A reply-token key shorter than SECRET_KEY_MIN is refused, naming where
 * it came from but never printing it.
 */
int
conf_check_key_length(const char *secret, const char *cfgpath, int line,
    const char *key, int env, const char *source, char **errstr)
{
	size_t len = strlen(secret);

	if (len >= SECRET_KEY_MIN)
		return 0;
	*errstr = xasprintf("%s:%d: %s: the key in %s%s is %zu bytes long; "
	    "it must be at least %d (make one with: head -c 32 /dev/urandom "
	    "| base64)", cfgpath, line, key, env ? "environment variable " :
	    "", source, len, SECRET_KEY_MIN);
	return -1;
}
