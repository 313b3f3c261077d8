/* mix_convoy.c — mix.convoy: the convoy effect (David Beazley's, of
 * CPython's GIL). Task 0 sums k*k for k < n without ever waiting (a
 * CPU-bound thread); every other task waits `latency_us` through wait.h (an
 * I/O-bound one). Under the threaded executor with 2 workers, one thread
 * takes task 0 and the other the waits, one after another: with free threads
 * on two cores each wait ends on time; under a GIL a thread whose wait has
 * ended must take the lock back from the CPU-bound thread, which holds it
 * until the waiter's switch interval runs out (wait/gil.h), so each wait
 * grows by about that interval; under one thread's coroutines (no GIL) the
 * waits end only once task 0 has finished. Compare n = 0 (no CPU-bound task)
 * with n > 0, and --gil off,on with --gil-interval-us, in the points'
 * task_latency_p50_ns and task_latency_p99_ns (with 101 tasks the p99, the
 * 100th of 101 by nearest rank, leaves out only the slowest: task 0 when it
 * outlasts the waits, as the default n does). */
#include "job.h"
#include "sumsq_kernel.h"
#include "task_checks.h"
#include "wait.h"
#include "workload.h"

#include <stdio.h>

enum { PARAM_N, PARAM_LATENCY_US };

static const eb_param_def convoy_params[] = {
    [PARAM_N] = {"n", 2000000000, 0, INT64_C(10000000000), "elements",
                 "task 0 sums k*k for k < n without waiting (0: no CPU-bound task)"},
    [PARAM_LATENCY_US] = {"latency_us", 10000, 0, INT64_C(3600000000), "us",
                          "how long every other task waits"},
};

static int convoy_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    if (task == 0) {
        *result = eb_sumsq((uint64_t)job->params[PARAM_N]);
        return 0;
    }
    *result = 0;
    return eb_wait_ns(job->params[PARAM_LATENCY_US] * 1000);
}

static int convoy_verify(const eb_job *job, char *why, size_t why_len)
{
    int64_t want = job->params[PARAM_LATENCY_US] * 1000;
    for (uint64_t t = 0; t < job->tasks; t++)
        if (eb_check_task_waited(job, t, t == 0 ? 0 : want, why, why_len) != 0) return -1;
    return eb_check_task_sum(job, 0, (uint64_t)job->params[PARAM_N], why, why_len);
}

/* Its ideal as a job of waits: ceil(waiting tasks / in flight) x the wait, a
 * lower bound (task 0 does not wait; its CPU runs beside the waits on
 * another core at best). */
static int64_t convoy_task_wait_ns(const eb_job *job)
{
    return job->params[PARAM_LATENCY_US] * 1000;
}

static uint64_t convoy_waiting_tasks(const eb_job *job)
{
    return job->tasks > 0 ? job->tasks - 1 : 0;
}

const eb_workload eb_workload_mix_convoy = {
    .name = "mix.convoy",
    .description = "the convoy effect: task 0 sums n squares without waiting, every other "
                   "task waits `latency_us`; under a GIL the waits' p99 grows by its interval",
    .kind = EB_WORK_WAIT,
    .params = convoy_params,
    .param_count = sizeof convoy_params / sizeof *convoy_params,
    .default_tasks = 101,
    .run_task = convoy_run_task,
    .verify = convoy_verify,
    .task_wait_ns = convoy_task_wait_ns,
    .waiting_tasks = convoy_waiting_tasks,
};
