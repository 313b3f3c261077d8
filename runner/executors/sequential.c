/* sequential.c — one worker, the tasks in order: the reference every other
 * executor's speedup is measured against. */
#include "executor.h"

#include <string.h>

static int sequential_run(eb_job *job, eb_job_result *out)
{
    eb_usage_mark mark;
    int rc = eb_job_begin_as_worker(job, &mark);
    if (rc != 0) {
        eb_job_fail(out, rc, "could not pin worker 0: %s", strerror(-rc));
    } else if (job->workload->worker_init != NULL &&
               (rc = job->workload->worker_init(job, 0)) != 0) {
        eb_job_fail(out, rc, "worker 0: worker_init failed: %s", strerror(-rc));
    } else {
        uint64_t task;
        while (eb_job_claim(job, &task)) {
            rc = eb_job_run_task(job, 0, task);
            if (rc != 0) {
                eb_job_fail(out, rc, "worker 0: task %llu failed: %s", (unsigned long long)task,
                            strerror(-rc));
                break;
            }
        }
    }
    eb_job_end(job, &mark, out);
    return out->status;
}

const eb_executor eb_executor_sequential = {
    .name = "sequential",
    .description = "one worker runs the tasks in order (the reference)",
    .allows_unbounded = false,
    .reference = true,
    .max_workers = 1,
    .memory = EB_FIT_SEQUENTIAL,
    .run = sequential_run,
};
