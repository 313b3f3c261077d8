/* scheduler.h — one thread's coroutine scheduler: start coroutines while
 * fewer than `max_coros` are alive, park them on a timer min-heap when they
 * wait, and when every one is parked, sleep precisely until the earliest
 * deadline (clock_nanosleep TIMER_ABSTIME, timer slack 1 ns; a long sleep
 * ends early, warms the coroutines due and spins its last 50 us:
 * sched_internal.h's WAKE_AHEAD_NS).
 *
 * While eb_sched_run runs it installs eb_wait_ops (wait/wait.h) for its
 * thread, so a workload's eb_wait_until_ns parks the calling coroutine and the
 * scheduler runs another. A signal frame would not fit a 4 KiB coroutine
 * stack, so while coroutines run it blocks the signals whose handlers would
 * land there (no SA_ONSTACK, or no alternate stack on the thread): they are
 * handled on the thread's own stack while it sleeps, and at least every
 * millisecond otherwise. Handlers with SA_ONSTACK are never delayed.
 *
 * A coroutine waiting for a file descriptor (eb_wait_fd) is parked on the
 * scheduler's reactor (reactor.h: epoll or io_uring, the config's choice,
 * created at the first such wait), and the one wait when everyone is parked
 * covers fd readiness, the fd waits' deadlines and the timers alike.
 *
 * M:N (the hybrid executor): a group of schedulers, one per thread, shares
 * the coroutines (SEPARATE stacks; a COPY group shares only new ones). Each
 * member runs eb_sched_run on its own thread with the same next();
 * coroutines park on the timers and reactor of the thread they
 * wait on, and when their wait ends they queue on that member's ring of ready
 * coroutines, from which an idle member steals half (run_ring.h). Idle
 * members sleep in their reactor and are woken through an eventfd when
 * another finds surplus ready work. A coroutine may thus resume on another
 * thread after any wait: it must not keep a pointer to thread-local state
 * across one (wait.h reads its per-thread tables afresh on every call). */
#ifndef EB_SCHEDULER_H
#define EB_SCHEDULER_H

#include "coro.h"
#include "coro_stacks.h"
#include "reactor.h"
#include "stack_pool.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct eb_sched eb_sched;

typedef struct eb_sched_config {
    eb_coro_backend backend;
    uint64_t max_coros; /* most coroutines alive at once (>= 1): the stack pool's slots */
    size_t stack_bytes; /* per coroutine, its control block included */
    eb_stack_guard guard;
    eb_reactor_kind reactor; /* for eb_wait_fd; EB_REACTOR_EPOLL (0) by default */
    unsigned reactor_flags;  /* eb_reactor_config.flags */
    /* where the coroutines' frames live (coro.h): SEPARATE (0, the default)
     * uses stack_bytes and guard; COPY runs them all on one run stack of
     * run_stack_bytes (0: EB_SCHED_RUN_STACK_BYTES) */
    eb_coro_stack_mode stack_mode;
    size_t run_stack_bytes;
} eb_sched_config;

/* The COPY mode's default run stack: as large as a sanitizer build's guarded
 * stacks, four times a release build's (only the pages used become
 * resident), with a guard page below it. */
#define EB_SCHED_RUN_STACK_BYTES ((size_t)256 << 10)

/* The runner's configuration for `max_coros` coroutines. A pool small enough
 * for guard pages (stack_pool.h) gets 64 KiB stacks: only the pages a
 * coroutine touches become resident, so the size is free, and an overflow
 * hits the guard. A larger pool packs its stacks, every byte of which is
 * resident (the control block at the top, the canary at the bottom), so
 * there 4 KiB (a page, populated 64 at a time: stack_pool.h; ~3.9
 * KiB usable with fcontext, ~2.9 KiB with ucontext, whose context lives on
 * the stack). Measured deepest use of an io.sleep task: 352 bytes with
 * fcontext, 1,360 with ucontext (context included); signals never run on
 * these stacks and a canary catches an overflow. Sanitizer builds get room
 * for their much larger frames. */
eb_sched_config eb_sched_default_config(eb_coro_backend backend, uint64_t max_coros);

/* Asked for the next coroutine each time one may start: sets *arg and returns
 * true, or returns false when there are no more (it is not asked again). */
typedef bool (*eb_sched_next_fn)(void *ctx, uint64_t *arg);

/* Counts since creation; first_wave_ns of the last run. */
typedef struct eb_sched_stats {
    uint64_t started;       /* coroutines started */
    uint64_t max_alive;     /* most alive at once */
    uint64_t parks;         /* waits that parked a coroutine */
    uint64_t sleeps;        /* precise sleeps of the whole thread (everyone parked) */
    uint64_t early_wakes;   /* one-thread loop: long sleeps ended early to warm the coroutines due
                               (sched_internal.h: WAKE_AHEAD_NS) */
    int64_t first_wave_ns;  /* eb_now_ns() when the first min(max_coros, all) had started */
    uint64_t fd_parks;      /* waits on a file descriptor that parked a coroutine */
    uint64_t steals;        /* group: ready coroutines this member took from others */
    uint64_t wakeups;       /* group: sleeping members this one woke to steal */
    uint64_t timers_reused; /* timer entries found resident, kept from an earlier
                               scheduler (timer_store.h); 0: fresh arrays */
} eb_sched_stats;

/* Creates a scheduler, its stack pool and its timer arrays (kept ones when
 * they fit: timer_store.h): 0, -EINVAL, -ENOMEM. */
int eb_sched_create(const eb_sched_config *config, eb_sched **out);
void eb_sched_destroy(eb_sched *s);

/* Runs coroutines fn(ctx, arg) for every arg next(ctx, &arg) gives, at most
 * max_coros alive at once, until next() has no more and all have finished.
 * Returns 0, or the first error starting one (-errno); after an error no new
 * coroutine starts but the ones alive finish. Not re-entrant. A group member
 * returns once next() has no more and every coroutine of the group has
 * finished; next() is then called from every member's thread, and should be
 * one queue for all: a member leaves once next() has no more for it and
 * nothing is alive in the group, so what next() still holds for another
 * member only that member starts. fn(ctx, arg) may continue on another thread
 * after each wait (ctx is the starting member's). */
int eb_sched_run(eb_sched *s, eb_coro_fn fn, void *ctx, eb_sched_next_fn next);

/* Parks the running coroutine until CLOCK_MONOTONIC >= deadline_ns (outside a
 * coroutine: a plain blocking wait). 0 or -errno. */
int eb_sched_wait_until(eb_sched *s, int64_t deadline_ns);

/* Parks the running coroutine until fd is ready for `events` or the
 * deadline passes (wait.h's eb_wait_fd contract; outside a coroutine: the
 * blocking default). -EBUSY when another coroutine waits on the same fd; the
 * reactor's creation error (-ENOSYS, -EPERM for io_uring where the kernel
 * lacks or forbids it) at the first wait. */
int eb_sched_wait_fd(eb_sched *s, int fd, unsigned events, int64_t deadline_ns);

/* The coroutine running now, or NULL (between coroutines, or outside run). */
eb_coro *eb_sched_current(const eb_sched *s);

void eb_sched_get_stats(const eb_sched *s, eb_sched_stats *out);
/* SEPARATE mode's stack pool (an empty pool in COPY mode). */
const eb_stack_pool *eb_sched_pool(const eb_sched *s);
/* Where the coroutines live, either mode (coro_stacks.h: memory, copies). */
const eb_coro_stacks *eb_sched_stacks(const eb_sched *s);

/* ---- groups (M:N) ---- */

typedef struct eb_sched_group eb_sched_group;

typedef struct eb_sched_group_config {
    bool no_steal; /* coroutines stay on the thread that started them: only
                      new ones spread (through next()); the reference that
                      stealing was measured against */
} eb_sched_group_config;

/* Creates `count` members, member i with configs[i] (its max_coros bounds the
 * coroutines whose stacks its pool holds; any member's timers and reactor can
 * hold every coroutine of the group). Create and destroy from one thread,
 * before the members' threads start and after they ended. Every member has
 * the same stack mode. SEPARATE coroutines move between threads (stealing);
 * a COPY coroutine's frames hold its run stack's addresses (coro.h), so it
 * stays on the thread that started it, and a COPY group steals nothing: only
 * new coroutines spread, through next(). 0, -EINVAL, -ENOTSUP (mixed modes),
 * -ENOMEM, -errno. */
int eb_sched_group_create(const eb_sched_config *configs, unsigned count,
                          const eb_sched_group_config *gc, eb_sched_group **out);
/* Frees every member (eb_sched_destroy leaves members alone). */
void eb_sched_group_destroy(eb_sched_group *g);
eb_sched *eb_sched_group_member(eb_sched_group *g, unsigned index);
unsigned eb_sched_group_size(const eb_sched_group *g);

#endif
