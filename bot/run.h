/*
 * run: the daemon loop — fetch and process new mail, drain the outbox,
 * then wait (IMAP IDLE where offered, polling otherwise).
 */
#ifndef REFBOT_RUN_H
#define REFBOT_RUN_H

#include <signal.h>

#include "refbot.h"

/*
 * With once set, processes what is in the mailbox, drains the outbox and
 * returns.  Otherwise runs until *stop is set, reconnecting as needed,
 * and reloads the configuration when *hup is set.  Signal handlers set
 * *wake along with either, to end a wait early.  Returns an EX_* code.
 */
int run(struct refbot *, int once, volatile sig_atomic_t *stop,
    volatile sig_atomic_t *hup, volatile sig_atomic_t *wake);

#endif
