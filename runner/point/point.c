/* point.c — one point, in the fresh process the parent started for it.
 *
 * The job runs under Google Benchmark through the shim: manual time (the job's
 * own wall time, executor start-up included), one job per iteration, one
 * iteration per repetition, the repetitions and their aggregates from
 * libbenchmark's own flags so names carry no "/repeats:". libbenchmark's JSON
 * goes into a memfd; this process reads it back, adds what libbenchmark cannot
 * hold (point.h) and prints the one document on stdout for the parent. */
#include "point.h"

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

typedef struct point_run {
    const eb_point *point;
    const eb_settings *settings;
    eb_job job;
    bool warmed;
    int64_t cold_run_ns; /* the first warm-up run's wall time, 0 without warm-up */
    int rep;             /* repetitions completed */
    char failed[1024];   /* the first failure, for every later repetition too */
    eb_pu_map *pus;      /* [repetitions] */
    int64_t *durations;  /* scratch, [tasks] */
} point_run;

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Runs the job once and verifies it: 0, or an error with `why` filled. */
static int run_once(point_run *c, eb_job_result *out, char *why, size_t why_len)
{
    eb_job_reset(&c->job);
    memset(out, 0, sizeof *out);
    int rc = c->point->executor->run(&c->job, out);
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
    eb_state_set_items_processed(s, (int64_t)job->tasks);

    if (c->rep >= c->settings->repetitions) return;
    eb_pu_map *map = &c->pus[c->rep];
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

static void bm_point(eb_state *s, void *arg)
{
    point_run *c = arg;
    if (!c->warmed) {
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

static int prepare(point_run *c, const eb_topology *topo, eb_pin_plan **pin, char *why,
                   size_t why_len)
{
    const eb_point *p = c->point;
    int rc = eb_pin_plan_create(topo, p->pin, p->pin->from_list ? p->cpuset : NULL, p->workers, pin,
                                why, why_len);
    if (rc != 0) return rc;
    eb_job *job = &c->job;
    memset(job, 0, sizeof *job);
    job->workload = p->workload;
    memcpy(job->params, p->params, sizeof job->params);
    job->tasks = p->tasks;
    job->workers = p->workers;
    job->pin = *pin;
    job->coro_backend = (eb_coro_backend)c->settings->coro_backend;
    job->seed = (uint64_t)c->settings->seed;
    static eb_mpi_config mpi; /* for the point's life */
    eb_point_mpi_config(p, c->settings, &mpi);
    job->executor_config = &mpi;
    if (p->workload->setup != NULL && (rc = p->workload->setup(job)) != 0) {
        return eb_fail(why, why_len, rc, "%s: setup failed: %s", p->workload->name,
                       eb_strerror(rc));
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
    c->durations = calloc(p->tasks, sizeof *c->durations);
    c->pus = calloc((size_t)c->settings->repetitions, sizeof *c->pus);
    if (c->durations == NULL || c->pus == NULL) {
        return eb_fail(why, why_len, -ENOMEM, "out of memory for %" PRIu64 " %s", p->tasks,
                       eb_plural(p->tasks, "task", "tasks"));
    }
    return 0;
}

/* Runs libbenchmark with its output in a memfd; returns the text (malloc'd). */
static char *run_benchmark(const point_run *c, size_t *len, char *why, size_t why_len)
{
    int memfd = memfd_create("execbench-point", MFD_CLOEXEC);
    if (memfd < 0) {
        eb_fail(why, why_len, -errno, "memfd_create failed: %s", strerror(errno));
        return NULL;
    }
    char repetitions[48];
    snprintf(repetitions, sizeof repetitions, "--benchmark_repetitions=%" PRId64,
             c->settings->repetitions);
    /* min_time 1 ns: one iteration (one job) per repetition, whatever its length. */
    char *argv[] = {"execbench", repetitions, "--benchmark_min_time=0.000000001",
                    "--benchmark_format=json", NULL};
    int argc = 4;
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    dup2(memfd, STDOUT_FILENO);
    eb_bench_initialize(&argc, argv);
    size_t ran = eb_bench_run();
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    eb_bench_shutdown();

    char *text = NULL;
    struct stat st;
    if (ran == 0) {
        eb_fail(why, why_len, -ENOENT, "libbenchmark ran nothing");
    } else if (fstat(memfd, &st) != 0 || st.st_size <= 0) {
        eb_fail(why, why_len, -ENODATA, "libbenchmark wrote no report");
    } else if ((text = malloc((size_t)st.st_size + 1)) != NULL) {
        ssize_t got = pread(memfd, text, (size_t)st.st_size, 0);
        if (got != st.st_size) {
            eb_fail(why, why_len, -EIO, "could not read libbenchmark's report back");
            free(text);
            text = NULL;
        } else {
            text[got] = '\0';
            *len = (size_t)got;
        }
    }
    close(memfd);
    return text;
}

/* Prints the point's document for the parent: 0, or -errno. A fault
 * workload may damage it first (workload.h: damage_report). */
static int print_report(const eb_results_doc *doc, const eb_job *job)
{
    size_t len = 0;
    char *text = eb_results_text(doc, true, &len);
    if (text == NULL) return -ENOMEM;
    if (job->workload->damage_report != NULL) job->workload->damage_report(job, text, &len);
    int rc = 0;
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) rc = errno != 0 ? -errno : -EIO;
    free(text);
    return rc;
}

int eb_point_main(const eb_point *point, const eb_settings *settings, const eb_topology *topo)
{
    /* Before any worker exists: threads and forked workers inherit the slack. */
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    int64_t slack = prctl(PR_GET_TIMERSLACK, 0UL, 0UL, 0UL, 0UL);
    eb_crash_install(EB_REPORT_FD);

    point_run c = {.point = point, .settings = settings};
    eb_pin_plan *pin = NULL;
    char why[1024] = "";
    int status = 3;
    eb_results_doc doc = {0};
    char *text = NULL;
    size_t len = 0;
    if (prepare(&c, topo, &pin, why, sizeof why) == 0) {
        eb_crash_watch(&c.job, (int)settings->repetitions);
        eb_bench *b = eb_bench_register(point->name, bm_point, &c);
        eb_bench_timing(b, EB_TIMING_MANUAL);
        eb_bench_unit(b, EB_TIME_MS);
        text = run_benchmark(&c, &len, why, sizeof why);
        eb_crash_watch(NULL, 0);
    }
    if (text != NULL) {
        json_error_t error;
        json_t *root = eb_results_parse_lenient(text, len, &error, NULL);
        char reason[sizeof why];
        int rc;
        if (root == NULL)
            eb_fail(why, sizeof why, -EINVAL,
                    "libbenchmark's report is not JSON: line %d column %d: %s", error.line,
                    error.column, error.text);
        else if (eb_results_adopt("libbenchmark's report", root, &doc, reason, sizeof reason) != 0)
            snprintf(why, sizeof why, "%s", reason);
        else if ((rc = eb_point_enrich(&doc, point, c.pus, c.rep, slack)) != 0)
            eb_fail(why, sizeof why, rc, "could not add to libbenchmark's report: %s",
                    eb_strerror(rc));
        else if ((rc = print_report(&doc, &c.job)) == 0)
            status = 0;
        else
            eb_fail(why, sizeof why, rc, "could not write the report: %s", eb_strerror(rc));
    }
    if (status != 0) eb_crash_report_line(why);

    eb_results_free(&doc);
    free(text);
    if (c.pus != NULL)
        for (int r = 0; r < settings->repetitions; r++) {
            free(c.pus[r].pu);
            free(c.pus[r].host);
        }
    free(c.pus);
    free(c.durations);
    if (c.job.workload != NULL && c.job.workload->teardown != NULL)
        c.job.workload->teardown(&c.job);
    eb_job_free(&c.job);
    free(pin);
    return status;
}
