/* results.h — THE results document (docs/results-format.md): a Google
 * Benchmark JSON document, with execbench's keys when execbench wrote it.
 *
 * The one library that knows the document: its key names (keys.h), typed
 * rows read and written, one validator, units, the reference point of a
 * group, speedup and efficiency (figures.c), runs of repetitions and their
 * figures (runs.h), statistics (stats.h). execbench-compare reads documents
 * with it; the runner builds one with it — each point's output parsed once
 * into typed rows, kept, written once at the end — and the point process
 * enriches libbenchmark's report with it.
 *
 * A row is typed (eb_row) and backed by its JSON object in the document, so
 * every key libbenchmark writes survives, known or not, in its place; rows
 * are changed through the setters below, which keep both in step. Every
 * failure leaves a one-line message in `why` that says where (file:line:
 * column for syntax, the JSON path and the row's name for content) and what
 * to do. Error rows (error_occurred) are kept, flagged; eb_row_usable() tells
 * which rows may be computed with. */
#ifndef EB_RESULTS_H
#define EB_RESULTS_H

#include "keys.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum eb_run_type {
    EB_RUN_ITERATION = 0, /* one repetition (or the only run) */
    EB_RUN_AGGREGATE,     /* mean / median / stddev / cv / ... over repetitions */
} eb_run_type;

/* One entry of "benchmarks". Strings point into the document and live as long
 * as it does (a setter may move them: read them again after one). Optional
 * numbers are negative when absent. */
typedef struct eb_row {
    size_t index;         /* position in "benchmarks", for messages */
    const char *name;     /* "io.sleep/exec:coroutine/.../manual_time" */
    const char *run_name; /* name without the aggregate suffix */
    eb_run_type run_type;
    const char *aggregate_name; /* "median", ... for aggregates; "" otherwise */
    const char *aggregate_unit; /* "time" or "percentage" (cv); "" when absent */
    int64_t family_index;       /* -1 when absent */
    int64_t repetitions;        /* -1 when absent */
    int64_t repetition_index;   /* -1 when absent */
    int64_t iterations;         /* -1 when absent */
    int64_t threads;            /* -1 when absent */
    double real_time, cpu_time; /* as written, per iteration, in time_unit */
    double real_ns, cpu_ns;     /* the same in nanoseconds */
    const char *time_unit;      /* "ns", "us", "ms" or "s" */
    bool error_occurred;
    const char *error_message; /* "" when none */

    /* execbench's point description (docs/results-format.md); is_point says
     * whether the row carries one (rows of plain Google Benchmark documents
     * do not). */
    bool is_point;
    const char *workload, *executor, *pin; /* pin is "" when absent */
    int64_t workers, tasks;                /* workers is 0 for "unbounded" */
    const char *params;                    /* canonical "k=v,k=v" (keys sorted); "" if none */
    int64_t gil_interval_us;               /* 0: free threads (absent) */
    double ideal_ns, spawn_ns;             /* -1 when absent */
    /* the stack mode the point named (part of what tells points apart) and
     * the one its coroutines ran with; "" when absent */
    const char *coro_stack, *coro_stack_used;
    double ideal_share; /* CPU work: ideal_ns / the reference's time; -1 */

    /* An interleaved run's repetition: the round it ran in and, for a
     * reference point, the wall time of its second run in that round (the
     * A/A pair); -1 when absent (a blocked run, an older document). */
    int64_t round;
    double aa_real_ns;
    /* On an interleaved run's median row: whether every interval of the
     * point met --target-ci (-1 when not said), and its disturbed and redone
     * rounds (-1 when absent). */
    int converged;
    int64_t rounds_disturbed, rounds_redone;

    json_t *json; /* the row's object in the document: every key, known or not */
} eb_row;

typedef struct eb_results_doc {
    char *path;                                /* as given (for messages and labels) */
    json_t *root;                              /* the document; rows point into it */
    const char *host_name, *date, *executable; /* "" when absent */
    const char *preset; /* "" when absent or null (a plan built from flags) */

    /* context.execbench: how the run that wrote the document went. Counts are
     * -1 when absent (a plain Google Benchmark document has none of them). */
    bool is_execbench; /* context.execbench is there: execbench wrote it */
    bool interrupted;  /* a signal stopped the run: the rows are the points that finished */
    const char *interrupted_by; /* "SIGINT"; "" when absent */
    int64_t points_planned, points_run;
    int64_t repeat_index, repeat_of; /* --repeat-run: this run's index (1..of) and the count */
    /* The run's seed (--seed), which also seeds the bootstrap of every
     * interval drawn from the document; 1 when absent (execbench's default). */
    uint64_t seed;
    /* context.execbench.rounds of an interleaved run: its sub-rounds, those
     * found disturbed and, of those, the ones set aside (and run again);
     * -1 when the document has no rounds. */
    int64_t rounds, rounds_disturbed, rounds_set_aside;
    /* "0.1.0 (git abc1234)": context.execbench.version, or the execbench_version
     * execbench-micro gives libbenchmark's context; "" when absent. */
    const char *version;

    eb_row *rows;
    size_t row_count, row_cap;
    size_t error_rows; /* rows with error_occurred */
    char **strings;    /* strings the rows point to that are not in the JSON, owned */
    size_t string_count, string_cap;
} eb_results_doc;

/* Message buffers passed to the loaders should hold at least this much. */
#define EB_RESULTS_WHY_LEN 2048

/* The most a file may hold unless the caller says otherwise (execbench-compare's
 * --max-input-bytes): a results document of a million rows is under 1 GiB, and
 * a device that never ends (/dev/zero) must not fill the memory. */
#define EB_RESULTS_MAX_BYTES_DEFAULT ((size_t)1 << 30)

/* ---- reading ---------------------------------------------------------------- */

/* Loads and validates `path` ("-" reads standard input), reading at most
 * max_bytes (0: EB_RESULTS_MAX_BYTES_DEFAULT). Returns 0, -errno when the file
 * cannot be read, -EFBIG when it holds more than max_bytes, or -EINVAL when it
 * is not a valid results document; on failure `why` holds the one-line reason
 * (without the program's name). */
int eb_results_load_file(const char *path, size_t max_bytes, eb_results_doc *doc, char *why,
                         size_t why_len);

/* The same over a buffer already in memory; `label` names it in messages. */
int eb_results_load_buffer(const char *label, const char *data, size_t len, eb_results_doc *doc,
                           char *why, size_t why_len);

/* Parses what libbenchmark 1.7.1 prints, which is not always JSON: it prints a
 * non-finite double bare (its cv of an all-zero counter is 0/0). NaN becomes
 * 0.0 (the cv of a constant series), an infinity null. Returns the parsed
 * root, or NULL with `error` filled; `replaced` (may be NULL) counts the
 * rewrites. Validate it with eb_results_adopt. */
json_t *eb_results_parse_lenient(const char *text, size_t len, json_error_t *error,
                                 size_t *replaced);

/* Validates a parsed document and types its rows (the one validator every
 * reader goes through). Takes over `root` (freed on failure too). 0, or
 * -EINVAL / -ENOMEM with `why`. */
int eb_results_adopt(const char *label, json_t *root, eb_results_doc *doc, char *why,
                     size_t why_len);

/* Frees what a document holds; safe on a zeroed doc and twice. */
void eb_results_free(eb_results_doc *doc);

/* True when the row's times may be computed with: not an error row. */
static inline bool eb_row_usable(const eb_row *row)
{
    return !row->error_occurred;
}

/* A counter or other number of the row that eb_row does not type (spawn_ns,
 * max_rss_kib, ...): true with *out when the row holds a number there. */
bool eb_row_number(const eb_row *row, const char *key, double *out);

/* True for a cv aggregate, whose values are ratios whatever the time unit. */
bool eb_row_is_cv(const eb_row *row);

/* "interrupted by SIGINT after 1 of 3 points" (what the document says of its
 * run) into buf; "" when the run was not interrupted. Returns buf. */
const char *eb_results_interruption(const eb_results_doc *doc, char *buf, size_t len);

/* "1 GiB", "512 MiB", or "1000 bytes": a byte count as a limit reads best. */
const char *eb_bytes_text(size_t bytes, char *buf, size_t len);

/* ---- units and figures (figures.c): each defined here and nowhere else ------ */

/* Nanoseconds per `time_unit` ("ns", "us", "ms", "s"); 0 for NULL or a unit
 * Google Benchmark never writes. */
double eb_time_unit_ns(const char *unit);

/* The reference point of a group of points (the same workload, tasks and
 * params): the point of the reference executor, whose median a speedup
 * divides and a CPU ideal scales. Documents name it by its executor; the
 * executor registry marks the same executor `.reference` (a test holds the
 * two together). */
const char *eb_reference_executor(void);
bool eb_row_is_reference(const eb_row *row);

/* speedup = the reference's median / this median; efficiency = ideal / this
 * median. Both < 0 when unknown (a median or reference of 0 or less). */
double eb_speedup(double reference_median_ns, double median_ns);
double eb_efficiency(double ideal_ns, double median_ns);
/* The crossover's figures (issue 15): a point's median over the fastest
 * median of its group (1 for the fastest; the runner-up's over the fastest's
 * is by how much the fastest leads), and the share of a point's wall time
 * its CPU time is (the reference's: how much of the work computes). Both < 0
 * when unknown. */
double eb_times_best(double best_median_ns, double median_ns);
double eb_cpu_share(double cpu_ns, double real_ns);

/* What a point took per task above its ideal: (time - ideal) / tasks, in ns
 * (scale: the cost of a task, flat when it does not grow with the tasks).
 * False when unknown (no ideal, no tasks). */
bool eb_over_ideal_per_task_ns(double time_ns, double ideal_ns, int64_t tasks, double *out);

/* A point's run_name: its family name with libbenchmark's "/manual_time"
 * (the job's own wall time is the benchmark's manual time). */
void eb_results_point_run_name(const char *point_name, char *buf, size_t len);
/* And back: the point's name, its run_name without that suffix (a name
 * without it is returned as it is). Returns buf. */
const char *eb_results_point_name(const char *run_name, char *buf, size_t len);

/* ---- building (the runner) and changing (the point process) ----------------- */

/* An empty document: {"context": {}, "benchmarks": []}. 0 or -ENOMEM. */
int eb_results_init(eb_results_doc *doc, const char *label);

/* A new label (the path it was written to). 0 or -ENOMEM. */
int eb_results_set_label(eb_results_doc *doc, const char *label);

/* What a point's rows carry about it (docs/results-format.md). */
typedef struct eb_point_desc {
    const char *workload, *executor, *pin;
    const char *cpuset;     /* NULL unless pinned to a --cpuset list */
    const char *coro_stack; /* NULL unless the point names a stack mode */
    int64_t workers, tasks;
    size_t param_count;
    const char *const *param_keys;
    const int64_t *param_values;
    int64_t gil_interval_us; /* 0: free threads (no key written) */
} eb_point_desc;

/* Moves the rows of `part` (a point process's report, adopted) to the end of
 * `doc`, each given family_index `family`, per_family_instance_index 0 and the
 * point's keys. The first part's libbenchmark context becomes the
 * document's; its execbench_* keys go to context.execbench (the first of each
 * wins). Leaves `part` empty. 0 or -ENOMEM. */
int eb_results_append_point(eb_results_doc *doc, eb_results_doc *part, int64_t family,
                            const eb_point_desc *point);

/* Moves the rows of a plain Google Benchmark document (execbench-micro) to
 * the end of `doc`: family indexes go on from `family` (*next gets the first
 * one free after them), each name and run_name gets `prefix` unless it starts
 * with it. Leaves `part` empty. 0 or -ENOMEM. */
int eb_results_append_plain(eb_results_doc *doc, eb_results_doc *part, int64_t family,
                            const char *prefix, int64_t *next);

/* Adds the error row of a run that produced no usable report: `name`
 * (run_name too), `message` (bytes that are not UTF-8 shown as '?'), and the
 * point's keys when `point` is not NULL. 0 or -ENOMEM. */
int eb_results_add_error(eb_results_doc *doc, const char *name, int64_t family, int64_t repetitions,
                         const eb_point_desc *point, const char *message);

/* Sets ideal_ns (when ideal_ns >= 0), ideal_basis and, for an ideal drawn
 * from the reference's time (CPU work), ideal_share (when share > 0) on the
 * rows of run `run_name` that are no error rows. 0 or -ENOMEM. */
int eb_results_set_ideal(eb_results_doc *doc, const char *run_name, int64_t ideal_ns, double share,
                         const char *basis);

/* Appends Google Benchmark's aggregate rows of run `run_name` after the
 * document's rows: _mean, _median, _stddev and _cv over its usable
 * repetition rows (nothing when fewer than 2), with libbenchmark 1.7.1's
 * formulas (sample stddev; cv = stddev / mean, 0 for a mean of 0) over
 * real_time, cpu_time and every counter of the key table, each row keyed and
 * ordered as libbenchmark and the point process write one: worker_pus the
 * first repetition's, worker_pus_varied when they differ, integer counters
 * rounded except in _cv. 0 or -ENOMEM. (aggregates.c) */
int eb_results_add_aggregates(eb_results_doc *doc, const char *run_name);

/* On each point's median row, its speedup and efficiency with their 95%
 * intervals (runs.h: eb_run_ratios), and pairs when they are paired by
 * round; with target > 0 (a fraction: 0.03), `converged`: every interval's
 * half width within it. 0 or -ENOMEM. (rounds.c) */
int eb_results_set_figures(eb_results_doc *doc, double target);

/* Setters on row `i`, by key (keys.h): the row's JSON and its typed view
 * change together. 0, -EINVAL (no such row) or -ENOMEM. */
int eb_row_set_int(eb_results_doc *doc, size_t i, const char *key, int64_t value);
int eb_row_set_real(eb_results_doc *doc, size_t i, const char *key, double value);
int eb_row_set_bool(eb_results_doc *doc, size_t i, const char *key, bool value);
int eb_row_set_string(eb_results_doc *doc, size_t i, const char *key, const char *value);
int eb_row_set_ints(eb_results_doc *doc, size_t i, const char *key, const int *values, size_t n);
int eb_row_set_strings(eb_results_doc *doc, size_t i, const char *key, const char *const *values,
                       size_t n);
/* Removes a number from row `i`: true with *out when it held one. */
bool eb_row_take_number(eb_results_doc *doc, size_t i, const char *key, double *out);
/* The counters of kind EB_KIND_COUNTER_INT (keys.h) as integers, rounded,
 * unless the row is a cv aggregate (its values are ratios). */
int eb_row_integer_counters(eb_results_doc *doc, size_t i);
/* Leaves only the first error row, when there is one: true then. */
bool eb_results_keep_first_error(eb_results_doc *doc);

/* The context: `key` in context (libbenchmark's keys) or in context.execbench.
 * A NULL string is written as null. 0 or -ENOMEM. */
typedef enum eb_context_part {
    EB_CONTEXT_BENCHMARK, /* context: what libbenchmark writes */
    EB_CONTEXT_EXECBENCH, /* context.execbench */
    EB_CONTEXT_POINT,     /* context, as a point process writes its own: "execbench_<key>" */
} eb_context_part;
int eb_results_context_string(eb_results_doc *doc, eb_context_part part, const char *key,
                              const char *value);
int eb_results_context_int(eb_results_doc *doc, eb_context_part part, const char *key,
                           int64_t value);
int eb_results_context_real(eb_results_doc *doc, eb_context_part part, const char *key,
                            double value);
int eb_results_context_bool(eb_results_doc *doc, eb_context_part part, const char *key, bool value);
/* An array of numbers (load_avg); an empty one with n == 0. */
int eb_results_context_reals(eb_results_doc *doc, eb_context_part part, const char *key,
                             const double *values, size_t n);
/* An object of integers in context.execbench ("topology": {"cores": 2, ...}). */
int eb_results_context_ints(eb_results_doc *doc, const char *key, const char *const *keys,
                            const int64_t *values, size_t n);
/* Takes an integer out of the context: true with *out when it was there. */
bool eb_results_context_take_int(eb_results_doc *doc, eb_context_part part, const char *key,
                                 int64_t *out);
/* True when the key is there (null counts). */
bool eb_results_context_has(const eb_results_doc *doc, eb_context_part part, const char *key);
/* context.execbench moved after libbenchmark's keys, as written at the end. */
int eb_results_context_finish(eb_results_doc *doc);

/* ---- writing ---------------------------------------------------------------- */

/* The document as text: indented for a file, or compact (a point process's
 * report), reals at full precision. malloc'd, NUL-terminated; NULL when out of
 * memory. *len (may be NULL) gets its length. */
char *eb_results_text(const eb_results_doc *doc, bool compact, size_t *len);

#endif
