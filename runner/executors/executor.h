/* executor.h — the one interface of an executor, and what every executor does
 * with the job (workloads/job.h) it runs.
 *
 * An executor runs job->tasks tasks of job->workload with at most job->workers
 * in flight, pinned per job->pin, and fills an eb_job_result. A new executor is
 * one file in runner/executors/ defining a `const eb_executor` and one line in
 * registry.c. */
#ifndef EB_EXECUTOR_H
#define EB_EXECUTOR_H

#include "gil.h"
#include "job.h"
#include "workload.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>

typedef struct eb_job_result {
    int64_t wall_ns;           /* whole job, executor start-up included */
    int64_t spawn_ns;          /* start-up alone: until every worker was ready */
    int64_t cpu_user_ns;       /* this process and its reaped children */
    int64_t cpu_sys_ns;
    int64_t children_cpu_ns;   /* the part of the above spent in child processes */
    int64_t ctx_switches_voluntary;
    int64_t ctx_switches_involuntary;
    int64_t max_rss_kib;       /* peak, children included */
    eb_gil_stats gil;          /* with job->gil: its counts over this job (threaded, hybrid) */
    int status;                /* 0, or a negative errno / EB_E* code */
    char error[768];           /* when status != 0: what happened, precisely (which
                                  limit, when a limit refused a worker: oslimits.h) */
} eb_job_result;

typedef struct eb_executor {
    const char *name;        /* "sequential", "threaded", "coroutine", "multiprocess" */
    const char *description; /* one line */
    bool allows_unbounded;   /* workers == 0 means "no limit" (coroutine) */
    bool parallel;           /* workers compute at once (threads, processes): the CPU
                                ideal is the best schedule of the tasks on min(workers,
                                cores) (ideal.c); false: one thread */
    bool thread_per_core;    /* its threads are one per physical core the pin policy
                                gives, whatever --workers says (hybrid: --workers bounds
                                its coroutines): the pin plan is made for them and
                                job->threads says how many (point.c) */
    /* Runs the whole job (tasks from *next_task until exhausted), fills `out`. */
    int (*run)(eb_job *job, eb_job_result *out);
} eb_executor;

/* The registry (runner/executors/registry.c). */
extern const eb_executor *const eb_executors[];
extern const size_t eb_executor_count;
const eb_executor *eb_executor_find(const char *name);

/* job.c: the shared arrays and what every executor does around a task. */
int eb_job_alloc(eb_job *job);      /* maps the shared arrays, resets them */
void eb_job_reset(eb_job *job);     /* before another run of the same job */
void eb_job_free(eb_job *job);
/* Runs task `task` as worker `worker`: stamps start/end, current_task, result.
 * Returns run_task's status. Every executor calls this, never run_task. */
int eb_job_run_task(eb_job *job, unsigned worker, uint64_t task);
/* Claims the next task index, or returns false when none is left. */
bool eb_job_claim(eb_job *job, uint64_t *task);
/* Pins the calling thread as `worker` (per job->pin) and records its PU,
 * process and ready time. Called by every worker before its first task. */
int eb_job_worker_start(eb_job *job, unsigned worker);

/* What eb_job_begin notes so eb_job_end can fill the result. */
typedef struct eb_usage_mark {
    struct rusage self, children;
} eb_usage_mark;

/* Starts the timed job: job->start_ns = now, resource usage noted. */
void eb_job_begin(eb_job *job, eb_usage_mark *mark);
/* Ends it: fills wall_ns, spawn_ns (the last worker's ready time), CPU times,
 * context switches and peak RSS. Leaves status and error as they are. */
void eb_job_end(const eb_job *job, const eb_usage_mark *mark, eb_job_result *out);
/* Sets out->status and a printf-formatted out->error; returns status. */
int eb_job_fail(eb_job_result *out, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
