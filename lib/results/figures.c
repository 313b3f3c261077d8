/* figures.c — units and the figures drawn from medians (results.h): each
 * defined here once, for the runner, execbench-compare and, through
 * execbench-compare --format json, tools/plot.py. */
#include "results.h"

#include <stdio.h>
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
