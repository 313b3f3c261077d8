/* test_wait_fd.c — eb_wait_fd (wait/wait.h) without a scheduler: the
 * blocking default in a plain thread, its deadline, its errors, and the
 * installed operations taking over. */
#include "eb_test.h"
#include "wait.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct writer {
    int fd;
    int64_t delay_ns;
    int64_t wrote_at;
} writer;

static void *write_later(void *arg)
{
    writer *w = arg;
    struct timespec t = {0, (long)w->delay_ns};
    nanosleep(&t, NULL);
    w->wrote_at = eb_now_ns();
    EB_CHECK(write(w->fd, "x", 1) == 1);
    return NULL;
}

typedef struct waiter {
    int fd;
    int rc;
    int64_t returned_at;
} waiter;

static void *wait_readable(void *arg)
{
    waiter *w = arg;
    w->rc = eb_wait_fd(w->fd, EB_WAIT_READABLE, eb_now_ns() + 5000000000LL);
    w->returned_at = eb_now_ns();
    return NULL;
}

EB_TEST(a_plain_thread_waits_until_a_pipe_becomes_readable)
{
    int p[2];
    EB_REQUIRE(pipe(p) == 0);
    writer wr = {.fd = p[1], .delay_ns = 20000000};
    waiter wt = {.fd = p[0], .rc = 1};
    pthread_t a, b;
    EB_REQUIRE(pthread_create(&b, NULL, wait_readable, &wt) == 0);
    EB_REQUIRE(pthread_create(&a, NULL, write_later, &wr) == 0);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    EB_CHECKF(wt.rc == 0, "eb_wait_fd returned %d", wt.rc);
    EB_CHECKF(wt.returned_at >= wr.wrote_at, "returned %lld ns before the byte was written",
              (long long)(wr.wrote_at - wt.returned_at));
    char c;
    EB_CHECK(read(p[0], &c, 1) == 1 && c == 'x');
    close(p[0]);
    close(p[1]);
}

EB_TEST(an_idle_fd_times_out_at_the_deadline_never_early)
{
    int p[2];
    EB_REQUIRE(pipe(p) == 0);
    for (int i = 0; i < 5; i++) {
        int64_t deadline = eb_now_ns() + 3000000 + i * 1000000;
        int rc = eb_wait_fd(p[0], EB_WAIT_READABLE, deadline);
        int64_t now = eb_now_ns();
        EB_CHECKF(rc == -ETIMEDOUT, "returned %d", rc);
        EB_CHECKF(now >= deadline, "returned %lld ns early", (long long)(deadline - now));
    }
    close(p[0]);
    close(p[1]);
}

EB_TEST(a_ready_fd_is_reported_even_past_its_deadline)
{
    int s[2];
    EB_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);
    int64_t past = eb_now_ns() - 1000000;
    EB_CHECK(eb_wait_fd(s[0], EB_WAIT_WRITABLE, past) == 0);
    EB_CHECK(eb_wait_fd(s[0], EB_WAIT_READABLE, past) == -ETIMEDOUT);
    EB_CHECK(write(s[1], "y", 1) == 1);
    EB_CHECK(eb_wait_fd(s[0], EB_WAIT_READABLE, past) == 0);
    EB_CHECK(eb_wait_fd(s[0], EB_WAIT_READABLE | EB_WAIT_WRITABLE, EB_WAIT_FOREVER) == 0);
    close(s[0]);
    close(s[1]);
}

EB_TEST(a_hang_up_counts_as_ready_so_the_read_reports_it)
{
    int s[2];
    EB_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);
    close(s[1]);
    EB_CHECK(eb_wait_fd(s[0], EB_WAIT_READABLE, eb_now_ns() + 1000000000) == 0);
    char c;
    EB_CHECK(read(s[0], &c, 1) == 0);
    close(s[0]);
}

EB_TEST(a_closed_fd_and_no_events_are_errors)
{
    int p[2];
    EB_REQUIRE(pipe(p) == 0);
    close(p[0]);
    close(p[1]);
    EB_CHECK(eb_wait_fd(p[0], EB_WAIT_READABLE, eb_now_ns() + 1000000) == -EBADF);
    EB_CHECK(eb_wait_fd(-1, EB_WAIT_READABLE, eb_now_ns() + 1000000) == -EBADF);
    EB_CHECK(eb_wait_fd(0, 0, eb_now_ns() + 1000000) == -EINVAL);
}

static int fake_calls;
static int fake_wait_fd(void *ctx, int fd, unsigned events, int64_t deadline_ns)
{
    (void)ctx;
    (void)deadline_ns;
    fake_calls++;
    return fd == 12345 && events == EB_WAIT_WRITABLE ? -ENOTSUP : -EINVAL;
}

static int fake_wait_until(void *ctx, int64_t deadline_ns)
{
    (void)ctx;
    (void)deadline_ns;
    return 0;
}

EB_TEST(installed_operations_take_the_wait_and_without_one_it_blocks)
{
    eb_wait_ops ops = {.wait_until_ns = fake_wait_until, .wait_fd = fake_wait_fd};
    const eb_wait_ops *before = eb_wait_set_ops(&ops);
    EB_CHECK(eb_wait_fd(12345, EB_WAIT_WRITABLE, EB_WAIT_FOREVER) == -ENOTSUP);
    EB_CHECK(fake_calls == 1);
    /* an executor's table without wait_fd: the blocking default */
    eb_wait_ops timers_only = {.wait_until_ns = fake_wait_until};
    eb_wait_set_ops(&timers_only);
    int s[2];
    EB_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);
    EB_CHECK(eb_wait_fd(s[0], EB_WAIT_WRITABLE, EB_WAIT_FOREVER) == 0);
    EB_CHECK(fake_calls == 1);
    eb_wait_set_ops(before);
    close(s[0]);
    close(s[1]);
}
