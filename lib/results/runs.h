/* runs.h — a document's rows gathered into runs: every repetition of one
 * benchmark (an execbench point, or a plain Google Benchmark run) together,
 * error rows counted apart and never computed with. */
#ifndef EB_RUNS_H
#define EB_RUNS_H

#include "results.h"
#include "stats.h"

#include <jansson.h>
#include <regex.h>
#include <stdbool.h>

typedef struct eb_run {
    char *key;
    const eb_row *first;      /* its first row, for names and point fields */
    double *real_ns, *cpu_ns; /* usable iteration rows, in document order */
    const eb_row **rows;      /* those rows */
    size_t n, cap;
    const eb_row *agg_median; /* aggregate rows, used when no iteration row is usable */
    const eb_row *agg_cv;
    size_t errors; /* error rows */
    const eb_row *first_error;
    double ideal_ns; /* from the first row that has it; -1 when none does */
} eb_run;

typedef struct eb_run_set {
    eb_run *runs;
    size_t count, cap;
    json_t *index; /* key -> position in runs */
} eb_run_set;

typedef enum eb_run_keying {
    EB_KEY_BY_POINT, /* execbench points by workload, executor, workers, tasks, pin, params */
    EB_KEY_BY_NAME,  /* every run by its name (what compare.py pairs on) */
} eb_run_keying;

/* Gathers the rows of doc whose name matches filter (NULL: all). Returns 0 or -ENOMEM. */
int eb_runs_collect(const eb_results_doc *doc, const regex_t *filter, eb_run_keying keying,
                    eb_run_set *out);
void eb_runs_free(eb_run_set *set);

/* The run with this key, or NULL. */
const eb_run *eb_runs_find(const eb_run_set *set, const char *key);

/* What a run measured in real time. `from_repetitions` is false when only an
 * aggregate row was there (the document was written with aggregates only):
 * then min/max are unknown and n is the reported repetition count. */
typedef struct eb_run_figures {
    bool valid; /* false when the run has only error rows */
    bool from_repetitions;
    size_t n;
    double median_ns, min_ns, max_ns, cv;
    bool has_cv;
    double cpu_median_ns; /* the median of cpu_time; -1 when unknown */
} eb_run_figures;

void eb_run_figures_of(const eb_run *run, eb_run_figures *out);

/* The median over the run's usable repetitions of the number at `key` (a
 * counter: cold_run_ns, max_rss_per_task_bytes, ...), or its median
 * aggregate's when no repetition row is there: true with *out, false when
 * no row holds one (or out of memory). */
bool eb_run_number_median(const eb_run *run, const char *key, double *out);

/* The figures of the run whose rows have this run_name (an execbench point:
 * eb_results_point_run_name). False when it has no usable figures (only
 * error rows, or no rows). */
bool eb_results_run_figures(const eb_results_doc *doc, const char *run_name, eb_run_figures *out);

#endif
