/* net_reactor_bench.c — requests per second against the loopback server:
 * coroutines on the epoll reactor, on the io_uring reactor, and blocking
 * threads, side by side, below the runner (no point process, no document;
 * net.http with --reactor is the runner's figure); the modes run interleaved,
 * round by round, each on a fresh server, and the median round is reported
 * with the client's and the server's CPU per request.
 *
 *   net_reactor_bench [--coros N] [--requests K] [--threads T] [--rounds R]
 *                     [--body-bytes B] [--latency-us L] [--server-threads S]
 *
 * N coroutines (one thread) or T threads each keep one connection and
 * together send N x K requests. */
#include "client.h"
#include "scheduler.h"
#include "server.h"
#include "wait.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const char *prog = "net_reactor_bench";

typedef struct opts {
    uint64_t coros, requests, threads, rounds, body_bytes, latency_us, server_threads;
} opts;

typedef struct load {
    uint16_t port;
    uint64_t body_bytes;
    uint64_t next, count; /* coroutines or threads */
    uint64_t per;         /* requests each */
    uint64_t failed;
    char first_failure[256];
    pthread_mutex_t lock;
} load;

static void fetch(load *l, uint64_t who)
{
    eb_http_conn c;
    eb_http_conn_init(&c, l->port, true);
    uint64_t failed = 0;
    for (uint64_t k = 0; k < l->per; k++) {
        eb_http_response r;
        int rc = eb_http_get_task(&c, who * l->per + k, eb_now_ns() + 30000000000LL, &r);
        if (rc == 0) rc = eb_http_check_body(&r, 0, l->body_bytes);
        if (rc != 0 && failed++ == 0)
            eb_http_describe(&r, l->first_failure, sizeof l->first_failure);
    }
    eb_http_conn_close(&c);
    pthread_mutex_lock(&l->lock);
    l->failed += failed;
    pthread_mutex_unlock(&l->lock);
}

static void coro_main(void *ctx, uint64_t who)
{
    fetch(ctx, who);
}

static bool next_coro(void *ctx, uint64_t *arg)
{
    load *l = ctx;
    if (l->next >= l->count) return false;
    *arg = l->next++;
    return true;
}

typedef struct thread_arg {
    load *l;
    uint64_t who;
} thread_arg;

static void *thread_main(void *arg)
{
    thread_arg *t = arg;
    fetch(t->l, t->who);
    return NULL;
}

enum { MODE_EPOLL, MODE_URING, MODE_THREADS, MODES };
static const char *const mode_names[MODES] = {"coroutines, epoll", "coroutines, io_uring",
                                              "threads, blocking"};

typedef struct sample {
    double rps, client_us, server_us;
} sample;

static int64_t cpu_ns_self(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000 +
           (int64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

static int run_mode(int mode, const opts *o, sample *out)
{
    eb_net_server_config cfg = eb_net_server_default_config();
    cfg.body_bytes = o->body_bytes;
    cfg.latency_us = (int64_t)o->latency_us;
    cfg.threads = (unsigned)o->server_threads;
    eb_net_server *srv;
    int rc = eb_net_server_start(&cfg, &srv);
    if (rc != 0) {
        fprintf(stderr, "%s: cannot start the server: %s\n", prog, strerror(-rc));
        return rc;
    }
    uint64_t total = o->coros * o->requests;
    load l = {.port = eb_net_server_port(srv), .body_bytes = o->body_bytes};
    pthread_mutex_init(&l.lock, NULL);
    int64_t cpu0 = cpu_ns_self(), t0 = eb_now_ns();
    if (mode == MODE_THREADS) {
        l.per = total / o->threads;
        pthread_t tid[1024];
        thread_arg args[1024];
        for (uint64_t i = 0; i < o->threads; i++) {
            args[i] = (thread_arg){&l, i};
            pthread_create(&tid[i], NULL, thread_main, &args[i]);
        }
        for (uint64_t i = 0; i < o->threads; i++)
            pthread_join(tid[i], NULL);
        total = l.per * o->threads;
    } else {
        l.count = o->coros;
        l.per = o->requests;
        eb_sched_config config = eb_sched_default_config(EB_CORO_FCONTEXT, o->coros);
        config.reactor = mode == MODE_URING ? EB_REACTOR_IO_URING : EB_REACTOR_EPOLL;
        eb_sched *s;
        rc = eb_sched_create(&config, &s);
        if (rc == 0) rc = eb_sched_run(s, coro_main, &l, next_coro);
        eb_sched_destroy(s);
    }
    int64_t wall = eb_now_ns() - t0, cpu = cpu_ns_self() - cpu0;
    eb_net_server_exit end;
    eb_net_server_stop(srv, &end);
    if (rc == 0 && l.failed > 0) {
        fprintf(stderr, "%s: %s: %llu requests failed, the first: %s\n", prog, mode_names[mode],
                (unsigned long long)l.failed, l.first_failure);
        rc = -EIO;
    }
    if (rc != 0) return rc;
    out->rps = (double)total / ((double)wall / 1e9);
    out->client_us = (double)cpu / 1e3 / (double)total;
    out->server_us = (double)end.cpu_ns / 1e3 / (double)total;
    return 0;
}

static int by_rps(const void *a, const void *b)
{
    double x = ((const sample *)a)->rps, y = ((const sample *)b)->rps;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    opts o = {.coros = 100,
              .requests = 1000,
              .threads = 4,
              .rounds = 3,
              .body_bytes = 64,
              .latency_us = 0,
              .server_threads = 1};
    static const struct option options[] = {{"coros", required_argument, NULL, 'c'},
                                            {"requests", required_argument, NULL, 'r'},
                                            {"threads", required_argument, NULL, 't'},
                                            {"rounds", required_argument, NULL, 'R'},
                                            {"body-bytes", required_argument, NULL, 'b'},
                                            {"latency-us", required_argument, NULL, 'l'},
                                            {"server-threads", required_argument, NULL, 's'},
                                            {NULL, 0, NULL, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        uint64_t *field = opt == 'c'   ? &o.coros
                          : opt == 'r' ? &o.requests
                          : opt == 't' ? &o.threads
                          : opt == 'R' ? &o.rounds
                          : opt == 'b' ? &o.body_bytes
                          : opt == 'l' ? &o.latency_us
                          : opt == 's' ? &o.server_threads
                                       : NULL;
        char *end;
        if (field == NULL || (*field = strtoull(optarg, &end, 10), *end != '\0')) {
            fprintf(stderr, "%s: bad option; see the comment at the top of %s.c\n", prog, prog);
            return 2;
        }
    }
    if (o.coros == 0 || o.threads == 0 || o.threads > 1024 || o.rounds == 0 || o.rounds > 99 ||
        o.server_threads == 0 || o.server_threads > EB_NET_SERVER_MAX_THREADS) {
        fprintf(stderr,
                "%s: --coros, --threads (<= 1024), --rounds (<= 99) and "
                "--server-threads must be positive\n",
                prog);
        return 2;
    }
    if (eb_net_raise_fd_limit(o.coros + 64, NULL, NULL) != 0) {
        fprintf(stderr,
                "%s: %llu connections need more file descriptors than RLIMIT_NOFILE's "
                "hard limit; raise it (ulimit -Hn)\n",
                prog, (unsigned long long)o.coros);
        return 1;
    }
    printf("%s: %llu x %llu keep-alive requests, body %llu B, latency %llu us, %llu threads, "
           "server %llu thread%s, median of %llu rounds\n",
           prog, (unsigned long long)o.coros, (unsigned long long)o.requests,
           (unsigned long long)o.body_bytes, (unsigned long long)o.latency_us,
           (unsigned long long)o.threads, (unsigned long long)o.server_threads,
           o.server_threads == 1 ? "" : "s", (unsigned long long)o.rounds);
    sample samples[MODES][99];
    for (uint64_t round = 0; round < o.rounds; round++)
        for (int m = 0; m < MODES; m++)
            if (run_mode(m, &o, &samples[m][round]) != 0) return 1;
    printf("%-22s %12s %18s %18s\n", "mode", "requests/s", "client CPU us/req",
           "server CPU us/req");
    for (int m = 0; m < MODES; m++) {
        qsort(samples[m], o.rounds, sizeof **samples, by_rps);
        sample med = samples[m][o.rounds / 2];
        printf("%-22s %12.0f %18.2f %18.2f\n", mode_names[m], med.rps, med.client_us,
               med.server_us);
    }
    return 0;
}
