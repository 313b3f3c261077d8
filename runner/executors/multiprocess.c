/* multiprocess.c — PLACEHOLDER until the runner work lands: a pool of W forked
 * processes sharing the job's shared-memory task counter. */
#include "executor.h"

#include <errno.h>

static int multiprocess_run(eb_job *job, eb_job_result *out)
{
    (void)job;
    return eb_job_fail(out, -ENOSYS, "the multiprocess executor is not built yet");
}

const eb_executor eb_executor_multiprocess = {
    .name = "multiprocess",
    .description = "a pool of W forked processes sharing a shared-memory task counter",
    .allows_unbounded = false,
    .run = multiprocess_run,
};
