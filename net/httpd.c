/* httpd.c — execbench-httpd: the net server on its own, for wrk and for a
 * look by hand. Prints the port once it listens, serves until SIGINT or
 * SIGTERM (or --duration-s), then prints its counters and CPU time. */
#include "server.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *prog = "execbench-httpd";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: %s [--latency-us N] [--jitter-pct P] [--body-bytes N] [--seed N]\n"
            "       [--threads N] [--cpuset LIST] [--backlog N] [--fault NAME]\n"
            "       [--fault-from-task I] [--duration-s S]\n"
            "Serves GET /task/<i> on 127.0.0.1 (an ephemeral port, printed) until SIGINT/SIGTERM.\n"
            "Faults: none silent truncate wrong-body status-500 die.\n",
            prog);
}

static int parse_u64(const char *flag, const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-') {
        fprintf(stderr, "%s: %s expects a non-negative integer, not '%s'\n", prog, flag, text);
        return -EINVAL;
    }
    *out = v;
    return 0;
}

/* "0,2-3" into a cpu_set_t */
static int parse_cpulist(const char *text, cpu_set_t *set)
{
    CPU_ZERO(set);
    const char *p = text;
    while (*p != '\0') {
        char *end;
        unsigned long lo = strtoul(p, &end, 10), hi = lo;
        if (end == p) return -EINVAL;
        p = end;
        if (*p == '-') {
            hi = strtoul(p + 1, &end, 10);
            if (end == p + 1 || hi < lo) return -EINVAL;
            p = end;
        }
        if (hi >= CPU_SETSIZE) return -EINVAL;
        for (unsigned long c = lo; c <= hi; c++)
            CPU_SET(c, set);
        if (*p == ',')
            p++;
        else if (*p != '\0')
            return -EINVAL;
    }
    return CPU_COUNT(set) > 0 ? 0 : -EINVAL;
}

int main(int argc, char **argv)
{
    eb_net_server_config config = eb_net_server_default_config();
    cpu_set_t cpuset;
    uint64_t v, duration_s = 0;
    static const struct option options[] = {{"latency-us", required_argument, NULL, 'l'},
                                            {"jitter-pct", required_argument, NULL, 'j'},
                                            {"body-bytes", required_argument, NULL, 'b'},
                                            {"seed", required_argument, NULL, 's'},
                                            {"threads", required_argument, NULL, 't'},
                                            {"cpuset", required_argument, NULL, 'c'},
                                            {"backlog", required_argument, NULL, 'B'},
                                            {"fault", required_argument, NULL, 'f'},
                                            {"fault-from-task", required_argument, NULL, 'F'},
                                            {"duration-s", required_argument, NULL, 'd'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (opt) {
        case 'l':
            if (parse_u64("--latency-us", optarg, &v) != 0) return 2;
            config.latency_us = (int64_t)v;
            break;
        case 'j':
            if (parse_u64("--jitter-pct", optarg, &v) != 0) return 2;
            if (v > 100) {
                fprintf(stderr, "%s: --jitter-pct is a percentage, 0 to 100, not %s\n", prog,
                        optarg);
                return 2;
            }
            config.jitter_pct = (unsigned)v;
            break;
        case 'b':
            if (parse_u64("--body-bytes", optarg, &config.body_bytes) != 0) return 2;
            break;
        case 's':
            if (parse_u64("--seed", optarg, &config.seed) != 0) return 2;
            break;
        case 't':
            if (parse_u64("--threads", optarg, &v) != 0) return 2;
            if (v < 1 || v > EB_NET_SERVER_MAX_THREADS) {
                fprintf(stderr, "%s: --threads takes 1 to %d, not %s\n", prog,
                        EB_NET_SERVER_MAX_THREADS, optarg);
                return 2;
            }
            config.threads = (unsigned)v;
            break;
        case 'c':
            if (parse_cpulist(optarg, &cpuset) != 0) {
                fprintf(stderr, "%s: --cpuset expects a CPU list such as 0,2-3, not '%s'\n", prog,
                        optarg);
                return 2;
            }
            config.cpuset = &cpuset;
            break;
        case 'B':
            if (parse_u64("--backlog", optarg, &v) != 0) return 2;
            config.backlog = v > 65535 ? 65535 : (int)v;
            break;
        case 'f':
            if (eb_net_fault_parse(optarg, &config.fault) != 0) {
                fprintf(stderr,
                        "%s: --fault takes none, silent, truncate, wrong-body, "
                        "status-500 or die, not '%s'\n",
                        prog, optarg);
                return 2;
            }
            break;
        case 'F':
            if (parse_u64("--fault-from-task", optarg, &config.fault_from_task) != 0) return 2;
            break;
        case 'd':
            if (parse_u64("--duration-s", optarg, &duration_s) != 0) return 2;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'; see --help\n", prog, argv[optind]);
        return 2;
    }

    /* block the stop signals before the server starts: sigwait takes them */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    if (duration_s > 0) sigaddset(&stop, SIGALRM);
    sigprocmask(SIG_BLOCK, &stop, NULL);

    eb_net_server *server;
    int rc = eb_net_server_start(&config, &server);
    if (rc != 0) {
        fprintf(stderr, "%s: cannot start the server: %s\n", prog, strerror(-rc));
        return 1;
    }
    eb_net_server_stats stats;
    eb_net_server_get_stats(server, &stats);
    printf("%s: listening on 127.0.0.1:%u (pid %d, %u thread%s, fd limit %" PRIu64 ")\n", prog,
           (unsigned)eb_net_server_port(server), (int)eb_net_server_pid(server), stats.threads,
           stats.threads == 1 ? "" : "s", stats.fd_limit);
    fflush(stdout);
    if (duration_s > 0) alarm((unsigned)duration_s);
    int sig;
    sigwait(&stop, &sig);

    eb_net_server_exit end;
    rc = eb_net_server_stop(server, &end);
    if (rc != 0) {
        fprintf(stderr, "%s: stopping the server failed: %s\n", prog, strerror(-rc));
        return 1;
    }
    printf("%s: stopped: %" PRIu64 " connections, %" PRIu64 " requests, %" PRIu64
           " responses, %" PRIu64 " body bytes, %" PRIu64 " accept errors; cpu %.1f ms "
           "(user %.1f, sys %.1f) on PU %d\n",
           prog, end.stats.accepts, end.stats.requests, end.stats.responses,
           end.stats.body_bytes_sent, end.stats.accept_errors, (double)end.cpu_ns / 1e6,
           (double)end.user_ns / 1e6, (double)end.sys_ns / 1e6, end.pu);
    if (!end.stopped) {
        fprintf(stderr, "%s: the server had ended on its own (status 0x%x) before the stop\n", prog,
                (unsigned)end.status);
        return 1;
    }
    return 0;
}
