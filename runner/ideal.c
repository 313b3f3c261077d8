/* ideal.c — see ideal.h. */
#include "ideal.h"

#include "err.h"
#include "job.h"
#include "makespan.h"
#include "makespan_mix.h"
#include "runs.h"

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
    "outnumber them (threaded and multiprocess; hybrid: its threads, one per core; the whole "
    "median for sequential and coroutine, and under a GIL, where one thread computes at a "
    "time); mixed work (mix.waitsum): the larger of the wait plus the best schedule of the CPU "
    "parts on the threads that compute, and the best schedule of whole tasks on the tasks in "
    "flight, the CPU part's time per unit the least that the sequential points of the same work "
    "at any size show (each the smaller of its median less its waits and its CPU time); absent "
    "when that sequential point did not run or failed. Each row's ideal_basis says which bound "
    "decided and whether the schedule is proven "
    "best or a lower bound.";

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

/* The workload's cost of one task, for eb_makespan_bound. */
static uint64_t task_cost(uint64_t task, const void *arg)
{
    const eb_job *job = arg;
    return job->workload->task_cost(job, task);
}

/* The CPU time of one cost unit in sequential point q, the CPU part of its
 * time: the smaller of its median less its waits and its CPU time (a sleep
 * that overshoots is no CPU work, and an ideal must not grow by it). False
 * when q did not finish. */
static bool unit_cpu_ns(const eb_doc *doc, const eb_point *q, double *ns_per_unit)
{
    char run_name[EB_POINT_NAME_MAX + 16];
    eb_results_point_run_name(q->name, run_name, sizeof run_name);
    eb_run_figures f;
    if (!eb_results_run_figures(&doc->results, run_name, &f) || f.median_ns <= 0) return false;
    eb_job job;
    eb_point_job(q, &job);
    int64_t wait = q->workload->task_wait_ns != NULL ? q->workload->task_wait_ns(&job) : 0;
    double cpu = f.median_ns - (double)q->tasks * (double)wait;
    if (f.cpu_median_ns >= 0 && f.cpu_median_ns < cpu) cpu = f.cpu_median_ns;
    double units = 0;
    for (uint64_t t = 0; t < q->tasks; t++)
        units += q->workload->task_cost != NULL ? (double)q->workload->task_cost(&job, t) : 1.0;
    *ns_per_unit = units > 0 && cpu > 0 ? cpu / units : 0;
    return true;
}

/* Mixed work: the waits overlapped with the best schedule of the CPU parts
 * (makespan_mix.h). The CPU part's time per cost unit: the smallest that the
 * sequential points of the same work at any size (the first parameter) in
 * this run show, or those of the workload that is its CPU part (cpu_part:
 * cpu.sumsq for mix.waitsum). Each sequential point of mixed work also
 * spends CPU on its waits (a wait's precise end is spun), which the
 * overlapping executors spend once: 100 waits of 10 ms took 8 ms of a
 * sequential point's 64 ms of CPU here, and made the coroutine executor
 * 112% of an ideal drawn from it. An ideal must not grow by that cost. */
static bool cpu_part_of(const eb_point *q, const eb_point *p)
{
    if (q->workload == p->workload)
        return memcmp(q->params + 1, p->params + 1, sizeof q->params - sizeof q->params[0]) == 0;
    return p->workload->cpu_part != NULL && strcmp(q->workload->name, p->workload->cpu_part) == 0;
}

static int64_t mix_ideal(const eb_doc *doc, const eb_plan *plan, const eb_point *p,
                         const eb_point *seq, eb_job *job, const eb_topology *topo, char *basis,
                         size_t len)
{
    double ns_per_unit;
    if (!unit_cpu_ns(doc, seq, &ns_per_unit)) {
        snprintf(basis, len, "none: the sequential point %s did not finish", seq->name);
        return -1;
    }
    const eb_point *from = seq;
    for (size_t i = 0; i < plan->count; i++) {
        const eb_point *q = &plan->points[i];
        double npu;
        if (q == seq || !q->executor->reference || q->gil_interval_us > 0 || !cpu_part_of(q, p) ||
            (q->workload == p->workload && q->tasks != p->tasks) || !unit_cpu_ns(doc, q, &npu) ||
            npu <= 0 || npu >= ns_per_unit)
            continue;
        ns_per_unit = npu;
        from = q;
    }
    int64_t wait = p->workload->task_wait_ns(job);
    eb_point_compute c;
    eb_mix_bound mb;
    int rc = eb_point_compute_get(p, topo, &c);
    if (rc == 0)
        rc = eb_mix_bound_compute(p->tasks, wait, ns_per_unit,
                                  p->workload->task_cost != NULL ? task_cost : NULL, job,
                                  c.in_flight, c.threads, c.cores, c.pinned, &mb);
    if (rc != 0) {
        snprintf(basis, len,
                 "none: the best schedule of %" PRIu64 " tasks could not be bounded: %s", p->tasks,
                 eb_strerror(rc));
        return -1;
    }
    char decided[200];
    if (mb.slots_decide)
        snprintf(decided, sizeof decided,
                 "the slots decide: the best schedule of %" PRIu64 " whole tasks on %u in flight",
                 p->tasks, mb.slots);
    else
        snprintf(decided, sizeof decided,
                 "the CPU parts decide: %" PRId64 " ns wait + their best schedule on %u %s over %u "
                 "%s",
                 wait, mb.cpu.workers, mb.cpu.workers == 1 ? "thread" : "threads", c.cores,
                 c.cores == 1 ? "core" : "cores");
    snprintf(basis, len,
             "mixed: %s (%s; CPU %.4f ns a unit: the least of the sequential points, at "
             "%s%s%s=%" PRId64 ")",
             decided, mb.exact ? "exact" : "a lower bound", ns_per_unit,
             from->workload != p->workload ? from->workload->name : "",
             from->workload != p->workload ? " " : "", from->workload->params[0].key,
             from->params[0]);
    return (int64_t)llround(mb.ns);
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
        if (wait == 0) { /* net.http at latency_us=0: its cost is all CPU and I/O */
            snprintf(basis, len, "none: a task's nominal wait is 0 ns, so no wait bounds it");
            return -1;
        }
        uint64_t waiting =
            p->workload->waiting_tasks != NULL ? p->workload->waiting_tasks(&job) : p->tasks;
        snprintf(basis, len, "ceil(%" PRIu64 " %s / %" PRIu64 " in flight) x %" PRId64 " ns wait",
                 waiting, waiting == p->tasks ? "tasks" : "waiting tasks", eb_point_in_flight(p),
                 wait);
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
    if (p->workload->kind == EB_WORK_MIX)
        return mix_ideal(doc, plan, p, seq, &job, topo, basis, len);
    if (!eb_doc_point_median_ns(doc, seq, &median) || median <= 0) {
        snprintf(basis, len, "none: the sequential point %s did not finish", seq->name);
        return -1;
    }
    if (!p->executor->parallel || p->gil_interval_us > 0) {
        snprintf(basis, len, "sequential median %.3f ms (%s)", median / 1e6,
                 p->gil_interval_us > 0 ? "a GIL: one thread computes at a time" : "one thread");
        *share_out = 1.0;
        return (int64_t)llround(median);
    }
    eb_point_compute c;
    int rc = eb_point_compute_get(p, topo, &c);
    unsigned cores = c.cores, workers = c.threads;
    eb_makespan ms;
    if (rc == 0)
        rc = eb_makespan_bound(p->tasks, workers, cores, p->pin->pins,
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
    if (p->pin->pins || workers <= cores)
        snprintf(on, sizeof on, "min(%u workers, %u cores)", workers, cores);
    else
        snprintf(on, sizeof on, "%u unpinned workers, %u cores", workers, cores);
    if (ms.cores_decide) {
        snprintf(basis, len,
                 "sequential median %.3f ms x %.4f (total / %u cores: %u unpinned workers share "
                 "them; the best schedule of %" PRIu64 " whole %s on %u workers needs less)",
                 median / 1e6, share, cores, workers, p->tasks, tasks_word, ms.workers);
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
