/* executor.h — the one interface of an executor, and what every executor does
 * with the job (job.h and job_run.h, in runner/core) it runs.
 *
 * An executor runs job->tasks tasks of job->workload with at most job->workers
 * in flight, pinned per job->pin, and fills an eb_job_result (job_run.h). A new
 * executor is one file in runner/executors/ defining a `const eb_executor` and
 * one line in registry.c. */
#ifndef EB_EXECUTOR_H
#define EB_EXECUTOR_H

#include "job_run.h"
#include "memory_fit.h"
#include "workload.h"

#include <stdbool.h>
#include <stdint.h>

/* What an executor is, as the plan, the ideal and the reports ask it: no
 * code compares an executor's name. */
typedef struct eb_executor {
    const char *name;        /* "sequential", "threaded", "coroutine", "multiprocess" */
    const char *description; /* one line */
    bool allows_unbounded;   /* workers == 0 means "no limit" (coroutine) */
    bool parallel;           /* workers compute at once (threads, processes): the CPU
                                ideal is the best schedule of the tasks on min(workers,
                                cores) (ideal.c); false: one thread */
    bool reference;          /* its point is the reference of a group: the speedup's
                                divisor and the CPU ideal's base (sequential; the
                                results library names it in documents) */
    unsigned max_workers;    /* 0: no bound; else every point runs at most this many
                                workers, whatever --workers says (sequential: 1) */
    bool thread_per_core;    /* its threads are one per physical core the pin policy
                                gives, whatever --workers says (hybrid: --workers bounds
                                its coroutines): the pin plan is made for them and
                                job->threads says how many (point.c) */
    bool attaches_gil;       /* its threads attach to job->gil (--gil: threaded, hybrid);
                                the others run one thread per process, where a GIL
                                never changes hands, and get no GIL points */
    bool coroutines;         /* its tasks run as coroutines: --coro-stack applies
                                (job->coro_stack) and the plan names the mode */
    eb_fit_executor memory;  /* how its memory grows with its units: the up-front
                                estimate's model (memory_fit.h; 0: sequential) */
    /* Optional (NULL: nothing): what it settles once, before any timed run of the
     * job (the point process calls it after eb_job_alloc), so that no run pays
     * for it: the coroutine executor resolves --coro-stack auto here (its rule
     * reads vm.max_map_count, 25-150 us). 0 or -errno. */
    int (*prepare)(eb_job *job);
    bool named_only;    /* never in --executor all (nor a preset's all): it needs
                           a setup of its own (mpi: Open MPI, hosts) */
    const char *absent; /* NULL, or why this build lacks it (--list says so; the
                           plan refuses it with this reason) */
    bool forks;         /* its workers are forked processes: never inside an MPI
                           rank (MPI may not be called from a forked child) */
    bool ranks;         /* its workers are ranks, each running --rank-executor with
                           --rank-workers: the plan counts their tasks in flight */
    /* Runs the whole job (tasks from *next_task until exhausted), fills `out`. */
    int (*run)(eb_job *job, eb_job_result *out);
} eb_executor;

/* The registry (runner/executors/registry.c). */
extern const eb_executor *const eb_executors[];
extern const size_t eb_executor_count;
const eb_executor *eb_executor_find(const char *name);

#endif
