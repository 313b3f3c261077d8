/* reactor_epoll.c — the epoll backend (reactor.h): EPOLLONESHOT waits
 * re-armed with EPOLL_CTL_MOD, and a nanosecond bound from epoll_pwait2, or a
 * timerfd in the set where epoll_pwait2 is missing (Linux < 5.11). Never
 * epoll_wait's millisecond timeout: it rounds a 10 ms wait up by up to 1 ms. */
#include "reactor.h"
#include "reactor_backend.h"

#include "wait.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define MAX_EVENTS 256
#define TIMER_KEY UINT64_MAX /* the timerfd's events (a wait's key has a non-zero gen) */

typedef struct epoll_impl {
    int ep;
    int timer_fd;           /* -1: epoll_pwait2 gives the bound */
    int64_t timer_until_ns; /* what the timerfd is set to; INT64_MAX: disarmed */
    uint8_t *registered;    /* by fd: believed to be in the set (a guess, see arm) */
    uint32_t registered_len;
    struct epoll_event events[MAX_EVENTS];
} epoll_impl;

static bool pwait2_works(int ep)
{
    struct epoll_event ev;
    struct timespec zero = {0, 0};
    return epoll_pwait2(ep, &ev, 1, &zero, NULL) >= 0 || errno != ENOSYS;
}

static int epoll_create_impl(uint32_t capacity, unsigned flags, void **out)
{
    (void)capacity;
    epoll_impl *e = calloc(1, sizeof *e);
    if (e == NULL) return -ENOMEM;
    e->timer_fd = -1;
    e->timer_until_ns = INT64_MAX;
    e->ep = epoll_create1(EPOLL_CLOEXEC);
    int rc = e->ep < 0 ? -errno : 0;
    if (rc == 0 && ((flags & EB_REACTOR_EPOLL_TIMERFD) || !pwait2_works(e->ep))) {
        e->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        struct epoll_event ev = {.events = EPOLLIN, .data.u64 = TIMER_KEY};
        if (e->timer_fd < 0 || epoll_ctl(e->ep, EPOLL_CTL_ADD, e->timer_fd, &ev) != 0) rc = -errno;
    }
    if (rc != 0) {
        if (e->timer_fd >= 0) close(e->timer_fd);
        if (e->ep >= 0) close(e->ep);
        free(e);
        return rc;
    }
    *out = e;
    return 0;
}

static void epoll_destroy_impl(void *impl)
{
    epoll_impl *e = impl;
    if (e->timer_fd >= 0) close(e->timer_fd);
    close(e->ep);
    free(e->registered);
    free(e);
}

/* The guess whether fd is in the set picks EPOLL_CTL_MOD (one system call
 * per wait on a kept connection) or ADD; a wrong guess (the fd was closed,
 * which removes it, and its number reused) costs one failed call, never a
 * wrong answer. */
static int epoll_arm(void *impl, int fd, unsigned events, uint64_t key)
{
    epoll_impl *e = impl;
    if ((uint32_t)fd >= e->registered_len) {
        uint32_t len = e->registered_len ? e->registered_len : 1024;
        while (len <= (uint32_t)fd)
            len *= 2;
        uint8_t *reg = realloc(e->registered, len);
        if (reg == NULL) return -ENOMEM;
        memset(reg + e->registered_len, 0, len - e->registered_len);
        e->registered = reg;
        e->registered_len = len;
    }
    struct epoll_event ev = {.events = EPOLLONESHOT | ((events & EB_WAIT_READABLE) ? EPOLLIN : 0u) |
                                       ((events & EB_WAIT_WRITABLE) ? EPOLLOUT : 0u),
                             .data.u64 = key};
    int op = e->registered[fd] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int rc = epoll_ctl(e->ep, op, fd, &ev);
    if (rc != 0 && op == EPOLL_CTL_MOD && errno == ENOENT)
        rc = epoll_ctl(e->ep, EPOLL_CTL_ADD, fd, &ev);
    else if (rc != 0 && op == EPOLL_CTL_ADD && errno == EEXIST)
        rc = epoll_ctl(e->ep, EPOLL_CTL_MOD, fd, &ev);
    if (rc != 0) {
        e->registered[fd] = 0;
        return errno == EPERM ? 1 : -errno; /* EPERM: a regular file, always ready */
    }
    e->registered[fd] = 1;
    return 0;
}

static void epoll_disarm(void *impl, int fd, uint64_t key)
{
    (void)key;
    epoll_impl *e = impl;
    epoll_ctl(e->ep, EPOLL_CTL_DEL, fd, NULL);
    e->registered[fd] = 0;
}

static int epoll_wait_impl(void *impl, int64_t until_ns, uint64_t *keys, int *results, uint32_t max)
{
    epoll_impl *e = impl;
    int maxevents = (int)(max < MAX_EVENTS ? max : MAX_EVENTS);
    int64_t now = eb_now_ns();
    int64_t left = until_ns == EB_WAIT_FOREVER ? INT64_MAX : until_ns <= now ? 0 : until_ns - now;
    int n;
    if (left <= 0) {
        n = epoll_wait(e->ep, e->events, maxevents, 0);
    } else if (e->timer_fd < 0) {
        struct timespec ts = {(time_t)(left / 1000000000), (long)(left % 1000000000)};
        n = epoll_pwait2(e->ep, e->events, maxevents, left == INT64_MAX ? NULL : &ts, NULL);
    } else {
        if (until_ns != e->timer_until_ns) {
            /* absolute: the timer cannot fire early, whatever happens in between */
            struct itimerspec its = {.it_value = {0, 0}};
            if (until_ns != EB_WAIT_FOREVER)
                its.it_value = (struct timespec){(time_t)(until_ns / 1000000000),
                                                 (long)(until_ns % 1000000000)};
            if (timerfd_settime(e->timer_fd, TFD_TIMER_ABSTIME, &its, NULL) != 0) return -errno;
            e->timer_until_ns = until_ns;
        }
        n = epoll_wait(e->ep, e->events, maxevents, -1);
    }
    if (n < 0) return errno == EINTR ? 0 : -errno;
    int got = 0;
    for (int i = 0; i < n; i++) {
        if (e->events[i].data.u64 == TIMER_KEY) {
            uint64_t ticks;
            if (read(e->timer_fd, &ticks, sizeof ticks) < 0) { /* EAGAIN: already read */
            }
            e->timer_until_ns = INT64_MAX; /* expired: the next bound sets it again */
            continue;
        }
        keys[got] = e->events[i].data.u64;
        results[got++] = 0;
    }
    return got;
}

const eb_reactor_backend eb_reactor_epoll = {
    .create = epoll_create_impl,
    .destroy = epoll_destroy_impl,
    .arm = epoll_arm,
    .disarm = epoll_disarm,
    .wait = epoll_wait_impl,
};
