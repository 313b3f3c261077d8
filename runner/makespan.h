/* makespan.h — the shortest time a job's tasks can take on W workers and C
 * cores, in the tasks' own cost units: the CPU ideal (ideal.c) scales the
 * sequential median by it.
 *
 * A task runs whole on one worker (it cannot be split) and a worker runs its
 * tasks one after another. Pinned workers stay on their cores, so the tasks
 * are in effect shared out among min(W, C) of them: no schedule ends before
 * the best assignment of whole tasks to min(W, C, tasks) places. Unpinned
 * workers move: when they outnumber the cores the kernel time-slices them,
 * so the bound is the best assignment to min(W, tasks) workers or total / C,
 * whichever is longer. The best assignment is P||Cmax, NP-hard in general:
 * it is searched exactly, from the classic lower bounds and a tightened LPT
 * schedule, within a fixed budget; when the budget runs out, or the job is
 * too large to search, the lower bound stands, since an ideal must never be
 * beaten by a real run. */
#ifndef EB_MAKESPAN_H
#define EB_MAKESPAN_H

#include <stdbool.h>
#include <stdint.h>

/* More tasks than this are bounded from their total, largest and smallest
 * cost alone (no sort, no search). */
#define EB_MAKESPAN_SEARCH_MAX_TASKS 4096

typedef struct eb_makespan {
    double units;      /* the bound, in cost units: no schedule ends earlier */
    double total;      /* the sum of the costs (the sequential time's units) */
    double found;      /* the best schedule of whole tasks found (>= units); < 0: none, or
                        * the workers share fewer cores */
    unsigned workers;  /* the places tasks are shared out among: min(W, tasks), and C if pinned */
    bool optimal;      /* units is the best schedule's length, proven; else a lower bound */
    bool cores_decide; /* unpinned workers outnumber the cores, and total / C is the longer */
} eb_makespan;

/* The cost of task `task` (0 <= task < tasks), in any unit: only ratios matter. */
typedef uint64_t (*eb_task_cost_fn)(uint64_t task, const void *arg);

/* Fills *out for `tasks` tasks costing cost(i, arg) (NULL: all equal) on
 * `workers` workers (>= 1) and `cores` cores (>= 1), the workers pinned
 * (each stays on its core) or not: 0, -EINVAL, -ENOMEM, or -EOVERFLOW when
 * the costs add up beyond 2^64. */
int eb_makespan_bound(uint64_t tasks, unsigned workers, unsigned cores, bool pinned,
                      eb_task_cost_fn cost, const void *arg, eb_makespan *out);

#endif
