/* context.c — see context.h. */
#include "context.h"

#include "eb_build_info.h"
#include "ideal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

void eb_iso_time(time_t t, char *buf, size_t len)
{
    struct tm tm;
    localtime_r(&t, &tm);
    char zone[8];
    strftime(zone, sizeof zone, "%z", &tm); /* +0000 -> +00:00 */
    strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "%.3s:%.2s", zone, zone + 3);
}

static json_t *command_line(int argc, char *const argv[])
{
    size_t cap = 1;
    for (int i = 0; i < argc; i++)
        cap += 3 * strlen(argv[i]) + 3;
    char *text = calloc(1, cap);
    if (text == NULL) return json_null();
    size_t used = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = i == 0 ? "execbench" : argv[i];
        bool quote = a[0] == '\0' || strpbrk(a, " \t\n'\"\\$`*?[]{}()<>|;&") != NULL;
        if (i > 0) text[used++] = ' ';
        if (quote) text[used++] = '\'';
        for (const char *c = a; *c != '\0'; c++) {
            if (quote && *c == '\'') {
                memcpy(text + used, "'\\''", 4);
                used += 4;
            } else {
                text[used++] = *c;
            }
        }
        if (quote) text[used++] = '\'';
    }
    json_t *s = json_string(text);
    free(text);
    return s;
}

void eb_context_begin(eb_doc *doc, const eb_plan *plan, const eb_topology *topo, int argc,
                      char *const argv[], time_t started)
{
    json_t *e = eb_doc_execbench(doc);
    eb_topology_summary t;
    eb_topology_summarize(topo, &t);
    struct utsname u;
    char kernel[3 * sizeof u.release + 8] = "unknown";
    if (uname(&u) == 0)
        snprintf(kernel, sizeof kernel, "%s %s %s", u.sysname, u.release, u.machine);
    char date[40];
    eb_iso_time(started, date, sizeof date);

    json_object_set_new(e, "version", json_string(EB_VERSION));
    json_object_set_new(e, "build_type", json_string(EB_BUILD_TYPE));
    json_object_set_new(e, "compiler", json_string(EB_C_COMPILER " " EB_C_FLAGS));
    json_object_set_new(e, "kernel", json_string(kernel));
    json_object_set_new(e, "preset", plan->preset ? json_string(plan->preset) : json_null());
    json_object_set_new(e, "command_line", command_line(argc, argv));
    json_object_set_new(e, "topology",
                        json_pack("{s:i,s:i,s:i,s:i,s:I}", "packages", t.packages, "numa_nodes",
                                  t.numa_nodes, "cores", t.cores, "pus", t.pus, "l3_bytes",
                                  (json_int_t)t.l3_bytes));
    json_object_set_new(
        e, "coro_backend",
        json_string(plan->settings.coro_backend == EB_CORO_UCONTEXT ? "ucontext" : "fcontext"));
    json_object_set_new(e, "repetitions", json_integer(plan->settings.repetitions));
    json_object_set_new(e, "warmup", json_integer(plan->settings.warmup));
    json_object_set_new(e, "timeout_s", json_real((double)plan->settings.timeout_ns / 1e9));
    json_object_set_new(e, "seed", json_integer((json_int_t)plan->settings.seed));
    json_object_set_new(e, "started", json_string(date));
    json_object_set_new(e, "points_planned", json_integer((json_int_t)plan->count));
    json_object_set_new(e, "ideal", json_string(eb_ideal_description));
    json_object_set_new(
        e, "cpu_time",
        json_string("cpu_time: user+sys CPU of the point's process and of its worker processes "
                    "per job (getrusage), not libbenchmark's benchmark-thread time; "
                    "children_cpu_ns is the part spent in worker processes"));
    json_object_set_new(e, "real_time",
                        json_string("real_time: the job's wall time (CLOCK_MONOTONIC), executor "
                                    "start-up included (spawn_ns alone); one job per iteration"));
}

/* libbenchmark's context keys, when no point process supplied them. */
static void fallback_context(json_t *context)
{
    char host[256] = "unknown";
    gethostname(host, sizeof host - 1);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    double mhz = 0;
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f != NULL) {
        char line[256];
        while (fgets(line, sizeof line, f) != NULL)
            if (sscanf(line, "cpu MHz : %lf", &mhz) == 1) break;
        fclose(f);
    }
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) != 3) load[0] = load[1] = load[2] = 0;
    json_object_set_new(context, "host_name", json_string(host));
    json_object_set_new(context, "num_cpus", json_integer(cpus));
    json_object_set_new(context, "mhz_per_cpu", json_integer((json_int_t)mhz));
    json_object_set_new(context, "cpu_scaling_enabled", json_false());
    json_object_set_new(context, "caches", json_array());
    json_object_set_new(context, "load_avg", json_pack("[f,f,f]", load[0], load[1], load[2]));
    json_object_set_new(context, "library_build_type",
                        json_string("unknown (no point process reported it)"));
}

void eb_context_end(eb_doc *doc, const char *executable, size_t points_run, int interrupted_signal,
                    time_t started, time_t finished)
{
    json_t *context = eb_doc_context(doc);
    if (!doc->gb_context) fallback_context(context);
    char date[40];
    eb_iso_time(started, date, sizeof date);
    json_object_set_new(context, "date", json_string(date));
    json_object_set_new(context, "executable", json_string(executable));

    json_t *e = eb_doc_execbench(doc);
    if (json_object_get(e, "timer_slack_ns") == NULL)
        json_object_set_new(e, "timer_slack_ns", json_null()); /* no point process reported */
    eb_iso_time(finished, date, sizeof date);
    json_object_set_new(e, "finished", json_string(date));
    json_object_set_new(e, "points_run", json_integer((json_int_t)points_run));
    json_object_set_new(e, "points_failed", json_integer((json_int_t)doc->failed));
    json_object_set_new(e, "interrupted", json_boolean(interrupted_signal != 0));
    if (interrupted_signal != 0) {
        const char *abbrev = sigabbrev_np(interrupted_signal);
        char name[32];
        snprintf(name, sizeof name, "SIG%s", abbrev ? abbrev : "?");
        json_object_set_new(e, "interrupted_by", json_string(name));
    }
    /* libbenchmark's keys first, then ours: move execbench to the end. */
    json_incref(e);
    json_object_del(context, "execbench");
    json_object_set_new(context, "execbench", e);
}
