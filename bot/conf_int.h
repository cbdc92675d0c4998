/* conf_int.h: conf's own helpers, shared by conf.c and conf_file.c. */
#ifndef REFBOT_CONF_INT_H
#define REFBOT_CONF_INT_H

/*
 * The shortest reply-token key accepted: 32 bytes, the size of the
 * HMAC-SHA256 output, so the key is never the weak part.
 */
#define SECRET_KEY_MIN 32

/*
 * The first line of the secret file path (key at cfgpath:line names it
 * in errors), or NULL with *errstr: it must be a regular file of ours
 * (or root's) that no group or other user may read or write.
 */
char *conf_read_secret(const char *path, int line, const char *cfgpath,
    const char *key, char **errstr);
/* 0, or -1 with *errstr when secret is shorter than SECRET_KEY_MIN. */
int conf_check_key_length(const char *secret, const char *cfgpath, int line,
    const char *key, int env, const char *source, char **errstr);

#endif
