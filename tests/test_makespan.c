/* test_makespan.c — the best schedule of whole tasks, which the CPU ideal
 * scales the sequential median by: known optima (one task, near-equal sums,
 * an instance LPT gets wrong), every small instance against a brute force,
 * pinned and unpinned workers beyond the cores, and the bound for jobs too
 * large to search. */
#include "eb_test.h"
#include "makespan.h"

#include <errno.h>
#include <stdint.h>

typedef struct costs {
    const uint64_t *list; /* NULL: base + task, like cpu.sumsq's n + i */
    uint64_t base;
} costs;

static uint64_t cost_of(uint64_t task, const void *arg)
{
    const costs *c = arg;
    return c->list != NULL ? c->list[task] : c->base + task;
}

static bool pinned = true; /* as execbench's default pin policy, compact */

static eb_makespan bound(uint64_t tasks, unsigned workers, unsigned cores, const costs *c)
{
    eb_makespan ms;
    EB_REQUIRE(
        eb_makespan_bound(tasks, workers, cores, pinned, c != NULL ? cost_of : NULL, c, &ms) == 0);
    EB_CHECK(ms.found < 0 || ms.found >= ms.units);
    return ms;
}

EB_TEST(one_task_cannot_be_split)
{
    costs c = {.base = 5000000};
    eb_makespan ms = bound(1, 2, 2, &c);
    EB_CHECKF(ms.units == 5000000 && ms.total == 5000000, "%.0f of %.0f", ms.units, ms.total);
    EB_CHECK(ms.optimal && !ms.cores_decide && ms.workers == 1);
}

EB_TEST(three_sums_on_two_workers_take_two_of_them)
{
    const uint64_t n = 5000000;
    costs c = {.base = n};
    eb_makespan ms = bound(3, 2, 2, &c);
    /* {n + 2} and {n, n + 1}: the worker with two tasks decides */
    EB_CHECKF(ms.units == (double)(2 * n + 1) && ms.total == (double)(3 * n + 3), "%.0f of %.0f",
              ms.units, ms.total);
    EB_CHECK(ms.optimal);
}

EB_TEST(twenty_sums_split_as_evenly_as_whole_tasks_allow)
{
    const uint64_t n = 5000000;
    costs c = {.base = n};
    /* 2 workers: pairs (i, 19 - i) give each exactly half */
    eb_makespan two = bound(20, 2, 2, &c);
    EB_CHECK(two.optimal && two.units == (double)(10 * n + 95) &&
             two.total == (double)(20 * n + 190));
    /* 3 workers: 7 + 7 + 6 tasks; the six largest (14..19) alone, 0..13
     * (sum 91) split 45 / 46: 7n + 46, above total / 3 */
    eb_makespan three = bound(20, 3, 4, &c);
    EB_CHECKF(three.optimal && three.units == (double)(7 * n + 46), "%.0f (optimal %d)",
              three.units, three.optimal);
    /* 4 workers: 5 each, pairs again */
    eb_makespan four = bound(20, 4, 4, &c);
    EB_CHECK(four.optimal && four.units == (double)(5 * n + 48));
}

EB_TEST(the_best_schedule_beats_longest_task_first)
{
    /* LPT puts 3 | 3, then 2, 2 on each and the last 2 makes 7; 3 + 3 | 2 + 2 + 2 is 6 */
    static const uint64_t list[] = {3, 3, 2, 2, 2};
    costs c = {.list = list};
    eb_makespan ms = bound(5, 2, 2, &c);
    EB_CHECKF(ms.units == 6 && ms.found == 6 && ms.optimal, "%.0f, found %.0f", ms.units, ms.found);
}

/* The best schedule by trying every assignment of tasks to workers. */
static uint64_t brute_force(const uint64_t *w, unsigned n, unsigned m)
{
    uint64_t best = UINT64_MAX, combos = 1;
    for (unsigned i = 0; i < n; i++)
        combos *= m;
    for (uint64_t code = 0; code < combos; code++) {
        uint64_t load[8] = {0}, c = code, longest = 0;
        for (unsigned i = 0; i < n; i++, c /= m)
            load[c % m] += w[i];
        for (unsigned j = 0; j < m; j++)
            if (load[j] > longest) longest = load[j];
        if (longest < best) best = longest;
    }
    return best;
}

EB_TEST(every_small_instance_matches_a_brute_force)
{
    uint64_t state = 0x9e3779b97f4a7c15u; /* xorshift: the same instances every run */
    unsigned checked = 0;
    for (unsigned round = 0; round < 400; round++) {
        state ^= state << 13, state ^= state >> 7, state ^= state << 17;
        unsigned n = 1 + (unsigned)(state % 8), m = 1 + (unsigned)((state >> 8) % 4);
        uint64_t spread = (state >> 16) % 2 ? 10 : 1000; /* ties, and distinct sizes */
        uint64_t w[8];
        for (unsigned i = 0; i < n; i++) {
            state ^= state << 13, state ^= state >> 7, state ^= state << 17;
            w[i] = 1 + state % spread;
        }
        costs c = {.list = w};
        eb_makespan ms = bound(n, m, 8, &c);
        uint64_t want = brute_force(w, n, m);
        EB_CHECKF(ms.optimal && ms.units == (double)want,
                  "round %u: %u tasks on %u workers: %.0f (optimal %d), brute force %llu", round, n,
                  m, ms.units, ms.optimal, (unsigned long long)want);
        checked++;
    }
    EB_CHECK(checked == 400);
}

EB_TEST(a_search_that_runs_out_keeps_a_bound_no_schedule_beats)
{
    /* 24 sums of n + i on 8 workers: 8 triples of 0..23 summing to 34 or 35
     * exist, e.g. (23, 0, 11) (22, 1, 12) (21, 3, 10) (20, 5, 9) (19, 7, 8)
     * (18, 2, 15) (17, 4, 14) (16, 6, 13), so the best schedule is 3n + 35;
     * the search may not prove it within its budget, but whatever it
     * answers is neither above that schedule nor below the bound. */
    const uint64_t n = 5000000;
    costs c = {.base = n};
    eb_makespan ms = bound(24, 8, 8, &c);
    EB_CHECKF(ms.units == (double)(3 * n + 35), "%.0f", ms.units);
    EB_CHECK(ms.found >= ms.units && ms.found - ms.units < 10);
    EB_CHECK(!ms.optimal || ms.found == ms.units);
}

EB_TEST(pinned_workers_beyond_the_cores_take_turns)
{
    /* 3 sums on 3 workers pinned to 2 cores: two of them share a core, so
     * the tasks are in effect shared out among 2 places: 2n + 1 */
    const uint64_t n = 5000000;
    costs c = {.base = n};
    eb_makespan ms = bound(3, 3, 2, &c);
    EB_CHECKF(ms.units == (double)(2 * n + 1) && ms.workers == 2 && ms.optimal && !ms.cores_decide,
              "%.0f on %u", ms.units, ms.workers);
}

EB_TEST(unpinned_workers_beyond_the_cores_share_them)
{
    pinned = false;
    /* 3 equal tasks, 3 unpinned workers, 2 cores: time-slicing can finish
     * all three at 1.5 tasks' time, before any assignment of whole tasks to
     * the 2 cores (2) */
    eb_makespan ms = bound(3, 3, 2, NULL);
    EB_CHECKF(ms.units == 1.5 && ms.total == 3 && ms.cores_decide && !ms.optimal, "%.2f", ms.units);
    /* one task still cannot be split, however many workers and cores */
    costs c = {.base = 100};
    eb_makespan one = bound(1, 4, 2, &c);
    EB_CHECK(one.units == 100 && !one.cores_decide && one.optimal);
    /* 4 equal tasks on 4 workers, 2 cores: total / 2 */
    eb_makespan four = bound(4, 4, 2, NULL);
    EB_CHECK(four.units == 2 && four.cores_decide);
    /* as many workers as cores: the same as pinned */
    eb_makespan two = bound(3, 2, 2, NULL);
    EB_CHECK(two.units == 2 && two.optimal && !two.cores_decide);
}

EB_TEST(equal_tasks_take_ceil_tasks_over_workers)
{
    eb_makespan few = bound(20, 3, 4, NULL);
    EB_CHECK(few.units == 7 && few.total == 20 && few.optimal);
    /* beyond the search: still exact, from the count alone */
    eb_makespan many = bound(EB_MAKESPAN_SEARCH_MAX_TASKS * 3 + 1, 3, 4, NULL);
    EB_CHECKF(many.units == EB_MAKESPAN_SEARCH_MAX_TASKS + 1 && many.optimal, "%.0f", many.units);
}

EB_TEST(jobs_too_large_to_search_get_a_lower_bound)
{
    const uint64_t n = 1000000000, tasks = EB_MAKESPAN_SEARCH_MAX_TASKS + 4;
    costs c = {.base = n};
    eb_makespan ms = bound(tasks, 3, 4, &c);
    /* the busiest worker holds ceil(tasks / 3) tasks of at least n each */
    uint64_t per_worker = (tasks + 2) / 3;
    EB_CHECKF(ms.units == (double)(per_worker * n), "%.0f", ms.units);
    EB_CHECK(!ms.optimal && ms.found < 0);
    /* never above what a schedule achieves: the largest tasks, per_worker of them */
    uint64_t largest = 0;
    for (uint64_t i = 0; i < per_worker; i++)
        largest += n + tasks - 1 - i;
    EB_CHECK(ms.units <= (double)largest);
}

EB_TEST(nonsense_is_refused)
{
    eb_makespan ms;
    EB_CHECK(eb_makespan_bound(0, 2, 2, true, NULL, NULL, &ms) == -EINVAL);
    EB_CHECK(eb_makespan_bound(2, 0, 2, true, NULL, NULL, &ms) == -EINVAL);
    EB_CHECK(eb_makespan_bound(2, 2, 0, true, NULL, NULL, &ms) == -EINVAL);
    static const uint64_t huge[] = {UINT64_MAX, 2};
    costs c = {.list = huge};
    EB_CHECK(eb_makespan_bound(2, 2, 2, true, cost_of, &c, &ms) == -EOVERFLOW);
}
