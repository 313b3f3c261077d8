/* coroutine.c — PLACEHOLDER until the coroutine work lands: one thread, one
 * scheduler, one stackful coroutine per task. */
#include "executor.h"

#include <errno.h>

static int coroutine_run(eb_job *job, eb_job_result *out)
{
    (void)job;
    return eb_job_fail(out, -ENOSYS, "the coroutine executor is not built yet");
}

const eb_executor eb_executor_coroutine = {
    .name = "coroutine",
    .description = "one thread, one stackful coroutine per task, at most W in flight (0: unbounded)",
    .allows_unbounded = true,
    .run = coroutine_run,
};
