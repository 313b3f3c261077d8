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

/* The command line as a shell would take it back (malloc'd; NULL when out of memory). */
static char *command_line(int argc, char *const argv[])
{
    size_t cap = 1;
    for (int i = 0; i < argc; i++)
        cap += 3 * strlen(argv[i]) + 3;
    char *text = calloc(1, cap);
    if (text == NULL) return NULL;
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
    return text;
}

void eb_context_begin(eb_doc *doc, const eb_plan *plan, const eb_topology *topo, int argc,
                      char *const argv[], time_t started)
{
    eb_results_doc *d = &doc->results;
    const eb_context_part e = EB_CONTEXT_EXECBENCH;
    eb_topology_summary t;
    eb_topology_summarize(topo, &t);
    struct utsname u;
    char kernel[3 * sizeof u.release + 8] = "unknown";
    if (uname(&u) == 0)
        snprintf(kernel, sizeof kernel, "%s %s %s", u.sysname, u.release, u.machine);
    char date[40];
    eb_iso_time(started, date, sizeof date);
    char *line = command_line(argc, argv);

    eb_results_context_string(d, e, EB_KEY_VERSION, EB_VERSION);
    eb_results_context_string(d, e, EB_KEY_BUILD_TYPE, EB_BUILD_TYPE);
    eb_results_context_string(d, e, EB_KEY_COMPILER, EB_C_COMPILER " " EB_C_FLAGS);
    eb_results_context_string(d, e, EB_KEY_KERNEL, kernel);
    eb_results_context_string(d, e, EB_KEY_PRESET, plan->preset);
    eb_results_context_string(d, e, EB_KEY_COMMAND_LINE, line);
    free(line);
    static const char *const topology_keys[] = {EB_KEY_PACKAGES, EB_KEY_NUMA_NODES, EB_KEY_CORES,
                                                EB_KEY_PUS, EB_KEY_L3_BYTES};
    const int64_t topology[] = {t.packages, t.numa_nodes, t.cores, t.pus, t.l3_bytes};
    eb_results_context_ints(d, EB_KEY_TOPOLOGY, topology_keys, topology, 5);
    eb_settings_to_context(&plan->settings, d);
    eb_results_context_string(d, e, EB_KEY_STARTED, date);
    eb_results_context_int(d, e, EB_KEY_POINTS_PLANNED, (int64_t)plan->count);
    eb_results_context_string(d, e, EB_KEY_IDEAL, eb_ideal_description);
    eb_results_context_string(
        d, e, EB_KEY_INTERVAL,
        plan->settings.rounds.order == EB_ORDER_INTERLEAVED
            ? "speedup, efficiency: the median over the rounds of the reference point's time "
              "over this point's in the same round (a CPU efficiency: times ideal_share), with "
              "a 95% percentile-bootstrap interval (2000 resamples of the rounds, splitmix64 "
              "seeded with seed)"
            : "speedup, efficiency: the reference point's median over this point's, with a "
              "95% percentile-bootstrap interval (2000 resamples of each point's repetitions "
              "on its own, splitmix64 seeded with seed)");
    eb_results_context_string(
        d, e, EB_KEY_CPU_TIME,
        "cpu_time: user+sys CPU of the point's process and of its worker processes per job "
        "(getrusage), not libbenchmark's benchmark-thread time; children_cpu_ns is the part "
        "spent in worker processes");
    eb_results_context_string(d, e, EB_KEY_REAL_TIME,
                              "real_time: the job's wall time (CLOCK_MONOTONIC), executor "
                              "start-up included unless spawn is apart (spawn_ns gives it "
                              "alone; the job's own thread, the one worker of sequential and "
                              "coroutine, is pinned before it), until the last worker "
                              "finished its tasks (a pool's exit, reaping or joins after it); "
                              "one job per iteration");
    eb_results_context_string(
        d, e, EB_KEY_COLD_RUN_NS,
        "cold_run_ns: the wall time of the first warm-up, the first run in the point's fresh "
        "process (absent with --warmup 0, whose first repetition is that run: its "
        "coro_stacks_reused is 0): stacks and timer arrays are mapped and faulted in inside "
        "it; before every run, cold included, the job's per-task arrays (result, start, end: "
        "24 B a task) are mapped and zeroed outside the timed job");
    eb_results_context_string(
        d, e, EB_KEY_CORO_STACKS_REUSED,
        "coro_stacks_reused, coro_timers_reused: what a coroutine run found kept from an "
        "earlier run of its point process, resident: stacks (separate: the stack pool's slots; "
        "copy: the control blocks, with the run stack and the save buffers' arena) and the "
        "scheduler's timer entries; 0 is a cold start, every later run of the process is a warm "
        "one. Threads: glibc keeps finished threads' stacks (up to 40 MiB) for the next ones. "
        "Nothing else is kept or prefaulted, and no huge pages are used");
}

/* libbenchmark's context keys, when no point process supplied them. */
static void fallback_context(eb_results_doc *d)
{
    const eb_context_part b = EB_CONTEXT_BENCHMARK;
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
    eb_results_context_string(d, b, EB_KEY_HOST_NAME, host);
    eb_results_context_int(d, b, EB_KEY_NUM_CPUS, cpus);
    eb_results_context_int(d, b, EB_KEY_MHZ_PER_CPU, (int64_t)mhz);
    eb_results_context_bool(d, b, EB_KEY_CPU_SCALING_ENABLED, false);
    eb_results_context_reals(d, b, EB_KEY_CACHES, NULL, 0);
    eb_results_context_reals(d, b, EB_KEY_LOAD_AVG, load, 3);
    eb_results_context_string(d, b, EB_KEY_LIBRARY_BUILD_TYPE,
                              "unknown (no point process reported it)");
}

void eb_context_end(eb_doc *doc, const char *executable, size_t points_run, int interrupted_signal,
                    time_t started, time_t finished)
{
    eb_results_doc *d = &doc->results;
    const eb_context_part b = EB_CONTEXT_BENCHMARK, e = EB_CONTEXT_EXECBENCH;
    if (!eb_results_context_has(d, b, EB_KEY_HOST_NAME) &&
        !eb_results_context_has(d, b, EB_KEY_LIBRARY_BUILD_TYPE))
        fallback_context(d);
    char date[40];
    eb_iso_time(started, date, sizeof date);
    eb_results_context_string(d, b, EB_KEY_DATE, date);
    eb_results_context_string(d, b, EB_KEY_EXECUTABLE, executable);

    if (!eb_results_context_has(d, e, EB_KEY_TIMER_SLACK_NS))
        eb_results_context_string(d, e, EB_KEY_TIMER_SLACK_NS, NULL); /* no point reported */
    eb_iso_time(finished, date, sizeof date);
    eb_results_context_string(d, e, EB_KEY_FINISHED, date);
    eb_results_context_int(d, e, EB_KEY_POINTS_RUN, (int64_t)points_run);
    eb_results_context_int(d, e, EB_KEY_POINTS_FAILED, (int64_t)doc->failed);
    eb_results_context_bool(d, e, EB_KEY_INTERRUPTED, interrupted_signal != 0);
    if (interrupted_signal != 0) {
        const char *abbrev = sigabbrev_np(interrupted_signal);
        char name[32];
        snprintf(name, sizeof name, "SIG%s", abbrev ? abbrev : "?");
        eb_results_context_string(d, e, EB_KEY_INTERRUPTED_BY, name);
    }
    /* libbenchmark's keys first, then ours. */
    eb_results_context_finish(d);
}

void eb_context_parent(eb_doc *doc, const eb_self_usage *start, const eb_self_usage *end)
{
    static const char *const keys[] = {EB_KEY_FDS_AT_START, EB_KEY_FDS_AT_END,
                                       EB_KEY_RSS_KIB_AT_START, EB_KEY_RSS_KIB_AT_END};
    const int64_t values[] = {start->fds, end->fds, start->rss_kib, end->rss_kib};
    eb_results_context_ints(&doc->results, EB_KEY_PARENT_PROCESS, keys, values, 4);
}

void eb_context_repeat(eb_doc *doc, int index, int of)
{
    static const char *const keys[] = {EB_KEY_REPEAT_INDEX, EB_KEY_REPEAT_OF};
    const int64_t values[] = {index, of};
    eb_results_context_ints(&doc->results, EB_KEY_REPEAT_RUN, keys, values, 2);
}
