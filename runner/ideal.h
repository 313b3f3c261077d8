/* ideal.h — every point's ideal time, so efficiency is explicit.
 *
 * Waits (EB_WORK_WAIT): ceil(tasks / tasks in flight) x the task's nominal
 * wait. CPU work (EB_WORK_CPU): the median of the sequential point with the
 * same workload, tasks and parameters in this run, times the busiest
 * worker's share of the work in the best schedule of the whole tasks
 * (makespan.h: sized by the workload's task_cost, never split, on min(workers,
 * cores the pin policy gives); unpinned workers beyond the cores share them,
 * so at least total / cores) for parallel executors (hybrid: its threads, one
 * per core, plan.h's eb_point_compute_get); the whole median for the
 * one-thread ones and under a GIL. Mixed work (EB_WORK_MIX): makespan_mix.h's
 * bound, the CPU part's time per unit from the same sequential point. Each row
 * gets ideal_ns and ideal_basis (in words: which bound decided, proven best or
 * a lower bound); a CPU or mixed point without a successful sequential
 * reference gets no ideal_ns, and its ideal_basis says why. */
#ifndef EB_IDEAL_H
#define EB_IDEAL_H

#include "merge.h"
#include "plan.h"

/* What the context says about the ideal. */
extern const char eb_ideal_description[];

/* Sets ideal_ns / ideal_basis on the rows of every point of `plan` in `doc`. */
void eb_doc_set_ideals(eb_doc *doc, const eb_plan *plan, const eb_topology *topo);

#endif
