/* test_reactor.c — the coroutine scheduler's reactor (runner/coro/reactor.h)
 * with each backend: epoll (epoll_pwait2), epoll with its timerfd fallback,
 * and io_uring. The reactor alone: ready fds, idle fds timing out never
 * early, a deadline withdrawn once its fd was ready, one wait per fd. Under
 * the scheduler: 1,000 coroutines each waiting on a timer and a socket, fd
 * deadlines, and a thread that sleeps rather than spins while they wait. */
#include "eb_test.h"
#include "reactor.h"
#include "scheduler.h"
#include "server.h" /* eb_net_raise_fd_limit */
#include "wait.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct variant {
    eb_reactor_kind kind;
    unsigned flags;
    const char *name;
} variant;

static const variant EPOLL = {EB_REACTOR_EPOLL, 0, "epoll"};
static const variant TIMERFD = {EB_REACTOR_EPOLL, EB_REACTOR_EPOLL_TIMERFD, "epoll+timerfd"};
static const variant URING = {EB_REACTOR_IO_URING, 0, "io_uring"};

#define MS 1000000LL

static void skip_if_unavailable(variant v, int rc)
{
    if (v.kind == EB_REACTOR_IO_URING && (rc == -ENOSYS || rc == -EPERM))
        EB_SKIP("io_uring is not available here (%s): the io_uring reactor cannot be tested",
                strerror(-rc));
}

static eb_reactor *make_reactor(variant v, uint32_t capacity)
{
    eb_reactor_config config = {.kind = v.kind, .capacity = capacity, .flags = v.flags};
    eb_reactor *r;
    int rc = eb_reactor_create(&config, &r);
    skip_if_unavailable(v, rc);
    EB_REQUIRE(rc == 0);
    return r;
}

/* Polls until `want` waits finished (10 s at most), into out. */
static uint32_t collect(eb_reactor *r, eb_reactor_event *out, uint32_t want)
{
    uint32_t got = 0;
    int64_t give_up = eb_now_ns() + 10000 * MS;
    while (got < want && eb_now_ns() < give_up) {
        int n = eb_reactor_poll(r, give_up, out + got, want - got);
        EB_REQUIRE(n >= 0);
        got += (uint32_t)n;
    }
    return got;
}

static void pair(int sv[2])
{
    EB_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
}

/* ---- the reactor alone -------------------------------------------------------- */

static void reactor_reports_ready_fds_and_times_out_idle_ones(variant v)
{
    eb_reactor *r = make_reactor(v, 8);
    int a[2], b[2], c[2];
    pair(a), pair(b), pair(c);
    EB_REQUIRE(write(a[1], "x", 1) == 1);
    EB_REQUIRE(eb_reactor_add(r, a[0], EB_WAIT_READABLE, eb_now_ns() + 1000 * MS, &a) == 0);
    /* far enough that a loaded machine does not pass it before the add */
    int64_t b_deadline = eb_now_ns() + 100 * MS;
    EB_REQUIRE(eb_reactor_add(r, b[0], EB_WAIT_READABLE, b_deadline, &b) == 0);
    EB_REQUIRE(eb_reactor_add(r, c[0], EB_WAIT_WRITABLE, EB_WAIT_FOREVER, &c) == 0);
    EB_CHECK(eb_reactor_waiting(r) == 3);
    /* one wait per fd; bad requests */
    EB_CHECK(eb_reactor_add(r, a[0], EB_WAIT_WRITABLE, EB_WAIT_FOREVER, NULL) == -EBUSY);
    EB_CHECK(eb_reactor_add(r, a[1], 0, EB_WAIT_FOREVER, NULL) == -EINVAL);
    EB_CHECK(eb_reactor_add(r, -1, EB_WAIT_READABLE, EB_WAIT_FOREVER, NULL) == -EBADF);
    eb_reactor_event ev[3];
    EB_REQUIRE(collect(r, ev, 3) == 3);
    int seen_a = 0, seen_b = 0, seen_c = 0;
    for (int i = 0; i < 3; i++) {
        if (ev[i].token == &a || ev[i].token == &c) {
            seen_a += ev[i].token == &a;
            seen_c += ev[i].token == &c;
            EB_CHECK(ev[i].result == 0);
        }
        if (ev[i].token == &b) {
            seen_b++;
            EB_CHECK(ev[i].result == -ETIMEDOUT);
            EB_CHECK(eb_now_ns() >= b_deadline);
            EB_CHECK(i == 2); /* after the ready ones */
        }
    }
    EB_CHECKF(seen_a == 1 && seen_b == 1 && seen_c == 1, "%s: a %d, b %d, c %d", v.name, seen_a,
              seen_b, seen_c);
    EB_CHECK(eb_reactor_waiting(r) == 0);
    /* the bound alone, with nothing armed: never early */
    for (int i = 0; i < 5; i++) {
        int64_t until = eb_now_ns() + 2 * MS;
        EB_CHECK(eb_reactor_poll(r, until, ev, 3) == 0);
        EB_CHECKF(eb_now_ns() >= until, "%s: the poll returned early", v.name);
    }
    eb_reactor_destroy(r);
    for (int i = 0; i < 2; i++)
        close(a[i]), close(b[i]), close(c[i]);
}

static void a_deadline_is_withdrawn_once_its_fd_was_ready(variant v)
{
    eb_reactor *r = make_reactor(v, 8);
    int a[2], b[2];
    pair(a), pair(b);
    EB_REQUIRE(write(a[1], "x", 1) == 1);
    int64_t a_deadline = eb_now_ns() + 100 * MS; /* not passed before the add, even loaded */
    EB_REQUIRE(eb_reactor_add(r, a[0], EB_WAIT_READABLE, a_deadline, &a) == 0);
    eb_reactor_event ev[2];
    EB_REQUIRE(collect(r, ev, 1) == 1 && ev[0].token == &a && ev[0].result == 0);
    /* past a's old deadline, nothing may come back but b's own end */
    EB_REQUIRE(eb_reactor_add(r, b[0], EB_WAIT_READABLE, EB_WAIT_FOREVER, &b) == 0);
    int64_t until = a_deadline + 30 * MS;
    while (eb_now_ns() < until) {
        int n = eb_reactor_poll(r, until, ev, 2);
        EB_REQUIRE(n >= 0);
        EB_CHECKF(n == 0, "%s: %d waits finished with nothing ready (result %d)", v.name, n,
                  ev[0].result);
        if (n != 0) break;
    }
    EB_REQUIRE(write(b[1], "y", 1) == 1);
    EB_REQUIRE(collect(r, ev, 1) == 1 && ev[0].token == &b && ev[0].result == 0);
    /* many waits whose deadlines never come: the heap sheds them */
    char c;
    EB_REQUIRE(read(a[0], &c, 1) == 1);
    for (int i = 0; i < 20000; i++) {
        EB_REQUIRE(eb_reactor_add(r, a[1], EB_WAIT_WRITABLE, eb_now_ns() + 10000 * MS, &a) == 0);
        EB_REQUIRE(collect(r, ev, 1) == 1 && ev[0].token == &a && ev[0].result == 0);
    }
    EB_CHECK(eb_reactor_waiting(r) == 0);
    eb_reactor_destroy(r);
    for (int i = 0; i < 2; i++)
        close(a[i]), close(b[i]);
}

EB_TEST(epoll_reports_ready_fds_and_times_out_idle_ones)
{
    reactor_reports_ready_fds_and_times_out_idle_ones(EPOLL);
}
EB_TEST(epoll_timerfd_reports_ready_fds_and_times_out_idle_ones)
{
    reactor_reports_ready_fds_and_times_out_idle_ones(TIMERFD);
}
EB_TEST(io_uring_reports_ready_fds_and_times_out_idle_ones)
{
    reactor_reports_ready_fds_and_times_out_idle_ones(URING);
}
EB_TEST(epoll_withdraws_a_deadline_once_its_fd_was_ready)
{
    a_deadline_is_withdrawn_once_its_fd_was_ready(EPOLL);
}
EB_TEST(epoll_timerfd_withdraws_a_deadline_once_its_fd_was_ready)
{
    a_deadline_is_withdrawn_once_its_fd_was_ready(TIMERFD);
}
EB_TEST(io_uring_withdraws_a_deadline_once_its_fd_was_ready)
{
    a_deadline_is_withdrawn_once_its_fd_was_ready(URING);
}

EB_TEST(reactor_kinds_have_names)
{
    eb_reactor_kind k;
    EB_CHECK(eb_reactor_kind_parse("io_uring", &k) == 0 && k == EB_REACTOR_IO_URING);
    EB_CHECK(eb_reactor_kind_parse("epoll", &k) == 0 && k == EB_REACTOR_EPOLL);
    EB_CHECK(eb_reactor_kind_parse("kqueue", &k) == -EINVAL);
    EB_CHECK(strcmp(eb_reactor_kind_name(EB_REACTOR_IO_URING), "io_uring") == 0);
}

/* ---- under the scheduler -------------------------------------------------------- */

static eb_sched *make_sched(variant v, uint64_t max_coros)
{
    eb_reactor_destroy(make_reactor(v, 1)); /* skips where the backend is missing */
    eb_sched_config config = eb_sched_default_config(EB_CORO_FCONTEXT, max_coros);
    config.reactor = v.kind;
    config.reactor_flags = v.flags;
    eb_sched *s;
    EB_REQUIRE(eb_sched_create(&config, &s) == 0);
    return s;
}

static void run(eb_sched *s, eb_coro_fn fn, void *ctx, eb_sched_next_fn next)
{
    EB_REQUIRE(eb_sched_run(s, fn, ctx, next) == 0);
}

typedef struct counter {
    uint64_t next, count;
} counter;

static bool next_index(void *ctx, uint64_t *arg)
{
    counter *c = ctx; /* every context here starts with one */
    if (c->next >= c->count) return false;
    *arg = c->next++;
    return true;
}

#define THOUSAND 1000
typedef struct thousand {
    counter c;
    int sv[THOUSAND][2];
    uint16_t got_from[THOUSAND];
    int errors, early;
} thousand;

static uint64_t writes_to(uint64_t i)
{
    return (i * 7 + 3) % THOUSAND; /* a permutation: 7 is prime to 1000 */
}

static void thousand_body(void *ctx, uint64_t i)
{
    thousand *t = ctx;
    int64_t due = eb_now_ns() + (int64_t)(i % 5) * MS;
    if (eb_wait_until_ns(due) != 0) t->errors++;
    if (eb_now_ns() < due) t->early++;
    uint16_t id = (uint16_t)i;
    if (write(t->sv[writes_to(i)][1], &id, sizeof id) != sizeof id) t->errors++;
    int rc = eb_wait_fd(t->sv[i][0], EB_WAIT_READABLE, eb_now_ns() + 10000 * MS);
    if (rc != 0 || read(t->sv[i][0], &t->got_from[i], sizeof id) != sizeof id) t->errors++;
}

static void thousand_coroutines_wait_on_a_timer_and_a_socket(variant v)
{
    if (eb_net_raise_fd_limit(2 * THOUSAND + 64, NULL, NULL) != 0)
        EB_SKIP("RLIMIT_NOFILE's hard limit is below %d fds", 2 * THOUSAND + 64);
    thousand *t = calloc(1, sizeof *t);
    EB_REQUIRE(t != NULL);
    t->c.count = THOUSAND;
    for (int i = 0; i < THOUSAND; i++)
        pair(t->sv[i]);
    eb_sched *s = make_sched(v, THOUSAND);
    run(s, thousand_body, t, next_index);
    int wrong = 0;
    for (uint64_t i = 0; i < THOUSAND; i++)
        wrong += writes_to(t->got_from[i]) != i;
    EB_CHECKF(t->errors == 0 && t->early == 0 && wrong == 0, "%s: %d errors, %d early, %d wrong",
              v.name, t->errors, t->early, wrong);
    eb_sched_stats st;
    eb_sched_get_stats(s, &st);
    EB_CHECK(st.started == THOUSAND);
    EB_CHECKF(st.fd_parks > 0 && st.parks > 0, "%s: %llu fd parks, %llu timer parks", v.name,
              (unsigned long long)st.fd_parks, (unsigned long long)st.parks);
    eb_sched_destroy(s);
    for (int i = 0; i < THOUSAND; i++)
        close(t->sv[i][0]), close(t->sv[i][1]);
    free(t);
}

EB_TEST(epoll_runs_a_thousand_coroutines_each_waiting_on_a_timer_and_a_socket)
{
    thousand_coroutines_wait_on_a_timer_and_a_socket(EPOLL);
}
EB_TEST(epoll_timerfd_runs_a_thousand_coroutines_each_waiting_on_a_timer_and_a_socket)
{
    thousand_coroutines_wait_on_a_timer_and_a_socket(TIMERFD);
}
EB_TEST(io_uring_runs_a_thousand_coroutines_each_waiting_on_a_timer_and_a_socket)
{
    thousand_coroutines_wait_on_a_timer_and_a_socket(URING);
}

#define IDLE 100
typedef struct idle_run {
    counter c;
    int sv[IDLE][2];
    int64_t deadline[IDLE];
    int timed_out, early, other;
} idle_run;

static void idle_body(void *ctx, uint64_t i)
{
    idle_run *r = ctx;
    int rc = eb_wait_fd(r->sv[i][0], EB_WAIT_READABLE, r->deadline[i]);
    if (rc == -ETIMEDOUT)
        r->timed_out++;
    else
        r->other++;
    if (rc == -ETIMEDOUT && eb_now_ns() < r->deadline[i]) r->early++;
}

static void fd_deadlines_end_waits_never_early(variant v)
{
    idle_run *r = calloc(1, sizeof *r);
    EB_REQUIRE(r != NULL);
    r->c.count = IDLE;
    eb_sched *s = make_sched(v, IDLE);
    int64_t base = eb_now_ns() + 20 * MS;
    for (int i = 0; i < IDLE; i++) {
        pair(r->sv[i]);
        r->deadline[i] = base + (int64_t)((i * 37) % IDLE) * 100000; /* 0.1 ms apart, shuffled */
    }
    run(s, idle_body, r, next_index);
    EB_CHECKF(r->timed_out == IDLE && r->other == 0 && r->early == 0,
              "%s: %d timed out, %d other, %d early", v.name, r->timed_out, r->other, r->early);
    eb_sched_destroy(s);
    for (int i = 0; i < IDLE; i++)
        close(r->sv[i][0]), close(r->sv[i][1]);
    free(r);
}

/* Coroutine 0 waits on an fd; coroutine 1 tries the same fd, is refused,
 * and wakes coroutine 0 by writing. */
typedef struct busy_run {
    counter c;
    int sv[2];
    int first_rc, second_rc;
} busy_run;

static void busy_body(void *ctx, uint64_t i)
{
    busy_run *r = ctx;
    if (i == 0) {
        r->first_rc = eb_wait_fd(r->sv[0], EB_WAIT_READABLE, EB_WAIT_FOREVER);
        return;
    }
    r->second_rc = eb_wait_fd(r->sv[0], EB_WAIT_READABLE, EB_WAIT_FOREVER);
    EB_CHECK(write(r->sv[1], "w", 1) == 1);
}

static void a_second_wait_on_the_same_fd_is_refused(variant v)
{
    busy_run r = {.c = {0, 2}, .first_rc = 1, .second_rc = 1};
    pair(r.sv);
    eb_sched *s = make_sched(v, 2);
    run(s, busy_body, &r, next_index);
    EB_CHECKF(r.first_rc == 0 && r.second_rc == -EBUSY, "%s: first %d, second %d", v.name,
              r.first_rc, r.second_rc);
    eb_sched_destroy(s);
    close(r.sv[0]);
    close(r.sv[1]);
}

EB_TEST(epoll_refuses_a_second_coroutine_waiting_on_the_same_fd)
{
    a_second_wait_on_the_same_fd_is_refused(EPOLL);
}
EB_TEST(io_uring_refuses_a_second_coroutine_waiting_on_the_same_fd)
{
    a_second_wait_on_the_same_fd_is_refused(URING);
}

EB_TEST(epoll_fd_deadlines_end_waits_never_early)
{
    fd_deadlines_end_waits_never_early(EPOLL);
}
EB_TEST(epoll_timerfd_fd_deadlines_end_waits_never_early)
{
    fd_deadlines_end_waits_never_early(TIMERFD);
}
EB_TEST(io_uring_fd_deadlines_end_waits_never_early)
{
    fd_deadlines_end_waits_never_early(URING);
}

/* 50 coroutines wait on idle sockets while one sleeps 100 ms and then
 * writes to all: the thread must sleep through it, not spin. */
#define SLEEPERS 50
typedef struct sleepy {
    counter c;
    int sv[SLEEPERS][2];
    int ok;
    int regular_fd;
} sleepy;

static void sleepy_body(void *ctx, uint64_t i)
{
    sleepy *r = ctx;
    if (i == SLEEPERS) {
        eb_wait_ns(100 * MS);
        for (int k = 0; k < SLEEPERS; k++)
            EB_CHECK(write(r->sv[k][1], "z", 1) == 1);
        /* a regular file is always ready, under either backend */
        r->ok += eb_wait_fd(r->regular_fd, EB_WAIT_READABLE, EB_WAIT_FOREVER) == 0;
        return;
    }
    r->ok += eb_wait_fd(r->sv[i][0], EB_WAIT_READABLE, EB_WAIT_FOREVER) == 0;
}

static int64_t thread_cpu_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void the_thread_sleeps_while_coroutines_wait_on_fds(variant v)
{
    sleepy *r = calloc(1, sizeof *r);
    EB_REQUIRE(r != NULL);
    r->c.count = SLEEPERS + 1;
    for (int i = 0; i < SLEEPERS; i++)
        pair(r->sv[i]);
    char path[] = "/tmp/eb-reactor-XXXXXX";
    r->regular_fd = mkstemp(path);
    EB_REQUIRE(r->regular_fd >= 0);
    unlink(path);
    eb_sched *s = make_sched(v, SLEEPERS + 1);
    int64_t wall = eb_now_ns(), cpu = thread_cpu_ns();
    run(s, sleepy_body, r, next_index);
    wall = eb_now_ns() - wall;
    cpu = thread_cpu_ns() - cpu;
    EB_CHECK(r->ok == SLEEPERS + 1);
    EB_CHECKF(wall >= 100 * MS, "%s: done after %.1f ms", v.name, (double)wall / 1e6);
    /* CPU time only counts while this thread runs: a loaded machine cannot
     * inflate it, a spinning loop would make it ~100 ms */
    EB_CHECKF(cpu < wall / 4, "%s: %.1f ms CPU in %.1f ms: the scheduler spun", v.name,
              (double)cpu / 1e6, (double)wall / 1e6);
    eb_sched_destroy(s);
    for (int i = 0; i < SLEEPERS; i++)
        close(r->sv[i][0]), close(r->sv[i][1]);
    close(r->regular_fd);
    free(r);
}

EB_TEST(epoll_the_thread_sleeps_while_coroutines_wait_on_fds)
{
    the_thread_sleeps_while_coroutines_wait_on_fds(EPOLL);
}
EB_TEST(epoll_timerfd_the_thread_sleeps_while_coroutines_wait_on_fds)
{
    the_thread_sleeps_while_coroutines_wait_on_fds(TIMERFD);
}
EB_TEST(io_uring_the_thread_sleeps_while_coroutines_wait_on_fds)
{
    the_thread_sleeps_while_coroutines_wait_on_fds(URING);
}

EB_TEST(outside_a_coroutine_the_scheduler_waits_on_an_fd_by_blocking)
{
    eb_sched *s = make_sched(EPOLL, 4);
    int sv[2];
    pair(sv);
    EB_CHECK(eb_sched_wait_fd(s, sv[0], EB_WAIT_WRITABLE, EB_WAIT_FOREVER) == 0);
    int64_t deadline = eb_now_ns() + 2 * MS;
    EB_CHECK(eb_sched_wait_fd(s, sv[0], EB_WAIT_READABLE, deadline) == -ETIMEDOUT);
    EB_CHECK(eb_now_ns() >= deadline);
    eb_sched_destroy(s);
    close(sv[0]);
    close(sv[1]);
}
