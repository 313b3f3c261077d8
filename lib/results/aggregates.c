/* aggregates.c — Google Benchmark's aggregate rows, computed over a run's
 * repetition rows (results.h: eb_results_add_aggregates). An interleaved run
 * times each repetition in a libbenchmark run of its own, so libbenchmark
 * never sees the repetitions together: the runner adds the aggregates here,
 * with libbenchmark 1.7.1's formulas (src/statistics.cc) and its row shape,
 * so that its tools (compare.py) read the document as one of its own. */
#include "results.h"

#include "internal.h"
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum agg { AGG_MEAN, AGG_MEDIAN, AGG_STDDEV, AGG_CV, AGG_COUNT } agg;
static const char *const agg_names[AGG_COUNT] = {"mean", "median", "stddev", "cv"};

/* statistics.cc: StatisticsMean, StatisticsMedian, StatisticsStdDev, StatisticsCV. */
static double mean_of(const double *v, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    return sum * (1.0 / (double)n);
}

static double stddev_of(const double *v, size_t n)
{
    if (n < 2) return 0.0;
    double mean = mean_of(v, n), squares = 0.0;
    for (size_t i = 0; i < n; i++)
        squares += v[i] * v[i];
    double avg_squares = squares * (1.0 / (double)n);
    double var = (double)n / ((double)n - 1.0) * (avg_squares - mean * mean);
    return var < 0.0 ? 0.0 : sqrt(var);
}

static double statistic(agg a, const double *v, size_t n)
{
    switch (a) {
    case AGG_MEAN:
        return mean_of(v, n);
    case AGG_MEDIAN:
        return eb_stats_median(v, n);
    case AGG_STDDEV:
        return stddev_of(v, n);
    case AGG_CV: {
        /* libbenchmark divides 0 by 0 here and prints NaN; the document holds
         * the cv of a constant series, 0 (what its lenient reading makes of it). */
        double mean = mean_of(v, n);
        return n < 2 || mean == 0.0 ? 0.0 : stddev_of(v, n) / mean;
    }
    case AGG_COUNT:
        break;
    }
    return NAN;
}

/* Keys an aggregate does not copy from the first repetition: one
 * repetition's own, and what follows worker_pus, set with it. */
static bool not_copied(const char *key)
{
    static const char *const keys[] = {
        EB_KEY_REPETITION_INDEX, EB_KEY_ROUND,     EB_KEY_START_NS,   EB_KEY_STEAL_NS,
        EB_KEY_FOREIGN_CPU_NS,   EB_KEY_DISTURBED, EB_KEY_AA_REAL_NS, EB_KEY_MAX_RSS_PER_TASK_BYTES,
        EB_KEY_WORKER_PUS_VARIED};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (strcmp(key, keys[i]) == 0) return true;
    return false;
}

static bool is_counter(const char *key)
{
    for (unsigned k = 0; k < eb_key_count; k++)
        if (eb_keys[k].scope == EB_SCOPE_ROW &&
            (eb_keys[k].kind == EB_KIND_COUNTER || eb_keys[k].kind == EB_KIND_COUNTER_INT) &&
            strcmp(eb_keys[k].name, key) == 0)
            return true;
    return false;
}

/* The values of `key` over the rows (a time in the rows' unit, a counter as is). */
static bool values_of(eb_results_doc *doc, const size_t *rows, size_t n, const char *key,
                      double *out)
{
    for (size_t i = 0; i < n; i++)
        if (!eb_row_number(&doc->rows[rows[i]], key, &out[i])) return false;
    return true;
}

/* The map every repetition agreed on, else NULL (then the first's is shown,
 * worker_pus_varied says so: the point process's rule, point.h). */
static bool pus_varied(eb_results_doc *doc, const size_t *rows, size_t n)
{
    const json_t *first = json_object_get(doc->rows[rows[0]].json, EB_KEY_WORKER_PUS);
    for (size_t i = 1; i < n; i++)
        if (!json_equal(first, json_object_get(doc->rows[rows[i]].json, EB_KEY_WORKER_PUS)))
            return true;
    return false;
}

static int put(json_t *obj, const char *key, json_t *value)
{
    return value != NULL && json_object_set_new(obj, key, value) == 0 ? 0 : -ENOMEM;
}

/* One aggregate row, keys in the order of the first repetition's, as
 * libbenchmark writes them. */
static json_t *aggregate_row(eb_results_doc *doc, const size_t *rows, size_t n, agg a,
                             double *scratch)
{
    const eb_row *first = &doc->rows[rows[0]];
    json_t *row = json_object();
    int rc = row != NULL ? 0 : -ENOMEM;
    bool cv = a == AGG_CV, varied = pus_varied(doc, rows, n);
    double rss = -1.0;
    const char *key;
    json_t *value;
    json_object_foreach(first->json, key, value)
    {
        if (rc != 0) break;
        if (not_copied(key)) continue;
        if (strcmp(key, EB_KEY_NAME) == 0) {
            char *name = NULL;
            if (asprintf(&name, "%s_%s", first->run_name, agg_names[a]) < 0) return NULL;
            rc = put(row, key, json_string(name));
            free(name);
        } else if (strcmp(key, EB_KEY_RUN_TYPE) == 0) {
            rc = put(row, key, json_string("aggregate"));
        } else if (strcmp(key, EB_KEY_THREADS) == 0) {
            rc = put(row, key, json_incref(value));
            if (rc == 0) rc = put(row, EB_KEY_AGGREGATE_NAME, json_string(agg_names[a]));
            if (rc == 0)
                rc = put(row, EB_KEY_AGGREGATE_UNIT, json_string(cv ? "percentage" : "time"));
        } else if (strcmp(key, EB_KEY_ITERATIONS) == 0) {
            rc = put(row, key, json_integer((json_int_t)n));
        } else if (strcmp(key, EB_KEY_REAL_TIME) == 0 || strcmp(key, EB_KEY_CPU_TIME) == 0 ||
                   is_counter(key)) {
            if (!values_of(doc, rows, n, key, scratch)) {
                rc = put(row, key, json_incref(value));
                continue;
            }
            double v = statistic(a, scratch, n);
            if (strcmp(key, EB_KEY_MAX_RSS_KIB) == 0) rss = v;
            rc = put(row, key, json_real(v));
        } else if (strcmp(key, EB_KEY_WORKER_PUS) == 0) {
            rc = put(row, key, json_incref(value));
            if (rc == 0 && varied) rc = put(row, EB_KEY_WORKER_PUS_VARIED, json_true());
            /* max_rss_per_task_bytes follows the map, as the point process writes it */
            if (rc == 0 && !cv && rss >= 0.0 && first->tasks > 0)
                rc = put(row, EB_KEY_MAX_RSS_PER_TASK_BYTES,
                         json_integer((json_int_t)llround(rss) * 1024 / first->tasks));
        } else {
            rc = put(row, key, json_incref(value));
        }
    }
    if (rc != 0) {
        json_decref(row);
        return NULL;
    }
    return row;
}

int eb_results_add_aggregates(eb_results_doc *doc, const char *run_name)
{
    size_t *rows = malloc((doc->row_count ? doc->row_count : 1) * sizeof *rows), n = 0;
    double *scratch = malloc((doc->row_count ? doc->row_count : 1) * sizeof *scratch);
    int rc = rows != NULL && scratch != NULL ? 0 : -ENOMEM;
    for (size_t i = 0; rc == 0 && i < doc->row_count; i++) {
        const eb_row *row = &doc->rows[i];
        if (row->run_type == EB_RUN_ITERATION && eb_row_usable(row) &&
            strcmp(row->run_name, run_name) == 0)
            rows[n++] = i;
    }
    /* libbenchmark aggregates two or more repetitions that did not fail. */
    for (agg a = AGG_MEAN; rc == 0 && n >= 2 && a < AGG_COUNT; a++) {
        json_t *row = aggregate_row(doc, rows, n, a, scratch);
        if (row == NULL) {
            rc = -ENOMEM;
            break;
        }
        rc = eb_results_append_row(doc, row);
        json_decref(row);
        if (rc == 0) rc = eb_row_integer_counters(doc, doc->row_count - 1);
    }
    free(rows);
    free(scratch);
    return rc;
}
