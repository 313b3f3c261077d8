/* test_e2e.c — build/execbench end to end, small sizes: faults contained under
 * every executor with precise messages while the other points' results stay;
 * what every row and the context record; an interrupt leaves a valid document
 * with what finished; micro rows folded in; the default output paths. */
#include "eb_test.h"
#include "execbench_process.h"
#include "rounds.h"
#include "job_fixture.h"
#include "pin.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Executors whose placeholder still answers ENOSYS are left out (and said so). */
static void built_executors(char *list, size_t len)
{
    list[0] = '\0';
    for (size_t i = 0; i < eb_executor_count; i++) {
        if (eb_executors[i]->named_only) continue; /* mpi: test_mpi.c */
        eb_job job;
        fixture_job(&job, "cpu.sumsq", 1, 1, "n", (int64_t)10, NULL);
        eb_job_result out;
        char why[256];
        int rc = fixture_run(&job, eb_executors[i]->name, &out, why, sizeof why);
        eb_job_free(&job);
        if (rc == -ENOSYS) {
            fprintf(stderr, "note: %s not built yet (%s): left out\n", eb_executors[i]->name, why);
            continue;
        }
        snprintf(list + strlen(list), len - strlen(list), "%s%s", list[0] ? "," : "",
                 eb_executors[i]->name);
    }
}

static json_t *rows_of(json_t *doc)
{
    return json_object_get(doc, "benchmarks");
}

static const char *str(json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s != NULL ? s : "";
}

/* The rows of the point with this workload and executor. */
static size_t point_rows(json_t *doc, const char *workload, const char *executor, json_t **out,
                         size_t cap)
{
    size_t n = 0, i;
    json_t *row;
    json_array_foreach(rows_of(doc), i, row)
    {
        if (strcmp(str(row, "workload"), workload) == 0 &&
            strcmp(str(row, "executor"), executor) == 0 && n < cap)
            out[n++] = row;
    }
    return n;
}

/* Every row has the keys Google Benchmark's readers need, with their types. */
static void check_rows_well_formed(json_t *doc)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows_of(doc), i, row)
    {
        EB_CHECKF(json_is_string(json_object_get(row, "name")), "row %zu name", i);
        EB_CHECKF(json_is_string(json_object_get(row, "run_type")), "row %zu run_type", i);
        EB_CHECKF(json_is_integer(json_object_get(row, "iterations")), "row %zu iterations", i);
        EB_CHECKF(json_is_number(json_object_get(row, "real_time")), "row %zu real_time", i);
        EB_CHECKF(json_is_number(json_object_get(row, "cpu_time")), "row %zu cpu_time", i);
        EB_CHECKF(json_is_string(json_object_get(row, "time_unit")), "row %zu time_unit", i);
        EB_CHECKF(json_is_integer(json_object_get(row, "family_index")), "row %zu family", i);
    }
}

/* family_index: one per point, 0, 1, 2, ... in the order the points ran. */
static void check_families(json_t *doc)
{
    json_int_t expected = 0;
    const char *current = NULL;
    size_t i;
    json_t *row;
    json_array_foreach(rows_of(doc), i, row)
    {
        const char *run = str(row, "run_name");
        if (current != NULL && strcmp(run, current) != 0) expected++;
        current = run;
        json_int_t family = json_integer_value(json_object_get(row, "family_index"));
        EB_CHECKF(family == expected, "row %zu (%s): family_index %lld, expected %lld", i, run,
                  (long long)family, (long long)expected);
    }
}

EB_TEST(faults_are_contained_under_every_executor)
{
    char executors[128], dir[64], out[128];
    built_executors(executors, sizeof executors);
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/faults.json", dir);
    const char *args[] = {"--workload",
                          "cpu.sumsq,test.crash,test.hang,test.badresult",
                          "--executor",
                          executors,
                          "--tasks",
                          "4",
                          "--param",
                          "n=1000",
                          "--param",
                          "at=2",
                          "--repetitions",
                          "2",
                          "--timeout",
                          "2",
                          "--quiet",
                          "--out",
                          out,
                          NULL};
    eb_proc p;
    int code = run_execbench(&p, args);
    EB_CHECKF(code == 1, "exit %d (a failed point must make the run fail): %s", code, p.err);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    check_rows_well_formed(doc);
    check_families(doc);

    char copy[128];
    snprintf(copy, sizeof copy, "%s", executors);
    for (char *e = strtok(copy, ","); e != NULL; e = strtok(NULL, ",")) {
        json_t *rows[16];
        /* the honest point ran and kept its repetitions and aggregates */
        size_t n = point_rows(doc, "cpu.sumsq", e, rows, 16);
        EB_CHECKF(n == 6, "%s: cpu.sumsq has %zu rows, expected 2 repetitions + 4 aggregates", e,
                  n);
        for (size_t r = 0; r < n; r++)
            EB_CHECKF(!json_is_true(json_object_get(rows[r], "error_occurred")), "%s: %s", e,
                      str(rows[r], "error_message"));

        /* each fault is one error row saying precisely what happened */
        n = point_rows(doc, "test.crash", e, rows, 16);
        EB_REQUIRE(n == 1);
        EB_CHECK(json_is_true(json_object_get(rows[0], "error_occurred")));
        unsigned worker = 99;
        int task = -1, end = 0;
        const char *msg = str(rows[0], "error_message");
        EB_CHECKF(sscanf(msg, "worker %u killed by signal 11 (SIGSEGV) in task %d%n", &worker,
                         &task, &end) == 2 &&
                      task == 2 && msg[end] == '\0' &&
                      worker < 4, /* < tasks: unbounded coroutines */
                  "%s: test.crash says: %s", e, msg);

        n = point_rows(doc, "test.hang", e, rows, 16);
        EB_REQUIRE(n == 1);
        msg = str(rows[0], "error_message");
        EB_CHECKF(strncmp(msg, "timed out after 2 s (task 2 never finished; ", 44) == 0,
                  "%s: test.hang says: %s", e, msg);

        n = point_rows(doc, "test.badresult", e, rows, 16);
        EB_REQUIRE(n == 1);
        msg = str(rows[0], "error_message");
        EB_CHECKF(strcmp(msg, "verification failed: task 2: sum of k*k for k < 1002 is "
                              "334835500, expected 334835501") == 0,
                  "%s: test.badresult says: %s", e, msg);
        EB_CHECK(strcmp(str(rows[0], "run_type"), "iteration") == 0);
        EB_CHECK(json_integer_value(json_object_get(json_object_get(rows[0], "params"), "at")) ==
                 2);
    }
    json_t *e = json_object_get(json_object_get(doc, "context"), "execbench");
    EB_CHECK(json_is_false(json_object_get(e, "interrupted")));
    EB_CHECK(json_integer_value(json_object_get(e, "points_failed")) > 0);
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

static json_t *median_row(json_t *doc, const char *workload, const char *executor)
{
    json_t *rows[16];
    size_t n = point_rows(doc, workload, executor, rows, 16);
    for (size_t i = 0; i < n; i++)
        if (strcmp(str(rows[i], "aggregate_name"), "median") == 0) return rows[i];
    return NULL;
}

static double num(json_t *row, const char *key)
{
    return json_number_value(json_object_get(row, key));
}

EB_TEST(every_row_records_the_point_and_its_measurements)
{
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/run.json", dir);
    const char *args[] = {"--workload",
                          "cpu.sumsq,io.sleep",
                          "--executor",
                          "sequential,threaded,multiprocess",
                          "--workers",
                          "2",
                          "--tasks",
                          "8",
                          "--param",
                          "n=3000000",
                          "--param",
                          "latency_us=2000",
                          "--repetitions",
                          "3",
                          "--out",
                          out,
                          NULL};
    eb_proc p;
    int code = run_execbench(&p, args);
    EB_REQUIRE(code == 0);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    check_rows_well_formed(doc);
    check_families(doc);
    EB_CHECKF(strstr(p.out, "cpu.sumsq") != NULL && strstr(p.out, "speedup") != NULL,
              "no table on stdout: %s", p.out);

    json_t *ctx = json_object_get(doc, "context");
    json_t *e = json_object_get(ctx, "execbench");
    EB_REQUIRE(json_is_object(e));
    EB_CHECK(json_integer_value(json_object_get(e, "timer_slack_ns")) == 1);
    static const char *const keys[] = {"version",      "build_type",   "compiler", "kernel",
                                       "command_line", "coro_backend", "ideal",    "cpu_time"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        EB_CHECKF(json_is_string(json_object_get(e, keys[i])), "context.execbench.%s", keys[i]);
    EB_CHECK(json_integer_value(json_object_get(json_object_get(e, "topology"), "pus")) > 0);
    EB_CHECK(strstr(str(e, "command_line"), "--repetitions 3") != NULL);
    EB_CHECK(json_is_string(json_object_get(ctx, "library_build_type")));
    EB_CHECK(json_integer_value(json_object_get(e, "points_run")) == 6);

    size_t i;
    json_t *row;
    json_array_foreach(rows_of(doc), i, row)
    {
        EB_CHECKF(!json_is_true(json_object_get(row, "error_occurred")), "%s",
                  str(row, "error_message"));
        bool cv = strcmp(str(row, "aggregate_name"), "cv") == 0;
        static const char *const ints[] = {"ideal_ns",
                                           "spawn_ns",
                                           "children_cpu_ns",
                                           "ctx_switches_voluntary",
                                           "ctx_switches_involuntary",
                                           "max_rss_kib",
                                           "task_latency_p50_ns",
                                           "task_latency_p99_ns",
                                           "workers",
                                           "tasks"};
        for (size_t k = 0; k < sizeof ints / sizeof *ints; k++)
            if (!cv || k == 0 || k >= 8)
                EB_CHECKF(json_is_integer(json_object_get(row, ints[k])), "%s: %s not an integer",
                          str(row, "name"), ints[k]);
        EB_CHECK(json_is_array(json_object_get(row, "worker_pus")));
        EB_CHECK(json_is_object(json_object_get(row, "params")));
        const char *agg = str(row, "aggregate_name");
        if (agg[0] == '\0' || strcmp(agg, "median") == 0 || strcmp(agg, "mean") == 0) {
            EB_CHECK(num(row, "task_latency_p50_ns") <= num(row, "task_latency_p99_ns"));
            EB_CHECK(num(row, "max_rss_kib") > 0);
        }
    }

    /* The worker -> PU map is the compact plan's, as sched_getcpu saw it. */
    eb_topology *topo;
    EB_REQUIRE(eb_topology_load(&topo) == 0);
    eb_pin_plan *plan;
    char why[160];
    EB_REQUIRE(eb_pin_plan_create(topo, EB_PIN_COMPACT, NULL, 2, &plan, why, sizeof why) == 0);
    json_t *thr = median_row(doc, "cpu.sumsq", "threaded");
    json_t *mp = median_row(doc, "cpu.sumsq", "multiprocess");
    json_t *seq = median_row(doc, "cpu.sumsq", "sequential");
    EB_REQUIRE(thr != NULL && mp != NULL && seq != NULL);
    json_t *pus = json_object_get(thr, "worker_pus");
    EB_CHECK(json_array_size(pus) == 2);
    for (unsigned w = 0; w < 2 && w < json_array_size(pus); w++)
        EB_CHECKF(json_integer_value(json_array_get(pus, w)) == plan->pu_os_index[w % plan->count],
                  "worker %u on PU %lld, plan says %d", w,
                  (long long)json_integer_value(json_array_get(pus, w)),
                  plan->pu_os_index[w % plan->count]);
    int cores = eb_pin_plan_cores(plan);
    free(plan);
    eb_topology_free(topo);

    /* The CPU ideal: 8 sums of n + i pair up evenly, (0, 7) (1, 6) (2, 5)
     * (3, 4), so the best schedule on min(2 workers, cores) halves the
     * sequential median on 2 cores or more. */
    double seq_ns = num(seq, "real_time") * 1e6;
    EB_CHECK(json_integer_value(json_object_get(seq, "ideal_ns")) == (json_int_t)(seq_ns + 0.5));
    json_int_t want = (json_int_t)(seq_ns / (cores < 2 ? cores : 2) + 0.5);
    EB_CHECKF(llabs(json_integer_value(json_object_get(thr, "ideal_ns")) - want) <= 1,
              "threaded ideal %lld, expected %lld",
              (long long)json_integer_value(json_object_get(thr, "ideal_ns")), (long long)want);
    /* cpu_time covers the threads and processes doing the work, not just the
     * benchmark thread (which only waits): the same sums cost about the same
     * CPU however they are spread, so at least half the sequential CPU time
     * (a ratio of CPU times holds on a busy machine, where wall times do not). */
    double seq_cpu = num(seq, "cpu_time");
    EB_CHECKF(num(thr, "cpu_time") > 0.5 * seq_cpu, "threaded cpu %f ms, sequential %f ms",
              num(thr, "cpu_time"), seq_cpu);
    EB_CHECKF(num(mp, "cpu_time") > 0.5 * seq_cpu, "multiprocess cpu %f ms, sequential %f ms",
              num(mp, "cpu_time"), seq_cpu);
    EB_CHECK(num(mp, "children_cpu_ns") > 0.25 * seq_cpu * 1e6);
    EB_CHECK(num(thr, "children_cpu_ns") == 0);

    /* The wait ideal: ceil(8 / 2) x 2 ms for the pools, 8 x 2 ms sequential. */
    EB_CHECK(json_integer_value(
                 json_object_get(median_row(doc, "io.sleep", "threaded"), "ideal_ns")) == 8000000);
    EB_CHECK(json_integer_value(json_object_get(median_row(doc, "io.sleep", "sequential"),
                                                "ideal_ns")) == 16000000);
    json_t *sleep_seq = median_row(doc, "io.sleep", "sequential");
    EB_CHECK(num(sleep_seq, "task_latency_p50_ns") >= 2000000);
    EB_CHECK(num(sleep_seq, "real_time") >= 16.0);
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

EB_TEST(one_task_on_two_workers_has_the_whole_sequential_time_as_its_ideal)
{
    /* The command: one sum cannot be split, so no number of workers
     * can beat the sequential time (ca9cc32 halved it: 44.8% efficiency). */
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/run.json", dir);
    const char *args[] = {"--workload",    "cpu.sumsq", "--executor", "sequential,threaded",
                          "--workers",     "2",         "--tasks",    "1",
                          "--param",       "n=200000",  "--out",      out,
                          "--repetitions", "3",         NULL};
    eb_proc p;
    EB_REQUIRE(run_execbench(&p, args) == 0);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    json_t *seq = median_row(doc, "cpu.sumsq", "sequential");
    json_t *thr = median_row(doc, "cpu.sumsq", "threaded");
    EB_REQUIRE(seq != NULL && thr != NULL);
    json_int_t seq_ns = (json_int_t)(num(seq, "real_time") * 1e6 + 0.5);
    json_int_t ideal = json_integer_value(json_object_get(thr, "ideal_ns"));
    EB_CHECKF(ideal == json_integer_value(json_object_get(seq, "ideal_ns")) &&
                  llabs(ideal - seq_ns) <= 1,
              "threaded ideal %lld ns, sequential median %lld ns: %s", (long long)ideal,
              (long long)seq_ns, json_string_value(json_object_get(thr, "ideal_basis")));
    EB_CHECKF(strstr(json_string_value(json_object_get(thr, "ideal_basis")), "1 whole task") !=
                  NULL,
              "%s", json_string_value(json_object_get(thr, "ideal_basis")));
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

/* True while any process's command line contains `needle` (up to 3 s). */
static bool process_with(const char *needle)
{
    for (int attempt = 0; attempt < 60; attempt++) {
        bool found = false;
        DIR *d = opendir("/proc");
        struct dirent *e;
        while (d != NULL && (e = readdir(d)) != NULL && !found) {
            if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
            char path[300], cmd[4096];
            snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
            FILE *f = fopen(path, "r");
            if (f == NULL) continue;
            size_t n = fread(cmd, 1, sizeof cmd - 1, f);
            fclose(f);
            for (size_t k = 0; k < n; k++)
                if (cmd[k] == '\0') cmd[k] = ' ';
            cmd[n] = '\0';
            if (strstr(cmd, needle) != NULL) found = true;
        }
        if (d != NULL) closedir(d);
        if (!found) return false;
        struct timespec pause = {0, 50000000};
        nanosleep(&pause, NULL);
    }
    return true;
}

/* Blocked: the first point runs, then the second. Interleaved: each point is
 * a group of its own, and a seed is chosen whose first round runs the 1 ms
 * point's group first (the order comes from the seed alone): its round is
 * kept, the second group's is cut short. */
static void check_interrupt(int sig, const char *name, bool interleaved)
{
    /* A latency of 30 s and then some that no other process on this machine
     * carries (another session may run this very test), so the check that
     * the point's process is gone looks at this run's alone. */
    char dir[64], out[128], param[64], latency[24], seed[24] = "1";
    snprintf(latency, sizeof latency, "%d", 30000000 + (int)getpid());
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/interrupted.json", dir);
    snprintf(param, sizeof param, "latency_us=1000,%s", latency);
    for (uint64_t k = 1; interleaved; k++) {
        size_t order[2];
        eb_rounds_order(k, 0, EB_ROUNDS_GROUP_ORDER, 2, order);
        if (order[0] == 0) {
            snprintf(seed, sizeof seed, "%llu", (unsigned long long)k);
            break;
        }
    }
    /* a 1 ms point that finishes, then a point that would wait a long time */
    const char *args[] = {"--workload",
                          "io.sleep",
                          "--executor",
                          "sequential",
                          "--tasks",
                          "1",
                          "--param",
                          param,
                          "--warmup",
                          "0",
                          "--repetitions",
                          "1",
                          "--order",
                          interleaved ? "interleaved" : "blocked",
                          "--seed",
                          seed,
                          "--out",
                          out,
                          NULL};
    eb_proc p;
    proc_start(&p, args);
    EB_REQUIRE(proc_wait_stderr(
        &p, interleaved ? "[round 1] io.sleep/tasks:1/latency_us:1000/" : "[1/2] io.sleep", 30));
    struct timespec pause = {0, 300000000}; /* the second point is running */
    nanosleep(&pause, NULL);
    kill(p.pid, sig);
    int code = proc_finish(&p);
    EB_CHECKF(code == 128 + sig, "exit %d: %s", code, p.err);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    check_rows_well_formed(doc);
    json_t *e = json_object_get(json_object_get(doc, "context"), "execbench");
    EB_CHECK(json_is_true(json_object_get(e, "interrupted")));
    EB_CHECKF(strcmp(str(e, "interrupted_by"), name) == 0, "interrupted_by %s",
              str(e, "interrupted_by"));
    EB_CHECK(json_integer_value(json_object_get(e, "points_run")) == 1);
    json_t *rows = rows_of(doc);
    EB_CHECKF(json_array_size(rows) == 1, "%zu rows", json_array_size(rows));
    EB_CHECK(json_integer_value(json_object_get(json_object_get(json_array_get(rows, 0), "params"),
                                                "latency_us")) == 1000);
    EB_CHECK(!json_is_true(json_object_get(json_array_get(rows, 0), "error_occurred")));
    /* the interrupted point's process is gone (killed and reaped, not orphaned) */
    char needle[64];
    snprintf(needle, sizeof needle, "latency_us=%s", latency);
    EB_CHECK(!process_with(needle));
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

EB_TEST(sigint_writes_the_finished_points_and_marks_the_document)
{
    check_interrupt(SIGINT, "SIGINT", false);
}

EB_TEST(sigterm_writes_the_finished_points_and_marks_the_document)
{
    check_interrupt(SIGTERM, "SIGTERM", false);
}

EB_TEST(sigint_in_an_interleaved_run_writes_the_kept_rounds_and_marks_the_document)
{
    check_interrupt(SIGINT, "SIGINT", true);
}

EB_TEST(micro_rows_are_folded_into_the_document)
{
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/micro.json", dir);
    const char *args[] = {"--workload", "cpu.sumsq", "--executor",
                          "sequential", "--tasks",   "2",
                          "--param",    "n=1000",    "--repetitions",
                          "2",          "--quiet",   "--micro=micro.kernel/sumsq/n:1024$",
                          "--out",      out,         NULL};
    eb_proc p;
    int code = run_execbench(&p, args);
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    check_rows_well_formed(doc);
    size_t i, micro = 0;
    json_t *row;
    json_array_foreach(rows_of(doc), i, row)
    {
        if (strncmp(str(row, "name"), "micro.", 6) != 0) continue;
        micro++;
        EB_CHECKF(strcmp(str(row, "name"), "micro.kernel/sumsq/n:1024") == 0, "%s",
                  str(row, "name"));
        EB_CHECK(json_integer_value(json_object_get(row, "family_index")) == 1);
    }
    EB_CHECK(micro == 1);
    json_decref(doc);
    proc_free(&p);

    /* a filter that matches nothing is an error row, and the run fails */
    const char *none[] = {"--workload",
                          "cpu.sumsq",
                          "--executor",
                          "sequential",
                          "--tasks",
                          "1",
                          "--repetitions",
                          "1",
                          "--quiet",
                          "--micro=nothing-matches-this",
                          "--out",
                          out,
                          NULL};
    code = run_execbench(&p, none);
    EB_CHECK(code == 1);
    doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    json_t *last = json_array_get(rows_of(doc), json_array_size(rows_of(doc)) - 1);
    EB_CHECK(strcmp(str(last, "name"), "micro/execbench-micro") == 0);
    EB_CHECKF(strstr(str(last, "error_message"), "no benchmark matches") != NULL, "%s",
              str(last, "error_message"));
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

static json_int_t points_failed(json_t *doc)
{
    json_t *e = json_object_get(json_object_get(doc, "context"), "execbench");
    return json_integer_value(json_object_get(e, "points_failed"));
}

/* The micro step is no point: it failing used to read "1 of 1 points failed"
 * when the one point succeeded, and "9 of 8 points failed" beside 8 failures. */
EB_TEST(a_failed_micro_step_is_counted_apart_from_the_points)
{
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/micro.json", dir);
    const char *ok_point[] = {"--workload",
                              "cpu.sumsq",
                              "--executor",
                              "sequential",
                              "--tasks",
                              "1",
                              "--param",
                              "n=1000",
                              "--repetitions",
                              "1",
                              "--micro=nothing-matches-this",
                              "--out",
                              out,
                              NULL};
    eb_proc p;
    int code = run_execbench(&p, ok_point);
    EB_CHECKF(code == 1, "exit %d: %s", code, p.err);
    EB_CHECKF(strstr(p.err, "execbench: the --micro step failed; see the error_message of its row "
                            "in ") != NULL,
              "%s", p.err);
    EB_CHECKF(strstr(p.err, "points failed") == NULL && strstr(p.err, "point failed") == NULL, "%s",
              p.err);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    EB_CHECK(points_failed(doc) == 0);
    json_decref(doc);
    proc_free(&p);

    const char *crashing[] = {"--workload",
                              "test.crash",
                              "--executor",
                              "sequential,threaded",
                              "--workers",
                              "2",
                              "--repetitions",
                              "1",
                              "--micro=nothing-matches-this",
                              "--out",
                              out,
                              NULL};
    code = run_execbench(&p, crashing);
    EB_CHECKF(code == 1, "exit %d: %s", code, p.err);
    EB_CHECKF(strstr(p.err, "execbench: 2 of 2 points failed and the --micro step failed; see the "
                            "error_message of their rows in ") != NULL,
              "%s", p.err);
    doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    EB_CHECK(points_failed(doc) == 2);
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

/* "1 finished points", "0 of 1 tasks done", "1 of 1 points failed": a
 * count of one takes the singular. */
EB_TEST(counts_agree_with_their_nouns_in_execbench_messages)
{
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/one.json", dir);
    const char *hang[] = {
        "--workload", "test.hang", "--executor", "sequential",    "--tasks", "1",         "--param",
        "at=0",       "--warmup",  "0",          "--repetitions", "1",       "--timeout", "0.5",
        "--out",      out,         NULL};
    eb_proc p;
    EB_CHECK(run_execbench(&p, hang) == 1);
    EB_CHECKF(
        strstr(p.err, "execbench: 1 of 1 point failed; see the error_message of its row in ") !=
            NULL,
        "%s", p.err);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    const char *message = str(json_array_get(rows_of(doc), 0), "error_message");
    EB_CHECKF(strstr(message, "(task 0 never finished; 0 of 1 task done in repetition 1 of 1)") !=
                  NULL,
              "%s", message);
    json_decref(doc);
    proc_free(&p);

    const char *beyond[] = {
        "--workload", "test.badresult", "--executor", "sequential", "--tasks", "1",
        "--param",    "at=5",           "--quiet",    "--out",      out,       NULL};
    EB_CHECK(run_execbench(&p, beyond) == 1);
    doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    message = str(json_array_get(rows_of(doc), 0), "error_message");
    EB_CHECKF(strstr(message, "at=5 is beyond the 1 task, so nothing was injected") != NULL, "%s",
              message);
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

/* The console table printed 0 for the coroutine executor's unbounded
 * workers; execbench-compare says "unbounded". */
EB_TEST(the_console_table_shows_unbounded_workers_as_unbounded)
{
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/unbounded.json", dir);
    const char *args[] = {"--workload",
                          "io.sleep",
                          "--executor",
                          "sequential,coroutine",
                          "--tasks",
                          "4",
                          "--param",
                          "latency_us=1000",
                          "--workers",
                          "auto",
                          "--repetitions",
                          "1",
                          "--out",
                          out,
                          NULL};
    eb_proc p;
    int code = run_execbench(&p, args);
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    const char *row = strstr(p.out, "\n  coroutine ");
    EB_REQUIRE(row != NULL);
    char line[200];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(row + 1, "\n"), row + 1);
    EB_CHECKF(strncmp(line, "  coroutine   unbounded  ", 25) == 0, "%s", line);
    proc_free(&p);
    tmpdir_remove(dir);
}

EB_TEST(default_output_is_results_host_stamp_and_latest)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    EB_REQUIRE(chdir(dir) == 0);
    const char *args[] = {"--workload",    "cpu.sumsq", "--executor", "sequential",
                          "--tasks",       "1",         "--param",    "n=1000",
                          "--repetitions", "1",         "--quiet",    NULL};
    eb_proc p;
    EB_REQUIRE(run_execbench(&p, args) == 0);
    DIR *d = opendir("results");
    EB_REQUIRE(d != NULL);
    char host[128] = "";
    gethostname(host, sizeof host - 1);
    int stamped = 0, latest = 0, others = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        int y, mo, dd, h, mi, s, end = 0;
        char pattern[200];
        snprintf(pattern, sizeof pattern, "%s-%%4d%%2d%%2d-%%2d%%2d%%2d.json%%n", host);
        if (strcmp(e->d_name, "latest.json") == 0)
            latest++;
        else if (sscanf(e->d_name, pattern, &y, &mo, &dd, &h, &mi, &s, &end) == 6 &&
                 e->d_name[end] == '\0')
            stamped++;
        else
            others++; /* a temporary file left behind would show here */
        char path[400];
        snprintf(path, sizeof path, "results/%s", e->d_name);
        json_t *doc = load_json(path);
        EB_CHECK(doc != NULL);
        json_decref(doc);
    }
    closedir(d);
    EB_CHECK(stamped == 1 && latest == 1 && others == 0);
    proc_free(&p);
    EB_CHECK(chdir("/") == 0);
    char results[128];
    snprintf(results, sizeof results, "%s/results", dir);
    tmpdir_remove(results);
    tmpdir_remove(dir);
}

EB_TEST(the_quick_preset_runs_every_workload_and_executor_without_errors)
{
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/quick.json", dir);
    const char *args[] = {"--preset", "quick", "--repetitions", "2", "--quiet", "--out", out, NULL};
    eb_proc p;
    int code = run_execbench(&p, args);
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    check_rows_well_formed(doc);
    check_families(doc);
    EB_CHECK(strcmp(str(json_object_get(json_object_get(doc, "context"), "execbench"), "preset"),
                    "quick") == 0);
    size_t i;
    json_t *row;
    json_array_foreach(rows_of(doc), i, row)
        EB_CHECKF(!json_is_true(json_object_get(row, "error_occurred")), "%s: %s", str(row, "name"),
                  str(row, "error_message"));
    for (size_t w = 0; w < eb_workload_count; w++) {
        if (eb_workloads[w]->hidden) continue;
        for (size_t e = 0; e < eb_executor_count; e++) {
            if (eb_executors[e]->named_only) continue; /* never in a preset */
            json_t *rows[16];
            EB_CHECKF(point_rows(doc, eb_workloads[w]->name, eb_executors[e]->name, rows, 16) > 0,
                      "quick lacks %s x %s", eb_workloads[w]->name, eb_executors[e]->name);
        }
    }
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}
