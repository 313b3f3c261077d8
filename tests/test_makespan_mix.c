/* test_makespan_mix.c — the ideal of mixed work (makespan_mix.h) against an
 * exhaustive search of every schedule on small cases, and its two limits:
 * pure waiting and pure CPU. */
#include "eb_test.h"
#include "makespan_mix.h"

#include <errno.h>
#include <math.h>

/* ---- exhaustive search -------------------------------------------------------
 * Integer durations, time in unit steps: at every step any unstarted tasks may
 * start their wait while slots are free, and any task whose wait is over may
 * start its CPU part while processors are free (non-preemptive, identical
 * processors, a task holds its slot until its CPU part ends). Idling is
 * allowed at every step, so every schedule with integer start times is
 * reached; with integer durations one of those is optimal. */

#define MAX_N 4

enum { UNSTARTED, WAITING, READY, COMPUTING, DONE };

typedef struct brute {
    int n, wait, slots, procs;
    int cost[MAX_N];
    int best;
} brute;

static int remaining_bound(const brute *b, const int *phase, const int *end, int t)
{
    int lb = t;
    for (int i = 0; i < b->n; i++) {
        int need = phase[i] == UNSTARTED   ? t + b->wait + b->cost[i]
                   : phase[i] == WAITING   ? end[i] + b->cost[i]
                   : phase[i] == READY     ? t + b->cost[i]
                   : phase[i] == COMPUTING ? end[i]
                                           : t;
        if (need > lb) lb = need;
    }
    return lb;
}

static void search(brute *b, int *phase, int *end, int t);

/* Chooses which ready tasks start computing (from task i on), then steps. */
static void choose_cpu(brute *b, int *phase, int *end, int t, int i, int procs_free)
{
    if (i == b->n) {
        search(b, phase, end, t + 1);
        return;
    }
    choose_cpu(b, phase, end, t, i + 1, procs_free);
    if (phase[i] == READY && procs_free > 0) {
        phase[i] = COMPUTING;
        end[i] = t + b->cost[i];
        choose_cpu(b, phase, end, t, i + 1, procs_free - 1);
        phase[i] = READY;
    }
}

/* Chooses which unstarted tasks start waiting (from task i on). */
static void choose_starts(brute *b, int *phase, int *end, int t, int i, int slots_free,
                          int procs_free)
{
    if (i == b->n) {
        choose_cpu(b, phase, end, t, 0, procs_free);
        return;
    }
    choose_starts(b, phase, end, t, i + 1, slots_free, procs_free);
    if (phase[i] == UNSTARTED && slots_free > 0) {
        phase[i] = b->wait == 0 ? READY : WAITING;
        end[i] = t + b->wait;
        choose_starts(b, phase, end, t, i + 1, slots_free - 1, procs_free);
        phase[i] = UNSTARTED;
    }
}

static void search(brute *b, int *phase, int *end, int t)
{
    int saved_phase[MAX_N], saved_end[MAX_N];
    memcpy(saved_phase, phase, sizeof saved_phase);
    memcpy(saved_end, end, sizeof saved_end);
    int busy_slots = 0, busy_procs = 0, done = 0;
    for (int i = 0; i < b->n; i++) {
        if (phase[i] == WAITING && end[i] <= t) phase[i] = READY;
        if (phase[i] == COMPUTING && end[i] <= t) phase[i] = DONE;
        busy_slots += phase[i] == WAITING || phase[i] == READY || phase[i] == COMPUTING;
        busy_procs += phase[i] == COMPUTING;
        done += phase[i] == DONE;
    }
    if (done == b->n) {
        if (t < b->best) b->best = t;
    } else if (remaining_bound(b, phase, end, t) < b->best) {
        choose_starts(b, phase, end, t, 0, b->slots - busy_slots, b->procs - busy_procs);
    }
    memcpy(phase, saved_phase, sizeof saved_phase);
    memcpy(end, saved_end, sizeof saved_end);
}

static int brute_force(brute *b)
{
    int phase[MAX_N] = {0}, end[MAX_N] = {0};
    b->best = 0;
    for (int i = 0; i < b->n; i++)
        b->best += b->wait + b->cost[i];
    b->best++; /* one after another is a schedule: the search finds it or better */
    search(b, phase, end, 0);
    return b->best;
}

static uint64_t cost_of(uint64_t task, const void *arg)
{
    return (uint64_t)((const int *)arg)[task];
}

EB_TEST(mix_bound_never_exceeds_the_best_schedule_and_is_exact_where_it_says)
{
    uint64_t rng = 12345;
    int cases = 0, exact = 0, tight = 0;
    for (int n = 1; n <= MAX_N; n++) {
        for (int wait = 0; wait <= 3; wait += 1 + (wait == 1)) { /* 0, 1, 3 */
            for (int slots = 1; slots <= n; slots++) {
                for (int procs = 1; procs <= 3; procs++) {
                    for (int draw = 0; draw < 3; draw++) {
                        brute b = {.n = n, .wait = wait, .slots = slots, .procs = procs};
                        for (int i = 0; i < n; i++) {
                            rng = rng * 6364136223846793005u + 1442695040888963407u;
                            b.cost[i] = 1 + (int)((rng >> 33) % 3);
                        }
                        int best = brute_force(&b);
                        eb_mix_bound m;
                        int rc = eb_mix_bound_compute((uint64_t)n, wait, 1.0, cost_of, b.cost,
                                                      (uint64_t)slots, (unsigned)procs,
                                                      (unsigned)procs, false, &m);
                        EB_REQUIRE(rc == 0);
                        cases++;
                        EB_CHECKF(m.ns <= best + 1e-9,
                                  "n %d wait %d slots %d procs %d costs %d,%d,%d,%d: bound %.1f > "
                                  "best %d",
                                  n, wait, slots, procs, b.cost[0], b.cost[1], b.cost[2], b.cost[3],
                                  m.ns, best);
                        if (m.exact) {
                            exact++;
                            EB_CHECKF(fabs(m.ns - best) < 1e-9,
                                      "n %d wait %d slots %d procs %d: exact %.1f, best %d", n,
                                      wait, slots, procs, m.ns, best);
                        }
                        tight += fabs(m.ns - best) < 1e-9;
                    }
                }
            }
        }
    }
    fprintf(stderr, "%d cases: %d claimed exact, %d tight\n", cases, exact, tight);
    EB_CHECK(exact > cases / 4);
}

/* ---- the limits ---------------------------------------------------------------- */

EB_TEST(pure_waiting_is_rounds_of_the_wait)
{
    eb_mix_bound m;
    /* no CPU at all: ceil(160 / 5) x 10 ms on 5 slots, 10 ms with a slot each */
    static const int zero[160] = {0};
    EB_REQUIRE(eb_mix_bound_compute(160, 10000000, 1.0, cost_of, zero, 5, 5, 2, true, &m) == 0);
    EB_CHECKF(m.ns == 32 * 10000000.0 && m.slots_decide && m.slots == 5, "%.0f", m.ns);
    EB_REQUIRE(eb_mix_bound_compute(160, 10000000, 1.0, cost_of, zero, 0, 1, 2, true, &m) == 0);
    EB_CHECK(m.ns == 10000000.0 && m.exact && !m.slots_decide && m.slots == 160);
}

EB_TEST(pure_cpu_is_the_best_schedule_of_the_cpu_parts)
{
    eb_mix_bound m;
    /* 3 + 3 | 2 + 2 + 2 on two cores: 6 units of 1 ms */
    static const int costs[] = {3, 3, 2, 2, 2};
    EB_REQUIRE(eb_mix_bound_compute(5, 0, 1e6, cost_of, costs, 0, 2, 2, true, &m) == 0);
    EB_CHECKF(fabs(m.ns - 6e6) < 1 && m.exact, "%.0f", m.ns);
    /* one thread computes (the coroutine executor): all 12 units */
    EB_REQUIRE(eb_mix_bound_compute(5, 0, 1e6, cost_of, costs, 0, 1, 2, true, &m) == 0);
    EB_CHECK(fabs(m.ns - 12e6) < 1 && m.exact);
}

static uint64_t sumsq_cost(uint64_t task, const void *arg)
{
    (void)arg;
    return 5000000 + task;
}

/* Issue 15's point: 1,000 tasks of 10 ms + 5,000,000 + i elements. */
EB_TEST(issue_sized_jobs_get_their_ideal_per_executor)
{
    const double u = 0.86; /* ns per element */
    double total = 0;
    for (uint64_t i = 0; i < 1000; i++)
        total += (double)sumsq_cost(i, NULL) * u;
    eb_mix_bound m;
    /* hybrid, unbounded on 2 threads: the waits together, then half the work */
    EB_REQUIRE(eb_mix_bound_compute(1000, 10000000, u, sumsq_cost, NULL, 0, 2, 2, true, &m) == 0);
    EB_CHECKF(fabs(m.ns - (10e6 + total / 2)) < total * 1e-6 && m.exact, "%.0f", m.ns);
    /* coroutine: the waits together, then all the work on one thread */
    EB_REQUIRE(eb_mix_bound_compute(1000, 10000000, u, sumsq_cost, NULL, 0, 1, 2, true, &m) == 0);
    EB_CHECK(fabs(m.ns - (10e6 + total)) < total * 1e-6 && m.exact);
    /* a pool of 2 processes: each does 500 tasks one after another */
    EB_REQUIRE(eb_mix_bound_compute(1000, 10000000, u, sumsq_cost, NULL, 2, 2, 2, true, &m) == 0);
    EB_CHECKF(m.slots_decide && fabs(m.ns - (500 * 10e6 + total / 2)) < total * 1e-5, "%.0f", m.ns);
    /* sequential: everything in a row, exactly */
    EB_REQUIRE(eb_mix_bound_compute(1000, 10000000, u, sumsq_cost, NULL, 1, 1, 2, true, &m) == 0);
    EB_CHECK(m.exact && fabs(m.ns - (1000 * 10e6 + total)) < 1000);
}

EB_TEST(mix_bound_rejects_what_it_cannot_bound)
{
    eb_mix_bound m;
    EB_CHECK(eb_mix_bound_compute(0, 1, 1.0, NULL, NULL, 0, 1, 1, true, &m) == -EINVAL);
    EB_CHECK(eb_mix_bound_compute(4, -1, 1.0, NULL, NULL, 0, 1, 1, true, &m) == -EINVAL);
    EB_CHECK(eb_mix_bound_compute(4, 1, NAN, NULL, NULL, 0, 1, 1, true, &m) == -EINVAL);
    EB_CHECK(eb_mix_bound_compute(4, 1, 1.0, NULL, NULL, 0, 0, 1, true, &m) == -EINVAL);
    EB_CHECK(eb_mix_bound_compute(4, 1, 1.0, NULL, NULL, 0, 1, 0, true, &m) == -EINVAL);
}
