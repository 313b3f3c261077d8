/* executor.h — the one interface of an executor, and the job it runs.
 *
 * An executor runs job->tasks tasks of job->workload with at most job->workers
 * in flight, pinned per job->pin, and fills an eb_job_result. A new executor is
 * one file in runner/executors/ defining a `const eb_executor` and one line in
 * registry.c.
 *
 * The job's per-task and per-worker arrays live in one MAP_SHARED anonymous
 * mapping made before any worker exists, so the same layout serves threads and
 * forked processes (will-it-scale's model): a worker writes its slots, the
 * parent reads them after the job. */
#ifndef EB_EXECUTOR_H
#define EB_EXECUTOR_H

#include "workload.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct eb_pin_plan;

typedef enum eb_coro_backend {
    EB_CORO_FCONTEXT = 0, /* Boost.Context's jump_fcontext/make_fcontext */
    EB_CORO_UCONTEXT,     /* glibc makecontext/swapcontext, the portable fallback */
} eb_coro_backend;

/* Per-worker slots, one cache line each so workers never share a line. */
typedef struct eb_worker_slot {
    _Alignas(64) _Atomic int64_t current_task; /* task running now, -1 when idle */
    int32_t pu;                                /* sched_getcpu() seen at start, -1 unknown */
    int32_t pid;                               /* the worker's process (multiprocess) */
    int64_t tasks_done;
    int64_t ready_ns; /* eb_now_ns() when the worker was ready to take tasks */
} eb_worker_slot;

typedef struct eb_job {
    /* What to run (set by the caller before eb_job_alloc). */
    const eb_workload *workload;
    int64_t params[EB_MAX_PARAMS]; /* in the order of workload->params */
    uint64_t tasks;
    unsigned workers; /* 0: unbounded (coroutine executor only) */
    const struct eb_pin_plan *pin; /* NULL: no pinning */
    eb_coro_backend coro_backend;
    uint64_t seed; /* for workloads with randomness (jitter) */

    void *workload_state; /* set by workload->setup, read-only afterwards */

    /* Shared-memory arrays (eb_job_alloc), valid for the job's lifetime. */
    uint64_t *task_result;       /* [tasks] what run_task wrote */
    int64_t *task_start_ns;      /* [tasks] relative to job start, -1 not started */
    int64_t *task_end_ns;        /* [tasks] relative to job start, -1 not finished */
    eb_worker_slot *worker;      /* [worker_slots] */
    unsigned worker_slots;       /* max(workers, 1) */
    _Atomic uint64_t *next_task; /* the shared task counter */
    int64_t start_ns;            /* eb_now_ns() when the timed job began */

    /* private to job.c */
    void *shared_base;
    size_t shared_bytes;
} eb_job;

typedef struct eb_job_result {
    int64_t wall_ns;           /* whole job, executor start-up included */
    int64_t spawn_ns;          /* start-up alone: until every worker was ready */
    int64_t cpu_user_ns;       /* this process and its reaped children */
    int64_t cpu_sys_ns;
    int64_t children_cpu_ns;   /* the part of the above spent in child processes */
    int64_t ctx_switches_voluntary;
    int64_t ctx_switches_involuntary;
    int64_t max_rss_kib;       /* peak, children included */
    int status;                /* 0, or a negative errno / EB_E* code */
    char error[256];           /* when status != 0: what happened, precisely */
} eb_job_result;

typedef struct eb_executor {
    const char *name;        /* "sequential", "threaded", "coroutine", "multiprocess" */
    const char *description; /* one line */
    bool allows_unbounded;   /* workers == 0 means "no limit" (coroutine) */
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
/* Pins the calling thread as `worker` (per job->pin) and records its PU. */
int eb_job_worker_start(eb_job *job, unsigned worker);

#endif
