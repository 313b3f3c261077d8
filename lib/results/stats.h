/* stats.h — the statistics of execbench-compare, in one place with its own tests
 * (tests/test_compare_stats.c).
 *
 * Descriptive statistics over repetitions, the geometric mean, the relative
 * change, and the two-sided Mann–Whitney U test exactly as Google Benchmark's
 * tools/compare.py runs it: scipy.stats.mannwhitneyu(x, y,
 * alternative='two-sided') with scipy's defaults (method 'auto', continuity
 * correction on). No C library on the dependency list offers a rank test, so it
 * is written here from scipy's definition (scipy 1.10 stats/_mannwhitneyu.py). */
#ifndef EB_STATS_H
#define EB_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* compare.py: a U test needs at least 2 repetitions per side, and warns that
 * results are unreliable below 9. */
#define EB_UTEST_MIN_REPETITIONS 2
#define EB_UTEST_OPTIMAL_REPETITIONS 9
#define EB_UTEST_DEFAULT_ALPHA 0.05

typedef struct eb_summary_stats {
    size_t n;
    double min, max, median, mean;
    double stddev; /* sample standard deviation (n - 1), as Google Benchmark's; 0 when n < 2 */
    double cv;     /* stddev / mean; 0 when the mean is 0 */
} eb_summary_stats;

/* Fills *out from n values (n >= 1). Returns 0, or -EINVAL for n == 0 or a
 * value that is not finite. The input is not modified. */
int eb_stats_summarize(const double *values, size_t n, eb_summary_stats *out);

/* The median of n >= 1 values (mean of the middle two when n is even); NAN when n == 0. */
double eb_stats_median(const double *values, size_t n);

/* exp(mean(log x)) of n >= 1 positive values; NAN when n == 0 or any value <= 0. */
double eb_stats_geomean(const double *values, size_t n);

/* compare.py's calculate_change: (new - old) / |old|; 0 when both are 0; the
 * change relative to their mean when only old is 0. */
double eb_stats_change(double old_value, double new_value);

typedef enum eb_utest_method {
    EB_UTEST_EXACT,      /* no ties and a side with <= 8 values: the exact null distribution */
    EB_UTEST_ASYMPTOTIC, /* normal approximation, tie-corrected, continuity-corrected */
} eb_utest_method;

typedef struct eb_utest {
    double u1;     /* U of the first sample (scipy's statistic) */
    double u2;     /* nx * ny - u1 */
    double pvalue; /* two-sided, in [0, 1] */
    eb_utest_method method;
} eb_utest;

/* The two-sided Mann–Whitney U test of x against y (each n >= 1, finite values).
 * Returns 0, -EINVAL for empty or non-finite input, -ENOMEM. */
int eb_stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny, eb_utest *out);

/* The standard normal survival function P(Z > z). */
double eb_stats_normal_sf(double z);

/* ---- intervals ------------------------------------------------------------------
 *
 * The 95% interval of a median is the percentile bootstrap: EB_STATS_RESAMPLES
 * resamples drawn with replacement, each one's median, and the interval from
 * the 2.5th to the 97.5th percentile of those (order statistics 50 and 1949
 * of the 2000 sorted). It assumes nothing of the shape of the values, which
 * on a shared machine are skewed (a round disturbed on one side); chosen over
 * Hodges-Lehmann's interval by its coverage on measured rounds (README,
 * "Reading the numbers"). The draws come from splitmix64 seeded with the
 * run's --seed (recorded in the document), index = next() % n, so an interval
 * is reproduced exactly from the document; tests/fixtures/intervals/ holds
 * intervals numpy computed from the same draws. */
#define EB_STATS_RESAMPLES 2000
#define EB_STATS_CONFIDENCE 0.95

/* splitmix64 (Steele, Lea, Flood 2014): the next value of the stream *state. */
uint64_t eb_stats_splitmix64(uint64_t *state);

typedef struct eb_interval {
    double estimate;  /* the median (one sample) or the ratio of the medians (two) */
    double low, high; /* the 95% interval; NAN when n < 2 (no interval) */
    size_t n;         /* values the estimate stands on (the smaller side of two) */
} eb_interval;

/* The median of values[0..n) and its interval. 0, -EINVAL (n == 0 or a value
 * not finite) or -ENOMEM. */
int eb_stats_median_interval(const double *values, size_t n, uint64_t seed, eb_interval *out);

/* median(num) / median(den) and its interval, each side resampled on its own
 * (two samples that are not paired: repetitions run blocked). 0, -EINVAL
 * (an empty side, a value not finite, a median of 0 or less) or -ENOMEM. */
int eb_stats_ratio_interval(const double *num, size_t nn, const double *den, size_t nd,
                            uint64_t seed, eb_interval *out);

/* True when the interval is known (n >= 2). */
bool eb_interval_known(const eb_interval *i);

/* Half the interval's width relative to its estimate: 0.02 for 1.00 [0.98-1.02];
 * INFINITY when unknown. */
double eb_interval_half_width(const eb_interval *i);

/* The interval scaled by factor > 0 (a CPU efficiency is the speedup times
 * the ideal's share). */
eb_interval eb_interval_scaled(const eb_interval *i, double factor);

/* A distribution-free confidence interval of the median from the order
 * statistics (the binomial sign-test interval), with the coverage it reaches:
 * for a trend's points (execbench-compare trend), where a run of 3
 * repetitions must say its whiskers cover 75%, not claim the 95% above: the narrowest
 * [x(k), x(n+1-k)] whose coverage is at least `level`; when n is too small to
 * reach it (n < 6 for 95%), [min, max], whose coverage is then below `level`
 * (3 repetitions: 75%). */
typedef struct eb_median_interval {
    double lo, hi;
    double coverage; /* the probability the interval holds the median: 1 - 2 P(B <= k-1) */
} eb_median_interval;

/* n >= 1 finite values, 0 < level < 1. Returns 0, -EINVAL, -ENOMEM. */
int eb_stats_median_rank_interval(const double *values, size_t n, double level,
                                  eb_median_interval *out);

#endif
