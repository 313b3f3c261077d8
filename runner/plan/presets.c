/* presets.c — the named plans, each a list of blocks written as a user would
 * write the flags (plan.h). Fault-injection workloads never appear here. */
#include "plan.h"

#include <string.h>

#define PARAMS(...)                                                                                \
    .params = (const char *const[]){__VA_ARGS__},                                                  \
    .param_count = sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)

/* CI smoke: every workload x executor at small sizes (threads with a GIL too). */
static const eb_plan_block quick[] = {
    {.workloads = "cpu.sumsq", .executors = "all", .tasks = "8", PARAMS("n=1000000")},
    {.workloads = "cpu.sumsq",
     .executors = "threaded,hybrid",
     .workers = "auto",
     .tasks = "8",
     .gil = "on",
     PARAMS("n=1000000")},
    {.workloads = "io.sleep",
     .executors = "sequential,coroutine,hybrid",
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
    {.workloads = "mix.waitsum",
     .executors = "all",
     .tasks = "20",
     PARAMS("n=200000", "latency_us=2000")},
    {.workloads = "mix.convoy",
     .executors = "all",
     .tasks = "11",
     PARAMS("n=1000000", "latency_us=2000")},
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
     * connections under every executor but sequential (160 requests in a
     * row are io.sleep's 1.6 s again, twice a round as the reference: a
     * tenth of make bench; the fixed ideal gives their efficiency), a
     * session opened in each run (keepalive 1) and a connection per request
     * (0) where they differ; then back-to-back requests (latency 0) under
     * every executor: the CPU a request costs, client and server. */
    {.workloads = "net.http",
     .executors = "coroutine,hybrid,multiprocess",
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
    /* M:N beside the models it combines (issue 15) */
    {.workloads = "cpu.sumsq", .executors = "hybrid", .tasks = "20", PARAMS("n=5000000")},
    {.workloads = "io.sleep",
     .executors = "hybrid",
     .workers = "auto,20",
     .tasks = "160",
     PARAMS("latency_us=10000")},
    {.workloads = "io.sleep",
     .executors = "hybrid",
     .tasks = "100000",
     PARAMS("latency_us=100000")},
    {.workloads = "mix.waitsum",
     .executors = "sequential,coroutine,hybrid,multiprocess",
     .tasks = "50",
     PARAMS("n=1000000", "latency_us=10000")},
    {.workloads = "mix.waitsum",
     .executors = "threaded",
     .workers = "2,50",
     .tasks = "50",
     PARAMS("n=1000000", "latency_us=10000")},
    /* the convoy effect: 10 waits on one thread beside one CPU-bound task on
     * another (~130 ms: it outlasts the waits' 100 ms), free and under a GIL
     * at CPython's interval and at 100 us; without the CPU task too (the
     * waits' task_latency_p50_ns) */
    {.workloads = "mix.convoy",
     .executors = "sequential,coroutine,hybrid,multiprocess",
     .tasks = "11",
     PARAMS("n=200000000", "latency_us=10000")},
    {.workloads = "mix.convoy",
     .executors = "threaded",
     .workers = "2",
     .tasks = "11",
     .gil = "off,on",
     .gil_interval_us = "5000,100",
     PARAMS("n=0,200000000", "latency_us=10000")},
};

/* The articles' experiment: 20 sums of 5,000,000 + i; 160 requests of
 * 14.3 s / 160 = 89.375 ms each (their sequential figure), simulated
 * (io.sleep) and on real sockets (net.http, a session per worker made in
 * the run: their thread-local session and Pool initializer); a thread pool
 * of 5; a process pool of one per core; coroutines unbounded. Then their
 * 100 GETs: 40.8 s / 100 = 408 ms each, in a loop, a thread each and
 * coroutines. Their threads ran under CPython's GIL, so the pool of 5 runs
 * both with the GIL emulation (--gil on, CPython's 5 ms switch interval)
 * and free: which of their effects come from the GIL and which from the
 * machine. Only their models: mixed work and hybrid have the crossover
 * preset (and quick and default). */
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
     .gil = "off,on",
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
     .gil = "off,on",
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

/* The crossover (issue 15): mix.waitsum, 40 tasks each waiting 10 ms and then
 * summing n + i squares, n from 0 (pure waiting) up to where the CPU part is
 * most of the task (~55 ms at ~0.55 ns an element), under each model: one
 * thread, a pool of one thread per core and one thread per task, one
 * thread's coroutines, coroutines on a thread per core, a process per core.
 * tools/plot.py draws which wins at each CPU share, and by how much
 * (crossover.png). */
static const eb_plan_block crossover[] = {
    {.workloads = "mix.waitsum",
     .executors = "sequential,threaded,coroutine,hybrid,multiprocess",
     .workers = "auto",
     .tasks = "40",
     PARAMS("n=0,300000,1000000,3000000,10000000,30000000,100000000", "latency_us=10000")},
    {.workloads = "mix.waitsum",
     .executors = "threaded",
     .workers = "40",
     .tasks = "40",
     PARAMS("n=0,300000,1000000,3000000,10000000,30000000,100000000", "latency_us=10000")},
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
     .coro_stacks = "copy,separate",
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
    {"quick", "CI smoke: every workload x executor at small sizes, seconds", 3, 0, BLOCKS(quick),
     .fixed_rounds = true},
    {"default", "the full matrix with workers sweeps (what make bench runs), minutes", 10, 0,
     BLOCKS(standard)},
    /* 300 s a point: the 100 GETs in a loop take 4 x 40.8 s, warm-up included */
    {"seeds",
     "the articles' experiment: 20 x 5,000,000 sums, 160 x 89 ms requests (simulated and on "
     "sockets), pool of 5 with and without a GIL; their 100 GETs",
     3, 300, BLOCKS(seeds)},
    {"crossover",
     "mix.waitsum from pure waiting toward pure CPU under every executor: which wins where "
     "(tools/plot.py draws crossover.png), minutes",
     3, 0, BLOCKS(crossover)},
    {"scale",
     "io.sleep from 10^3 to 10^7 waits in flight: coroutines (both stack modes), threads, "
     "processes, warm and cold (scale.png), minutes",
     3, 0, BLOCKS(scale)},
};
const size_t eb_preset_count = sizeof eb_presets / sizeof *eb_presets;

const eb_preset *eb_preset_find(const char *name)
{
    for (size_t i = 0; i < eb_preset_count; i++)
        if (strcmp(eb_presets[i].name, name) == 0) return &eb_presets[i];
    return NULL;
}
