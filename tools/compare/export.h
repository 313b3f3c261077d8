/* export.h — `execbench-compare export FILE`: a document as dashboard series.
 *
 * One value per benchmark: the median of its repetitions (smaller is better),
 * and per execbench point its ratios (bigger is better): the speedup over
 * the reference point of its group, and the efficiency against its ideal.
 * The figures are the summary report's (lib/report/summary.h), so a series
 * shows what `summary` shows. Error rows and points without a median are left
 * out and listed; aggregates (_mean, _cv, ...) never become series.
 *
 * Written as github-action-benchmark's custom formats (a JSON array of
 * {name, unit, value, range, extra}: customSmallerIsBetter takes the
 * medians, customBiggerIsBetter the ratios) or as one CSV of every series. */
#ifndef EB_EXPORT_H
#define EB_EXPORT_H

#include "results.h"

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum eb_export_format {
    EB_EXPORT_SMALLER, /* customSmallerIsBetter: the medians */
    EB_EXPORT_BIGGER,  /* customBiggerIsBetter: the ratios */
    EB_EXPORT_CSV,     /* every series, one row each */
} eb_export_format;

/* "customSmallerIsBetter", ...: false when `name` is no export format. */
bool eb_export_format_find(const char *name, eb_export_format *out);
/* "customSmallerIsBetter, customBiggerIsBetter or csv". */
const char *eb_export_format_names(void);

typedef struct eb_series {
    char *name;         /* the point's name ("cpu.sumsq/exec:threaded/...") + " speedup" */
    const char *metric; /* "median", "speedup", "efficiency" */
    const char *unit;   /* the row's time_unit, "x", "%" */
    double value;       /* in unit */
    bool bigger;        /* bigger is better (a ratio) */
    bool has_range;
    double lo, hi; /* min and max of the repetitions, in unit */
    int64_t n;     /* repetitions behind the median */
    char *extra;   /* one line on how it was measured */
} eb_series;

typedef struct eb_left_out {
    char *name;   /* the benchmark */
    char *reason; /* "error: timed out after 2 s", "no repetition rows and no median" */
} eb_left_out;

typedef struct eb_export {
    eb_series *series;
    size_t count, cap;
    eb_left_out *left_out;
    size_t left_count, left_cap;
    int64_t unplanned; /* points the plan had that left no row (an interrupted run) */
} eb_export;

/* Builds the series of doc (rows matching filter; NULL: all). 0, -ENOMEM, or
 * -ENOENT when the filter leaves nothing (why says so). */
int eb_export_build(const eb_results_doc *doc, const regex_t *filter, eb_export *out, char *why,
                    size_t why_len);
void eb_export_free(eb_export *ex);

/* Writes the series of `format`. 0, -ENOMEM, or -EIO on a write error. */
int eb_export_write(const eb_export *ex, eb_export_format format, FILE *out);

/* How many series `format` writes. */
size_t eb_export_count(const eb_export *ex, eb_export_format format);

#endif
