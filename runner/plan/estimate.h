/* estimate.h — what the plan will cost, learned as it runs: the progress's
 * ETA.
 *
 * Each point is modelled before it runs, from what the plan says of it: its
 * runs (warm-up + repetitions) x its job, plus the start of its process.
 * A job of waits takes its ideal, ceil(tasks / in flight) x the wait; a CPU
 * job its elements (tasks x the workload's parameter counted in elements,
 * else 1 a task) at 1 ns each, over the threads that compute at once, at most
 * one per core (plan.h's eb_point_compute_get: min(workers, cores) for
 * threads and processes, hybrid's threads, 1 for one thread or a GIL); mixed
 * work the two added (its waits, then its CPU). Once points of a workload finish, what they took
 * over what their model said scales the rest of that workload's points. */
#ifndef EB_ESTIMATE_H
#define EB_ESTIMATE_H

#include "plan.h"

#include <stddef.h>
#include <stdint.h>

typedef struct eb_estimate {
    size_t count;
    double *model_ns;   /* per point: its runs' cost as modelled, start-up apart */
    size_t *group;      /* per point: the workload it scales with */
    double overhead_ns; /* a point process's start and end */
    /* per workload: what finished points took (start-up apart) and what
     * their model said */
    double taken_ns[64], modelled_ns[64];
} eb_estimate;

/* Models every point of `plan` on this machine: 0 or -ENOMEM. */
int eb_estimate_init(eb_estimate *e, const eb_plan *plan, const eb_topology *topo);
void eb_estimate_free(eb_estimate *e);

/* Point i's expected wall time, as learned so far. */
double eb_estimate_point_ns(const eb_estimate *e, size_t i);

/* Point i took `wall_ns`: the rest of its workload is scaled by it. */
void eb_estimate_learn(eb_estimate *e, size_t i, int64_t wall_ns);

/* What is left of points `from` .. the last, the first of them `into_ns`
 * under way (its share never below 0). */
double eb_estimate_left_ns(const eb_estimate *e, size_t from, int64_t into_ns);

#endif
