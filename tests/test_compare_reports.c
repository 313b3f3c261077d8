/* test_compare_reports.c — what execbench-compare's reports say, case by case
 * (test_compare_cli holds them whole against golden files): a document from
 * plan flags ("preset": null), figures beyond their physical bound marked with
 * their likely cause, an interrupted run named at the top, numbers that stay
 * numbers in csv and json, and counts that agree with their nouns. */
#include "compare_run.h"
#include "eb_test.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TIMEOUT_S 30.0

static void run(const char *const *argv, run_result *res)
{
    run_compare(argv, fixture_dir(), NULL, RUN_PIPE, false, TIMEOUT_S, res);
    EB_REQUIRE(!res->timed_out);
}

/* The report of a command that must succeed silently. */
static char *report(const char *const *argv)
{
    run_result res;
    run(argv, &res);
    EB_CHECKF(res.status == 0 && res.err_len == 0, "%s %s: exit %d: %s", argv[0], argv[1],
              res.status, res.err);
    free(res.err);
    return res.out;
}

/* The line of text that holds needle, as its own string ("" when none). */
static char *line_with(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    if (at == NULL) return strdup("");
    while (at > text && at[-1] != '\n')
        at--;
    return strndup(at, strcspn(at, "\n"));
}

/* A document in a temporary file (removed by the caller). */
static void write_doc(char *path, const char *text)
{
    int fd = mkstemp(path);
    EB_REQUIRE(fd >= 0);
    EB_REQUIRE(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
}

EB_TEST(a_document_from_plan_flags_is_summarised_and_diffed)
{
    /* bound.json's context says "preset": null, as execbench writes for
     * --workload ... without --preset; the reader once refused it. */
    char *out = report((const char *const[]){"summary", "bound.json", NULL});
    const char *top = "results: bound.json (81 rows, host vm, 2026-11-22T23:10:04+00:00)\n\n";
    EB_CHECKF(strncmp(out, top, strlen(top)) == 0, "%s", out);
    free(out);
    out = report((const char *const[]){"diff", "bound.json", "bound.json", NULL});
    EB_CHECK(strstr(out, "geomean (9 benchmarks)") != NULL);
    free(out);
    out = report((const char *const[]){"--format", "json", "summary", "bound.json", NULL});
    free(out);
}

EB_TEST(figures_beyond_their_bound_are_marked_with_their_likely_cause)
{
    char *out = report((const char *const[]){"summary", "bound.json", NULL});
    /* 2 threads 3.01x faster than one thread on 2 cores: the sequential point
     * waited for a CPU (50 ms of wall time for 33 ms of CPU). */
    char *row = line_with(out, "  threaded            2  n=5000000");
    EB_CHECKF(strstr(row, "3.01x [2.99-3.04] !") != NULL &&
                  strstr(row, "150.6% [149.7-151.5] !") != NULL,
              "%s", row);
    free(row);
    row = line_with(out, "  multiprocess        2  n=5000000");
    EB_CHECKF(strstr(row, "98.4% [97.7-98.8]") != NULL && strchr(row, '!') == NULL, "%s", row);
    free(row);
    /* 100.1% whose interval reaches below 100%: shown with it, not marked */
    row = line_with(out, "  coroutine   unbounded  latency_us=10000");
    EB_CHECKF(strstr(row, "100.1% [99.5-100.4]") != NULL && strchr(row, '!') == NULL, "%s", row);
    free(row);
    EB_CHECKF(strstr(out, "! coroutine, unbounded workers") == NULL, "%s", out);
    static const char *const notes[] = {
        "  ! threaded, 2 workers, 20 tasks, pin compact, n=5000000: 150.6% [149.7-151.5] of the "
        "ideal: the sequential point's wall time is 52% above its CPU time: it waited for a CPU "
        "(descheduled), which inflates the ideal and the speedup drawn from it\n",
        "  ! coroutine, 1 worker, 20 tasks, pin compact, n=5000000: 150.6% [149.7-151.1] of the "
        "ideal: the sequential point's wall time is 52% above its CPU time",
        "  ! threaded, 2 workers, 20 tasks, pin compact, n=1000000: 133.3% [132.5-134.2] of the "
        "ideal: the sequential point spent 33% more CPU time than this point on the same work: "
        "its CPU ran slower (a busy host, a lower clock)",
        "  ! threaded, 8 workers, 160 tasks, pin compact, latency_us=1000: 105.3% [105.2-105.3] "
        "of the ideal: the rows show no cause; run the point again\n",
        "\n!: beyond the physical bound: an efficiency above 100% (with an interval, all of "
        "it), and so a speedup above what the ideal allows (the sequential median over "
        "ideal_ns)",
    };
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
        EB_CHECKF(strstr(out, notes[i]) != NULL, "no \"%s\" in\n%s", notes[i], out);
    free(out);

    /* markdown keeps the mark; csv and json keep the number and say it apart */
    out = report((const char *const[]){"--format", "markdown", "summary", "bound.json", NULL});
    EB_CHECK(strstr(out, "| 3.01x [2.99-3.04] ! | 150.6% [149.7-151.5] ! |") != NULL);
    free(out);
    out = report((const char *const[]){"--format", "json", "summary", "bound.json", NULL});
    json_t *doc = json_loads(out, 0, NULL);
    EB_REQUIRE(doc != NULL);
    json_t *first = json_array_get(
        json_object_get(json_array_get(json_object_get(doc, "tables"), 0), "rows"), 1);
    EB_CHECK(json_is_true(json_object_get(first, "beyond_bound")));
    EB_CHECK(json_real_value(json_object_get(first, "efficiency")) > 1.5);
    json_decref(doc);
    free(out);

    /* a run within its bounds carries no mark */
    out = report((const char *const[]){"summary", "run-a.json", NULL});
    EB_CHECKF(strchr(out, '!') == NULL, "%s", out);
    free(out);
}

/* Every percentage above 100 in text ("150.60%") is followed by its interval
 * (" [" : "[149.7-151.5]" or "[?]"); how many it saw, into *seen. bound.json's
 * CVs and causes stay below 100%, so every such figure is an efficiency. */
static void percents_above_100_have_intervals(const char *text, const char *what, size_t *seen)
{
    for (const char *p = strchr(text, '%'); p != NULL; p = strchr(p + 1, '%')) {
        const char *start = p;
        while (start > text && (start[-1] == '.' || (start[-1] >= '0' && start[-1] <= '9')))
            start--;
        if (start == p || strtod(start, NULL) <= 100.0) continue;
        (*seen)++;
        EB_CHECKF(strncmp(p + 1, " [", 2) == 0, "%s: %.*s has no interval in: %s", what,
                  (int)(p + 1 - start), start, text);
    }
}

/* bound.json with only its aggregate rows, or only each point's first
 * repetition: documents from which no interval can be drawn. */
static void write_without_intervals(char *path, bool aggregates)
{
    char src[4096];
    snprintf(src, sizeof src, "%s/bound.json", fixture_dir());
    json_t *doc = json_load_file(src, 0, NULL);
    EB_REQUIRE(doc != NULL);
    json_t *rows = json_object_get(doc, "benchmarks"), *kept = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        bool iteration =
            strcmp(json_string_value(json_object_get(row, "run_type")), "iteration") == 0;
        if (aggregates
                ? !iteration
                : iteration && json_integer_value(json_object_get(row, "repetition_index")) == 0)
            json_array_append(kept, row);
    }
    json_object_set_new(doc, "benchmarks", kept);
    char *text = json_dumps(doc, 0);
    write_doc(path, text);
    free(text);
    json_decref(doc);
}

EB_TEST(no_efficiency_above_100_percent_shows_without_its_interval_in_any_format)
{
    /* with intervals (bound.json), and without any: aggregates only, one repetition */
    char agg[] = "/tmp/eb_compare_aggonly_XXXXXX", one[] = "/tmp/eb_compare_onerep_XXXXXX";
    write_without_intervals(agg, true);
    write_without_intervals(one, false);
    const char *docs[] = {"bound.json", agg, one};
    for (size_t d = 0; d < 3; d++) {
        size_t seen = 0;
        char *out = report((const char *const[]){"summary", docs[d], NULL});
        percents_above_100_have_intervals(out, "console", &seen);
        /* the figure's own cell and its note under the table */
        EB_CHECKF(strstr(out, "! threaded, 2 workers, 20 tasks, pin compact, n=5000000: 150.6") !=
                      NULL,
                  "%s", out);
        if (d > 0)
            EB_CHECKF(strstr(out, "intervals: [?] says none can be drawn") != NULL, "%s", out);
        free(out);
        out = report((const char *const[]){"--format", "markdown", "summary", docs[d], NULL});
        percents_above_100_have_intervals(out, "markdown", &seen);
        free(out);
        /* json: the notes are text (plot.py draws them under its charts) */
        out = report((const char *const[]){"--format", "json", "summary", docs[d], NULL});
        json_t *doc = json_loads(out, 0, NULL);
        EB_REQUIRE(doc != NULL);
        size_t t, k;
        json_t *table, *note;
        json_array_foreach(json_object_get(doc, "tables"), t, table)
        {
            json_array_foreach(json_object_get(table, "notes"), k, note)
                percents_above_100_have_intervals(json_string_value(note), "json note", &seen);
        }
        json_decref(doc);
        free(out);
        /* cells and notes: 4 figures beyond the bound, each in two places, in 3 formats */
        EB_CHECKF(seen >= 4 * 2 * 2 + 4, "%s: %zu percentages above 100%%", docs[d], seen);
    }
    unlink(agg);
    unlink(one);
}

EB_TEST(an_interrupted_document_says_so_at_the_top)
{
    const char *says = "interrupted by SIGINT after 1 of 9 points";
    char *out = report((const char *const[]){"summary", "interrupted.json", NULL});
    EB_CHECKF(strncmp(out,
                      "results: interrupted.json (9 rows, host vm, 2026-11-22T23:10:04+00:00)\n"
                      "results: interrupted by SIGINT after 1 of 9 points: only the points that "
                      "finished are in it\n\n",
                      strlen("results: interrupted.json (9 rows, host vm, "
                             "2026-11-22T23:10:04+00:00)\nresults: interrupted by SIGINT after 1 "
                             "of 9 points: only the points that finished are in it\n\n")) == 0,
              "%s", out);
    free(out);
    out =
        report((const char *const[]){"--format", "markdown", "summary", "interrupted.json", NULL});
    EB_CHECKF(strstr(out, says) != NULL && strstr(out, says) < strstr(out, "###"), "%s", out);
    free(out);
    out = report((const char *const[]){"--format", "json", "summary", "interrupted.json", NULL});
    json_t *doc = json_loads(out, 0, NULL);
    EB_REQUIRE(doc != NULL);
    EB_CHECK(json_is_true(json_object_get(doc, "interrupted")));
    const char *input = json_string_value(json_array_get(json_object_get(doc, "inputs"), 1));
    EB_CHECKF(input != NULL && strstr(input, says) != NULL, "%s", out);
    json_decref(doc);
    free(out);

    /* csv has no line above its header: the notice goes to stderr */
    run_result res;
    run((const char *const[]){"--format", "csv", "summary", "interrupted.json", NULL}, &res);
    EB_CHECK(res.status == 0 && strncmp(res.out, "table,name,", 11) == 0);
    EB_CHECKF(count_lines(res.err) == 1 &&
                  strcmp(res.err, "execbench-compare: interrupted.json: interrupted by SIGINT "
                                  "after 1 of 9 points: the report holds only the points that "
                                  "finished\n") == 0,
              "%s", res.err);
    run_free(&res);

    /* diff, on either side */
    out = report((const char *const[]){"diff", "bound.json", "interrupted.json", NULL});
    EB_CHECKF(strstr(out, "new: interrupted by SIGINT after 1 of 9 points") != NULL &&
                  strstr(out, says) < strstr(out, "diff: old -> new"),
              "%s", out);
    free(out);
    out = report((const char *const[]){"diff", "interrupted.json", "bound.json", NULL});
    EB_CHECK(strstr(out, "old: interrupted by SIGINT after 1 of 9 points") != NULL);
    free(out);

    /* no point finished: that is what it says, not a hint about filters */
    const char *empty[][4] = {{"summary", "interrupted-empty.json", NULL},
                              {"diff", "bound.json", "interrupted-empty.json", NULL}};
    for (size_t i = 0; i < 2; i++) {
        run(empty[i], &res);
        EB_CHECKF(res.status == 2 && res.out_len == 0 && count_lines(res.err) == 1 &&
                      strcmp(res.err, "execbench-compare: interrupted-empty.json: interrupted by "
                                      "SIGINT after 0 of 9 points: no results in it; run "
                                      "execbench again\n") == 0,
                  "exit %d: %s", res.status, res.err);
        run_free(&res);
    }
    /* an execbench document with no rows that was not interrupted: no filter hint either */
    char path[] = "/tmp/eb_compare_empty_XXXXXX";
    write_doc(path, "{\"context\": {\"execbench\": {\"preset\": null, \"interrupted\": false}},"
                    " \"benchmarks\": []}");
    run((const char *const[]){"summary", path, NULL}, &res);
    EB_CHECKF(res.status == 2 && strstr(res.err, "the run wrote no results; run execbench again") &&
                  strstr(res.err, "filter") == NULL,
              "%s", res.err);
    run_free(&res);
    unlink(path);
}

/* Every value of these keys is a number or null, whatever the row. */
static void check_numeric(json_t *doc, const char *const *keys, size_t *rows_seen,
                          size_t *errors_seen)
{
    size_t t, r;
    json_t *table, *row;
    json_array_foreach(json_object_get(doc, "tables"), t, table)
    {
        json_array_foreach(json_object_get(table, "rows"), r, row)
        {
            (*rows_seen)++;
            for (const char *const *k = keys; *k != NULL; k++) {
                json_t *v = json_object_get(row, *k);
                EB_CHECKF(v != NULL && (json_is_number(v) || json_is_null(v)),
                          "table %zu row %zu: %s is %s", t, r, *k,
                          v == NULL ? "absent" : json_dumps(v, JSON_ENCODE_ANY));
            }
            const char *status = json_string_value(json_object_get(row, "status"));
            if (status != NULL && strcmp(status, "error") == 0) {
                (*errors_seen)++;
                EB_CHECK(json_is_null(json_object_get(row, "median_ns")));
                EB_CHECK(json_is_string(json_object_get(row, "error")));
            }
        }
    }
}

EB_TEST(numeric_columns_stay_numbers_with_a_status_beside_them)
{
    static const char *const summary_keys[] = {"n",       "median_ns",  "min_ns",   "max_ns", "cv",
                                               "speedup", "efficiency", "ideal_ns", NULL};
    char *out = report((const char *const[]){"--format", "json", "summary", "run-a.json", NULL});
    json_t *doc = json_loads(out, 0, NULL);
    EB_REQUIRE(doc != NULL);
    size_t rows = 0, errors = 0;
    check_numeric(doc, summary_keys, &rows, &errors);
    EB_CHECKF(rows == 12 && errors == 1, "%zu rows, %zu errors", rows, errors); /* one crashed */
    json_decref(doc);
    free(out);

    static const char *const diff_keys[] = {
        "old_median_ns",     "new_median_ns",     "change", "pvalue",
        "cpu_old_median_ns", "cpu_new_median_ns", NULL};
    out = report(
        (const char *const[]){"--format", "json", "diff", "run-a.json", "lost-new.json", NULL});
    doc = json_loads(out, 0, NULL);
    EB_REQUIRE(doc != NULL);
    rows = errors = 0;
    check_numeric(doc, diff_keys, &rows, &errors);
    EB_CHECK(rows == 12);
    json_decref(doc);
    free(out);

    /* csv: the error row's median_ns is empty, its status says error */
    out = report((const char *const[]){"--format", "csv", "summary", "run-a.json", NULL});
    char *header = line_with(out, "table,name,");
    char *error_row = line_with(out, "multiprocess/tasks:160/workers:160/");
    size_t median_at = 0, status_at = 0, col = 0;
    for (char *f = header, *save = NULL, *tok; (tok = strtok_r(f, ",", &save)) != NULL; f = NULL) {
        if (strcmp(tok, "median_ns") == 0) median_at = col;
        if (strcmp(tok, "status") == 0) status_at = col;
        col++;
    }
    EB_REQUIRE(median_at > 0 && status_at > median_at);
    /* fields by position (empty ones included) */
    const char *fields[32] = {0};
    size_t n = 0;
    for (char *p = error_row; n < 32; p++) {
        fields[n++] = p;
        p = strchr(p, ',');
        if (p == NULL) break;
        *p = '\0';
    }
    EB_CHECKF(n > status_at && strcmp(fields[median_at], "") == 0 &&
                  strcmp(fields[status_at], "error") == 0,
              "median_ns '%s', status '%s'", n > median_at ? fields[median_at] : "?",
              n > status_at ? fields[status_at] : "?");
    free(header);
    free(error_row);
    free(out);
}

EB_TEST(counts_agree_with_their_nouns_and_notes_tell_points_apart)
{
    char *out = report((const char *const[]){"diff", "bound.json", "interrupted.json", NULL});
    static const char *const singular[] = {
        "geomean (1 benchmark)",
        "geometric mean of the 1 paired median on each side",
        "1 of 1 benchmark has fewer than 9 repetitions on a side: its U test is unreliable",
        "recommended (execbench --repetitions).",
    };
    for (size_t i = 0; i < sizeof singular / sizeof singular[0]; i++)
        EB_CHECKF(strstr(out, singular[i]) != NULL, "no \"%s\" in\n%s", singular[i], out);
    EB_CHECK(strstr(out, "--benchmark_repetitions") == NULL);
    free(out);
    /* Google Benchmark's own documents: its own flag */
    out = report((const char *const[]){"diff", "micro-a.json", "micro-b.json", NULL});
    EB_CHECKF(strstr(out, "recommended (--benchmark_repetitions).") != NULL &&
                  strstr(out, "execbench --repetitions") == NULL,
              "%s", out);
    free(out);

    /* One row; two failed points that differ only in pin and params; one task,
     * one worker and unbounded workers; 1 of 2 repetitions failed. */
    char path[] = "/tmp/eb_compare_counts_XXXXXX";
    static const char doc[] =
        "{\"benchmarks\": ["
        "{\"name\": \"a\", \"workload\": \"io.sleep\", \"executor\": \"threaded\","
        " \"workers\": 0, \"tasks\": 1, \"pin\": \"compact\", \"params\": {\"latency_us\": 10},"
        " \"error_occurred\": true, \"error_message\": \"timed out after 2 s\"},"
        "{\"name\": \"b\", \"workload\": \"io.sleep\", \"executor\": \"threaded\","
        " \"workers\": 1, \"tasks\": 1, \"pin\": \"none\", \"params\": {\"latency_us\": 20},"
        " \"error_occurred\": true, \"error_message\": \"timed out after 2 s\"},"
        "{\"name\": \"c\", \"workload\": \"io.sleep\", \"executor\": \"threaded\","
        " \"workers\": 2, \"tasks\": 4, \"pin\": \"compact\", \"params\": {\"latency_us\": 20},"
        " \"time_unit\": \"ms\", \"real_time\": 1, \"cpu_time\": 0.1},"
        "{\"name\": \"c\", \"workload\": \"io.sleep\", \"executor\": \"threaded\","
        " \"workers\": 2, \"tasks\": 4, \"pin\": \"compact\", \"params\": {\"latency_us\": 20},"
        " \"error_occurred\": true, \"error_message\": \"worker 1 killed\"}]}";
    write_doc(path, doc);
    out = report((const char *const[]){"summary", path, NULL});
    static const char *const says[] = {
        "(4 rows, with errors)",
        "error in threaded, unbounded workers, 1 task, pin compact, latency_us=10: timed out "
        "after 2 s\n",
        "error in threaded, 1 worker, 1 task, pin none, latency_us=20: timed out after 2 s\n",
        "threaded, 2 workers, 4 tasks, pin compact, latency_us=20: 1 of 2 repetitions failed "
        "(worker 1 killed); the figures use the rest\n",
    };
    for (size_t i = 0; i < sizeof says / sizeof says[0]; i++)
        EB_CHECKF(strstr(out, says[i]) != NULL, "no \"%s\" in\n%s", says[i], out);
    free(out);
    unlink(path);

    char one[] = "/tmp/eb_compare_one_XXXXXX";
    write_doc(one, "{\"benchmarks\": [{\"name\": \"BM_a\", \"real_time\": 1, \"cpu_time\": 1,"
                   " \"time_unit\": \"ns\"}]}");
    out = report((const char *const[]){"summary", one, NULL});
    EB_CHECKF(strstr(out, " (1 row)\n") != NULL, "%s", out);
    free(out);
    out = report((const char *const[]){"diff", one, one, NULL});
    EB_CHECKF(strstr(out, "(1 row)\n") != NULL && strstr(out, "geomean (1 benchmark)") != NULL &&
                  strstr(out, "1 benchmark has fewer than 2 repetitions on a side") != NULL &&
                  strstr(out, "its change has no significance") != NULL,
              "%s", out);
    free(out);
    unlink(one);
}

/* The summary's scale figures (tools/plot.py's scale.png reads them): per
 * point the stack mode its coroutines ran with, its cold run, the time a
 * task took above the ideal warm ((median - ideal) / tasks) and cold
 * ((cold_run_ns - ideal) / tasks), and its bytes per task. */
EB_TEST(the_scale_figures_are_per_task_above_the_ideal_warm_and_cold)
{
    char *out = report((const char *const[]){"--format", "json", "summary", "scale.json", NULL});
    json_t *doc = json_loads(out, 0, NULL);
    EB_REQUIRE(doc != NULL);
    size_t seen = 0;
    json_t *table, *row;
    size_t t, r;
    json_array_foreach(json_object_get(doc, "tables"), t, table)
    {
        json_array_foreach(json_object_get(table, "rows"), r, row)
        {
            const char *executor = json_string_value(json_object_get(row, "executor"));
            json_int_t tasks = json_integer_value(json_object_get(row, "tasks"));
            const char *stack = json_string_value(json_object_get(row, "coro_stack"));
            double over = json_number_value(json_object_get(row, "over_ideal_per_task_ns"));
            double cold = json_number_value(json_object_get(row, "cold_over_ideal_per_task_ns"));
            double bytes = json_number_value(json_object_get(row, "max_rss_per_task_bytes"));
            const char *used = json_string_value(json_object_get(row, "coro_stack_used"));
            if (strcmp(executor, "coroutine") == 0 && tasks == 1000000 && stack != NULL &&
                strcmp(stack, "copy") == 0) {
                /* median 1221 ms, cold 1393.8 ms, ideal 1000 ms, 1,000,000 tasks */
                EB_CHECKF(fabs(over - 221.0) < 1e-6 && fabs(cold - 393.8) < 1e-6,
                          "over %g, cold %g", over, cold);
                EB_CHECK(bytes == 582.0 && used != NULL && strcmp(used, "copy") == 0);
                EB_CHECK(json_number_value(json_object_get(row, "cold_run_ns")) == 1393.8e6);
                seen++;
            }
            if (strcmp(executor, "threaded") == 0 && tasks == 10000) {
                /* median 1251 ms, cold 1310.4 ms; no stacks to say */
                EB_CHECKF(fabs(over - 25100.0) < 1e-6 && fabs(cold - 31040.0) < 1e-6,
                          "over %g, cold %g", over, cold);
                EB_CHECK(json_is_null(json_object_get(row, "coro_stack")) &&
                         json_is_null(json_object_get(row, "coro_stack_used")));
                seen++;
            }
        }
    }
    EB_CHECKF(seen == 2, "%zu of the 2 points checked", seen);
    json_decref(doc);
    free(out);
    /* people see the stack mode beside the executor: two rows, told apart */
    out = report((const char *const[]){"summary", "scale.json", NULL});
    EB_CHECKF(strstr(out, "stack") != NULL && strstr(out, "separate") != NULL &&
                  strstr(out, "copy") != NULL,
              "%s", out);
    free(out);
}
