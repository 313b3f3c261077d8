/* test_rounds.c — an interleaved run (issue 13): the order of its rounds
 * drawn from the seed, speedups paired within a round, the intervals against
 * numpy's, the stopping rule, disturbance judged and a hog on the machine
 * detected and its rounds redone, Google Benchmark's aggregates as
 * libbenchmark computes them, the document's keys, and the progress. */
#include "disturb.h"
#include "eb_test.h"
#include "execbench_process.h"
#include "results.h"
#include "rounds.h"
#include "runs.h"
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers -------------------------------------------------------------------- */

/* Runs execbench with `args` (they name --target-ci and --redo-limit or get
 * test defaults: execbench_process.h) into dir/run.json: the document. */
static json_t *run_doc(const char *dir, const char *const *args, int want, eb_proc *p)
{
    char out[160];
    snprintf(out, sizeof out, "%s/run.json", dir);
    const char *argv[64];
    size_t n = 0;
    for (; args[n] != NULL; n++)
        argv[n] = args[n];
    argv[n++] = "--out";
    argv[n++] = out;
    argv[n] = NULL;
    int code = run_execbench(p, argv);
    EB_CHECKF(code == want, "exit %d: %s", code, p->err);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    return doc;
}

static json_t *execbench_of(json_t *doc)
{
    return json_object_get(json_object_get(doc, "context"), "execbench");
}

/* The document as the results library reads it. */
static void typed(json_t *doc, eb_results_doc *out)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    EB_REQUIRE(text != NULL);
    char why[EB_RESULTS_WHY_LEN];
    EB_REQUIRE(eb_results_load_buffer("run.json", text, strlen(text), out, why, sizeof why) == 0);
    free(text);
}

static bool is_permutation(const size_t *order, size_t n)
{
    bool seen[64] = {false};
    for (size_t i = 0; i < n; i++) {
        if (order[i] >= n || seen[order[i]]) return false;
        seen[order[i]] = true;
    }
    return true;
}

/* ---- the order ------------------------------------------------------------------ */

EB_TEST(the_order_of_each_round_is_drawn_from_the_seed_alone)
{
    size_t a[6], b[6];
    bool rounds_differ = false, seeds_differ = false;
    for (int64_t round = 0; round < 10; round++) {
        eb_rounds_order(7, round, 1, 6, a);
        eb_rounds_order(7, round, 1, 6, b);
        EB_CHECK(is_permutation(a, 6));
        EB_CHECK(memcmp(a, b, sizeof a) == 0); /* the same seed, the same order */
        eb_rounds_order(8, round, 1, 6, b);
        seeds_differ |= memcmp(a, b, sizeof a) != 0;
        size_t c[6];
        eb_rounds_order(7, round + 1, 1, 6, c);
        rounds_differ |= memcmp(a, c, sizeof a) != 0; /* shuffled afresh each round */
    }
    EB_CHECK(seeds_differ && rounds_differ);

    /* end to end: two runs with --seed 7 run their rounds in the same order */
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    json_t *orders[3];
    const char *seeds[3] = {"7", "7", "8"};
    for (int k = 0; k < 3; k++) {
        const char *args[] = {"--workload", "cpu.sumsq", "--executor",    "sequential,threaded",
                              "--workers",  "1,2",       "--tasks",       "2",
                              "--param",    "n=20000",   "--repetitions", "4",
                              "--seed",     seeds[k],    "--quiet",       NULL};
        eb_proc p;
        json_t *doc = run_doc(dir, args, 0, &p);
        json_t *rounds = json_object_get(execbench_of(doc), "rounds");
        EB_REQUIRE(json_array_size(rounds) == 4);
        orders[k] = json_array();
        size_t i;
        json_t *r;
        json_array_foreach(rounds, i, r)
        {
            json_t *order = json_object_get(r, "run_order");
            EB_CHECK(json_array_size(order) == 4); /* 3 points, the reference twice */
            json_array_append(orders[k], order);
        }
        json_decref(doc);
        proc_free(&p);
    }
    EB_CHECK(json_equal(orders[0], orders[1]));
    EB_CHECKF(!json_equal(orders[0], orders[2]), "seed 8 ran the rounds as seed 7 did");
    for (int k = 0; k < 3; k++)
        json_decref(orders[k]);
    tmpdir_remove(dir);
}

/* ---- pairing -------------------------------------------------------------------- */

/* A document of two points, each repetition with its round: the machine's
 * speed changes from round to round (x1, x2, x0.5, ...), the point is always
 * 2x faster than the reference within a round. */
static const char paired_doc[] = "{\"context\": {\"execbench\": {\"seed\": 5}}, \"benchmarks\": ["
#define ROW(exec, round, ms)                                                                       \
    "{\"name\": \"w/" exec "\", \"run_name\": \"w/" exec "\", \"run_type\": \"iteration\","        \
    " \"real_time\": " ms ", \"cpu_time\": " ms ", \"time_unit\": \"ms\", \"workload\": \"cpu\","  \
    " \"executor\": \"" exec "\", \"workers\": 1, \"tasks\": 4, \"pin\": \"compact\","             \
    " \"round\": " round "}"
    ROW("sequential", "0", "10") "," ROW("sequential", "1", "20") "," ROW(
        "sequential", "2", "5") "," ROW("sequential", "3", "40") "," ROW("sequential", "4",
                                                                         "12") ","
    /* the point's rows out of order: pairs go by round, not by position */
    ROW("threaded", "3", "20") "," ROW("threaded", "0", "5") "," ROW("threaded", "4", "6") "," ROW(
        "threaded", "2", "2.5") "," ROW("threaded", "1", "10") "]}";
#undef ROW

EB_TEST(speedups_are_paired_with_the_reference_run_of_the_same_round)
{
    eb_results_doc doc;
    char why[EB_RESULTS_WHY_LEN];
    EB_REQUIRE(eb_results_load_buffer("paired", paired_doc, strlen(paired_doc), &doc, why,
                                      sizeof why) == 0);
    EB_CHECK(doc.seed == 5);
    eb_run_set set;
    EB_REQUIRE(eb_runs_collect(&doc, NULL, EB_KEY_BY_POINT, &set) == 0 && set.count == 2);
    const eb_run *seq = &set.runs[0], *thr = &set.runs[1];
    EB_CHECK(eb_runs_reference(&set, thr) == seq && eb_runs_reference(&set, seq) == seq);
    eb_ratios x;
    EB_REQUIRE(eb_run_ratios(thr, seq, doc.seed, &x) == 0);
    /* every round says 2.00: so do the median and both ends of its interval */
    EB_CHECK(x.paired && x.speedup.n == 5);
    EB_CHECKF(x.speedup.estimate == 2.0 && x.speedup.low == 2.0 && x.speedup.high == 2.0,
              "%g [%g-%g]", x.speedup.estimate, x.speedup.low, x.speedup.high);

    /* the same times without their rounds: the medians' ratio, unpaired,
     * and the machine's changes of speed widen its interval */
    eb_interval unpaired;
    EB_REQUIRE(eb_stats_ratio_interval(seq->real_ns, seq->n, thr->real_ns, thr->n, doc.seed,
                                       &unpaired) == 0);
    EB_CHECKF(unpaired.high - unpaired.low > 1.0, "%g [%g-%g]", unpaired.estimate, unpaired.low,
              unpaired.high);
    eb_runs_free(&set);
    eb_results_free(&doc);
}

/* ---- intervals ------------------------------------------------------------------ */

static double *reals(json_t *a, size_t *n)
{
    *n = json_array_size(a);
    double *v = calloc(*n ? *n : 1, sizeof *v);
    EB_REQUIRE(v != NULL);
    for (size_t i = 0; i < *n; i++)
        v[i] = json_real_value(json_array_get(a, i));
    return v;
}

static bool close_to(double a, double b)
{
    return fabs(a - b) <= 1e-12 * fabs(b);
}

EB_TEST(intervals_match_numpys_over_the_same_draws)
{
    const char *src = getenv("EB_SOURCE_DIR");
    EB_REQUIRE(src != NULL);
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/intervals/intervals.json", src);
    json_t *fixture = load_json(path);
    EB_REQUIRE(fixture != NULL);
    json_t *cases = json_object_get(fixture, "cases");
    EB_REQUIRE(json_array_size(cases) >= 10);
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c)
    {
        uint64_t seed = (uint64_t)json_integer_value(json_object_get(c, "seed"));
        eb_interval got;
        if (strcmp(json_string_value(json_object_get(c, "kind")), "median") == 0) {
            size_t n;
            double *v = reals(json_object_get(c, "values"), &n);
            EB_REQUIRE(eb_stats_median_interval(v, n, seed, &got) == 0);
            free(v);
        } else {
            size_t nn, nd;
            double *num = reals(json_object_get(c, "num"), &nn);
            double *den = reals(json_object_get(c, "den"), &nd);
            EB_REQUIRE(eb_stats_ratio_interval(num, nn, den, nd, seed, &got) == 0);
            free(num);
            free(den);
        }
        double est = json_real_value(json_object_get(c, "estimate"));
        double lo = json_real_value(json_object_get(c, "low"));
        double hi = json_real_value(json_object_get(c, "high"));
        EB_CHECKF(close_to(got.estimate, est) && close_to(got.low, lo) && close_to(got.high, hi),
                  "case %zu: %.17g [%.17g-%.17g], numpy %.17g [%.17g-%.17g]", i, got.estimate,
                  got.low, got.high, est, lo, hi);
    }
    json_decref(fixture);
}

EB_TEST(an_interval_needs_two_values_and_scales_with_its_figure)
{
    eb_interval one;
    double v = 1.5;
    EB_REQUIRE(eb_stats_median_interval(&v, 1, 1, &one) == 0);
    EB_CHECK(one.estimate == 1.5 && !eb_interval_known(&one));
    EB_CHECK(isinf(eb_interval_half_width(&one)));
    eb_interval two = {.estimate = 2.0, .low = 1.9, .high = 2.1, .n = 10};
    EB_CHECK(fabs(eb_interval_half_width(&two) - 0.05) < 1e-12);
    eb_interval half = eb_interval_scaled(&two, 0.5); /* a CPU efficiency: speedup x share */
    EB_CHECK(half.estimate == 1.0 && half.low == 0.95 && half.high == 1.05);
    EB_CHECK(eb_stats_median_interval(&v, 0, 1, &one) == -EINVAL);
    double bad[2] = {1.0, NAN};
    EB_CHECK(eb_stats_median_interval(bad, 2, 1, &one) == -EINVAL);
}

/* ---- the stopping rule ---------------------------------------------------------- */

/* io.sleep: waits, as steady as this machine gets; one group, a reference and
 * two workers. The group's record in the context says why it stopped. */
static void check_stop(const char *target, const char *max_rounds, const char *budget,
                       const char *stopped_by, int64_t kept_min, int64_t kept_max, int converged)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    const char *args[] = {"--workload",    "io.sleep",
                          "--executor",    "sequential,threaded",
                          "--workers",     "2",
                          "--tasks",       "4",
                          "--param",       "latency_us=2000",
                          "--repetitions", "3",
                          "--target-ci",   target,
                          "--max-rounds",  max_rounds,
                          "--time-budget", budget,
                          "--redo-limit",  "0",
                          "--quiet",       NULL};
    eb_proc p;
    json_t *doc = run_doc(dir, args, 0, &p);
    json_t *group = json_array_get(json_object_get(execbench_of(doc), "groups"), 0);
    EB_REQUIRE(group != NULL);
    const char *why = json_string_value(json_object_get(group, "stopped_by"));
    int64_t kept = json_integer_value(json_object_get(group, "rounds_kept"));
    EB_CHECKF(why != NULL && strcmp(why, stopped_by) == 0, "stopped by %s, expected %s",
              why ? why : "(none)", stopped_by);
    EB_CHECKF(kept >= kept_min && kept <= kept_max, "%lld rounds kept", (long long)kept);
    /* the threaded point's median row says whether it converged */
    eb_results_doc d;
    typed(doc, &d);
    long median = eb_results_find_row(
        &d, "io.sleep/exec:threaded/tasks:4/workers:2/latency_us:2000/pin:compact/manual_time",
        "median");
    EB_REQUIRE(median >= 0);
    EB_CHECKF(d.rows[median].converged == converged, "converged %d", d.rows[median].converged);
    EB_CHECK(d.rows[median].repetitions == kept);
    eb_results_free(&d);
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

EB_TEST(the_stopping_rule_stops_at_the_target)
{
    /* +-100%: met after the 3 rounds --repetitions asks for */
    check_stop("100", "30", "100", "target", 3, 3, 1);
}

EB_TEST(the_stopping_rule_stops_at_max_rounds_and_says_which_points_did_not_converge)
{
    /* +-0.01%: never met; --max-rounds 5 stops it, and the table names the point */
    check_stop("0.01", "5", "100", "max-rounds", 5, 5, 0);
}

EB_TEST(the_stopping_rule_stops_at_the_time_budget_after_the_rounds_asked_for)
{
    /* a budget spent before the first round: the 3 rounds still run, no more */
    check_stop("0.01", "1000", "0.001", "time-budget", 3, 3, 0);
}

EB_TEST(a_zero_target_runs_exactly_the_rounds_asked_for)
{
    check_stop("0", "30", "100", "repetitions", 3, 3, -1);
}

/* ---- disturbance ---------------------------------------------------------------- */

EB_TEST(a_round_is_disturbed_past_each_threshold_and_says_which)
{
    eb_settings s;
    eb_settings_init(&s); /* 10% foreign CPU, 5% steal, 25% probe drift */
    char why[400];
    eb_round_load quiet = {
        .capacity_ns = 1000000000, .foreign_ns = 90000000, .steal_ns = 40000000, .drift = 0.24};
    EB_CHECKF(!eb_round_disturbed(&s, &quiet, why, sizeof why) && why[0] == '\0', "%s", why);
    eb_round_load busy = {
        .capacity_ns = 1000000000, .foreign_ns = 234000000, .steal_ns = 0, .drift = -1};
    EB_CHECK(eb_round_disturbed(&s, &busy, why, sizeof why));
    EB_CHECKF(strcmp(why, "foreign CPU 23.4% > 10%") == 0, "%s", why);
    eb_round_load all = {
        .capacity_ns = 1000000000, .foreign_ns = 200000000, .steal_ns = 60000000, .drift = 0.261};
    EB_CHECK(eb_round_disturbed(&s, &all, why, sizeof why));
    EB_CHECKF(strcmp(why, "foreign CPU 20.0% > 10%; steal 6.0% > 5%; probe drift 26.1% > 25%") == 0,
              "%s", why);
    s.rounds.max_probe_drift = 3000; /* --max-probe-drift 30 */
    EB_CHECK(eb_round_disturbed(&s, &all, why, sizeof why) && strstr(why, "probe") == NULL);
}

EB_TEST(the_speed_probe_times_each_cpu_and_its_drift_is_the_largest_change)
{
    eb_probe probe;
    EB_REQUIRE(eb_probe_calibrate(&probe, 0) == 0);
    EB_CHECK(probe.elements >= 1000);
    int pus[2] = {0, 0};
    int64_t ns[2];
    eb_probe_run(&probe, pus, 2, ns);
    EB_CHECK(ns[0] > 0 && ns[1] > 0);
    int64_t before[3] = {1000, 1000, -1}, after[3] = {1050, 800, 5000};
    EB_CHECK(fabs(eb_probe_drift(before, after, 3) - 0.2) < 1e-12); /* the unprobed one aside */
    int bad = -1;
    eb_probe_run(&probe, &bad, 1, ns);
    EB_CHECK(ns[0] == -1);
}

static pid_t start_hog(const char *busy_ms, const char *period_ms, const char *seconds)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/hog", getenv("EB_BUILD_DIR"));
    int out[2];
    EB_REQUIRE(pipe(out) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    pid_t pid;
    char *const argv[] = {path, (char *)busy_ms, (char *)period_ms, (char *)seconds, NULL};
    extern char **environ;
    EB_REQUIRE(posix_spawn(&pid, path, &fa, NULL, argv, environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    char said[32] = "";
    EB_REQUIRE(read(out[0], said, sizeof said - 1) > 0 && strncmp(said, "hog: busy", 9) == 0);
    close(out[0]);
    return pid;
}

/* One CPU busy 1 s of every 3 s (the hog) while an interleaved run of
 * two-worker CPU points takes a few seconds: its rounds see the hog's CPU as
 * foreign. On a loaded machine other processes add to it; either way rounds
 * must be found disturbed, each with its reasons, set aside and redone. */
EB_TEST(a_hog_on_the_machine_is_detected_and_its_rounds_redone)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    pid_t hog = start_hog("1000", "3000", "60");
    const char *args[] = {"--workload",    "cpu.sumsq",  "--executor",    "sequential,threaded",
                          "--workers",     "2",          "--tasks",       "8",
                          "--param",       "n=20000000", "--repetitions", "25",
                          "--target-ci",   "0",          "--redo-limit",  "5",
                          "--time-budget", "600",        "--quiet",       NULL};
    eb_proc p;
    json_t *doc = run_doc(dir, args, 0, &p);
    kill(hog, SIGTERM);
    waitpid(hog, NULL, 0);
    json_t *rounds = json_object_get(execbench_of(doc), "rounds");
    size_t i, disturbed = 0, aside = 0;
    json_t *r;
    json_array_foreach(rounds, i, r)
    {
        if (!json_is_true(json_object_get(r, "disturbed"))) continue;
        disturbed++;
        aside += json_is_true(json_object_get(r, "set_aside"));
        json_t *reasons = json_object_get(r, "reasons");
        EB_CHECKF(json_array_size(reasons) > 0, "round %zu disturbed without a reason", i);
        const char *first = json_string_value(json_array_get(reasons, 0));
        EB_CHECKF(first != NULL &&
                      (strncmp(first, "foreign CPU ", 12) == 0 ||
                       strncmp(first, "steal ", 6) == 0 ||
                       strncmp(first, "probe drift ", 12) == 0) &&
                      strstr(first, "% > ") != NULL,
                  "reason: %s", first ? first : "(none)");
    }
    EB_CHECKF(disturbed > 0, "no round of %zu found disturbed with the hog running",
              json_array_size(rounds));
    EB_CHECKF(aside > 0 && aside <= 5, "%zu rounds set aside", aside);
    /* each set aside was run again: 25 rounds kept, and the points count it */
    json_t *group = json_array_get(json_object_get(execbench_of(doc), "groups"), 0);
    EB_CHECK(json_integer_value(json_object_get(group, "rounds_kept")) == 25);
    EB_CHECK((size_t)json_integer_value(json_object_get(group, "rounds_set_aside")) == aside);
    eb_results_doc d;
    typed(doc, &d);
    long median = eb_results_find_row(
        &d, "cpu.sumsq/exec:threaded/tasks:8/workers:2/n:20000000/pin:compact/manual_time",
        "median");
    EB_REQUIRE(median >= 0);
    EB_CHECK((size_t)d.rows[median].rounds_redone == aside);
    EB_CHECK((size_t)d.rows[median].rounds_disturbed >= aside);
    /* the summary says so at its top */
    EB_CHECKF(d.rounds_disturbed == (int64_t)disturbed && d.rounds_set_aside == (int64_t)aside,
              "%lld, %lld", (long long)d.rounds_disturbed, (long long)d.rounds_set_aside);
    eb_results_free(&d);
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

/* ---- the document --------------------------------------------------------------- */

/* libbenchmark's own aggregates of a blocked run, and the ones the runner
 * computes for an interleaved run from the same repetition rows, agree key
 * for key: Google Benchmark's tools read both alike. */
EB_TEST(the_runner_computes_aggregates_as_libbenchmark_does)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    const char *args[] = {"--workload", "cpu.sumsq", "--executor", "threaded", "--workers",     "2",
                          "--tasks",    "4",         "--param",    "n=100000", "--repetitions", "5",
                          "--order",    "blocked",   "--quiet",    NULL};
    eb_proc p;
    json_t *doc = run_doc(dir, args, 0, &p);
    json_t *rows = json_object_get(doc, "benchmarks");
    EB_REQUIRE(json_array_size(rows) == 9);
    /* the repetitions alone, then the runner's aggregates over them */
    json_t *ours = json_deep_copy(doc);
    json_t *ours_rows = json_object_get(ours, "benchmarks");
    while (json_array_size(ours_rows) > 5)
        json_array_remove(ours_rows, 5);
    eb_results_doc d;
    typed(ours, &d);
    EB_REQUIRE(eb_results_add_aggregates(&d, d.rows[0].run_name) == 0);
    EB_REQUIRE(d.row_count == 9);
    for (size_t i = 5; i < 9; i++) {
        json_t *theirs = json_array_get(rows, i), *mine = d.rows[i].json;
        /* the same keys in the same order ... */
        const char *keys_theirs[64], *keys_mine[64], *key;
        size_t k = 0, m = 0;
        json_t *v;
        json_object_foreach(theirs, key, v) if (k < 64) keys_theirs[k++] = key;
        json_object_foreach(mine, key, v) if (m < 64) keys_mine[m++] = key;
        for (size_t j = 0; j < k; j++) {
            EB_CHECKF(j < m && strcmp(keys_mine[j], keys_theirs[j]) == 0,
                      "row %zu key %zu: %s, libbenchmark %s", i, j, j < m ? keys_mine[j] : "(none)",
                      keys_theirs[j]);
            /* ... and the same values (reals to rounding, integers to one) */
            json_t *tv = json_object_get(theirs, keys_theirs[j]);
            json_t *mv = json_object_get(mine, keys_theirs[j]);
            if (json_is_number(tv) && json_is_number(mv)) {
                double x = json_number_value(tv), y = json_number_value(mv);
                EB_CHECKF(fabs(x - y) <= 1e-9 * fabs(x) + 1e-9 ||
                              (json_is_integer(tv) && fabs(x - y) <= 1.0),
                          "row %zu %s: libbenchmark %.17g, runner %.17g", i, keys_theirs[j], x, y);
            } else {
                EB_CHECKF(json_equal(tv, mv), "row %zu %s differs", i, keys_theirs[j]);
            }
        }
        EB_CHECKF(k == m, "row %zu: %zu keys, libbenchmark %zu", i, m, k);
    }
    eb_results_free(&d);
    json_decref(ours);
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

static void check_type(json_t *obj, const char *key, json_type type, const char *where)
{
    json_t *v = json_object_get(obj, key);
    bool ok = v != NULL && (json_typeof(v) == type || (type == JSON_REAL && json_is_integer(v)) ||
                            (type == JSON_TRUE && json_is_boolean(v)));
    EB_CHECKF(ok, "%s: %s missing or of the wrong type", where, key);
}

/* Every key an interleaved run adds, with its type, and each of them
 * documented in docs/results-format.md. */
EB_TEST(an_interleaved_document_holds_every_rounds_key_and_documents_it)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    const char *args[] = {"--workload",  "cpu.sumsq", "--executor",    "sequential,threaded",
                          "--workers",   "2",         "--tasks",       "4",
                          "--param",     "n=200000",  "--repetitions", "3",
                          "--target-ci", "50",        "--redo-limit",  "1",
                          NULL};
    eb_proc p;
    json_t *doc = run_doc(dir, args, 0, &p);
    json_t *e = execbench_of(doc);
    EB_CHECK(strcmp(json_string_value(json_object_get(e, "order")), "interleaved") == 0);
    static const char *const context_keys[] = {
        "order",         "target_ci_pct",       "max_rounds",
        "time_budget_s", "redo_limit",          "max_foreign_cpu_pct",
        "max_steal_pct", "max_probe_drift_pct", "interval"};
    for (size_t i = 0; i < sizeof context_keys / sizeof *context_keys; i++)
        EB_CHECKF(json_object_get(e, context_keys[i]) != NULL, "context: no %s", context_keys[i]);
    check_type(e, "noise_floor_pct", JSON_REAL, "context");
    check_type(json_object_get(e, "probe"), "elements", JSON_INTEGER, "probe");
    json_t *round = json_array_get(json_object_get(e, "rounds"), 0);
    EB_REQUIRE(round != NULL);
    static const struct {
        const char *key;
        json_type type;
    } round_keys[] = {{"round", JSON_INTEGER},        {"group", JSON_STRING},
                      {"start_ns", JSON_INTEGER},     {"end_ns", JSON_INTEGER},
                      {"run_order", JSON_ARRAY},      {"run_real_ns", JSON_ARRAY},
                      {"probe_pus", JSON_ARRAY},      {"probe_before_ns", JSON_ARRAY},
                      {"probe_after_ns", JSON_ARRAY}, {"probe_drift", JSON_REAL},
                      {"capacity_ns", JSON_INTEGER},  {"foreign_cpu_ns", JSON_INTEGER},
                      {"steal_ns", JSON_INTEGER},     {"disturbed", JSON_TRUE},
                      {"reasons", JSON_ARRAY},        {"set_aside", JSON_TRUE}};
    for (size_t i = 0; i < sizeof round_keys / sizeof *round_keys; i++)
        check_type(round, round_keys[i].key, round_keys[i].type, "rounds[0]");
    json_t *group = json_array_get(json_object_get(e, "groups"), 0);
    EB_REQUIRE(group != NULL);
    check_type(group, "reference", JSON_STRING, "groups[0]");
    check_type(group, "rounds_kept", JSON_INTEGER, "groups[0]");
    check_type(group, "rounds_set_aside", JSON_INTEGER, "groups[0]");
    check_type(group, "stopped_by", JSON_STRING, "groups[0]");
    json_t *floor = json_object_get(group, "noise_floor");
    check_type(floor, "pairs", JSON_INTEGER, "noise_floor");
    check_type(floor, "median", JSON_REAL, "noise_floor");
    check_type(floor, "low", JSON_REAL, "noise_floor");
    check_type(floor, "high", JSON_REAL, "noise_floor");

    size_t i;
    json_t *row;
    size_t reference_rows = 0, medians = 0;
    json_array_foreach(json_object_get(doc, "benchmarks"), i, row)
    {
        const char *type = json_string_value(json_object_get(row, "run_type"));
        bool reference =
            strcmp(json_string_value(json_object_get(row, "executor")), "sequential") == 0;
        if (strcmp(type, "iteration") == 0) {
            check_type(row, "round", JSON_INTEGER, "row");
            check_type(row, "start_ns", JSON_INTEGER, "row");
            check_type(row, "steal_ns", JSON_INTEGER, "row");
            check_type(row, "foreign_cpu_ns", JSON_INTEGER, "row");
            check_type(row, "disturbed", JSON_TRUE, "row");
            check_type(row, "ideal_share", JSON_REAL, "row");
            if (reference) {
                check_type(row, "aa_real_ns", JSON_INTEGER, "reference row");
                reference_rows++;
            }
        } else if (strcmp(json_string_value(json_object_get(row, "aggregate_name")), "median") ==
                   0) {
            medians++;
            check_type(row, "speedup", JSON_REAL, "median row");
            check_type(row, "efficiency", JSON_REAL, "median row");
            check_type(row, "pairs", JSON_INTEGER, "median row");
            check_type(row, "converged", JSON_TRUE, "median row");
            check_type(row, "rounds_disturbed", JSON_INTEGER, "median row");
            check_type(row, "rounds_redone", JSON_INTEGER, "median row");
            if (!reference) {
                check_type(row, "speedup_low", JSON_REAL, "median row");
                check_type(row, "speedup_high", JSON_REAL, "median row");
                check_type(row, "efficiency_low", JSON_REAL, "median row");
                check_type(row, "efficiency_high", JSON_REAL, "median row");
            }
        }
    }
    EB_CHECK(reference_rows >= 3 && medians == 2);
    /* the noise floor under the table, as in the context */
    EB_CHECKF(strstr(p.out, "noise floor: sequential, 1 worker, 4 tasks") != NULL, "%s", p.out);

    /* docs/results-format.md names each of them */
    char path[4096];
    snprintf(path, sizeof path, "%s/docs/results-format.md", getenv("EB_SOURCE_DIR"));
    FILE *f = fopen(path, "r");
    EB_REQUIRE(f != NULL);
    char *md = NULL;
    size_t cap = 0;
    EB_REQUIRE(getdelim(&md, &cap, '\0', f) > 0);
    fclose(f);
    static const char *const documented[] = {"round",
                                             "start_ns",
                                             "steal_ns",
                                             "foreign_cpu_ns",
                                             "disturbed",
                                             "aa_real_ns",
                                             "run_delay_ns",
                                             "ideal_share",
                                             "speedup",
                                             "speedup_low",
                                             "speedup_high",
                                             "efficiency",
                                             "efficiency_low",
                                             "efficiency_high",
                                             "pairs",
                                             "converged",
                                             "rounds_disturbed",
                                             "rounds_redone",
                                             "order",
                                             "target_ci_pct",
                                             "max_rounds",
                                             "time_budget_s",
                                             "redo_limit",
                                             "max_foreign_cpu_pct",
                                             "max_steal_pct",
                                             "max_probe_drift_pct",
                                             "interval",
                                             "probe",
                                             "rounds",
                                             "group",
                                             "end_ns",
                                             "run_order",
                                             "run_real_ns",
                                             "probe_pus",
                                             "probe_before_ns",
                                             "probe_after_ns",
                                             "probe_drift",
                                             "capacity_ns",
                                             "reasons",
                                             "set_aside",
                                             "groups",
                                             "reference",
                                             "rounds_kept",
                                             "rounds_set_aside",
                                             "stopped_by",
                                             "noise_floor",
                                             "noise_floor_pct"};
    for (size_t k = 0; k < sizeof documented / sizeof *documented; k++) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "`%s`", documented[k]);
        EB_CHECKF(strstr(md, quoted) != NULL, "docs/results-format.md does not name %s", quoted);
    }
    free(md);
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

/* ---- the progress --------------------------------------------------------------- */

EB_TEST(through_a_pipe_an_interleaved_run_says_each_warm_up_and_each_round_in_a_line)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    const char *args[] = {
        "--workload", "io.sleep", "--executor", "sequential,threaded", "--workers",     "2",
        "--tasks",    "2",        "--param",    "latency_us=1000",     "--repetitions", "3",
        NULL};
    eb_proc p;
    json_t *doc = run_doc(dir, args, 0, &p);
    EB_CHECKF(strncmp(p.err, "[1/2] io.sleep/exec:sequential/", 31) == 0, "%s", p.err);
    EB_CHECKF(strstr(p.err, "[2/2] io.sleep/exec:threaded/") != NULL, "%s", p.err);
    EB_CHECKF(strstr(p.err, ": warmed up (") != NULL, "%s", p.err);
    /* three rounds kept, each one line naming the group */
    int kept = 0;
    for (const char *at = p.err; (at = strstr(at, "[round ")) != NULL; at++)
        if (strncmp(strchr(at, ']') + 2, "io.sleep/tasks:2/latency_us:1000/", 33) == 0 &&
            strstr(at, " kept") != NULL)
            kept++;
    EB_CHECKF(kept >= 3, "%d round lines: %s", kept, p.err);
    EB_CHECK(strchr(p.err, '\r') == NULL && strchr(p.err, '\033') == NULL);
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}
