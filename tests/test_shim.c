/* test_shim.c — the C shim over Google Benchmark: benchmarks registered from C
 * run, and what they report comes out of libbenchmark's JSON reporter as a C++
 * benchmark's would. */
#include "eb_bench.h"
#include "eb_test.h"
#include "json_report.h"

#include <math.h>
#include <time.h>

void register_cxx_empty_benchmark(const char *name);

typedef struct body_count {
    int64_t runs;
    int calls;
} body_count;

static void bm_count_each(eb_state *s, void *arg)
{
    body_count *c = arg;
    c->calls++;
    while (eb_state_keep_running(s))
        c->runs++;
}

static void bm_count_batched(eb_state *s, void *arg)
{
    body_count *c = arg;
    c->calls++;
    int64_t n;
    while ((n = eb_state_keep_running_batch(s, 64)) > 0)
        for (int64_t i = 0; i < n; i++)
            c->runs++;
}

static int64_t row_int(json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

static double row_number(json_t *row, const char *key)
{
    return json_number_value(json_object_get(row, key));
}

EB_TEST(c_benchmark_runs_and_reports_its_iterations)
{
    body_count c = {0, 0};
    eb_bench_iterations(eb_bench_register("shim.each", bm_count_each, &c), 1000);
    json_t *doc = run_benchmarks_json("^shim.each", NULL);
    json_t *row = find_row(doc, "shim.each/iterations:1000");
    EB_REQUIRE(row != NULL);
    EB_CHECK(strcmp(json_string_value(json_object_get(row, "run_type")), "iteration") == 0);
    EB_CHECKF(row_int(row, "iterations") == 1000, "iterations %lld",
              (long long)row_int(row, "iterations"));
    EB_CHECKF(c.runs == 1000, "the loop body ran %lld times", (long long)c.runs);
    EB_CHECK(c.calls >= 1);
    json_decref(doc);
}

EB_TEST(batched_loop_reports_what_it_ran)
{
    body_count c = {0, 0};
    eb_bench_iterations(eb_bench_register("shim.batched", bm_count_batched, &c), 1000);
    json_t *doc = run_benchmarks_json("^shim.batched", NULL);
    json_t *row = find_row(doc, "shim.batched/iterations:1000");
    EB_REQUIRE(row != NULL);
    /* 1000 in batches of 64 is 16 batches: libbenchmark counts the overshoot. */
    EB_CHECKF(c.runs == 1024, "the loop body ran %lld times", (long long)c.runs);
    EB_CHECKF(row_int(row, "iterations") == c.runs, "reported %lld, ran %lld",
              (long long)row_int(row, "iterations"), (long long)c.runs);
    json_decref(doc);
}

static void bm_counters(eb_state *s, void *arg)
{
    (void)arg;
    int64_t n;
    while ((n = eb_state_keep_running_batch(s, 16)) > 0)
        for (int64_t i = 0; i < n; i++)
            eb_clobber_memory();
    eb_state_counter(s, "widgets", 42.0, EB_COUNTER_DEFAULT);
    eb_state_counter(s, "per_iteration", 2.0 * (double)eb_state_iterations(s),
                     EB_COUNTER_AVG_ITERATIONS);
    eb_state_counter(s, "not_a_number", NAN, EB_COUNTER_DEFAULT);
    eb_state_counter(s, "widgets_rate", 1000.0, EB_COUNTER_RATE);
    eb_state_set_items_processed(s, eb_state_iterations(s) * 3);
    eb_state_set_bytes_processed(s, eb_state_iterations(s) * 8);
    eb_state_set_label(s, "from C");
}

EB_TEST(counters_items_bytes_and_label_reach_json)
{
    eb_bench_iterations(eb_bench_register("shim.counters", bm_counters, NULL), 500);
    json_t *doc = run_benchmarks_json("^shim.counters", NULL);
    json_t *row = find_row(doc, "shim.counters/iterations:500");
    EB_REQUIRE(row != NULL);
    EB_CHECKF(row_number(row, "widgets") == 42.0, "widgets = %g", row_number(row, "widgets"));
    EB_CHECKF(fabs(row_number(row, "per_iteration") - 2.0) < 1e-12, "per_iteration = %g",
              row_number(row, "per_iteration"));
    /* NaN would have been printed bare and made the document invalid JSON. */
    EB_CHECK(row_number(row, "not_a_number") == 0.0);
    double seconds = row_number(row, "cpu_time") * 1e-9 * (double)row_int(row, "iterations");
    double rate = row_number(row, "widgets_rate");
    EB_CHECKF(rate > 0 && fabs(rate * seconds - 1000.0) < 1.0, "rate %g over %g s", rate, seconds);
    double items = row_number(row, "items_per_second"), bytes = row_number(row, "bytes_per_second");
    EB_CHECKF(items > 0 && fabs(bytes / items - 8.0 / 3.0) < 1e-9, "items/s %g bytes/s %g", items,
              bytes);
    EB_CHECK(strcmp(json_string_value(json_object_get(row, "label")), "from C") == 0);
    json_decref(doc);
}

static void bm_fails(eb_state *s, void *arg)
{
    (void)arg;
    eb_state_skip_with_error(s, "deliberate failure from C");
    while (eb_state_keep_running(s)) {
    }
    EB_CHECK(eb_state_error_occurred(s));
}

EB_TEST(skip_with_error_produces_error_occurred)
{
    eb_bench_register("shim.fails", bm_fails, NULL);
    json_t *doc = run_benchmarks_json("^shim.fails$", NULL);
    json_t *row = find_row(doc, "shim.fails");
    EB_REQUIRE(row != NULL);
    EB_CHECK(json_is_true(json_object_get(row, "error_occurred")));
    const char *msg = json_string_value(json_object_get(row, "error_message"));
    EB_CHECK(msg != NULL && strcmp(msg, "deliberate failure from C") == 0);
    json_decref(doc);
}

static void bm_manual(eb_state *s, void *arg)
{
    (void)arg;
    while (eb_state_keep_running(s))
        eb_state_set_iteration_time(s, 0.0025);
}

EB_TEST(manual_time_is_honoured)
{
    eb_bench *b = eb_bench_register("shim.manual", bm_manual, NULL);
    eb_bench_timing(b, EB_TIMING_MANUAL);
    eb_bench_unit(b, EB_TIME_MS);
    eb_bench_iterations(b, 4);
    json_t *doc = run_benchmarks_json("^shim.manual", NULL);
    json_t *row = find_row(doc, "shim.manual/iterations:4/manual_time");
    EB_REQUIRE(row != NULL);
    EB_CHECK(strcmp(json_string_value(json_object_get(row, "time_unit")), "ms") == 0);
    EB_CHECKF(fabs(row_number(row, "real_time") - 2.5) < 1e-9, "real_time %.12g ms",
              row_number(row, "real_time"));
    json_decref(doc);
}

static void bm_args(eb_state *s, void *arg)
{
    int64_t *sum_of_args = arg;
    while (eb_state_keep_running(s)) {
    }
    *sum_of_args += eb_state_range(s, 0) + (eb_state_range(s, 1) << 20);
}

static void bm_one_arg(eb_state *s, void *arg)
{
    (void)arg;
    while (eb_state_keep_running(s)) {
    }
}

EB_TEST(names_and_args_as_google_benchmark_makes_them)
{
    int64_t sum_of_args = 0;
    const int64_t args[] = {8, 16};
    const char *const names[] = {"n", "m"};
    eb_bench *b = eb_bench_register("shim.args", bm_args, &sum_of_args);
    eb_bench_iterations(eb_bench_args(b, args, 2), 1);
    b = eb_bench_register("shim.named", bm_args, &sum_of_args);
    eb_bench_iterations(eb_bench_args(eb_bench_arg_names(b, names, 2), args, 2), 1);
    b = eb_bench_register("shim.range", bm_one_arg, NULL);
    eb_bench_iterations(eb_bench_range(eb_bench_range_multiplier(b, 8), 8, 512), 1);
    b = eb_bench_register("shim.dense", bm_one_arg, NULL);
    eb_bench_iterations(eb_bench_dense_range(eb_bench_arg_name(b, "k"), 1, 3, 1), 1);
    const int64_t ranges[][2] = {{1, 2}, {10, 20}};
    b = eb_bench_register("shim.ranges", bm_args, &sum_of_args);
    eb_bench_iterations(eb_bench_range_multiplier(eb_bench_ranges(b, ranges, 2), 2), 1);
    b = eb_bench_register("shim.timing", bm_one_arg, NULL);
    eb_bench_iterations(eb_bench_timing(b, EB_TIMING_PROCESS_CPU_REAL), 1);
    b = eb_bench_register("shim.reps", bm_one_arg, NULL);
    eb_bench_iterations(eb_bench_repetitions(b, 2), 1);

    json_t *doc = run_benchmarks_json("^shim\\.(args|named|range|dense|ranges|timing|reps)", NULL);
    const char *expected[] = {
        "shim.args/8/16/iterations:1",      "shim.named/n:8/m:16/iterations:1",
        "shim.range/8/iterations:1",        "shim.range/64/iterations:1",
        "shim.range/512/iterations:1",      "shim.dense/k:1/iterations:1",
        "shim.dense/k:3/iterations:1",      "shim.ranges/1/10/iterations:1",
        "shim.ranges/2/20/iterations:1",    "shim.timing/iterations:1/process_time/real_time",
        "shim.reps/iterations:1/repeats:2", "shim.reps/iterations:1/repeats:2_median",
    };
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++)
        EB_CHECKF(find_row(doc, expected[i]) != NULL, "no row named %s", expected[i]);
    EB_CHECK(count_rows_with_prefix(doc, "shim.range/") == 3);
    /* The function saw the arguments: 2 x (8 + 16<<20) + 4 pairs of ranges. */
    int64_t want = 2 * (8 + (16 << 20)) + (1 + (10 << 20)) + (1 + (20 << 20)) + (2 + (10 << 20)) +
                   (2 + (20 << 20));
    EB_CHECKF(sum_of_args >= want, "args seen sum to %lld", (long long)sum_of_args);
    json_decref(doc);
}

static void bm_pausing(eb_state *s, void *arg)
{
    int pause = *(int *)arg;
    const struct timespec two_ms = {0, 2000000};
    while (eb_state_keep_running(s)) {
        if (pause) eb_state_pause_timing(s);
        nanosleep(&two_ms, NULL);
        if (pause) eb_state_resume_timing(s);
    }
}

EB_TEST(paused_time_is_not_counted)
{
    int yes = 1, no = 0;
    eb_bench *b = eb_bench_register("shim.paused", bm_pausing, &yes);
    eb_bench_iterations(eb_bench_timing(b, EB_TIMING_REAL), 100);
    b = eb_bench_register("shim.unpaused", bm_pausing, &no);
    eb_bench_iterations(eb_bench_timing(b, EB_TIMING_REAL), 100);
    json_t *doc = run_benchmarks_json("^shim\\.(un)?paused", NULL);
    json_t *paused = find_row(doc, "shim.paused/iterations:100/real_time");
    json_t *unpaused = find_row(doc, "shim.unpaused/iterations:100/real_time");
    EB_REQUIRE(paused != NULL && unpaused != NULL);
    /* The 2 ms sleep is excluded from one and included in the other. Counted,
     * paused would be about unpaused; half of it leaves room for a thread
     * preempted between resume and pause under ctest -j8 on 2 cores (20
     * iterations at a quarter failed once so), 100 iterations dilute it. */
    double p = row_number(paused, "real_time"), u = row_number(unpaused, "real_time");
    EB_CHECKF(p < 0.5 * u, "paused %g ns vs unpaused %g ns per iteration", p, u);
    json_decref(doc);
}

EB_TEST(custom_context_reaches_json)
{
    eb_bench_iterations(eb_bench_register("shim.ctx", bm_one_arg, NULL), 1);
    eb_add_custom_context("execbench_test_key", "value from C");
    json_t *doc = run_benchmarks_json("^shim.ctx", NULL);
    const char *v =
        json_string_value(json_object_get(json_object_get(doc, "context"), "execbench_test_key"));
    EB_CHECK(v != NULL && strcmp(v, "value from C") == 0);
    json_decref(doc);
}

EB_TEST(unrecognized_flags_are_reported)
{
    char *argv[] = {"eb_test", "--benchmark_filter=x", "--no-such-flag", NULL};
    int argc = 3;
    eb_bench_initialize(&argc, argv);
    EB_CHECK(argc == 2); /* the recognised flag was consumed */
    EB_CHECK(eb_bench_report_unrecognized(argc, argv));
}

static void bm_empty_each(eb_state *s, void *arg)
{
    (void)arg;
    while (eb_state_keep_running(s))
        eb_clobber_memory();
}

static void bm_empty_batched(eb_state *s, void *arg)
{
    (void)arg;
    int64_t n;
    while ((n = eb_state_keep_running_batch(s, 1024)) > 0)
        for (int64_t i = 0; i < n; i++)
            eb_clobber_memory();
}

static double min_cpu_time(json_t *doc, const char *name)
{
    double best = INFINITY;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(doc, "benchmarks"), i, row)
    {
        const char *n = json_string_value(json_object_get(row, "name"));
        const char *type = json_string_value(json_object_get(row, "run_type"));
        if (n && type && strcmp(n, name) == 0 && strcmp(type, "iteration") == 0)
            best = fmin(best, row_number(row, "cpu_time"));
    }
    return best;
}

EB_TEST(batched_overhead_within_1ns_of_cpp)
{
#ifdef EB_SANITIZE_BUILD
    EB_SKIP("instrumented code does not measure the uninstrumented overhead");
#endif
    eb_bench_register("overhead.c_each", bm_empty_each, NULL);
    eb_bench_register("overhead.c_batched", bm_empty_batched, NULL);
    register_cxx_empty_benchmark("overhead.cxx_empty");
    /* Best of 5 repetitions, interleaved, so noise on this shared machine
     * inflates a run rather than deciding the comparison. */
    json_t *doc = run_benchmarks_json("^overhead\\.", "--benchmark_repetitions=5",
                                      "--benchmark_min_time=0.05",
                                      "--benchmark_enable_random_interleaving=true", NULL);
    double each = min_cpu_time(doc, "overhead.c_each");
    double batched = min_cpu_time(doc, "overhead.c_batched");
    double cxx = min_cpu_time(doc, "overhead.cxx_empty");
    fprintf(stderr, "per iteration: C each %.3f ns, C batched %.3f ns, C++ %.3f ns\n", each,
            batched, cxx);
    EB_CHECKF(isfinite(batched) && isfinite(cxx), "rows missing");
    EB_CHECKF(batched - cxx <= 1.0, "batched C %.3f ns vs C++ %.3f ns", batched, cxx);
    /* The per-iteration form pays a call across the boundary each time. */
    EB_CHECKF(each >= batched, "each %.3f ns < batched %.3f ns", each, batched);
    json_decref(doc);
}
