/* test_compare_cli.c — execbench-compare as a user runs it: summary and diff
 * against golden files in every format, every bad-input class (one line on
 * stderr, exit 2), --fail-above both ways, --filter, colour only on a terminal
 * and never with NO_COLOR.
 *
 * Golden files: tests/fixtures/compare/golden/. After an intended change of the
 * output, EB_UPDATE_GOLDEN=1 ctest -R test_compare_cli.golden rewrites them;
 * review the diff before committing. */
#include "compare_run.h"
#include "eb_test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TIMEOUT_S 30.0

static void run_in_fixtures(const char *const *argv, run_stdout mode, bool no_color,
                            run_result *res)
{
    run_compare(argv, fixture_dir(), NULL, mode, no_color, TIMEOUT_S, res);
    EB_REQUIRE(!res->timed_out);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    char *buf = NULL;
    size_t n = 0;
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf = realloc(buf, n + got + 1);
        EB_REQUIRE(buf != NULL);
        memcpy(buf + n, chunk, got);
        n += got;
    }
    fclose(f);
    if (buf == NULL) buf = calloc(1, 1);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The first line where a and b differ, for the failure message. */
static void show_first_difference(const char *got, const char *want)
{
    size_t line = 1;
    const char *g = got, *w = want;
    while (*g && *g == *w) {
        if (*g == '\n') line++;
        g++, w++;
    }
    const char *gl = g, *wl = w;
    while (gl > got && gl[-1] != '\n')
        gl--;
    while (wl > want && wl[-1] != '\n')
        wl--;
    fprintf(stderr, "  first difference at line %zu:\n  got:  %.*s\n  want: %.*s\n", line,
            (int)strcspn(gl, "\n"), gl, (int)strcspn(wl, "\n"), wl);
}

typedef struct golden_case {
    const char *golden;
    const char *argv[8];
    int status;
} golden_case;

static const golden_case goldens[] = {
    {"summary-a.txt", {"summary", "run-a.json"}, 0},
    {"summary-a.md", {"--format", "markdown", "summary", "run-a.json"}, 0},
    {"summary-a.csv", {"--format", "csv", "summary", "run-a.json"}, 0},
    {"summary-a.json", {"--format", "json", "summary", "run-a.json"}, 0},
    {"summary-ab.txt", {"summary", "run-a.json", "run-b.json"}, 0},
    {"summary-ab.md", {"--format", "markdown", "summary", "run-a.json", "run-b.json"}, 0},
    {"summary-filter.txt",
     {"--filter", "io\\.sleep/exec:(threaded|coroutine)", "summary", "run-a.json"},
     0},
    {"summary-micro.txt", {"summary", "micro-a.json"}, 0},
    {"summary-aggregates.txt", {"summary", "micro-aggregates-only.json"}, 0},
    {"diff-ab.txt", {"diff", "run-a.json", "run-b.json"}, 0},
    {"diff-ab.md", {"--format", "markdown", "diff", "run-a.json", "run-b.json"}, 0},
    {"diff-ab.csv", {"--format", "csv", "diff", "run-a.json", "run-b.json"}, 0},
    {"diff-ab.json", {"--format", "json", "diff", "run-a.json", "run-b.json"}, 0},
    {"diff-ab-fail.txt", {"--fail-above", "10", "diff", "run-a.json", "run-b.json"}, 3},
    {"diff-micro.txt", {"diff", "micro-a.json", "micro-b.json"}, 0},
    {"diff-micro.md", {"--format", "markdown", "diff", "micro-a.json", "micro-b.json"}, 0},
    {"diff-single.txt", {"diff", "single-rep.json", "single-rep.json"}, 0},
    /* a plan from flags ("preset": null) with figures beyond their bound */
    {"summary-bound.txt", {"summary", "bound.json"}, 0},
    {"summary-bound.md", {"--format", "markdown", "summary", "bound.json"}, 0},
    {"summary-bound.csv", {"--format", "csv", "summary", "bound.json"}, 0},
    /* a run stopped by SIGINT after 1 of 9 points */
    {"summary-interrupted.txt", {"summary", "interrupted.json"}, 0},
    {"summary-interrupted.json", {"--format", "json", "summary", "interrupted.json"}, 0},
    {"diff-interrupted.txt", {"diff", "bound.json", "interrupted.json"}, 0},
    /* the gate: a benchmark crashed in NEW, another gone */
    {"diff-lost-fail.txt", {"--fail-above", "10", "diff", "run-a.json", "lost-new.json"}, 3},
    {"diff-lost-allowed.txt",
     {"--fail-above", "10", "--allow-missing", "diff", "run-a.json", "lost-new.json"},
     0},
    /* dashboard series (issue 17): every series as csv, and the action's two formats */
    {"export-b.csv", {"export", "run-b.json"}, 0},
    {"export-b-smaller.json", {"--format", "customSmallerIsBetter", "export", "run-b.json"}, 0},
    {"export-b-bigger.json", {"--format", "customBiggerIsBetter", "export", "run-b.json"}, 0},
    {"export-micro.json", {"--format", "customSmallerIsBetter", "export", "micro-a.json"}, 0},
    /* two runs: too few for a change, but their history side by side */
    {"trend-ab.txt", {"--order", "given", "trend", "run-a.json", "run-b.json"}, 0},
    {"trend-ab.json",
     {"--format", "json", "--order", "given", "trend", "run-a.json", "run-b.json"},
     0},
};

EB_TEST(golden_outputs)
{
    bool update = getenv("EB_UPDATE_GOLDEN") != NULL;
    for (size_t i = 0; i < sizeof goldens / sizeof goldens[0]; i++) {
        const golden_case *g = &goldens[i];
        run_result res;
        run_in_fixtures(g->argv, RUN_PIPE, false, &res);
        char path[4096];
        snprintf(path, sizeof path, "%s/golden/%s", fixture_dir(), g->golden);
        EB_CHECKF(res.status == g->status, "%s: exit %d, expected %d; stderr: %s", g->golden,
                  res.status, g->status, res.err);
        EB_CHECKF(g->status != 0 || res.err_len == 0, "%s: stderr not empty: %s", g->golden,
                  res.err);
        if (update) {
            FILE *f = fopen(path, "wb");
            EB_REQUIRE(f != NULL);
            fwrite(res.out, 1, res.out_len, f);
            fclose(f);
            fprintf(stderr, "updated %s\n", path);
        } else {
            size_t len = 0;
            char *want = read_file(path, &len);
            EB_CHECKF(want != NULL, "%s: no golden file (EB_UPDATE_GOLDEN=1 writes it)", path);
            if (want != NULL) {
                bool same = len == res.out_len && memcmp(want, res.out, len) == 0;
                EB_CHECKF(same, "%s: output differs from the golden file", g->golden);
                if (!same) show_first_difference(res.out, want);
            }
            free(want);
        }
        run_free(&res);
    }
}

/* ---- bad input --------------------------------------------------------------- */

/* Exit 2, nothing on stdout, exactly one line on stderr that starts with the
 * program's name and holds `expect`. */
static void expect_refusal(const char *const *argv, const char *expect)
{
    run_result res;
    run_in_fixtures(argv, RUN_PIPE, false, &res);
    EB_CHECKF(res.status == 2, "%s %s: exit %d, expected 2", argv[0], argv[1] ? argv[1] : "",
              res.status);
    EB_CHECKF(res.out_len == 0, "stdout not empty: %s", res.out);
    EB_CHECKF(count_lines(res.err) == 1, "stderr has %zu lines: %s", count_lines(res.err), res.err);
    EB_CHECKF(strncmp(res.err, "execbench-compare: ", 19) == 0, "stderr: %s", res.err);
    EB_CHECKF(strstr(res.err, expect) != NULL, "\n  stderr: %s  expected to hold: %s", res.err,
              expect);
    run_free(&res);
}

EB_TEST(bad_input_classes)
{
    static const struct {
        const char *file, *expect;
    } cases[] = {
        /* unreadable */
        {"no-such-file.json", "no-such-file.json: cannot open: No such file or directory"},
        {"bad", "bad: cannot read: Is a directory"},
        /* invalid JSON, with jansson's line and column */
        {"bad/empty.json", "bad/empty.json: empty file"},
        {"bad/trailing-comma.json", "bad/trailing-comma.json:4:3: invalid JSON: unexpected token"},
        {"bad/nan-counter.json", "bad/nan-counter.json:19:28: invalid JSON: invalid token near "
                                 "'NaN'; libbenchmark 1.7.1 writes"},
        {"bad/truncated.json", "bad/truncated.json:34:26: invalid JSON: premature end of input"},
        {"bad/text-file.json", "bad/text-file.json:1:4: invalid JSON: invalid token near 'This'"},
        /* valid JSON, not a results document */
        {"bad/not-results-array.json", "not a results document: the top level is an array"},
        {"bad/no-benchmarks.json", "not a results document: no \"benchmarks\" array"},
        /* missing or mistyped fields */
        {"bad/missing-name.json", "bad/missing-name.json: benchmarks[1]: no \"name\" (a string)"},
        {"bad/mistyped-real-time.json",
         "benchmarks[0] (\"BM_a\"): \"real_time\" is a string, expected a number"},
        {"bad/mistyped-workers.json", "\"workers\" is a string, expected an integer"},
        {"bad/bad-time-unit.json", "\"time_unit\" is \"minutes\", expected ns, us, ms or s"},
        /* empty benchmarks */
        {"bad/empty-benchmarks.json", "bad/empty-benchmarks.json: \"benchmarks\" is empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *summary[] = {"summary", cases[i].file, NULL};
        expect_refusal(summary, cases[i].expect);
        /* the same file as either side of a diff, the other side good */
        const char *diff_old[] = {"diff", cases[i].file, "run-a.json", NULL};
        expect_refusal(diff_old, cases[i].expect);
        const char *diff_new[] = {"diff", "run-a.json", cases[i].file, NULL};
        expect_refusal(diff_new, cases[i].expect);
    }
}

EB_TEST(unreadable_file)
{
    if (geteuid() == 0)
        EB_SKIP("root reads files whatever their mode; bad_input_classes covers a directory");
    char path[] = "/tmp/eb_compare_unreadable_XXXXXX";
    int fd = mkstemp(path);
    EB_REQUIRE(fd >= 0);
    close(fd);
    EB_REQUIRE(chmod(path, 0) == 0);
    const char *argv[] = {"summary", path, NULL};
    expect_refusal(argv, ": cannot open: Permission denied");
    unlink(path);
}

EB_TEST(bad_usage)
{
    static const struct {
        const char *argv[6];
        const char *expect;
    } cases[] = {
        {{NULL}, "no command: use summary, diff, export or trend"},
        {{"frobnicate", "run-a.json"}, "unknown command 'frobnicate'"},
        {{"summary"}, "summary needs at least one FILE"},
        {{"diff", "run-a.json"}, "diff needs exactly two files"},
        {{"diff", "run-a.json", "run-b.json", "micro-a.json"}, "diff needs exactly two files"},
        {{"--format", "xml", "summary", "run-a.json"}, "--format 'xml' is not a format"},
        {{"--format"}, "--format needs a value"},
        {{"--bogus", "summary", "run-a.json"}, "unknown option '--bogus'"},
        {{"--alpha", "2", "diff", "run-a.json", "run-b.json"}, "--alpha '2' must be a number"},
        {{"--fail-above", "ten", "diff", "run-a.json", "run-b.json"}, "--fail-above 'ten'"},
        {{"--fail-above", "5", "summary", "run-a.json"}, "belong to diff, not summary"},
        {{"--filter", "(", "summary", "run-a.json"}, "--filter '(' is not a POSIX extended regex"},
        {{"--filter", "no-such-benchmark", "summary", "run-a.json"},
         "--filter matches no benchmark in run-a.json"},
        {{"--filter", "micro", "diff", "run-a.json", "single-rep.json"},
         "no benchmark name is in both run-a.json and single-rep.json (after --filter)"},
        {{"--allow-missing", "diff", "run-a.json", "run-b.json"},
         "--allow-missing relaxes the --fail-above gate; give --fail-above too"},
        {{"--fail-above", "5", "--allow-missing", "summary", "run-a.json"},
         "belong to diff, not summary"},
        {{"export", "run-a.json", "run-b.json"}, "export takes one FILE"},
        {{"--format", "console", "export", "run-b.json"},
         "--format 'console' is not an export format: use customSmallerIsBetter, "
         "customBiggerIsBetter or csv"},
        {{"--format", "customSmallerIsBetter", "summary", "run-b.json"},
         "--format 'customSmallerIsBetter' is not a format"},
        {{"--allow-interrupted", "summary", "run-a.json"},
         "--allow-interrupted belongs to export and trend, not summary"},
        {{"--order", "date", "diff", "run-a.json", "run-b.json"},
         "--order, --repo, --threshold and --window belong to trend, not diff"},
        {{"--order", "alphabet", "trend", "run-a.json"}, "--order 'alphabet' is not an order"},
        {{"--window", "1", "trend", "run-a.json"}, "--window '1' must be a whole number of runs"},
        {{"--window", "2.5", "trend", "run-a.json"}, "--window '2.5' must be a whole number"},
        {{"--threshold", "-1", "trend", "run-a.json"}, "--threshold '-1' must be a percentage"},
        {{"--repo", ".", "trend", "run-a.json"}, "--repo is where --order revision reads"},
        {{"--alpha", "0.01", "export", "run-b.json"}, "--alpha belongs to diff and trend"},
        {{"trend"}, "trend needs FILE... or a folder"},
        {{"--order", "revision", "trend", "single-rep.json"},
         "single-rep.json: its version '' names no git revision"},
        {{"--max-input-bytes", "0", "summary", "run-a.json"},
         "--max-input-bytes '0' must be a size above 0"},
        {{"--max-input-bytes", "1X", "summary", "run-a.json"}, "--max-input-bytes '1X'"},
        {{"--max-input-bytes", "-5", "summary", "run-a.json"}, "--max-input-bytes '-5'"},
        {{"--max-input-bytes", "99999999999999999999", "summary", "run-a.json"},
         "--max-input-bytes '99999999999999999999'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_refusal(cases[i].argv, cases[i].expect);

    run_result res;
    const char *help[] = {"--help", NULL};
    run_in_fixtures(help, RUN_PIPE, false, &res);
    EB_CHECK(res.status == 0 && strstr(res.out, "usage: execbench-compare") != NULL);
    EB_CHECK(strstr(res.out, "--fail-above PCT") != NULL);
    EB_CHECK(strstr(res.out, "--allow-missing") != NULL);
    EB_CHECK(strstr(res.out, "--max-input-bytes N") != NULL);
    EB_CHECK(strstr(res.out, "3 --fail-above: a benchmark with a result in OLD has none in") !=
             NULL);
    EB_CHECK(strstr(res.out, "export FILE") != NULL &&
             strstr(res.out, "trend FILE...|DIR") != NULL);
    EB_CHECK(strstr(res.out, "customSmallerIsBetter") != NULL);
    run_free(&res);
}

/* ---- the CI gate ------------------------------------------------------------- */

static int gate(const char *const *argv, run_result *res)
{
    run_in_fixtures(argv, RUN_PIPE, false, res);
    return res->status;
}

/* run-a and run-b do not hold the same points (one each is missing from the
 * other), which fails the gate with exit 3 (a_benchmark_without_a_result_in_new_
 * fails_the_gate); --allow-missing leaves the slowdowns alone to decide here. */
EB_TEST(fail_above_both_ways)
{
    run_result res;
    /* multiprocess 2 workers is +20.33% slower, p = 0.0079 (5 vs 5, fully apart). */
    const char *over[] = {"--fail-above", "10", "--allow-missing", "diff", "run-a.json",
                          "run-b.json",   NULL};
    EB_CHECK(gate(over, &res) == 1);
    EB_CHECKF(count_lines(res.err) == 1 &&
                  strstr(res.err, "execbench-compare: 1 significant slowdown beyond "
                                  "--fail-above 10%: cpu.sumsq/exec:multiprocess/tasks:20/"
                                  "workers:2/n:5000000/pin:compact/manual_time (+20.33%, "
                                  "p=0.0079)") != NULL,
              "stderr: %s", res.err);
    EB_CHECK(strstr(res.out, "FAILED") != NULL); /* the report says it too */
    run_free(&res);

    const char *under[] = {"--fail-above", "25", "--allow-missing", "diff", "run-a.json",
                           "run-b.json",   NULL};
    EB_CHECK(gate(under, &res) == 0);
    EB_CHECK(res.err_len == 0 && strstr(res.out, "passed") != NULL);
    run_free(&res);

    /* Backwards, threaded 2 workers is the significant slowdown (+3.15%). */
    const char *back[] = {"--fail-above", "2", "--allow-missing", "diff", "run-b.json",
                          "run-a.json",   NULL};
    EB_CHECK(gate(back, &res) == 1);
    EB_CHECKF(strstr(res.err, "cpu.sumsq/exec:threaded/tasks:20/workers:2/") != NULL &&
                  strstr(res.err, "multiprocess") == NULL,
              "stderr: %s", res.err);
    run_free(&res);

    /* Above the threshold but not significant (coroutine: +0.20%, p = 0.53): passes. */
    const char *noise[] = {"--filter",     "io.sleep/exec:coroutine",
                           "--fail-above", "0.1",
                           "diff",         "run-a.json",
                           "run-b.json",   NULL};
    EB_CHECK(gate(noise, &res) == 0);
    EB_CHECKF(strstr(res.out, "+0.20%") != NULL, "%s", res.out);
    run_free(&res);

    /* A stricter alpha turns the 5 vs 5 slowdown (p = 0.0079) into noise. */
    const char *strict[] = {"--alpha", "0.005",      "--fail-above", "10", "--allow-missing",
                            "diff",    "run-a.json", "run-b.json",   NULL};
    EB_CHECK(gate(strict, &res) == 0);
    run_free(&res);

    /* One repetition a side: no U test, nothing can fail the gate. */
    const char *single[] = {"--fail-above",    "0", "diff", "single-rep.json",
                            "single-rep.json", NULL};
    EB_CHECK(gate(single, &res) == 0);
    EB_CHECK(strstr(res.out, "untested benchmarks cannot fail it") != NULL);
    run_free(&res);
}

/* lost-new.json is run-a.json run again, with io.sleep threaded 8 workers an
 * error row and io.sleep multiprocess 2 workers gone: the gate must fail on
 * both (exit 3, one line naming them), unless --allow-missing. */
EB_TEST(a_benchmark_without_a_result_in_new_fails_the_gate)
{
    run_result res;
    const char *lost[] = {"--fail-above", "10", "diff", "run-a.json", "lost-new.json", NULL};
    EB_CHECK(gate(lost, &res) == 3);
    EB_CHECKF(count_lines(res.err) == 1 &&
                  strstr(res.err, "execbench-compare: --fail-above 10%: 2 benchmarks with a "
                                  "result in run-a.json have none in lost-new.json: "
                                  "io.sleep/exec:threaded/tasks:160/workers:8/latency_us:10000/"
                                  "pin:compact/manual_time (error: worker 5 killed by signal 6 "
                                  "(SIGABRT) in task 12), io.sleep/exec:multiprocess/tasks:160/"
                                  "workers:2/latency_us:10000/pin:compact/manual_time "
                                  "(missing); if that is expected, pass --allow-missing") != NULL,
              "stderr: %s", res.err);
    EB_CHECKF(strstr(res.out, "--fail-above 10%: FAILED: 2 benchmarks with a result in OLD") !=
                  NULL,
              "%s", res.out);
    /* the error row in both (multiprocess 160) was never a result: not lost */
    EB_CHECK(strstr(res.err, "workers:160") == NULL);
    run_free(&res);

    const char *allowed[] = {"--fail-above",  "10", "--allow-missing", "diff", "run-a.json",
                             "lost-new.json", NULL};
    EB_CHECK(gate(allowed, &res) == 0);
    EB_CHECKF(res.err_len == 0 &&
                  strstr(res.out, "--fail-above 10%: allowed: 2 benchmarks") != NULL,
              "%s%s", res.out, res.err);
    run_free(&res);

    /* no gate asked for: a report, exit 0 */
    const char *report[] = {"diff", "run-a.json", "lost-new.json", NULL};
    EB_CHECK(gate(report, &res) == 0 && res.err_len == 0);
    run_free(&res);

    /* a lost benchmark and a slowdown: 3 wins, and both are said */
    const char *both[] = {"--fail-above", "10", "diff", "run-a.json", "run-b.json", NULL};
    EB_CHECK(gate(both, &res) == 3);
    EB_CHECKF(count_lines(res.err) == 2 && strstr(res.err, "(missing)") != NULL &&
                  strstr(res.err, "1 significant slowdown beyond --fail-above 10%") != NULL,
              "stderr: %s", res.err);
    run_free(&res);

    /* a document against itself loses nothing */
    const char *same[] = {"--fail-above", "10", "diff", "lost-new.json", "lost-new.json", NULL};
    EB_CHECK(gate(same, &res) == 0);
    run_free(&res);
}

/* ---- input size -------------------------------------------------------------- */

EB_TEST(input_beyond_max_input_bytes_is_refused_in_one_line)
{
    /* a device that never ends, by path and on standard input */
    const char *zero[] = {"--max-input-bytes", "1M", "summary", "/dev/zero", NULL};
    expect_refusal(zero, "execbench-compare: /dev/zero: more than --max-input-bytes (1 MiB) to "
                         "read: is it a results document? raise the limit if it is");
    run_result res;
    const char *from_stdin[] = {"--max-input-bytes", "64K", "diff", "single-rep.json", "-", NULL};
    run_compare(from_stdin, fixture_dir(), "/dev/zero", RUN_PIPE, false, TIMEOUT_S, &res);
    EB_CHECKF(res.status == 2 && count_lines(res.err) == 1 &&
                  strstr(res.err, "-: more than --max-input-bytes (64 KiB) to read") != NULL,
              "exit %d: %s", res.status, res.err);
    run_free(&res);

    /* a regular file says its size: refused before it is read */
    char path[] = "/tmp/eb_compare_large_XXXXXX";
    int fd = mkstemp(path);
    EB_REQUIRE(fd >= 0 && ftruncate(fd, (1 << 20) + 1) == 0);
    close(fd);
    const char *large[] = {"--max-input-bytes", "1MiB", "summary", path, NULL};
    expect_refusal(large, ": 1048577 bytes, more than --max-input-bytes (1 MiB)");
    unlink(path);

    /* under the limit, read as always (run-a.json is 74851 bytes) */
    const char *fits[] = {"--max-input-bytes", "74851", "summary", "run-a.json", NULL};
    run_in_fixtures(fits, RUN_PIPE, false, &res);
    EB_CHECKF(res.status == 0, "exit %d: %s", res.status, res.err);
    run_free(&res);
    const char *tight[] = {"--max-input-bytes", "74850", "summary", "run-a.json", NULL};
    expect_refusal(tight, "run-a.json: 74851 bytes, more than --max-input-bytes (74850 bytes)");
}

/* The default: /dev/zero stops at 1 GiB, inside 1.5 GiB of address space (the
 * reader once grew without limit until the OOM killer ended it). */
EB_TEST(dev_zero_is_refused_at_the_default_limit_without_filling_memory)
{
#ifdef EB_SANITIZE_BUILD
    EB_SKIP("a sanitizer's shadow memory reserves terabytes of address space: RLIMIT_AS cannot "
            "bound this run");
#endif
    const char *zero[] = {"summary", "/dev/zero", NULL};
    run_result res;
    run_compare_limited(zero, fixture_dir(), NULL, RUN_PIPE, false, 120.0, (size_t)3 << 29, &res);
    EB_REQUIRE(!res.timed_out);
    EB_CHECKF(res.status == 2 && count_lines(res.err) == 1 &&
                  strcmp(res.err, "execbench-compare: /dev/zero: more than --max-input-bytes (1 "
                                  "GiB) to read: is it a results document? raise the limit if it "
                                  "is\n") == 0,
              "exit %d: %s", res.status, res.err);
    EB_CHECK(res.out_len == 0);
    run_free(&res);
}

/* ---- output and terminals --------------------------------------------------- */

EB_TEST(colour_only_on_a_terminal_without_no_color)
{
    const char *summary[] = {"summary", "run-a.json", NULL};
    const char *diff[] = {"diff", "run-a.json", "run-b.json", NULL};
    const char *markdown[] = {"--format", "markdown", "summary", "run-a.json", NULL};
    run_result res;

    run_in_fixtures(summary, RUN_PTY, false, &res);
    EB_CHECKF(res.status == 0 && strstr(res.out, "\033[1;32m") != NULL, "no colour on a tty");
    run_free(&res);
    run_in_fixtures(diff, RUN_PTY, false, &res);
    EB_CHECK(res.status == 0 && strstr(res.out, "\033[31mslower") != NULL);
    EB_CHECK(strstr(res.out, "\033[32mfaster") != NULL);
    run_free(&res);

    run_in_fixtures(summary, RUN_PTY, true, &res);
    EB_CHECKF(res.status == 0 && strchr(res.out, '\033') == NULL, "colour despite NO_COLOR");
    EB_CHECK(strstr(res.out, "cpu.sumsq") != NULL);
    run_free(&res);

    run_in_fixtures(summary, RUN_PIPE, false, &res);
    EB_CHECK(res.status == 0 && strchr(res.out, '\033') == NULL);
    run_free(&res);

    run_in_fixtures(markdown, RUN_PTY, false, &res);
    EB_CHECK(res.status == 0 && strchr(res.out, '\033') == NULL);
    run_free(&res);
}

EB_TEST(reads_standard_input_and_reports_write_errors)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/run-a.json", fixture_dir());
    const char *from_stdin[] = {"summary", "-", NULL};
    run_result res;
    run_compare(from_stdin, fixture_dir(), path, RUN_PIPE, false, TIMEOUT_S, &res);
    EB_CHECK(res.status == 0 && strstr(res.out, "results: - (101 rows") != NULL);
    run_free(&res);

    const char *summary[] = {"summary", "run-a.json", NULL};
    run_in_fixtures(summary, RUN_DEV_FULL, false, &res);
    EB_CHECK(res.status == 2);
    EB_CHECKF(count_lines(res.err) == 1 &&
                  strstr(res.err, "execbench-compare: cannot write the report: ") != NULL,
              "stderr: %s", res.err);
    run_free(&res);
}

EB_TEST(libbenchmark_documents_without_complaint)
{
    /* execbench-micro's own JSON (libbenchmark 1.7.1: %.16e doubles, aggregates,
     * "library_build_type": "debug"): read, summarised and diffed silently. */
    const char *cases[][4] = {
        {"summary", "micro-a.json", NULL},
        {"summary", "micro-a.json", "micro-b.json", NULL},
        {"diff", "micro-a.json", "micro-b.json", NULL},
        {"summary", "micro-aggregates-only.json", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result res;
        run_in_fixtures(cases[i], RUN_PIPE, false, &res);
        EB_CHECKF(res.status == 0 && res.err_len == 0, "%s %s: exit %d: %s", cases[i][0],
                  cases[i][1], res.status, res.err);
        EB_CHECK(strstr(res.out, "micro.kernel/sumsq/n:5000000") != NULL);
        run_free(&res);
    }
}
