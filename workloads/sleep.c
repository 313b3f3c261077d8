/* sleep.c — io.sleep: each task waits `latency` through the wait primitive (a
 * simulated request), optionally with a seeded, reproducible jitter. */
#include "job.h"
#include "task_checks.h"
#include "wait.h"
#include "workload.h"

#include <stdio.h>

enum { PARAM_LATENCY_US, PARAM_JITTER_PCT };

static const eb_param_def sleep_params[] = {
    [PARAM_LATENCY_US] = {"latency_us", 10000, 0, INT64_C(3600000000), "us",
                          "how long each task waits"},
    [PARAM_JITTER_PCT] = {"jitter_pct", 0, 0, 100, "%",
                          "each wait drawn uniformly within +/- this percentage (seeded)"},
};

/* splitmix64: a task's jitter depends only on (seed, task), never on which
 * executor ran it or in what order, so runs are reproducible and comparable. */
static uint64_t mix64(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

/* The wait of task `task` in ns. */
static int64_t task_wait(const eb_job *job, uint64_t task)
{
    int64_t base = job->params[PARAM_LATENCY_US] * 1000;
    int64_t pct = job->params[PARAM_JITTER_PCT];
    if (pct == 0 || base == 0) return base;
    /* uniform in [-pct, +pct] percent, in steps of 1/2^20 of the range */
    double u = (double)(mix64(job->seed ^ mix64(task)) >> 44) / (double)(1 << 20);
    double factor = 1.0 + (double)pct / 100.0 * (2.0 * u - 1.0);
    return (int64_t)((double)base * factor);
}

/* A task waits `wait` from its start: the deadline comes from the start
 * stamp its executor took (job.h), one clock read fewer per task than
 * eb_wait_ns; the task's latency (end - start) is measured as before and
 * still never below the wait (sleep_verify). */
static int sleep_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    int64_t wait = task_wait(job, task);
    int rc = eb_wait_until_ns(eb_job_task_started_ns(job, task) + wait);
    *result = (uint64_t)wait;
    return rc;
}

static int sleep_verify(const eb_job *job, char *why, size_t why_len)
{
    for (uint64_t t = 0; t < job->tasks; t++) {
        int64_t want = task_wait(job, t);
        if (eb_check_task_ran(job, t, why, why_len) != 0) return -1;
        if (job->task_result[t] != (uint64_t)want) {
            snprintf(why, why_len, "task %llu reported a wait of %llu ns, expected %lld ns",
                     (unsigned long long)t, (unsigned long long)job->task_result[t],
                     (long long)want);
            return -1;
        }
        if (eb_check_task_waited(job, t, want, why, why_len) != 0) return -1;
    }
    return 0;
}

static int64_t sleep_task_wait_ns(const eb_job *job)
{
    return job->params[PARAM_LATENCY_US] * 1000;
}

const eb_workload eb_workload_io_sleep = {
    .name = "io.sleep",
    .description = "I/O-bound: each task waits `latency_us` (the articles' 160 page downloads)",
    .kind = EB_WORK_WAIT,
    .params = sleep_params,
    .default_tasks = 160,
    .param_count = sizeof sleep_params / sizeof *sleep_params,
    .run_task = sleep_run_task,
    .verify = sleep_verify,
    .task_wait_ns = sleep_task_wait_ns,
};
