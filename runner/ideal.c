/* ideal.c — see ideal.h. */
#include "ideal.h"

#include "err.h"
#include "job.h"
#include "makespan.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char eb_ideal_description[] =
    "ideal_ns: waits: ceil(tasks / tasks in flight) x the task's nominal wait; CPU work: the "
    "median of the sequential point with the same workload, tasks and params in this run, times "
    "the busiest worker's share of the work in the best schedule of the whole tasks (sized by "
    "the workload, cpu.sumsq: n + i elements; a task is never split) on min(workers, tasks) "
    "workers, and at least 1 / the physical cores the pin policy gives when the workers "
    "outnumber them (threaded and multiprocess; the whole median for sequential and coroutine); "
    "absent when that sequential point did not run or failed. Each row's ideal_basis says which "
    "bound decided and whether the schedule is proven best or a lower bound.";

static bool same_params(const eb_point *a, const eb_point *b)
{
    return a->workload == b->workload && a->tasks == b->tasks &&
           memcmp(a->params, b->params, sizeof a->params) == 0;
}

/* The reference point measuring the same work, preferring the same pinning. */
static const eb_point *reference_point(const eb_plan *plan, const eb_point *p)
{
    const eb_point *any = NULL;
    for (size_t i = 0; i < plan->count; i++) {
        const eb_point *q = &plan->points[i];
        if (!q->executor->reference || !same_params(p, q)) continue;
        if (q->pin == p->pin && strcmp(q->cpuset, p->cpuset) == 0) return q;
        if (any == NULL) any = q;
    }
    return any;
}

static unsigned cores_for(const eb_point *p, const eb_topology *topo)
{
    eb_pin_plan *pin = NULL;
    char why[160];
    if (eb_pin_plan_create(topo, p->pin, p->pin->from_list ? p->cpuset : NULL, p->workers, &pin,
                           why, sizeof why) != 0)
        return 1;
    int cores = eb_pin_plan_cores(pin);
    free(pin);
    return cores > 0 ? (unsigned)cores : 1;
}

/* The workload's cost of one task, for eb_makespan_bound. */
static uint64_t task_cost(uint64_t task, const void *arg)
{
    const eb_job *job = arg;
    return job->workload->task_cost(job, task);
}

/* ideal_ns (or -1 when unknown) and its basis for point p; *share, the
 * ideal's share of the reference's time when it is drawn from it, else -1. */
static int64_t ideal_of(eb_doc *doc, const eb_plan *plan, const eb_point *p,
                        const eb_topology *topo, double *share_out, char *basis, size_t len)
{
    *share_out = -1.0;
    eb_job job;
    eb_point_job(p, &job);
    if (p->workload->kind == EB_WORK_WAIT) {
        int64_t wait, ideal = eb_point_wait_ideal_ns(p, &wait);
        snprintf(basis, len,
                 "ceil(%" PRIu64 " tasks / %" PRIu64 " in flight) x %" PRId64 " ns wait", p->tasks,
                 eb_point_in_flight(p), wait);
        return ideal;
    }
    const eb_point *seq = reference_point(plan, p);
    double median = 0;
    if (seq == NULL) {
        snprintf(basis, len,
                 "none: no sequential point with the same workload, tasks and "
                 "params in this run (add --executor sequential)");
        return -1;
    }
    if (!eb_doc_point_median_ns(doc, seq, &median) || median <= 0) {
        snprintf(basis, len, "none: the sequential point %s did not finish", seq->name);
        return -1;
    }
    if (!p->executor->parallel) {
        snprintf(basis, len, "sequential median %.3f ms (one thread)", median / 1e6);
        *share_out = 1.0;
        return (int64_t)llround(median);
    }
    unsigned cores = cores_for(p, topo);
    eb_makespan ms;
    int rc = eb_makespan_bound(p->tasks, p->workers > 0 ? p->workers : 1, cores, p->pin->pins,
                               p->workload->task_cost != NULL ? task_cost : NULL, &job, &ms);
    if (rc != 0) {
        snprintf(basis, len,
                 "none: the best schedule of %" PRIu64 " tasks could not be bounded: %s", p->tasks,
                 eb_strerror(rc));
        return -1;
    }
    double share = ms.units / ms.total;
    const char *tasks_word = p->tasks == 1 ? "task" : "tasks";
    char on[96];
    if (p->pin->pins || p->workers <= cores)
        snprintf(on, sizeof on, "min(%u workers, %u cores)", p->workers, cores);
    else
        snprintf(on, sizeof on, "%u unpinned workers, %u cores", p->workers, cores);
    if (ms.cores_decide) {
        snprintf(basis, len,
                 "sequential median %.3f ms x %.4f (total / %u cores: %u unpinned workers share "
                 "them; the best schedule of %" PRIu64 " whole %s on %u workers needs less)",
                 median / 1e6, share, cores, p->workers, p->tasks, tasks_word, ms.workers);
    } else if (ms.optimal) {
        snprintf(basis, len,
                 "sequential median %.3f ms x %.4f (the best schedule of %" PRIu64
                 " whole %s on %s: its busiest worker's share of the work)",
                 median / 1e6, share, p->tasks, tasks_word, on);
    } else {
        char found[64] = "";
        if (ms.found >= 0)
            snprintf(found, sizeof found, "; the best found: %.4f", ms.found / ms.total);
        snprintf(basis, len,
                 "sequential median %.3f ms x %.4f (a lower bound on the busiest worker's share "
                 "in the best schedule of %" PRIu64 " whole %s on %s%s)",
                 median / 1e6, share, p->tasks, tasks_word, on, found);
    }
    *share_out = share;
    return (int64_t)llround(median * share);
}

/* Whether the document holds rows of the run. */
static bool present(const eb_results_doc *doc, const char *run_name)
{
    for (size_t i = 0; i < doc->row_count; i++)
        if (strcmp(doc->rows[i].run_name, run_name) == 0) return true;
    return false;
}

void eb_doc_set_ideals(eb_doc *doc, const eb_plan *plan, const eb_topology *topo)
{
    for (size_t i = 0; i < plan->count; i++) {
        const eb_point *p = &plan->points[i];
        char run_name[EB_POINT_NAME_MAX + 16], basis[400];
        eb_results_point_run_name(p->name, run_name, sizeof run_name);
        if (!present(&doc->results, run_name)) continue;
        double share;
        int64_t ideal = ideal_of(doc, plan, p, topo, &share, basis, sizeof basis);
        eb_results_set_ideal(&doc->results, run_name, ideal, share, basis);
    }
}
