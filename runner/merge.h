/* merge.h — the one results document (RESULTS-FORMAT.md), built with jansson
 * from what each point process printed.
 *
 * Rows keep every key libbenchmark wrote (aggregates included); the runner
 * renumbers family_index so it is unique per point in the merged document and
 * adds the structured keys from its own plan (workload, executor, workers,
 * tasks, pin, cpuset, params). A point that crashed, hung or printed
 * something unusable becomes one error row with the same name. */
#ifndef EB_MERGE_H
#define EB_MERGE_H

#include "plan.h"

#include <jansson.h>

typedef struct eb_doc {
    json_t *root;         /* {"context": {...}, "benchmarks": [...]} */
    bool gb_context;      /* the context came from libbenchmark in a point process */
    json_int_t families;  /* the next family_index */
    size_t failed;        /* points that failed (an error row) */
    size_t points;        /* points added, failed or not */
    size_t others_failed; /* error rows that are no point: the --micro step's */
} eb_doc;

int eb_doc_init(eb_doc *doc);
void eb_doc_free(eb_doc *doc);
json_t *eb_doc_context(eb_doc *doc);
json_t *eb_doc_execbench(eb_doc *doc); /* context.execbench, created on first use */
json_t *eb_doc_rows(eb_doc *doc);

/* Adds a point's rows from its process's stdout. Returns 0, or -EINVAL with
 * `why` saying what is wrong when the output is not a usable document (then
 * nothing was added: the caller adds an error row). A point whose own rows
 * report an error counts as failed. */
int eb_doc_add_point(eb_doc *doc, const eb_point *point, const char *text, size_t len, char *why,
                     size_t why_len);

/* Adds the error row of a point that produced no usable document. */
void eb_doc_add_error(eb_doc *doc, const eb_point *point, const eb_plan_settings *settings,
                      const char *message);

/* Adds the rows of a plain Google Benchmark document (execbench-micro), each
 * name prefixed by `prefix` unless it already starts with it, family indexes
 * continuing the document's. 0, or -EINVAL with `why`. Its error rows count
 * in others_failed, not as points. */
int eb_doc_add_foreign(eb_doc *doc, const char *text, size_t len, const char *prefix, char *why,
                       size_t why_len);
/* An error row named `name` (e.g. "micro/execbench-micro"), counted in
 * others_failed. */
void eb_doc_add_named_error(eb_doc *doc, const char *name, const char *message);

/* The structured keys of a point, set on `row`. */
void eb_point_describe_row(json_t *row, const eb_point *point);

/* The point's median real time in ns from its rows (its median aggregate, or
 * its only repetition); false when it failed or is absent. */
bool eb_doc_point_median_ns(eb_doc *doc, const char *point_name, double *ns);

/* ns per unit of a row's time_unit ("ns", "us", "ms", "s"); 0 if unknown. */
double eb_time_unit_ns(const char *unit);

#endif
