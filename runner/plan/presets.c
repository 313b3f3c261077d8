/* presets.c — the named plans, each a list of blocks written as a user would
 * write the flags (plan.h). Fault-injection workloads never appear here. */
#include "plan.h"

#include <string.h>

#define PARAMS(...)                                                                                \
    .params = (const char *const[]){__VA_ARGS__},                                                  \
    .param_count = sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)

/* CI smoke: every workload x executor at small sizes. */
static const eb_plan_block quick[] = {
    {.workloads = "cpu.sumsq", .executors = "all", .tasks = "8", PARAMS("n=1000000")},
    {.workloads = "io.sleep",
     .executors = "sequential,coroutine",
     .tasks = "40",
     PARAMS("latency_us=2000")},
    {.workloads = "io.sleep",
     .executors = "threaded",
     .workers = "40",
     .tasks = "40",
     PARAMS("latency_us=2000")},
    {.workloads = "io.sleep",
     .executors = "multiprocess",
     .workers = "2",
     .tasks = "40",
     PARAMS("latency_us=2000")},
};

/* The full matrix with workers sweeps: the articles' sizes (20 sums of
 * 5,000,000, 160 waits of 10 ms), a 10x larger CPU task where start-up costs
 * fade (also unpinned, to show what pinning changes), and 100,000 concurrent
 * 100 ms waits for the coroutine executor. */
static const eb_plan_block standard[] = {
    {.workloads = "cpu.sumsq",
     .executors = "sequential,coroutine",
     .tasks = "20",
     PARAMS("n=5000000")},
    {.workloads = "cpu.sumsq",
     .executors = "threaded,multiprocess",
     .workers = "1,2,3,4",
     .tasks = "20",
     PARAMS("n=5000000")},
    {.workloads = "cpu.sumsq",
     .executors = "sequential,coroutine",
     .tasks = "20",
     PARAMS("n=50000000")},
    {.workloads = "cpu.sumsq",
     .executors = "threaded,multiprocess",
     .workers = "1,2,3,4",
     .tasks = "20",
     PARAMS("n=50000000")},
    {.workloads = "cpu.sumsq",
     .executors = "threaded,multiprocess",
     .workers = "2",
     .tasks = "20",
     .pin = "none",
     PARAMS("n=50000000")},
    {.workloads = "io.sleep",
     .executors = "sequential",
     .tasks = "160",
     PARAMS("latency_us=10000")},
    {.workloads = "io.sleep",
     .executors = "coroutine",
     .workers = "auto,5,20",
     .tasks = "160",
     PARAMS("latency_us=10000")},
    {.workloads = "io.sleep",
     .executors = "threaded",
     .workers = "5,20,80,160",
     .tasks = "160",
     PARAMS("latency_us=10000")},
    {.workloads = "io.sleep",
     .executors = "multiprocess",
     .workers = "2,4,8",
     .tasks = "160",
     PARAMS("latency_us=10000")},
    {.workloads = "io.sleep",
     .executors = "coroutine",
     .tasks = "100000",
     PARAMS("latency_us=100000")},
};

/* The articles' experiment: 20 sums of 5,000,000 + i; 160 requests of
 * 14.3 s / 160 = 89.375 ms each (their sequential figure); a thread pool of 5;
 * a process pool of one per core. */
static const eb_plan_block seeds[] = {
    {.workloads = "cpu.sumsq",
     .executors = "sequential,coroutine,multiprocess",
     .workers = "auto",
     .tasks = "20",
     PARAMS("n=5000000")},
    {.workloads = "cpu.sumsq",
     .executors = "threaded",
     .workers = "5",
     .tasks = "20",
     PARAMS("n=5000000")},
    {.workloads = "io.sleep",
     .executors = "sequential,coroutine,multiprocess",
     .workers = "auto",
     .tasks = "160",
     PARAMS("latency_us=89375")},
    {.workloads = "io.sleep",
     .executors = "threaded",
     .workers = "5",
     .tasks = "160",
     PARAMS("latency_us=89375")},
};

/* Scale (issue 16): how the cost of a task grows with the tasks, every task
 * of io.sleep in flight, waits of 1 s so every start fits inside them:
 * coroutines of both stack modes at 10^3..10^6 and 10,000,000 with copied
 * stacks (5 s waits: ~6 GB, refused up front where it cannot fit), threads
 * at 10^2..10^4 and processes at 10..10^3 (beyond this machine's thread or
 * process limits: an error row naming the limit). Warm: the repetitions,
 * each finding what the warm-up kept; cold: each point's cold_run_ns, the
 * first run in its fresh process. tools/plot.py draws scale.png from it. */
static const eb_plan_block scale[] = {
    {.workloads = "io.sleep",
     .executors = "coroutine",
     .workers = "0",
     .tasks = "1000,10000,100000,1000000",
     .coro_stacks = "separate,copy",
     PARAMS("latency_us=1000000")},
    {.workloads = "io.sleep",
     .executors = "coroutine",
     .workers = "0",
     .tasks = "10000000",
     .coro_stacks = "copy",
     PARAMS("latency_us=5000000")},
    {.workloads = "io.sleep",
     .executors = "threaded",
     .workers = "100",
     .tasks = "100",
     PARAMS("latency_us=1000000")},
    {.workloads = "io.sleep",
     .executors = "threaded",
     .workers = "1000",
     .tasks = "1000",
     PARAMS("latency_us=1000000")},
    {.workloads = "io.sleep",
     .executors = "threaded",
     .workers = "10000",
     .tasks = "10000",
     PARAMS("latency_us=1000000")},
    {.workloads = "io.sleep",
     .executors = "multiprocess",
     .workers = "10",
     .tasks = "10",
     PARAMS("latency_us=1000000")},
    {.workloads = "io.sleep",
     .executors = "multiprocess",
     .workers = "100",
     .tasks = "100",
     PARAMS("latency_us=1000000")},
    {.workloads = "io.sleep",
     .executors = "multiprocess",
     .workers = "1000",
     .tasks = "1000",
     PARAMS("latency_us=1000000")},
};

#define BLOCKS(b) .blocks = b, .block_count = sizeof b / sizeof *b

const eb_preset eb_presets[] = {
    {"quick", "CI smoke: every workload x executor at small sizes, seconds", 3, BLOCKS(quick)},
    {"default", "the full matrix with workers sweeps (what make bench runs), minutes", 10,
     BLOCKS(standard)},
    {"seeds", "the articles' experiment: 20 x 5,000,000 sums, 160 x 89 ms requests, pool of 5", 3,
     BLOCKS(seeds)},
    {"scale",
     "io.sleep from 10^3 to 10^7 waits in flight: coroutines (both stack modes), threads, "
     "processes, warm and cold (scale.png), minutes",
     3, BLOCKS(scale)},
};
const size_t eb_preset_count = sizeof eb_presets / sizeof *eb_presets;

const eb_preset *eb_preset_find(const char *name)
{
    for (size_t i = 0; i < eb_preset_count; i++)
        if (strcmp(eb_presets[i].name, name) == 0) return &eb_presets[i];
    return NULL;
}
