/* results_doc.h — read a results document: a Google Benchmark JSON document,
 * optionally with execbench's extra keys (RESULTS-FORMAT.md).
 *
 * One call loads and validates a whole document and hands back typed rows, so
 * no consumer (execbench-compare, the runner's merge, the fuzz targets) walks
 * raw JSON or repeats the checks. Every failure leaves a one-line message that
 * says where (file:line:column from jansson for syntax, the JSON path and the
 * row's name for content) and what to do. Error rows (error_occurred) are kept,
 * flagged, so reports can show them, and eb_row_usable() tells which rows may
 * be computed with. */
#ifndef EB_RESULTS_DOC_H
#define EB_RESULTS_DOC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum eb_run_type {
    EB_RUN_ITERATION = 0, /* one repetition (or the only run) */
    EB_RUN_AGGREGATE,     /* mean / median / stddev / cv / ... over repetitions */
} eb_run_type;

/* One entry of "benchmarks". Strings point into the document and live as long
 * as it does. Optional numbers are negative when absent. */
typedef struct eb_row {
    size_t index;         /* position in "benchmarks", for messages */
    const char *name;     /* "io.sleep/exec:coroutine/.../manual_time" */
    const char *run_name; /* name without the aggregate suffix */
    eb_run_type run_type;
    const char *aggregate_name; /* "median", ... for aggregates; "" otherwise */
    const char *aggregate_unit; /* "time" or "percentage" (cv); "" when absent */
    int64_t repetitions;        /* -1 when absent */
    int64_t repetition_index;   /* -1 when absent */
    int64_t iterations;         /* -1 when absent */
    int64_t threads;            /* -1 when absent */
    double real_time, cpu_time; /* as written, per iteration, in time_unit */
    double real_ns, cpu_ns;     /* the same in nanoseconds */
    const char *time_unit;      /* "ns", "us", "ms" or "s" */
    bool error_occurred;
    const char *error_message; /* "" when none */

    /* execbench's point description (RESULTS-FORMAT.md); is_point says whether
     * the row carries one (rows of plain Google Benchmark documents do not). */
    bool is_point;
    const char *workload, *executor, *pin; /* pin is "" when absent */
    int64_t workers, tasks;                /* workers is 0 for "unbounded" */
    const char *params;                    /* canonical "k=v,k=v" (keys sorted); "" if none */
    double ideal_ns, spawn_ns;             /* -1 when absent */
} eb_row;

typedef struct eb_results_doc {
    char *path;   /* as given (for messages and labels) */
    json_t *root; /* the parsed document; rows point into it */
    const char *host_name, *date, *executable; /* "" when absent */
    const char *preset; /* "" when absent or null (a plan built from flags) */

    /* context.execbench: how the run that wrote the document went. Counts are
     * -1 when absent (a plain Google Benchmark document has none of them). */
    bool is_execbench; /* context.execbench is there: execbench wrote it */
    bool interrupted;  /* a signal stopped the run: the rows are the points that finished */
    const char *interrupted_by; /* "SIGINT"; "" when absent */
    int64_t points_planned, points_run;
    int64_t repeat_index, repeat_of; /* --repeat-run: this run's index (1..of) and the count */

    eb_row *rows;
    size_t row_count;
    size_t error_rows;  /* rows with error_occurred */
    char *string_store; /* canonical params strings, owned */
} eb_results_doc;

/* Message buffers passed to the loaders should hold at least this much. */
#define EB_RESULTS_ERR_LEN 2048

/* The most a file may hold unless the caller says otherwise (execbench-compare's
 * --max-input-bytes): a results document of a million rows is under 1 GiB, and
 * a device that never ends (/dev/zero) must not fill the memory. */
#define EB_RESULTS_MAX_BYTES_DEFAULT ((size_t)1 << 30)

/* Loads and validates `path` ("-" reads standard input), reading at most
 * max_bytes (0: EB_RESULTS_MAX_BYTES_DEFAULT). Returns 0, -errno when the file
 * cannot be read, -EFBIG when it holds more than max_bytes, or -EINVAL when it
 * is not a valid results document; on failure `err` holds the one-line reason
 * (without the program's name). */
int eb_results_load_file(const char *path, size_t max_bytes, eb_results_doc *doc, char *err,
                         size_t err_len);

/* The same over a buffer already in memory; `label` names it in messages. */
int eb_results_load_buffer(const char *label, const char *data, size_t len, eb_results_doc *doc,
                           char *err, size_t err_len);

/* Frees what a successful load allocated; safe on a zeroed doc. */
void eb_results_free(eb_results_doc *doc);

/* True when the row's times may be computed with: not an error row. */
static inline bool eb_row_usable(const eb_row *row)
{
    return !row->error_occurred;
}

/* "interrupted by SIGINT after 1 of 3 points" (what the document says of its
 * run) into buf; "" when the run was not interrupted. Returns buf. */
const char *eb_results_interruption(const eb_results_doc *doc, char *buf, size_t len);

/* "1 GiB", "512 MiB", or "1000 bytes": a byte count as a limit reads best. */
const char *eb_bytes_text(size_t bytes, char *buf, size_t len);

/* Nanoseconds per `time_unit`, or 0 for a unit Google Benchmark never writes. */
double eb_time_unit_ns(const char *unit);

#endif
