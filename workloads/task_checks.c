/* task_checks.c — see task_checks.h. */
#include "task_checks.h"

#include "sumsq_kernel.h"

#include <stdio.h>

int eb_check_task_ran(const eb_job *job, uint64_t task, char *why, size_t why_len)
{
    if (job->task_start_ns[task] >= 0 && job->task_end_ns[task] >= 0) return 0;
    snprintf(why, why_len, "task %llu never ran to completion", (unsigned long long)task);
    return -1;
}

int eb_check_task_waited(const eb_job *job, uint64_t task, int64_t want_ns, char *why,
                         size_t why_len)
{
    if (eb_check_task_ran(job, task, why, why_len) != 0) return -1;
    int64_t took = job->task_end_ns[task] - job->task_start_ns[task];
    if (took >= want_ns) return 0;
    snprintf(why, why_len, "task %llu returned after %lld ns, before its %lld ns wait ended",
             (unsigned long long)task, (long long)took, (long long)want_ns);
    return -1;
}

int eb_check_task_sum(const eb_job *job, uint64_t task, uint64_t n, char *why, size_t why_len)
{
    if (eb_sumsq_verify(n, job->task_result[task])) return 0;
    snprintf(why, why_len, "task %llu: sum of k*k for k < %llu is %llu mod 2^64, expected %llu",
             (unsigned long long)task, (unsigned long long)n,
             (unsigned long long)job->task_result[task],
             (unsigned long long)(uint64_t)eb_sumsq_closed_form(n));
    return -1;
}
