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
#include "gbjson.h"
#include "oslimits.h"
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
    const eb_plan_settings *settings;
    eb_job job;
    bool warmed;
    int64_t cold_run_ns; /* the first warm-up run's wall time, 0 without warm-up */
    int rep;             /* repetitions completed */
    char failed[1024];   /* the first failure, for every later repetition too */
    json_t **worker_pus; /* [repetitions] */
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
        snprintf(why, why_len, "%s%s%s", out->error[0] != '\0' ? out->error : strerror(-rc),
                 limit[0] ? ": " : "", limit);
        return rc;
    }
    char reason[400] = "";
    if (c->job.workload->verify(&c->job, reason, sizeof reason) != 0) {
        snprintf(why, why_len, "verification failed: %s", reason[0] ? reason : "(no reason given)");
        return -EBADMSG;
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
    eb_state_counter(s, "spawn_ns", (double)out->spawn_ns, EB_COUNTER_DEFAULT);
    eb_state_counter(s, "eb_cpu_ns", (double)(out->cpu_user_ns + out->cpu_sys_ns),
                     EB_COUNTER_DEFAULT);
    eb_state_counter(s, "children_cpu_ns", (double)out->children_cpu_ns, EB_COUNTER_DEFAULT);
    eb_state_counter(s, "ctx_switches_voluntary", (double)out->ctx_switches_voluntary,
                     EB_COUNTER_DEFAULT);
    eb_state_counter(s, "ctx_switches_involuntary", (double)out->ctx_switches_involuntary,
                     EB_COUNTER_DEFAULT);
    eb_state_counter(s, "max_rss_kib", (double)out->max_rss_kib, EB_COUNTER_DEFAULT);
    eb_state_counter(s, "task_latency_p50_ns", (double)p50, EB_COUNTER_DEFAULT);
    eb_state_counter(s, "task_latency_p99_ns", (double)p99, EB_COUNTER_DEFAULT);
    if (c->cold_run_ns > 0)
        eb_state_counter(s, "cold_run_ns", (double)c->cold_run_ns, EB_COUNTER_DEFAULT);
    eb_state_set_items_processed(s, (int64_t)job->tasks);

    json_t *pus = json_array();
    for (unsigned w = 0; w < job->worker_slots; w++)
        if (job->worker[w].ready_ns >= 0)
            json_array_append_new(pus, json_integer(job->worker[w].pu));
    if (c->rep < c->settings->repetitions)
        c->worker_pus[c->rep] = pus;
    else
        json_decref(pus);
}

/* "rep 3/10" to the parent, for its progress line (outside the timed job). */
static void tell(const point_run *c, const char *phase, int index)
{
    char what[48];
    snprintf(what, sizeof what, "%s %d/%d", phase, index + 1,
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

static double unit_ns(const char *unit)
{
    if (unit == NULL) return 1.0;
    if (strcmp(unit, "us") == 0) return 1e3;
    if (strcmp(unit, "ms") == 0) return 1e6;
    if (strcmp(unit, "s") == 0) return 1e9;
    return 1.0;
}

/* Counters that are counts or integer nanoseconds (RESULTS-FORMAT.md), except
 * in cv rows, where every value is a ratio. */
static const char *const integer_keys[] = {
    "spawn_ns",    "children_cpu_ns",     "ctx_switches_voluntary", "ctx_switches_involuntary",
    "max_rss_kib", "task_latency_p50_ns", "task_latency_p99_ns",    "cold_run_ns",
};

int eb_point_enrich(json_t *doc, const eb_point *point, json_t *const *worker_pus, int repetitions,
                    int64_t timer_slack_ns)
{
    json_t *rows = json_object_get(doc, "benchmarks");
    json_t *context = json_object_get(doc, "context");
    if (!json_is_array(rows) || !json_is_object(context)) return -EINVAL;
    json_object_set_new(context, "execbench_timer_slack_ns", json_integer(timer_slack_ns));

    /* A failed point is one error row: the first failure, as libbenchmark wrote it. */
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (json_is_true(json_object_get(row, "error_occurred"))) {
            json_t *only = json_array();
            json_array_append(only, row);
            json_object_set_new(doc, "benchmarks", only);
            return 0;
        }
    }

    /* The PU map every repetition agreed on, else the first one's. */
    json_t *common = repetitions > 0 ? worker_pus[0] : NULL;
    bool varied = false;
    for (int r = 1; r < repetitions; r++)
        if (worker_pus[r] != NULL && !json_equal(worker_pus[r], common)) varied = true;

    int iteration = 0;
    json_array_foreach(rows, i, row)
    {
        const char *run_type = json_string_value(json_object_get(row, "run_type"));
        const char *aggregate = json_string_value(json_object_get(row, "aggregate_name"));
        bool is_cv = aggregate != NULL && strcmp(aggregate, "cv") == 0;
        bool is_iteration = run_type != NULL && strcmp(run_type, "iteration") == 0;

        json_t *pus = is_iteration && iteration < repetitions ? worker_pus[iteration] : common;
        if (pus != NULL) json_object_set(row, "worker_pus", pus);
        if (!is_iteration && varied) json_object_set_new(row, "worker_pus_varied", json_true());
        if (is_iteration) iteration++;

        /* cpu_time: the job's user+sys CPU, this process and its workers,
         * not libbenchmark's benchmark-thread time (which misses threads and
         * processes doing the work). */
        json_t *cpu = json_object_get(row, "eb_cpu_ns");
        if (json_is_number(cpu)) {
            double v = json_number_value(cpu);
            const char *unit = json_string_value(json_object_get(row, "time_unit"));
            json_object_set_new(row, "cpu_time", json_real(is_cv ? v : v / unit_ns(unit)));
            json_object_del(row, "eb_cpu_ns");
        }
        if (!is_cv) {
            for (size_t k = 0; k < sizeof integer_keys / sizeof *integer_keys; k++) {
                json_t *v = json_object_get(row, integer_keys[k]);
                if (json_is_real(v))
                    json_object_set_new(row, integer_keys[k],
                                        json_integer((json_int_t)llround(json_real_value(v))));
            }
            json_t *rss = json_object_get(row, "max_rss_kib");
            if (json_is_integer(rss) && point->tasks > 0)
                json_object_set_new(row, "max_rss_per_task_bytes",
                                    json_integer((json_int_t)(json_integer_value(rss) * 1024 /
                                                              (json_int_t)point->tasks)));
        }
    }
    return 0;
}

static int prepare(point_run *c, const eb_topology *topo, eb_pin_plan **pin, char *why,
                   size_t why_len)
{
    const eb_point *p = c->point;
    const char *cpuset = p->pin == EB_PIN_CPUSET ? p->cpuset : NULL;
    int rc = eb_pin_plan_create(topo, p->pin, cpuset, p->workers, pin, why, why_len);
    if (rc != 0) return rc;
    unsigned threads = 0;
    if (p->executor->thread_per_core) {
        /* its threads are one per core, not --workers: a plan for every PU
         * the policy offers (cores first), and as many threads as it has cores */
        unsigned units = (*pin)->units;
        free(*pin);
        *pin = NULL;
        if ((rc = eb_pin_plan_create(topo, p->pin, cpuset, units, pin, why, why_len)) != 0)
            return rc;
        threads = (unsigned)eb_pin_plan_cores(*pin);
    }
    eb_job *job = &c->job;
    memset(job, 0, sizeof *job);
    job->workload = p->workload;
    memcpy(job->params, p->params, sizeof job->params);
    job->tasks = p->tasks;
    job->workers = p->workers;
    job->threads = threads;
    job->pin = *pin;
    job->coro_backend = c->settings->coro_backend;
    job->seed = c->settings->seed;
    if (p->workload->setup != NULL && (rc = p->workload->setup(job)) != 0) {
        snprintf(why, why_len, "%s: setup failed: %s", p->workload->name, strerror(-rc));
        return rc;
    }
    if ((rc = eb_job_alloc(job)) != 0) {
        char limit[400];
        eb_limit_ask ask = {.kind = 'm',
                            .bytes = p->tasks * 3 * sizeof(uint64_t),
                            .maps = 1,
                            .advice = "use a smaller --tasks"};
        eb_limits_why(rc, &ask, limit, sizeof limit);
        snprintf(why, why_len, "could not map the shared arrays for %" PRIu64 " %s: %s%s%s",
                 p->tasks, eb_plural(p->tasks, "task", "tasks"), strerror(-rc),
                 limit[0] ? ": " : "", limit);
        return rc;
    }
    c->durations = calloc(p->tasks, sizeof *c->durations);
    c->worker_pus = calloc((size_t)c->settings->repetitions, sizeof *c->worker_pus);
    if (c->durations == NULL || c->worker_pus == NULL) {
        snprintf(why, why_len, "out of memory for %" PRIu64 " %s", p->tasks,
                 eb_plural(p->tasks, "task", "tasks"));
        return -ENOMEM;
    }
    return 0;
}

/* Runs libbenchmark with its output in a memfd; returns the text (malloc'd). */
static char *run_benchmark(const point_run *c, size_t *len, char *why, size_t why_len)
{
    int memfd = memfd_create("execbench-point", MFD_CLOEXEC);
    if (memfd < 0) {
        snprintf(why, why_len, "memfd_create failed: %s", strerror(errno));
        return NULL;
    }
    char repetitions[48];
    snprintf(repetitions, sizeof repetitions, "--benchmark_repetitions=%d",
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
        snprintf(why, why_len, "libbenchmark ran nothing");
    } else if (fstat(memfd, &st) != 0 || st.st_size <= 0) {
        snprintf(why, why_len, "libbenchmark wrote no report");
    } else if ((text = malloc((size_t)st.st_size + 1)) != NULL) {
        ssize_t got = pread(memfd, text, (size_t)st.st_size, 0);
        if (got != st.st_size) {
            snprintf(why, why_len, "could not read libbenchmark's report back");
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

/* test.report (workloads/faults.c): the report damaged as its `mode` says, so
 * the tests can show what the parent makes of a point process that prints
 * garbage. Every other point's report is left alone. */
static void damage_report(const eb_point *point, char **text, size_t *len)
{
    if (strcmp(point->workload->name, "test.report") != 0) return;
    static const char garbage[] = "execbench point: this is not JSON\n";
    static const char binary[] = {'{', '"', '\xff', '\xfe', '"', ':', 0, '\x80', '}'};
    switch (point->params[0]) {
    case 1:
        memcpy(*text, garbage, sizeof garbage - 1 < *len ? sizeof garbage - 1 : *len);
        *len = sizeof garbage - 1 < *len ? sizeof garbage - 1 : *len;
        break;
    case 2: { /* cut mid-document, as a point killed while writing would leave it */
        const char *rows = strstr(*text, "\"benchmarks\"");
        const char *name = rows != NULL ? strstr(rows, "\"name\":\"") : NULL;
        *len = name != NULL ? (size_t)(name - *text) + 15 : *len / 2; /* inside the name */
        break;
    }
    case 3:
        *len = 0;
        break;
    case 4:
        *len = (size_t)snprintf(*text, *len, "{\"benchmarks\": 3}");
        break;
    case 5: /* the rows name another point */
        for (char *p = *text; (p = strstr(p, "test.report/")) != NULL; p++)
            memcpy(p, "test.rep0rt", 11);
        break;
    case 6:
        if (*len >= sizeof binary) {
            memcpy(*text, binary, sizeof binary);
            *len = sizeof binary;
        }
        break;
    case 7:
        fputs("execbench point: \xff\xfe not text\n", stderr);
        fflush(stderr);
        _exit(5);
    }
}

/* Prints the point's document for the parent: 0, or -1 with errno set. */
static int print_report(json_t *doc, const eb_point *point)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    if (text == NULL) {
        errno = ENOMEM;
        return -1;
    }
    size_t len = strlen(text);
    damage_report(point, &text, &len);
    int rc = fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : -1;
    free(text);
    return rc;
}

int eb_point_main(const eb_point *point, const eb_plan_settings *settings, const eb_topology *topo)
{
    /* Before any worker exists: threads and forked workers inherit the slack. */
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    int64_t slack = prctl(PR_GET_TIMERSLACK, 0UL, 0UL, 0UL, 0UL);
    eb_crash_install(EB_REPORT_FD);

    point_run c = {.point = point, .settings = settings};
    eb_pin_plan *pin = NULL;
    char why[1024] = "";
    int status = 3;
    json_t *doc = NULL;
    char *text = NULL;
    size_t len = 0;
    if (prepare(&c, topo, &pin, why, sizeof why) == 0) {
        eb_crash_watch(&c.job, settings->repetitions);
        eb_bench *b = eb_bench_register(point->name, bm_point, &c);
        eb_bench_timing(b, EB_TIMING_MANUAL);
        eb_bench_unit(b, EB_TIME_MS);
        text = run_benchmark(&c, &len, why, sizeof why);
        eb_crash_watch(NULL, 0);
    }
    if (text != NULL) {
        json_error_t error;
        doc = eb_gbjson_parse(text, len, &error, NULL);
        if (doc == NULL)
            snprintf(why, sizeof why, "libbenchmark's report is not JSON: line %d column %d: %s",
                     error.line, error.column, error.text);
        else if (eb_point_enrich(doc, point, c.worker_pus, c.rep, slack) != 0)
            snprintf(why, sizeof why, "libbenchmark's report has no benchmarks or context");
        else if (print_report(doc, point) == 0)
            status = 0;
        else
            snprintf(why, sizeof why, "could not write the report: %s", strerror(errno));
    }
    if (status != 0) eb_crash_report_line(why);

    json_decref(doc);
    free(text);
    if (c.worker_pus != NULL)
        for (int r = 0; r < settings->repetitions; r++)
            json_decref(c.worker_pus[r]);
    free(c.worker_pus);
    free(c.durations);
    if (c.job.workload != NULL && c.job.workload->teardown != NULL)
        c.job.workload->teardown(&c.job);
    eb_job_free(&c.job);
    free(pin);
    return status;
}
