/* micro_sumsq.c — micro.kernel/sumsq: the CPU workload's kernel alone, in
 * elements per nanosecond, so a compiler that folded the loop shows up as an
 * impossible figure (and the closed-form check catches a wrong sum). */
#include "eb_bench.h"
#include "micro.h"
#include "sumsq_kernel.h"

#include <stdio.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void bm_sumsq(eb_state *s, void *arg)
{
    (void)arg;
    uint64_t n = (uint64_t)eb_state_range(s, 0);
    uint64_t expected = (uint64_t)eb_sumsq_closed_form(n);
    uint64_t wrong = 0;
    double start = now_seconds();
    while (eb_state_keep_running(s)) {
        uint64_t sum = eb_sumsq(n);
        wrong += sum != expected;
    }
    double elapsed = now_seconds() - start;
    if (wrong != 0) {
        char msg[96];
        snprintf(msg, sizeof msg, "sumsq(%llu) disagreed with the closed form %llu times",
                 (unsigned long long)n, (unsigned long long)wrong);
        eb_state_skip_with_error(s, msg);
        return;
    }
    int64_t elements = eb_state_iterations(s) * (int64_t)n;
    eb_state_set_items_processed(s, elements);
    /* Wall time of the whole loop, read here so the counter is a plain number
     * (a rate counter would print as "x/s"). */
    if (elapsed > 0)
        eb_state_counter(s, "elements_per_ns", (double)elements / (elapsed * 1e9),
                         EB_COUNTER_DEFAULT);
}

void micro_sumsq_register(void)
{
    eb_bench *b = eb_bench_register("micro.kernel/sumsq", bm_sumsq, NULL);
    eb_bench_arg_name(b, "n");
    eb_bench_range_multiplier(b, 16);
    eb_bench_range(b, 1024, 5000000);
    eb_bench_unit(b, EB_TIME_US);
}
