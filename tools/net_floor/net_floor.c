/* net_floor.c — the least a loopback HTTP request costs on this machine,
 * measured with no execbench and no HTTP library in the way: the floor under
 * net.http's figures (tools/net-floor.sh runs it; README, "net.http").
 *
 * Written by hand on purpose, and only for this: a floor is what remains
 * when every layer a library adds is gone, so the responder is epoll, a
 * timerfd per connection and one write, and the client is a write and
 * blocking reads. Neither is a general HTTP implementation: the responder
 * reads one `GET /task/<i>` per readable event, the client expects net.http's
 * own responses. Every response is verified all the same (status 200, the
 * Content-Length, body.h's checksum of task i's body), so a floor is never
 * the figure of a request that failed.
 *
 *   execbench-net-floor respond LATENCY_US BODY_BYTES SEED
 *   execbench-net-floor concurrent PORT N ROUNDS BODY_BYTES SEED
 *   execbench-net-floor threads PORT THREADS IN_A_ROW ROUNDS BODY_BYTES SEED
 *   execbench-net-floor sleep THREADS IN_A_ROW ROUNDS LATENCY_US
 *
 * respond: serves 127.0.0.1 on an ephemeral port, printed as
 * "listening on 127.0.0.1:PORT", until SIGTERM. concurrent: one thread and
 * N keep-alive connections; a round writes N requests at once and ends when
 * the last response is whole. threads: THREADS threads, a keep-alive
 * connection each, IN_A_ROW requests one after another. sleep: the same
 * threads with each request replaced by nanosleep(LATENCY_US), the wait
 * without the network. Connections are opened before the first round; the
 * clients print the rounds' median and least times (ms), concurrent also
 * how long writing the N requests took (µs). */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "body.h"

#define MAX_ROUNDS 1000
#define MAX_CONNECTIONS 10000
#define RESPONSE_HEAD_MAX 256

static const char *prog = "execbench-net-floor";

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static _Noreturn void die(const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
    exit(1);
}

static uint64_t arg_u64(const char *name, const char *text, uint64_t lo, uint64_t hi)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || v < lo || v > hi) {
        fprintf(stderr, "%s: %s takes %" PRIu64 " to %" PRIu64 ", not '%s'\n", prog, name, lo, hi,
                text);
        exit(2);
    }
    return v;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void print_rounds(const char *label, double *v, unsigned n, const char *unit)
{
    qsort(v, n, sizeof *v, cmp_double);
    printf("%s: median %.3f %s, least %.3f %s, %u rounds\n", label, v[n / 2], unit, v[0], unit, n);
}

/* ---- the responder ---------------------------------------------------------- */

/* fd -> the timerfd of its connection, or the connection of a timerfd */
typedef struct peer {
    int other;
    bool is_timer;
    uint64_t task;
} peer;

static int respond(int64_t latency_us, uint64_t body_bytes, uint64_t seed)
{
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (ls < 0 || setsockopt(ls, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
        bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 4096) != 0 ||
        getsockname(ls, (struct sockaddr *)&a, &len) != 0)
        die("listening on 127.0.0.1");
    printf("listening on 127.0.0.1:%u\n", (unsigned)ntohs(a.sin_port));
    fflush(stdout);
    size_t fds = 4 * MAX_CONNECTIONS;
    peer *peers = calloc(fds, sizeof *peers);
    char *reply = malloc(RESPONSE_HEAD_MAX + body_bytes);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event e = {.events = EPOLLIN, .data.fd = ls};
    if (peers == NULL || reply == NULL || ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, ls, &e) != 0)
        die("setting up");
    int head = snprintf(reply, RESPONSE_HEAD_MAX,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                        "Content-Length: %" PRIu64 "\r\n\r\n",
                        body_bytes);
    struct itimerspec delay = {
        .it_value = {(time_t)(latency_us / 1000000), (long)(latency_us % 1000000) * 1000}};
    for (;;) {
        struct epoll_event ev[256];
        int n = epoll_wait(ep, ev, 256, -1);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        for (int i = 0; i < n; i++) {
            int fd = ev[i].data.fd;
            if (fd == ls) {
                int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
                int t = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
                if (c < 0 || t < 0 || (size_t)c >= fds || (size_t)t >= fds) die("accepting");
                peers[c] = (peer){.other = t};
                peers[t] = (peer){.other = c, .is_timer = true};
                struct epoll_event ce = {.events = EPOLLIN, .data.fd = c};
                struct epoll_event te = {.events = EPOLLIN, .data.fd = t};
                if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce) != 0 ||
                    epoll_ctl(ep, EPOLL_CTL_ADD, t, &te) != 0)
                    die("epoll_ctl");
                continue;
            }
            int c = peers[fd].is_timer ? peers[fd].other : fd;
            if (!peers[fd].is_timer) {
                char req[512];
                ssize_t r = read(c, req, sizeof req - 1);
                if (r <= 0) { /* the client left */
                    close(peers[c].other);
                    close(c);
                    continue;
                }
                req[r] = '\0';
                const char *p = strstr(req, "/task/");
                peers[c].task = p != NULL ? strtoull(p + 6, NULL, 10) : 0;
                if (latency_us > 0) {
                    if (timerfd_settime(peers[c].other, 0, &delay, NULL) != 0)
                        die("timerfd_settime");
                    continue;
                }
            } else {
                uint64_t expirations;
                if (read(fd, &expirations, sizeof expirations) < 0) die("reading a timerfd");
            }
            eb_net_body_fill(seed, peers[c].task, 0, reply + head, body_bytes);
            size_t want = (size_t)head + body_bytes, off = 0;
            while (off < want) { /* blocking: a reply at most as big as the socket's buffer */
                ssize_t w = write(c, reply + off, want - off);
                if (w <= 0) break;
                off += (size_t)w;
            }
        }
    }
}

/* ---- the clients ------------------------------------------------------------ */

typedef struct conn {
    int fd;
    uint64_t task;
    char head[RESPONSE_HEAD_MAX];
    size_t head_len;
    int64_t need; /* body bytes still to come, -1 before the head is whole */
    eb_net_checksum sum;
} conn;

static uint16_t port;
static uint64_t body_bytes, seed;

static int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    struct sockaddr_in a = {
        .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
        connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        die("connecting to 127.0.0.1");
    return fd;
}

static void send_request(conn *c, uint64_t task)
{
    char req[128];
    int len = snprintf(req, sizeof req, "GET /task/%" PRIu64 " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                       task);
    c->task = task;
    c->head_len = 0;
    c->need = -1;
    eb_net_checksum_init(&c->sum);
    if (write(c->fd, req, (size_t)len) != len) die("writing a request");
}

static _Noreturn void bad_response(const conn *c, const char *why)
{
    fprintf(stderr, "%s: task %" PRIu64 "'s response: %s\n", prog, c->task, why);
    exit(1);
}

/* Takes what one read brought; true once the response is whole and checked. */
static bool take(conn *c, const char *data, size_t n)
{
    if (c->need < 0) {
        size_t room = sizeof c->head - 1 - c->head_len, k = n < room ? n : room;
        memcpy(c->head + c->head_len, data, k);
        c->head_len += k;
        c->head[c->head_len] = '\0';
        char *end = strstr(c->head, "\r\n\r\n");
        if (end == NULL) {
            if (c->head_len == sizeof c->head - 1) bad_response(c, "a head over 255 bytes");
            return false;
        }
        if (strncmp(c->head, "HTTP/1.1 200 ", 13) != 0) bad_response(c, "not a 200");
        const char *cl = strcasestr(c->head, "Content-Length:");
        if (cl == NULL || strtoull(cl + 15, NULL, 10) != body_bytes)
            bad_response(c, "a Content-Length other than BODY_BYTES");
        size_t used = (size_t)(end + 4 - c->head) - (c->head_len - k);
        data += used;
        n -= used;
        c->need = (int64_t)body_bytes;
    }
    if ((int64_t)n > c->need) bad_response(c, "bytes after the body");
    eb_net_checksum_update(&c->sum, data, n);
    c->need -= (int64_t)n;
    if (c->need > 0) return false;
    if (eb_net_checksum_final(&c->sum) != eb_net_body_checksum(seed, c->task, body_bytes))
        bad_response(c, "a body other than the task's");
    return true;
}

static void read_whole(conn *c)
{
    char buf[65536];
    for (;;) {
        ssize_t r = read(c->fd, buf, sizeof buf);
        if (r <= 0) bad_response(c, r == 0 ? "the connection closed" : strerror(errno));
        if (take(c, buf, (size_t)r)) return;
    }
}

static int concurrent(unsigned n, unsigned rounds)
{
    conn *conns = calloc(n, sizeof *conns);
    double total_ms[MAX_ROUNDS], writes_us[MAX_ROUNDS];
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (conns == NULL || ep < 0) die("setting up");
    for (unsigned i = 0; i < n; i++) {
        conns[i].fd = dial();
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = i};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &e) != 0) die("epoll_ctl");
    }
    for (unsigned r = 0; r < rounds; r++) {
        usleep(20000); /* the previous round's last wake-ups settle */
        int64_t t0 = now_ns();
        for (unsigned i = 0; i < n; i++)
            send_request(&conns[i], (uint64_t)r * n + i);
        writes_us[r] = (double)(now_ns() - t0) / 1e3;
        char buf[65536];
        for (unsigned left = n; left > 0;) {
            struct epoll_event ev[1024];
            int k = epoll_wait(ep, ev, 1024, -1);
            if (k < 0 && errno != EINTR) die("epoll_wait");
            for (int j = 0; j < k; j++) {
                conn *c = &conns[ev[j].data.u32];
                ssize_t got = read(c->fd, buf, sizeof buf);
                if (got <= 0) bad_response(c, got == 0 ? "the connection closed" : strerror(errno));
                if (take(c, buf, (size_t)got)) left--;
            }
        }
        total_ms[r] = (double)(now_ns() - t0) / 1e6;
    }
    print_rounds("round", total_ms, rounds, "ms");
    print_rounds("writing the requests", writes_us, rounds, "us");
    for (unsigned i = 0; i < n; i++)
        close(conns[i].fd);
    close(ep);
    free(conns);
    return 0;
}

typedef struct team {
    unsigned threads, in_a_row, rounds;
    int64_t sleep_us; /* > 0: sleep instead of requesting */
    pthread_barrier_t go;
    conn *conns;
    int64_t *ends;
} team;

static team the_team;

static void *member(void *arg)
{
    unsigned k = (unsigned)(uintptr_t)arg;
    team *t = &the_team;
    struct timespec d = {(time_t)(t->sleep_us / 1000000), (long)(t->sleep_us % 1000000) * 1000};
    for (unsigned r = 0; r < t->rounds; r++) {
        pthread_barrier_wait(&t->go);
        for (unsigned j = 0; j < t->in_a_row; j++) {
            if (t->sleep_us > 0) {
                while (nanosleep(&d, &d) != 0 && errno == EINTR) {
                }
                d = (struct timespec){(time_t)(t->sleep_us / 1000000),
                                      (long)(t->sleep_us % 1000000) * 1000};
                continue;
            }
            send_request(&t->conns[k], ((uint64_t)r * t->threads + k) * t->in_a_row + j);
            read_whole(&t->conns[k]);
        }
        t->ends[k] = now_ns();
        pthread_barrier_wait(&t->go);
    }
    return NULL;
}

static int threads(team *t)
{
    double total_ms[MAX_ROUNDS];
    pthread_t *tid = calloc(t->threads, sizeof *tid);
    t->conns = calloc(t->threads, sizeof *t->conns);
    t->ends = calloc(t->threads, sizeof *t->ends);
    if (tid == NULL || t->conns == NULL || t->ends == NULL) die("setting up");
    for (unsigned i = 0; t->sleep_us == 0 && i < t->threads; i++)
        t->conns[i].fd = dial();
    pthread_barrier_init(&t->go, NULL, t->threads + 1);
    for (unsigned i = 0; i < t->threads; i++)
        if ((errno = pthread_create(&tid[i], NULL, member, (void *)(uintptr_t)i)) != 0)
            die("starting a thread");
    for (unsigned r = 0; r < t->rounds; r++) {
        usleep(20000);
        int64_t t0 = now_ns();
        pthread_barrier_wait(&t->go); /* go */
        pthread_barrier_wait(&t->go); /* all done */
        int64_t last = t0;
        for (unsigned i = 0; i < t->threads; i++)
            if (t->ends[i] > last) last = t->ends[i];
        total_ms[r] = (double)(last - t0) / 1e6;
    }
    for (unsigned i = 0; i < t->threads; i++)
        pthread_join(tid[i], NULL);
    print_rounds("round", total_ms, t->rounds, "ms");
    for (unsigned i = 0; t->sleep_us == 0 && i < t->threads; i++)
        close(t->conns[i].fd);
    pthread_barrier_destroy(&t->go);
    free(tid);
    free(t->conns);
    free(t->ends);
    return 0;
}

static _Noreturn void usage(void)
{
    fprintf(stderr,
            "usage: %s respond LATENCY_US BODY_BYTES SEED\n"
            "       %s concurrent PORT N ROUNDS BODY_BYTES SEED\n"
            "       %s threads PORT THREADS IN_A_ROW ROUNDS BODY_BYTES SEED\n"
            "       %s sleep THREADS IN_A_ROW ROUNDS LATENCY_US\n",
            prog, prog, prog, prog);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    const uint64_t max_body = 1 << 20, max_us = 60000000, max_seed = UINT64_MAX;
    if (strcmp(mode, "respond") == 0 && argc == 5)
        return respond((int64_t)arg_u64("LATENCY_US", argv[2], 0, max_us),
                       arg_u64("BODY_BYTES", argv[3], 0, max_body),
                       arg_u64("SEED", argv[4], 0, max_seed));
    if (strcmp(mode, "concurrent") == 0 && argc == 7) {
        port = (uint16_t)arg_u64("PORT", argv[2], 1, 65535);
        unsigned n = (unsigned)arg_u64("N", argv[3], 1, MAX_CONNECTIONS);
        unsigned rounds = (unsigned)arg_u64("ROUNDS", argv[4], 1, MAX_ROUNDS);
        body_bytes = arg_u64("BODY_BYTES", argv[5], 0, max_body);
        seed = arg_u64("SEED", argv[6], 0, max_seed);
        return concurrent(n, rounds);
    }
    if (strcmp(mode, "threads") == 0 && argc == 8) {
        port = (uint16_t)arg_u64("PORT", argv[2], 1, 65535);
        the_team.threads = (unsigned)arg_u64("THREADS", argv[3], 1, MAX_CONNECTIONS);
        the_team.in_a_row = (unsigned)arg_u64("IN_A_ROW", argv[4], 1, 1000000);
        the_team.rounds = (unsigned)arg_u64("ROUNDS", argv[5], 1, MAX_ROUNDS);
        body_bytes = arg_u64("BODY_BYTES", argv[6], 0, max_body);
        seed = arg_u64("SEED", argv[7], 0, max_seed);
        return threads(&the_team);
    }
    if (strcmp(mode, "sleep") == 0 && argc == 6) {
        the_team.threads = (unsigned)arg_u64("THREADS", argv[2], 1, MAX_CONNECTIONS);
        the_team.in_a_row = (unsigned)arg_u64("IN_A_ROW", argv[3], 1, 1000000);
        the_team.rounds = (unsigned)arg_u64("ROUNDS", argv[4], 1, MAX_ROUNDS);
        the_team.sleep_us = (int64_t)arg_u64("LATENCY_US", argv[5], 1, max_us);
        return threads(&the_team);
    }
    usage();
}
