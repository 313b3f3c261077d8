/* test_net_coro.c — the HTTP client under the coroutine scheduler, with the
 * epoll and the io_uring reactor: verified tasks over kept connections and
 * over a connection per request, deadlines on a silent server, 10,000
 * concurrent keep-alive connections, and running out of file descriptors as
 * a clear error rather than a hang. */
#include "client.h"
#include "eb_test.h"
#include "net_fixture.h"
#include "scheduler.h"
#include "server.h"
#include "wait.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define SEED 1234
#define MS 1000000LL

typedef struct http_run {
    uint64_t next, count; /* coroutines */
    uint16_t port;
    bool keepalive;
    uint64_t per_coro;
    uint64_t body_bytes;
    int64_t timeout_ns; /* per request; 0: none */
    uint64_t barrier;   /* > 0: after the first request, wait until that many got theirs */
    uint64_t first_done;
    uint64_t ok, failed, early, emfile;
    uint64_t connects, open, max_open;
    eb_http_failure first_failure;
    char first_message[256];
} http_run;

static bool next_coro(void *ctx, uint64_t *arg)
{
    http_run *r = ctx;
    if (r->next >= r->count) return false;
    *arg = r->next++;
    return true;
}

static void http_body(void *ctx, uint64_t i)
{
    http_run *r = ctx;
    eb_http_conn c;
    eb_http_conn_init(&c, r->port, r->keepalive);
    for (uint64_t k = 0; k < r->per_coro; k++) {
        eb_http_response resp;
        int64_t deadline = r->timeout_ns > 0 ? eb_now_ns() + r->timeout_ns : EB_WAIT_FOREVER;
        bool was_open = c.fd >= 0;
        int rc = eb_http_get_task(&c, i * r->per_coro + k, deadline, &resp);
        if (!was_open && c.fd >= 0 && ++r->open > r->max_open) r->max_open = r->open;
        if (was_open && c.fd < 0) r->open--;
        if (rc == 0) rc = eb_http_check_body(&resp, SEED, r->body_bytes);
        if (rc == 0) {
            r->ok++;
        } else {
            if (r->failed++ == 0) {
                r->first_failure = resp.failure;
                eb_http_describe(&resp, r->first_message, sizeof r->first_message);
            }
            if (resp.failure == EB_HTTP_TIMED_OUT && eb_now_ns() < deadline) r->early++;
            if (resp.failure == EB_HTTP_CONNECT_FAILED && resp.sys_errno == EMFILE) r->emfile++;
        }
        if (k == 0 && r->barrier > 0) {
            /* every connection open at once: the others hold theirs meanwhile */
            r->first_done++;
            while (r->first_done < r->barrier)
                eb_wait_ns(100 * MS);
        }
    }
    r->connects += c.connects;
    if (c.fd >= 0) r->open--;
    eb_http_conn_close(&c);
}

static eb_sched *make_sched(eb_reactor_kind kind, uint64_t max_coros)
{
    net_skip_without(kind);
    /* the runner's own configuration for that many coroutines (4 KiB stacks
     * from 8,192 on): the client must fit */
    eb_sched_config config = eb_sched_default_config(EB_CORO_FCONTEXT, max_coros);
    config.reactor = kind;
    eb_sched *s;
    EB_REQUIRE(eb_sched_create(&config, &s) == 0);
    return s;
}

static eb_net_server *start(uint64_t body_bytes, int64_t latency_us, eb_net_fault fault)
{
    eb_net_server_config cfg = eb_net_server_default_config();
    cfg.body_bytes = body_bytes;
    cfg.latency_us = latency_us;
    cfg.seed = SEED;
    cfg.fault = fault;
    return net_start(&cfg);
}

static void coroutines_fetch_verified_tasks(eb_reactor_kind kind, bool keepalive)
{
    eb_net_server *srv = start(2000, 2000, EB_NET_FAULT_NONE);
    uint64_t coros = keepalive ? 100 : 50, per = keepalive ? 10 : 4;
    http_run r = {.count = coros,
                  .port = eb_net_server_port(srv),
                  .keepalive = keepalive,
                  .per_coro = per,
                  .body_bytes = 2000,
                  .timeout_ns = 30000 * MS};
    eb_sched *s = make_sched(kind, coros);
    EB_REQUIRE(eb_sched_run(s, http_body, &r, next_coro) == 0);
    EB_CHECKF(r.ok == coros * per && r.failed == 0, "%s: %llu ok, %llu failed: %s",
              eb_reactor_kind_name(kind), (unsigned long long)r.ok, (unsigned long long)r.failed,
              r.first_message);
    eb_net_server_stats st;
    eb_net_server_get_stats(srv, &st);
    uint64_t conns = keepalive ? coros : coros * per;
    EB_CHECKF(st.accepts == conns && r.connects == conns && st.requests == coros * per,
              "%s: server %llu connections, %llu requests; client %llu connections",
              eb_reactor_kind_name(kind), (unsigned long long)st.accepts,
              (unsigned long long)st.requests, (unsigned long long)r.connects);
    eb_sched_stats ss;
    eb_sched_get_stats(s, &ss);
    EB_CHECK(ss.fd_parks > 0 && ss.max_alive == coros);
    eb_sched_destroy(s);
    EB_REQUIRE(eb_net_server_stop(srv, NULL) == 0);
}

EB_TEST(epoll_coroutines_fetch_verified_tasks_over_kept_connections)
{
    coroutines_fetch_verified_tasks(EB_REACTOR_EPOLL, true);
}
EB_TEST(io_uring_coroutines_fetch_verified_tasks_over_kept_connections)
{
    coroutines_fetch_verified_tasks(EB_REACTOR_IO_URING, true);
}
EB_TEST(epoll_coroutines_fetch_verified_tasks_a_connection_per_request)
{
    coroutines_fetch_verified_tasks(EB_REACTOR_EPOLL, false);
}
EB_TEST(io_uring_coroutines_fetch_verified_tasks_a_connection_per_request)
{
    coroutines_fetch_verified_tasks(EB_REACTOR_IO_URING, false);
}

static void a_silent_server_times_out_every_coroutine(eb_reactor_kind kind)
{
    eb_net_server *srv = start(100, 0, EB_NET_FAULT_SILENT);
    http_run r = {.count = 50,
                  .port = eb_net_server_port(srv),
                  .keepalive = true,
                  .per_coro = 1,
                  .body_bytes = 100,
                  .timeout_ns = 50 * MS};
    eb_sched *s = make_sched(kind, 50);
    EB_REQUIRE(eb_sched_run(s, http_body, &r, next_coro) == 0);
    EB_CHECK(r.ok == 0 && r.failed == 50 && r.early == 0);
    EB_CHECKF(r.first_failure == EB_HTTP_TIMED_OUT, "%s", r.first_message);
    eb_sched_destroy(s);
    EB_REQUIRE(eb_net_server_stop(srv, NULL) == 0);
}

EB_TEST(epoll_a_silent_server_times_out_every_coroutine_at_its_deadline)
{
    a_silent_server_times_out_every_coroutine(EB_REACTOR_EPOLL);
}
EB_TEST(io_uring_a_silent_server_times_out_every_coroutine_at_its_deadline)
{
    a_silent_server_times_out_every_coroutine(EB_REACTOR_IO_URING);
}

#define TEN_THOUSAND 10000

static void ten_thousand_concurrent_keepalive_connections(eb_reactor_kind kind)
{
    uint64_t soft, hard;
    /* the client's connections plus a margin; the server, a process of its
     * own, needs as many in its own limit */
    if (eb_net_raise_fd_limit(TEN_THOUSAND + 256, &soft, &hard) != 0)
        EB_SKIP("10,000 connections need %d file descriptors, RLIMIT_NOFILE's hard limit is "
                "%llu: raise it (ulimit -Hn, limits.conf) to run this test",
                TEN_THOUSAND + 256, (unsigned long long)hard);
    eb_net_server *srv = start(256, 1000, EB_NET_FAULT_NONE);
    http_run *r = calloc(1, sizeof *r);
    EB_REQUIRE(r != NULL);
    *r = (http_run){.count = TEN_THOUSAND,
                    .port = eb_net_server_port(srv),
                    .keepalive = true,
                    .per_coro = 2,
                    .body_bytes = 256,
                    .timeout_ns = 60000 * MS,
                    .barrier = TEN_THOUSAND};
    eb_sched *s = make_sched(kind, TEN_THOUSAND);
    int64_t start_ns = eb_now_ns();
    EB_REQUIRE(eb_sched_run(s, http_body, r, next_coro) == 0);
    double took_s = (double)(eb_now_ns() - start_ns) / 1e9;
    EB_CHECKF(r->ok == 2 * TEN_THOUSAND && r->failed == 0, "%s: %llu ok, %llu failed: %s",
              eb_reactor_kind_name(kind), (unsigned long long)r->ok, (unsigned long long)r->failed,
              r->first_message);
    EB_CHECKF(r->max_open == TEN_THOUSAND, "%s: at most %llu connections open at once",
              eb_reactor_kind_name(kind), (unsigned long long)r->max_open);
    eb_net_server_exit end;
    EB_REQUIRE(eb_net_server_stop(srv, &end) == 0);
    EB_CHECKF(end.stats.accepts == TEN_THOUSAND && end.stats.accept_errors == 0,
              "server: %llu connections, %llu accept errors", (unsigned long long)end.stats.accepts,
              (unsigned long long)end.stats.accept_errors);
    fprintf(stderr, "%s: 10,000 connections, 20,000 requests in %.2f s (server CPU %.0f ms)\n",
            eb_reactor_kind_name(kind), took_s, (double)end.cpu_ns / 1e6);
    eb_sched_destroy(s);
    free(r);
}

EB_TEST(epoll_ten_thousand_concurrent_keepalive_connections_complete)
{
    ten_thousand_concurrent_keepalive_connections(EB_REACTOR_EPOLL);
}
EB_TEST(io_uring_ten_thousand_concurrent_keepalive_connections_complete)
{
    ten_thousand_concurrent_keepalive_connections(EB_REACTOR_IO_URING);
}

/* In a child limited to 48 fds, 60 coroutines each hold a connection: the
 * ones beyond the limit fail at once, named, and the run ends. */
typedef struct fd_limit_report {
    uint64_t ok, failed, emfile, hard;
    int raise_rc;
    char message[256];
} fd_limit_report;

static void running_out_of_fds_is_a_clear_error(eb_reactor_kind kind)
{
    net_skip_without(kind);
    eb_net_server *srv = start(100, 1000000, EB_NET_FAULT_NONE); /* 1 s: all hold at once */
    int p[2];
    EB_REQUIRE(pipe(p) == 0);
    pid_t pid = fork();
    EB_REQUIRE(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        struct rlimit small = {48, 48};
        setrlimit(RLIMIT_NOFILE, &small);
        fd_limit_report rep = {0};
        rep.raise_rc = eb_net_raise_fd_limit(100, NULL, &rep.hard);
        http_run r = {.count = 60,
                      .port = eb_net_server_port(srv),
                      .keepalive = true,
                      .per_coro = 1,
                      .body_bytes = 100,
                      .timeout_ns = 20000 * MS};
        eb_sched_config config = eb_sched_default_config(EB_CORO_FCONTEXT, 60);
        config.reactor = kind;
        eb_sched *s;
        if (eb_sched_create(&config, &s) != 0 || eb_sched_run(s, http_body, &r, next_coro) != 0)
            _exit(2);
        rep.ok = r.ok;
        rep.failed = r.failed;
        rep.emfile = r.emfile;
        memcpy(rep.message, r.first_message, sizeof rep.message);
        _exit(write(p[1], &rep, sizeof rep) == sizeof rep ? 0 : 3);
    }
    close(p[1]);
    struct pollfd pf = {.fd = p[0], .events = POLLIN};
    int ready = poll(&pf, 1, 60000);
    if (ready != 1) kill(pid, SIGKILL);
    EB_REQUIRE(ready == 1); /* a hang would time out here */
    fd_limit_report rep;
    EB_REQUIRE(read(p[0], &rep, sizeof rep) == sizeof rep);
    int status;
    EB_REQUIRE(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EB_CHECK(rep.raise_rc == -EMFILE && rep.hard == 48);
    EB_CHECKF(rep.ok > 20 && rep.failed > 0 && rep.emfile == rep.failed &&
                  rep.ok + rep.failed == 60,
              "%s: %llu ok, %llu failed (%llu out of fds): %s", eb_reactor_kind_name(kind),
              (unsigned long long)rep.ok, (unsigned long long)rep.failed,
              (unsigned long long)rep.emfile, rep.message);
    EB_CHECKF(strstr(rep.message, "cannot connect: Too many open files (out of file "
                                  "descriptors: raise the limit, ulimit -n)") != NULL,
              "%s", rep.message);
    close(p[0]);
    EB_REQUIRE(eb_net_server_stop(srv, NULL) == 0);
}

EB_TEST(epoll_running_out_of_fds_is_a_clear_error_not_a_hang)
{
    running_out_of_fds_is_a_clear_error(EB_REACTOR_EPOLL);
}
EB_TEST(io_uring_running_out_of_fds_is_a_clear_error_not_a_hang)
{
    running_out_of_fds_is_a_clear_error(EB_REACTOR_IO_URING);
}

/* Two threads share the coroutines (a scheduler group, as the hybrid
 * executor runs them): a request that waits on one thread may read the rest
 * of its response on the other. Each must parse into its own connection's
 * buffer; a buffer per thread, its address kept across the wait, had two
 * threads reading into one (under ThreadSanitizer: a data race; otherwise,
 * now and then, a body that fails its checksum). */
typedef struct group_run {
    _Atomic uint64_t next, ok, failed;
    uint64_t count, per_coro;
    uint16_t port;
    _Atomic bool described;
    char first_message[256];
} group_run;

typedef struct member_ctx {
    group_run *run;
    unsigned index;
} member_ctx;

/* Only the first thread starts coroutines: the other has work only by taking
 * ready ones, so some surely move. */
static bool group_next(void *ctx, uint64_t *arg)
{
    member_ctx *m = ctx;
    group_run *g = m->run;
    if (m->index != 0) return false;
    uint64_t i = atomic_fetch_add(&g->next, 1);
    if (i >= g->count) return false;
    *arg = i;
    return true;
}

static void group_body(void *ctx, uint64_t i)
{
    group_run *g = ((member_ctx *)ctx)->run;
    eb_http_conn c;
    eb_http_conn_init(&c, g->port, true);
    for (uint64_t k = 0; k < g->per_coro; k++) {
        eb_http_response resp;
        int rc = eb_http_get_task(&c, i * g->per_coro + k, eb_now_ns() + 30000 * MS, &resp);
        if (rc == 0) rc = eb_http_check_body(&resp, SEED, 16000);
        /* compute a little (0.2 ms): ready ones pile up on the first thread
         * meanwhile, and the other takes some */
        for (int64_t until = eb_now_ns() + 200000; eb_now_ns() < until;) {
        }
        if (rc == 0) {
            atomic_fetch_add(&g->ok, 1);
        } else {
            atomic_fetch_add(&g->failed, 1);
            if (!atomic_exchange(&g->described, true))
                eb_http_describe(&resp, g->first_message, sizeof g->first_message);
        }
    }
    eb_http_conn_close(&c);
}

typedef struct member {
    eb_sched_group *group;
    member_ctx ctx;
    int rc;
    pthread_t thread;
} member;

static void *member_main(void *raw)
{
    member *m = raw;
    m->rc = eb_sched_run(eb_sched_group_member(m->group, m->ctx.index), group_body, &m->ctx,
                         group_next);
    return NULL;
}

EB_TEST(coroutines_moving_between_threads_parse_into_their_own_buffers)
{
    eb_net_server *srv = start(16000, 1000, EB_NET_FAULT_NONE);
    group_run g = {.count = 64, .per_coro = 8, .port = eb_net_server_port(srv)};
    eb_sched_config configs[2];
    for (int i = 0; i < 2; i++) /* the first starts them all */
        configs[i] = eb_sched_default_config(EB_CORO_FCONTEXT, g.count);
    eb_sched_group *group;
    EB_REQUIRE(eb_sched_group_create(configs, 2, NULL, &group) == 0);
    member m[2];
    for (unsigned i = 0; i < 2; i++) {
        m[i] = (member){.group = group, .ctx = {&g, i}};
        EB_REQUIRE(pthread_create(&m[i].thread, NULL, member_main, &m[i]) == 0);
        /* the second starts once coroutines are alive: a member with nothing
         * to start that finds none alive leaves (scheduler.h) */
        while (i == 0 && atomic_load(&g.next) == 0)
            usleep(100);
    }
    for (unsigned i = 0; i < 2; i++)
        pthread_join(m[i].thread, NULL);
    uint64_t moved = 0;
    for (unsigned i = 0; i < 2; i++) {
        eb_sched_stats st;
        eb_sched_get_stats(eb_sched_group_member(group, i), &st);
        moved += st.steals;
        EB_CHECK(m[i].rc == 0);
    }
    EB_CHECKF(atomic_load(&g.ok) == g.count * g.per_coro && atomic_load(&g.failed) == 0,
              "%llu ok, %llu failed: %s", (unsigned long long)atomic_load(&g.ok),
              (unsigned long long)atomic_load(&g.failed), g.first_message);
    /* the point of the test: some coroutines did change threads */
    EB_CHECKF(moved > 0, "no coroutine moved between the threads");
    eb_sched_group_destroy(group);
    EB_REQUIRE(eb_net_server_stop(srv, NULL) == 0);
}
