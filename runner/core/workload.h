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
    const char *key; /* as written in --param key=value and in names: "latency_us" */
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
struct eb_job_result;

/* What a workload measured in one run of its job, beside the job's own
 * figures (job_run.h), for the row: requests over real connections and the
 * server that answered them (net.http). The point names their keys. */
typedef struct eb_workload_figures {
    bool present;            /* run_end filled these */
    uint64_t requests;       /* completed, whatever their status */
    uint64_t connections;    /* opened during the run */
    uint64_t bytes_received; /* whole responses, headers included */
    int64_t latency_p50_ns;  /* per request, from the histogram (hist.h) */
    int64_t latency_p99_ns;
    int64_t latency_p999_ns;
    int64_t server_cpu_ns; /* the workload's server process during the run; -1: none */
    int32_t server_pu;     /* the PU its latest request ran on; -1: unknown */
} eb_workload_figures;

typedef struct eb_workload {
    const char *name;        /* "cpu.sumsq", "io.sleep" */
    const char *description; /* one line */
    eb_workload_kind kind;
    bool hidden; /* fault injection (test.*): never in presets */
    const eb_param_def *params;
    size_t param_count;
    uint64_t default_tasks; /* --tasks when neither the flag nor a preset says */

    /* Once per job, before any worker exists (not timed). May set
     * job->workload_state; it is read-only afterwards (workers may be forked). */
    int (*setup)(struct eb_job *job);
    /* Once per worker, in the worker (thread / process / the coroutine thread),
     * inside the timed job: the per-thread session of the articles. May be NULL.
     * State it makes belongs to the thread that runs it: a `_Thread_local` of
     * the workload's file. Threads and processes each have their own; the
     * coroutine executor's coroutines share their thread's (asyncio's one
     * session for every task), taking turns only at a wait, so a session
     * they share hands each task in flight a resource of its own (net.http:
     * a pool of connections). */
    int (*worker_init)(struct eb_job *job, unsigned worker);
    /* Task `task` (0 <= task < job->tasks); writes its result: 0 or -errno. */
    int (*run_task)(struct eb_job *job, uint64_t task, uint64_t *result);
    /* After the job: 0 when every result is right; otherwise a negative value
     * and `why` says which task and what was expected. */
    int (*verify)(const struct eb_job *job, char *why, size_t why_len);
    /* The nominal wait of one task in ns (EB_WORK_WAIT, EB_WORK_MIX), for the ideal time. */
    int64_t (*task_wait_ns)(const struct eb_job *job);
    /* EB_WORK_WAIT: how many of the job's tasks wait (NULL: all of them); the
     * others take no time the ideal counts (mix.convoy's task 0). */
    uint64_t (*waiting_tasks)(const struct eb_job *job);
    /* EB_WORK_MIX: the workload whose task is its CPU part, unit for unit of
     * task_cost (mix.waitsum: "cpu.sumsq"), so that the CPU part's time per
     * unit may come from that workload's sequential points too, which spend
     * nothing on waits. NULL: none. */
    const char *cpu_part;
    /* The relative cost of task `task` (EB_WORK_CPU; EB_WORK_MIX: its CPU
     * part), in any unit (cpu.sumsq: its n + task elements), for the ideal
     * time: the best schedule of whole tasks depends on their sizes. NULL:
     * every task costs the same. */
    uint64_t (*task_cost)(const struct eb_job *job, uint64_t task);
    /* Before each run of the job (warm-up or repetition), outside the timed
     * region: resets what run_end reports. May be NULL. */
    int (*run_begin)(struct eb_job *job);
    /* After each run, outside the timed region, whether it succeeded or not:
     * fills out->workload (eb_workload_figures) and closes what the run's
     * workers left open; when the run failed (out->status), may add to
     * out->error what the workload knows of why (the failed request, its
     * server's state). May be NULL. */
    void (*run_end)(struct eb_job *job, struct eb_job_result *out);
    /* Undo setup (not timed). May be NULL. */
    void (*teardown)(struct eb_job *job);
    /* Fault injection only (test.report): may damage the report the point
     * process prints for its parent (*text, *len bytes; it may shorten it or
     * rewrite it in place, never grow it), to show what the parent makes of
     * such a report. NULL for every real workload. */
    void (*damage_report)(const struct eb_job *job, char *text, size_t *len);
} eb_workload;

#endif
