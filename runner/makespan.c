/* makespan.c — see makespan.h. */
#include "makespan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Search steps (a worker considered for a task) before the lower bound
 * stands, once per point: 76 ms at worst on this busy 2-core VM. More proves
 * few more: of 6144 jobs of 1..64 tasks of n + i (n from 10 to 5e7) on 1..16
 * workers, 648 stay unproven at 1M steps, 647 at these 2M, 588 at 20M; for
 * those the best schedule found is within 0.23% of the bound at n = 1000,
 * 0.0003% at n = 1e6. */
#define SEARCH_BUDGET UINT64_C(2000000)

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return a / b + (a % b != 0);
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

static int descending(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* No assignment of the n whole tasks w (descending) to m < n workers ends
 * before this. */
static uint64_t lower_bound(const uint64_t *w, size_t n, unsigned m)
{
    uint64_t lb = w[0];
    /* two of the m + 1 largest tasks share a worker */
    lb = max_u64(lb, w[m - 1] + w[m]);
    /* Task counts: the balanced split (n % m workers hold one more than
     * n / m) has, for every r, the fewest tasks on its r fullest workers of
     * any split (it is majorized by all others). So in any schedule the r
     * fullest workers hold at least that many tasks, at least that many of
     * the smallest costs, and one of them a 1/r share of it. r = m is
     * total / m; small r decides for near-equal tasks. */
    size_t per = n / m, extra = n % m, taken = 0;
    uint64_t sum = 0;
    for (unsigned r = 1; r <= m; r++) {
        size_t k = r * per + (r < extra ? r : extra);
        while (taken < k)
            sum += w[n - 1 - taken++];
        lb = max_u64(lb, ceil_div(sum, r));
    }
    return lb;
}

/* Longest processing time first: each task to the least loaded worker. */
static void lpt(const uint64_t *w, size_t n, unsigned m, uint64_t *load, unsigned *where)
{
    memset(load, 0, m * sizeof *load);
    for (size_t i = 0; i < n; i++) {
        unsigned least = 0;
        for (unsigned j = 1; j < m; j++)
            if (load[j] < load[least]) least = j;
        load[least] += w[i];
        where[i] = least;
    }
}

static unsigned fullest(const uint64_t *load, unsigned m)
{
    unsigned a = 0;
    for (unsigned j = 1; j < m; j++)
        if (load[j] > load[a]) a = j;
    return a;
}

/* Moves a task off the fullest worker, or swaps it for a smaller one, while
 * that leaves both workers shorter than the fullest was: LPT's schedule
 * tightened (it misses 3 + 3 | 2 + 2 + 2), a better start for the search.
 * The sum of squared loads falls at every step, so it ends; *steps counts
 * the work against the budget. Returns the longest load. */
static uint64_t tighten(const uint64_t *w, size_t n, unsigned m, uint64_t *load, unsigned *where,
                        uint64_t *steps)
{
    for (bool moved = true; moved && *steps < SEARCH_BUDGET;) {
        moved = false;
        unsigned a = fullest(load, m);
        for (size_t i = 0; i < n && !moved; i++) {
            if (where[i] != a) continue;
            *steps += m + n;
            for (unsigned b = 0; b < m && !moved; b++)
                if (b != a && load[b] + w[i] < load[a]) {
                    load[a] -= w[i], load[b] += w[i], where[i] = b;
                    moved = true;
                }
            for (size_t j = 0; j < n && !moved; j++) {
                unsigned b = where[j];
                if (b == a || w[j] >= w[i] || load[b] + (w[i] - w[j]) >= load[a]) continue;
                load[a] -= w[i] - w[j], load[b] += w[i] - w[j];
                where[i] = b, where[j] = a;
                moved = true;
            }
        }
    }
    return load[fullest(load, m)];
}

typedef struct search {
    const uint64_t *w;    /* descending */
    const uint64_t *tail; /* tail[i]: the sum of w[i..n) */
    size_t n;
    unsigned m;
    uint64_t *load;
    uint64_t best;  /* the shortest schedule found */
    uint64_t lower; /* nothing shorter exists: stop when best reaches it */
    uint64_t steps;
    bool gave_up;
} search;

/* Whether tasks i.. can still all go below s->best: each worker has room
 * for at most as many of them as the smallest ones that fit its slack. For
 * near-equal tasks this is what cuts the search: a worker given too much of
 * the small change is dropped at once, not after the last task. */
static bool counts_fit(search *s, size_t i)
{
    size_t left = s->n - i, room = 0;
    s->steps += s->m;
    for (unsigned j = 0; j < s->m && room < left; j++) {
        uint64_t slack = s->best - 1 - s->load[j]; /* every load is below best */
        size_t lo = 0, hi = left;                  /* the most k with tail[n - k] <= slack */
        while (lo < hi) {
            size_t mid = (lo + hi + 1) / 2;
            if (s->tail[s->n - mid] <= slack)
                lo = mid;
            else
                hi = mid - 1;
        }
        room += lo;
    }
    return room >= left;
}

/* Places tasks i.. each on a worker where it ends before the best so far
 * (depth-first, largest first), lowering s->best whenever all fit. */
static void place(search *s, size_t i)
{
    if (i == s->n) {
        uint64_t longest = 0;
        for (unsigned j = 0; j < s->m; j++)
            longest = max_u64(longest, s->load[j]);
        s->best = longest;
        return;
    }
    if (!counts_fit(s, i)) return;
    for (unsigned j = 0; j < s->m && s->best > s->lower && !s->gave_up; j++) {
        s->steps += j + 1;
        if (s->steps > SEARCH_BUDGET) {
            s->gave_up = true;
            return;
        }
        if (s->load[j] + s->w[i] >= s->best) continue;
        /* workers with equal loads are interchangeable: try the first only */
        bool tried = false;
        for (unsigned k = 0; k < j && !tried; k++)
            tried = s->load[k] == s->load[j];
        if (tried) continue;
        s->load[j] += s->w[i];
        place(s, i + 1);
        s->load[j] -= s->w[i];
    }
}

/* Few enough tasks to sort and search: fills units/found/optimal/total. */
static int searched(size_t n, unsigned m, eb_task_cost_fn cost, const void *arg, eb_makespan *out)
{
    uint64_t *w = malloc(n * sizeof *w), *load = calloc(m, sizeof *load);
    uint64_t *tail = malloc((n + 1) * sizeof *tail);
    unsigned *where = malloc(n * sizeof *where);
    int rc = 0;
    if (w == NULL || load == NULL || tail == NULL || where == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        w[i] = cost != NULL ? cost(i, arg) : 1;
        if (total + w[i] < total) {
            rc = -EOVERFLOW;
            goto out;
        }
        total += w[i];
    }
    qsort(w, n, sizeof *w, descending);
    out->total = (double)total;
    if (m == n) { /* a worker each: the largest task decides */
        out->units = out->found = (double)w[0];
        out->optimal = true;
    } else {
        tail[n] = 0;
        for (size_t i = n; i-- > 0;)
            tail[i] = tail[i + 1] + w[i];
        search s = {
            .w = w, .tail = tail, .n = n, .m = m, .load = load, .lower = lower_bound(w, n, m)};
        lpt(w, n, m, load, where);
        s.best = tighten(w, n, m, load, where, &s.steps);
        if (s.best > s.lower) {
            memset(load, 0, m * sizeof *load);
            place(&s, 0);
        }
        out->optimal = !s.gave_up || s.best == s.lower;
        out->units = (double)(out->optimal ? s.best : s.lower);
        out->found = (double)s.best;
    }
out:
    free(w);
    free(load);
    free(tail);
    free(where);
    return rc;
}

/* Too many tasks to search: bounds from the total, largest and smallest. */
static int streamed(uint64_t n, unsigned m, eb_task_cost_fn cost, const void *arg, eb_makespan *out)
{
    uint64_t total = 0, largest = 0, smallest = UINT64_MAX;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t c = cost != NULL ? cost(i, arg) : 1;
        if (total + c < total) return -EOVERFLOW;
        total += c;
        largest = max_u64(largest, c);
        if (c < smallest) smallest = c;
    }
    /* the busiest worker holds ceil(n / m) tasks, each at least the smallest */
    uint64_t lb = max_u64(largest, max_u64(ceil_div(total, m), ceil_div(n, m) * smallest));
    out->total = (double)total;
    out->units = (double)lb;
    out->optimal = largest == smallest; /* equal tasks: ceil(n / m) of them is the best */
    out->found = out->optimal ? out->units : -1;
    return 0;
}

int eb_makespan_bound(uint64_t tasks, unsigned workers, unsigned cores, bool pinned,
                      eb_task_cost_fn cost, const void *arg, eb_makespan *out)
{
    memset(out, 0, sizeof *out);
    out->found = -1;
    if (tasks == 0 || workers == 0 || cores == 0) return -EINVAL;
    unsigned m = workers < tasks ? workers : (unsigned)tasks;
    if (pinned && cores < m) m = cores; /* workers on one core take turns on it */
    out->workers = m;
    int rc = tasks <= EB_MAKESPAN_SEARCH_MAX_TASKS ? searched((size_t)tasks, m, cost, arg, out)
                                                   : streamed(tasks, m, cost, arg, out);
    if (rc != 0) return rc;
    if (m > cores) {
        /* Unpinned, the kernel time-slices the workers over the cores, which
         * can share the work evenly, beating any assignment of whole tasks to
         * cores: neither bound is then a schedule. */
        double shared = out->total / cores;
        if (shared > out->units) {
            out->units = shared;
            out->cores_decide = true;
        }
        out->optimal = false;
        out->found = -1; /* a schedule for dedicated workers, which these are not */
    }
    return 0;
}
