/* test_results_doc.c — the results-document reader: typed access to what
 * libbenchmark and execbench write, and the exact one-line message for each
 * kind of bad document. */
#include "eb_test.h"
#include "results.h"

#include <errno.h>
#include <math.h>
#include <unistd.h>

static int load(const char *text, eb_results_doc *doc, char *err)
{
    return eb_results_load_buffer("t.json", text, strlen(text), doc, err, EB_RESULTS_WHY_LEN);
}

/* Loads text, requires failure, and checks the whole message. */
static void expect_error(const char *text, const char *message)
{
    eb_results_doc doc;
    char err[EB_RESULTS_WHY_LEN];
    int rc = load(text, &doc, err);
    EB_CHECKF(rc == -EINVAL, "rc %d for %s", rc, text);
    EB_CHECKF(strcmp(err, message) == 0, "\n  got:      %s\n  expected: %s", err, message);
    EB_CHECK(strchr(err, '\n') == NULL);
    EB_CHECK(doc.rows == NULL && doc.root == NULL); /* nothing half-loaded */
}

static const char *fixture(const char *name, char *buf, size_t len)
{
    const char *src = getenv("EB_SOURCE_DIR");
    EB_REQUIRE(src != NULL);
    snprintf(buf, len, "%s/tests/fixtures/compare/%s", src, name);
    return buf;
}

EB_TEST(plain_google_benchmark_rows)
{
    const char *text =
        "{\"context\": {\"host_name\": \"vm\", \"date\": \"d\"}, \"benchmarks\": ["
        "{\"name\": \"BM_a/8\", \"run_name\": \"BM_a/8\", \"run_type\": \"iteration\","
        " \"repetitions\": 2, \"repetition_index\": 1, \"threads\": 1, \"iterations\": 1000,"
        " \"real_time\": 3.8258167249529929e-01, \"cpu_time\": 2, \"time_unit\": \"us\"},"
        "{\"name\": \"BM_a/8_median\", \"run_name\": \"BM_a/8\", \"run_type\": \"aggregate\","
        " \"aggregate_name\": \"median\", \"aggregate_unit\": \"time\", \"iterations\": 2,"
        " \"real_time\": 1.5, \"cpu_time\": 1.5, \"time_unit\": \"ms\"}]}";
    eb_results_doc doc;
    char err[EB_RESULTS_WHY_LEN];
    EB_REQUIRE(load(text, &doc, err) == 0);
    EB_CHECK(doc.row_count == 2 && doc.error_rows == 0);
    EB_CHECK(strcmp(doc.host_name, "vm") == 0 && strcmp(doc.preset, "") == 0);
    const eb_row *r = &doc.rows[0];
    EB_CHECK(strcmp(r->name, "BM_a/8") == 0 && r->run_type == EB_RUN_ITERATION);
    EB_CHECK(r->repetitions == 2 && r->repetition_index == 1 && r->iterations == 1000);
    EB_CHECK(fabs(r->real_ns - 382.58167249529929) < 1e-9); /* us -> ns */
    EB_CHECK(r->cpu_ns == 2000.0);
    EB_CHECK(!r->is_point && eb_row_usable(r));
    r = &doc.rows[1];
    EB_CHECK(r->run_type == EB_RUN_AGGREGATE && strcmp(r->aggregate_name, "median") == 0);
    EB_CHECK(strcmp(r->run_name, "BM_a/8") == 0 && r->real_ns == 1.5e6);
    eb_results_free(&doc);
    eb_results_free(&doc); /* safe twice */
}

EB_TEST(execbench_point_fields)
{
    const char *text =
        "{\"benchmarks\": [{\"name\": \"io.sleep/x\", \"real_time\": 10.08, \"cpu_time\": 0.4,"
        " \"time_unit\": \"ms\", \"iterations\": 1, \"workload\": \"io.sleep\","
        " \"executor\": \"coroutine\", \"workers\": 0, \"tasks\": 160, \"pin\": \"compact\","
        " \"params\": {\"z\": \"x\", \"latency_us\": 10000, \"f\": 0.5, \"b\": true},"
        " \"ideal_ns\": 10000000, \"spawn_ns\": 41000}]}";
    eb_results_doc doc;
    char err[EB_RESULTS_WHY_LEN];
    EB_REQUIRE(load(text, &doc, err) == 0);
    const eb_row *r = &doc.rows[0];
    EB_CHECK(r->is_point);
    EB_CHECK(strcmp(r->workload, "io.sleep") == 0 && strcmp(r->executor, "coroutine") == 0);
    EB_CHECK(r->workers == 0 && r->tasks == 160 && strcmp(r->pin, "compact") == 0);
    /* keys sorted, so the same params compare equal whatever order a file uses */
    EB_CHECKF(strcmp(r->params, "b=true,f=0.5,latency_us=10000,z=x") == 0, "%s", r->params);
    EB_CHECK(r->ideal_ns == 1e7 && r->spawn_ns == 41000);
    EB_CHECK(strcmp(r->run_name, "io.sleep/x") == 0); /* no run_name: the name */
    eb_results_free(&doc);
}

EB_TEST(old_documents_and_error_rows)
{
    /* No run_type, no run_name (Google Benchmark before 1.5); an error row
     * without times; a byte order mark in front. */
    const char *text =
        "\xEF\xBB\xBF{\"benchmarks\": ["
        "{\"name\": \"BM_x\", \"iterations\": 5, \"real_time\": 10, \"cpu_time\": 9,"
        " \"time_unit\": \"ns\"},"
        "{\"name\": \"BM_x_mean\", \"run_type\": \"aggregate\", \"aggregate_name\": \"mean\","
        " \"iterations\": 5, \"real_time\": 10, \"cpu_time\": 9, \"time_unit\": \"ns\"},"
        "{\"name\": \"BM_bad\", \"error_occurred\": true, \"error_message\": \"boom\"}]}";
    eb_results_doc doc;
    char err[EB_RESULTS_WHY_LEN];
    EB_REQUIRE(load(text, &doc, err) == 0);
    EB_CHECK(doc.rows[0].run_type == EB_RUN_ITERATION);
    EB_CHECKF(strcmp(doc.rows[1].run_name, "BM_x") == 0, "%s", doc.rows[1].run_name);
    EB_CHECK(doc.error_rows == 1);
    EB_CHECK(!eb_row_usable(&doc.rows[2]));
    EB_CHECK(strcmp(doc.rows[2].error_message, "boom") == 0);
    eb_results_free(&doc);
}

EB_TEST(bad_documents_say_what_and_where)
{
    expect_error("", "t.json: empty file: no results in it (was the run interrupted before "
                     "writing?)");
    expect_error("{\n  \"benchmarks\": [\n    {\"name\": \"a\",}\n  ]\n}",
                 "t.json:3:18: invalid JSON: string or '}' expected near '}'; fix the file or "
                 "write it again with --benchmark_format=json");
    expect_error("{\"benchmarks\": [{\"name\": \"a\", \"x\": NaN}]}",
                 "t.json:1:38: invalid JSON: invalid token near 'NaN'; libbenchmark 1.7.1 "
                 "writes a non-finite counter as bare NaN/Infinity, which is not JSON; make "
                 "the counter finite and run again");
    expect_error("{\"benchmarks\": [{\"name\": ",
                 "t.json:1:25: invalid JSON: unexpected token near end of file; the file ends "
                 "early: was the run interrupted or the file truncated?");
    expect_error("[1, 2]", "t.json: not a results document: the top level is an array, expected "
                           "an object with \"benchmarks\" (Google Benchmark's "
                           "--benchmark_format=json)");
    expect_error("{\"context\": {}}",
                 "t.json: not a results document: no \"benchmarks\" array (Google Benchmark's "
                 "--benchmark_format=json writes one)");
    expect_error("{\"benchmarks\": {}}",
                 "t.json: \"benchmarks\" is an object, expected an array of runs");
    expect_error("{\"benchmarks\": []}", "t.json: \"benchmarks\" is empty: nothing to report "
                                         "(did a filter exclude every benchmark?)");
    expect_error("{\"context\": 3, \"benchmarks\": [{}]}",
                 "t.json: \"context\" is an integer, expected an object");
    expect_error("{\"benchmarks\": [7]}",
                 "t.json: benchmarks[0]: is an integer, expected an object (one benchmark run)");
    expect_error("{\"benchmarks\": [{\"real_time\": 1}]}",
                 "t.json: benchmarks[0]: no \"name\" (a string)");
    expect_error("{\"benchmarks\": [{\"name\": \"a\", \"real_time\": \"12\", \"cpu_time\": 1, "
                 "\"time_unit\": \"ns\"}]}",
                 "t.json: benchmarks[0] (\"a\"): \"real_time\" is a string, expected a number");
    expect_error("{\"benchmarks\": [{\"name\": \"a\", \"cpu_time\": 1, \"time_unit\": \"ns\"}]}",
                 "t.json: benchmarks[0] (\"a\"): no \"real_time\" (a number)");
    expect_error("{\"benchmarks\": [{\"name\": \"a\", \"real_time\": -5, \"cpu_time\": 1, "
                 "\"time_unit\": \"ns\"}]}",
                 "t.json: benchmarks[0] (\"a\"): \"real_time\" is -5, expected 0 or more");
    expect_error("{\"benchmarks\": [{\"name\": \"a\", \"real_time\": 1, \"cpu_time\": 1, "
                 "\"time_unit\": \"hours\"}]}",
                 "t.json: benchmarks[0] (\"a\"): \"time_unit\" is \"hours\", expected ns, us, "
                 "ms or s");
    expect_error("{\"benchmarks\": [{\"name\": \"a\", \"real_time\": 1e300, \"cpu_time\": 1, "
                 "\"time_unit\": \"s\"}]}",
                 "t.json: benchmarks[0] (\"a\"): \"real_time\" is 1e+300, beyond any real run; "
                 "is time_unit right?");
    expect_error("{\"benchmarks\": [{\"name\": \"a\", \"iterations\": 1.0, \"real_time\": 1, "
                 "\"cpu_time\": 1, \"time_unit\": \"ns\"}]}",
                 "t.json: benchmarks[0] (\"a\"): \"iterations\" is a real number, expected an "
                 "integer");
    expect_error("{\"benchmarks\": [{\"name\": \"a\", \"run_type\": \"mean\"}]}",
                 "t.json: benchmarks[0] (\"a\"): \"run_type\" is \"mean\", expected "
                 "\"iteration\" or \"aggregate\"");
    expect_error("{\"benchmarks\": [{\"name\": \"a\", \"run_type\": \"aggregate\"}]}",
                 "t.json: benchmarks[0] (\"a\"): no \"aggregate_name\" (a string)");
    expect_error("{\"benchmarks\": [{\"name\": \"a\", \"error_occurred\": \"yes\"}]}",
                 "t.json: benchmarks[0] (\"a\"): \"error_occurred\" is a string, expected true "
                 "or false");
    expect_error("{\"benchmarks\": [{\"name\": \"p\", \"real_time\": 1, \"cpu_time\": 1, "
                 "\"time_unit\": \"ms\", \"workload\": \"io.sleep\", \"executor\": \"threaded\", "
                 "\"tasks\": 4}]}",
                 "t.json: benchmarks[0] (\"p\"): no \"workers\" (an integer)");
    expect_error("{\"benchmarks\": [{\"name\": \"p\", \"real_time\": 1, \"cpu_time\": 1, "
                 "\"time_unit\": \"ms\", \"workload\": \"io.sleep\", \"executor\": \"threaded\", "
                 "\"tasks\": 4, \"workers\": 2, \"params\": [1]}]}",
                 "t.json: benchmarks[0] (\"p\"): \"params\" is an array, expected an object");
    expect_error("{\"benchmarks\": [{\"name\": \"p\", \"real_time\": 1, \"cpu_time\": 1, "
                 "\"time_unit\": \"ms\", \"workload\": \"io.sleep\", \"executor\": \"threaded\", "
                 "\"tasks\": 4, \"workers\": 2, \"params\": {\"n\": null}}]}",
                 "t.json: benchmarks[0] (\"p\"): params.n is null, expected a string, number or "
                 "boolean");
    expect_error("{\"benchmarks\": [{\"name\": \"a\", \"name\": \"b\"}]}",
                 "t.json:1:36: invalid JSON: duplicate object key near '\"name\"'; fix the file "
                 "or write it again with --benchmark_format=json");
    /* Positions are jansson's: the line, and the column where the bad token ends. */
    /* a NUL byte: jansson would stop there as if the text ended */
    eb_results_doc doc;
    char err[EB_RESULTS_WHY_LEN];
    EB_CHECK(eb_results_load_buffer("t.json", "{\n}\0x", 4, &doc, err, sizeof err) == -EINVAL);
    EB_CHECKF(strcmp(err, "t.json:2:2: invalid JSON: a NUL byte at offset 3; is this a text "
                          "file?") == 0,
              "%s", err);
}

EB_TEST(messages_stay_one_line_whatever_the_name)
{
    /* A name holding a newline, and a long one: quoted, cut, still one line. */
    expect_error(
        "{\"benchmarks\": [{\"name\": \"a\\nb\", \"time_unit\": \"ns\", \"real_time\": true}]}",
        "t.json: benchmarks[0] (\"a?b\"): \"real_time\" is true, expected a number");
    char text[1024];
    char name[301];
    memset(name, 'n', 300);
    name[300] = '\0';
    snprintf(text, sizeof text,
             "{\"benchmarks\": [{\"name\": \"%s\", \"time_unit\": \"s\", \"real_time\": null}]}",
             name);
    eb_results_doc doc;
    char err[EB_RESULTS_WHY_LEN];
    EB_REQUIRE(load(text, &doc, err) == -EINVAL);
    EB_CHECK(strstr(err, "nnnn...\"): \"real_time\" is null, expected a number") != NULL);
    EB_CHECK(strlen(err) < 200);
}

EB_TEST(files_missing_unreadable_and_real)
{
    eb_results_doc doc;
    char err[EB_RESULTS_WHY_LEN], path[4096];
    EB_CHECK(eb_results_load_file("/nonexistent/r.json", 0, &doc, err, sizeof err) == -ENOENT);
    EB_CHECKF(strcmp(err, "/nonexistent/r.json: cannot open: No such file or directory") == 0, "%s",
              err);
    const char *dir = fixture("", path, sizeof path);
    EB_CHECK(eb_results_load_file(dir, 0, &doc, err, sizeof err) == -EISDIR);
    EB_CHECKF(strstr(err, ": cannot read: Is a directory") != NULL, "%s", err);

    /* libbenchmark's own document (execbench-micro, 5 repetitions): %.16e
     * doubles, aggregates with run_name and aggregate_unit. */
    EB_REQUIRE(eb_results_load_file(fixture("micro-a.json", path, sizeof path), 0, &doc, err,
                                    sizeof err) == 0);
    EB_CHECK(doc.row_count == 45 && doc.error_rows == 0);
    EB_CHECK(strcmp(doc.rows[0].name, "micro.kernel/sumsq/n:1024") == 0);
    eb_results_free(&doc);

    EB_REQUIRE(eb_results_load_file(fixture("run-a.json", path, sizeof path), 0, &doc, err,
                                    sizeof err) == 0);
    EB_CHECK(doc.error_rows == 1 && strcmp(doc.preset, "quick") == 0);
    size_t points = 0;
    for (size_t i = 0; i < doc.row_count; i++)
        points += doc.rows[i].is_point;
    EB_CHECK(points == doc.row_count - 6); /* the micro rows are plain */
    eb_results_free(&doc);
}

EB_TEST(a_plan_document_reads_with_a_null_preset_and_says_how_its_run_went)
{
    /* execbench writes "preset": null for a plan built from flags */
    const char *text = "{\"context\": {\"execbench\": {\"preset\": null, \"points_planned\": 3,"
                       " \"points_run\": 1, \"interrupted\": true, \"interrupted_by\": \"SIGINT\","
                       " \"repeat_run\": {\"index\": 2, \"of\": 4}, \"timer_slack_ns\": null}},"
                       " \"benchmarks\": [{\"name\": \"BM_a\", \"real_time\": 1, \"cpu_time\": 1,"
                       " \"time_unit\": \"ns\"}]}";
    eb_results_doc doc;
    char err[EB_RESULTS_WHY_LEN], why[160];
    EB_REQUIRE(load(text, &doc, err) == 0 || (fprintf(stderr, "%s\n", err), false));
    EB_CHECK(strcmp(doc.preset, "") == 0 && doc.is_execbench);
    EB_CHECK(doc.interrupted && strcmp(doc.interrupted_by, "SIGINT") == 0);
    EB_CHECK(doc.points_planned == 3 && doc.points_run == 1);
    EB_CHECK(doc.repeat_index == 2 && doc.repeat_of == 4);
    EB_CHECK(strcmp(eb_results_interruption(&doc, why, sizeof why),
                    "interrupted by SIGINT after 1 of 3 points") == 0);
    eb_results_free(&doc);

    /* a plain Google Benchmark document knows none of it */
    EB_REQUIRE(load("{\"benchmarks\": [{\"name\": \"BM_a\", \"real_time\": 1, \"cpu_time\": 1,"
                    " \"time_unit\": \"ns\"}]}",
                    &doc, err) == 0);
    EB_CHECK(!doc.is_execbench && !doc.interrupted && doc.points_run == -1);
    EB_CHECK(strcmp(eb_results_interruption(&doc, why, sizeof why), "") == 0);
    eb_results_free(&doc);

    /* one point planned: singular; mistyped keys still refused */
    EB_REQUIRE(load("{\"context\": {\"execbench\": {\"points_planned\": 1, \"points_run\": 0,"
                    " \"interrupted\": true, \"interrupted_by\": \"SIGTERM\"}},"
                    " \"benchmarks\": [{\"name\": \"BM_a\", \"real_time\": 1, \"cpu_time\": 1,"
                    " \"time_unit\": \"ns\"}]}",
                    &doc, err) == 0);
    EB_CHECK(strcmp(eb_results_interruption(&doc, why, sizeof why),
                    "interrupted by SIGTERM after 0 of 1 point") == 0);
    eb_results_free(&doc);
    expect_error("{\"context\": {\"execbench\": {\"preset\": 3}}, \"benchmarks\": []}",
                 "t.json: context.execbench.preset is an integer, expected a string");
    expect_error("{\"context\": {\"execbench\": {\"points_run\": \"1\"}}, \"benchmarks\": []}",
                 "t.json: context.execbench.points_run is a string, expected an integer, 0 or "
                 "more");
    expect_error("{\"context\": {\"execbench\": {\"interrupted\": 1}}, \"benchmarks\": []}",
                 "t.json: context.execbench.interrupted is an integer, expected true or false");
    expect_error("{\"context\": {\"execbench\": {\"interrupted\": true, \"points_run\": 0,"
                 " \"points_planned\": 2, \"interrupted_by\": \"SIGINT\"}}, \"benchmarks\": []}",
                 "t.json: interrupted by SIGINT after 0 of 2 points: no results in it; run "
                 "execbench again");
}

EB_TEST(a_file_beyond_the_size_limit_is_refused_before_it_fills_memory)
{
    eb_results_doc doc;
    char err[EB_RESULTS_WHY_LEN];
    EB_CHECK(eb_results_load_file("/dev/zero", 4096, &doc, err, sizeof err) == -EFBIG);
    EB_CHECKF(strcmp(err, "/dev/zero: more than --max-input-bytes (4 KiB) to read: is it a "
                          "results document? raise the limit if it is") == 0,
              "%s", err);
    EB_CHECK(doc.rows == NULL);
    char buf[32];
    EB_CHECK(strcmp(eb_bytes_text((size_t)1 << 30, buf, sizeof buf), "1 GiB") == 0);
    EB_CHECK(strcmp(eb_bytes_text(1000, buf, sizeof buf), "1000 bytes") == 0);
    EB_CHECK(strcmp(eb_bytes_text(3 << 20, buf, sizeof buf), "3 MiB") == 0);
}
