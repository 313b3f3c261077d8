/* test_hist.c — the latency histogram: every value lands in a bucket that
 * holds it and is narrow enough for the stated bound, quantiles of random
 * data are within EB_HIST_RELATIVE_ERROR of the exact nearest-rank ones,
 * merging equals recording everything in one, min/max/mean are exact. */
#include "eb_test.h"
#include "hist.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static uint64_t rng_state = 0x853c49e6748fea9bULL;
static uint64_t rng(void)
{
    /* xorshift64*: fixed seed, the same data every run */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static double uniform(void)
{
    return (double)(rng() >> 11) / 9007199254740992.0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

EB_TEST(every_value_lands_in_a_bucket_that_holds_it_within_the_bound)
{
    int wrong = 0, too_wide = 0;
    for (int64_t v = 0; v < 100000; v++) { /* every small value */
        int64_t lo, width;
        eb_hist_bucket_range(eb_hist_bucket_of(v), &lo, &width);
        wrong += !(lo <= v && v < lo + width);
        too_wide += width > 1 && (double)width / 2 > (double)v * EB_HIST_RELATIVE_ERROR;
    }
    for (int i = 0; i < 200000; i++) { /* random values over all 63 bits */
        int64_t v = (int64_t)(rng() >> (1 + rng() % 63));
        int64_t lo, width;
        uint32_t b = eb_hist_bucket_of(v);
        eb_hist_bucket_range(b, &lo, &width);
        wrong += b >= EB_HIST_BUCKETS || !(lo <= v && v - lo < width);
        too_wide += width > 1 && (double)width / 2 > (double)v * EB_HIST_RELATIVE_ERROR;
    }
    EB_CHECKF(wrong == 0, "%d values outside their bucket", wrong);
    EB_CHECKF(too_wide == 0, "%d buckets wider than the bound allows", too_wide);
    EB_CHECK(eb_hist_bucket_of(INT64_MAX) == EB_HIST_BUCKETS - 1);
    EB_CHECK(eb_hist_bucket_of(127) == 127 && eb_hist_bucket_of(128) == 128);
}

/* Exact nearest-rank quantile of sorted data. */
static int64_t exact_quantile(const int64_t *sorted, size_t n, double q)
{
    if (q <= 0) return sorted[0];
    size_t rank = (size_t)ceil(q * (double)n);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

static void check_quantiles(const char *what, int64_t *data, size_t n)
{
    eb_hist *h = calloc(1, sizeof *h);
    EB_REQUIRE(h != NULL);
    for (size_t i = 0; i < n; i++)
        EB_REQUIRE(eb_hist_record(h, data[i]) == 0);
    qsort(data, n, sizeof *data, cmp_i64);
    static const double qs[] = {0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999, 1};
    for (size_t k = 0; k < sizeof qs / sizeof *qs; k++) {
        int64_t exact = exact_quantile(data, n, qs[k]);
        int64_t est = eb_hist_quantile(h, qs[k]);
        double err = fabs((double)est - (double)exact);
        EB_CHECKF(err <= (double)exact * EB_HIST_RELATIVE_ERROR,
                  "%s: q=%g: histogram %lld, exact %lld (relative error %.5f > %.5f)", what, qs[k],
                  (long long)est, (long long)exact, err / (double)exact, EB_HIST_RELATIVE_ERROR);
    }
    EB_CHECK(eb_hist_quantile(h, 0) == data[0] && eb_hist_quantile(h, 1) == data[n - 1]);
    EB_CHECK(h->count == n);
    free(h);
}

#define N 200000
EB_TEST(quantiles_of_random_data_are_within_the_stated_relative_error)
{
    int64_t *data = malloc(N * sizeof *data);
    EB_REQUIRE(data != NULL);
    /* log-uniform from 1 ns to 10 s: every octave the histogram has */
    for (size_t i = 0; i < N; i++)
        data[i] = (int64_t)exp(uniform() * log(1e10));
    check_quantiles("log-uniform", data, N);
    /* latencies: 10 ms plus an exponential tail (mean 200 us) */
    for (size_t i = 0; i < N; i++)
        data[i] = 10000000 + (int64_t)(-200000.0 * log(1.0 - uniform()));
    check_quantiles("10 ms + exponential", data, N);
    /* a few distinct values, ties everywhere */
    for (size_t i = 0; i < N; i++)
        data[i] = (int64_t)(rng() % 5) * 1234567 + 89;
    check_quantiles("five values", data, N);
    free(data);
}

EB_TEST(merging_equals_recording_everything_in_one)
{
    eb_hist *a = calloc(3, sizeof *a);
    EB_REQUIRE(a != NULL);
    eb_hist *b = a + 1, *all = a + 2;
    for (int i = 0; i < 50000; i++) {
        int64_t v = (int64_t)(rng() >> (1 + rng() % 40));
        EB_REQUIRE(eb_hist_record(i % 3 ? a : b, v) == 0);
        EB_REQUIRE(eb_hist_record(all, v) == 0);
    }
    eb_hist_merge(a, b);
    EB_CHECK(memcmp(a, all, sizeof *a) == 0);
    eb_hist empty_merge;
    eb_hist_reset(&empty_merge);
    eb_hist_merge(&empty_merge, all); /* into an empty one: min and max come along */
    EB_CHECK(empty_merge.min == all->min && empty_merge.max == all->max);
    free(a);
}

EB_TEST(min_max_mean_are_exact_and_bad_input_is_refused)
{
    eb_hist *h = calloc(1, sizeof *h); /* zero bytes: an empty histogram */
    EB_REQUIRE(h != NULL);
    EB_CHECK(eb_hist_quantile(h, 0.5) == -1);
    EB_CHECK(eb_hist_record(h, -1) == -EINVAL && h->count == 0);
    EB_CHECK(eb_hist_record(h, 1000001) == 0);
    EB_CHECK(eb_hist_record_n(h, 3, 3) == 0);
    EB_CHECK(eb_hist_record(h, INT64_MAX / 4) == 0);
    EB_CHECK(h->count == 5 && h->min == 3 && h->max == INT64_MAX / 4);
    EB_CHECK(eb_hist_quantile(h, 0.5) == 3); /* rank 3 of 3,3,3,1000001,max: exact below 128 */
    EB_CHECK(eb_hist_quantile(h, 1.5) == -1 && eb_hist_quantile(h, -0.1) == -1);
    eb_hist_reset(h);
    EB_CHECK(eb_hist_record(h, 10) == 0 && eb_hist_record(h, 20) == 0);
    EB_CHECK(eb_hist_mean(h) == 15.0);
    free(h);
}

EB_TEST(clearing_a_histogram_leaves_zero_bytes_and_merging_reads_only_its_range)
{
    eb_hist *h = calloc(2, sizeof *h);
    EB_REQUIRE(h != NULL);
    eb_hist *zero = h + 1;
    for (int i = 0; i < 1000; i++)
        EB_REQUIRE(eb_hist_record(h, 10000000 + (int64_t)(rng() % 5000000)) == 0);
    eb_hist_clear(h);
    EB_CHECK(memcmp(h, zero, sizeof *h) == 0); /* the same as a fresh, zeroed one */
    /* buckets outside [min, max] are never read: poison them in `from` */
    EB_REQUIRE(eb_hist_record(h, 5000) == 0 && eb_hist_record(h, 7000) == 0);
    h->buckets[0] = 99;
    h->buckets[EB_HIST_BUCKETS - 1] = 99;
    eb_hist_merge(zero, h);
    EB_CHECK(zero->count == 2 && zero->buckets[0] == 0 && zero->buckets[EB_HIST_BUCKETS - 1] == 0);
    EB_CHECK(eb_hist_quantile(zero, 1.0) == 7000);
    free(h);
}
