/* json: writes JSON text into a struct buf.  Pure. */
#ifndef REFBOT_JSON_H
#define REFBOT_JSON_H

#include <stdint.h>

#include "util.h"

/* Appends s as a JSON string (NULL becomes null). */
void json_str(struct buf *, const char *s);
/* Appends "key": for an object member, with a comma unless first. */
void json_key(struct buf *, const char *key, int first);
void json_kv_str(struct buf *, const char *key, const char *value, int first);
void json_kv_int(struct buf *, const char *key, int64_t value, int first);

#endif
