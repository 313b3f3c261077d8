/* serve.c — the point process kept alive across an interleaved run's rounds
 * (protocol.h): the warm-up when told, then one repetition per command, each
 * in a libbenchmark run of its own (one repetition, no aggregates: the
 * runner computes those over the rounds, lib/results/aggregates.c), printed
 * as one line for the parent. */
#include "point_run.h"

#include "err.h"
#include "protocol.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* This process's CPU and its reaped workers', in ns. */
static int64_t own_cpu_ns(void)
{
    struct rusage self, children;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    const struct timeval *t[] = {&self.ru_utime, &self.ru_stime, &children.ru_utime,
                                 &children.ru_stime};
    int64_t ns = 0;
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        ns += (int64_t)t[i]->tv_sec * 1000000000 + (int64_t)t[i]->tv_usec * 1000;
    return ns;
}

static int reply_line(const char *text)
{
    if (fputs(text, stdout) == EOF || fputc('\n', stdout) == EOF || fflush(stdout) != 0)
        return errno != 0 ? -errno : -EIO;
    return 0;
}

/* "run R": one repetition; its document (or error row) on one line. */
static int run_one(point_run *c, int served, int64_t timer_slack_ns)
{
    int64_t cpu_before = own_cpu_ns();
    c->rep = 0;
    eb_crash_phase(served);
    char why[1024] = "";
    size_t len = 0;
    char *text = eb_point_bench_run(c, &len, why, sizeof why);
    eb_results_doc doc = {0};
    int rc = text != NULL ? eb_point_document(c, text, len, timer_slack_ns, &doc, why, sizeof why)
                          : -EIO;
    free(text);
    if (rc == 0)
        rc = eb_results_context_int(&doc, EB_CONTEXT_POINT, EB_KEY_OWN_CPU_NS,
                                    own_cpu_ns() - cpu_before);
    if (rc == 0) rc = eb_point_print(&doc, &c->job, true);
    eb_results_free(&doc);
    if (rc != 0 && why[0] == '\0')
        eb_fail(why, sizeof why, rc, "could not write the report: %s", eb_strerror(rc));
    if (rc != 0) eb_crash_report_line(why);
    return rc;
}

int eb_point_serve(point_run *c, int64_t timer_slack_ns)
{
    char command[64];
    int served = 0;
    for (;;) {
        long n = eb_protocol_next_command(command, sizeof command);
        if (n == 0) return 0; /* the parent is done with this point */
        if (n < 0) {
            char why[160];
            eb_fail(why, sizeof why, (int)n, "could not read a command on fd %d: %s", EB_COMMAND_FD,
                    eb_strerror((int)n));
            eb_crash_report_line(why);
            return 3;
        }
        if (strcmp(command, EB_COMMAND_WARMUP) == 0) {
            if (!c->warmed) eb_point_warm_up(c);
            char line[sizeof c->failed + 16];
            snprintf(line, sizeof line, "%s%s", c->failed[0] ? "error " : "ok", c->failed);
            if (reply_line(line) != 0) return 3;
        } else if (strncmp(command, EB_COMMAND_RUN " ", strlen(EB_COMMAND_RUN) + 1) == 0) {
            if (run_one(c, served++, timer_slack_ns) != 0) return 3;
        } else {
            char why[160];
            snprintf(why, sizeof why, "unknown command '%.60s' on fd %d", command, EB_COMMAND_FD);
            eb_crash_report_line(why);
            return 3;
        }
    }
}
