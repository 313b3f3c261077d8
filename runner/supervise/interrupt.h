/* interrupt.h — SIGINT, SIGTERM and SIGHUP in the parent: noted, not fatal.
 *
 * The handler records the signal and writes a byte to a self-pipe that the
 * child supervisor polls, so a run stops at once, kills and reaps the point
 * process, writes what finished and exits 128 + the signal. */
#ifndef EB_INTERRUPT_H
#define EB_INTERRUPT_H

/* Installs the handlers: 0 or -errno. */
int eb_interrupt_install(void);
/* The read end of the self-pipe (-1 before install). */
int eb_interrupt_fd(void);
/* The first signal received, or 0. */
int eb_interrupted(void);
/* How many were received: a wait at the end (a FIFO without a reader)
 * gives up when this changes. */
int eb_interrupt_count(void);

#endif
