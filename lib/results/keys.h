/* keys.h — THE key table of the results document (docs/results-format.md):
 * every key execbench reads or writes, spelled here and in no other product
 * file (the ctest keys.each_key_is_spelled_once counts), each with the kind
 * of value it holds.
 *
 * Code names a key by its constant (EB_KEY_REAL_TIME); the results library
 * reads and writes it, so most code never names one at all. Adding a key is
 * two lines here: its constant, and its line in EB_KEY_TABLE. A counter of
 * kind EB_KIND_COUNTER_INT (a count or integer nanoseconds) is written as an
 * integer in every row but a cv aggregate's, where it is a ratio. Keys of
 * context.execbench that are runner settings are named by the settings
 * table (runner/plan/settings.c), which is their key table. */
#ifndef EB_KEYS_H
#define EB_KEYS_H

/* The document. */
#define EB_KEY_CONTEXT "context"
#define EB_KEY_BENCHMARKS "benchmarks"

/* A row: libbenchmark's keys. */
#define EB_KEY_NAME "name"
#define EB_KEY_FAMILY_INDEX "family_index"
#define EB_KEY_PER_FAMILY_INSTANCE_INDEX "per_family_instance_index"
#define EB_KEY_RUN_NAME "run_name"
#define EB_KEY_RUN_TYPE "run_type"
#define EB_KEY_REPETITIONS "repetitions"
#define EB_KEY_REPETITION_INDEX "repetition_index"
#define EB_KEY_THREADS "threads"
#define EB_KEY_AGGREGATE_NAME "aggregate_name"
#define EB_KEY_AGGREGATE_UNIT "aggregate_unit"
#define EB_KEY_ITERATIONS "iterations"
#define EB_KEY_REAL_TIME "real_time"
#define EB_KEY_CPU_TIME "cpu_time"
#define EB_KEY_TIME_UNIT "time_unit"
#define EB_KEY_ERROR_OCCURRED "error_occurred"
#define EB_KEY_ERROR_MESSAGE "error_message"
#define EB_KEY_ITEMS_PER_SECOND "items_per_second"

/* A row: what execbench measures (libbenchmark counters in the point process). */
#define EB_KEY_SPAWN_NS "spawn_ns"
#define EB_KEY_COLD_RUN_NS "cold_run_ns"
#define EB_KEY_CHILDREN_CPU_NS "children_cpu_ns"
#define EB_KEY_CTX_SWITCHES_VOLUNTARY "ctx_switches_voluntary"
#define EB_KEY_CTX_SWITCHES_INVOLUNTARY "ctx_switches_involuntary"
#define EB_KEY_MAX_RSS_KIB "max_rss_kib"
#define EB_KEY_TASK_LATENCY_P50_NS "task_latency_p50_ns"
#define EB_KEY_TASK_LATENCY_P99_NS "task_latency_p99_ns"
/* The job's CPU as a counter, on its way to cpu_time: never in a document. */
#define EB_KEY_JOB_CPU_NS "eb_cpu_ns"

/* A row: what execbench adds. */
#define EB_KEY_WORKER_PUS "worker_pus"
#define EB_KEY_WORKER_PUS_VARIED "worker_pus_varied"
#define EB_KEY_WORKER_HOSTS "worker_hosts"
#define EB_KEY_MAX_RSS_PER_TASK_BYTES "max_rss_per_task_bytes"
#define EB_KEY_WORKLOAD "workload"
#define EB_KEY_EXECUTOR "executor"
#define EB_KEY_WORKERS "workers"
#define EB_KEY_TASKS "tasks"
#define EB_KEY_PIN "pin"
#define EB_KEY_CPUSET "cpuset"
#define EB_KEY_PARAMS "params"
#define EB_KEY_IDEAL_NS "ideal_ns"
#define EB_KEY_IDEAL_BASIS "ideal_basis"

/* context: libbenchmark's keys. */
#define EB_KEY_DATE "date"
#define EB_KEY_HOST_NAME "host_name"
#define EB_KEY_EXECUTABLE "executable"
#define EB_KEY_NUM_CPUS "num_cpus"
#define EB_KEY_MHZ_PER_CPU "mhz_per_cpu"
#define EB_KEY_CPU_SCALING_ENABLED "cpu_scaling_enabled"
#define EB_KEY_CACHES "caches"
#define EB_KEY_LOAD_AVG "load_avg"
#define EB_KEY_LIBRARY_BUILD_TYPE "library_build_type"

/* context.execbench, and the prefix a point process gives its keys there. */
#define EB_KEY_EXECBENCH "execbench"
#define EB_KEY_POINT_PREFIX "execbench_"
#define EB_KEY_VERSION "version"
#define EB_KEY_BUILD_TYPE "build_type"
#define EB_KEY_COMPILER "compiler"
#define EB_KEY_KERNEL "kernel"
#define EB_KEY_PRESET "preset"
#define EB_KEY_COMMAND_LINE "command_line"
#define EB_KEY_TOPOLOGY "topology"
#define EB_KEY_PACKAGES "packages"
#define EB_KEY_NUMA_NODES "numa_nodes"
#define EB_KEY_CORES "cores"
#define EB_KEY_PUS "pus"
#define EB_KEY_L3_BYTES "l3_bytes"
#define EB_KEY_STARTED "started"
#define EB_KEY_FINISHED "finished"
#define EB_KEY_POINTS_PLANNED "points_planned"
#define EB_KEY_POINTS_RUN "points_run"
#define EB_KEY_POINTS_FAILED "points_failed"
#define EB_KEY_INTERRUPTED "interrupted"
#define EB_KEY_INTERRUPTED_BY "interrupted_by"
#define EB_KEY_TIMER_SLACK_NS "timer_slack_ns"
#define EB_KEY_IDEAL "ideal"
#define EB_KEY_PARENT_PROCESS "parent_process"
#define EB_KEY_FDS_AT_START "fds_at_start"
#define EB_KEY_FDS_AT_END "fds_at_end"
#define EB_KEY_RSS_KIB_AT_START "rss_kib_at_start"
#define EB_KEY_RSS_KIB_AT_END "rss_kib_at_end"
#define EB_KEY_REPEAT_RUN "repeat_run"
#define EB_KEY_REPEAT_INDEX "index"
#define EB_KEY_REPEAT_OF "of"
/* context.execbench also holds "cpu_time" and "real_time" (EB_KEY_CPU_TIME,
 * EB_KEY_REAL_TIME): a sentence each on what the rows' values mean. */

typedef enum eb_key_kind {
    EB_KIND_STRING,
    EB_KIND_COUNT,  /* an integer, 0 or more */
    EB_KIND_NUMBER, /* an integer or a real */
    EB_KIND_TIME,   /* a number in the row's time_unit */
    EB_KIND_BOOL,
    EB_KIND_OBJECT,
    EB_KIND_ARRAY,
    EB_KIND_COUNTER,     /* a libbenchmark counter: a real */
    EB_KIND_COUNTER_INT, /* a counter that is a count or integer ns (a ratio in cv rows) */
} eb_key_kind;

typedef enum eb_key_scope {
    EB_SCOPE_DOCUMENT,  /* the top level */
    EB_SCOPE_ROW,       /* benchmarks[i] */
    EB_SCOPE_CONTEXT,   /* context: libbenchmark's */
    EB_SCOPE_EXECBENCH, /* context.execbench, and the objects in it */
} eb_key_scope;

/* Every key above with its kind: X(name, kind, scope). */
#define EB_KEY_TABLE(X)                                                                            \
    X(EB_KEY_CONTEXT, EB_KIND_OBJECT, EB_SCOPE_DOCUMENT)                                           \
    X(EB_KEY_BENCHMARKS, EB_KIND_ARRAY, EB_SCOPE_DOCUMENT)                                         \
    X(EB_KEY_NAME, EB_KIND_STRING, EB_SCOPE_ROW)                                                   \
    X(EB_KEY_FAMILY_INDEX, EB_KIND_COUNT, EB_SCOPE_ROW)                                            \
    X(EB_KEY_PER_FAMILY_INSTANCE_INDEX, EB_KIND_COUNT, EB_SCOPE_ROW)                               \
    X(EB_KEY_RUN_NAME, EB_KIND_STRING, EB_SCOPE_ROW)                                               \
    X(EB_KEY_RUN_TYPE, EB_KIND_STRING, EB_SCOPE_ROW)                                               \
    X(EB_KEY_REPETITIONS, EB_KIND_COUNT, EB_SCOPE_ROW)                                             \
    X(EB_KEY_REPETITION_INDEX, EB_KIND_COUNT, EB_SCOPE_ROW)                                        \
    X(EB_KEY_THREADS, EB_KIND_COUNT, EB_SCOPE_ROW)                                                 \
    X(EB_KEY_AGGREGATE_NAME, EB_KIND_STRING, EB_SCOPE_ROW)                                         \
    X(EB_KEY_AGGREGATE_UNIT, EB_KIND_STRING, EB_SCOPE_ROW)                                         \
    X(EB_KEY_ITERATIONS, EB_KIND_COUNT, EB_SCOPE_ROW)                                              \
    X(EB_KEY_REAL_TIME, EB_KIND_TIME, EB_SCOPE_ROW)                                                \
    X(EB_KEY_CPU_TIME, EB_KIND_TIME, EB_SCOPE_ROW)                                                 \
    X(EB_KEY_TIME_UNIT, EB_KIND_STRING, EB_SCOPE_ROW)                                              \
    X(EB_KEY_ERROR_OCCURRED, EB_KIND_BOOL, EB_SCOPE_ROW)                                           \
    X(EB_KEY_ERROR_MESSAGE, EB_KIND_STRING, EB_SCOPE_ROW)                                          \
    X(EB_KEY_ITEMS_PER_SECOND, EB_KIND_COUNTER, EB_SCOPE_ROW)                                      \
    X(EB_KEY_SPAWN_NS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                          \
    X(EB_KEY_COLD_RUN_NS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                       \
    X(EB_KEY_CHILDREN_CPU_NS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                   \
    X(EB_KEY_CTX_SWITCHES_VOLUNTARY, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                            \
    X(EB_KEY_CTX_SWITCHES_INVOLUNTARY, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                          \
    X(EB_KEY_MAX_RSS_KIB, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                       \
    X(EB_KEY_TASK_LATENCY_P50_NS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                               \
    X(EB_KEY_TASK_LATENCY_P99_NS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                               \
    X(EB_KEY_JOB_CPU_NS, EB_KIND_COUNTER, EB_SCOPE_ROW)                                            \
    X(EB_KEY_WORKER_PUS, EB_KIND_ARRAY, EB_SCOPE_ROW)                                              \
    X(EB_KEY_WORKER_PUS_VARIED, EB_KIND_BOOL, EB_SCOPE_ROW)                                        \
    X(EB_KEY_WORKER_HOSTS, EB_KIND_ARRAY, EB_SCOPE_ROW)                                            \
    X(EB_KEY_MAX_RSS_PER_TASK_BYTES, EB_KIND_COUNT, EB_SCOPE_ROW)                                  \
    X(EB_KEY_WORKLOAD, EB_KIND_STRING, EB_SCOPE_ROW)                                               \
    X(EB_KEY_EXECUTOR, EB_KIND_STRING, EB_SCOPE_ROW)                                               \
    X(EB_KEY_WORKERS, EB_KIND_COUNT, EB_SCOPE_ROW)                                                 \
    X(EB_KEY_TASKS, EB_KIND_COUNT, EB_SCOPE_ROW)                                                   \
    X(EB_KEY_PIN, EB_KIND_STRING, EB_SCOPE_ROW)                                                    \
    X(EB_KEY_CPUSET, EB_KIND_STRING, EB_SCOPE_ROW)                                                 \
    X(EB_KEY_PARAMS, EB_KIND_OBJECT, EB_SCOPE_ROW)                                                 \
    X(EB_KEY_IDEAL_NS, EB_KIND_NUMBER, EB_SCOPE_ROW)                                               \
    X(EB_KEY_IDEAL_BASIS, EB_KIND_STRING, EB_SCOPE_ROW)                                            \
    X(EB_KEY_DATE, EB_KIND_STRING, EB_SCOPE_CONTEXT)                                               \
    X(EB_KEY_HOST_NAME, EB_KIND_STRING, EB_SCOPE_CONTEXT)                                          \
    X(EB_KEY_EXECUTABLE, EB_KIND_STRING, EB_SCOPE_CONTEXT)                                         \
    X(EB_KEY_NUM_CPUS, EB_KIND_COUNT, EB_SCOPE_CONTEXT)                                            \
    X(EB_KEY_MHZ_PER_CPU, EB_KIND_COUNT, EB_SCOPE_CONTEXT)                                         \
    X(EB_KEY_CPU_SCALING_ENABLED, EB_KIND_BOOL, EB_SCOPE_CONTEXT)                                  \
    X(EB_KEY_CACHES, EB_KIND_ARRAY, EB_SCOPE_CONTEXT)                                              \
    X(EB_KEY_LOAD_AVG, EB_KIND_ARRAY, EB_SCOPE_CONTEXT)                                            \
    X(EB_KEY_LIBRARY_BUILD_TYPE, EB_KIND_STRING, EB_SCOPE_CONTEXT)                                 \
    X(EB_KEY_EXECBENCH, EB_KIND_OBJECT, EB_SCOPE_CONTEXT)                                          \
    X(EB_KEY_VERSION, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                          \
    X(EB_KEY_BUILD_TYPE, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                       \
    X(EB_KEY_COMPILER, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                         \
    X(EB_KEY_KERNEL, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                           \
    X(EB_KEY_PRESET, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                           \
    X(EB_KEY_COMMAND_LINE, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                     \
    X(EB_KEY_TOPOLOGY, EB_KIND_OBJECT, EB_SCOPE_EXECBENCH)                                         \
    X(EB_KEY_PACKAGES, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                          \
    X(EB_KEY_NUMA_NODES, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                        \
    X(EB_KEY_CORES, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                             \
    X(EB_KEY_PUS, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                               \
    X(EB_KEY_L3_BYTES, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                          \
    X(EB_KEY_STARTED, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                          \
    X(EB_KEY_FINISHED, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                         \
    X(EB_KEY_POINTS_PLANNED, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                    \
    X(EB_KEY_POINTS_RUN, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                        \
    X(EB_KEY_POINTS_FAILED, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                     \
    X(EB_KEY_INTERRUPTED, EB_KIND_BOOL, EB_SCOPE_EXECBENCH)                                        \
    X(EB_KEY_INTERRUPTED_BY, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                   \
    X(EB_KEY_TIMER_SLACK_NS, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                    \
    X(EB_KEY_IDEAL, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                            \
    X(EB_KEY_PARENT_PROCESS, EB_KIND_OBJECT, EB_SCOPE_EXECBENCH)                                   \
    X(EB_KEY_FDS_AT_START, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                      \
    X(EB_KEY_FDS_AT_END, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                        \
    X(EB_KEY_RSS_KIB_AT_START, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                  \
    X(EB_KEY_RSS_KIB_AT_END, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                    \
    X(EB_KEY_REPEAT_RUN, EB_KIND_OBJECT, EB_SCOPE_EXECBENCH)                                       \
    X(EB_KEY_REPEAT_INDEX, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                      \
    X(EB_KEY_REPEAT_OF, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)

typedef struct eb_key_info {
    const char *name;
    eb_key_kind kind;
    eb_key_scope scope;
} eb_key_info;

/* The table, for what walks it (the integer counters, the tests). */
extern const eb_key_info eb_keys[];
extern const unsigned eb_key_count;

#endif
