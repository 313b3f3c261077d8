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
    int64_t *round;           /* each one's round (interleaved runs), else -1 */
    double *aa_ns;            /* a reference's second run in that round, else -1 */
    size_t n, cap;
    const eb_row *agg_median; /* aggregate rows, used when no iteration row is usable */
    const eb_row *agg_cv;
    size_t errors; /* error rows */
    const eb_row *first_error;
    double ideal_ns;    /* from the first row that has it; -1 when none does */
    double ideal_share; /* the same for ideal_share (CPU work); -1 */
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

/* The reference run of a point's run in `set`: the reference executor's run
 * of the same workload, tasks and params, preferring the same pin; NULL when
 * there is none (or the run is no point). */
const eb_run *eb_runs_reference(const eb_run_set *set, const eb_run *run);

/* A point's speedup over its reference and its efficiency, each with its 95%
 * interval (stats.h). Interleaved rows (every repetition with its round) are
 * paired: per round, the reference's time over the point's in that round,
 * and the median of those ratios; otherwise the ratio of the two medians,
 * each side resampled on its own. A CPU efficiency is the speedup times the
 * ideal's share of the reference (ideal_share), so it is paired too; a
 * fixed ideal (waits) gives ideal / each repetition's time. */
typedef struct eb_ratios {
    eb_interval speedup;    /* estimate < 0 when unknown (no reference, no usable pair) */
    eb_interval efficiency; /* estimate < 0 when unknown (no ideal) */
    bool paired;
    bool reference; /* the run is its own reference: a speedup of 1 by definition */
} eb_ratios;

/* `reference` may be NULL (then no speedup); `seed` seeds the bootstrap. 0 or -ENOMEM. */
int eb_run_ratios(const eb_run *run, const eb_run *reference, uint64_t seed, eb_ratios *out);

/* The figures over arrays (figures.c), for the runner's stopping rule as for
 * the runs above. Paired: per k, eb_speedup(reference_ns[k], point_ns[k]);
 * their median and interval. -EINVAL when a time is not above 0. */
int eb_paired_speedup(const double *reference_ns, const double *point_ns, size_t n, uint64_t seed,
                      eb_interval *out);
/* A fixed ideal (waits): eb_efficiency(ideal_ns, the median of point_ns),
 * its interval the median's interval turned over. */
int eb_fixed_ideal_efficiency(double ideal_ns, const double *point_ns, size_t n, uint64_t seed,
                              eb_interval *out);

/* A reference run's A/A pair: per round, its first run's time over its
 * second's, the median and interval of those; estimate < 0 when the run has
 * no second runs (a blocked run). 0 or -ENOMEM. */
int eb_run_noise_floor(const eb_run *reference, uint64_t seed, eb_interval *out);

/* ---- an interleaved run's records (rounds.c) ----------------------------------- */

/* One sub-round: a group's points run once each (the reference twice), in
 * context.execbench.rounds. */
typedef struct eb_round_record {
    int64_t round;
    const char *group;
    int64_t start_ns, end_ns; /* from the run's start */
    size_t runs;
    const int64_t *run_order;   /* [runs] family indexes, in the order run (-1: none) */
    const int64_t *run_real_ns; /* [runs] wall times (-1: the run failed) */
    size_t probes;
    const int *probe_pus;                            /* [probes] */
    const int64_t *probe_before_ns, *probe_after_ns; /* [probes], -1 unknown */
    double probe_drift;                              /* < 0: not probed */
    int64_t capacity_ns, foreign_cpu_ns, steal_ns;
    bool disturbed, set_aside;
    const char *reasons; /* "; "-separated clauses, "" when not disturbed */
} eb_round_record;

int eb_results_add_round(eb_results_doc *doc, const eb_round_record *r);

/* One group of points paired against one reference, in context.execbench.groups. */
typedef struct eb_group_record {
    const char *group;
    const char *reference; /* its reference's run_name, or NULL */
    int64_t rounds_kept, rounds_set_aside;
    /* why it stopped: "target" (met), "repetitions" (no target, or nothing
     * to converge), "max-rounds", "time-budget", "failed", "interruption" */
    const char *stopped_by;
    eb_interval noise_floor; /* the reference's A/A pair; estimate < 0 when none */
} eb_group_record;

int eb_results_add_group(eb_results_doc *doc, const eb_group_record *g);

/* The row of run `run_name` with this aggregate_name ("" for its first
 * repetition row), or -1. */
long eb_results_find_row(const eb_results_doc *doc, const char *run_name, const char *aggregate);

#endif
