/* point.c — one point, in the fresh process the parent started for it.
 *
 * The job runs under Google Benchmark through the shim: manual time (the job's
 * own wall time, executor start-up included), one job per iteration, one
 * iteration per repetition, the repetitions and their aggregates from
 * libbenchmark's own flags so names carry no "/repeats:". libbenchmark's JSON
 * goes into a memfd; this process reads it back, adds what libbenchmark cannot
 * hold (point.h) and prints the one document on stdout for the parent. */
#include "point.h"

#include "point_run.h"

#include "crash.h"
#include "eb_bench.h"
#include "err.h"
#include "job_run.h"
#include "oslimits.h"
#include "point_mpi.h"
#include "words.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Runs the job once and verifies it: 0, or an error with `why` filled. */
static int run_once(point_run *c, eb_job_result *out, char *why, size_t why_len)
{
    const eb_workload *w = c->job.workload;
    eb_job_reset(&c->job);
    memset(out, 0, sizeof *out);
    int rc = w->run_begin != NULL ? w->run_begin(&c->job) : 0;
    if (rc != 0)
        return eb_fail(why, why_len, rc, "%s: could not begin a run: %s", w->name, eb_strerror(rc));
    rc = c->point->executor->run(&c->job, out);
    if (w->run_end != NULL) w->run_end(&c->job, out); /* its figures; why a task failed */
    if (rc != 0) {
        /* A task refused a file descriptor: say which limit (the executors
         * name the task, not the limit). */
        char limit[400] = "";
        if (rc == -EMFILE || rc == -ENFILE)
            eb_limits_why(
                rc, &(eb_limit_ask){.kind = 'f', .advice = "run fewer tasks at once (--workers)"},
                limit, sizeof limit);
        return eb_fail(why, why_len, rc, "%s%s%s",
                       out->error[0] != '\0' ? out->error : eb_strerror(rc), limit[0] ? ": " : "",
                       limit);
    }
    char reason[400] = "";
    if (c->job.workload->verify(&c->job, reason, sizeof reason) != 0) {
        return eb_fail(why, why_len, -EBADMSG, "verification failed: %s",
                       reason[0] ? reason : "(no reason given)");
    }
    return 0;
}

/* What the workload measured (workload.h: eb_workload_figures), when it did. */
static void record_workload(eb_state *s, const eb_job_result *out)
{
    const eb_workload_figures *f = &out->workload;
    if (!f->present) return;
    eb_state_counter(s, EB_KEY_REQUESTS, (double)f->requests, EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_REQUESTS_PER_SECOND,
                     out->wall_ns > 0 ? (double)f->requests * 1e9 / (double)out->wall_ns : 0,
                     EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_REQUEST_LATENCY_P50_NS, (double)f->latency_p50_ns,
                     EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_REQUEST_LATENCY_P99_NS, (double)f->latency_p99_ns,
                     EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_REQUEST_LATENCY_P999_NS, (double)f->latency_p999_ns,
                     EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_CONNECTIONS_OPENED, (double)f->connections, EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_BYTES_RECEIVED, (double)f->bytes_received, EB_COUNTER_DEFAULT);
    if (f->server_cpu_ns < 0) return; /* no server, or it had ended */
    eb_state_counter(s, EB_KEY_SERVER_CPU_NS, (double)f->server_cpu_ns, EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_SERVER_PU, (double)f->server_pu, EB_COUNTER_DEFAULT);
    /* the client's CPU (the job's) and the server's, per request */
    double cpu = (double)(out->cpu_user_ns + out->cpu_sys_ns + f->server_cpu_ns);
    if (f->requests > 0)
        eb_state_counter(s, EB_KEY_REQUEST_CPU_NS, cpu / (double)f->requests, EB_COUNTER_DEFAULT);
}

/* Where this repetition's coroutines lived (job_run.h: eb_job_result.coro):
 * coro_stacks_reused and coro_timers_reused say what it found kept from an
 * earlier run of this process (0: nothing, a cold start). */
static void record_coro(point_run *c, eb_state *s, const eb_job_result *out)
{
    const struct {
        const char *key;
        uint64_t value;
    } figures[] = {
        {EB_KEY_CORO_STACK_BYTES, out->coro.stack_bytes},
        {EB_KEY_CORO_STACKS_REUSED, out->coro.reused_slots},
        {EB_KEY_CORO_TIMERS_REUSED, out->coro.reused_timers},
        {EB_KEY_CORO_CONTROL_BYTES, out->coro.control_bytes},
        {EB_KEY_CORO_FRAMES_MAX_BYTES, out->coro.max_frames_bytes},
        {EB_KEY_CORO_COPIED_BYTES, out->coro.copied_bytes},
        {EB_KEY_CORO_BUFFER_PEAK_BYTES, out->coro.peak_buffer_bytes},
        {EB_KEY_CORO_ARENA_BYTES, out->coro.arena_bytes},
    };
    for (size_t i = 0; i < sizeof figures / sizeof *figures; i++)
        eb_state_counter(s, figures[i].key, (double)figures[i].value, EB_COUNTER_DEFAULT);
    c->coro_stack_used = out->coro.stack_mode;
}

static void record(point_run *c, eb_state *s, const eb_job_result *out)
{
    const eb_job *job = &c->job;
    uint64_t n = 0;
    for (uint64_t t = 0; t < job->tasks; t++)
        if (job->task_end_ns[t] >= 0 && job->task_start_ns[t] >= 0)
            c->durations[n++] = job->task_end_ns[t] - job->task_start_ns[t];
    int64_t p50 = 0, p99 = 0;
    if (n > 0) {
        qsort(c->durations, n, sizeof *c->durations, cmp_i64);
        /* nearest rank: the smallest value with at least p% of the tasks at or below it */
        p50 = c->durations[(n * 50 + 99) / 100 - 1];
        p99 = c->durations[(n * 99 + 99) / 100 - 1];
    }
    eb_state_counter(s, EB_KEY_SPAWN_NS, (double)out->spawn_ns, EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_JOB_CPU_NS, (double)(out->cpu_user_ns + out->cpu_sys_ns),
                     EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_CHILDREN_CPU_NS, (double)out->children_cpu_ns, EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_CTX_SWITCHES_VOLUNTARY, (double)out->ctx_switches_voluntary,
                     EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_CTX_SWITCHES_INVOLUNTARY, (double)out->ctx_switches_involuntary,
                     EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_MAX_RSS_KIB, (double)out->max_rss_kib, EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_TASK_LATENCY_P50_NS, (double)p50, EB_COUNTER_DEFAULT);
    eb_state_counter(s, EB_KEY_TASK_LATENCY_P99_NS, (double)p99, EB_COUNTER_DEFAULT);
    if (c->cold_run_ns > 0)
        eb_state_counter(s, EB_KEY_COLD_RUN_NS, (double)c->cold_run_ns, EB_COUNTER_DEFAULT);
    if (c->gil != NULL) {
        eb_state_counter(s, EB_KEY_GIL_SWITCHES, (double)out->gil.switches, EB_COUNTER_DEFAULT);
        eb_state_counter(s, EB_KEY_GIL_HANDOFFS, (double)out->gil.handoffs, EB_COUNTER_DEFAULT);
        eb_state_counter(s, EB_KEY_GIL_DROP_REQUESTS, (double)out->gil.drop_requests,
                         EB_COUNTER_DEFAULT);
        eb_state_counter(s, EB_KEY_GIL_FORCED_WAITS, (double)out->gil.forced_waits,
                         EB_COUNTER_DEFAULT);
        eb_state_counter(s, EB_KEY_GIL_WAIT_NS, (double)out->gil.wait_ns, EB_COUNTER_DEFAULT);
    }
    if (c->point->executor->thread_per_core)
        eb_state_counter(s, EB_KEY_STEALS, (double)out->steals, EB_COUNTER_DEFAULT);
    if (c->point->executor->coroutines) record_coro(c, s, out);
    if (out->run_delay_ns >= 0)
        eb_state_counter(s, EB_KEY_RUN_DELAY_NS, (double)out->run_delay_ns, EB_COUNTER_DEFAULT);
    eb_state_set_items_processed(s, (int64_t)job->tasks);
    record_workload(s, out);

    if (c->rep >= c->maps) return;
    eb_pu_map *map = &c->pus[c->rep];
    free(map->pu);
    free(map->host);
    map->host = NULL;
    map->count = 0;
    map->pu = calloc(job->worker_slots, sizeof *map->pu);
    if (job->worker_host != NULL) map->host = calloc(job->worker_slots, sizeof *map->host);
    for (unsigned w = 0; map->pu != NULL && w < job->worker_slots; w++)
        if (job->worker[w].ready_ns >= 0) {
            if (map->host != NULL) memcpy(map->host[map->count], job->worker_host[w], 64);
            map->pu[map->count++] = job->worker[w].pu;
        }
}

/* "rep 3/10" to the parent, for its progress line (outside the timed job). */
static void tell(const point_run *c, const char *phase, int index)
{
    char what[48];
    snprintf(what, sizeof what, "%s %d/%" PRId64, phase, index + 1,
             strcmp(phase, "rep") == 0 ? c->settings->repetitions : c->settings->warmup);
    eb_crash_tell(what);
}

void eb_point_warm_up(point_run *c)
{
    eb_crash_phase(-1);
    for (int i = 0; i < c->settings->warmup && c->failed[0] == '\0'; i++) {
        tell(c, "warm-up", i);
        eb_job_result out;
        if (run_once(c, &out, c->failed, sizeof c->failed) != 0 && c->failed[0] == '\0')
            snprintf(c->failed, sizeof c->failed, "the warm-up failed");
        if (i == 0) c->cold_run_ns = out.wall_ns;
    }
    c->warmed = true;
}

static void bm_point(eb_state *s, void *arg)
{
    point_run *c = arg;
    if (!c->warmed) eb_point_warm_up(c);
    if (c->failed[0] != '\0') {
        eb_state_skip_with_error(s, c->failed);
        return;
    }
    eb_crash_phase(c->rep);
    tell(c, "rep", c->rep);
    eb_job_result out;
    memset(&out, 0, sizeof out);
    while (eb_state_keep_running(s)) {
        if (run_once(c, &out, c->failed, sizeof c->failed) != 0) {
            if (c->failed[0] == '\0') snprintf(c->failed, sizeof c->failed, "the job failed");
            eb_state_skip_with_error(s, c->failed);
            break;
        }
        eb_state_set_iteration_time(s, (double)out.wall_ns / 1e9);
    }
    if (eb_state_error_occurred(s)) return;
    record(c, s, &out);
    c->rep++;
}

int eb_point_prepare(point_run *c, const eb_topology *topo, int maps, eb_pin_plan **pin, char *why,
                     size_t why_len)
{
    const eb_point *p = c->point;
    unsigned threads;
    int rc = eb_point_pin_plan(p, topo, pin, &threads, why, why_len);
    if (rc != 0) return rc;
    eb_job *job = &c->job;
    memset(job, 0, sizeof *job);
    job->workload = p->workload;
    memcpy(job->params, p->params, sizeof job->params);
    job->tasks = p->tasks;
    job->workers = p->workers;
    job->threads = threads;
    job->pin = *pin;
    job->coro_backend = (eb_coro_backend)c->settings->coro_backend;
    job->coro_stack = p->coro_stack;
    job->seed = (uint64_t)c->settings->seed;
    static eb_mpi_config mpi; /* for the point's life */
    eb_point_mpi_config(p, c->settings, &mpi);
    job->executor_config = &mpi;
    job->reactor = (eb_reactor_kind)c->settings->reactor;
    job->spawn_apart = c->settings->spawn == 1;
    job->server_threads = (unsigned)c->settings->server_threads;
    if (c->settings->server_cpuset != NULL) {
        eb_pin_plan *cpus; /* every CPU of the list: its PUs, one "worker" each */
        rc = eb_pin_plan_create(topo, EB_PIN_CPUSET, c->settings->server_cpuset, CPU_SETSIZE, &cpus,
                                why, why_len);
        if (rc != 0) return rc;
        CPU_ZERO(&c->server_cpuset);
        for (unsigned i = 0; i < cpus->count; i++)
            if (cpus->pu_os_index[i] >= 0 && cpus->pu_os_index[i] < CPU_SETSIZE)
                CPU_SET((size_t)cpus->pu_os_index[i], &c->server_cpuset);
        free(cpus);
        job->server_cpuset = &c->server_cpuset;
    }
    if (p->gil_interval_us > 0) {
        /* one GIL for the point's whole life, as a CPython process has one */
        eb_gil_config gc = {.interval_us = p->gil_interval_us};
        if ((rc = eb_gil_create(&gc, &c->gil)) != 0)
            return eb_fail(why, why_len, rc, "could not create the GIL: %s", eb_strerror(rc));
        job->gil = c->gil;
    }
    if (p->workload->setup != NULL && (rc = p->workload->setup(job)) != 0) {
        char limit[400] = ""; /* a setup that opens files (net.http's connections) */
        if (rc == -EMFILE || rc == -ENFILE)
            eb_limits_why(rc, &(eb_limit_ask){.kind = 'f', .advice = "use a smaller --workers"},
                          limit, sizeof limit);
        return eb_fail(why, why_len, rc, "%s: setup failed: %s%s%s", p->workload->name,
                       eb_strerror(rc), limit[0] ? ": " : "", limit);
    }
    if ((rc = eb_job_alloc(job)) != 0) {
        char limit[400];
        eb_limit_ask ask = {.kind = 'm',
                            .bytes = p->tasks * 3 * sizeof(uint64_t),
                            .maps = 1,
                            .advice = "use a smaller --tasks"};
        eb_limits_why(rc, &ask, limit, sizeof limit);
        return eb_fail(why, why_len, rc,
                       "could not map the shared arrays for %" PRIu64 " %s: %s%s%s", p->tasks,
                       eb_plural(p->tasks, "task", "tasks"), eb_strerror(rc), limit[0] ? ": " : "",
                       limit);
    }
    if (p->executor->prepare != NULL && (rc = p->executor->prepare(job)) != 0)
        return eb_fail(why, why_len, rc, "%s: could not prepare the job: %s", p->executor->name,
                       eb_strerror(rc));
    c->durations = calloc(p->tasks, sizeof *c->durations);
    c->maps = maps;
    c->pus = calloc((size_t)maps, sizeof *c->pus);
    if (c->durations == NULL || c->pus == NULL) {
        return eb_fail(why, why_len, -ENOMEM, "out of memory for %" PRIu64 " %s", p->tasks,
                       eb_plural(p->tasks, "task", "tasks"));
    }
    return 0;
}

void eb_point_bench_init(point_run *c, int64_t repetitions)
{
    eb_bench *b = eb_bench_register(c->point->name, bm_point, c);
    eb_bench_timing(b, EB_TIMING_MANUAL);
    eb_bench_unit(b, EB_TIME_MS);
    char reps[48];
    snprintf(reps, sizeof reps, "--benchmark_repetitions=%" PRId64, repetitions);
    /* min_time 1 ns: one iteration (one job) per repetition, whatever its length. */
    char *argv[] = {"execbench", reps, "--benchmark_min_time=0.000000001",
                    "--benchmark_format=json", NULL};
    int argc = 4;
    eb_bench_initialize(&argc, argv);
}

/* One libbenchmark run, its JSON report captured (eb_bench_run_json). */
char *eb_point_bench_run(point_run *c, size_t *len, char *why, size_t why_len)
{
    (void)c;
    char *text = NULL;
    size_t ran = eb_bench_run_json(&text, len);
    if (ran == 0) {
        eb_fail(why, why_len, -ENOENT, "libbenchmark ran nothing");
    } else if (text == NULL) {
        eb_fail(why, why_len, -ENOMEM, "out of memory for libbenchmark's report");
    } else if (*len == 0) {
        eb_fail(why, why_len, -ENODATA, "libbenchmark wrote no report");
    } else {
        return text;
    }
    free(text);
    return NULL;
}

int eb_point_document(point_run *c, const char *text, size_t len, int64_t timer_slack_ns,
                      eb_results_doc *doc, char *why, size_t why_len)
{
    json_error_t error;
    json_t *root = eb_results_parse_lenient(text, len, &error, NULL);
    char reason[1024];
    int rc;
    if (root == NULL)
        return eb_fail(why, why_len, -EINVAL,
                       "libbenchmark's report is not JSON: line %d column %d: %s", error.line,
                       error.column, error.text);
    if ((rc = eb_results_adopt("libbenchmark's report", root, doc, reason, sizeof reason)) != 0)
        return eb_fail(why, why_len, rc, "%s", reason);
    if ((rc = eb_point_enrich(doc, c->point, c->pus, c->rep, timer_slack_ns,
                              c->coro_stack_used >= 0
                                  ? eb_coro_stack_mode_name((eb_coro_stack_mode)c->coro_stack_used)
                                  : NULL)) != 0) {
        eb_results_free(doc);
        return eb_fail(why, why_len, rc, "could not add to libbenchmark's report: %s",
                       eb_strerror(rc));
    }
    return 0;
}

int eb_point_print(const eb_results_doc *doc, const eb_job *job, bool line)
{
    size_t len = 0;
    char *text = eb_results_text(doc, true, &len);
    if (text == NULL) return -ENOMEM;
    if (job->workload->damage_report != NULL) job->workload->damage_report(job, text, &len);
    int rc = 0;
    if (fwrite(text, 1, len, stdout) != len || (line && fputc('\n', stdout) == EOF) ||
        fflush(stdout) != 0)
        rc = errno != 0 ? -errno : -EIO;
    free(text);
    return rc;
}

void eb_point_release(point_run *c, eb_pin_plan *pin)
{
    if (c->pus != NULL)
        for (int r = 0; r < c->maps; r++) {
            free(c->pus[r].pu);
            free(c->pus[r].host);
        }
    free(c->pus);
    free(c->durations);
    if (c->job.workload != NULL && c->job.workload->teardown != NULL)
        c->job.workload->teardown(&c->job);
    eb_job_free(&c->job);
    eb_gil_destroy(c->gil);
    free(pin);
}

int eb_point_main(const eb_point *point, const eb_settings *settings, const eb_topology *topo)
{
    /* Before any worker exists: threads and forked workers inherit the slack. */
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    int64_t slack = prctl(PR_GET_TIMERSLACK, 0UL, 0UL, 0UL, 0UL);
    eb_crash_install(EB_REPORT_FD);

    point_run c = {.point = point, .settings = settings, .coro_stack_used = -1};
    eb_pin_plan *pin = NULL;
    char why[1024] = "";
    int status = 3;
    /* served: one repetition per libbenchmark run, told when (serve.c) */
    int64_t repetitions = settings->serve ? 1 : settings->repetitions;
    if (eb_point_prepare(&c, topo, (int)repetitions, &pin, why, sizeof why) == 0) {
        eb_crash_watch(&c.job, (int)settings->repetitions);
        eb_point_bench_init(&c, repetitions);
        if (settings->serve) {
            status = eb_point_serve(&c, slack);
        } else {
            size_t len = 0;
            char *text = eb_point_bench_run(&c, &len, why, sizeof why);
            eb_results_doc doc = {0};
            int rc;
            if (text != NULL &&
                eb_point_document(&c, text, len, slack, &doc, why, sizeof why) == 0) {
                if ((rc = eb_point_print(&doc, &c.job, false)) == 0)
                    status = 0;
                else
                    eb_fail(why, sizeof why, rc, "could not write the report: %s", eb_strerror(rc));
            }
            eb_results_free(&doc);
            free(text);
        }
        eb_bench_shutdown();
        eb_crash_watch(NULL, 0);
    }
    if (status == 3 && why[0] != '\0') eb_crash_report_line(why);
    eb_point_release(&c, pin);
    return status;
}
