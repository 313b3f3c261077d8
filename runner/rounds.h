/* rounds.h — an interleaved run (--order interleaved, the default).
 *
 * The plan's points fall into groups: the points of one workload, tasks and
 * params, whose speedups are relative to the same reference point (the
 * reference executor's, lib/results/figures.c). Every point runs in its own
 * process, started once and warmed up once, then kept alive and told when to
 * run one repetition (protocol.h): a fresh process per repetition would pay
 * its start and its warm-up again each time (measured: README, "Reading the
 * numbers").
 *
 * A round runs every group that has not finished, in an order shuffled from
 * --seed; a group's turn (a sub-round) runs one repetition of each of its
 * points, in an order shuffled afresh, the reference twice (the A/A pair:
 * the spread of its ratio is the group's noise floor). So a sub-round lasts
 * as long as one repetition of its group, and the ratio of a point to its
 * reference is taken between runs seconds apart at most: groups of long
 * points (160 waits of 10 ms) run in sub-rounds of their own rather than
 * stretching every round. Around each sub-round the machine is watched
 * (disturb.h): a disturbed one is set aside, recorded with its reasons, and
 * run again, up to --redo-limit per group and within --time-budget; past
 * them it is kept and marked.
 *
 * A group stops after --repetitions kept rounds when --target-ci is 0, when
 * every speedup and efficiency of its points has a 95% interval within
 * +-target (stats.h), at --max-rounds, or when --time-budget has passed.
 * Groups whose points cannot all stay alive at once (EB_ROUNDS_MAX_ALIVE
 * processes) run in waves, one after the other. */
#ifndef EB_ROUNDS_H
#define EB_ROUNDS_H

#include "merge.h"
#include "plan.h"
#include "progress.h"

#include <stddef.h>
#include <stdint.h>

/* Point processes alive at once: each holds five pipes in this process. */
#define EB_ROUNDS_MAX_ALIVE 64

/* Runs `plan` in rounds into `doc`: each point's kept repetitions (round,
 * start, steal, foreign CPU; the A/A twin on its reference's rows), its
 * aggregates, the rounds and groups in the context. `run_start_ns` is the
 * run's start (eb_now_ns); a point process runs `exe` with `self` as its
 * argv[0]. Returns the points written; *interrupted gets the signal that
 * stopped the run, or 0. */
size_t eb_rounds_run(eb_doc *doc, const eb_plan *plan, const eb_topology *topo, const char *exe,
                     const char *self, int64_t run_start_ns, eb_progress *progress,
                     int *interrupted);

/* The order of `n` runs in round `round` of group `group` (a permutation of
 * 0..n-1 into out), drawn from `seed` alone: the same seed, the same order.
 * The groups' own order in a round is that of group EB_ROUNDS_GROUP_ORDER. */
#define EB_ROUNDS_GROUP_ORDER SIZE_MAX
void eb_rounds_order(uint64_t seed, int64_t round, size_t group, size_t n, size_t *out);

#endif
