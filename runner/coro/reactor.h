/* reactor.h — file-descriptor readiness for one thread's scheduler.
 *
 * The coroutine scheduler parks a coroutine that waits on an fd here, beside
 * its timer heap; when every coroutine is parked it calls eb_reactor_poll
 * once with the earliest timer as the bound, and that one wait covers fd
 * readiness, the fd waits' own deadlines and the timers, to the nanosecond.
 *
 * A wait is one-shot: eb_reactor_add(fd, events, deadline, token) arms it and
 * eb_reactor_poll hands the token back exactly once, with 0 (ready) or
 * -ETIMEDOUT (its deadline passed first). The deadlines live in this file's
 * front end (a min-heap; an entry whose fd became ready first is dropped when
 * it reaches the top, and the heap is rebuilt when such entries outnumber the
 * live ones), so the backends only arm fds and wait with a precise bound:
 *  - epoll: EPOLLONESHOT registrations re-armed with EPOLL_CTL_MOD (one
 *    system call per wait); epoll_pwait2's nanosecond timeout (Linux >= 5.11),
 *    or, where it is missing, a timerfd in the epoll set (TFD_TIMER_ABSTIME).
 *  - io_uring: an IORING_OP_POLL_ADD per wait, submitted in a batch by the
 *    next poll; io_uring_submit_and_wait_timeout's nanosecond timeout; a wait
 *    whose deadline passed is withdrawn with IORING_OP_POLL_REMOVE.
 * At most one wait per fd at a time. */
#ifndef EB_REACTOR_H
#define EB_REACTOR_H

#include <stdint.h>

typedef enum eb_reactor_kind {
    EB_REACTOR_EPOLL = 0,
    EB_REACTOR_IO_URING = 1,
} eb_reactor_kind;

/* eb_reactor_config.flags */
#define EB_REACTOR_EPOLL_TIMERFD                                                                   \
    1u /* epoll: use the timerfd fallback even where epoll_pwait2 works */

typedef struct eb_reactor_config {
    eb_reactor_kind kind;
    uint32_t capacity; /* most waits at once (sizes io_uring's rings); >= 1 */
    unsigned flags;
} eb_reactor_config;

typedef struct eb_reactor eb_reactor;

/* A finished wait: its token and 0 (ready), -ETIMEDOUT, or -errno. */
typedef struct eb_reactor_event {
    void *token;
    int result;
} eb_reactor_event;

/* 0, -EINVAL, -ENOMEM, or the kernel's answer (-ENOSYS or -EPERM where
 * io_uring is missing or forbidden). */
int eb_reactor_create(const eb_reactor_config *config, eb_reactor **out);
void eb_reactor_destroy(eb_reactor *r);

/* Arms a one-shot wait for `events` (EB_WAIT_READABLE/EB_WAIT_WRITABLE of
 * wait.h) on fd until deadline_ns (EB_WAIT_FOREVER: none). 0: armed, the
 * token comes back from eb_reactor_poll; 1: the fd cannot be waited on and is
 * always ready (a regular file under epoll), nothing armed; -EBADF, -EINVAL
 * (no events), -EBUSY (the fd already has a wait), -ENOMEM, -errno. */
int eb_reactor_add(eb_reactor *r, int fd, unsigned events, int64_t deadline_ns, void *token);

/* Waits armed and not yet handed back. */
uint32_t eb_reactor_waiting(const eb_reactor *r);

/* Hands back up to `max` finished waits, blocking until one finishes or
 * CLOCK_MONOTONIC reaches until_ns (EB_WAIT_FOREVER: no bound; a time already
 * passed: a look without blocking). Returns how many (0 only once the bound
 * has passed: a signal's handler runs and the wait goes on), or -errno. */
int eb_reactor_poll(eb_reactor *r, int64_t until_ns, eb_reactor_event *out, uint32_t max);

/* "epoll" / "io_uring", and back: 0 or -EINVAL. */
const char *eb_reactor_kind_name(eb_reactor_kind kind);
int eb_reactor_kind_parse(const char *text, eb_reactor_kind *out);

#endif
