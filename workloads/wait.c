/* wait.c — the per-thread wait operations and the blocking default. */
#include "wait.h"

#include "current_task.h"

#include <errno.h>

static _Thread_local const eb_wait_ops *current_ops;

const eb_wait_ops *eb_wait_set_ops(const eb_wait_ops *ops)
{
    const eb_wait_ops *previous = current_ops;
    current_ops = ops;
    return previous;
}

static int blocking_wait_until(int64_t deadline_ns)
{
    struct timespec t = {(time_t)(deadline_ns / 1000000000), (long)(deadline_ns % 1000000000)};
    int rc;
    while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL)) == EINTR) {
    }
    return -rc;
}

int eb_wait_until_ns(int64_t deadline_ns)
{
    if (current_ops == NULL) return blocking_wait_until(deadline_ns);
    /* An executor's wait may run other tasks on this thread before it returns
     * (coroutines): the task that resumes here is still this one. */
    eb_current_task mine = eb_current_task_get();
    int rc = current_ops->wait_until_ns(current_ops->ctx, deadline_ns);
    eb_current_task_set(mine);
    return rc;
}

int eb_wait_ns(int64_t duration_ns)
{
    return eb_wait_until_ns(eb_now_ns() + duration_ns);
}
