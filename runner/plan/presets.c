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

#define BLOCKS(b) .blocks = b, .block_count = sizeof b / sizeof *b

const eb_preset eb_presets[] = {
    {"quick", "CI smoke: every workload x executor at small sizes, seconds", 3, BLOCKS(quick),
     .fixed_rounds = true},
    {"default", "the full matrix with workers sweeps (what make bench runs), minutes", 10,
     BLOCKS(standard)},
    {"seeds", "the articles' experiment: 20 x 5,000,000 sums, 160 x 89 ms requests, pool of 5", 3,
     BLOCKS(seeds)},
};
const size_t eb_preset_count = sizeof eb_presets / sizeof *eb_presets;

const eb_preset *eb_preset_find(const char *name)
{
    for (size_t i = 0; i < eb_preset_count; i++)
        if (strcmp(eb_presets[i].name, name) == 0) return &eb_presets[i];
    return NULL;
}
