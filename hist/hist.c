/* hist.c — the log-linear histogram of hist.h. */
#include "hist.h"

#include <errno.h>
#include <math.h>
#include <string.h>

void eb_hist_reset(eb_hist *h)
{
    memset(h, 0, sizeof *h);
}

uint32_t eb_hist_bucket_of(int64_t value)
{
    uint64_t v = (uint64_t)value;
    if (v < EB_HIST_SUB_COUNT) return (uint32_t)v;
    unsigned octave = 63u - (unsigned)__builtin_clzll(v); /* >= EB_HIST_SUB_BITS */
    unsigned shift = octave - EB_HIST_SUB_BITS;
    uint64_t mantissa = v >> shift; /* in [SUB_COUNT, 2 * SUB_COUNT) */
    return (uint32_t)((shift + 1) * EB_HIST_SUB_COUNT + (mantissa - EB_HIST_SUB_COUNT));
}

void eb_hist_bucket_range(uint32_t bucket, int64_t *lo, int64_t *width)
{
    if (bucket < EB_HIST_SUB_COUNT) {
        *lo = bucket;
        *width = 1;
        return;
    }
    unsigned shift = bucket / EB_HIST_SUB_COUNT - 1;
    uint64_t mantissa = EB_HIST_SUB_COUNT + bucket % EB_HIST_SUB_COUNT;
    *lo = (int64_t)(mantissa << shift);
    *width = (int64_t)1 << shift;
}

int eb_hist_record_n(eb_hist *h, int64_t value, uint64_t n)
{
    if (value < 0) return -EINVAL;
    if (n == 0) return 0;
    if (h->count == 0 || value < h->min) h->min = value;
    if (h->count == 0 || value > h->max) h->max = value;
    h->count += n;
    h->sum += (uint64_t)value * n;
    h->buckets[eb_hist_bucket_of(value)] += n;
    return 0;
}

void eb_hist_clear(eb_hist *h)
{
    if (h->count > 0) {
        uint32_t lo = eb_hist_bucket_of(h->min), hi = eb_hist_bucket_of(h->max);
        memset(&h->buckets[lo], 0, (hi - lo + 1) * sizeof *h->buckets);
    }
    h->count = h->sum = 0;
    h->min = h->max = 0;
}

void eb_hist_merge(eb_hist *into, const eb_hist *from)
{
    if (from->count == 0) return;
    if (into->count == 0 || from->min < into->min) into->min = from->min;
    if (into->count == 0 || from->max > into->max) into->max = from->max;
    into->count += from->count;
    into->sum += from->sum;
    /* every value lies in [min, max], so do its buckets: the pages beyond
     * them are never touched (a mapping of many histograms stays sparse) */
    uint32_t hi = eb_hist_bucket_of(from->max);
    for (uint32_t b = eb_hist_bucket_of(from->min); b <= hi; b++)
        into->buckets[b] += from->buckets[b];
}

int64_t eb_hist_quantile(const eb_hist *h, double q)
{
    if (h->count == 0 || !(q >= 0.0 && q <= 1.0)) return -1;
    if (q == 0.0) return h->min;
    if (q == 1.0) return h->max;
    double r = ceil(q * (double)h->count);
    uint64_t rank = r < 1.0 ? 1 : r >= (double)h->count ? h->count : (uint64_t)r;
    uint64_t seen = 0;
    for (uint32_t b = 0; b < EB_HIST_BUCKETS; b++) {
        seen += h->buckets[b];
        if (seen < rank) continue;
        int64_t lo, width;
        eb_hist_bucket_range(b, &lo, &width);
        int64_t mid = lo + width / 2;
        /* the true value is also within [min, max]: clamping only gets closer */
        if (mid < h->min) mid = h->min;
        if (mid > h->max) mid = h->max;
        return mid;
    }
    return h->max; /* not reached: the buckets hold count values */
}

double eb_hist_mean(const eb_hist *h)
{
    return h->count == 0 ? 0.0 : (double)h->sum / (double)h->count;
}
