/* merge.h — the run's one results document, built from what each point
 * process printed: parsed once into typed rows (lib/results), kept, and
 * written once at the end.
 *
 * Rows keep every key libbenchmark wrote (aggregates included); family_index
 * is renumbered so it is unique per point in the merged document, and each
 * row gets the point's keys from the plan (workload, executor, workers,
 * tasks, pin, cpuset, params). A point that crashed, hung or printed
 * something unusable becomes one error row with the same name. */
#ifndef EB_MERGE_H
#define EB_MERGE_H

#include "plan.h"
#include "point_memory.h"
#include "results.h"

typedef struct eb_doc {
    eb_results_doc results; /* the document */
    int64_t families;       /* the next family_index */
    size_t failed;          /* points that failed (an error row) */
    size_t points;          /* points added, failed or not */
    size_t others_failed;   /* error rows that are no point: the --micro step's */
} eb_doc;

/* An empty document labelled `label` (where it will go). 0 or -ENOMEM. */
int eb_doc_init(eb_doc *doc, const char *label);
void eb_doc_free(eb_doc *doc);

/* Adds a point's rows from its process's stdout. Returns 0, or -EINVAL with
 * `why` saying what is wrong when the output is not a usable document (then
 * nothing was added: the caller adds an error row), or -ENOMEM. A point whose
 * own rows report an error counts as failed. */
int eb_doc_add_point(eb_doc *doc, const eb_point *point, const char *text, size_t len, char *why,
                     size_t why_len);

/* A point process's report as a document (`part`): parsed leniently (it is
 * libbenchmark's), validated, every row named for `point`. 0, or -EINVAL
 * with `why` (part then empty), or -ENOMEM. */
int eb_doc_parse_point(const eb_point *point, const char *text, size_t len, eb_results_doc *part,
                       char *why, size_t why_len);

/* Adds the rows of `parts` (documents of the point: its repetitions, run one
 * by one in an interleaved run) under one family, in order; frees them. The
 * point counts as failed when one holds an error row. 0 or -ENOMEM. */
int eb_doc_add_parts(eb_doc *doc, const eb_point *point, eb_results_doc *parts, size_t n);

/* Adds the error row of a point that produced no usable document. */
void eb_doc_add_error(eb_doc *doc, const eb_point *point, const eb_settings *settings,
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

/* Adds the point's up-front memory estimate (point_memory.h) to each of its
 * rows: memory_estimate_bytes, memory_need_bytes, memory_limit,
 * memory_room_bytes. 0 or -ENOMEM. */
int eb_doc_set_memory(eb_doc *doc, const eb_point *point, const eb_point_memory *memory);

/* The point's median real time in ns, from its typed rows; false when it
 * failed or is absent. */
bool eb_doc_point_median_ns(const eb_doc *doc, const eb_point *point, double *ns);

/* The error message of the document's last row ("" when it has none). */
const char *eb_doc_last_error(const eb_doc *doc);

#endif
