/* sched_internal.h — what the scheduler's files share (private to
 * runner/coro): the scheduler's state, its timers (sched_timers.c), the
 * one-thread loop's pieces (scheduler.c) that a group member's loop
 * (sched_group.c) runs too, and the group's hooks the common code calls. */
#ifndef EB_SCHED_INTERNAL_H
#define EB_SCHED_INTERNAL_H

#include "run_ring.h"
#include "scheduler.h"
#include "timer_store.h"
#include "wait.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* A loop that starts and resumes coroutines (the one-thread loop, a group
 * member's) has everything it calls on a coroutine's way in and out inlined
 * into it: across files too where the runtime is built with link-time
 * optimisation. A switch then comes back into the loop's own body, with no
 * call chain (eb_sched_start, eb_sched_resume, eb_coro_resume) to return
 * through, each return mispredicted since the coroutine's own calls had
 * filled the return stack in between. 100,000 io.sleep coroutines of 100 ms
 * started in 12.6-15.2 ms against 16.9-18.6 ms without, for 15-29% less CPU
 * (6 interleaved pairs of 5 runs); the hybrid executor's point took 13-22%
 * less CPU (4 pairs). */
#define EB_SCHED_LOOP __attribute__((flatten))

/* At most this many coroutines start before due timers are served again, so
 * a long start-up (100,000 coroutines) does not delay the first wake-ups. */
#define START_BATCH 64

/* Due coroutines are taken off the timers this many at a time (pop_due). */
#define WAKE_BATCH 16

/* How the one-thread loop waits for its earliest timer, everyone parked
 * (scheduler.c's sleep_for_timers). A sleep longer than twice WAKE_AHEAD_NS
 * ends that much before its deadline; the coroutines due soon after it are
 * brought into the cache (eb_sched_warm_due); a short sleep takes it to
 * SPIN_NS before the deadline, and the rest is spun. On a virtual machine a
 * sleep of a second ends far later after its deadline than one of a few
 * hundred microseconds, as its host gives back an idle CPU slowly, and
 * after it every parked coroutine is out of the cache (README, "Scale", has
 * the figures). So the loop spins at most SPIN_NS a long sleep; shorter
 * waits sleep as before (spinning through them too cost CPU and time at
 * 10^4 and more tasks: a wake at each deadline took the due ones one at a
 * time, not in prefetched batches). Nothing is resumed before its deadline. */
#define WAKE_AHEAD_NS 300000
#define SPIN_NS 50000

/* At most this many coroutines are warmed before a deadline: their control
 * blocks and saved frames, about what a core's L2 holds. */
#define WARM_MAX 2048

/* Finished fd waits taken from the reactor at a time. */
#define READY_BATCH 256

/* A signal frame (AT_MINSIGSTKSZ is 3,376 bytes on an AVX-512 x86-64) does
 * not fit on a 4 KiB coroutine stack. So while coroutines run, the signals
 * whose handler would run on the interrupted stack are blocked: a handler
 * without SA_ONSTACK, or any handler when the thread has no alternate stack
 * (real-time signals: always, without asking). Those get through while the
 * scheduler sleeps, and at least every SIGNAL_WINDOW_NS otherwise, on the
 * thread's own stack. Handlers with SA_ONSTACK (the runner's) and default
 * actions are never delayed. Faults are never blocked: a blocked SIGSEGV only
 * turns a report into a silent kill. */
#define SIGNAL_WINDOW_NS 1000000

/* A parked coroutine. The order key lives here, not in the coroutine: with
 * 100,000 parked, reading a cold stack per comparison dominated the wake-ups. */
typedef struct timer {
    int64_t deadline_ns;
    uint64_t seq; /* order of parking: ties on a deadline wake first-parked first */
    eb_coro *co;
} timer;

/* What a group keeps per coroutine, at the top of its stack (coro_stacks.h's
 * record_bytes): it may resume on any member's thread, so what a wait leaves
 * for it travels with it, and its stack goes back to the pool it came from. */
typedef struct sched_coro {
    eb_coro co;                       /* first: an eb_coro * is a sched_coro * */
    eb_sched *home;                   /* the member whose stack pool holds its stack */
    int fd_result;                    /* how its last fd wait ended */
    struct sched_coro *next_returned; /* on home's list of stacks to take back */
} sched_coro;

static inline sched_coro *eb_sched_meta(eb_coro *co)
{
    return (sched_coro *)co;
}

struct eb_sched {
    eb_sched_config config;
    eb_coro_stacks stacks; /* SEPARATE: stacks.pool; COPY: a run stack */
    timer *heap;           /* 4-ary min-heap by (deadline, seq); one entry per parked coroutine */
    size_t heap_len;
    timer *ring; /* timers parked in deadline order, oldest first (timer_push) */
    size_t ring_head, ring_len;
    size_t timer_cap;      /* the heap's and the ring's room: max_coros, a group's total in one */
    eb_timer_store timers; /* where heap and ring live, kept between schedulers */
    eb_coro *current;
    eb_coro *due[WAKE_BATCH]; /* popped, about to be resumed */
    uint64_t alive;
    uint64_t next_seq;
    bool running;
    eb_wait_ops wait_ops;
    eb_sched_stats stats;
    eb_reactor *reactor; /* created at the first fd wait (group mode: with the group) */
    int *fd_result;      /* by slot: how a coroutine's fd wait ended (unless it moves) */
    /* READY_BATCH events, made with the reactor: 4 KiB in the scheduler
     * itself made its allocation a large one, which consolidates malloc's
     * fast bins first (3-12 us a run, on the coroutine executor's clock) */
    eb_reactor_event *ready;

    /* group mode (eb_sched_group_create; sched_group.c) */
    eb_sched_group *group;
    unsigned index;
    eb_run_ring *runq;              /* ready coroutines, which idle members may steal */
    int wake_fd;                    /* eventfd: another member wakes this one's sleep */
    bool wake_armed;                /* its wait is in the reactor */
    uint64_t rng;                   /* where stealing starts looking */
    uint64_t finished_unsaid;       /* finished here, not yet taken off the group's alive */
    _Atomic int sleeping;           /* sched_group.c: AWAKE, ASLEEP, ASLEEP_EMPTY */
    _Atomic(sched_coro *) returned; /* coroutines of this pool that finished elsewhere */
};

/* Whether s's coroutines may resume on another member's thread: a group's
 * SEPARATE ones (with their sched_coro record); a COPY one stays on the
 * thread whose run stack its frames' addresses point into, so a COPY group
 * does not steal (eb_sched_group_create) and keeps fd results by slot. */
static inline bool eb_sched_coros_move(const eb_sched *s)
{
    return s->group != NULL && s->stacks.mode == EB_CORO_STACK_SEPARATE;
}

/* Where co's last fd wait left its result. */
static inline int *eb_sched_fd_result(eb_sched *s, eb_coro *co)
{
    return eb_sched_coros_move(s) ? &eb_sched_meta(co)->fd_result : &s->fd_result[co->slot];
}

/* ---- timers (sched_timers.c) ---- */
/* The heap and the ring for `capacity` timers, from the kept arrays when
 * they fit (timer_store.h; what was found resident goes to the stats), the
 * ones held before given back. 0 or -errno. */
int eb_sched_timers_take(eb_sched *s, uint64_t capacity);
void eb_sched_timer_push(eb_sched *s, timer t);
/* The earliest timer, or NULL when none is parked. */
const timer *eb_sched_timer_first(const eb_sched *s);
eb_coro *eb_sched_timer_pop(eb_sched *s);
/* Takes up to WAKE_BATCH due coroutines (deadline <= now, parked before
 * `round`) off the timers into s->due, in order, and fetches the cache lines
 * their return paths touch. */
size_t eb_sched_pop_due(eb_sched *s, int64_t now, uint64_t round);
/* Brings into the cache the coroutines parked in the ring with a deadline by
 * `until` (WARM_MAX at most) and the heap's earliest: what resuming them
 * reads first. */
void eb_sched_warm_due(const eb_sched *s, int64_t until);

/* ---- the loop's pieces (scheduler.c) ---- */
/* Creates a scheduler whose SEPARATE stacks keep record_bytes at their top. */
int eb_sched_create_with(const eb_sched_config *config, size_t record_bytes, eb_sched **out);
/* Resumes co until it parks or finishes; a finished one gives back its stack. */
void eb_sched_resume(eb_sched *s, eb_coro *co);
/* Starts fn(ctx, arg) in a new coroutine and runs it until it first parks. */
int eb_sched_start(eb_sched *s, eb_coro_fn fn, void *ctx, uint64_t arg);
/* Gives the stack of a coroutine that finished here back to s's pool. */
void eb_sched_give_stack(eb_sched *s, eb_coro *co);
/* Fills `set` with the signals to block while coroutines run. */
void eb_sched_signals_to_block(sigset_t *set);

/* ---- the group (sched_group.c) ---- */
/* co finished on s, a group's member: its stack goes back to its home's pool. */
void eb_sched_group_finished(eb_sched *s, eb_coro *co);
/* A member's loop: eb_sched_run's, for a scheduler of a group. */
int eb_sched_group_loop(eb_sched *s, eb_coro_fn fn, void *ctx, eb_sched_next_fn next,
                        const sigset_t *blocked, const sigset_t *caller_mask);

#endif
