/* test_net_http.c — net.http through the runner, with the epoll and the
 * io_uring reactor (--reactor): every executor fetches verified responses
 * with every keepalive mode and the row counts what it should; the
 * server's faults (silent, truncated, wrong body, 500, dying, killed from
 * outside) are each an error row with a precise message while the run goes
 * on; 10,000 concurrent keep-alive connections complete; a file-descriptor
 * limit met (by 100 workers or by 10,000 coroutines) is the limit's message,
 * never a hang; a connection per request survives 100,000 requests (the
 * TIME_WAIT is the server's) and costs more CPU per request than a kept
 * one; the server's threads and cpuset reach it. */
#include "doc_check.h"
#include "eb_test.h"
#include "execbench_process.h"
#include "net_fixture.h"
#include "reactor.h"
#include "sandbox.h"
#include "server.h"
#include "wait.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *reactor_flag(eb_reactor_kind kind)
{
    net_skip_without(kind);
    return kind == EB_REACTOR_EPOLL ? "--reactor=epoll" : "--reactor=io_uring";
}

static int64_t counter(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    EB_REQUIRE(json_is_integer(v));
    return (int64_t)json_integer_value(v);
}

/* The iteration rows of the point named by `prefix` (at most 8). */
static size_t iterations(json_t *doc, const char *prefix, json_t **rows)
{
    json_t *all[16];
    size_t n = doc_point_rows(doc, prefix, all, 16), k = 0;
    for (size_t i = 0; i < n && k < 8; i++)
        if (strcmp(json_string_value(json_object_get(all[i], "run_type")), "iteration") == 0)
            rows[k++] = all[i];
    return k;
}

/* ---- every executor, every keepalive ---------------------------------------- */

#define TASKS 24

static void every_executor_fetches_verified_responses(eb_reactor_kind kind)
{
    const char *plan[] = {"--workload",       "net.http",
                          "--executor",       "all",
                          "--tasks",          "24",
                          "--param",          "latency_us=2000",
                          "--param",          "keepalive=0,1,2",
                          "--param",          "jitter_pct=20",
                          "--param",          "body_bytes=3000",
                          "--repetitions",    "2",
                          reactor_flag(kind), NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &(eb_sandbox){0}, plan, 0, 15);
    EB_CHECK(strcmp(json_string_value(doc_execbench(doc, "reactor")), eb_reactor_kind_name(kind)) ==
             0);
    const char *executors[] = {"sequential", "threaded", "coroutine", "multiprocess", "hybrid"};
    for (size_t e = 0; e < 5; e++)
        for (int keepalive = 0; keepalive <= 2; keepalive++) {
            char prefix[160];
            snprintf(prefix, sizeof prefix, "net.http/exec:%s/tasks:24/", executors[e]);
            json_t *all[64], *rows[8];
            size_t n = doc_point_rows(doc, prefix, all, 64), k = 0;
            for (size_t i = 0; i < n; i++) { /* keepalive 1 is the default: unnamed */
                const char *name = json_string_value(json_object_get(all[i], "name"));
                char tag[16];
                snprintf(tag, sizeof tag, "/keepalive:%d/", keepalive);
                bool named = strstr(name, "/keepalive:") != NULL;
                if ((keepalive == 1 ? !named : strstr(name, tag) != NULL) &&
                    strcmp(json_string_value(json_object_get(all[i], "run_type")), "iteration") ==
                        0 &&
                    k < 8)
                    rows[k++] = all[i];
            }
            EB_CHECKF(k == 2, "%s keepalive %d: %zu iteration rows", executors[e], keepalive, k);
            int64_t workers = k > 0 ? counter(rows[0], "workers") : 0;
            for (size_t i = 0; i < k; i++) {
                int64_t conns = counter(rows[i], "connections_opened");
                EB_CHECK(counter(rows[i], "requests") == TASKS);
                EB_CHECK(counter(rows[i], "bytes_received") > TASKS * 3000);
                /* jitter 20%: no response before 1.6 ms, the median past it */
                EB_CHECK(counter(rows[i], "request_latency_p50_ns") >= 1600000);
                EB_CHECK(counter(rows[i], "request_latency_p999_ns") >=
                         counter(rows[i], "request_latency_p50_ns"));
                EB_CHECK(counter(rows[i], "server_cpu_ns") > 0);
                EB_CHECK(counter(rows[i], "request_cpu_ns") > 0);
                EB_CHECK(counter(rows[i], "server_pu") >= 0);
                EB_CHECK(json_real_value(json_object_get(rows[i], "requests_per_second")) > 0);
                if (keepalive == 0)
                    EB_CHECKF(conns == TASKS, "%s keepalive 0: %lld connections", executors[e],
                              (long long)conns);
                else if (keepalive == 2)
                    EB_CHECKF(conns == 0, "%s keepalive 2: %lld connections", executors[e],
                              (long long)conns);
                else if (workers > 0) /* a session per worker */
                    EB_CHECKF(conns == workers, "%s keepalive 1, %lld workers: %lld connections",
                              executors[e], (long long)workers, (long long)conns);
                else /* coroutines: a connection per task in flight, at most;
                        hybrid's threads one more each for their session */
                    EB_CHECKF(conns >= 1 &&
                                  conns <= TASKS + (e == 4 ? sysconf(_SC_NPROCESSORS_ONLN) : 0),
                              "%s keepalive 1: %lld", executors[e], (long long)conns);
            }
        }
    doc_run_end(&r);
}

EB_TEST(epoll_every_executor_fetches_verified_responses_with_every_keepalive)
{
    every_executor_fetches_verified_responses(EB_REACTOR_EPOLL);
}
EB_TEST(io_uring_every_executor_fetches_verified_responses_with_every_keepalive)
{
    every_executor_fetches_verified_responses(EB_REACTOR_IO_URING);
}

/* ---- the server's faults ------------------------------------------------------- */

static const char *const prefixes[] = {
    "worker 0: ", "worker *: ", "coroutine *: ", "worker *: ", "hybrid thread *: "};
static const char *const executors[] = {"sequential", "threaded", "coroutine", "multiprocess",
                                        "hybrid"};

static void faults_become_error_rows(eb_reactor_kind kind)
{
    /* fault 0 (none) passes; 1 silent, 2 truncate, 3 wrong body, 4 status 500, 5 die */
    const char *plan[] = {"--workload",       "test.http",
                          "--executor",       "all",
                          "--tasks",          "8",
                          "--param",          "at=3",
                          "--param",          "latency_us=1000",
                          "--param",          "timeout_ms=300",
                          "--param",          "fault=0,1,2,3,4,5",
                          "--repetitions",    "2",
                          reactor_flag(kind), NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &(eb_sandbox){0}, plan, 1, 30);
    static const char *const want[] = {
        [1] = "%stask * failed: Connection timed out: GET /task/* on 127.0.0.1:*: no complete "
              "response within 30?.? ms (0 bytes received): the server stopped answering; the "
              "server (pid *) is running (* requests read, 3 answered)",
        [2] = "%stask * failed: Broken pipe: GET /task/* on 127.0.0.1:*: the connection closed "
              "after 512 of 1024 body bytes (response truncated); the server (pid *) is running*",
        [3] = "verification failed: task 3: GET /task/3: wrong body: 1024 bytes with checksum "
              "*, expected 1024 bytes with checksum *",
        [4] = "verification failed: task 3: GET /task/3 answered status 500, expected 200",
        [5] = "%stask * failed: Connection reset by peer: GET /task/* on 127.0.0.1:*: the "
              "connection * before any response: did the server die or close it?; the server "
              "(pid *) exited with status 3",
    };
    for (size_t e = 0; e < 5; e++) {
        char prefix[160], pattern[512];
        const char *at = e == 0 ? "1" : "2"; /* sequential: 1 worker; the others: auto = 2 */
        snprintf(prefix, sizeof prefix, "test.http/exec:%s/tasks:8/workers:%s/", executors[e],
                 e == 2 || e == 4 ? "0" : at);
        char ok[240];
        snprintf(ok, sizeof ok, "%slatency_us:1000/timeout_ms:300/at:3/pin:", prefix);
        check_ok(doc, ok, 2);
        for (int fault = 1; fault <= 5; fault++) {
            char point[240];
            snprintf(point, sizeof point, "%slatency_us:1000/timeout_ms:300/fault:%d/at:3/", prefix,
                     fault);
            snprintf(pattern, sizeof pattern, want[fault], prefixes[e]);
            if (e == 4 && fault == 5) /* hybrid: a thread may open its session after the death */
                snprintf(pattern, sizeof pattern,
                         "hybrid thread *: * 127.0.0.1:*: * (pid *) exited with status 3");
            check_error(doc, point, pattern);
        }
    }
    doc_run_end(&r);
}

EB_TEST(epoll_faults_of_the_server_are_error_rows_and_the_run_goes_on)
{
    faults_become_error_rows(EB_REACTOR_EPOLL);
}
EB_TEST(io_uring_faults_of_the_server_are_error_rows_and_the_run_goes_on)
{
    faults_become_error_rows(EB_REACTOR_IO_URING);
}

/* ---- the server killed from outside ------------------------------------------- */

static pid_t parent_of(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) return -1;
    int ppid = -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "PPid: %d", &ppid) == 1) break;
    fclose(f);
    return (pid_t)ppid;
}

static bool carries(pid_t pid, const char *needle)
{
    char path[64], cmd[4096];
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) return false;
    size_t len = fread(cmd, 1, sizeof cmd - 1, f);
    fclose(f);
    for (size_t k = 0; k < len; k++)
        if (cmd[k] == '\0') cmd[k] = ' ';
    cmd[len] = '\0';
    return strstr(cmd, needle) != NULL;
}

/* The server of execbench `runner`'s point: the process carrying `needle`
 * whose parent is the point (execbench's child). -1 after 30 s. */
static pid_t find_server(pid_t runner, const char *needle)
{
    for (int tries = 0; tries < 600; tries++) {
        DIR *d = opendir("/proc");
        struct dirent *e;
        pid_t found = -1;
        while (d != NULL && found < 0 && (e = readdir(d)) != NULL) {
            pid_t pid = (pid_t)atoi(e->d_name);
            if (pid <= 0 || !carries(pid, needle)) continue;
            pid_t parent = parent_of(pid);
            if (parent > 0 && parent != runner && parent_of(parent) == runner) found = pid;
        }
        if (d != NULL) closedir(d);
        if (found > 0) return found;
        nanosleep(&(struct timespec){0, 50000000}, NULL);
    }
    return -1;
}

static void the_server_killed_mid_point(eb_reactor_kind kind)
{
    /* a latency no other process carries: its requests wait while the
     * server is killed; then a short point shows the run goes on */
    char latency[96], needle[64];
    snprintf(needle, sizeof needle, "latency_us=%d", 30000000 + (int)getpid());
    snprintf(latency, sizeof latency, "%s,1000", needle);
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/killed.json", dir);
    const char *args[] = {"--workload", "net.http", "--executor", "coroutine",        "--tasks",
                          "4",          "--param",  latency,      "--repetitions",    "2",
                          "--quiet",    "--out",    out,          reactor_flag(kind), NULL};
    eb_proc p;
    proc_start(&p, args);
    pid_t server = find_server(p.pid, needle);
    if (server > 0) nanosleep(&(struct timespec){0, 300000000}, NULL); /* requests in flight */
    bool killed = server > 0 && kill(server, SIGKILL) == 0;
    if (!killed) kill(p.pid, SIGTERM);
    int code = proc_finish(&p);
    EB_REQUIRE(killed);
    EB_CHECKF(code == 1, "exit %d: %s", code, p.err);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    EB_CHECK(doc_point_count(doc) == 2);
    char pattern[300];
    snprintf(pattern, sizeof pattern,
             "coroutine *: task * failed: *: GET /task/* on 127.0.0.1:*: the connection * before "
             "any response: did the server die or close it?; the server (pid %d) was killed by "
             "signal 9 (SIGKILL)",
             (int)server);
    char point[160];
    snprintf(point, sizeof point, "net.http/exec:coroutine/tasks:4/workers:0/latency_us:%d/",
             30000000 + (int)getpid());
    check_error(doc, point, pattern);
    check_ok(doc, "net.http/exec:coroutine/tasks:4/workers:0/latency_us:1000/", 2);
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

EB_TEST(epoll_the_server_killed_mid_point_is_named_and_the_run_goes_on)
{
    the_server_killed_mid_point(EB_REACTOR_EPOLL);
}
EB_TEST(io_uring_the_server_killed_mid_point_is_named_and_the_run_goes_on)
{
    the_server_killed_mid_point(EB_REACTOR_IO_URING);
}

/* ---- scale: 10,000 connections, 100,000 connections -------------------------------- */

#define TEN_THOUSAND 10000

static void ten_thousand_concurrent_connections(eb_reactor_kind kind)
{
    const char *reactor = reactor_flag(kind);
    uint64_t soft, hard;
    /* the point raises its soft limit to the hard one, and so does the server */
    if (eb_net_raise_fd_limit(TEN_THOUSAND + 256, &soft, &hard) != 0)
        EB_SKIP("10,000 connections need %d file descriptors, RLIMIT_NOFILE's hard limit is "
                "%llu: raise it (ulimit -Hn, limits.conf) to run this test",
                TEN_THOUSAND + 256, (unsigned long long)hard);
    /* 2 s: every coroutine has connected and sent before the first answer */
    const char *plan[] = {"--workload",    "net.http",
                          "--executor",    "coroutine",
                          "--tasks",       "10000",
                          "--param",       "latency_us=2000000",
                          "--param",       "body_bytes=256",
                          "--repetitions", "1",
                          "--warmup",      "0",
                          reactor,         NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &(eb_sandbox){0}, plan, 0, 1);
    json_t *rows[8];
    EB_REQUIRE(iterations(doc, "net.http/exec:coroutine/tasks:10000/workers:0/", rows) == 1);
    EB_CHECK(counter(rows[0], "requests") == TEN_THOUSAND);
    /* none answered before the last had its own: all 10,000 open at once */
    EB_CHECK(counter(rows[0], "connections_opened") == TEN_THOUSAND);
    doc_run_end(&r);
}

EB_TEST(epoll_ten_thousand_concurrent_keepalive_connections_complete_without_an_error_row)
{
    ten_thousand_concurrent_connections(EB_REACTOR_EPOLL);
}
EB_TEST(io_uring_ten_thousand_concurrent_keepalive_connections_complete_without_an_error_row)
{
    ten_thousand_concurrent_connections(EB_REACTOR_IO_URING);
}

static void a_connection_per_request_survives_100000_requests(eb_reactor_kind kind)
{
    /* ~28,000 ephemeral ports: each is used over and over, which works
     * because the server closes first and keeps the TIME_WAIT */
    const char *plan[] = {"--workload",       "net.http",
                          "--executor",       "coroutine",
                          "--workers",        "100",
                          "--tasks",          "100000",
                          "--param",          "latency_us=0",
                          "--param",          "keepalive=0",
                          "--param",          "body_bytes=64",
                          "--repetitions",    "1",
                          "--warmup",         "0",
                          "--timeout",        "600",
                          reactor_flag(kind), NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &(eb_sandbox){0}, plan, 0, 1);
    json_t *rows[8];
    EB_REQUIRE(iterations(doc, "net.http/exec:coroutine/tasks:100000/workers:100/", rows) == 1);
    EB_CHECK(counter(rows[0], "requests") == 100000);
    EB_CHECK(counter(rows[0], "connections_opened") == 100000);
    doc_run_end(&r);
}

EB_TEST(epoll_a_connection_per_request_survives_100000_requests)
{
    a_connection_per_request_survives_100000_requests(EB_REACTOR_EPOLL);
}
EB_TEST(io_uring_a_connection_per_request_survives_100000_requests)
{
    a_connection_per_request_survives_100000_requests(EB_REACTOR_IO_URING);
}

/* The median request_cpu_ns of the point named by `prefix` (its median row). */
static double median_request_cpu(json_t *doc, const char *prefix)
{
    json_t *all[16];
    size_t n = doc_point_rows(doc, prefix, all, 16);
    for (size_t i = 0; i < n; i++) {
        json_t *agg = json_object_get(all[i], "aggregate_name");
        if (json_is_string(agg) && strcmp(json_string_value(agg), "median") == 0)
            return json_number_value(json_object_get(all[i], "request_cpu_ns"));
    }
    EB_CHECKF(false, "%s: no median row", prefix);
    return 0;
}

/* Coroutines back to back (latency 0, 64-byte bodies, 5 repetitions) under
 * `kind`: `workers` connections, `tasks` requests, one point per value of
 * `keepalive` (a list); CPU time, not wall time, so another process's load
 * moves it little. */
typedef struct back_to_back {
    const char *workers, *tasks;
} back_to_back;

static json_t *back_to_back_run(doc_run *r, eb_reactor_kind kind, back_to_back b,
                                const char *keepalive, size_t points)
{
    char ka[32];
    snprintf(ka, sizeof ka, "keepalive=%s", keepalive);
    const char *plan[] = {"--workload",       "net.http",
                          "--executor",       "coroutine",
                          "--workers",        b.workers,
                          "--tasks",          b.tasks,
                          "--param",          "latency_us=0",
                          "--param",          ka,
                          "--param",          "body_bytes=64",
                          "--repetitions",    "5",
                          reactor_flag(kind), NULL};
    return doc_run_plan(r, &(eb_sandbox){0}, plan, 0, points);
}

/* The median CPU per request of `b`'s point with `keepalive` (one value). */
static double back_to_back_cpu(json_t *doc, back_to_back b, const char *keepalive)
{
    char prefix[160];
    snprintf(prefix, sizeof prefix,
             "net.http/exec:coroutine/tasks:%s/workers:%s/latency_us:0/body_bytes:64/keepalive:%s/",
             b.tasks, b.workers, keepalive);
    return median_request_cpu(doc, prefix);
}

static void a_connection_per_request_costs_more_cpu(eb_reactor_kind kind)
{
    /* a connection per request adds socket, connect, accept and both closes
     * to each request */
    back_to_back b = {.workers = "10", .tasks = "3000"};
    doc_run r;
    json_t *doc = back_to_back_run(&r, kind, b, "0,2", 2);
    double per_connection = back_to_back_cpu(doc, b, "0");
    double kept = back_to_back_cpu(doc, b, "2");
    EB_CHECKF(kept > 0 && per_connection > kept,
              "CPU per request: %.0f ns with a connection each, %.0f ns kept", per_connection,
              kept);
    doc_run_end(&r);
}

EB_TEST(epoll_a_connection_per_request_costs_more_cpu_per_request_than_a_kept_one)
{
    a_connection_per_request_costs_more_cpu(EB_REACTOR_EPOLL);
}
EB_TEST(io_uring_a_connection_per_request_costs_more_cpu_per_request_than_a_kept_one)
{
    a_connection_per_request_costs_more_cpu(EB_REACTOR_IO_URING);
}

/* The median CPU per request of 5,000 requests on 20 kept connections. */
static double kept_cpu(eb_reactor_kind kind)
{
    back_to_back b = {.workers = "20", .tasks = "5000"};
    doc_run r;
    double cpu = back_to_back_cpu(back_to_back_run(&r, kind, b, "2", 1), b, "2");
    doc_run_end(&r);
    return cpu;
}

EB_TEST(io_uring_back_to_back_costs_about_the_cpu_epoll_does)
{
    /* A ring without COOP_TASKRUN is interrupted by every completion: it
     * cost 1.9x epoll's CPU per request here; with it, 1.0x. CPU, not wall
     * time, and a wide margin. */
    double epoll = kept_cpu(EB_REACTOR_EPOLL);
    double uring = kept_cpu(EB_REACTOR_IO_URING);
    EB_CHECKF(epoll > 0 && uring < 1.4 * epoll,
              "CPU per request back to back: io_uring %.0f ns, epoll %.0f ns (at most 1.4x)", uring,
              epoll);
}

/* ---- limits ----------------------------------------------------------------------- */

/* Runs `executor_list` with `workers` (0: unbounded) and `tasks` requests of
 * `latency_us` past RLIMIT_NOFILE `nofile`: the coroutine point's error is
 * the limit's message, at once or after the requests still in flight end,
 * never a hang. `limit` gets the message's limit part. Skips where the limit cannot be set. */
static json_t *past_the_fd_limit(doc_run *r, eb_reactor_kind kind, int nofile,
                                 const char *executor_list, const char *workers, const char *tasks,
                                 const char *latency_us, size_t points, char *limit,
                                 size_t limit_len)
{
    eb_sandbox s = {.nofile = (uint64_t)nofile};
    char why[200];
    if (!sandbox_possible(&s, why, sizeof why)) EB_SKIP("%s", why);
    const char *plan[] = {"--workload",       "net.http", "--executor", executor_list,
                          "--workers",        workers,    "--tasks",    tasks,
                          "--param",          latency_us, "--param",    "timeout_ms=1000",
                          "--repetitions",    "1",        "--warmup",   "0",
                          reactor_flag(kind), NULL};
    int64_t start = eb_now_ns();
    json_t *doc = doc_run_plan(r, &s, plan, 1, points);
    EB_CHECK(eb_now_ns() - start < INT64_C(60000000000));
    snprintf(limit, limit_len,
             "RLIMIT_NOFILE (ulimit -n) is %d open files per process (hard limit %d); raise it "
             "(ulimit -n) or run fewer tasks at once (--workers)",
             nofile, nofile);
    char point[160], pattern[600];
    snprintf(point, sizeof point, "net.http/exec:coroutine/tasks:%s/workers:%s/", tasks, workers);
    snprintf(pattern, sizeof pattern,
             "coroutine *: task * failed: Too many open files: GET /task/* on 127.0.0.1:*: cannot "
             "connect: Too many open files (out of file descriptors: raise the limit, ulimit -n); "
             "the server (pid *) is running*: %s",
             limit);
    check_error(doc, point, pattern);
    return doc;
}

static void running_out_of_fds_is_the_limits_message(eb_reactor_kind kind)
{
    /* 100 requests in flight, a session (threads) or a connection
     * (coroutines) each: beyond 64 files */
    doc_run r;
    char limit[200], pattern[600];
    json_t *doc = past_the_fd_limit(&r, kind, 64, "threaded,coroutine", "100", "100",
                                    "latency_us=200000", 2, limit, sizeof limit);
    snprintf(pattern, sizeof pattern,
             "worker *: worker_init failed: Too many open files: opening the session's "
             "connection to 127.0.0.1:*: cannot connect: Too many open files (out of file "
             "descriptors: raise the limit, ulimit -n); the server (pid *) is running*: %s",
             limit);
    check_error(doc, "net.http/exec:threaded/tasks:100/workers:100/", pattern);
    doc_run_end(&r);
}

EB_TEST(epoll_running_out_of_file_descriptors_is_the_limits_message_not_a_hang)
{
    running_out_of_fds_is_the_limits_message(EB_REACTOR_EPOLL);
}
EB_TEST(io_uring_running_out_of_file_descriptors_is_the_limits_message_not_a_hang)
{
    running_out_of_fds_is_the_limits_message(EB_REACTOR_IO_URING);
}

static void ten_thousand_connections_past_the_limit(eb_reactor_kind kind)
{
    /* 10,000 coroutines connect at once, ~1,000 get a file: the rest are
     * refused while those wait their 2 s; the point ends when they have */
    doc_run r;
    char limit[200];
    past_the_fd_limit(&r, kind, 1024, "coroutine", "0", "10000", "latency_us=2000000", 1, limit,
                      sizeof limit);
    doc_run_end(&r);
}

EB_TEST(epoll_ten_thousand_connections_past_the_fd_limit_are_the_limits_message_not_a_hang)
{
    ten_thousand_connections_past_the_limit(EB_REACTOR_EPOLL);
}
EB_TEST(io_uring_ten_thousand_connections_past_the_fd_limit_are_the_limits_message_not_a_hang)
{
    ten_thousand_connections_past_the_limit(EB_REACTOR_IO_URING);
}

/* ---- the server's settings ------------------------------------------------------- */

EB_TEST(server_threads_and_cpuset_reach_the_server_and_the_context)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    char last[24];
    snprintf(last, sizeof last, "%ld", cpus - 1);
    const char *plan[] = {"--workload",
                          "net.http",
                          "--executor",
                          "coroutine",
                          "--tasks",
                          "40",
                          "--param",
                          "latency_us=1000",
                          "--repetitions",
                          "3",
                          "--server-threads",
                          "2",
                          "--server-cpuset",
                          last,
                          NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &(eb_sandbox){0}, plan, 0, 1);
    EB_CHECK(json_integer_value(doc_execbench(doc, "server_threads")) == 2);
    EB_CHECK(strcmp(json_string_value(doc_execbench(doc, "server_cpuset")), last) == 0);
    json_t *rows[8];
    size_t n = iterations(doc, "net.http/exec:coroutine/", rows);
    EB_CHECK(n == 3);
    for (size_t i = 0; i < n; i++)
        EB_CHECKF(counter(rows[i], "server_pu") == cpus - 1, "the server ran on PU %lld",
                  (long long)counter(rows[i], "server_pu"));
    doc_run_end(&r);

    /* a CPU the machine lacks: refused before any point runs */
    char missing[24];
    snprintf(missing, sizeof missing, "%ld", cpus + 7);
    const char *bad[] = {"--workload", "net.http", "--server-cpuset", missing, "--quiet", NULL};
    eb_proc p;
    EB_CHECK(run_execbench(&p, bad) == 2);
    EB_CHECKF(strstr(p.err, "execbench: --server-cpuset: ") != NULL && count_lines(p.err) == 1,
              "%s", p.err);
    proc_free(&p);
}
