/*
 * sla: the first-response promise.  A referral still NEW sla_hours after
 * it arrived gets one reminder to its owner (staff.h); at twice that, one
 * escalation to the managers (else the escalation address).  Each is
 * recorded in the same transaction as its outbox row, so restarts never
 * send either twice.
 */
#ifndef REFBOT_SLA_H
#define REFBOT_SLA_H

#include <stdint.h>

#include "refbot.h"

/* Sends what is due; returns how many, or -1 on a database error. */
int sla_run(struct refbot *);

#endif
