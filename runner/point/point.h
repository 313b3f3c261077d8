/* point.h — the point process: runs one point and prints its document.
 *
 * What it prints is libbenchmark's JSON for the point, with what libbenchmark
 * cannot hold added to every row: worker_pus (the PU each worker ran on, from
 * sched_getcpu), max_rss_per_task_bytes, and cpu_time replaced by the job's
 * user+sys CPU (this process and its worker processes). The numeric extras
 * (spawn_ns, children_cpu_ns, ctx switches, max_rss_kib, task latency
 * p50/p99) travel as libbenchmark counters, so its aggregates cover them, and
 * become integers here. A failed point is reduced to its one error row. The
 * context gets execbench_timer_slack_ns. */
#ifndef EB_POINT_H
#define EB_POINT_H

#include "plan.h"
#include "results.h"

/* The child's main: 0 when it printed a document (which may be an error
 * row), 3 when it could not (the reason went to the report pipe). */
int eb_point_main(const eb_point *point, const eb_settings *settings, const eb_topology *topo);

/* The PU each worker ran on in one repetition (sched_getcpu). */
typedef struct eb_pu_map {
    int *pu;
    size_t count;
    char (*host)[64]; /* [count] each worker's host (mpi); NULL: all on this one */
} eb_pu_map;

/* The additions described above, on libbenchmark's document (adopted);
 * maps[r] is repetition r's PU map (repetitions of them); coro_stack_used,
 * the stack mode the coroutines ran with (NULL: none ran), goes to every row.
 * 0 or -ENOMEM. */
int eb_point_enrich(eb_results_doc *doc, const eb_point *point, const eb_pu_map *maps,
                    int repetitions, int64_t timer_slack_ns, const char *coro_stack_used);

#endif
