/* test_net_client.c — net/client.c under the blocking default (a plain
 * thread, ppoll): bodies verified over one kept connection or a connection
 * per request, and every failure named and described precisely: a non-200, a
 * truncated response, a wrong body, a server that stops answering, a server
 * killed mid-request, no server, a malformed response. */
#include "body.h"
#include "client.h"
#include "eb_test.h"
#include "net_fixture.h"
#include "server.h"
#include "wait.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SEED 77
#define SECOND 1000000000LL

static eb_net_server *start(uint64_t body_bytes, int64_t latency_us, eb_net_fault fault,
                            uint64_t fault_from)
{
    eb_net_server_config cfg = eb_net_server_default_config();
    cfg.body_bytes = body_bytes;
    cfg.latency_us = latency_us;
    cfg.seed = SEED;
    cfg.fault = fault;
    cfg.fault_from_task = fault_from;
    return net_start(&cfg);
}

static void describe_contains(const eb_http_response *r, const char *part)
{
    char line[512];
    eb_http_describe(r, line, sizeof line);
    EB_CHECKF(strstr(line, part) != NULL && strchr(line, '\n') == NULL, "'%s' does not say '%s'",
              line, part);
}

EB_TEST(tasks_come_with_their_bodies_over_one_kept_connection)
{
    eb_net_server *s = start(3000, 0, EB_NET_FAULT_NONE, 0);
    eb_http_conn c;
    eb_http_conn_init(&c, eb_net_server_port(s), true);
    for (uint64_t i = 0; i < 50; i++) {
        eb_http_response r;
        int rc = eb_http_get_task(&c, i, eb_now_ns() + 10 * SECOND, &r);
        EB_REQUIRE(rc == 0);
        EB_CHECK(r.status == 200 && r.body_bytes == 3000 && r.content_length == 3000);
        EB_CHECK(r.reused == (i > 0));
        EB_CHECK(eb_http_check_body(&r, SEED, 3000) == 0);
        EB_CHECK(r.checksum == eb_net_body_checksum(SEED, i, 3000));
    }
    EB_CHECK(c.connects == 1 && c.requests == 50 && c.fd >= 0);
    eb_net_server_stats st;
    eb_net_server_get_stats(s, &st);
    EB_CHECKF(st.accepts == 1 && st.requests == 50, "server: %llu connections, %llu requests",
              (unsigned long long)st.accepts, (unsigned long long)st.requests);
    eb_http_conn_close(&c);
    EB_REQUIRE(eb_net_server_stop(s, NULL) == 0);
}

EB_TEST(without_keepalive_each_request_has_its_own_connection_closed_by_the_server)
{
    eb_net_server *s = start(100, 0, EB_NET_FAULT_NONE, 0);
    eb_http_conn c;
    eb_http_conn_init(&c, eb_net_server_port(s), false);
    for (uint64_t i = 0; i < 20; i++) {
        eb_http_response r;
        EB_REQUIRE(eb_http_get_task(&c, i, eb_now_ns() + 10 * SECOND, &r) == 0);
        EB_CHECK(!r.reused && eb_http_check_body(&r, SEED, 100) == 0);
        EB_CHECK(c.fd == -1);
    }
    EB_CHECK(c.connects == 20);
    eb_net_server_stats st;
    eb_net_server_get_stats(s, &st);
    EB_CHECK(st.accepts == 20);
    EB_REQUIRE(eb_net_server_stop(s, NULL) == 0);
}

/* TIME_WAIT sockets of loopback connections to or from `port`
 * (/proc/net/tcp, state 06): on the server's side (its local port is
 * `port`) and on the client's (its remote port is `port`). */
/* A TIME_WAIT socket on loopback, by its two ports. */
typedef struct tw_pair {
    unsigned local, remote;
} tw_pair;

#define TW_MAX 4096

/* The TIME_WAIT sockets with `port` on either side, into pairs (at most TW_MAX). */
static size_t time_wait_pairs(uint16_t port, tw_pair *pairs)
{
    size_t n = 0;
    FILE *f = fopen("/proc/net/tcp", "r");
    EB_REQUIRE(f != NULL);
    char line[256];
    while (fgets(line, sizeof line, f) != NULL && n < TW_MAX) {
        unsigned local_port, remote_port, state;
        if (sscanf(line, " %*d: %*8x:%x %*8x:%x %x", &local_port, &remote_port, &state) != 3)
            continue;
        if (state == 0x06 && (local_port == port || remote_port == port))
            pairs[n++] = (tw_pair){local_port, remote_port};
    }
    fclose(f);
    return n;
}

/* The TIME_WAITs of this test's connections to `port`: those not in
 * `before` (an earlier test's server may have had the same port, and its
 * clients' TIME_WAITs last 60 s). */
static void time_waits(uint16_t port, const tw_pair *before, size_t n_before, unsigned *server_side,
                       unsigned *client_side)
{
    static tw_pair now[TW_MAX];
    size_t n = time_wait_pairs(port, now);
    *server_side = *client_side = 0;
    for (size_t i = 0; i < n; i++) {
        bool old = false;
        for (size_t j = 0; j < n_before && !old; j++)
            old = before[j].local == now[i].local && before[j].remote == now[i].remote;
        if (old) continue;
        *server_side += now[i].local == port;
        *client_side += now[i].remote == port;
    }
}

EB_TEST(without_keepalive_the_time_wait_is_the_servers_so_no_client_port_is_held)
{
    eb_net_server *s = start(100, 0, EB_NET_FAULT_NONE, 0);
    uint16_t port = eb_net_server_port(s);
    static tw_pair before[TW_MAX];
    size_t n_before = time_wait_pairs(port, before);
    eb_http_conn c;
    eb_http_conn_init(&c, port, false);
    for (uint64_t i = 0; i < 200; i++) {
        eb_http_response r;
        EB_REQUIRE(eb_http_get_task(&c, i, eb_now_ns() + 10 * SECOND, &r) == 0);
    }
    unsigned server_side, client_side;
    time_waits(port, before, n_before, &server_side, &client_side);
    /* the server closed first every time: the client's ports are free at once */
    EB_CHECKF(client_side == 0 && server_side >= 190,
              "TIME_WAIT: %u on the client's side, %u on the server's", client_side, server_side);
    EB_REQUIRE(eb_net_server_stop(s, NULL) == 0);
}

EB_TEST(a_status_other_than_200_is_reported)
{
    eb_net_server *s = start(100, 0, EB_NET_FAULT_STATUS_500, 2);
    eb_http_conn c;
    eb_http_conn_init(&c, eb_net_server_port(s), true);
    eb_http_response r;
    EB_CHECK(eb_http_get_task(&c, 1, eb_now_ns() + 10 * SECOND, &r) == 0);
    EB_CHECK(eb_http_get_task(&c, 2, eb_now_ns() + 10 * SECOND, &r) == -EREMOTEIO);
    EB_CHECK(r.failure == EB_HTTP_BAD_STATUS && r.status == 500);
    describe_contains(&r, "GET /task/2 on 127.0.0.1:");
    describe_contains(&r, "status 500, expected 200");
    EB_CHECK(c.fd == -1); /* a failed request never leaves its connection for the next */
    eb_http_conn_close(&c);
    EB_REQUIRE(eb_net_server_stop(s, NULL) == 0);
}

EB_TEST(a_truncated_response_is_reported_with_what_arrived)
{
    eb_net_server *s = start(1000, 0, EB_NET_FAULT_TRUNCATE, 0);
    eb_http_conn c;
    eb_http_conn_init(&c, eb_net_server_port(s), true);
    eb_http_response r;
    int rc = eb_http_get_task(&c, 4, eb_now_ns() + 10 * SECOND, &r);
    EB_CHECKF(rc == -EPIPE, "returned %d (%s)", rc, eb_http_failure_name(r.failure));
    EB_CHECK(r.failure == EB_HTTP_TRUNCATED && r.body_bytes == 500 && r.content_length == 1000);
    describe_contains(&r, "after 500 of 1000 body bytes (response truncated)");
    EB_REQUIRE(eb_net_server_stop(s, NULL) == 0);
}

EB_TEST(a_wrong_body_is_caught_by_its_checksum)
{
    eb_net_server *s = start(1000, 0, EB_NET_FAULT_WRONG_BODY, 0);
    eb_http_conn c;
    eb_http_conn_init(&c, eb_net_server_port(s), true);
    eb_http_response r;
    EB_REQUIRE(eb_http_get_task(&c, 4, eb_now_ns() + 10 * SECOND, &r) == 0);
    EB_CHECK(r.body_bytes == 1000); /* the right length, one byte changed */
    EB_CHECK(eb_http_check_body(&r, SEED, 1000) == -EBADMSG);
    EB_CHECK(r.failure == EB_HTTP_WRONG_BODY);
    EB_CHECK(r.expected_checksum == eb_net_body_checksum(SEED, 4, 1000));
    describe_contains(&r, "wrong body: 1000 bytes with checksum");
    eb_http_conn_close(&c);
    EB_REQUIRE(eb_net_server_stop(s, NULL) == 0);
}

EB_TEST(a_server_that_stops_answering_runs_into_the_deadline)
{
    eb_net_server *s = start(100, 0, EB_NET_FAULT_SILENT, 3);
    eb_http_conn c;
    eb_http_conn_init(&c, eb_net_server_port(s), true);
    eb_http_response r;
    for (uint64_t i = 0; i < 3; i++)
        EB_REQUIRE(eb_http_get_task(&c, i, eb_now_ns() + 10 * SECOND, &r) == 0);
    int64_t deadline = eb_now_ns() + 100000000;
    int rc = eb_http_get_task(&c, 3, deadline, &r);
    int64_t now = eb_now_ns();
    EB_CHECK(rc == -ETIMEDOUT && r.failure == EB_HTTP_TIMED_OUT);
    EB_CHECKF(now >= deadline, "gave up %lld ns early", (long long)(deadline - now));
    EB_CHECK(r.reused && r.bytes_received == 0);
    EB_CHECK(r.waited_ns > 0 && r.waited_ns <= 100000000);
    describe_contains(&r, "ms (0 bytes received): the server stopped answering");
    EB_REQUIRE(eb_net_server_stop(s, NULL) == 0);
}

EB_TEST(a_server_dying_on_a_request_is_a_closed_connection)
{
    eb_net_server *s = start(100, 0, EB_NET_FAULT_DIE, 5);
    eb_http_conn c;
    eb_http_conn_init(&c, eb_net_server_port(s), true);
    eb_http_response r;
    for (uint64_t i = 0; i < 5; i++)
        EB_REQUIRE(eb_http_get_task(&c, i, eb_now_ns() + 10 * SECOND, &r) == 0);
    int rc = eb_http_get_task(&c, 5, eb_now_ns() + 10 * SECOND, &r);
    EB_CHECKF(rc == -ECONNRESET, "returned %d (%s)", rc, eb_http_failure_name(r.failure));
    EB_CHECK(r.failure == EB_HTTP_CLOSED_EARLY);
    describe_contains(&r, "before any response: did the server die or close it?");
    /* once it has exited (a zombie: its sockets are closed), nobody listens */
    siginfo_t si;
    EB_REQUIRE(waitid(P_PID, (id_t)eb_net_server_pid(s), &si, WEXITED | WNOWAIT) == 0);
    rc = eb_http_get_task(&c, 6, eb_now_ns() + 10 * SECOND, &r);
    EB_CHECK(rc == -ECONNREFUSED && r.failure == EB_HTTP_CONNECT_FAILED);
    describe_contains(&r, "no server listening");
    eb_net_server_exit end;
    EB_REQUIRE(eb_net_server_stop(s, &end) == 0);
    EB_CHECK(!end.stopped);
}

typedef struct killer {
    pid_t pid;
    int64_t at_ns;
} killer;

static void *kill_later(void *arg)
{
    killer *k = arg;
    eb_wait_until_ns(k->at_ns);
    kill(k->pid, SIGKILL);
    return NULL;
}

EB_TEST(a_server_killed_while_a_request_waits_is_a_closed_connection)
{
    eb_net_server *s = start(100, 5000000, EB_NET_FAULT_NONE, 0); /* 5 s: killed long before */
    eb_http_conn c;
    eb_http_conn_init(&c, eb_net_server_port(s), true);
    killer k = {eb_net_server_pid(s), eb_now_ns() + 50000000};
    pthread_t t;
    EB_REQUIRE(pthread_create(&t, NULL, kill_later, &k) == 0);
    eb_http_response r;
    int rc = eb_http_get_task(&c, 1, eb_now_ns() + 10 * SECOND, &r);
    pthread_join(t, NULL);
    EB_CHECKF(rc == -ECONNRESET, "returned %d (%s)", rc, eb_http_failure_name(r.failure));
    EB_CHECK(r.failure == EB_HTTP_CLOSED_EARLY);
    eb_net_server_exit end;
    EB_REQUIRE(eb_net_server_stop(s, &end) == 0);
    EB_CHECK(!end.stopped && WIFSIGNALED(end.status) && WTERMSIG(end.status) == SIGKILL);
}

/* A fake server: accepts one connection, reads a request, writes `reply`,
 * and closes (or not). */
typedef struct fake {
    int listen_fd;
    uint16_t port;
    const char *reply;
    size_t reply_len;
} fake;

static void *fake_main(void *arg)
{
    fake *f = arg;
    int fd = accept(f->listen_fd, NULL, NULL);
    if (fd < 0) return NULL;
    char req[512];
    if (recv(fd, req, sizeof req, 0) > 0) {
        EB_CHECK(send(fd, f->reply, f->reply_len, MSG_NOSIGNAL) == (ssize_t)f->reply_len);
    }
    struct timespec t = {0, 50000000};
    nanosleep(&t, NULL); /* the client reads what it got before the close */
    close(fd);
    return NULL;
}

static int fake_exchange(const char *reply, eb_http_response *r)
{
    fake f = {.reply = reply, .reply_len = strlen(reply)};
    f.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001)};
    socklen_t len = sizeof addr;
    EB_REQUIRE(bind(f.listen_fd, (struct sockaddr *)&addr, sizeof addr) == 0);
    EB_REQUIRE(listen(f.listen_fd, 1) == 0);
    EB_REQUIRE(getsockname(f.listen_fd, (struct sockaddr *)&addr, &len) == 0);
    pthread_t t;
    EB_REQUIRE(pthread_create(&t, NULL, fake_main, &f) == 0);
    eb_http_conn c;
    eb_http_conn_init(&c, ntohs(addr.sin_port), true);
    int rc = eb_http_get_task(&c, 9, eb_now_ns() + 10 * SECOND, r);
    eb_http_conn_close(&c);
    pthread_join(t, NULL);
    close(f.listen_fd);
    return rc;
}

EB_TEST(a_malformed_response_is_named_by_the_parser)
{
    eb_http_response r;
    EB_CHECK(fake_exchange("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", &r) == -EPROTO);
    EB_CHECK(r.failure == EB_HTTP_MALFORMED && r.parser_errno == HPE_INVALID_CONTENT_LENGTH);
    describe_contains(&r, "malformed response: invalid character in content-length header");
    EB_CHECK(fake_exchange("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", &r) == -EPROTO);
    EB_CHECK(r.failure == EB_HTTP_MALFORMED && r.extra_bytes == 5);
    describe_contains(&r, "5 bytes after its end");
    EB_CHECK(fake_exchange("SMTP ready\r\n", &r) == -EPROTO && r.failure == EB_HTTP_MALFORMED);
    /* headers cut short by the close: truncated, not malformed */
    EB_CHECK(fake_exchange("HTTP/1.1 200 OK\r\nContent-Le", &r) == -EPIPE);
    EB_CHECK(r.failure == EB_HTTP_TRUNCATED);
    describe_contains(&r, "in the response's headers (response truncated)");
    /* a body delimited by the close is whole */
    EB_CHECK(fake_exchange("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabcdef", &r) == 0);
    EB_CHECK(r.body_bytes == 6 && r.content_length == -1);
}
