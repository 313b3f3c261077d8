/* hist.h — a latency histogram with a bounded relative error.
 *
 * HdrHistogram's log-linear bucket idea, written by hand: Debian packages no
 * C HdrHistogram (only Java's and Go's), and the idea fits in one small file.
 * Values below 2^EB_HIST_SUB_BITS (128 ns) get a bucket each and are exact;
 * every octave [2^k, 2^(k+1)) above is cut into 2^EB_HIST_SUB_BITS equal
 * buckets of width 2^(k - EB_HIST_SUB_BITS). A quantile is reported as the
 * middle of the bucket that holds it, so it is within half a bucket of the
 * true value v: |reported - v| <= v / 2^(EB_HIST_SUB_BITS + 1), a relative
 * error of at most EB_HIST_RELATIVE_ERROR (1/256, 0.39%), over the whole
 * range of int64_t nanoseconds (0 to 292 years).
 *
 * The struct is plain data with no pointers: zero bytes are an empty
 * histogram, so it can live in a shared mapping written by forked workers
 * and be merged by their parent. 58 KiB each.
 *
 * Lives in its own top-level folder (library eb_hist, no dependencies): the
 * net client records request latencies with it now, and the execution core
 * and results library of the reorganisation will record and report any
 * workload's per-task latencies with it, so it belongs to neither. */
#ifndef EB_HIST_H
#define EB_HIST_H

#include <stdint.h>

#define EB_HIST_SUB_BITS 7
#define EB_HIST_SUB_COUNT (1 << EB_HIST_SUB_BITS)
/* 0 .. 127 exact, then octaves 7 .. 62 (INT64_MAX < 2^63), 128 buckets each */
#define EB_HIST_BUCKETS ((64 - EB_HIST_SUB_BITS) * EB_HIST_SUB_COUNT)
#define EB_HIST_RELATIVE_ERROR (1.0 / (2 * EB_HIST_SUB_COUNT))

typedef struct eb_hist {
    uint64_t count;
    uint64_t sum; /* of all values, for the exact mean (wraps after 584 years in total) */
    int64_t min;  /* exact; meaningful when count > 0 */
    int64_t max;  /* exact; meaningful when count > 0 */
    uint64_t buckets[EB_HIST_BUCKETS];
} eb_hist;

/* Empties `h` (the same as zeroing it). */
void eb_hist_reset(eb_hist *h);

/* Records `value` (>= 0) `n` times: 0, or -EINVAL for a negative value. */
int eb_hist_record_n(eb_hist *h, int64_t value, uint64_t n);

static inline int eb_hist_record(eb_hist *h, int64_t value)
{
    return eb_hist_record_n(h, value, 1);
}

/* Empties a histogram that is one (zeroed, or recorded into since) by
 * writing only the buckets between its min and max: a histogram in a large
 * sparse mapping is emptied without touching its other pages. */
void eb_hist_clear(eb_hist *h);

/* Adds every value recorded in `from` to `into` (reading only the buckets
 * between from's min and max). */
void eb_hist_merge(eb_hist *into, const eb_hist *from);

/* The q-quantile (0 <= q <= 1) by the nearest-rank rule: the value of rank
 * ceil(q * count) (at least 1) among the sorted values, within
 * EB_HIST_RELATIVE_ERROR of it; q = 0 and q = 1 give the exact min and max.
 * -1 when the histogram is empty or q is outside [0, 1]. */
int64_t eb_hist_quantile(const eb_hist *h, double q);

/* The exact mean, or 0 when empty. */
double eb_hist_mean(const eb_hist *h);

/* The bucket of `value` (>= 0) and the values it holds: [lo, lo + width). */
uint32_t eb_hist_bucket_of(int64_t value);
void eb_hist_bucket_range(uint32_t bucket, int64_t *lo, int64_t *width);

#endif
