/* stats.c — see stats.h. */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double *sorted_copy(const double *values, size_t n)
{
    double *s = malloc((n ? n : 1) * sizeof *s);
    if (s == NULL) return NULL;
    memcpy(s, values, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    return s;
}

static double median_of_sorted(const double *s, size_t n)
{
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
}

double eb_stats_median(const double *values, size_t n)
{
    if (n == 0) return NAN;
    double *s = sorted_copy(values, n);
    if (s == NULL) return NAN;
    double m = median_of_sorted(s, n);
    free(s);
    return m;
}

int eb_stats_summarize(const double *values, size_t n, eb_summary_stats *out)
{
    if (n == 0) return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(values[i])) return -EINVAL;
    double *s = sorted_copy(values, n);
    if (s == NULL) return -ENOMEM;
    /* Welford's update: no large intermediate sums, so no overflow or cancellation. */
    double mean = 0.0, m2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = s[i] - mean;
        mean += d / (double)(i + 1);
        m2 += d * (s[i] - mean);
    }
    out->n = n;
    out->min = s[0];
    out->max = s[n - 1];
    out->median = median_of_sorted(s, n);
    out->mean = mean;
    out->stddev = n > 1 ? sqrt(m2 / (double)(n - 1)) : 0.0;
    out->cv = mean != 0.0 ? out->stddev / mean : 0.0;
    free(s);
    return 0;
}

double eb_stats_geomean(const double *values, size_t n)
{
    if (n == 0) return NAN;
    double log_sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(values[i] > 0.0) || !isfinite(values[i])) return NAN;
        log_sum += log(values[i]);
    }
    return exp(log_sum / (double)n);
}

double eb_stats_change(double old_value, double new_value)
{
    if (old_value == 0.0 && new_value == 0.0) return 0.0;
    if (old_value == 0.0) return (new_value - old_value) / ((old_value + new_value) / 2.0);
    return (new_value - old_value) / fabs(old_value);
}

double eb_stats_normal_sf(double z)
{
    return 0.5 * erfc(z / sqrt(2.0));
}

/* ---- Mann–Whitney U ----------------------------------------------------------- */

typedef struct tagged {
    double value;
    int sample; /* 0: x, 1: y */
} tagged;

static int cmp_tagged(const void *a, const void *b)
{
    return cmp_double(&((const tagged *)a)->value, &((const tagged *)b)->value);
}

/* The exact null distribution: P(U <= k) for sample sizes m and n is the sum of
 * the first k + 1 coefficients of the Gaussian binomial [m+n choose m](q) over
 * C(m+n, m). The polynomial is built as prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i);
 * each step's result has non-negative integer coefficients, so 128-bit integers
 * keep it exact (scipy counts the same frequencies with Theorem 2.5 of
 * Andreas Löffler's recursion). Only degrees <= k matter and truncation there
 * is exact. Returns the CDF, or a negative value when the counts would not fit. */
static double exact_cdf(size_t m, size_t n, size_t k)
{
    if (m > n) {
        size_t t = m;
        m = n;
        n = t;
    }
    /* C(m+n, m) must fit in 127 bits: bound it in floating point first. */
    double log2_binom = 0.0;
    for (size_t i = 1; i <= m; i++)
        log2_binom += log2((double)(n + i) / (double)i);
    if (log2_binom > 120.0) return -1.0;

    /* Beyond a few million degrees the table would cost more memory than any
     * real run justifies; the normal approximation is excellent there. */
    if (k > 4000000) return -1.0;
    size_t deg = k;
    __int128 *c = calloc(deg + 1, sizeof *c);
    if (c == NULL) return -1.0;
    c[0] = 1; /* [n choose 0](q) = 1 */
    for (size_t i = 1; i <= m; i++) {
        /* multiply by (1 - q^(n+i)), descending so each term reads the old value */
        size_t a = n + i;
        for (size_t d = deg; d >= a; d--)
            c[d] -= c[d - a];
        /* divide by (1 - q^i): c[d] += c[d - i], ascending */
        for (size_t d = i; d <= deg; d++)
            c[d] += c[d - i];
    }
    __int128 below = 0;
    for (size_t d = 0; d <= deg; d++)
        below += c[d];
    free(c);
    /* C(m+n, m) by the multiplicative formula, exact at each step; the largest
     * intermediate is m * C(m+n, m) < 2^124 for the m <= 8 this is called with. */
    __int128 total = 1;
    for (size_t i = 1; i <= m; i++)
        total = total * (__int128)(n + i) / (__int128)i;
    return (double)below / (double)total;
}

int eb_stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny, eb_utest *out)
{
    if (nx == 0 || ny == 0) return -EINVAL;
    size_t n = nx + ny;
    tagged *all = malloc(n * sizeof *all);
    if (all == NULL) return -ENOMEM;
    for (size_t i = 0; i < nx; i++)
        all[i] = (tagged){x[i], 0};
    for (size_t i = 0; i < ny; i++)
        all[nx + i] = (tagged){y[i], 1};
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(all[i].value)) {
            free(all);
            return -EINVAL;
        }
    }
    qsort(all, n, sizeof *all, cmp_tagged);

    /* Ranks 1..n, tied values sharing their average rank (scipy's rankdata). */
    double r1 = 0.0, tie_term = 0.0;
    bool ties = false;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && all[j].value == all[i].value)
            j++;
        double t = (double)(j - i);
        double rank = (double)(i + 1 + j) / 2.0; /* mean of ranks i+1 .. j */
        for (size_t k = i; k < j; k++)
            if (all[k].sample == 0) r1 += rank;
        if (j - i > 1) {
            ties = true;
            tie_term += t * t * t - t;
        }
        i = j;
    }
    free(all);

    double dnx = (double)nx, dny = (double)ny;
    double u1 = r1 - dnx * (dnx + 1.0) / 2.0;
    double u2 = dnx * dny - u1;
    double u = u1 > u2 ? u1 : u2; /* two-sided: the larger U, survival function doubled */
    out->u1 = u1;
    out->u2 = u2;

    /* scipy's method='auto': exact when a side has <= 8 values and nothing ties. */
    double p = -1.0;
    if ((nx <= 8 || ny <= 8) && !ties) {
        /* P(U >= u) = P(U <= nx*ny - u) by symmetry; the mass at u counts. */
        double k = dnx * dny - u;
        p = exact_cdf(nx, ny, (size_t)llround(k));
        if (p >= 0.0) {
            p *= 2.0;
            out->method = EB_UTEST_EXACT;
        }
    }
    if (p < 0.0) {
        /* Normal approximation with scipy's tie correction and continuity
         * correction: z = (U - mu - 1/2) / s. */
        double mu = dnx * dny / 2.0;
        double dn = (double)n;
        double var = dnx * dny / 12.0 * ((dn + 1.0) - tie_term / (dn * (dn - 1.0)));
        double s = sqrt(var > 0.0 ? var : 0.0);
        double z = (u - mu - 0.5) / s; /* s == 0 (all tied): -inf, so p = 1 */
        p = 2.0 * eb_stats_normal_sf(z);
        out->method = EB_UTEST_ASYMPTOTIC;
    }
    if (isnan(p)) p = 1.0;
    out->pvalue = p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
    return 0;
}

/* ---- intervals ----------------------------------------------------------------- */

uint64_t eb_stats_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* The order statistics the interval is read at, of EB_STATS_RESAMPLES sorted medians. */
static size_t low_rank(void)
{
    return (size_t)floor(EB_STATS_RESAMPLES * (1.0 - EB_STATS_CONFIDENCE) / 2.0 + 1e-9);
}

static size_t high_rank(void)
{
    return (size_t)ceil(EB_STATS_RESAMPLES * (1.0 + EB_STATS_CONFIDENCE) / 2.0 - 1e-9) - 1;
}

/* The median of a resample of the sorted values s[0..n), given how often the
 * resample drew each (count[i], summing to n): the values at ranks (n-1)/2
 * and n/2 of the resample, averaged. O(n), no sort. */
static double resample_median(const double *s, const size_t *count, size_t n)
{
    size_t lo_rank = (n - 1) / 2, hi_rank = n / 2, seen = 0;
    double lo = NAN;
    for (size_t i = 0; i < n; i++) {
        if (count[i] == 0) continue;
        seen += count[i];
        if (isnan(lo) && seen > lo_rank) lo = s[i];
        if (seen > hi_rank) return (lo + s[i]) / 2.0;
    }
    return lo;
}

/* One side of a bootstrap: its values sorted and a draw's counts. */
typedef struct side {
    double *sorted;
    size_t *count;
    size_t n;
} side;

static int side_init(side *sd, const double *values, size_t n)
{
    memset(sd, 0, sizeof *sd);
    if (n == 0) return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(values[i])) return -EINVAL;
    sd->sorted = sorted_copy(values, n);
    sd->count = calloc(n, sizeof *sd->count);
    sd->n = n;
    return sd->sorted != NULL && sd->count != NULL ? 0 : -ENOMEM;
}

static void side_free(side *sd)
{
    free(sd->sorted);
    free(sd->count);
}

/* A resample's median: draws n indices into the values as given (before
 * sorting: an index names the value at that position of the caller's
 * array), counted against the sorted order through `rank`. */
static double side_draw(side *sd, const size_t *rank, uint64_t *state)
{
    memset(sd->count, 0, sd->n * sizeof *sd->count);
    for (size_t k = 0; k < sd->n; k++)
        sd->count[rank[eb_stats_splitmix64(state) % sd->n]]++;
    return resample_median(sd->sorted, sd->count, sd->n);
}

/* rank[i]: where values[i] stands in the sorted order (ties in input order). */
static size_t *ranks_of(const double *values, size_t n)
{
    size_t *rank = malloc(n * sizeof *rank);
    if (rank == NULL) return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t r = 0;
        for (size_t j = 0; j < n; j++)
            if (values[j] < values[i] || (values[j] == values[i] && j < i)) r++;
        rank[i] = r;
    }
    return rank;
}

static void finish(double *medians, eb_interval *out)
{
    qsort(medians, EB_STATS_RESAMPLES, sizeof *medians, cmp_double);
    out->low = medians[low_rank()];
    out->high = medians[high_rank()];
}

int eb_stats_median_interval(const double *values, size_t n, uint64_t seed, eb_interval *out)
{
    *out = (eb_interval){.estimate = NAN, .low = NAN, .high = NAN, .n = n};
    side sd;
    int rc = side_init(&sd, values, n);
    size_t *rank = rc == 0 ? ranks_of(values, n) : NULL;
    double *medians = rc == 0 ? malloc(EB_STATS_RESAMPLES * sizeof *medians) : NULL;
    if (rc == 0 && (rank == NULL || medians == NULL)) rc = -ENOMEM;
    if (rc == 0) {
        out->estimate = median_of_sorted(sd.sorted, n);
        if (n >= 2) {
            uint64_t state = seed;
            for (size_t b = 0; b < EB_STATS_RESAMPLES; b++)
                medians[b] = side_draw(&sd, rank, &state);
            finish(medians, out);
        }
    }
    free(medians);
    free(rank);
    side_free(&sd);
    return rc;
}

int eb_stats_ratio_interval(const double *num, size_t nn, const double *den, size_t nd,
                            uint64_t seed, eb_interval *out)
{
    *out = (eb_interval){.estimate = NAN, .low = NAN, .high = NAN, .n = nn < nd ? nn : nd};
    side a, b;
    int rc = side_init(&a, num, nn);
    int rc2 = side_init(&b, den, nd);
    if (rc == 0) rc = rc2;
    size_t *rank_a = rc == 0 ? ranks_of(num, nn) : NULL;
    size_t *rank_b = rc == 0 ? ranks_of(den, nd) : NULL;
    double *ratios = rc == 0 ? malloc(EB_STATS_RESAMPLES * sizeof *ratios) : NULL;
    if (rc == 0 && (rank_a == NULL || rank_b == NULL || ratios == NULL)) rc = -ENOMEM;
    if (rc == 0) {
        double ma = median_of_sorted(a.sorted, nn), mb = median_of_sorted(b.sorted, nd);
        if (!(ma > 0.0) || !(mb > 0.0)) {
            rc = -EINVAL;
        } else {
            out->estimate = ma / mb;
            if (out->n >= 2) {
                uint64_t state = seed;
                for (size_t k = 0; k < EB_STATS_RESAMPLES; k++) {
                    double x = side_draw(&a, rank_a, &state);
                    ratios[k] = x / side_draw(&b, rank_b, &state);
                }
                finish(ratios, out);
            }
        }
    }
    free(ratios);
    free(rank_a);
    free(rank_b);
    side_free(&a);
    side_free(&b);
    return rc;
}

bool eb_interval_known(const eb_interval *i)
{
    return i->n >= 2 && isfinite(i->low) && isfinite(i->high);
}

double eb_interval_half_width(const eb_interval *i)
{
    if (!eb_interval_known(i) || !(i->estimate > 0.0)) return INFINITY;
    return (i->high - i->low) / 2.0 / i->estimate;
}

eb_interval eb_interval_scaled(const eb_interval *i, double factor)
{
    eb_interval s = *i;
    s.estimate *= factor;
    s.low *= factor;
    s.high *= factor;
    return s;
}

/* P(B <= k) for B ~ Binomial(n, 1/2), from log-gamma so a large n neither
 * underflows 2^-n nor overflows the binomial coefficients. */
static double binomial_half_cdf(size_t n, size_t k)
{
    double sum = 0.0, ln2n = (double)n * log(2.0), lgn = lgamma((double)n + 1.0);
    for (size_t i = 0; i <= k && i <= n; i++)
        sum += exp(lgn - lgamma((double)i + 1.0) - lgamma((double)(n - i) + 1.0) - ln2n);
    return sum > 1.0 ? 1.0 : sum;
}

int eb_stats_median_rank_interval(const double *values, size_t n, double level,
                                  eb_median_interval *out)
{
    if (n == 0 || !(level > 0.0 && level < 1.0)) return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(values[i])) return -EINVAL;
    double *s = sorted_copy(values, n);
    if (s == NULL) return -ENOMEM;
    /* [x(k), x(n+1-k)] holds the median with probability 1 - 2 P(B <= k-1):
     * the largest k (the narrowest interval) that still reaches `level`. */
    size_t k = 1;
    while (k + 1 <= (n + 1) / 2 && 1.0 - 2.0 * binomial_half_cdf(n, k) >= level)
        k++;
    out->lo = s[k - 1];
    out->hi = s[n - k];
    out->coverage = n >= 2 ? 1.0 - 2.0 * binomial_half_cdf(n, k - 1) : 0.0;
    if (out->coverage < 0.0) out->coverage = 0.0;
    free(s);
    return 0;
}
