/* sched_group.c — a group of schedulers (M:N, the hybrid executor): one loop
 * per thread, ready coroutines shared. See scheduler.h and sched_internal.h. */
#include "sched_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* Ready coroutines run from the ring at most this many at a time before the
 * loop starts new ones and moves due timers again. */
#define RUN_BATCH 64

/* When every member sleeps with nothing to wait for, one of them looks again
 * after this long; nothing moved meanwhile means coroutines were suspended
 * outside a wait: -EDEADLK, as the one-thread loop reports. */
#define STALL_CHECK_NS 50000000

/* A member's sleep state (eb_sched.sleeping). */
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

/* co finished on s: its stack goes back to the pool it came from. */
void eb_sched_group_finished(eb_sched *s, eb_coro *co)
{
    sched_coro *c = eb_sched_meta(co);
    eb_sched *home = eb_sched_coros_move(s) ? c->home : s; /* COPY: it never left */
    if (home == s) {
        eb_sched_give_stack(s, co);
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
    s->finished_unsaid++; /* said to the group a batch at a time */
}

/* Takes back the stacks of this pool's coroutines that finished elsewhere. */
static void drain_returned(eb_sched *s)
{
    sched_coro *c = atomic_exchange_explicit(&s->returned, NULL, memory_order_acquire);
    while (c != NULL) {
        sched_coro *next = c->next_returned;
        eb_sched_give_stack(s, &c->co);
        c = next;
    }
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
        uint32_t n = eb_run_ring_steal(victim->runq, s->runq);
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
        if (g->members[i] != s && eb_run_ring_len(g->members[i]->runq) > 0) return true;
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
        *eb_sched_fd_result(s, co) = s->ready[i].result;
        eb_run_ring_push(s->runq, co); /* max was the ring's room */
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
    uint32_t room = eb_run_ring_room(s->runq);
    while (room >= WAKE_BATCH) {
        size_t n = eb_sched_pop_due(s, now, UINT64_MAX);
        for (size_t i = 0; i < n; i++)
            eb_run_ring_push(s->runq, s->due[i]);
        room -= (uint32_t)n;
        if (n < WAKE_BATCH) break;
    }
}

/* Resumes up to RUN_BATCH ready coroutines from the ring; whether any ran. */
static bool run_ready(eb_sched *s)
{
    bool ran = false;
    for (unsigned n = 0; n < RUN_BATCH; n++) {
        eb_coro *co = eb_run_ring_pop(s->runq);
        if (co == NULL) break;
        eb_sched_resume(s, co);
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
    const timer *first = eb_sched_timer_first(s);
    bool empty = first == NULL && eb_reactor_waiting(s->reactor) <= (uint32_t)s->wake_armed;
    atomic_store(&s->sleeping, empty ? ASLEEP_EMPTY : ASLEEP);
    atomic_fetch_add(&g->sleepers, 1); /* pairs with announce(): see there */
    bool stalled = empty && atomic_fetch_add(&g->empty_sleepers, 1) + 1 == g->count;
    bool work = atomic_load(&g->status) != 0 || (!more && atomic_load(&g->alive) == 0) ||
                atomic_load(&s->returned) != NULL || (g->steal && others_have_ready(s));
    int rc = 0;
    if (!work) {
        int64_t until = first != NULL ? first->deadline_ns : EB_WAIT_FOREVER;
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

EB_SCHED_LOOP int eb_sched_group_loop(eb_sched *s, eb_coro_fn fn, void *ctx, eb_sched_next_fn next,
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
                if ((status = eb_sched_start(s, fn, ctx, arg)) != 0) {
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
            int rc = poll_fds(s, INT64_MIN, eb_run_ring_room(s->runq));
            if (rc != 0 && status == 0) status = rc;
        }
        if (g->steal && eb_run_ring_len(s->runq) > 1) wake_one(s);

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
        const timer *first = eb_sched_timer_first(s);
        if (first != NULL && first->deadline_ns <= eb_now_ns()) continue;
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

static void member_free(eb_sched *s)
{
    eb_reactor_destroy(s->reactor);
    if (s->wake_fd >= 0) close(s->wake_fd);
    free(s->runq);
    free(s->fd_result);
    free(s->ready);
    eb_coro_stacks_destroy(&s->stacks);
    eb_timer_store_give(&s->timers);
    free(s);
}

int eb_sched_group_create(const eb_sched_config *configs, unsigned count,
                          const eb_sched_group_config *gc, eb_sched_group **out)
{
    *out = NULL;
    if (count == 0) return -EINVAL;
    /* a member's timers and reactor may hold every coroutine of the group */
    uint64_t total = 0;
    for (unsigned i = 0; i < count; i++) {
        if (configs[i].max_coros == 0 || configs[i].max_coros > UINT32_MAX) return -EINVAL;
        /* one mode for all: COPY ones never move, SEPARATE ones may */
        if (configs[i].stack_mode != configs[0].stack_mode) return -ENOTSUP;
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
    /* A COPY coroutine's frames hold its run stack's addresses (coro.h): it
     * cannot resume on another member's run stack, so a COPY group spreads
     * only new coroutines (through next()) and steals none. */
    bool copy = configs[0].stack_mode == EB_CORO_STACK_COPY;
    g->steal = !copy && (gc == NULL || !gc->no_steal);
    int rc = 0;
    for (unsigned i = 0; i < count && rc == 0; i++) {
        eb_sched *s;
        if ((rc = eb_sched_create_with(&configs[i], copy ? 0 : sizeof(sched_coro), &s)) != 0) break;
        g->members[g->count++] = s;
        s->group = g;
        s->index = i;
        s->rng = 0x9e3779b97f4a7c15u * (i + 1);
        if ((rc = eb_sched_timers_take(s, total)) != 0) break; /* room for all */
        if (copy && (s->fd_result = malloc(configs[i].max_coros * sizeof *s->fd_result)) == NULL) {
            rc = -ENOMEM;
            break;
        }
        s->runq = aligned_alloc(64, sizeof *s->runq);
        s->ready = malloc(READY_BATCH * sizeof *s->ready);
        if (s->runq == NULL || s->ready == NULL) {
            rc = -ENOMEM;
            break;
        }
        eb_run_ring_init(s->runq);
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
