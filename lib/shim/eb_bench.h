/* eb_bench.h — a C interface to Google Benchmark (libbenchmark 1.7.x).
 *
 * C code registers benchmark functions with a name and a `void *` argument and
 * gets libbenchmark's iteration control, statistics, filters and reporters
 * (console, JSON, CSV) unchanged. Modelled on IREE's C benchmark wrapper: an
 * opaque state, a batched keep-running loop so the call across the language
 * boundary is paid once per batch, and a small definition struct.
 *
 *   static void bm_add(eb_state *s, void *arg) {
 *       int64_t n;
 *       while ((n = eb_state_keep_running_batch(s, 1024)) > 0)
 *           for (int64_t i = 0; i < n; i++) eb_do_not_optimize(&i);
 *   }
 *   int main(int argc, char **argv) {
 *       eb_bench *b = eb_bench_register("add", bm_add, NULL);
 *       eb_bench_arg(b, 64);
 *       return eb_bench_main(&argc, argv);
 *   }
 */
#ifndef EB_BENCH_H
#define EB_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eb_state eb_state; /* benchmark::State of one running benchmark */
typedef struct eb_bench eb_bench; /* a registered benchmark family */
typedef void (*eb_bench_fn)(eb_state *state, void *arg);

typedef enum eb_time_unit {
    EB_TIME_NS = 0,
    EB_TIME_US,
    EB_TIME_MS,
    EB_TIME_S,
} eb_time_unit;

/* How time is measured (default: CPU time of the benchmark thread). */
typedef enum eb_timing {
    EB_TIMING_CPU = 0,          /* the benchmark thread's CPU time drives iterations */
    EB_TIMING_REAL,             /* wall-clock time (UseRealTime) */
    EB_TIMING_MANUAL,           /* eb_state_set_iteration_time (UseManualTime) */
    EB_TIMING_PROCESS_CPU,      /* CPU time of all threads (MeasureProcessCPUTime) */
    EB_TIMING_PROCESS_CPU_REAL, /* both: process CPU reported, wall time drives */
} eb_timing;

/* Counter flags: the same bits as benchmark::Counter::Flags. */
enum {
    EB_COUNTER_DEFAULT = 0,
    EB_COUNTER_RATE = 1 << 0,                /* divided by the run's duration */
    EB_COUNTER_AVG_THREADS = 1 << 1,         /* divided by the thread count */
    EB_COUNTER_ITERATION_INVARIANT = 1 << 2, /* multiplied by the iterations */
    EB_COUNTER_AVG_ITERATIONS = 1 << 3,      /* divided by the iterations */
    EB_COUNTER_INVERT = 1 << 30,             /* 1/x, applied last */
};

/* Register `fn` under `name`; `arg` is passed to every call. Returns a handle for
 * the configuration calls below, or NULL if name or fn is NULL. The name and the
 * argument are copied / kept; registration must happen before eb_bench_run. */
eb_bench *eb_bench_register(const char *name, eb_bench_fn fn, void *arg);

/* Arguments, as Google Benchmark names them: "name/8", or "name/n:8" with names. */
eb_bench *eb_bench_arg(eb_bench *b, int64_t x);
eb_bench *eb_bench_args(eb_bench *b, const int64_t *args, size_t count);
eb_bench *eb_bench_arg_name(eb_bench *b, const char *name);
eb_bench *eb_bench_arg_names(eb_bench *b, const char *const *names, size_t count);
eb_bench *eb_bench_range(eb_bench *b, int64_t lo, int64_t hi);
eb_bench *eb_bench_dense_range(eb_bench *b, int64_t lo, int64_t hi, int step);
eb_bench *eb_bench_range_multiplier(eb_bench *b, int multiplier);
/* ranges: `count` pairs {lo, hi}, one per argument. */
eb_bench *eb_bench_ranges(eb_bench *b, const int64_t (*ranges)[2], size_t count);

eb_bench *eb_bench_unit(eb_bench *b, eb_time_unit unit);
eb_bench *eb_bench_timing(eb_bench *b, eb_timing timing);
eb_bench *eb_bench_iterations(eb_bench *b, int64_t iterations);
/* Note: repetitions set here add "/repeats:n" to the name (libbenchmark's rule). */
eb_bench *eb_bench_repetitions(eb_bench *b, int repetitions);
eb_bench *eb_bench_min_time(eb_bench *b, double seconds);
eb_bench *eb_bench_min_warmup_time(eb_bench *b, double seconds);
eb_bench *eb_bench_threads(eb_bench *b, int threads);
eb_bench *eb_bench_report_aggregates_only(eb_bench *b, bool only);

/* The iteration loop. Per iteration: `while (eb_state_keep_running(s)) {...}`.
 * Batched: `while ((n = eb_state_keep_running_batch(s, B)) > 0)` then run n
 * iterations; n is B except possibly the last batch (libbenchmark may overshoot
 * its target by up to B, and counts what was run). Returns 0 when done. */
bool eb_state_keep_running(eb_state *s);
int64_t eb_state_keep_running_batch(eb_state *s, int64_t batch);

int64_t eb_state_range(const eb_state *s, size_t index);
int64_t eb_state_max_iterations(const eb_state *s);
int64_t eb_state_iterations(const eb_state *s);
int eb_state_thread_index(const eb_state *s);
int eb_state_threads(const eb_state *s);

void eb_state_pause_timing(eb_state *s);
void eb_state_resume_timing(eb_state *s);
void eb_state_set_iteration_time(eb_state *s, double seconds);
void eb_state_set_items_processed(eb_state *s, int64_t items);
void eb_state_set_bytes_processed(eb_state *s, int64_t bytes);
void eb_state_set_label(eb_state *s, const char *label);
/* A user counter; flags are EB_COUNTER_* bits. Non-finite values are stored as 0
 * (libbenchmark would print bare NaN/Infinity, which is not JSON). */
void eb_state_counter(eb_state *s, const char *name, double value, unsigned flags);
/* Marks the run failed: the reporters show error_occurred and `message`. The
 * loop must still end (keep_running returns false from then on). */
void eb_state_skip_with_error(eb_state *s, const char *message);
bool eb_state_error_occurred(const eb_state *s);

/* A key/value pair for the report's "context" (before eb_bench_run). */
void eb_add_custom_context(const char *key, const char *value);

/* Initialise from argv (consumes --benchmark_* flags), then run. eb_bench_main
 * also reports unrecognised flags (exit status 1), runs what matches
 * --benchmark_filter and shuts down; it returns 0 on success, 1 on a bad flag,
 * 2 when no benchmark matched the filter. */
void eb_bench_initialize(int *argc, char **argv);
bool eb_bench_report_unrecognized(int argc, char **argv);
size_t eb_bench_run(void);
size_t eb_bench_run_filter(const char *filter);
/* Runs what matches --benchmark_filter with a JSON reporter of its own into
 * *text (malloc'd, NUL-terminated; NULL when out of memory) and *len: may be
 * called again and again between initialize and shutdown (eb_bench_run may
 * not: libbenchmark 1.7.x frees its default reporter after one run). Returns
 * the benchmarks run. */
size_t eb_bench_run_json(char **text, size_t *len);
void eb_bench_shutdown(void);
int eb_bench_main(int *argc, char **argv);

/* Compiler barriers, as benchmark::DoNotOptimize / ClobberMemory. */
static inline void eb_do_not_optimize(const void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
}

static inline void eb_clobber_memory(void)
{
    __asm__ volatile("" : : : "memory");
}

/* Keeps a value in a register as if it were read and modified: the compiler can
 * neither drop the computation that produced it nor reason about its value. */
#define eb_launder(x) __asm__ volatile("" : "+r"(x))

#ifdef __cplusplus
}
#endif
#endif
