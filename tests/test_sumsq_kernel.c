/* test_sumsq_kernel.c — the CPU kernel computes what it claims, element by
 * element, and its check catches a wrong or skipped sum. */
#include "eb_test.h"
#include "sumsq_kernel.h"

#include <time.h>

EB_TEST(closed_form_known_values)
{
    EB_CHECK(eb_sumsq_closed_form(0) == 0);
    EB_CHECK(eb_sumsq_closed_form(1) == 0);
    EB_CHECK(eb_sumsq_closed_form(2) == 1);
    EB_CHECK(eb_sumsq_closed_form(1000) == 332833500);
    /* 5,000,000: 41666654166667500000 exceeds 64 bits (computed with Python). */
    unsigned __int128 big = eb_sumsq_closed_form(5000000);
    EB_CHECK((uint64_t)(big >> 64) == 2);
    EB_CHECK((uint64_t)big == UINT64_C(4773166019248396768));
}

EB_TEST(kernel_matches_brute_force)
{
    for (uint64_t n = 0; n < 3000; n += 37) {
        uint64_t want = 0;
        for (uint64_t k = 0; k < n; k++)
            want += k * k;
        EB_CHECKF(eb_sumsq(n) == want, "n=%llu", (unsigned long long)n);
    }
}

EB_TEST(kernel_matches_closed_form_mod_2_64)
{
    EB_CHECK(eb_sumsq(5000000) == UINT64_C(4773166019248396768));
    EB_CHECK(eb_sumsq_verify(5000000, eb_sumsq(5000000)));
    EB_CHECK(eb_sumsq_verify(5000019, eb_sumsq(5000019)));
}

EB_TEST(verify_rejects_wrong_sums)
{
    uint64_t right = eb_sumsq(100000);
    EB_CHECK(eb_sumsq_verify(100000, right));
    EB_CHECK(!eb_sumsq_verify(100000, right + 1));
    EB_CHECK(!eb_sumsq_verify(100000, 0));
    EB_CHECK(!eb_sumsq_verify(100001, right)); /* one element short */
}

static double seconds_for(uint64_t n)
{
    struct timespec a, b;
    double best = 1e9;
    for (int rep = 0; rep < 5; rep++) {
        clock_gettime(CLOCK_MONOTONIC, &a);
        uint64_t s = eb_sumsq(n);
        clock_gettime(CLOCK_MONOTONIC, &b);
        EB_CHECK(eb_sumsq_verify(n, s));
        double t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
        if (t < best) best = t;
    }
    return best;
}

/* A compiler that folded the loop into the closed form would make the time
 * independent of n; the real loop scales with it (8x the work: well over 3x). */
EB_TEST(kernel_time_scales_with_n)
{
    double small = seconds_for(1u << 20), large = seconds_for(8u << 20);
    EB_CHECKF(large > 3.0 * small, "2^20: %g s, 2^23: %g s", small, large);
}
