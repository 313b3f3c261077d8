/* wait.h — the wait primitives every task uses instead of sleeping or blocking
 * by itself, and every executor implements.
 *
 * A blocking executor (sequential, threaded, multiprocess) leaves the default:
 * the calling thread sleeps with clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME).
 * The coroutine executor installs its own operations for its thread: the
 * current coroutine is parked on the scheduler's timer heap and the scheduler
 * runs another. This is how one workload file runs under every executor (the
 * idea of gevent's patched I/O, made explicit). Waiting for a file descriptor
 * (eb_wait_fd) goes through the same table: the blocking default is ppoll, the
 * coroutine scheduler parks the coroutine on its reactor (epoll or io_uring). */
#ifndef EB_WAIT_H
#define EB_WAIT_H

#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC in nanoseconds: the one clock of execbench's measurements. */
static inline int64_t eb_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* eb_wait_fd's events, and its deadline for "no deadline". */
#define EB_WAIT_READABLE 1u
#define EB_WAIT_WRITABLE 2u
#define EB_WAIT_FOREVER INT64_MAX

/* An executor's implementation of the waits, installed per thread. */
typedef struct eb_wait_ops {
    /* Return once CLOCK_MONOTONIC >= deadline_ns: 0, or a negative errno. */
    int (*wait_until_ns)(void *ctx, int64_t deadline_ns);
    void *ctx;
    /* eb_wait_fd's contract; NULL: the blocking default (eb_wait_fd_blocking). */
    int (*wait_fd)(void *ctx, int fd, unsigned events, int64_t deadline_ns);
} eb_wait_ops;

/* Installs `ops` for the calling thread (NULL restores the blocking default).
 * The table must outlive its use; the previous table is returned. */
const eb_wait_ops *eb_wait_set_ops(const eb_wait_ops *ops);

/* Waits until the absolute CLOCK_MONOTONIC deadline: 0 or a negative errno. */
int eb_wait_until_ns(int64_t deadline_ns);

/* Waits `duration_ns` from now (an absolute deadline underneath). */
int eb_wait_ns(int64_t duration_ns);

/* Waits until `fd` is ready for `events` (EB_WAIT_READABLE and/or
 * EB_WAIT_WRITABLE) or the absolute CLOCK_MONOTONIC deadline passes
 * (EB_WAIT_FOREVER: none). Returns 0 when ready (an error or hang-up on the fd
 * counts as ready: the next read or write reports it), -ETIMEDOUT at the
 * deadline, -EBADF for a closed fd, -EINVAL for no events, or another -errno.
 * A deadline already passed still reports an fd that is ready now. At most
 * one wait per fd at a time (the coroutine reactor answers a second -EBUSY). */
int eb_wait_fd(int fd, unsigned events, int64_t deadline_ns);

/* The blocking default: ppoll with the time left until the deadline, again
 * until the deadline has passed (a timeout never returns early). */
int eb_wait_fd_blocking(int fd, unsigned events, int64_t deadline_ns);

/* ---- check points: where CPU work lets a thread-level lock change hands ----
 *
 * A lock that a thread must hold while it computes (the GIL emulation,
 * gil.h) installs a hook for its thread. CPU work calls
 * eb_check_point() after every block of a few microseconds; when the lock's
 * request flag is set, the hook gives the lock away and takes it back (as
 * CPython's eval loop does at its eval breaker). The waits above release the
 * lock while they block and take it back after (a coroutine scheduler keeps
 * it while it switches between coroutines and releases it around its own idle
 * sleep: eb_check_release / eb_check_reacquire).
 *
 * A thread without a lock has eb_check_no_lock, whose request is never set, so
 * a check point runs the same instructions with a GIL or without: two loads
 * and a branch never taken. (With a separate "no hook" branch, the same
 * kernel at the same address ran 7-12% faster with a hook installed than
 * without on this VM's CPU, and a GIL-bound thread out-computed a free one.) */
typedef struct eb_check_hook {
    const _Atomic unsigned *request; /* non-zero: the holder is asked to give way */
    void (*give_way)(void *ctx);     /* drop the lock, let another thread have it, take it back */
    void (*release)(void *ctx);      /* before the thread blocks */
    void (*reacquire)(void *ctx);    /* after it blocked */
    void *ctx;
} eb_check_hook;

/* The hook of a thread that holds no lock: never asked to give way. */
extern const eb_check_hook eb_check_no_lock;

/* The calling thread's hook, never NULL (eb_check_no_lock when it has no
 * lock). Read afresh by every check point: a coroutine that moved to another
 * thread sees that thread's hook. */
extern _Thread_local const eb_check_hook *eb_check_hook_current;

/* Installs `hook` for the calling thread (NULL: none); returns the previous
 * (NULL: none). */
const eb_check_hook *eb_check_set_hook(const eb_check_hook *hook);

/* Where CPU work may give the thread's lock away (see above). */
static inline void eb_check_point(void)
{
    const eb_check_hook *hook = eb_check_hook_current;
    if (__builtin_expect(atomic_load_explicit(hook->request, memory_order_relaxed) != 0, 0))
        hook->give_way(hook->ctx);
}

/* For an executor that blocks by itself (a scheduler's idle sleep): releases
 * the calling thread's lock and returns its hook (NULL: none), which
 * eb_check_reacquire takes back after the block. */
const eb_check_hook *eb_check_release(void);
void eb_check_reacquire(const eb_check_hook *released);

#endif
