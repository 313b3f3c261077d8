/* reactor_uring.c — the io_uring backend (reactor.h): one IORING_OP_POLL_ADD
 * per wait, queued by arm and submitted in a batch by the next wait, which
 * also waits for completions with a nanosecond bound
 * (io_uring_submit_and_wait_timeout: one system call for both). */
#include "reactor.h"
#include "reactor_backend.h"

#include "wait.h"

#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdlib.h>

#define REMOVE_KEY UINT64_MAX /* a POLL_REMOVE's own completion */
#define MAX_SQ 4096
#define MAX_CQ 65536 /* the kernel's limit; beyond it completions wait in its overflow list */

typedef struct uring_impl {
    struct io_uring ring;
} uring_impl;

static unsigned pow2_at_least(uint32_t n, unsigned lo, unsigned hi)
{
    unsigned p = lo;
    while (p < n && p < hi)
        p *= 2;
    return p;
}

static int uring_create(uint32_t capacity, unsigned flags, void **out)
{
    (void)flags;
    uring_impl *u = calloc(1, sizeof *u);
    if (u == NULL) return -ENOMEM;
    /* every parked coroutine may finish at once: room for all their completions */
    unsigned sq = pow2_at_least(capacity, 64, MAX_SQ);
    unsigned cq = pow2_at_least(capacity, 2 * sq, MAX_CQ);
    /* COOP_TASKRUN: a poll that becomes ready leaves its completion for this
     * thread's next entry into the kernel instead of interrupting it
     * (TASKRUN_FLAG tells liburing's submit to enter for it). Without it,
     * back-to-back requests cost nearly twice the CPU (README, "epoll or
     * io_uring"). Linux 5.19; an older kernel gets the plain ring. */
    struct io_uring_params p = {.flags = IORING_SETUP_CQSIZE | IORING_SETUP_COOP_TASKRUN |
                                         IORING_SETUP_TASKRUN_FLAG,
                                .cq_entries = cq};
    int rc = io_uring_queue_init_params(sq, &u->ring, &p);
    if (rc == -EINVAL) {
        p = (struct io_uring_params){.flags = IORING_SETUP_CQSIZE, .cq_entries = cq};
        rc = io_uring_queue_init_params(sq, &u->ring, &p);
    }
    if (rc != 0) {
        free(u);
        return rc;
    }
    *out = u;
    return 0;
}

static void uring_destroy(void *impl)
{
    uring_impl *u = impl;
    io_uring_queue_exit(&u->ring);
    free(u);
}

static struct io_uring_sqe *get_sqe(uring_impl *u)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
    if (sqe == NULL) { /* the queue is full: submit what is there */
        io_uring_submit(&u->ring);
        sqe = io_uring_get_sqe(&u->ring);
    }
    return sqe;
}

static int uring_arm(void *impl, int fd, unsigned events, uint64_t key)
{
    uring_impl *u = impl;
    struct io_uring_sqe *sqe = get_sqe(u);
    if (sqe == NULL) return -EBUSY;
    io_uring_prep_poll_add(sqe, fd,
                           ((events & EB_WAIT_READABLE) ? POLLIN : 0u) |
                               ((events & EB_WAIT_WRITABLE) ? POLLOUT : 0u));
    io_uring_sqe_set_data64(sqe, key);
    return 0;
}

static void uring_disarm(void *impl, int fd, uint64_t key)
{
    (void)fd;
    uring_impl *u = impl;
    struct io_uring_sqe *sqe = get_sqe(u);
    if (sqe == NULL) return; /* the poll stays; its completion will be ignored */
    io_uring_prep_poll_remove(sqe, key);
    io_uring_sqe_set_data64(sqe, REMOVE_KEY);
}

static int uring_wait(void *impl, int64_t until_ns, uint64_t *keys, int *results, uint32_t max)
{
    uring_impl *u = impl;
    int64_t now = eb_now_ns();
    int64_t left = until_ns == EB_WAIT_FOREVER ? INT64_MAX : until_ns <= now ? 0 : until_ns - now;
    int rc;
    if (left <= 0) {
        rc = io_uring_submit(&u->ring);
    } else if (io_uring_cq_ready(&u->ring) > 0) {
        rc = io_uring_submit(&u->ring); /* completions already there: no waiting */
    } else {
        struct io_uring_cqe *cqe;
        struct __kernel_timespec ts = {left / 1000000000, left % 1000000000};
        rc = io_uring_submit_and_wait_timeout(&u->ring, &cqe, 1, left == INT64_MAX ? NULL : &ts,
                                              NULL);
    }
    if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) return rc;
    uint32_t got = 0, seen = 0;
    unsigned head;
    struct io_uring_cqe *cqe;
    io_uring_for_each_cqe(&u->ring, head, cqe)
    {
        if (got == max) break;
        seen++;
        if (cqe->user_data == REMOVE_KEY) continue;
        keys[got] = cqe->user_data;
        results[got++] = cqe->res < 0 ? cqe->res : 0; /* res: the revents mask, or -errno */
    }
    io_uring_cq_advance(&u->ring, seen);
    return (int)got;
}

const eb_reactor_backend eb_reactor_io_uring = {
    .create = uring_create,
    .destroy = uring_destroy,
    .arm = uring_arm,
    .disarm = uring_disarm,
    .wait = uring_wait,
};
