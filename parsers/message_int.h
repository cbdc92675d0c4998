/*
 * message_int: what message.c and message_charset.c share and nobody
 * else sees.
 */
#ifndef REFBOT_MESSAGE_INT_H
#define REFBOT_MESSAGE_INT_H

/*
 * Installs the cached iconv converters as libetpan's converter; called
 * before anything is decoded.
 */
void charset_conv_init(void);

#endif
