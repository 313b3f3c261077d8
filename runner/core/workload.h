/* workload.h — the one interface of a workload: plain C, the same code under
 * every executor.
 *
 * A new workload is one file in workloads/ that defines a `const eb_workload`
 * and one line in workloads/registry.c (registry.h). The interface lives in
 * the execution core because the core runs it (job.c calls run_task). A task
 * never sleeps or blocks by itself: it calls the primitives of wait.h.
 * Results go into the job's shared result slots (one uint64_t per task, in
 * memory shared by threads and forked processes alike), and verify() checks
 * them: a skipped loop must fail, not look fast. */
#ifndef EB_WORKLOAD_H
#define EB_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EB_MAX_PARAMS 8

/* A declared parameter: integer-valued, with a default, bounds and a unit. */
typedef struct eb_param_def {
    const char *key;  /* as written in --param key=value and in names: "latency_us" */
    int64_t default_value;
    int64_t min, max; /* inclusive bounds, checked when the plan is built */
    const char *unit; /* "elements", "us", "%", "" */
    const char *help; /* one line for --help / --list */
} eb_param_def;

/* What kind of work it is: decides how the ideal time is computed. */
typedef enum eb_workload_kind {
    EB_WORK_CPU,  /* ideal = sequential time x the best schedule's share of it */
    EB_WORK_WAIT, /* ideal = ceil(tasks / concurrency) x the task's wait */
    EB_WORK_MIX,  /* each task waits task_wait_ns, then computes task_cost: ideal =
                     the waits overlapped with the best schedule of the CPU parts
                     (runner/makespan_mix.h) */
} eb_workload_kind;

struct eb_job;

typedef struct eb_workload {
    const char *name;        /* "cpu.sumsq", "io.sleep" */
    const char *description; /* one line */
    eb_workload_kind kind;
    bool hidden;             /* fault injection (test.*): never in presets */
    const eb_param_def *params;
    size_t param_count;
    uint64_t default_tasks;  /* --tasks when neither the flag nor a preset says */

    /* Once per job, before any worker exists (not timed). May set
     * job->workload_state; it is read-only afterwards (workers may be forked). */
    int (*setup)(struct eb_job *job);
    /* Once per worker, in the worker (thread / process / the coroutine thread),
     * inside the timed job: the per-thread session of the articles. May be NULL. */
    int (*worker_init)(struct eb_job *job, unsigned worker);
    /* Task `task` (0 <= task < job->tasks); writes its result: 0 or -errno. */
    int (*run_task)(struct eb_job *job, uint64_t task, uint64_t *result);
    /* After the job: 0 when every result is right; otherwise a negative value
     * and `why` says which task and what was expected. */
    int (*verify)(const struct eb_job *job, char *why, size_t why_len);
    /* The nominal wait of one task in ns (EB_WORK_WAIT, EB_WORK_MIX), for the ideal time. */
    int64_t (*task_wait_ns)(const struct eb_job *job);
    /* The relative cost of task `task` (EB_WORK_CPU; EB_WORK_MIX: its CPU
     * part), in any unit (cpu.sumsq: its n + task elements), for the ideal
     * time: the best schedule of whole tasks depends on their sizes. NULL:
     * every task costs the same. */
    uint64_t (*task_cost)(const struct eb_job *job, uint64_t task);
    /* Undo setup (not timed). May be NULL. */
    void (*teardown)(struct eb_job *job);
    /* Fault injection only (test.report): may damage the report the point
     * process prints for its parent (*text, *len bytes; it may shorten it or
     * rewrite it in place, never grow it), to show what the parent makes of
     * such a report. NULL for every real workload. */
    void (*damage_report)(const struct eb_job *job, char *text, size_t *len);
} eb_workload;

#endif
