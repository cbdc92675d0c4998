/*
 * fault: test-only fault points, compiled in only with
 * "./configure --enable-fault-injection" (REFBOT_FAULT_INJECTION).  In a
 * normal build they are empty macros: no code, no environment lookup.
 *
 * REFBOT_FAULT=hang-subject:TEXT makes the daemon hang for good (in the
 * main process, inside message handling, with the transaction open) on
 * a message whose decoded subject contains TEXT, as a real endless loop
 * would; tests/e2e/test_watchdog.sh uses it to show the watchdog, the
 * restart and the quarantine.
 *
 * REFBOT_FAULT=slow-subject:TEXT makes deciding a message whose decoded
 * subject contains TEXT take 3 s longer (in the main process, with the
 * transaction open); tests/e2e/test_prefetch.sh uses it to show that
 * the next batch is fetched meanwhile.
 *
 * REFBOT_FAULT=crash-parser:TEXT makes the parser child abort on a
 * message whose bytes contain TEXT, as a crash in libetpan would;
 * tests/e2e/test_parser_batch.sh uses it to show that a crash is laid
 * at the right message while the next ones are parsed ahead.
 *
 * REFBOT_FAULT=slow-decide:N:TEXT makes deciding a message whose bytes
 * contain TEXT take N seconds more (in the main process, with its batch's
 * transaction open); tests/e2e/test_send_while_deciding.sh uses it to
 * show that replies go out meanwhile.
 *
 * REFBOT_FAULT=fail-decide:TEXT makes deciding a message whose bytes
 * contain TEXT fail (its work rolled back, the message left for later),
 * as a database error would; tests/e2e/test_batch_redo.sh uses it to
 * show that the rest of its batch is decided again and kept.
 *
 * REFBOT_FAULT=fail-attempts:TEXT makes counting the attempts of a group
 * with a message whose bytes contain TEXT fail, as a database error
 * would: the group is left for later before it is decided, after the
 * parser was told about it; tests/e2e/test_parser_batch.sh uses it to
 * show that the batches after it are each read from their own messages.
 *
 * REFBOT_FAULT=kill-sent:KIND kills the process (SIGKILL) right after the
 * SMTP server accepted a mail of KIND that the main loop or "newsletter
 * send" sends itself, before the database records it sent;
 * tests/e2e/test_sent_journal.sh uses it to show that the restart sends
 * it no second time.
 *
 * REFBOT_FAULT=schema-stop:N migrates a database no further than schema
 * version N, so a test can make a database as an older refbot left it
 * and then watch the current one migrate it.
 */
#ifndef REFBOT_FAULT_H
#define REFBOT_FAULT_H

#include <stddef.h>

#ifdef REFBOT_FAULT_INJECTION
void fault_hang_subject(const char *subject);
void fault_slow_subject(const char *subject);
void fault_crash_parser(const char *raw, size_t len);
int fault_schema_stop(int target);
void fault_slow_scrub(void);
void fault_slow_decide(const char *raw, size_t len);
int fault_fail_decide(const char *raw, size_t len);
int fault_fail_attempts(const char *raw, size_t len);
void fault_kill_sent(const char *kind);
#define FAULT_BUILD_NOTE " (with fault injection, for tests only)"
#else
#define fault_hang_subject(subject) ((void)0)
#define fault_slow_subject(subject) ((void)0)
#define fault_crash_parser(raw, len) ((void)0)
#define fault_schema_stop(target) (target)
#define fault_slow_scrub() ((void)0)
#define fault_slow_decide(raw, len) ((void)0)
#define fault_fail_decide(raw, len) 0
#define fault_fail_attempts(raw, len) 0
#define fault_kill_sent(kind) ((void)0)
#define FAULT_BUILD_NOTE ""
#endif

#endif
