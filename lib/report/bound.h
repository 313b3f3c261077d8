/* bound.h — a figure beyond its physical bound, and the likely cause its rows show.
 *
 * efficiency = ideal_ns / median, and the ideal is the best the point could do
 * (RESULTS-FORMAT.md), so an efficiency above 100% is beyond what the machine
 * allows. A speedup's bound is the ideal speedup, reference median / ideal_ns
 * (for CPU work, the best schedule of the whole tasks): speedup / that bound = efficiency, so the
 * speedup crosses its bound exactly when the efficiency crosses 100%. Until the
 * runner's answers are robust to noise, such a figure is a measurement artefact:
 * the runner's console table, execbench-compare and tools/plot.py mark it "!"
 * and name the likely cause read from the rows.
 *
 * Header-only: the runner does not link the compare tool's libraries, and the
 * rule must be stated once for both (tools/plot.py mirrors it, and says so). */
#ifndef EB_BOUND_H
#define EB_BOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The mark put after a figure beyond its bound. */
#define EB_BOUND_MARK "!"

/* The reference's wall time this far above its CPU time: it waited for a CPU. */
#define EB_BOUND_DESCHEDULED 1.05
/* The reference's CPU time this far above the point's, for the same work: its
 * CPU ran slower. */
#define EB_BOUND_SLOWER_CPU 1.05
/* CPU time at least this share of the wall time: the work is CPU-bound (a wait's
 * CPU time is near 0, and says nothing of a CPU's speed). */
#define EB_BOUND_CPU_BOUND 0.5

/* Beyond the bound as the figure is shown: `shown_step` is the display's
 * resolution as a fraction (1e-4 for "100.00%", 1e-3 for "100.0%"), so a
 * figure that reads 100.00% is never marked. */
static inline bool eb_beyond_bound(double efficiency, double shown_step)
{
    return efficiency >= 1.0 + shown_step / 2.0;
}

/* With an interval: beyond the bound when its low end, as shown, is. */
static inline bool eb_beyond_bound_interval(double low, double shown_step)
{
    return eb_beyond_bound(low, shown_step);
}

/* What the rows say; every figure is < 0 when unknown. */
typedef struct eb_bound_rows {
    double efficiency;      /* ideal / median, beyond the bound */
    double real_ns, cpu_ns; /* the point's medians */
    double cv;              /* the point's coefficient of variation */
    double ref_real_ns;     /* the sequential reference's medians (what the speedup */
    double ref_cpu_ns;      /* divides, and a CPU ideal is drawn from) */
    double ref_cv;
} eb_bound_rows;

/* One clause naming the likely cause, without a final period, into buf. */
static inline void eb_bound_cause(const eb_bound_rows *r, char *buf, size_t len)
{
    bool ref = r->ref_real_ns > 0 && r->ref_cpu_ns > 0;
    bool ref_cpu_bound = ref && r->ref_cpu_ns >= EB_BOUND_CPU_BOUND * r->ref_real_ns;
    bool cpu_bound = r->real_ns > 0 && r->cpu_ns >= EB_BOUND_CPU_BOUND * r->real_ns;
    double over = r->efficiency - 1.0;
    double spread = r->cv > r->ref_cv ? r->cv : r->ref_cv;
    if (ref_cpu_bound && r->ref_real_ns >= EB_BOUND_DESCHEDULED * r->ref_cpu_ns)
        snprintf(buf, len,
                 "the sequential point's wall time is %.0f%% above its CPU time: it waited for "
                 "a CPU (descheduled), which inflates the ideal and the speedup drawn from it",
                 100.0 * (r->ref_real_ns / r->ref_cpu_ns - 1.0));
    else if (ref_cpu_bound && cpu_bound && r->ref_cpu_ns >= EB_BOUND_SLOWER_CPU * r->cpu_ns)
        snprintf(buf, len,
                 "the sequential point spent %.0f%% more CPU time than this point on the same "
                 "work: its CPU ran slower (a busy host, a lower clock), which inflates the "
                 "ideal and the speedup drawn from it",
                 100.0 * (r->ref_cpu_ns / r->cpu_ns - 1.0));
    else if (spread >= 0 && over <= spread)
        snprintf(
            buf, len, "%.2f%% over, within the spread of the repetitions (%s CV %.2f%%): noise",
            100.0 * over, r->ref_cv > r->cv ? "the sequential point's" : "its", 100.0 * spread);
    else
        snprintf(buf, len, "the rows show no cause; run the point again");
}

#endif
