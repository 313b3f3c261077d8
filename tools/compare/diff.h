/* diff.h — `execbench-compare diff OLD NEW`: for every benchmark name in both
 * documents, old and new medians, the change, the two-sided Mann–Whitney U
 * p-value over the repetitions (as Google Benchmark's compare.py computes it),
 * a geometric-mean row, and the CI gate of --fail-above. When both documents
 * ran in rounds (--order interleaved), a second table compares each point's
 * speedup by its 95% interval: a change is one the intervals do not share. */
#ifndef EB_DIFF_H
#define EB_DIFF_H

#include "report.h"
#include "results.h"

#include <regex.h>
#include <stdbool.h>

typedef struct eb_diff_options {
    double alpha;          /* significance level of the U test (compare.py: 0.05) */
    bool fail_above_set;   /* --fail-above given */
    double fail_above_pct; /* a significant slowdown beyond this many percent fails */
    bool allow_missing;    /* --allow-missing: a benchmark without a result in NEW passes */
} eb_diff_options;

typedef struct eb_diff_outcome {
    size_t compared;    /* benchmarks in both documents */
    size_t over_limit;  /* significant slowdowns beyond --fail-above */
    char *gate_message; /* one line naming them when over_limit > 0 (caller frees) */
    /* Benchmarks with a result in OLD and none in NEW (an error row, or no row):
     * with --fail-above and without --allow-missing they fail the gate. */
    size_t lost;
    bool lost_fails;    /* they fail it */
    char *lost_message; /* one line naming them when lost > 0 (caller frees) */
} eb_diff_outcome;

/* Builds the report. Returns 0, -ENOMEM, or -ENOENT when no benchmark is in
 * both documents (why says so). */
int eb_diff_build(const eb_results_doc *old_doc, const eb_results_doc *new_doc,
                  const regex_t *filter, const eb_diff_options *opt, eb_report **out,
                  eb_diff_outcome *outcome, char *why, size_t why_len);

#endif
