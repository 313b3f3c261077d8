/* job.h — one job: N tasks of a workload, and the shared-memory arrays its
 * workers write.
 *
 * The per-task and per-worker arrays live in one MAP_SHARED anonymous mapping
 * made before any worker exists (job.c), so the same layout serves
 * threads and forked processes (will-it-scale's model): a worker writes its
 * slots, the parent reads them after the job. Workloads read their parameters
 * here and write their results into task_result. */
#ifndef EB_JOB_H
#define EB_JOB_H

#include "coro.h" /* eb_coro_backend: the coroutine executor's switch */
#include "workload.h"

#include "reactor.h" /* eb_reactor_kind: the coroutine executor's fd waits */

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct eb_pin_plan;
struct eb_gil;

/* job->coro_stack when none was asked for (--coro-stack auto): the coroutine
 * executors take eb_coro_stacks_auto_mode's (coro_stacks.h). */
#define EB_JOB_CORO_STACK_AUTO (-1)

/* Per-worker slots, one cache line each so workers never share a line. */
typedef struct eb_worker_slot {
    _Alignas(64) _Atomic int64_t current_task; /* task running now, -1 when idle */
    int32_t pu;                                /* sched_getcpu() seen at start, -1 unknown */
    int32_t pid;                               /* the worker's process (multiprocess) */
    int64_t tasks_done;
    int64_t ready_ns; /* eb_now_ns() when the worker was ready to take tasks */
    /* Its thread's run-queue wait (schedstat) when it started, and from then
     * to its last claim; -1 unknown. */
    int64_t delay_start_ns, run_delay_ns;
} eb_worker_slot;

typedef struct eb_job {
    /* What to run (set by the caller before eb_job_alloc). */
    const eb_workload *workload;
    int64_t params[EB_MAX_PARAMS]; /* in the order of workload->params */
    uint64_t tasks;
    unsigned workers;              /* 0: unbounded (coroutine and hybrid executors only) */
    unsigned threads;              /* hybrid: its scheduler threads (0: one per core the pin plan
                                      gives); eb_job_alloc gives each a worker slot */
    const struct eb_pin_plan *pin; /* NULL: no pinning */
    struct eb_gil *gil;            /* NULL: free threads; else the GIL the threaded
                                      and hybrid executors' threads attach to */
    eb_coro_backend coro_backend;
    /* --spawn apart: the threaded, multiprocess and hybrid executors start,
     * pin and initialise their workers before the clock starts (job_run.h:
     * eb_job_launch, the gate); false: their start-up is in the job. */
    bool spawn_apart;
    int coro_stack;          /* an eb_coro_stack_mode (coro.h), or EB_JOB_CORO_STACK_AUTO */
    uint64_t seed;           /* for workloads with randomness (jitter) */
    eb_reactor_kind reactor; /* the coroutine executor's fd waits: epoll or io_uring */
    /* A server the workload starts for the point (net.http): its event-loop
     * threads (0: one) and the PUs it may run on (NULL: any). */
    unsigned server_threads;
    const cpu_set_t *server_cpuset;

    void *workload_state; /* set by workload->setup, read-only afterwards */

    /* Where tasks come from when not the shared counter alone (NULL: it
     * alone): an MPI rank claims through a window at rank 0 or its static
     * share (runner/mpi). Called only while *next_task < tasks, so an
     * executor's stop (next_task = tasks) still stops its workers. */
    bool (*claim)(void *arg, uint64_t *task);
    void *claim_arg;
    /* The executor's own options, for executors that have some (mpi:
     * eb_mpi_config, mpi_config.h); NULL: its defaults. */
    const void *executor_config;
    /* [worker_slots] each worker's host, when the executor spans hosts (mpi
     * sets it, malloc'd; eb_job_free frees it); NULL: all on this one. */
    char (*worker_host)[64];

    /* Shared-memory arrays (eb_job_alloc), valid for the job's lifetime. */
    uint64_t *task_result;       /* [tasks] what run_task wrote */
    int64_t *task_start_ns;      /* [tasks] relative to job start, -1 not started */
    int64_t *task_end_ns;        /* [tasks] relative to job start, -1 not finished */
    eb_worker_slot *worker;      /* [worker_slots] */
    unsigned worker_slots;       /* max(workers, threads, 1) */
    _Atomic uint64_t *next_task; /* the shared task counter */
    struct eb_job_gate *gate;    /* where started workers wait for the clock (--spawn apart) */
    int64_t start_ns;            /* eb_now_ns() when the timed job began */
    int64_t launch_ns;           /* --spawn apart: eb_now_ns() when its start-up began, else 0 */
    int64_t end_ns;              /* eb_now_ns() when it ended, when the executor stopped the
                                    clock before its teardown (eb_job_stop_clock); 0: at eb_job_end */

    /* private to job.c */
    void *shared_base;
    size_t shared_bytes;
} eb_job;

/* When task `task` began: the stamp its executor took (eb_now_ns's clock,
 * CLOCK_MONOTONIC) read back, for a task that times from its own start
 * instead of reading the clock again (a read costs 28 ns on the 2-core VM,
 * an eighth of starting a coroutine; io.sleep waits from here). Valid
 * inside run_task. */
static inline int64_t eb_job_task_started_ns(const eb_job *job, uint64_t task)
{
    return job->start_ns + job->task_start_ns[task];
}

#endif
