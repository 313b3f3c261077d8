/* test_net_server.c — net/body.c and the loopback server, talked to with raw
 * blocking sockets (no net/client.c): task bodies and checksums, the paths
 * it refuses, delays with seeded jitter that are never early, CPU time and
 * PU at stop, a cpuset, SO_REUSEPORT threads, and a server that dies. */
#include "body.h"
#include "eb_test.h"
#include "net_fixture.h"
#include "server.h"
#include "wait.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- body.h ----------------------------------------------------------------- */

EB_TEST(a_body_is_the_same_from_any_offset_and_its_checksum_from_any_chunking)
{
    unsigned char whole[4101], piece[4101];
    for (uint64_t len = 0; len <= sizeof whole; len += len < 70 ? 1 : 1013) {
        eb_net_body_fill(42, 7, 0, whole, len);
        /* in pieces of 1, 3, 7, ... bytes from odd offsets */
        for (uint64_t off = 0, step = 1; off < len; off += step, step = step * 2 + 1) {
            uint64_t n = off + step <= len ? step : len - off;
            eb_net_body_fill(42, 7, off, piece + off, n);
        }
        EB_CHECKF(memcmp(whole, piece, len) == 0, "length %llu", (unsigned long long)len);
        eb_net_checksum c;
        eb_net_checksum_init(&c);
        for (uint64_t off = 0, step = 5; off < len; off += step, step += 3)
            eb_net_checksum_update(&c, whole + off, off + step <= len ? step : len - off);
        EB_CHECKF(eb_net_checksum_final(&c) == eb_net_body_checksum(42, 7, len), "length %llu",
                  (unsigned long long)len);
    }
    /* every task, seed and length its own checksum; one byte changed shows */
    uint64_t base = eb_net_body_checksum(42, 7, 1000);
    EB_CHECK(base != eb_net_body_checksum(42, 8, 1000));
    EB_CHECK(base != eb_net_body_checksum(43, 7, 1000));
    EB_CHECK(base != eb_net_body_checksum(42, 7, 999));
    eb_net_body_fill(42, 7, 0, whole, 1000);
    whole[500] ^= 1;
    eb_net_checksum c;
    eb_net_checksum_init(&c);
    eb_net_checksum_update(&c, whole, 1000);
    EB_CHECK(eb_net_checksum_final(&c) != base);
}

EB_TEST(jitter_is_reproducible_from_seed_and_task_and_stays_in_bounds)
{
    const int64_t lat_us = 10000;
    double sum = 0;
    int out_of_bounds = 0, same_as_other_seed = 0, distinct = 0;
    for (uint64_t i = 0; i < 10000; i++) {
        int64_t d = eb_net_delay_ns(lat_us, 20, 5, i);
        EB_REQUIRE(d == eb_net_delay_ns(lat_us, 20, 5, i));
        out_of_bounds += d < 8000000 || d > 12000000;
        same_as_other_seed += d == eb_net_delay_ns(lat_us, 20, 6, i);
        distinct += i > 0 && d != eb_net_delay_ns(lat_us, 20, 5, i - 1);
        sum += (double)d;
    }
    EB_CHECK(out_of_bounds == 0);
    EB_CHECKF(same_as_other_seed < 10, "%d delays equal under another seed", same_as_other_seed);
    EB_CHECK(distinct > 9900);
    double mean = sum / 10000;
    EB_CHECKF(mean > 9.9e6 && mean < 10.1e6, "mean delay %.0f ns, expected 10 ms", mean);
    EB_CHECK(eb_net_delay_ns(lat_us, 0, 5, 3) == 10000000);
    EB_CHECK(eb_net_delay_ns(0, 50, 5, 3) == 0);
}

/* ---- the server ---------------------------------------------------------------- */

static char buf[1 << 20];

EB_TEST(the_server_answers_a_task_with_its_body_and_checksum)
{
    eb_net_server_config cfg = eb_net_server_default_config();
    cfg.body_bytes = 70000; /* more than one socket buffer's worth at a time */
    cfg.seed = 42;
    eb_net_server *s = net_start(&cfg);
    uint16_t port = eb_net_server_port(s);
    EB_CHECK(port != 0);
    long n = raw_exchange(port, "GET /task/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", buf,
                          sizeof buf);
    EB_REQUIRE(n > 0);
    EB_CHECK(raw_status(buf) == 200);
    char value[64];
    EB_CHECK(raw_header(buf, "Content-Length", value, sizeof value) != NULL &&
             strcmp(value, "70000") == 0);
    size_t len;
    const char *body = raw_body(buf, (size_t)n, &len);
    EB_REQUIRE(body != NULL && len == 70000);
    static unsigned char expected[70000];
    eb_net_body_fill(42, 7, 0, expected, sizeof expected);
    EB_CHECK(memcmp(body, expected, len) == 0);
    eb_net_checksum c;
    eb_net_checksum_init(&c);
    eb_net_checksum_update(&c, body, len);
    EB_CHECK(eb_net_checksum_final(&c) == eb_net_body_checksum(42, 7, 70000));
    eb_net_server_stats st;
    eb_net_server_get_stats(s, &st);
    EB_CHECK(st.accepts == 1 && st.requests == 1 && st.responses == 1);
    EB_CHECK(st.body_bytes_sent == 70000);
    EB_REQUIRE(eb_net_server_stop(s, NULL) == 0);
}

EB_TEST(other_paths_are_404_bad_indices_400_other_methods_refused)
{
    eb_net_server_config cfg = eb_net_server_default_config();
    cfg.body_bytes = 10;
    eb_net_server *s = net_start(&cfg);
    uint16_t port = eb_net_server_port(s);
    static const struct {
        const char *request;
        int status;
    } cases[] = {
        {"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404},
        {"GET /task HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404},
        {"GET /task/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400},
        {"GET /task/12x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400},
        {"GET /task/-1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400},
        {"GET /task/99999999999999999999999 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400},
        {"POST /task/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
         501}, /* evhttp's answer for a method not allowed */
        {"GET /task/18446744073709551615 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        long n = raw_exchange(port, cases[i].request, buf, sizeof buf);
        EB_REQUIRE(n > 0);
        EB_CHECKF(raw_status(buf) == cases[i].status, "case %zu: status %d, expected %d", i,
                  raw_status(buf), cases[i].status);
    }
    EB_REQUIRE(eb_net_server_stop(s, NULL) == 0);
}

EB_TEST(delays_follow_the_seeded_jitter_and_are_never_early)
{
    eb_net_server_config cfg = eb_net_server_default_config();
    cfg.latency_us = 20000;
    cfg.jitter_pct = 50; /* 10 to 30 ms */
    cfg.seed = 9;
    eb_net_server *s = net_start(&cfg);
    char request[96];
    int early = 0;
    int64_t shortest = INT64_MAX, longest = 0;
    for (uint64_t i = 0; i < 8; i++) {
        snprintf(request, sizeof request,
                 "GET /task/%llu HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                 (unsigned long long)i);
        int64_t expected = eb_net_delay_ns(cfg.latency_us, cfg.jitter_pct, cfg.seed, i);
        int64_t start = eb_now_ns();
        long n = raw_exchange(eb_net_server_port(s), request, buf, sizeof buf);
        int64_t took = eb_now_ns() - start;
        EB_REQUIRE(n > 0 && raw_status(buf) == 200);
        early += took < expected;
        if (took < expected)
            fprintf(stderr, "task %llu answered after %.3f ms, its delay is %.3f ms\n",
                    (unsigned long long)i, (double)took / 1e6, (double)expected / 1e6);
        if (expected < shortest) shortest = expected;
        if (expected > longest) longest = expected;
    }
    EB_CHECK(early == 0);
    /* the jitter did spread them: with none, every answer could come at 20 ms */
    EB_CHECKF(longest - shortest > 5000000, "delays %.3f to %.3f ms", (double)shortest / 1e6,
              (double)longest / 1e6);
    EB_REQUIRE(eb_net_server_stop(s, NULL) == 0);
}

EB_TEST(stop_reports_the_servers_cpu_time_and_the_pu_of_its_cpuset)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    eb_net_server_config cfg = eb_net_server_default_config();
    cfg.body_bytes = 200000;
    cfg.cpuset = &one;
    eb_net_server *s = net_start(&cfg);
    cpu_set_t seen;
    EB_CHECK(sched_getaffinity(eb_net_server_pid(s), sizeof seen, &seen) == 0 &&
             CPU_EQUAL(&seen, &one));
    for (int i = 0; i < 50; i++) {
        long n = raw_exchange(eb_net_server_port(s),
                              "GET /task/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", buf,
                              sizeof buf);
        EB_REQUIRE(n > 200000);
    }
    eb_net_server_exit end;
    EB_REQUIRE(eb_net_server_stop(s, &end) == 0);
    EB_CHECK(end.stopped);
    EB_CHECKF(end.cpu_ns > 0 && end.cpu_ns == end.user_ns + end.sys_ns, "cpu %lld ns",
              (long long)end.cpu_ns);
    EB_CHECKF(end.pu == 0, "ran on PU %d, pinned to 0", end.pu);
    EB_CHECK(end.stats.requests == 50 && end.stats.body_bytes_sent == 50 * 200000ULL);
    /* its children: the forked server is gone, reaped */
    EB_CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
}

EB_TEST(server_threads_share_the_port_through_reuseport)
{
    eb_net_server_config cfg = eb_net_server_default_config();
    cfg.threads = 2;
    cfg.body_bytes = 100;
    eb_net_server *s = net_start(&cfg);
    for (int i = 0; i < 64; i++) {
        long n = raw_exchange(eb_net_server_port(s),
                              "GET /task/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", buf,
                              sizeof buf);
        EB_REQUIRE(n > 0 && raw_status(buf) == 200);
    }
    eb_net_server_stats st;
    eb_net_server_get_stats(s, &st);
    EB_CHECK(st.threads == 2 && st.accepts == 64);
    /* the kernel hashes each connection's ports to a thread: 64 in one would
     * happen once in 2^63 runs */
    EB_CHECKF(st.accepts_by_thread[0] > 0 && st.accepts_by_thread[1] > 0,
              "accepts by thread: %llu and %llu", (unsigned long long)st.accepts_by_thread[0],
              (unsigned long long)st.accepts_by_thread[1]);
    EB_CHECK(st.accepts_by_thread[0] + st.accepts_by_thread[1] == 64);
    EB_REQUIRE(eb_net_server_stop(s, NULL) == 0);
}

EB_TEST(clients_leaving_before_their_answer_do_not_harm_the_server)
{
    eb_net_server_config cfg = eb_net_server_default_config();
    cfg.latency_us = 30000;
    cfg.body_bytes = 1000;
    eb_net_server *s = net_start(&cfg);
    for (int i = 0; i < 20; i++) { /* ask, then hang up before the 30 ms are over */
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in addr = {.sin_family = AF_INET,
                                   .sin_port = htons(eb_net_server_port(s)),
                                   .sin_addr.s_addr = htonl(0x7f000001)};
        EB_REQUIRE(connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0);
        const char *req = "GET /task/1 HTTP/1.1\r\nHost: x\r\n\r\n";
        EB_CHECK(send(fd, req, strlen(req), 0) == (ssize_t)strlen(req));
        close(fd);
    }
    struct timespec t = {0, 60000000};
    nanosleep(&t, NULL); /* their timers fire with nobody to answer */
    long n = raw_exchange(eb_net_server_port(s),
                          "GET /task/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", buf,
                          sizeof buf);
    EB_CHECK(n > 0 && raw_status(buf) == 200);
    eb_net_server_exit end;
    EB_REQUIRE(eb_net_server_stop(s, &end) == 0);
    EB_CHECKF(end.stopped, "the server ended on its own: status 0x%x", (unsigned)end.status);
}

EB_TEST(stop_tells_a_server_that_died_on_its_own)
{
    eb_net_server_config cfg = eb_net_server_default_config();
    cfg.fault = EB_NET_FAULT_DIE;
    cfg.fault_from_task = 5;
    eb_net_server *s = net_start(&cfg);
    long n = raw_exchange(eb_net_server_port(s),
                          "GET /task/4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", buf,
                          sizeof buf);
    EB_CHECK(n > 0 && raw_status(buf) == 200);
    n = raw_exchange(eb_net_server_port(s),
                     "GET /task/5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", buf,
                     sizeof buf);
    EB_CHECK(n == 0 || n == -ECONNRESET); /* no answer: it died reading the request */
    eb_net_server_exit end;
    EB_REQUIRE(eb_net_server_stop(s, &end) == 0);
    EB_CHECK(!end.stopped);
    EB_CHECK(WIFEXITED(end.status) && WEXITSTATUS(end.status) == 3);
}

EB_TEST(the_server_raises_its_fd_limit_to_the_hard_limit)
{
    struct rlimit rl;
    EB_REQUIRE(getrlimit(RLIMIT_NOFILE, &rl) == 0);
    eb_net_server_config cfg = eb_net_server_default_config();
    eb_net_server *s = net_start(&cfg);
    eb_net_server_stats st;
    eb_net_server_get_stats(s, &st);
    EB_CHECKF(st.fd_limit == rl.rlim_max, "fd limit %llu, hard limit %llu",
              (unsigned long long)st.fd_limit, (unsigned long long)rl.rlim_max);
    EB_REQUIRE(eb_net_server_stop(s, NULL) == 0);
    uint64_t soft, hard;
    EB_CHECK(eb_net_raise_fd_limit(rl.rlim_max == RLIM_INFINITY ? 1 : rl.rlim_max + 1, &soft,
                                   &hard) == (rl.rlim_max == RLIM_INFINITY ? 0 : -EMFILE));
    EB_CHECK(hard == rl.rlim_max && soft == hard);
}

EB_TEST(a_server_out_of_file_descriptors_pauses_accepting_and_serves_on)
{
    eb_net_server_config cfg = eb_net_server_default_config();
    eb_net_server *s = net_start(&cfg);
    /* 32 files for the server alone, from outside (lowering needs no privilege) */
    struct rlimit small = {32, 32};
    EB_REQUIRE(prlimit(eb_net_server_pid(s), RLIMIT_NOFILE, &small, NULL) == 0);
    uint16_t port = eb_net_server_port(s);
    int fds[60];
    for (int i = 0; i < 60; i++) { /* queued by the kernel beyond what it can accept */
        fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in addr = {.sin_family = AF_INET,
                                   .sin_port = htons(port),
                                   .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        EB_REQUIRE(fds[i] >= 0 && connect(fds[i], (struct sockaddr *)&addr, sizeof addr) == 0);
    }
    eb_net_server_stats st;
    for (int tries = 0; tries < 500; tries++) {
        eb_net_server_get_stats(s, &st);
        if (st.accept_errors > 0) break;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    EB_CHECKF(st.accept_errors > 0 && st.accepts < 32, "%llu accepts, %llu accept errors",
              (unsigned long long)st.accepts, (unsigned long long)st.accept_errors);
    for (int i = 0; i < 60; i++)
        close(fds[i]);
    /* the files come back: it accepts again and answers */
    char answer[4096];
    long n = raw_exchange(port, "GET /task/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                          answer, sizeof answer - 1);
    EB_REQUIRE(n > 0);
    answer[n] = '\0';
    EB_CHECK(raw_status(answer) == 200);
    eb_net_server_exit end;
    EB_REQUIRE(eb_net_server_stop(s, &end) == 0);
    EB_CHECKF(end.stopped, "the server ended on its own: status %#x", end.status);
}

EB_TEST(start_refuses_a_bad_config)
{
    eb_net_server *s = NULL;
    eb_net_server_config cfg = eb_net_server_default_config();
    cfg.jitter_pct = 101;
    EB_CHECK(eb_net_server_start(&cfg, &s) == -EINVAL && s == NULL);
    cfg = eb_net_server_default_config();
    cfg.threads = EB_NET_SERVER_MAX_THREADS + 1;
    EB_CHECK(eb_net_server_start(&cfg, &s) == -EINVAL && s == NULL);
    cfg = eb_net_server_default_config();
    cfg.latency_us = -1;
    EB_CHECK(eb_net_server_start(&cfg, &s) == -EINVAL && s == NULL);
    eb_net_fault f;
    EB_CHECK(eb_net_fault_parse("wrong-body", &f) == 0 && f == EB_NET_FAULT_WRONG_BODY);
    EB_CHECK(eb_net_fault_parse("bogus", &f) == -EINVAL);
}
