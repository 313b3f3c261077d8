/* trend.h — `execbench-compare trend FILE... | DIR`: each benchmark's history
 * across many documents (runs), in the order of their dates or of the git
 * revisions that wrote them, and the runs where its level changed.
 *
 * A change, not every wiggle. A change is flagged at run k when, with W the
 * window (--window, default 3):
 *   1. the W runs before k and the W runs from k on differ significantly: the
 *      two-sided Mann-Whitney U test over their pooled repetitions, as diff
 *      tests two runs (lib/results/stats.h), gives p < alpha;
 *   2. their levels (the medians of the pooled repetitions) differ by more
 *      than --threshold percent;
 *   3. the level persists: the median of each of the W runs from k on is
 *      beyond the old level, and that of each of the W runs before k short
 *      of the new level, by half the threshold or more in the step's
 *      direction (one slow run among fast ones moves no level).
 * Where neighbouring boundaries pass too (a run beside the step that leans
 * towards the new level), the one with the smallest p is the change. The
 * before window never reaches back over an earlier change. The last
 * runs, fewer than W after a candidate step, cannot confirm one: when they
 * pass 1-3 against the W runs before them, the change is "pending" (named,
 * not flagged) until enough runs follow. Runs where a benchmark failed or is
 * absent are gaps in its history, skipped by the windows. */
#ifndef EB_TREND_H
#define EB_TREND_H

#include "report.h"
#include "results.h"

#include <regex.h>
#include <stdbool.h>

typedef enum eb_trend_order {
    EB_TREND_BY_DATE,     /* context.date (libbenchmark's), then the file name */
    EB_TREND_BY_REVISION, /* the commit in context's version, in git's history of --repo */
    EB_TREND_AS_GIVEN,    /* the order of the command line */
} eb_trend_order;

#define EB_TREND_DEFAULT_WINDOW 3
#define EB_TREND_DEFAULT_THRESHOLD_PCT 10.0
/* The coverage asked of each run's interval of its median. */
#define EB_TREND_INTERVAL_LEVEL 0.95

typedef struct eb_trend_options {
    eb_trend_order order;
    const char *repo;       /* --order revision: the git repository ("." when NULL) */
    double alpha;           /* the U test's significance level */
    double threshold_pct;   /* a smaller change of level is no change */
    size_t window;          /* runs on each side of a change */
    bool allow_interrupted; /* include documents of interrupted runs */
} eb_trend_options;

typedef struct eb_trend_outcome {
    size_t runs;    /* documents in the history */
    size_t changes; /* flagged changes */
    size_t pending; /* candidate changes the last runs cannot confirm yet */
} eb_trend_outcome;

/* Builds the report over docs (count >= 1, in the order given). Returns 0,
 * -ENOMEM, -ENOENT (the filter leaves nothing), or -EINVAL (a document has
 * no date or revision to order by; why says which). */
int eb_trend_build(const eb_results_doc *docs, size_t count, const regex_t *filter,
                   const eb_trend_options *opt, eb_report **out, eb_trend_outcome *outcome,
                   char *why, size_t why_len);

#endif
