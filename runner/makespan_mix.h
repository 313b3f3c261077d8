/* makespan_mix.h — the shortest time a job of mixed tasks can take: each task
 * first waits (a wait needs no core) and then computes (a CPU part that needs
 * one). The ideal of mix.waitsum (EB_WORK_MIX) under every executor.
 *
 * Two lower bounds, the larger decides:
 *  - the CPU parts: no CPU part starts before the first wait ends, so no job
 *    ends before  wait + the best schedule of the CPU parts on the places that
 *    compute  (makespan.h: whole CPU parts on min(compute threads, tasks in
 *    flight) workers over the cores, pinned or not);
 *  - the slots: a task holds its slot (thread, process or coroutine) from the
 *    start of its wait to the end of its CPU part, so with fewer slots than
 *    tasks no job ends before  the best schedule of whole tasks (wait + CPU
 *    part) on the slots.
 * Every task in flight at once (unbounded coroutines, a pool with a thread
 * per task) makes the first exact: all waits start at 0 and end together,
 * then the CPU parts run in their best schedule. One slot makes the second
 * exact: the tasks one after another. Between the two it is a lower bound
 * (a schedule may have to do worse: a CPU part waiting for a core keeps its
 * slot), which is what an ideal must be: never beaten by a real run.
 *
 * Figures per executor: sequential (1 slot, 1 compute thread), coroutine (W
 * slots, 1 thread), threaded and multiprocess (W slots, W threads), hybrid
 * (W slots, T threads). ns_per_unit is the CPU time of one cost unit, which
 * the runner derives from the sequential point of the same work: (its median
 * - tasks x wait) / the sum of the costs. */
#ifndef EB_MAKESPAN_MIX_H
#define EB_MAKESPAN_MIX_H

#include "makespan.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct eb_mix_bound {
    double ns;         /* the bound: no schedule ends earlier */
    double cpu_ns;     /* wait + the best schedule of the CPU parts */
    double slots_ns;   /* the best schedule of whole tasks on the slots; 0: a slot each */
    bool exact;        /* ns is the best schedule's length, proven */
    bool slots_decide; /* slots_ns > cpu_ns */
    unsigned slots;    /* tasks in flight at once: min(in_flight, tasks) */
    eb_makespan cpu;   /* the CPU parts' schedule (cpu.units x ns_per_unit) */
} eb_mix_bound;

/* Fills *out for `tasks` tasks, each waiting wait_ns and then computing
 * cost(i, arg) units (NULL: 1 each) of ns_per_unit ns, at most `in_flight` at
 * once (0: all), computed by `compute_threads` threads on `cores` cores,
 * pinned or not: 0, -EINVAL, -ENOMEM, -EOVERFLOW. */
int eb_mix_bound_compute(uint64_t tasks, int64_t wait_ns, double ns_per_unit, eb_task_cost_fn cost,
                         const void *arg, uint64_t in_flight, unsigned compute_threads,
                         unsigned cores, bool pinned, eb_mix_bound *out);

#endif
