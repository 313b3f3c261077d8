/* task_checks.h — what the workloads' verify functions check of one task,
 * each failure one line in `why` naming the task: that it ran to completion,
 * that it took at least its wait, that its sum of squares is right. Each
 * returns 0, or -1 with `why` filled. */
#ifndef EB_TASK_CHECKS_H
#define EB_TASK_CHECKS_H

#include "job.h"

#include <stddef.h>
#include <stdint.h>

int eb_check_task_ran(const eb_job *job, uint64_t task, char *why, size_t why_len);
/* It ran, and from its start to its end at least want_ns passed. */
int eb_check_task_waited(const eb_job *job, uint64_t task, int64_t want_ns, char *why,
                         size_t why_len);
/* Its result is the sum of k*k for k < n, modulo 2^64. */
int eb_check_task_sum(const eb_job *job, uint64_t task, uint64_t n, char *why, size_t why_len);

#endif
