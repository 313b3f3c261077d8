/* test_bound.c — a figure beyond its physical bound (lib/report/bound.h):
 * which figures are marked, the cause each kind of row shows, and the runner's
 * console table marking them exactly as execbench-compare does (its golden
 * file, which test_compare_cli checks the compare side against). */
#include "bound.h"
#include "eb_test.h"
#include "results.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

EB_TEST(only_a_figure_that_reads_above_100_percent_is_beyond_its_bound)
{
    /* execbench-compare shows "100.00%": 100.004% reads 100.00%, 100.005% reads 100.01% */
    EB_CHECK(!eb_beyond_bound(1.0, 1e-4));
    EB_CHECK(!eb_beyond_bound(1.00004, 1e-4));
    EB_CHECK(eb_beyond_bound(1.00006, 1e-4));
    EB_CHECK(eb_beyond_bound(2.15, 1e-4));
    EB_CHECK(!eb_beyond_bound(0.97, 1e-4));
    /* the runner shows "100.0%" */
    EB_CHECK(!eb_beyond_bound(1.0004, 1e-3));
    EB_CHECK(eb_beyond_bound(1.0006, 1e-3));
}

EB_TEST(with_an_interval_a_figure_is_beyond_its_bound_only_when_all_of_it_is)
{
    /* 101.3% [100.4-102.1]: all of it reads above 100.0%; 100.6% [99.2-101.9]: not */
    EB_CHECK(eb_beyond_bound_interval(1.004, 1e-3));
    EB_CHECK(!eb_beyond_bound_interval(0.992, 1e-3));
    EB_CHECK(!eb_beyond_bound_interval(1.0004, 1e-3)); /* its low end reads 100.0% */
}

static void cause(const eb_bound_rows *r, const char *expect)
{
    char buf[400];
    eb_bound_cause(r, buf, sizeof buf);
    EB_CHECKF(strcmp(buf, expect) == 0, "\n  got:      %s\n  expected: %s", buf, expect);
}

EB_TEST(each_cause_is_read_from_the_rows)
{
    /* The case: 2 workers at 215% because the sequential point ran 33 ms
     * of CPU in 50 ms of wall time. */
    cause(&(eb_bound_rows){.efficiency = 2.15,
                           .real_ns = 16.5e6,
                           .cpu_ns = 33e6,
                           .cv = 0.01,
                           .ref_real_ns = 50e6,
                           .ref_cpu_ns = 33e6,
                           .ref_cv = 0.01},
          "the sequential point's wall time is 52% above its CPU time: it waited for a CPU "
          "(descheduled), which inflates the ideal and the speedup drawn from it");
    /* The reference used 40 ms of CPU for work this point did in 30 ms of CPU. */
    cause(&(eb_bound_rows){.efficiency = 1.33,
                           .real_ns = 15e6,
                           .cpu_ns = 30e6,
                           .cv = 0.01,
                           .ref_real_ns = 40e6,
                           .ref_cpu_ns = 40e6,
                           .ref_cv = 0.01},
          "the sequential point spent 33% more CPU time than this point on the same work: its "
          "CPU ran slower (a busy host, a lower clock), which inflates the ideal and the "
          "speedup drawn from it");
    /* Waits: the reference's CPU time is near 0, so it says nothing of a CPU. */
    cause(&(eb_bound_rows){.efficiency = 1.001,
                           .real_ns = 9.99e6,
                           .cpu_ns = 0.4e6,
                           .cv = 0.0035,
                           .ref_real_ns = 1.6e9,
                           .ref_cpu_ns = 64e6,
                           .ref_cv = 0.0003},
          "0.10% over, within the spread of the repetitions (its CV 0.35%): noise");
    cause(&(eb_bound_rows){.efficiency = 1.05,
                           .real_ns = 19e6,
                           .cpu_ns = 0.8e6,
                           .cv = 0.0006,
                           .ref_real_ns = -1,
                           .ref_cpu_ns = -1,
                           .ref_cv = -1},
          "the rows show no cause; run the point again");
    /* Nothing known beyond the efficiency: no cause claimed. */
    cause(&(eb_bound_rows){.efficiency = 1.2,
                           .real_ns = -1,
                           .cpu_ns = -1,
                           .cv = -1,
                           .ref_real_ns = -1,
                           .ref_cpu_ns = -1,
                           .ref_cv = -1},
          "the rows show no cause; run the point again");
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    EB_REQUIRE(f != NULL);
    char *text = NULL;
    size_t cap = 0;
    ssize_t n = getdelim(&text, &cap, '\0', f);
    fclose(f);
    EB_REQUIRE(n > 0);
    return text;
}

EB_TEST(the_runner_table_marks_figures_beyond_their_bound_and_names_the_cause)
{
    const char *src = getenv("EB_SOURCE_DIR");
    EB_REQUIRE(src != NULL);
    char path[4096], golden[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/compare/bound.json", src);
    snprintf(golden, sizeof golden, "%s/tests/fixtures/compare/golden/summary-bound.txt", src);
    eb_results_doc doc;
    char why[EB_RESULTS_WHY_LEN];
    EB_REQUIRE(eb_results_load_file(path, 0, &doc, why, sizeof why) == 0);
    EB_REQUIRE(eb_results_set_label(&doc, "bound.json") == 0); /* as the golden run names it */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    EB_REQUIRE(f != NULL);
    eb_run_table(f, &doc);
    fclose(f);
    /* threaded 2 workers at n=5000000: 25 ms ideal over a 16.6 ms median, with
     * the intervals of its 5 repetitions wholly above the bound */
    EB_CHECKF(strstr(text, "3.01x [2.99-3.04] !") != NULL &&
                  strstr(text, "150.6% [149.7-151.5] !") != NULL,
              "%s", text);
    EB_CHECKF(strstr(text, "  ! threaded, 2 workers, 20 tasks, pin compact, n=5000000: 150.6% "
                           "[149.7-151.5] of the ideal: the sequential point's wall time is 52% "
                           "above its CPU time: it waited for a CPU (descheduled)") != NULL,
              "%s", text);
    EB_CHECKF(strstr(text, "  ! threaded, 2 workers, 20 tasks, pin compact, n=1000000: 133.3% "
                           "[132.5-134.2] of the ideal: the sequential point spent 33% more CPU "
                           "time than this point") != NULL,
              "%s", text);
    /* multiprocess 2 workers: 98.4%, within its bound, unmarked */
    EB_CHECKF(strstr(text, "98.4% [97.7-98.8]\n") != NULL && strstr(text, "98.8] !") == NULL, "%s",
              text);
    /* and all of it as execbench-compare summary prints the same document */
    char *expected = read_text(golden);
    EB_CHECKF(len == strlen(expected) + 1 && text[0] == '\n' && strcmp(text + 1, expected) == 0,
              "the runner's table:\n%s\nexecbench-compare's:\n%s", text, expected);
    free(expected);
    free(text);
    eb_results_free(&doc);
}
