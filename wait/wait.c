/* wait.c — the per-thread wait operations and the blocking default. */
#include "wait.h"

#include "current_task.h"

#include <errno.h>
#include <poll.h>

static _Thread_local const eb_wait_ops *current_ops;

static const _Atomic unsigned never_requested;
static void no_lock_op(void *ctx)
{
    (void)ctx;
}
const eb_check_hook eb_check_no_lock = {.request = &never_requested,
                                        .give_way = no_lock_op,
                                        .release = no_lock_op,
                                        .reacquire = no_lock_op};
_Thread_local const eb_check_hook *eb_check_hook_current = &eb_check_no_lock;

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

const eb_check_hook *eb_check_set_hook(const eb_check_hook *hook)
{
    const eb_check_hook *previous = eb_check_hook_current;
    eb_check_hook_current = hook != NULL ? hook : &eb_check_no_lock;
    return previous != &eb_check_no_lock ? previous : NULL;
}

const eb_check_hook *eb_check_release(void)
{
    const eb_check_hook *hook = eb_check_hook_current;
    if (hook == &eb_check_no_lock) return NULL;
    hook->release(hook->ctx);
    return hook;
}

void eb_check_reacquire(const eb_check_hook *released)
{
    if (released != NULL) released->reacquire(released->ctx);
}

int eb_wait_until_ns(int64_t deadline_ns)
{
    if (current_ops == NULL) {
        /* a blocking wait: the thread's lock (the GIL) is free meanwhile */
        const eb_check_hook *released = eb_check_release();
        int rc = blocking_wait_until(deadline_ns);
        eb_check_reacquire(released);
        return rc;
    }
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

int eb_wait_fd_blocking(int fd, unsigned events, int64_t deadline_ns)
{
    if (fd < 0) return -EBADF;
    if ((events & (EB_WAIT_READABLE | EB_WAIT_WRITABLE)) == 0) return -EINVAL;
    struct pollfd p = {.fd = fd,
                       .events = (short)(((events & EB_WAIT_READABLE) ? POLLIN : 0) |
                                         ((events & EB_WAIT_WRITABLE) ? POLLOUT : 0))};
    for (;;) {
        struct timespec left, *timeout = NULL;
        if (deadline_ns != EB_WAIT_FOREVER) {
            int64_t ns = deadline_ns - eb_now_ns();
            if (ns < 0) ns = 0; /* one look without waiting */
            left = (struct timespec){(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
            timeout = &left;
        }
        int n = ppoll(&p, 1, timeout, NULL);
        if (n > 0) return (p.revents & POLLNVAL) ? -EBADF : 0;
        if (n < 0 && errno != EINTR) return -errno;
        if (n == 0 && timeout != NULL && eb_now_ns() >= deadline_ns) return -ETIMEDOUT;
    }
}

int eb_wait_fd(int fd, unsigned events, int64_t deadline_ns)
{
    if (current_ops == NULL || current_ops->wait_fd == NULL) {
        const eb_check_hook *released = eb_check_release(); /* as in eb_wait_until_ns */
        int rc = eb_wait_fd_blocking(fd, events, deadline_ns);
        eb_check_reacquire(released);
        return rc;
    }
    eb_current_task mine = eb_current_task_get(); /* as in eb_wait_until_ns */
    int rc = current_ops->wait_fd(current_ops->ctx, fd, events, deadline_ns);
    eb_current_task_set(mine);
    return rc;
}
