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
    {.workloads = "net.http", .executors = "all", .tasks = "40", PARAMS("latency_us=2000")},
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
    /* The same 160 waits as requests over loopback: warm keep-alive
     * connections under every executor (the executors' own cost, beside
     * io.sleep's), a session opened in each run (keepalive 1) and a
     * connection per request (0) where they differ; then back-to-back
     * requests (latency 0): the CPU a request costs, client and server. */
    {.workloads = "net.http",
     .executors = "sequential,coroutine,multiprocess",
     .workers = "auto",
     .tasks = "160",
     PARAMS("latency_us=10000", "keepalive=2")},
    {.workloads = "net.http",
     .executors = "threaded",
     .workers = "5,160",
     .tasks = "160",
     PARAMS("latency_us=10000", "keepalive=2")},
    {.workloads = "net.http",
     .executors = "threaded",
     .workers = "160",
     .tasks = "160",
     PARAMS("latency_us=10000", "keepalive=0,1")},
    {.workloads = "net.http",
     .executors = "coroutine",
     .tasks = "160",
     PARAMS("latency_us=10000", "keepalive=0,1")},
    {.workloads = "net.http",
     .executors = "sequential,threaded,multiprocess",
     .workers = "auto",
     .tasks = "10000",
     PARAMS("latency_us=0", "keepalive=2")},
    {.workloads = "net.http",
     .executors = "coroutine",
     .workers = "100",
     .tasks = "10000",
     PARAMS("latency_us=0", "keepalive=2")},
};

/* The articles' experiment: 20 sums of 5,000,000 + i; 160 requests of
 * 14.3 s / 160 = 89.375 ms each (their sequential figure), simulated
 * (io.sleep) and on real sockets (net.http, a session per worker made in
 * the run: their thread-local session and Pool initializer); a thread pool
 * of 5; a process pool of one per core; coroutines unbounded. Then their
 * 100 GETs: 40.8 s / 100 = 408 ms each, in a loop, a thread each and
 * coroutines. */
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
    {.workloads = "net.http",
     .executors = "sequential,coroutine,multiprocess",
     .workers = "auto",
     .tasks = "160",
     PARAMS("latency_us=89375")},
    {.workloads = "net.http",
     .executors = "threaded",
     .workers = "5",
     .tasks = "160",
     PARAMS("latency_us=89375")},
    {.workloads = "net.http",
     .executors = "sequential,coroutine",
     .tasks = "100",
     PARAMS("latency_us=408000")},
    {.workloads = "net.http",
     .executors = "threaded",
     .workers = "100",
     .tasks = "100",
     PARAMS("latency_us=408000")},
};

#define BLOCKS(b) .blocks = b, .block_count = sizeof b / sizeof *b

const eb_preset eb_presets[] = {
    {"quick", "CI smoke: every workload x executor at small sizes, seconds", 3, 0, BLOCKS(quick)},
    {"default", "the full matrix with workers sweeps (what make bench runs), minutes", 10, 0,
     BLOCKS(standard)},
    /* 300 s a point: the 100 GETs in a loop take 4 x 40.8 s, warm-up included */
    {"seeds",
     "the articles' experiment: 20 x 5,000,000 sums, 160 x 89 ms requests (simulated and on "
     "sockets), pool of 5; their 100 GETs",
     3, 300, BLOCKS(seeds)},
};
const size_t eb_preset_count = sizeof eb_presets / sizeof *eb_presets;

const eb_preset *eb_preset_find(const char *name)
{
    for (size_t i = 0; i < eb_preset_count; i++)
        if (strcmp(eb_presets[i].name, name) == 0) return &eb_presets[i];
    return NULL;
}
