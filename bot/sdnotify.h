/*
 * sdnotify: what the daemon tells its service manager (systemd,
 * Type=notify) through libsystemd: when it is ready, what it is doing,
 * and that it is alive (the watchdog).  Every call is a cheap no-op when
 * refbot was not started by a service manager (no NOTIFY_SOCKET), so
 * the CLI and the tests may run code that calls these.
 */
#ifndef REFBOT_SDNOTIFY_H
#define REFBOT_SDNOTIFY_H

/* Reads the watchdog interval systemd asks for (WATCHDOG_USEC). */
void sdnotify_init(void);
/* READY=1: configuration loaded, database open; also a watchdog ping. */
void sdnotify_ready(void);
/*
 * STATUS=, a short line for "systemctl status": what the daemon is
 * doing, with counts but never an address.  A line equal to the last one
 * is not sent again.
 */
void sdnotify_status(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/*
 * WATCHDOG=1, at most once per half watchdog interval however often it
 * is called.  Called only where the main loop is known to be making
 * progress or in a bounded wait (a nap, IDLE, a transfer with a
 * timeout), so a hang anywhere else stops the pings and systemd kills
 * and restarts the daemon.
 */
void sdnotify_alive(void);
/*
 * Before one step that may outlast the watchdog interval (the VACUUM of
 * a large database): a ping and WATCHDOG_USEC=usec, a longer interval
 * for now (systemd 236 and later); sdnotify_extend(0) after it puts
 * back the interval systemd set, with a ping.  No-op without a watchdog.
 */
void sdnotify_extend(unsigned long long usec);
/* RELOADING=1 before a SIGHUP reload; sdnotify_ready() after it. */
void sdnotify_reloading(void);
/* STOPPING=1, once, when a stop was asked for. */
void sdnotify_stopping(void);

#endif
