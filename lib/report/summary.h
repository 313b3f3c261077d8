/* summary.h — the summary report: per workload, a table of executor x
 * workers with the median, spread, speedup over the reference point of the
 * same workload, tasks and params, efficiency against ideal_ns, and the
 * winner; several documents side by side. Plain Google Benchmark runs get a
 * table per family with median and spread. `execbench-compare summary FILE...`
 * prints it, and so does execbench at the end of a run (its console table). */
#ifndef EB_SUMMARY_H
#define EB_SUMMARY_H

#include "report.h"
#include "results.h"

#include <regex.h>

typedef struct eb_summary_options {
    const regex_t *filter; /* only rows whose name matches; NULL: all */
    bool points_only;      /* only execbench points (the runner: no micro.* tables) */
    /* A closing line naming the points whose repetitions varied by more than
     * EB_SUMMARY_NOISY_CV (the runner's end of run). */
    bool name_noisy_points;
} eb_summary_options;

/* The machine columns (csv and json keys) other readers of the report take
 * their figures from (execbench-compare export, tools/plot.py); with several
 * documents each is prefixed by the document's letter ("A.median_ns"). */
#define EB_SUMMARY_COL_MEDIAN_NS "median_ns"
#define EB_SUMMARY_COL_MIN_NS "min_ns"
#define EB_SUMMARY_COL_MAX_NS "max_ns"
#define EB_SUMMARY_COL_N "n"
#define EB_SUMMARY_COL_CV "cv"
#define EB_SUMMARY_COL_SPEEDUP "speedup"
#define EB_SUMMARY_COL_EFFICIENCY "efficiency"
#define EB_SUMMARY_COL_BEYOND "beyond_bound"
#define EB_SUMMARY_COL_STATUS "status"
#define EB_SUMMARY_COL_ERROR "error"

/* Above this coefficient of variation a median is read with care. */
#define EB_SUMMARY_NOISY_CV 0.10

/* Builds the report over docs (count >= 1); `opt` may be NULL (all rows, no
 * closing line). Returns 0, -ENOMEM, or -ENOENT when the filter left nothing
 * to show (why then says so). */
int eb_summary_build(const eb_results_doc *docs, size_t count, const eb_summary_options *opt,
                     eb_report **out, char *why, size_t why_len);

#endif
