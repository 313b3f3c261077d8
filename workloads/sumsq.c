/* sumsq.c — cpu.sumsq: task i computes the sum of k*k for k < n + i, the
 * articles' CPU task, checked against the closed form. */
#include "job.h"
#include "sumsq_kernel.h"
#include "task_checks.h"
#include "workload.h"

#include <stdio.h>

enum { PARAM_N };

static const eb_param_def sumsq_params[] = {
    [PARAM_N] = {"n", 5000000, 1, INT64_C(10000000000), "elements",
                 "task i sums k*k for k < n + i"},
};

static int sumsq_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    *result = eb_sumsq((uint64_t)job->params[PARAM_N] + task);
    return 0;
}

/* The elements task `task` sums: its time, up to a per-element constant. */
static uint64_t sumsq_task_cost(const eb_job *job, uint64_t task)
{
    return (uint64_t)job->params[PARAM_N] + task;
}

static int sumsq_verify(const eb_job *job, char *why, size_t why_len)
{
    for (uint64_t t = 0; t < job->tasks; t++)
        if (eb_check_task_sum(job, t, (uint64_t)job->params[PARAM_N] + t, why, why_len) != 0)
            return -1;
    return 0;
}

const eb_workload eb_workload_cpu_sumsq = {
    .name = "cpu.sumsq",
    .description = "CPU-bound: task i sums k*k for k < n + i (the articles' 20 x 5,000,000)",
    .kind = EB_WORK_CPU,
    .params = sumsq_params,
    .default_tasks = 20,
    .param_count = sizeof sumsq_params / sizeof *sumsq_params,
    .run_task = sumsq_run_task,
    .verify = sumsq_verify,
    .task_cost = sumsq_task_cost,
};
