/* faults.c — fault injection: test.crash, test.hang, test.badresult.
 *
 * Every task does a little real work (a short sum of squares, verified like
 * cpu.sumsq) except task `at`, which segfaults, never returns, or reports a
 * wrong sum. They exist so the tests can show that the runner contains each
 * fault under every executor; they are hidden from the presets and from the
 * default workload list. */
#include "job.h"
#include "sumsq_kernel.h"
#include "wait.h"
#include "workload.h"

#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

enum { PARAM_AT, PARAM_N };

static const eb_param_def fault_params[] = {
    [PARAM_AT] = {"at", 1, 0, INT64_C(100000000), "task", "the task that misbehaves"},
    [PARAM_N] = {"n", 1000, 1, INT64_C(100000000), "elements",
                 "every other task sums k*k for k < n + i"},
};

static uint64_t task_n(const eb_job *job, uint64_t task)
{
    return (uint64_t)job->params[PARAM_N] + task;
}

static bool injected(const eb_job *job, uint64_t task)
{
    return task == (uint64_t)job->params[PARAM_AT];
}

/* Checks the honest tasks; `faulty` says what task `at` should have done. */
static int fault_verify(const eb_job *job, char *why, size_t why_len, const char *faulty)
{
    if ((uint64_t)job->params[PARAM_AT] >= job->tasks) {
        snprintf(why, why_len, "%s: at=%lld is beyond the %llu tasks, so nothing was injected",
                 job->workload->name, (long long)job->params[PARAM_AT],
                 (unsigned long long)job->tasks);
        return -1;
    }
    for (uint64_t t = 0; t < job->tasks; t++) {
        uint64_t want = (uint64_t)eb_sumsq_closed_form(task_n(job, t));
        if (injected(job, t) && faulty != NULL) {
            snprintf(why, why_len, "task %llu %s", (unsigned long long)t, faulty);
            return -1;
        }
        if (job->task_result[t] != want) {
            snprintf(why, why_len, "task %llu: sum of k*k for k < %llu is %llu, expected %llu",
                     (unsigned long long)t, (unsigned long long)task_n(job, t),
                     (unsigned long long)job->task_result[t], (unsigned long long)want);
            return -1;
        }
    }
    return 0;
}

/* test.crash: a page with no access rights, mapped in setup, written by task
 * `at` — a real SIGSEGV, not raise(), and no undefined behaviour for the
 * sanitizers to intercept first. */
static int crash_setup(eb_job *job)
{
    void *page =
        mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return -errno;
    job->workload_state = page;
    return 0;
}

static void crash_teardown(eb_job *job)
{
    if (job->workload_state != NULL) munmap(job->workload_state, (size_t)sysconf(_SC_PAGESIZE));
    job->workload_state = NULL;
}

static int crash_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    if (injected(job, task)) *(volatile uint64_t *)job->workload_state = task;
    *result = eb_sumsq(task_n(job, task));
    return 0;
}

static int crash_verify(const eb_job *job, char *why, size_t why_len)
{
    return fault_verify(job, why, why_len, "should have crashed but returned");
}

static int hang_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    if (injected(job, task))
        for (;;)
            eb_wait_ns(INT64_C(3600000000000)); /* a request that never answers */
    *result = eb_sumsq(task_n(job, task));
    return 0;
}

static int hang_verify(const eb_job *job, char *why, size_t why_len)
{
    return fault_verify(job, why, why_len, "should have hung but returned");
}

static int badresult_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    uint64_t sum = eb_sumsq(task_n(job, task));
    *result = injected(job, task) ? sum ^ 1 : sum;
    return 0;
}

static int badresult_verify(const eb_job *job, char *why, size_t why_len)
{
    return fault_verify(job, why, why_len, NULL);
}

#define FAULT_COMMON                                                                               \
    .kind = EB_WORK_CPU, .hidden = true, .params = fault_params,                                   \
    .param_count = sizeof fault_params / sizeof *fault_params, .default_tasks = 4

const eb_workload eb_workload_test_crash = {
    .name = "test.crash",
    .description = "fault injection: task `at` writes to an inaccessible page (SIGSEGV)",
    FAULT_COMMON,
    .setup = crash_setup,
    .run_task = crash_run_task,
    .verify = crash_verify,
    .teardown = crash_teardown,
};

const eb_workload eb_workload_test_hang = {
    .name = "test.hang",
    .description = "fault injection: task `at` waits forever (for --timeout)",
    FAULT_COMMON,
    .run_task = hang_run_task,
    .verify = hang_verify,
};

const eb_workload eb_workload_test_badresult = {
    .name = "test.badresult",
    .description = "fault injection: task `at` reports a wrong sum (for verification)",
    FAULT_COMMON,
    .run_task = badresult_run_task,
    .verify = badresult_verify,
};
