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
/* What a workload with requests measured (net.http: workload.h's figures). */
#define EB_KEY_REQUESTS "requests"
#define EB_KEY_REQUESTS_PER_SECOND "requests_per_second"
#define EB_KEY_REQUEST_LATENCY_P50_NS "request_latency_p50_ns"
#define EB_KEY_REQUEST_LATENCY_P99_NS "request_latency_p99_ns"
#define EB_KEY_REQUEST_LATENCY_P999_NS "request_latency_p999_ns"
#define EB_KEY_CONNECTIONS_OPENED "connections_opened"
#define EB_KEY_BYTES_RECEIVED "bytes_received"
#define EB_KEY_SERVER_CPU_NS "server_cpu_ns"
#define EB_KEY_SERVER_PU "server_pu"
#define EB_KEY_REQUEST_CPU_NS "request_cpu_ns"
/* With a GIL (--gil on): what the job's threads did with it (wait/gil.h). */
#define EB_KEY_GIL_SWITCHES "gil_switches"
#define EB_KEY_GIL_HANDOFFS "gil_handoffs"
#define EB_KEY_GIL_DROP_REQUESTS "gil_drop_requests"
#define EB_KEY_GIL_FORCED_WAITS "gil_forced_waits"
#define EB_KEY_GIL_WAIT_NS "gil_wait_ns"
/* The hybrid executor: ready coroutines idle threads took from others. */
#define EB_KEY_STEALS "steals"
/* The run queue wait of the job's threads (/proc/thread-self/schedstat). */
#define EB_KEY_RUN_DELAY_NS "run_delay_ns"
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
#define EB_KEY_GIL_INTERVAL_US "gil_interval_us"
#define EB_KEY_IDEAL_NS "ideal_ns"
#define EB_KEY_IDEAL_BASIS "ideal_basis"
/* CPU work: ideal_ns as a share of the reference's time (the runner's ideal
 * scales the reference; a round's efficiency scales the round's reference). */
#define EB_KEY_IDEAL_SHARE "ideal_share"

/* A row of an interleaved run (--order interleaved): each repetition's round
 * and what the machine did meanwhile. */
#define EB_KEY_ROUND "round"
#define EB_KEY_START_NS "start_ns"
#define EB_KEY_STEAL_NS "steal_ns"
#define EB_KEY_FOREIGN_CPU_NS "foreign_cpu_ns"
#define EB_KEY_DISTURBED "disturbed"
/* The reference point's second run in the round (the A/A pair). */
#define EB_KEY_AA_REAL_NS "aa_real_ns"
/* On a point's median aggregate: the paired figures and how its rounds went. */
#define EB_KEY_SPEEDUP "speedup"
#define EB_KEY_SPEEDUP_LOW "speedup_low"
#define EB_KEY_SPEEDUP_HIGH "speedup_high"
#define EB_KEY_EFFICIENCY "efficiency"
#define EB_KEY_EFFICIENCY_LOW "efficiency_low"
#define EB_KEY_EFFICIENCY_HIGH "efficiency_high"
#define EB_KEY_PAIRS "pairs"
#define EB_KEY_CONVERGED "converged"
#define EB_KEY_ROUNDS_DISTURBED "rounds_disturbed"
#define EB_KEY_ROUNDS_REDONE "rounds_redone"

/* A row: the coroutine executor's stacks (issue 16). coro_stack is the mode
 * the point named (a point field, absent for auto); the rest the point
 * process reports, coro_stack_used in words, the others as counters. */
#define EB_KEY_CORO_STACK "coro_stack"
#define EB_KEY_CORO_STACK_USED "coro_stack_used"
#define EB_KEY_CORO_STACK_BYTES "coro_stack_bytes"
#define EB_KEY_CORO_STACKS_REUSED "coro_stacks_reused"
#define EB_KEY_CORO_TIMERS_REUSED "coro_timers_reused"
#define EB_KEY_CORO_CONTROL_BYTES "coro_control_bytes"
#define EB_KEY_CORO_FRAMES_MAX_BYTES "coro_frames_max_bytes"
#define EB_KEY_CORO_COPIED_BYTES "coro_copied_bytes"
#define EB_KEY_CORO_BUFFER_PEAK_BYTES "coro_buffer_peak_bytes"
#define EB_KEY_CORO_ARENA_BYTES "coro_arena_bytes"
/* A row: the up-front memory estimate (the runner, before the point starts). */
#define EB_KEY_MEMORY_ESTIMATE_BYTES "memory_estimate_bytes"
#define EB_KEY_MEMORY_NEED_BYTES "memory_need_bytes"
#define EB_KEY_MEMORY_LIMIT "memory_limit"
#define EB_KEY_MEMORY_ROOM_BYTES "memory_room_bytes"

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
/* context.execbench of an interleaved run: the measurement settings the
 * readers need (named here and by the settings table), every sub-round, every
 * group of points paired against one reference, and the noise floor. */
/* A served point's reply: the CPU its process used for the command (never in
 * a run's document: the runner takes it out). */
#define EB_KEY_OWN_CPU_NS "own_cpu_ns"
#define EB_KEY_SEED "seed"
#define EB_KEY_ORDER "order"
#define EB_KEY_INTERVAL "interval"
#define EB_KEY_PROBE "probe"
#define EB_KEY_PROBE_ELEMENTS "elements"
#define EB_KEY_PROBE_RUNS "runs"
#define EB_KEY_ROUNDS "rounds"
#define EB_KEY_GROUP "group"
#define EB_KEY_END_NS "end_ns"
#define EB_KEY_RUN_ORDER "run_order"
#define EB_KEY_RUN_REAL_NS "run_real_ns"
#define EB_KEY_PROBE_PUS "probe_pus"
#define EB_KEY_PROBE_BEFORE_NS "probe_before_ns"
#define EB_KEY_PROBE_AFTER_NS "probe_after_ns"
#define EB_KEY_PROBE_DRIFT "probe_drift"
#define EB_KEY_CAPACITY_NS "capacity_ns"
#define EB_KEY_REASONS "reasons"
#define EB_KEY_SET_ASIDE "set_aside"
#define EB_KEY_GROUPS "groups"
#define EB_KEY_REFERENCE "reference"
#define EB_KEY_ROUNDS_KEPT "rounds_kept"
#define EB_KEY_ROUNDS_SET_ASIDE "rounds_set_aside"
#define EB_KEY_STOPPED_BY "stopped_by"
#define EB_KEY_NOISE_FLOOR "noise_floor"
#define EB_KEY_NOISE_FLOOR_PCT "noise_floor_pct"
#define EB_KEY_MEDIAN "median"
#define EB_KEY_LOW "low"
#define EB_KEY_HIGH "high"
/* context.execbench also holds "cpu_time" and "real_time" (EB_KEY_CPU_TIME,
 * EB_KEY_REAL_TIME), "cold_run_ns" and "coro_stacks_reused"
 * (EB_KEY_COLD_RUN_NS, EB_KEY_CORO_STACKS_REUSED): a sentence each on what
 * the rows' values mean. */

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
    X(EB_KEY_REQUESTS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                          \
    X(EB_KEY_REQUESTS_PER_SECOND, EB_KIND_COUNTER, EB_SCOPE_ROW)                                   \
    X(EB_KEY_REQUEST_LATENCY_P50_NS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                            \
    X(EB_KEY_REQUEST_LATENCY_P99_NS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                            \
    X(EB_KEY_REQUEST_LATENCY_P999_NS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                           \
    X(EB_KEY_CONNECTIONS_OPENED, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                \
    X(EB_KEY_BYTES_RECEIVED, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                    \
    X(EB_KEY_SERVER_CPU_NS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                     \
    X(EB_KEY_SERVER_PU, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                         \
    X(EB_KEY_REQUEST_CPU_NS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                    \
    X(EB_KEY_GIL_SWITCHES, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                      \
    X(EB_KEY_GIL_HANDOFFS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                      \
    X(EB_KEY_GIL_DROP_REQUESTS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                 \
    X(EB_KEY_GIL_FORCED_WAITS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                  \
    X(EB_KEY_GIL_WAIT_NS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                       \
    X(EB_KEY_STEALS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                            \
    X(EB_KEY_RUN_DELAY_NS, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                      \
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
    X(EB_KEY_GIL_INTERVAL_US, EB_KIND_COUNT, EB_SCOPE_ROW)                                         \
    X(EB_KEY_IDEAL_NS, EB_KIND_NUMBER, EB_SCOPE_ROW)                                               \
    X(EB_KEY_IDEAL_BASIS, EB_KIND_STRING, EB_SCOPE_ROW)                                            \
    X(EB_KEY_CORO_STACK, EB_KIND_STRING, EB_SCOPE_ROW)                                             \
    X(EB_KEY_CORO_STACK_USED, EB_KIND_STRING, EB_SCOPE_ROW)                                        \
    X(EB_KEY_CORO_STACK_BYTES, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                  \
    X(EB_KEY_CORO_STACKS_REUSED, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                \
    X(EB_KEY_CORO_TIMERS_REUSED, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                \
    X(EB_KEY_CORO_CONTROL_BYTES, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                \
    X(EB_KEY_CORO_FRAMES_MAX_BYTES, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                             \
    X(EB_KEY_CORO_COPIED_BYTES, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                 \
    X(EB_KEY_CORO_BUFFER_PEAK_BYTES, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                            \
    X(EB_KEY_CORO_ARENA_BYTES, EB_KIND_COUNTER_INT, EB_SCOPE_ROW)                                  \
    X(EB_KEY_MEMORY_ESTIMATE_BYTES, EB_KIND_COUNT, EB_SCOPE_ROW)                                   \
    X(EB_KEY_MEMORY_NEED_BYTES, EB_KIND_COUNT, EB_SCOPE_ROW)                                       \
    X(EB_KEY_MEMORY_LIMIT, EB_KIND_STRING, EB_SCOPE_ROW)                                           \
    X(EB_KEY_MEMORY_ROOM_BYTES, EB_KIND_COUNT, EB_SCOPE_ROW)                                       \
    X(EB_KEY_IDEAL_SHARE, EB_KIND_NUMBER, EB_SCOPE_ROW)                                            \
    X(EB_KEY_ROUND, EB_KIND_COUNT, EB_SCOPE_ROW)                                                   \
    X(EB_KEY_START_NS, EB_KIND_COUNT, EB_SCOPE_ROW)                                                \
    X(EB_KEY_STEAL_NS, EB_KIND_COUNT, EB_SCOPE_ROW)                                                \
    X(EB_KEY_FOREIGN_CPU_NS, EB_KIND_COUNT, EB_SCOPE_ROW)                                          \
    X(EB_KEY_DISTURBED, EB_KIND_BOOL, EB_SCOPE_ROW)                                                \
    X(EB_KEY_AA_REAL_NS, EB_KIND_COUNT, EB_SCOPE_ROW)                                              \
    X(EB_KEY_SPEEDUP, EB_KIND_NUMBER, EB_SCOPE_ROW)                                                \
    X(EB_KEY_SPEEDUP_LOW, EB_KIND_NUMBER, EB_SCOPE_ROW)                                            \
    X(EB_KEY_SPEEDUP_HIGH, EB_KIND_NUMBER, EB_SCOPE_ROW)                                           \
    X(EB_KEY_EFFICIENCY, EB_KIND_NUMBER, EB_SCOPE_ROW)                                             \
    X(EB_KEY_EFFICIENCY_LOW, EB_KIND_NUMBER, EB_SCOPE_ROW)                                         \
    X(EB_KEY_EFFICIENCY_HIGH, EB_KIND_NUMBER, EB_SCOPE_ROW)                                        \
    X(EB_KEY_PAIRS, EB_KIND_COUNT, EB_SCOPE_ROW)                                                   \
    X(EB_KEY_CONVERGED, EB_KIND_BOOL, EB_SCOPE_ROW)                                                \
    X(EB_KEY_ROUNDS_DISTURBED, EB_KIND_COUNT, EB_SCOPE_ROW)                                        \
    X(EB_KEY_ROUNDS_REDONE, EB_KIND_COUNT, EB_SCOPE_ROW)                                           \
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
    X(EB_KEY_REPEAT_OF, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                         \
    X(EB_KEY_OWN_CPU_NS, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                        \
    X(EB_KEY_SEED, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                              \
    X(EB_KEY_ORDER, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                            \
    X(EB_KEY_INTERVAL, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                         \
    X(EB_KEY_PROBE, EB_KIND_OBJECT, EB_SCOPE_EXECBENCH)                                            \
    X(EB_KEY_PROBE_ELEMENTS, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                    \
    X(EB_KEY_PROBE_RUNS, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                        \
    X(EB_KEY_ROUNDS, EB_KIND_ARRAY, EB_SCOPE_EXECBENCH)                                            \
    X(EB_KEY_GROUP, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                            \
    X(EB_KEY_END_NS, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                            \
    X(EB_KEY_RUN_ORDER, EB_KIND_ARRAY, EB_SCOPE_EXECBENCH)                                         \
    X(EB_KEY_RUN_REAL_NS, EB_KIND_ARRAY, EB_SCOPE_EXECBENCH)                                       \
    X(EB_KEY_PROBE_PUS, EB_KIND_ARRAY, EB_SCOPE_EXECBENCH)                                         \
    X(EB_KEY_PROBE_BEFORE_NS, EB_KIND_ARRAY, EB_SCOPE_EXECBENCH)                                   \
    X(EB_KEY_PROBE_AFTER_NS, EB_KIND_ARRAY, EB_SCOPE_EXECBENCH)                                    \
    X(EB_KEY_PROBE_DRIFT, EB_KIND_NUMBER, EB_SCOPE_EXECBENCH)                                      \
    X(EB_KEY_CAPACITY_NS, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                       \
    X(EB_KEY_REASONS, EB_KIND_ARRAY, EB_SCOPE_EXECBENCH)                                           \
    X(EB_KEY_SET_ASIDE, EB_KIND_BOOL, EB_SCOPE_EXECBENCH)                                          \
    X(EB_KEY_GROUPS, EB_KIND_ARRAY, EB_SCOPE_EXECBENCH)                                            \
    X(EB_KEY_REFERENCE, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                        \
    X(EB_KEY_ROUNDS_KEPT, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                       \
    X(EB_KEY_ROUNDS_SET_ASIDE, EB_KIND_COUNT, EB_SCOPE_EXECBENCH)                                  \
    X(EB_KEY_STOPPED_BY, EB_KIND_STRING, EB_SCOPE_EXECBENCH)                                       \
    X(EB_KEY_NOISE_FLOOR, EB_KIND_OBJECT, EB_SCOPE_EXECBENCH)                                      \
    X(EB_KEY_NOISE_FLOOR_PCT, EB_KIND_NUMBER, EB_SCOPE_EXECBENCH)                                  \
    X(EB_KEY_MEDIAN, EB_KIND_NUMBER, EB_SCOPE_EXECBENCH)                                           \
    X(EB_KEY_LOW, EB_KIND_NUMBER, EB_SCOPE_EXECBENCH)                                              \
    X(EB_KEY_HIGH, EB_KIND_NUMBER, EB_SCOPE_EXECBENCH)

typedef struct eb_key_info {
    const char *name;
    eb_key_kind kind;
    eb_key_scope scope;
} eb_key_info;

/* The table, for what walks it (the integer counters, the tests). */
extern const eb_key_info eb_keys[];
extern const unsigned eb_key_count;

#endif
