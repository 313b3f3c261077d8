/* scheduler.c — the whole event loop in one file (redis ae.c's model): a
 * min-heap of (deadline, coroutine) timers and one precise sleep when every
 * coroutine is parked; and the same loop on several threads (a group, M:N),
 * where ready coroutines move to idle threads. See scheduler.h. */
#include "scheduler.h"

#include "run_ring.h"
#include "wait.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <unistd.h>

/* At most this many coroutines start before due timers are served again, so
 * a long start-up (100,000 coroutines) does not delay the first wake-ups. */
#define START_BATCH 64

/* Due coroutines are taken off the heap this many at a time (pop_due). */
#define WAKE_BATCH 16

/* Finished fd waits taken from the reactor at a time. */
#define READY_BATCH 256

/* Group mode: ready coroutines run from the ring at most this many at a time
 * before the loop starts new ones and moves due timers again. */
#define RUN_BATCH 64

/* Group mode: when every member sleeps with nothing to wait for, one of them
 * looks again after this long; nothing moved meanwhile means coroutines were
 * suspended outside a wait: -EDEADLK, as the one-thread loop reports. */
#define STALL_CHECK_NS 50000000

/* What the scheduler keeps per coroutine, at the top of its stack. */
typedef struct sched_coro {
    eb_coro co;                       /* first: an eb_coro * is a sched_coro * */
    eb_sched *home;                   /* the scheduler whose stack pool holds its stack */
    int fd_result;                    /* how its last fd wait ended */
    struct sched_coro *next_returned; /* on home's list of stacks to take back */
} sched_coro;

static sched_coro *meta(eb_coro *co)
{
    return (sched_coro *)co;
}

/* A group member's sleep state (eb_sched.sleeping). */
enum { AWAKE = 0, ASLEEP = 1, ASLEEP_EMPTY = 2 /* no timer, no fd: only a wake-up ends it */ };

/* The token of the wake-up eventfd's wait in a member's reactor. */
static char wake_token;

struct eb_sched_group {
    unsigned count;
    eb_sched **members;
    bool steal;
    _Alignas(64) _Atomic uint64_t alive; /* coroutines alive in the group, and claims under way */
    _Alignas(64) _Atomic unsigned sleepers;
    _Atomic unsigned empty_sleepers; /* members asleep with nothing to wait for */
    _Atomic uint64_t progress;       /* batches run: a stall shows as no change */
    _Atomic int status;              /* -EDEADLK: every member stopped */
    _Atomic bool no_more;            /* a start failed: no member starts another */
};

/* A parked coroutine. The order key lives here, not in the coroutine: with
 * 100,000 parked, reading a cold stack per comparison dominated the wake-ups. */
typedef struct timer {
    int64_t deadline_ns;
    uint64_t seq; /* order of parking: ties on a deadline wake first-parked first */
    eb_coro *co;
} timer;

struct eb_sched {
    eb_sched_config config;
    eb_stack_pool pool;
    timer *heap; /* 4-ary min-heap by (deadline, seq); one entry per parked coroutine */
    size_t heap_len;
    eb_coro *current;
    eb_coro *due[WAKE_BATCH]; /* popped, about to be resumed */
    uint64_t alive;
    uint64_t next_seq;
    bool running;
    eb_wait_ops wait_ops;
    eb_sched_stats stats;
    eb_reactor *reactor; /* created at the first fd wait (group mode: with the group) */
    eb_reactor_event ready[READY_BATCH];
    size_t heap_cap;

    /* group mode (eb_sched_group_create) */
    eb_sched_group *group;
    unsigned index;
    eb_run_ring *ring;              /* ready coroutines, which idle members may steal */
    int wake_fd;                    /* eventfd: another member wakes this one's sleep */
    bool wake_armed;                /* its wait is in the reactor */
    uint64_t rng;                   /* where stealing starts looking */
    uint64_t finished_unsaid;       /* finished here, not yet taken off the group's alive */
    _Atomic int sleeping;           /* AWAKE, ASLEEP, ASLEEP_EMPTY */
    _Atomic(sched_coro *) returned; /* coroutines of this pool that finished elsewhere */
};

/* ---- the timer heap ---------------------------------------------------- */

/* Four children per node (as Go's timers): half the levels of a binary heap,
 * and a node's children share a cache line or two. */
#define ARITY 4

static bool earlier(const timer *a, const timer *b)
{
    return a->deadline_ns < b->deadline_ns || (a->deadline_ns == b->deadline_ns && a->seq < b->seq);
}

static void heap_push(eb_sched *s, timer t)
{
    size_t i = s->heap_len++;
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!earlier(&t, &s->heap[parent])) break;
        s->heap[i] = s->heap[parent];
        i = parent;
    }
    s->heap[i] = t;
}

static eb_coro *heap_pop(eb_sched *s)
{
    eb_coro *top = s->heap[0].co;
    timer last = s->heap[--s->heap_len];
    size_t i = 0, n = s->heap_len;
    for (;;) {
        size_t first = ARITY * i + 1, best = first;
        if (first >= n) break;
        for (size_t c = first + 1; c < first + ARITY && c < n; c++)
            if (earlier(&s->heap[c], &s->heap[best])) best = c;
        if (!earlier(&s->heap[best], &last)) break;
        s->heap[i] = s->heap[best];
        i = best;
    }
    if (n > 0) s->heap[i] = last;
    return top;
}

/* ---- waits --------------------------------------------------------------- */

static int sleep_until(int64_t deadline_ns)
{
    struct timespec t = {(time_t)(deadline_ns / 1000000000), (long)(deadline_ns % 1000000000)};
    int rc;
    while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL)) == EINTR) {
    }
    return -rc;
}

int eb_sched_wait_until(eb_sched *s, int64_t deadline_ns)
{
    eb_coro *co = s->current;
    if (co == NULL) return sleep_until(deadline_ns); /* not in a coroutine: block */
    heap_push(s, (timer){deadline_ns, s->next_seq++, co});
    s->stats.parks++;
    eb_coro_suspend(co);
    return 0;
}

static int wait_op(void *ctx, int64_t deadline_ns)
{
    return eb_sched_wait_until(ctx, deadline_ns);
}

int eb_sched_wait_fd(eb_sched *s, int fd, unsigned events, int64_t deadline_ns)
{
    eb_coro *co = s->current;
    if (co == NULL) return eb_wait_fd_blocking(fd, events, deadline_ns);
    if (s->reactor == NULL) {
        eb_reactor_config rc = {.kind = s->config.reactor,
                                .capacity = (uint32_t)s->config.max_coros,
                                .flags = s->config.reactor_flags};
        int err = eb_reactor_create(&rc, &s->reactor);
        if (err != 0) return err;
    }
    int rc = eb_reactor_add(s->reactor, fd, events, deadline_ns, co);
    if (rc != 0) return rc > 0 ? 0 : rc; /* finished without waiting */
    s->stats.fd_parks++;
    eb_coro_suspend(co);
    /* in a group it may resume on another thread: nothing of `s` after this */
    return meta(co)->fd_result;
}

static int wait_fd_op(void *ctx, int fd, unsigned events, int64_t deadline_ns)
{
    return eb_sched_wait_fd(ctx, fd, events, deadline_ns);
}

/* ---- coroutines ------------------------------------------------------------ */

static void give_stack(eb_sched *s, uint32_t slot)
{
    s->alive--;
    if (eb_stack_pool_give(&s->pool, slot) != 0) {
        /* The neighbouring slot may be corrupt: continuing could report
         * wrong results, so stop here, loudly. */
        fprintf(stderr,
                "%s: a coroutine overflowed its %zu-byte stack (unguarded pool of %u "
                "stacks); memory around it may be corrupt, stopping\n",
                program_invocation_short_name, s->pool.stack_bytes, s->pool.slots);
        abort();
    }
}

static void group_alive_drop(eb_sched_group *g, uint64_t n);
static bool wake(eb_sched *m);
static unsigned announce(eb_sched_group *g);

static void finished(eb_sched *s, eb_coro *co)
{
    sched_coro *c = meta(co);
    eb_sched *home = c->home;
    if (home == s) {
        give_stack(s, co->slot);
    } else {
        /* Its stack belongs to another member's pool, which only that member
         * touches: hand it back (a lock-free push), and wake the member in
         * case it sleeps waiting for room to start more. */
        sched_coro *head = atomic_load_explicit(&home->returned, memory_order_relaxed);
        do
            c->next_returned = head;
        while (!atomic_compare_exchange_weak_explicit(&home->returned, &head, c,
                                                      memory_order_release, memory_order_relaxed));
        announce(home->group); /* the push, then the look at home's sleep */
        wake(home);
    }
    if (s->group != NULL) s->finished_unsaid++; /* said to the group a batch at a time */
}

/* Takes back the stacks of this pool's coroutines that finished elsewhere. */
static void drain_returned(eb_sched *s)
{
    sched_coro *c = atomic_exchange_explicit(&s->returned, NULL, memory_order_acquire);
    while (c != NULL) {
        sched_coro *next = c->next_returned;
        give_stack(s, c->co.slot);
        c = next;
    }
}

/* Takes up to WAKE_BATCH due coroutines off the heap into s->due, in order,
 * and fetches the cache lines their return paths touch. A coroutine parked
 * long ago is out of the cache: one at a time, each cost a few misses in a
 * row, and 100,000 wake-ups could not keep up with their deadlines. */
static void prefetch_return_path(const eb_sched *s, const eb_coro *co)
{
    const char *from = co->self, *to = (const char *)co;
    if (from < to && to - from <= 1024)
        for (const char *p = from; p < to; p += 64)
            __builtin_prefetch(p);
    if (!s->pool.guarded) /* the canary, checked when it finishes */
        __builtin_prefetch((const char *)co->stack_lo - 16);
}

static size_t pop_due(eb_sched *s, int64_t now, uint64_t round)
{
    size_t n = 0;
    while (n < WAKE_BATCH && s->heap_len > 0 && s->heap[0].deadline_ns <= now &&
           s->heap[0].seq < round) {
        s->due[n] = heap_pop(s);
        __builtin_prefetch(s->due[n++]);
    }
    for (size_t i = 0; i < n; i++)
        prefetch_return_path(s, s->due[i]);
    return n;
}

static void resume(eb_sched *s, eb_coro *co)
{
    s->current = co;
    eb_coro_resume(co);
    s->current = NULL;
    if (eb_coro_finished(co)) finished(s, co);
}

/* Resumes the coroutines whose fd wait finished, waiting for the first until
 * until_ns at most. 0 or -errno. */
static int run_ready_fds(eb_sched *s, int64_t until_ns)
{
    int n = eb_reactor_poll(s->reactor, until_ns, s->ready, READY_BATCH);
    for (int i = 0; i < n; i++) {
        eb_coro *co = s->ready[i].token;
        meta(co)->fd_result = s->ready[i].result;
        resume(s, co);
    }
    return n < 0 ? n : 0;
}

static int start(eb_sched *s, eb_coro_fn fn, void *ctx, uint64_t arg)
{
    eb_stack stack;
    int rc = eb_stack_pool_take(&s->pool, &stack);
    if (rc != 0) return rc;
    /* its control block sits at the top of its own stack: no other memory */
    char *top = (char *)stack.lo + stack.bytes;
    sched_coro *c = (sched_coro *)(((uintptr_t)top - sizeof *c) & ~(uintptr_t)63);
    eb_coro *co = &c->co;
    rc = eb_coro_init(co, s->config.backend, stack.lo, (size_t)((char *)c - (char *)stack.lo), fn,
                      ctx, arg);
    if (rc != 0) {
        eb_stack_pool_give(&s->pool, stack.index);
        return rc;
    }
    co->slot = stack.index;
    c->home = s;
    s->alive++;
    s->stats.started++;
    if (s->alive > s->stats.max_alive) s->stats.max_alive = s->alive;
    resume(s, co); /* it runs until it first parks (or finishes) */
    return 0;
}

/* ---- the loop -------------------------------------------------------------- */

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

/* Fills `set` with the signals to block while coroutines run. */
static void signals_to_block(sigset_t *set)
{
    sigemptyset(set);
    stack_t alt;
    long min_alt = sysconf(_SC_MINSIGSTKSZ);
    bool alt_ok = sigaltstack(NULL, &alt) == 0 && !(alt.ss_flags & SS_DISABLE) &&
                  alt.ss_size >= (size_t)(min_alt > 0 ? min_alt : MINSIGSTKSZ);
    for (int sig = 1; sig < SIGRTMIN; sig++) {
        if (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP ||
            sig == SIGSYS || sig == SIGABRT)
            continue;
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) != 0) continue;
        bool handled = (sa.sa_flags & SA_SIGINFO)
                           ? sa.sa_sigaction != NULL
                           : sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN;
        if (handled && !(alt_ok && (sa.sa_flags & SA_ONSTACK))) sigaddset(set, sig);
    }
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        sigaddset(set, sig);
}

/* ---- the group: one such loop per thread, ready coroutines shared ---------
 *
 * Every member runs the loop below on its own thread. New coroutines come from
 * the shared next() whenever a member's pool has room; a coroutine runs where
 * it was started until it first waits, and parks on the timer heap or reactor
 * of the thread it waits on. When its wait ends, that thread moves it to its
 * ring of ready coroutines, from which an idle member may steal half (its
 * wake-up, its steal and its resumption on another thread are the cost of
 * keeping every core busy). A member with nothing to run, start or steal
 * sleeps in its reactor until its earliest timer, an fd, or a wake-up through
 * its eventfd: a member that finds more ready work than it runs at once wakes
 * one sleeper, and the last coroutine to finish wakes them all. A coroutine's
 * stack stays in the pool of the member that started it; one that finishes
 * elsewhere is handed back through that member's lock-free list. */

/* Between publishing work (a ring's push, a stack handed back) and looking
 * for sleepers to wake, as a sleeper does between announcing its sleep and
 * looking for work: both are read-modify-writes of `sleepers`, so whichever
 * comes second sees what the first did before it (Dekker's order, in C11's
 * terms; ThreadSanitizer does not model fences). Returns the sleepers. */
static unsigned announce(eb_sched_group *g)
{
    return atomic_fetch_add(&g->sleepers, 0);
}

static bool wake(eb_sched *m)
{
    if (m->group == NULL) return false;
    int was = atomic_load(&m->sleeping);
    if (was == AWAKE || !atomic_compare_exchange_strong(&m->sleeping, &was, AWAKE)) return false;
    if (was == ASLEEP_EMPTY) atomic_fetch_sub(&m->group->empty_sleepers, 1);
    uint64_t one = 1;
    ssize_t n = write(m->wake_fd, &one, sizeof one); /* EAGAIN: a wake-up is pending anyway */
    (void)n;
    return true;
}

static void wake_all(eb_sched_group *g)
{
    for (unsigned i = 0; i < g->count; i++)
        wake(g->members[i]);
}

/* n coroutines finished (or claims found no task): the last ones wake
 * everyone, so that every member sees the group is done. */
static void group_alive_drop(eb_sched_group *g, uint64_t n)
{
    if (n > 0 && atomic_fetch_sub(&g->alive, n) == n) wake_all(g);
}

/* Tells the group of the coroutines that finished here since the last time:
 * one atomic per batch, not two per coroutine on a line every member writes
 * (measured: 100,000 waits 4% slower than one thread's loop with them). */
static void say_finished(eb_sched *s)
{
    group_alive_drop(s->group, s->finished_unsaid);
    s->finished_unsaid = 0;
}

/* Wakes one sleeping member (not s) to come and steal. */
static void wake_one(eb_sched *s)
{
    eb_sched_group *g = s->group;
    if (announce(g) == 0) return; /* the ring's push, then the look at sleepers */
    for (unsigned i = 1; i < g->count; i++)
        if (wake(g->members[(s->index + i) % g->count])) {
            s->stats.wakeups++;
            return;
        }
}

/* Takes half of another member's ready coroutines into s's (empty) ring. */
static uint32_t steal(eb_sched *s)
{
    eb_sched_group *g = s->group;
    s->rng = s->rng * 6364136223846793005u + 1442695040888963407u;
    unsigned first = (unsigned)(s->rng >> 33) % g->count;
    for (unsigned i = 0; i < g->count; i++) {
        eb_sched *victim = g->members[(first + i) % g->count];
        if (victim == s) continue;
        uint32_t n = eb_run_ring_steal(victim->ring, s->ring);
        if (n > 0) {
            s->stats.steals += n;
            return n;
        }
    }
    return 0;
}

static bool others_have_ready(const eb_sched *s)
{
    eb_sched_group *g = s->group;
    for (unsigned i = 0; i < g->count; i++)
        if (g->members[i] != s && eb_run_ring_len(g->members[i]->ring) > 0) return true;
    return false;
}

static int arm_wake(eb_sched *s)
{
    int rc = eb_reactor_add(s->reactor, s->wake_fd, EB_WAIT_READABLE, EB_WAIT_FOREVER, &wake_token);
    s->wake_armed = rc == 0;
    return rc < 0 ? rc : 0;
}

/* Moves finished fd waits into the ring (a wake-up just re-arms), waiting for
 * the first until until_ns at most. 0 or -errno. */
static int poll_fds(eb_sched *s, int64_t until_ns, uint32_t max)
{
    if (max > READY_BATCH) max = READY_BATCH;
    if (max == 0) return 0;
    int n = eb_reactor_poll(s->reactor, until_ns, s->ready, max);
    for (int i = 0; i < n; i++) {
        if (s->ready[i].token == &wake_token) {
            uint64_t count;
            ssize_t got = read(s->wake_fd, &count, sizeof count); /* nonblocking: drains */
            (void)got;
            int rc = arm_wake(s);
            if (rc != 0) return rc;
            continue;
        }
        eb_coro *co = s->ready[i].token;
        meta(co)->fd_result = s->ready[i].result;
        eb_run_ring_push(s->ring, co); /* max was the ring's room */
    }
    return n < 0 ? n : 0;
}

/* Moves the coroutines whose deadline has passed into the ring, earliest
 * first, while it has room, a batch at a time with their return paths
 * fetched into the cache (pop_due: without that, 100,000 wake-ups on one
 * thread ran 40% slower than the one-thread loop's; fetched a few places
 * ahead of each resumption instead, 30% slower: the control block that says
 * where the path is must be fetched first). */
static void move_due(eb_sched *s, int64_t now)
{
    uint32_t room = eb_run_ring_room(s->ring);
    while (room >= WAKE_BATCH) {
        size_t n = pop_due(s, now, UINT64_MAX);
        for (size_t i = 0; i < n; i++)
            eb_run_ring_push(s->ring, s->due[i]);
        room -= (uint32_t)n;
        if (n < WAKE_BATCH) break;
    }
}

/* Resumes up to RUN_BATCH ready coroutines from the ring; whether any ran. */
static bool run_ready(eb_sched *s)
{
    bool ran = false;
    for (unsigned n = 0; n < RUN_BATCH; n++) {
        eb_coro *co = eb_run_ring_pop(s->ring);
        if (co == NULL) break;
        resume(s, co);
        /* The loop between coroutines is the thread's interpreter loop: a
         * GIL may change hands here too. */
        eb_check_point();
        ran = true;
    }
    return ran;
}

/* Sleeps until this member's earliest timer, an fd, or a wake-up; returns
 * early, without sleeping, when a look after announcing the sleep finds work
 * (the announce-then-look order, against the others' push-then-look, means
 * no wake-up is missed). 0 or -errno. */
static int sleep_idle(eb_sched *s, bool more, const sigset_t *blocked, const sigset_t *caller_mask)
{
    eb_sched_group *g = s->group;
    bool empty = s->heap_len == 0 && eb_reactor_waiting(s->reactor) <= (uint32_t)s->wake_armed;
    atomic_store(&s->sleeping, empty ? ASLEEP_EMPTY : ASLEEP);
    atomic_fetch_add(&g->sleepers, 1); /* pairs with announce(): see there */
    bool stalled = empty && atomic_fetch_add(&g->empty_sleepers, 1) + 1 == g->count;
    bool work = atomic_load(&g->status) != 0 || (!more && atomic_load(&g->alive) == 0) ||
                atomic_load(&s->returned) != NULL || (g->steal && others_have_ready(s));
    int rc = 0;
    if (!work) {
        int64_t until = s->heap_len > 0 ? s->heap[0].deadline_ns : EB_WAIT_FOREVER;
        uint64_t progress = atomic_load(&g->progress);
        if (stalled) until = eb_now_ns() + STALL_CHECK_NS;
        pthread_sigmask(SIG_SETMASK, caller_mask, NULL);
        const eb_check_hook *released = eb_check_release(); /* a GIL is free meanwhile */
        rc = poll_fds(s, until, READY_BATCH);
        eb_check_reacquire(released);
        pthread_sigmask(SIG_BLOCK, blocked, NULL);
        s->stats.sleeps++;
        /* Every member asleep with nothing to wait for, still, and nothing
         * ran: coroutines were suspended outside a wait. */
        if (rc == 0 && stalled && atomic_load(&s->sleeping) == ASLEEP_EMPTY &&
            atomic_load(&g->empty_sleepers) == g->count && atomic_load(&g->progress) == progress &&
            atomic_load(&g->alive) > 0) {
            int none = 0;
            atomic_compare_exchange_strong(&g->status, &none, -EDEADLK);
            wake_all(g);
        }
    }
    if (atomic_exchange(&s->sleeping, AWAKE) == ASLEEP_EMPTY)
        atomic_fetch_sub(&g->empty_sleepers, 1);
    atomic_fetch_sub(&g->sleepers, 1);
    return rc;
}

static int group_loop(eb_sched *s, eb_coro_fn fn, void *ctx, eb_sched_next_fn next,
                      const sigset_t *blocked, const sigset_t *caller_mask)
{
    eb_sched_group *g = s->group;
    uint64_t max = s->config.max_coros;
    bool more = true;
    int status = 0;
    int64_t window_ns = eb_now_ns();
    for (;;) {
        if (atomic_load_explicit(&s->returned, memory_order_relaxed) != NULL) drain_returned(s);
        bool ran = false;

        /* 1. Start coroutines while this pool has room, a batch at a time.
         * Claims count as alive while under way (reserved for the batch,
         * the unused given back), so that no member sees the group done
         * while another is about to start its last task. */
        if (more && atomic_load_explicit(&g->no_more, memory_order_relaxed)) more = false;
        if (more && s->alive < max) {
            uint64_t reserved = max - s->alive < START_BATCH ? max - s->alive : START_BATCH;
            atomic_fetch_add(&g->alive, reserved);
            for (; more && reserved > 0; reserved--) {
                uint64_t arg;
                if (!next(ctx, &arg)) {
                    more = false;
                    break;
                }
                if ((status = start(s, fn, ctx, arg)) != 0) {
                    more = false;
                    atomic_store(&g->no_more, true); /* as one thread's loop: the alive finish */
                    break;
                }
                ran = true;
            }
            group_alive_drop(g, reserved);
        }
        int64_t now = eb_now_ns();
        if (s->stats.first_wave_ns == 0 && !(more && s->alive < max)) s->stats.first_wave_ns = now;

        /* 2. Due timers and finished fd waits into the ring; work beyond what
         * this thread runs next is worth another member's wake-up. */
        move_due(s, now);
        if (eb_reactor_waiting(s->reactor) > (uint32_t)s->wake_armed) {
            int rc = poll_fds(s, INT64_MIN, eb_run_ring_room(s->ring));
            if (rc != 0 && status == 0) status = rc;
        }
        if (g->steal && eb_run_ring_len(s->ring) > 1) wake_one(s);

        /* 3. Run a batch of ready coroutines. */
        if (run_ready(s)) ran = true;
        if (now - window_ns >= SIGNAL_WINDOW_NS) {
            pthread_sigmask(SIG_SETMASK, caller_mask, NULL); /* pending ones run here */
            pthread_sigmask(SIG_BLOCK, blocked, NULL);
            window_ns = now;
        }
        say_finished(s);
        if (ran) {
            atomic_fetch_add_explicit(&g->progress, 1, memory_order_relaxed);
            continue;
        }

        /* 4. Nothing here: take work from another member, or stop, or sleep. */
        if (g->steal && steal(s) > 0) continue;
        int stop = atomic_load(&g->status);
        if (stop != 0) {
            if (status == 0) status = stop;
            break;
        }
        if (!more && atomic_load(&g->alive) == 0) break;
        if (atomic_load(&s->returned) != NULL) continue;
        if (s->heap_len > 0 && s->heap[0].deadline_ns <= eb_now_ns()) continue;
        int rc = sleep_idle(s, more, blocked, caller_mask);
        if (rc != 0) {
            /* the reactor failed: nothing can be waited for here any more */
            int none = 0;
            atomic_compare_exchange_strong(&g->status, &none, rc);
            wake_all(g);
        }
        window_ns = eb_now_ns();
    }
    drain_returned(s);
    return status;
}

int eb_sched_run(eb_sched *s, eb_coro_fn fn, void *ctx, eb_sched_next_fn next)
{
    if (s->running) return -EBUSY;
    s->running = true;
    const eb_wait_ops *previous_ops = eb_wait_set_ops(&s->wait_ops);
    int previous_slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); /* wake at the deadline, not 50 us later */
    sigset_t blocked, caller_mask;
    signals_to_block(&blocked);
    pthread_sigmask(SIG_BLOCK, &blocked, &caller_mask);
    int64_t window_ns = eb_now_ns();
    s->stats.first_wave_ns = 0; /* of this run */

    uint64_t max = s->config.max_coros;
    bool more = true;
    int status = 0;
    if (s->group != NULL) status = group_loop(s, fn, ctx, next, &blocked, &caller_mask);
    while (s->group == NULL && (more || s->alive > 0)) {
        /* 1. Start coroutines while slots are free, a batch at a time. */
        for (unsigned n = 0; more && s->alive < max && n < START_BATCH; n++) {
            uint64_t arg;
            if (!next(ctx, &arg)) {
                more = false;
            } else if ((status = start(s, fn, ctx, arg)) != 0) {
                more = false;
            }
        }
        bool can_start = more && s->alive < max;
        int64_t now = eb_now_ns();
        if (s->stats.first_wave_ns == 0 && !can_start) s->stats.first_wave_ns = now;

        bool fds = s->reactor != NULL && eb_reactor_waiting(s->reactor) > 0;
        if (s->heap_len == 0 && !fds) {
            /* Alive but not parked on a timer or an fd: suspended behind our back. */
            if (!can_start && s->alive > 0) {
                status = -EDEADLK;
                break;
            }
        } else if ((s->heap_len == 0 || s->heap[0].deadline_ns > now) && !can_start) {
            /* 2. Everyone parked and nothing due: one precise wait, for the
             * earliest timer or, with fds waited on, whichever comes first. */
            int64_t until = s->heap_len > 0 ? s->heap[0].deadline_ns : EB_WAIT_FOREVER;
            pthread_sigmask(SIG_SETMASK, &caller_mask, NULL);
            const eb_check_hook *released = eb_check_release(); /* a GIL is free meanwhile */
            int rc = fds ? run_ready_fds(s, until) : sleep_until(until);
            eb_check_reacquire(released);
            pthread_sigmask(SIG_BLOCK, &blocked, NULL);
            if (fds && rc != 0) {
                status = rc;
                break;
            }
            s->stats.sleeps++;
            now = window_ns = eb_now_ns();
        } else if (fds && (status = run_ready_fds(s, INT64_MIN)) != 0) {
            break; /* others are runnable: that was only a look at the fds */
        }

        /* 3. Resume every coroutine whose deadline has passed, earliest first;
         * one that parks again in this round waits for the next round. */
        uint64_t round = s->next_seq;
        size_t due;
        while ((due = pop_due(s, now, round)) > 0)
            for (size_t i = 0; i < due; i++)
                resume(s, s->due[i]);

        if (now - window_ns >= SIGNAL_WINDOW_NS) {
            pthread_sigmask(SIG_SETMASK, &caller_mask, NULL); /* pending ones run here */
            pthread_sigmask(SIG_BLOCK, &blocked, NULL);
            window_ns = now;
        }
    }

    pthread_sigmask(SIG_SETMASK, &caller_mask, NULL);
    if (previous_slack > 0) prctl(PR_SET_TIMERSLACK, (unsigned long)previous_slack, 0, 0, 0);
    eb_wait_set_ops(previous_ops);
    s->running = false;
    return status;
}

/* ---- life cycle ------------------------------------------------------------ */

#ifdef EB_SANITIZE_BUILD
#define GUARDED_STACK_BYTES ((size_t)256 << 10)
#define PACKED_STACK_BYTES ((size_t)64 << 10)
#else
#define GUARDED_STACK_BYTES ((size_t)64 << 10)
#define PACKED_STACK_BYTES ((size_t)4 << 10)
#endif

eb_sched_config eb_sched_default_config(eb_coro_backend backend, uint64_t max_coros)
{
    bool guarded = eb_stack_pool_guards_fit(max_coros);
    return (eb_sched_config){
        .backend = backend,
        .max_coros = max_coros,
        .stack_bytes = guarded ? GUARDED_STACK_BYTES : PACKED_STACK_BYTES,
        .guard = guarded ? EB_STACK_GUARD_ON : EB_STACK_GUARD_OFF,
    };
}

int eb_sched_create(const eb_sched_config *config, eb_sched **out)
{
    *out = NULL;
    if (config->max_coros == 0 || config->max_coros > UINT32_MAX) return -EINVAL;
    if (config->backend != EB_CORO_FCONTEXT && config->backend != EB_CORO_UCONTEXT) return -EINVAL;
    eb_sched *s = calloc(1, sizeof *s);
    if (s == NULL) return -ENOMEM;
    s->config = *config;
    s->heap_cap = (size_t)config->max_coros;
    s->heap = malloc(s->heap_cap * sizeof *s->heap);
    int rc = s->heap == NULL ? -ENOMEM : 0;
    if (rc == 0)
        rc = eb_stack_pool_init(&s->pool, config->max_coros, config->stack_bytes, config->guard);
    if (rc != 0) {
        free(s->heap);
        free(s);
        return rc;
    }
    s->wait_ops = (eb_wait_ops){.wait_until_ns = wait_op, .ctx = s, .wait_fd = wait_fd_op};
    *out = s;
    return 0;
}

static void member_free(eb_sched *s)
{
    eb_reactor_destroy(s->reactor);
    if (s->wake_fd >= 0) close(s->wake_fd);
    free(s->ring);
    eb_stack_pool_destroy(&s->pool);
    free(s->heap);
    free(s);
}

int eb_sched_group_create(const eb_sched_config *configs, unsigned count,
                          const eb_sched_group_config *gc, eb_sched_group **out)
{
    *out = NULL;
    if (count == 0) return -EINVAL;
    /* a member's heap and reactor may hold every coroutine of the group */
    uint64_t total = 0;
    for (unsigned i = 0; i < count; i++) {
        if (configs[i].max_coros == 0 || configs[i].max_coros > UINT32_MAX) return -EINVAL;
        total += configs[i].max_coros;
    }
    if (total >= UINT32_MAX) return -EINVAL;
    eb_sched_group *g = calloc(1, sizeof *g);
    if (g == NULL) return -ENOMEM;
    g->members = calloc(count, sizeof *g->members);
    if (g->members == NULL) {
        free(g);
        return -ENOMEM;
    }
    g->steal = gc == NULL || !gc->no_steal;
    int rc = 0;
    for (unsigned i = 0; i < count && rc == 0; i++) {
        eb_sched *s;
        if ((rc = eb_sched_create(&configs[i], &s)) != 0) break;
        s->wake_fd = -1;
        g->members[g->count++] = s;
        s->group = g;
        s->index = i;
        s->rng = 0x9e3779b97f4a7c15u * (i + 1);
        timer *heap = realloc(s->heap, (size_t)total * sizeof *heap);
        s->ring = aligned_alloc(64, sizeof *s->ring);
        if (heap != NULL) {
            s->heap = heap;
            s->heap_cap = (size_t)total;
        }
        if (heap == NULL || s->ring == NULL) {
            rc = -ENOMEM;
            break;
        }
        eb_run_ring_init(s->ring);
        s->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (s->wake_fd < 0) {
            rc = -errno;
            break;
        }
        eb_reactor_config rcfg = {.kind = configs[i].reactor,
                                  .capacity = (uint32_t)total + 1,
                                  .flags = configs[i].reactor_flags};
        if ((rc = eb_reactor_create(&rcfg, &s->reactor)) == 0) rc = arm_wake(s);
    }
    if (rc != 0) {
        eb_sched_group_destroy(g);
        return rc;
    }
    *out = g;
    return 0;
}

void eb_sched_group_destroy(eb_sched_group *g)
{
    if (g == NULL) return;
    for (unsigned i = 0; i < g->count; i++)
        member_free(g->members[i]);
    free(g->members);
    free(g);
}

eb_sched *eb_sched_group_member(eb_sched_group *g, unsigned index)
{
    return index < g->count ? g->members[index] : NULL;
}

unsigned eb_sched_group_size(const eb_sched_group *g)
{
    return g->count;
}

void eb_sched_destroy(eb_sched *s)
{
    if (s == NULL || s->group != NULL) return; /* a member goes with its group */
    eb_reactor_destroy(s->reactor);
    eb_stack_pool_destroy(&s->pool);
    free(s->heap);
    free(s);
}

eb_coro *eb_sched_current(const eb_sched *s)
{
    return s->current;
}

void eb_sched_get_stats(const eb_sched *s, eb_sched_stats *out)
{
    *out = s->stats;
}

const eb_stack_pool *eb_sched_pool(const eb_sched *s)
{
    return &s->pool;
}
