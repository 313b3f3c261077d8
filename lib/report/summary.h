/* summary.h — `execbench-compare summary FILE...`: per workload, a table of
 * executor x workers with the median, spread, speedup over the sequential point
 * of the same workload and tasks, efficiency against ideal_ns, and the winner;
 * several documents side by side. Plain Google Benchmark runs get a table per
 * family with median and spread. */
#ifndef EB_SUMMARY_H
#define EB_SUMMARY_H

#include "report.h"
#include "results_doc.h"

#include <regex.h>

/* Builds the report over docs (count >= 1). Returns 0, -ENOMEM, or -ENOENT
 * when the filter left nothing to show (err then says so). */
int eb_summary_build(const eb_results_doc *docs, size_t count, const regex_t *filter,
                     eb_report **out, char *err, size_t err_len);

#endif
