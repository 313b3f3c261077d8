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

/* A distribution-free confidence interval of the median from the order
 * statistics (the binomial sign-test interval): the narrowest
 * [x(k), x(n+1-k)] whose coverage is at least `level`; when n is too small to
 * reach it (n < 6 for 95%), [min, max], whose coverage is then below `level`
 * (3 repetitions: 75%). */
typedef struct eb_median_interval {
    double lo, hi;
    double coverage; /* the probability the interval holds the median: 1 - 2 P(B <= k-1) */
} eb_median_interval;

/* n >= 1 finite values, 0 < level < 1. Returns 0, -EINVAL, -ENOMEM. */
int eb_stats_median_interval(const double *values, size_t n, double level, eb_median_interval *out);

#endif
