/* micro_hybrid.c — micro.hybrid/resume/<how>: what it costs the hybrid
 * executor to run a ready coroutine on another thread, against running it on
 * the thread where its wait ended. One coroutine is passed around through the
 * scheduler's rings of ready coroutines (run_ring.h), exactly as the group
 * moves them:
 *  - same_thread: the thread queues it, takes it back and resumes it;
 *  - cross_thread_spin: two threads on two cores pass it back and forth, each
 *    stealing it from the other's ring while spinning (a steal, the
 *    coroutine's cache lines moving across, its resumption);
 *  - cross_thread_wake: the same, but the receiver sleeps and the sender
 *    wakes it through an eventfd, as a group wakes an idle member.
 * Every resumption the coroutine answers ~token; a missing or out-of-turn
 * answer fails the run. Counter ns_per_resume: wall time per resumption,
 * hand-off included. */
#include "coro.h"
#include "micro.h"
#include "run_ring.h"
#include "wait.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define STACK_BYTES (64 * 1024)

typedef enum { SAME_THREAD, CROSS_SPIN, CROSS_WAKE } hand_off;

typedef struct ball {
    eb_coro co;
    _Atomic bool stop;
    int64_t token;
    int64_t turns; /* resumptions answered */
} ball;

static void answer(void *ctx, uint64_t arg)
{
    (void)arg;
    ball *b = ctx;
    eb_coro_suspend(&b->co); /* ready */
    while (!atomic_load_explicit(&b->stop, memory_order_relaxed)) {
        b->token = ~b->token;
        b->turns++;
        eb_coro_suspend(&b->co);
    }
}

/* One side of a cross-thread pass: its ring, its wake-up, its peer's ring. */
typedef struct side {
    eb_run_ring ring;  /* where it queues the coroutine for the peer */
    eb_run_ring inbox; /* where it steals into: its own, so that the peer cannot
                          take the coroutine back before it ran here */
    int wake_fd;
    struct side *peer;
    ball *b;
    hand_off how;
    unsigned core;
    _Atomic bool done;
    int pin_rc;
    int64_t rounds; /* what the coroutine must have answered after this side */
} side;

/* Takes the coroutine from the peer's ring, waiting as `how` says. */
static eb_coro *receive(side *me)
{
    for (;;) {
        if (eb_run_ring_steal(&me->peer->ring, &me->inbox) > 0) return eb_run_ring_pop(&me->inbox);
        if (atomic_load_explicit(&me->done, memory_order_relaxed)) return NULL;
        if (me->how == CROSS_WAKE) {
            uint64_t n;
            if (read(me->wake_fd, &n, sizeof n) < 0 && errno != EAGAIN) return NULL;
        }
    }
}

static void send_to_peer(side *me, eb_coro *co)
{
    eb_run_ring_push(&me->ring, co);
    if (me->how == CROSS_WAKE) {
        uint64_t one = 1;
        if (write(me->peer->wake_fd, &one, sizeof one) != sizeof one) abort();
    }
}

/* The partner thread: receive, resume, send back, until told to stop. */
static void *partner(void *raw)
{
    side *me = raw;
    me->pin_rc = micro_pin_core(me->core);
    eb_coro *co;
    while ((co = receive(me)) != NULL) {
        eb_coro_resume(co);
        send_to_peer(me, co);
    }
    return NULL;
}

static void stop_partner(side *other)
{
    atomic_store(&other->done, true);
    uint64_t one = 1;
    if (write(other->wake_fd, &one, sizeof one) != sizeof one) abort();
}

static void bm_resume(eb_state *s, void *arg)
{
    hand_off how = (hand_off)(uintptr_t)arg;
    if (how != SAME_THREAD && micro_skip_without_two_cores(s)) return;
    if (!micro_pin_or_fail(s, 0)) return;
    side *sides = aligned_alloc(64, 2 * sizeof *sides);
    ball *b = calloc(1, sizeof *b);
    void *stack = aligned_alloc(64, STACK_BYTES);
    if (sides == NULL || b == NULL || stack == NULL) {
        micro_fail(s, "no memory");
        free(sides);
        free(b);
        free(stack);
        return;
    }
    memset(sides, 0, 2 * sizeof *sides);
    for (int i = 0; i < 2; i++) {
        eb_run_ring_init(&sides[i].ring);
        eb_run_ring_init(&sides[i].inbox);
        sides[i].wake_fd = eventfd(0, how == CROSS_WAKE ? 0 : EFD_NONBLOCK);
        sides[i].peer = &sides[1 - i];
        sides[i].b = b;
        sides[i].how = how;
        sides[i].core = (unsigned)i;
    }
    int rc = eb_coro_init(&b->co, EB_CORO_FCONTEXT, stack, STACK_BYTES, answer, b, 0);
    if (rc != 0 || sides[0].wake_fd < 0 || sides[1].wake_fd < 0) {
        micro_fail(s, "could not set up: %s", strerror(rc != 0 ? -rc : errno));
        goto out;
    }
    eb_coro_resume(&b->co);
    pthread_t thread;
    if (how != SAME_THREAD && (rc = pthread_create(&thread, NULL, partner, &sides[1])) != 0) {
        micro_fail(s, "could not create the partner thread: %s", strerror(rc));
        goto out;
    }
    side *me = &sides[0];
    int64_t rounds = 0, wrong = 0, resumes = 0, n, start = eb_now_ns();
    while ((n = eb_state_keep_running_batch(s, 64)) > 0) {
        for (int64_t i = 0; i < n; i++, rounds++) {
            int64_t token = b->token;
            if (how == SAME_THREAD) {
                eb_run_ring_push(&me->ring, &b->co);
                eb_coro *co = eb_run_ring_pop(&me->ring);
                eb_coro_resume(co);
                resumes++;
                wrong += b->token != ~token;
            } else {
                /* here, then there: two resumptions, two hand-offs */
                eb_coro_resume(&b->co);
                send_to_peer(me, &b->co);
                eb_coro *co = receive(me);
                if (co == NULL) break;
                resumes += 2;
                wrong += b->token != token; /* flipped twice */
            }
        }
    }
    int64_t elapsed = eb_now_ns() - start;
    if (how != SAME_THREAD) {
        stop_partner(&sides[1]);
        pthread_join(thread, NULL);
        if (sides[1].pin_rc != 0)
            micro_fail(s, "could not pin the partner to core 1: %s", strerror(-sides[1].pin_rc));
    }
    if (wrong != 0 || b->turns != resumes)
        micro_fail(s, "the coroutine answered %lld of %lld resumptions, %lld out of turn",
                   (long long)b->turns, (long long)resumes, (long long)wrong);
    else if (resumes > 0)
        eb_state_counter(s, "ns_per_resume", (double)elapsed / (double)resumes, EB_COUNTER_DEFAULT);
    atomic_store(&b->stop, true);
    eb_coro_resume(&b->co); /* on this thread: it finishes */
    if (!eb_coro_finished(&b->co)) micro_fail(s, "the coroutine did not finish when told to");
out:
    for (int i = 0; i < 2; i++)
        if (sides[i].wake_fd >= 0) close(sides[i].wake_fd);
    free(sides);
    free(b);
    free(stack);
}

void micro_hybrid_register(void)
{
    eb_bench_register("micro.hybrid/resume/same_thread", bm_resume, (void *)(uintptr_t)SAME_THREAD);
    /* The hand-offs block or spin on another thread: wall time drives. */
    eb_bench_timing(eb_bench_register("micro.hybrid/resume/cross_thread_spin", bm_resume,
                                      (void *)(uintptr_t)CROSS_SPIN),
                    EB_TIMING_REAL);
    eb_bench_timing(eb_bench_register("micro.hybrid/resume/cross_thread_wake", bm_resume,
                                      (void *)(uintptr_t)CROSS_WAKE),
                    EB_TIMING_REAL);
}
