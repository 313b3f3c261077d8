/* mix_waitsum.c — mix.waitsum: task i waits `latency_us` through wait.h and
 * then computes the sum of k*k for k < n + i: the download-then-parse shape
 * of a crawler, or a service that waits on a database and then renders. Each
 * part is verified as its own workload verifies it: the sum against the
 * closed form, the wait against the clock. Sweeping n from 0 with the latency
 * fixed moves the task from pure waiting to mostly CPU (the crossover). */
#include "job.h"
#include "sumsq_kernel.h"
#include "task_checks.h"
#include "wait.h"
#include "workload.h"

#include <stdio.h>

enum { PARAM_N, PARAM_LATENCY_US };

static const eb_param_def waitsum_params[] = {
    [PARAM_N] = {"n", 1000000, 0, INT64_C(10000000000), "elements",
                 "after its wait, task i sums k*k for k < n + i"},
    [PARAM_LATENCY_US] = {"latency_us", 10000, 0, INT64_C(3600000000), "us",
                          "how long each task waits before it computes"},
};

static int waitsum_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    int rc = eb_wait_ns(job->params[PARAM_LATENCY_US] * 1000);
    if (rc != 0) return rc;
    *result = eb_sumsq((uint64_t)job->params[PARAM_N] + task);
    return 0;
}

static int waitsum_verify(const eb_job *job, char *why, size_t why_len)
{
    int64_t want = job->params[PARAM_LATENCY_US] * 1000;
    for (uint64_t t = 0; t < job->tasks; t++)
        if (eb_check_task_waited(job, t, want, why, why_len) != 0 ||
            eb_check_task_sum(job, t, (uint64_t)job->params[PARAM_N] + t, why, why_len) != 0)
            return -1;
    return 0;
}

static int64_t waitsum_task_wait_ns(const eb_job *job)
{
    return job->params[PARAM_LATENCY_US] * 1000;
}

/* The elements of task `task`'s CPU part. */
static uint64_t waitsum_task_cost(const eb_job *job, uint64_t task)
{
    return (uint64_t)job->params[PARAM_N] + task;
}

const eb_workload eb_workload_mix_waitsum = {
    .name = "mix.waitsum",
    .description = "mixed: task i waits `latency_us`, then sums k*k for k < n + i (download, "
                   "then parse)",
    .kind = EB_WORK_MIX,
    .params = waitsum_params,
    .param_count = sizeof waitsum_params / sizeof *waitsum_params,
    .default_tasks = 100,
    .run_task = waitsum_run_task,
    .verify = waitsum_verify,
    .task_wait_ns = waitsum_task_wait_ns,
    .task_cost = waitsum_task_cost,
    .cpu_part = "cpu.sumsq", /* the same kernel, n + i elements a task */
};
