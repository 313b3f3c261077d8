/* wait.h — the wait primitives every task uses instead of sleeping or blocking
 * by itself, and every executor implements.
 *
 * A blocking executor (sequential, threaded, multiprocess) leaves the default:
 * the calling thread sleeps with clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME).
 * The coroutine executor installs its own operations for its thread: the
 * current coroutine is parked on the scheduler's timer heap and the scheduler
 * runs another. This is how one workload file runs under every executor (the
 * idea of gevent's patched I/O, made explicit). Later: eb_wait_readable(fd,
 * deadline) and eb_wait_writable through the same table. */
#ifndef EB_WAIT_H
#define EB_WAIT_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC in nanoseconds: the one clock of execbench's measurements. */
static inline int64_t eb_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* An executor's implementation of the waits, installed per thread. */
typedef struct eb_wait_ops {
    /* Return once CLOCK_MONOTONIC >= deadline_ns: 0, or a negative errno. */
    int (*wait_until_ns)(void *ctx, int64_t deadline_ns);
    void *ctx;
} eb_wait_ops;

/* Installs `ops` for the calling thread (NULL restores the blocking default).
 * The table must outlive its use; the previous table is returned. */
const eb_wait_ops *eb_wait_set_ops(const eb_wait_ops *ops);

/* Waits until the absolute CLOCK_MONOTONIC deadline: 0 or a negative errno. */
int eb_wait_until_ns(int64_t deadline_ns);

/* Waits `duration_ns` from now (an absolute deadline underneath). */
int eb_wait_ns(int64_t duration_ns);

#endif
