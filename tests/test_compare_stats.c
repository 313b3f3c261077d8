/* test_compare_stats.c — the statistics of execbench-compare against values
 * worked out by hand (the working is in the comments) and, for the U test,
 * against scipy 1.10.1's mannwhitneyu(x, y, alternative='two-sided'), which is
 * what Google Benchmark's compare.py calls; the scipy figures were printed on
 * this machine with /usr/bin/python3 and agree with the hand working. */
#include "eb_test.h"
#include "stats.h"

#include <errno.h>
#include <math.h>

#define CLOSE(a, b, tol) (fabs((a) - (b)) <= (tol)*fmax(1.0, fabs(b)))

static eb_utest utest(const double *x, size_t nx, const double *y, size_t ny)
{
    eb_utest u;
    EB_REQUIRE(eb_stats_mann_whitney(x, nx, y, ny, &u) == 0);
    return u;
}

EB_TEST(median_odd_even_and_unsorted)
{
    double odd[] = {9, 1, 5};
    double even[] = {4, 1, 3, 2};
    EB_CHECK(eb_stats_median(odd, 3) == 5.0);
    EB_CHECK(eb_stats_median(even, 4) == 2.5); /* (2 + 3) / 2 */
    EB_CHECK(odd[0] == 9 && odd[1] == 1);      /* the input is left alone */
    EB_CHECK(isnan(eb_stats_median(odd, 0)));
}

EB_TEST(summary_matches_hand_working)
{
    /* 2 4 4 4 5 5 7 9: mean 5, squared deviations sum 32, sample variance 32/7. */
    double v[] = {4, 2, 9, 4, 5, 4, 7, 5};
    eb_summary_stats s;
    EB_REQUIRE(eb_stats_summarize(v, 8, &s) == 0);
    EB_CHECK(s.n == 8 && s.min == 2 && s.max == 9);
    EB_CHECK(s.median == 4.5);
    EB_CHECK(CLOSE(s.mean, 5.0, 1e-15));
    EB_CHECKF(CLOSE(s.stddev, sqrt(32.0 / 7.0), 1e-14), "stddev %.17g", s.stddev);
    EB_CHECK(CLOSE(s.cv, sqrt(32.0 / 7.0) / 5.0, 1e-14));

    double one[] = {3.5};
    EB_REQUIRE(eb_stats_summarize(one, 1, &s) == 0);
    EB_CHECK(s.stddev == 0.0 && s.cv == 0.0 && s.median == 3.5);

    double bad[] = {1.0, NAN};
    EB_CHECK(eb_stats_summarize(bad, 2, &s) == -EINVAL);
    EB_CHECK(eb_stats_summarize(bad, 0, &s) == -EINVAL);
}

EB_TEST(summary_stays_finite_near_the_limits)
{
    /* Welford's update: a naive sum of these would still be fine, but the
     * squared deviations of 1e18-sized values must not lose the spread. */
    double v[] = {1e18, 1e18 + 4096, 1e18 - 4096};
    eb_summary_stats s;
    EB_REQUIRE(eb_stats_summarize(v, 3, &s) == 0);
    EB_CHECK(isfinite(s.mean) && isfinite(s.stddev));
    EB_CHECKF(CLOSE(s.stddev, 4096.0, 1e-9), "stddev %.17g", s.stddev);
}

EB_TEST(geomean_known_values)
{
    double a[] = {1, 100};      /* sqrt(100) */
    double b[] = {2, 8};        /* sqrt(16) */
    double c[] = {1, 10, 1000}; /* cbrt(10^4) */
    EB_CHECK(CLOSE(eb_stats_geomean(a, 2), 10.0, 1e-15));
    EB_CHECK(CLOSE(eb_stats_geomean(b, 2), 4.0, 1e-15));
    EB_CHECK(CLOSE(eb_stats_geomean(c, 3), cbrt(1e4), 1e-15));
    double z[] = {1, 0};
    EB_CHECK(isnan(eb_stats_geomean(z, 2)));
    EB_CHECK(isnan(eb_stats_geomean(a, 0)));
}

EB_TEST(change_as_compare_py)
{
    /* calculate_change: (new - old) / |old|; both 0 -> 0; old 0 -> over the mean. */
    EB_CHECK(eb_stats_change(50, 25) == -0.5);
    EB_CHECK(eb_stats_change(50, 100) == 1.0);
    EB_CHECK(eb_stats_change(100, 10000) == 99.0);
    EB_CHECK(eb_stats_change(0, 0) == 0.0);
    EB_CHECK(eb_stats_change(0, 4) == 2.0); /* 4 / ((0 + 4) / 2) */
}

EB_TEST(utest_fully_separated_three)
{
    /* x ranks 1,2,3: R1 = 6, U1 = 6 - 3*4/2 = 0, U2 = 9. No ties and n <= 8:
     * exact. Only 1 of C(6,3) = 20 splits is this extreme, one more at the
     * other end: p = 2/20 = 0.1 (scipy: 0.1). */
    double x[] = {1, 2, 3}, y[] = {4, 5, 6};
    eb_utest u = utest(x, 3, y, 3);
    EB_CHECK(u.u1 == 0.0 && u.u2 == 9.0);
    EB_CHECK(u.method == EB_UTEST_EXACT);
    EB_CHECKF(CLOSE(u.pvalue, 0.1, 1e-15), "p %.17g", u.pvalue);
}

EB_TEST(utest_fully_separated_five)
{
    /* The smallest p five repetitions a side can give: 2 / C(10,5) = 2/252
     * (scipy: 0.007936507936507936). Below 0.05, so 5 vs 5 can be significant. */
    double x[] = {5, 1, 4, 2, 3}, y[] = {10, 6, 9, 7, 8};
    eb_utest u = utest(x, 5, y, 5);
    EB_CHECK(u.u1 == 0.0);
    EB_CHECKF(CLOSE(u.pvalue, 2.0 / 252.0, 1e-15), "p %.17g", u.pvalue);
    /* The test is symmetric in its arguments. */
    eb_utest v = utest(y, 5, x, 5);
    EB_CHECK(v.u1 == 25.0 && CLOSE(v.pvalue, u.pvalue, 1e-15));
}

EB_TEST(utest_interleaved_three)
{
    /* x = 1,3,5 against 2,4,6: R1 = 9, U1 = 3, U2 = 6; two-sided uses
     * U = 6: p = 2 P(U >= 6) = 2 P(U <= 3). The counts of U for m = n = 3 are
     * the partitions into at most 3 parts of size <= 3: 1 1 2 3 3 3 3 2 1 1
     * (k = 0..9, total 20), so P(U <= 3) = 7/20 and p = 0.7 (scipy: 0.7). */
    double x[] = {1, 3, 5}, y[] = {2, 4, 6};
    eb_utest u = utest(x, 3, y, 3);
    EB_CHECK(u.u1 == 3.0 && u.u2 == 6.0);
    EB_CHECKF(CLOSE(u.pvalue, 0.7, 1e-15), "p %.17g", u.pvalue);
}

EB_TEST(utest_exact_small_against_large)
{
    /* 3 values against 20 (scipy goes exact: one side <= 8, no ties). Ranks of
     * x: 1.5 -> 1, 7.25 -> 8, 12.5 -> 14; R1 = 23, U1 = 17, U2 = 43.
     * P(U <= 17) = (partitions of k <= 17 into <= 3 parts, round((k+3)^2/12)
     * summed: 237) / C(23,3) = 237/1771, so p = 474/1771 (scipy: 0.2676453980801807). */
    double x[] = {1.5, 7.25, 12.5}, y[20];
    for (int i = 0; i < 20; i++)
        y[i] = 2.0 + i;
    eb_utest u = utest(x, 3, y, 20);
    EB_CHECK(u.u1 == 17.0 && u.u2 == 43.0);
    EB_CHECK(u.method == EB_UTEST_EXACT);
    EB_CHECKF(CLOSE(u.pvalue, 474.0 / 1771.0, 1e-14), "p %.17g", u.pvalue);
}

EB_TEST(utest_ties_go_asymptotic_with_tie_correction)
{
    /* x = 1 2 2 3, y = 2 3 4 5. Combined ranks: 1 -> 1, the three 2s -> 3,
     * the two 3s -> 5.5, 4 -> 7, 5 -> 8. R1 = 1 + 3 + 3 + 5.5 = 12.5,
     * U1 = 12.5 - 10 = 2.5, U2 = 13.5. Ties, so the normal approximation:
     * mu = 8, tie term (27 - 3) + (8 - 2) = 30,
     * s = sqrt(16/12 * (9 - 30/56)) = 3.3594..., z = (13.5 - 8 - 0.5) / s,
     * p = erfc(z / sqrt 2) = 0.13665824773814753 (scipy: 0.1366582477381475). */
    double x[] = {1, 2, 2, 3}, y[] = {2, 3, 4, 5};
    eb_utest u = utest(x, 4, y, 4);
    EB_CHECK(u.u1 == 2.5 && u.u2 == 13.5);
    EB_CHECK(u.method == EB_UTEST_ASYMPTOTIC);
    double s = sqrt(16.0 / 12.0 * (9.0 - 30.0 / 56.0));
    EB_CHECKF(CLOSE(u.pvalue, erfc(5.0 / s / sqrt(2.0)), 1e-14), "p %.17g", u.pvalue);
    EB_CHECKF(CLOSE(u.pvalue, 0.1366582477381475, 1e-12), "p %.17g", u.pvalue);
}

EB_TEST(utest_large_samples_asymptotic)
{
    /* 9 against 9, fully separated: both sides > 8, so asymptotic even without
     * ties. U = 81, mu = 40.5, s = sqrt(81/12 * 19), z = 40 / s,
     * p = erfc(z / sqrt 2) = 0.00041229480206169 (scipy: 0.00041229480206169127). */
    double x[9], y[9];
    for (int i = 0; i < 9; i++)
        x[i] = 1.0 + i, y[i] = 10.0 + i;
    eb_utest u = utest(x, 9, y, 9);
    EB_CHECK(u.method == EB_UTEST_ASYMPTOTIC);
    EB_CHECKF(CLOSE(u.pvalue, 0.00041229480206169127, 1e-12), "p %.17g", u.pvalue);

    /* 10 against 11, interleaved, no ties: U1 = 45, U = 65, mu = 55,
     * s = sqrt(110/12 * 22), z = 9.5 / s -> p = 0.5035147104262714 (scipy). */
    double a[] = {0.5, 2.5, 4.5, 6.5, 8.5, 10.5, 12.5, 14.5, 16.5, 18.5};
    double b[] = {1, 3, 5, 7, 9, 11, 13, 15, 17, 19.25, 20};
    u = utest(a, 10, b, 11);
    EB_CHECK(u.u1 == 45.0);
    EB_CHECKF(CLOSE(u.pvalue, 0.5035147104262714, 1e-12), "p %.17g", u.pvalue);
}

EB_TEST(utest_degenerate_inputs)
{
    /* All equal: s = 0, z = -inf, p clipped to 1 (scipy: 1.0). */
    double x[] = {5, 5, 5}, y[] = {5, 5, 5};
    EB_CHECK(utest(x, 3, y, 3).pvalue == 1.0);
    /* One against one: U = 1 of 1, p = 2 * 1/2 = 1 (scipy: 1.0). */
    double one[] = {1}, two[] = {2};
    EB_CHECK(utest(one, 1, two, 1).pvalue == 1.0);
    eb_utest u;
    EB_CHECK(eb_stats_mann_whitney(x, 0, y, 3, &u) == -EINVAL);
    double nan_in[] = {1, NAN};
    EB_CHECK(eb_stats_mann_whitney(nan_in, 2, y, 3, &u) == -EINVAL);
}

/* P(U1 >= u) under the null, by listing every way to choose which m of the
 * m + n ranks belong to x. */
static double brute_sf(int m, int n, double u)
{
    long at_least = 0, total = 0;
    for (unsigned mask = 0; mask < (1u << (m + n)); mask++) {
        if (__builtin_popcount(mask) != m) continue;
        int r1 = 0;
        for (int i = 0; i < m + n; i++)
            if (mask & (1u << i)) r1 += i + 1;
        total++;
        if (r1 - m * (m + 1) / 2.0 >= u) at_least++;
    }
    return (double)at_least / (double)total;
}

EB_TEST(utest_exact_distribution_matches_enumeration)
{
    /* For every split of the ranks 1..m+n between x and y (m, n <= 6), the
     * two-sided exact p must equal twice the share of splits whose U1 is at
     * least as large as the observed larger U, counted one by one. */
    for (int m = 1; m <= 6; m++) {
        for (int n = 1; n <= 6; n++) {
            for (unsigned mask = 0; mask < (1u << (m + n)); mask++) {
                if (__builtin_popcount(mask) != m) continue;
                double x[6], y[6];
                size_t xi = 0, yi = 0;
                for (int r = 0; r < m + n; r++) {
                    if (mask & (1u << r))
                        x[xi++] = r + 1;
                    else
                        y[yi++] = r + 1;
                }
                eb_utest u = utest(x, xi, y, yi);
                double expect = fmin(1.0, 2.0 * brute_sf(m, n, fmax(u.u1, u.u2)));
                EB_CHECKF(u.method == EB_UTEST_EXACT && CLOSE(u.pvalue, expect, 1e-12),
                          "m=%d n=%d mask=%#x p=%.17g expected %.17g", m, n, mask, u.pvalue,
                          expect);
            }
        }
    }
}

EB_TEST(normal_sf_known_values)
{
    EB_CHECK(CLOSE(eb_stats_normal_sf(0.0), 0.5, 1e-15));
    EB_CHECK(CLOSE(eb_stats_normal_sf(1.959963984540054), 0.025, 1e-12));
    EB_CHECK(eb_stats_normal_sf(-INFINITY) == 1.0);
}

/* The median's order-statistic interval. n = 10: P(B <= 1) = 11/1024 for
 * B ~ Bin(10, 1/2), so [x(2), x(9)] covers 1 - 22/1024 = 0.978515625 >= 95%,
 * while [x(3), x(8)] covers 1 - 2 * 56/1024 = 0.890625 < 95%. */
EB_TEST(median_interval_of_ten_is_second_to_ninth)
{
    double v[] = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
    eb_median_interval iv;
    EB_REQUIRE(eb_stats_median_rank_interval(v, 10, 0.95, &iv) == 0);
    EB_CHECKF(iv.lo == 2 && iv.hi == 9, "[%g, %g]", iv.lo, iv.hi);
    EB_CHECKF(CLOSE(iv.coverage, 1.0 - 22.0 / 1024.0, 1e-12), "coverage %.17g", iv.coverage);
    /* asked for 85%, [x(3), x(8)] will do */
    EB_REQUIRE(eb_stats_median_rank_interval(v, 10, 0.85, &iv) == 0);
    EB_CHECK(iv.lo == 3 && iv.hi == 8 && CLOSE(iv.coverage, 0.890625, 1e-12));
    EB_CHECK(v[0] == 10 && v[1] == 1); /* the input is left alone */
}

/* Too few to reach the level: min and max, with what they cover
 * (3 values: 1 - 2/8 = 75%; one value: nothing). */
EB_TEST(median_interval_of_three_is_min_max_at_75_percent)
{
    double v[] = {3, 1, 2};
    eb_median_interval iv;
    EB_REQUIRE(eb_stats_median_rank_interval(v, 3, 0.95, &iv) == 0);
    EB_CHECK(iv.lo == 1 && iv.hi == 3 && CLOSE(iv.coverage, 0.75, 1e-12));
    EB_REQUIRE(eb_stats_median_rank_interval(v, 1, 0.95, &iv) == 0);
    EB_CHECK(iv.lo == 3 && iv.hi == 3 && iv.coverage == 0.0);
    double bad[] = {1, NAN};
    EB_CHECK(eb_stats_median_rank_interval(bad, 2, 0.95, &iv) == -EINVAL);
    EB_CHECK(eb_stats_median_rank_interval(v, 0, 0.95, &iv) == -EINVAL);
    EB_CHECK(eb_stats_median_rank_interval(v, 3, 1.0, &iv) == -EINVAL);
}

/* 1000 values (execbench's most repetitions): no underflow of 2^-1000 on the
 * way; the interval is near the middle and covers at least 95%. */
EB_TEST(median_interval_of_a_thousand)
{
    static double v[1000];
    for (size_t i = 0; i < 1000; i++)
        v[i] = (double)((i * 7919) % 1000); /* 0..999, shuffled */
    eb_median_interval iv;
    EB_REQUIRE(eb_stats_median_rank_interval(v, 1000, 0.95, &iv) == 0);
    EB_CHECKF(iv.lo >= 460 && iv.lo <= 470 && iv.hi >= 529 && iv.hi <= 539, "[%g, %g]", iv.lo,
              iv.hi);
    EB_CHECKF(iv.coverage >= 0.95 && iv.coverage < 0.96, "coverage %g", iv.coverage);
}
