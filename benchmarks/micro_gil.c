/* micro_gil.c — micro.gil/handoff/interval_us:N: two threads on two cores,
 * both computing with a check point every block, pass the GIL emulation
 * (runner/gil) back and forth at its switch interval, with forced switching,
 * as two CPU-bound CPython threads do. One iteration is one hand-off.
 * Counters: ns_per_handoff (wall time per hand-off: about the interval, since
 * the waiter asks only once it has passed) and overhead_ns_per_handoff (what
 * is left once the interval is taken off: the drop, the wake-up of the
 * waiter, its take and the forced wait). A section between two check points
 * that ever sees the other thread inside fails the run, as does a run without
 * hand-offs. */
#include "gil.h"
#include "micro.h"
#include "wait.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

typedef struct gil_pair {
    eb_gil *gil;
    _Atomic bool stop;
    _Atomic int inside;
    _Atomic int64_t overlaps;
    int pin_rc;
} gil_pair;

/* One section: nobody else may be inside until the next check point. */
static void section(gil_pair *p)
{
    if (atomic_fetch_add(&p->inside, 1) != 0) atomic_fetch_add(&p->overlaps, 1);
    for (int i = 0; i < 256; i++) {
        int x = i;
        __asm__ volatile("" : "+r"(x));
    }
    atomic_fetch_sub(&p->inside, 1);
}

static void *other_thread(void *raw)
{
    gil_pair *p = raw;
    p->pin_rc = micro_pin_core(1);
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); /* a 100 us interval, not 150 */
    eb_gil_thread me;
    eb_gil_attach(p->gil, &me);
    while (!atomic_load_explicit(&p->stop, memory_order_relaxed)) {
        section(p);
        eb_check_point();
    }
    eb_gil_detach(&me);
    return NULL;
}

static void bm_handoff(eb_state *s, void *arg)
{
    int64_t interval_us = (int64_t)(uintptr_t)arg;
    if (micro_skip_without_two_cores(s)) return;
    if (!micro_pin_or_fail(s, 0)) return;
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    gil_pair p = {0};
    eb_gil_config config = {.interval_us = interval_us};
    int rc = eb_gil_create(&config, &p.gil);
    if (rc != 0) {
        micro_fail(s, "could not create the GIL: %s", strerror(-rc));
        return;
    }
    eb_gil_thread me;
    eb_gil_attach(p.gil, &me);
    pthread_t thread;
    if ((rc = pthread_create(&thread, NULL, other_thread, &p)) != 0) {
        micro_fail(s, "could not create the other thread: %s", strerror(rc));
        eb_gil_detach(&me);
        eb_gil_destroy(p.gil);
        return;
    }
    eb_gil_stats before;
    eb_gil_get_stats(p.gil, &before);
    int64_t n, start = eb_now_ns();
    uint64_t mine = me.handoffs;
    while ((n = eb_state_keep_running_batch(s, 1)) > 0) {
        /* until this thread has given it away once (and had it back) */
        while (me.handoffs == mine) {
            section(&p);
            eb_check_point();
        }
        mine = me.handoffs;
    }
    int64_t elapsed = eb_now_ns() - start;
    eb_gil_stats after;
    eb_gil_get_stats(p.gil, &after);
    atomic_store(&p.stop, true);
    eb_gil_detach(&me);
    pthread_join(thread, NULL);
    eb_gil_stats run = eb_gil_stats_since(&before, &after);
    if (p.pin_rc != 0) {
        micro_fail(s, "could not pin the other thread to core 1: %s", strerror(-p.pin_rc));
    } else if (atomic_load(&p.overlaps) != 0) {
        micro_fail(s, "two threads held the GIL at once %lld times",
                   (long long)atomic_load(&p.overlaps));
    } else if (run.handoffs == 0) {
        micro_fail(s, "the GIL never changed hands");
    } else {
        double per = (double)elapsed / (double)run.handoffs;
        eb_state_counter(s, "ns_per_handoff", per, EB_COUNTER_DEFAULT);
        eb_state_counter(s, "overhead_ns_per_handoff", per - (double)interval_us * 1000.0,
                         EB_COUNTER_DEFAULT);
        eb_state_counter(s, "forced_waits_per_handoff",
                         (double)run.forced_waits / (double)run.handoffs, EB_COUNTER_DEFAULT);
    }
    eb_gil_destroy(p.gil);
}

void micro_gil_register(void)
{
    static const int64_t intervals_us[] = {EB_GIL_DEFAULT_INTERVAL_US, 100};
    for (size_t i = 0; i < sizeof intervals_us / sizeof *intervals_us; i++) {
        char name[64];
        snprintf(name, sizeof name, "micro.gil/handoff/interval_us:%lld",
                 (long long)intervals_us[i]);
        eb_bench_timing(eb_bench_register(name, bm_handoff, (void *)(uintptr_t)intervals_us[i]),
                        EB_TIMING_REAL);
    }
}
