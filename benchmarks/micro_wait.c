/* micro_wait.c — micro.wait/<mechanism>/latency_us:N: how late one wait of N
 * microseconds wakes up, for each way execbench can wait: clock_nanosleep
 * (absolute deadline) with the default and with 1 ns timer slack, a timerfd,
 * epoll_pwait2 with a nanosecond timeout, and the coroutine scheduler's own
 * wait. Counters: overshoot_p50_ns and overshoot_p99_ns (wake-up minus
 * deadline); a wake-up before the deadline fails the run. */
#include "micro.h"
#include "scheduler.h"
#include "wait.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <unistd.h>

typedef enum {
    WAIT_NANOSLEEP,
    WAIT_NANOSLEEP_DEFAULT_SLACK,
    WAIT_TIMERFD,
    WAIT_EPOLL_PWAIT2,
    WAIT_COROUTINE,
} wait_kind;

static struct timespec to_timespec(int64_t ns)
{
    return (struct timespec){(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
}

/* One waiter's state and its samples. */
typedef struct waiter {
    eb_state *s;
    wait_kind kind;
    int fd; /* timerfd or epoll */
    int64_t latency_ns;
    int64_t *overshoot_ns; /* one per iteration */
    size_t count, capacity;
    int64_t early; /* wake-ups before the deadline */
    int error;     /* first failure of the wait itself */
} waiter;

static int wait_once(waiter *w, int64_t deadline_ns)
{
    switch (w->kind) {
    case WAIT_NANOSLEEP:
    case WAIT_NANOSLEEP_DEFAULT_SLACK: {
        struct timespec t = to_timespec(deadline_ns);
        int rc;
        while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL)) == EINTR) {
        }
        return -rc;
    }
    case WAIT_TIMERFD: {
        struct itimerspec it = {.it_value = to_timespec(deadline_ns)};
        if (timerfd_settime(w->fd, TFD_TIMER_ABSTIME, &it, NULL) != 0) return -errno;
        uint64_t expirations;
        if (read(w->fd, &expirations, sizeof expirations) != sizeof expirations) return -errno;
        return expirations == 1 ? 0 : -EPROTO;
    }
    case WAIT_EPOLL_PWAIT2: {
        struct epoll_event ev;
        int n;
        do { /* a relative timeout in ns; recomputed after an interruption */
            int64_t left = deadline_ns - eb_now_ns();
            struct timespec t = to_timespec(left > 0 ? left : 0);
            n = epoll_pwait2(w->fd, &ev, 1, &t, NULL);
        } while (n < 0 && errno == EINTR);
        return n < 0 ? -errno : 0;
    }
    case WAIT_COROUTINE:
        return eb_wait_until_ns(deadline_ns); /* the scheduler's wait operation */
    }
    return -EINVAL;
}

static void measure(waiter *w)
{
    int64_t n;
    while ((n = eb_state_keep_running_batch(w->s, 1)) > 0) {
        int64_t deadline = eb_now_ns() + w->latency_ns;
        int rc = wait_once(w, deadline);
        int64_t late = eb_now_ns() - deadline;
        if (rc != 0 && w->error == 0) w->error = rc;
        w->early += late < 0;
        if (w->count < w->capacity) w->overshoot_ns[w->count++] = late;
    }
}

/* The coroutine variant: the same loop inside one coroutine of the runner's
 * scheduler, so each wait parks it and the scheduler sleeps. */
typedef struct coroutine_run {
    bool given;
    waiter *w;
} coroutine_run;

static bool one_coroutine(void *ctx, uint64_t *arg)
{
    coroutine_run *r = ctx;
    *arg = 0;
    if (r->given) return false;
    r->given = true;
    return true;
}

static void coroutine_measure(void *ctx, uint64_t arg)
{
    (void)arg;
    measure(((coroutine_run *)ctx)->w);
}

static int run_in_coroutine(waiter *w)
{
    eb_sched_config config = eb_sched_default_config(EB_CORO_FCONTEXT, 1);
    eb_sched *sched;
    int rc = eb_sched_create(&config, &sched);
    if (rc != 0) return rc;
    coroutine_run r = {.w = w};
    rc = eb_sched_run(sched, coroutine_measure, &r, one_coroutine);
    eb_sched_destroy(sched);
    return rc;
}

static void bm_wait(eb_state *s, void *arg)
{
    waiter w = {.s = s, .kind = (wait_kind)(uintptr_t)arg, .fd = -1};
    w.latency_ns = eb_state_range(s, 0) * 1000;
    if (!micro_pin_or_fail(s, 0)) return;
    w.capacity = (size_t)eb_state_max_iterations(s);
    w.overshoot_ns = malloc((w.capacity > 0 ? w.capacity : 1) * sizeof *w.overshoot_ns);
    if (w.overshoot_ns == NULL) {
        micro_fail(s, "no memory for %zu samples", w.capacity);
        return;
    }
    int previous_slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    /* 0 resets the thread to its default slack (inherited, normally 50 us). */
    prctl(PR_SET_TIMERSLACK, w.kind == WAIT_NANOSLEEP_DEFAULT_SLACK ? 0UL : 1UL, 0, 0, 0);
    int slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    int rc = 0;
    if (w.kind == WAIT_TIMERFD) {
        w.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
        rc = w.fd < 0 ? -errno : 0;
    } else if (w.kind == WAIT_EPOLL_PWAIT2) {
        w.fd = epoll_create1(EPOLL_CLOEXEC);
        rc = w.fd < 0 ? -errno : 0;
    }
    if (rc == 0) {
        if (w.kind == WAIT_COROUTINE)
            rc = run_in_coroutine(&w);
        else
            measure(&w);
    }
    if (w.fd >= 0) close(w.fd);
    if (previous_slack > 0) prctl(PR_SET_TIMERSLACK, (unsigned long)previous_slack, 0, 0, 0);

    if (rc != 0 || w.error != 0)
        micro_fail(s, "the wait failed: %s", strerror(-(rc != 0 ? rc : w.error)));
    else if (w.early != 0)
        micro_fail(s, "%lld of %zu waits woke before their deadline", (long long)w.early, w.count);
    else if (w.count > 0) {
        eb_state_counter(s, "overshoot_p50_ns",
                         (double)micro_percentile(w.overshoot_ns, w.count, 0.50),
                         EB_COUNTER_DEFAULT);
        eb_state_counter(s, "overshoot_p99_ns",
                         (double)micro_percentile(w.overshoot_ns, w.count, 0.99),
                         EB_COUNTER_DEFAULT);
        eb_state_counter(s, "timer_slack_ns", (double)slack, EB_COUNTER_DEFAULT);
    }
    free(w.overshoot_ns);
}

void micro_wait_register(void)
{
    static const struct {
        const char *name;
        wait_kind kind;
    } kinds[] = {
        {"micro.wait/clock_nanosleep", WAIT_NANOSLEEP},
        {"micro.wait/clock_nanosleep_default_slack", WAIT_NANOSLEEP_DEFAULT_SLACK},
        {"micro.wait/timerfd", WAIT_TIMERFD},
        {"micro.wait/epoll_pwait2", WAIT_EPOLL_PWAIT2},
        {"micro.wait/coroutine", WAIT_COROUTINE},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        eb_bench *b = eb_bench_register(kinds[i].name, bm_wait, (void *)(uintptr_t)kinds[i].kind);
        eb_bench_arg_name(b, "latency_us");
        eb_bench_arg(b, 10);
        eb_bench_arg(b, 100);
        eb_bench_arg(b, 1000);
        eb_bench_unit(b, EB_TIME_US);
        eb_bench_timing(b, EB_TIMING_REAL); /* it sleeps: wall time drives it */
    }
}
