/* figures.c — units and the figures drawn from medians (results.h): each
 * defined here once, for the runner, execbench-compare and, through
 * execbench-compare --format json, tools/plot.py. */
#include "results.h"
#include "runs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double eb_time_unit_ns(const char *unit)
{
    if (unit == NULL) return 0.0;
    if (strcmp(unit, "ns") == 0) return 1.0;
    if (strcmp(unit, "us") == 0) return 1e3;
    if (strcmp(unit, "ms") == 0) return 1e6;
    if (strcmp(unit, "s") == 0) return 1e9;
    return 0.0;
}

/* The one executor whose points are references. Documents name executors,
 * so this is where the name stands; the runner's registry marks the same
 * executor .reference (test_executors checks they agree). */
static const char reference_executor[] = "sequential";

const char *eb_reference_executor(void)
{
    return reference_executor;
}

bool eb_row_is_reference(const eb_row *row)
{
    return row->is_point && strcmp(row->executor, reference_executor) == 0;
}

double eb_speedup(double reference_median_ns, double median_ns)
{
    if (!(reference_median_ns > 0.0) || !(median_ns > 0.0)) return -1.0;
    return reference_median_ns / median_ns;
}

double eb_efficiency(double ideal_ns, double median_ns)
{
    if (!(ideal_ns >= 0.0) || !(median_ns > 0.0)) return -1.0;
    return ideal_ns / median_ns;
}

double eb_times_best(double best_median_ns, double median_ns)
{
    if (!(best_median_ns > 0.0) || !(median_ns > 0.0)) return -1.0;
    return median_ns / best_median_ns;
}

double eb_cpu_share(double cpu_ns, double real_ns)
{
    if (!(cpu_ns >= 0.0) || !(real_ns > 0.0)) return -1.0;
    return cpu_ns / real_ns;
}

bool eb_over_ideal_per_task_ns(double time_ns, double ideal_ns, int64_t tasks, double *out)
{
    if (!(ideal_ns >= 0.0) || !(time_ns > 0.0) || tasks <= 0) return false;
    *out = (time_ns - ideal_ns) / (double)tasks;
    return true;
}

int eb_paired_speedup(const double *reference_ns, const double *point_ns, size_t n, uint64_t seed,
                      eb_interval *out)
{
    double *per_round = malloc((n ? n : 1) * sizeof *per_round);
    if (per_round == NULL) return -ENOMEM;
    int rc = n > 0 ? 0 : -EINVAL;
    for (size_t k = 0; rc == 0 && k < n; k++)
        if ((per_round[k] = eb_speedup(reference_ns[k], point_ns[k])) < 0.0) rc = -EINVAL;
    if (rc == 0) rc = eb_stats_median_interval(per_round, n, seed, out);
    free(per_round);
    return rc;
}

int eb_fixed_ideal_efficiency(double ideal_ns, const double *point_ns, size_t n, uint64_t seed,
                              eb_interval *out)
{
    /* the median's interval, turned over: a fixed ideal over the median time,
     * and over each end of its interval */
    eb_interval t;
    int rc = eb_stats_median_interval(point_ns, n, seed, &t);
    if (rc != 0) return rc;
    *out = t;
    out->estimate = eb_efficiency(ideal_ns, t.estimate);
    if (out->estimate < 0.0) return -EINVAL;
    if (eb_interval_known(&t)) {
        out->low = eb_efficiency(ideal_ns, t.high);
        out->high = eb_efficiency(ideal_ns, t.low);
    }
    return 0;
}

/* What libbenchmark appends to a point's name: the job's own wall time is the
 * benchmark's manual time. */
static const char point_suffix[] = "/manual_time";

void eb_results_point_run_name(const char *point_name, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s", point_name, point_suffix);
}

const char *eb_results_point_name(const char *run_name, char *buf, size_t len)
{
    size_t n = strlen(run_name), s = sizeof point_suffix - 1;
    if (n > s && strcmp(run_name + n - s, point_suffix) == 0) n -= s;
    snprintf(buf, len, "%.*s", (int)n, run_name);
    return buf;
}
