/* disturb.h — what the machine did during a round, and whether that
 * disturbed it (--order interleaved; rounds.h).
 *
 * Three measures, each against a threshold of the settings table:
 *   - foreign CPU: the busy time /proc/stat counts on the CPUs the round
 *     used, less execbench's own CPU over the same time (the parent's rusage
 *     and each point process's, which it reports: protocol.h), as a share of
 *     those CPUs' time (--max-foreign-cpu);
 *   - steal: the time the hypervisor ran something else on those virtual
 *     CPUs (/proc/stat's steal), the same share (--max-steal);
 *   - probe drift: a fixed short kernel, about 1 ms of sumsq on each of those
 *     CPUs (the fastest of EB_PROBE_RUNS), run before and after the round;
 *     how far the slowest CPU's time moved (--max-probe-drift).
 * /proc/stat counts in clock ticks (10 ms at USER_HZ 100): a repetition's own
 * figures are coarse, a round's (hundreds of ms over every CPU it used) are
 * what the judgement reads. */
#ifndef EB_DISTURB_H
#define EB_DISTURB_H

#include "settings.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- /proc/stat ---------------------------------------------------------------- */

/* Every CPU's busy (user, nice, system, irq, softirq; guest time is in user)
 * and steal time, in ns, by CPU number. */
typedef struct eb_cpu_times {
    size_t count;
    int64_t *busy_ns, *steal_ns; /* [count]; -1 for a CPU /proc/stat does not list */
} eb_cpu_times;

/* Reads /proc/stat: 0, or -errno (no /proc: then nothing is judged by it). */
int eb_cpu_times_read(eb_cpu_times *t);
void eb_cpu_times_free(eb_cpu_times *t);

/* Busy and steal time on `pus` from a to b. */
void eb_cpu_times_delta(const eb_cpu_times *a, const eb_cpu_times *b, const int *pus, size_t n,
                        int64_t *busy_ns, int64_t *steal_ns);

/* This process's own CPU (user + system), ns. */
int64_t eb_self_cpu_ns(void);

/* ---- the speed probe ----------------------------------------------------------- */

#define EB_PROBE_RUNS 3
#define EB_PROBE_TARGET_NS 1000000 /* about 1 ms a run */

typedef struct eb_probe {
    uint64_t elements; /* sumsq's n: calibrated once, then fixed for the run */
} eb_probe;

/* Sizes the probe to about EB_PROBE_TARGET_NS on `pu`: 0 or -errno. */
int eb_probe_calibrate(eb_probe *p, int pu);

/* The probe on each of `pus` (this thread pinned to each in turn, then
 * unpinned as before): the fastest of EB_PROBE_RUNS runs, ns, into out[i]
 * (-1 where the PU refused the thread). */
void eb_probe_run(const eb_probe *p, const int *pus, size_t n, int64_t *out);

/* The largest |after / before - 1| over the PUs both probed; 0 when none. */
double eb_probe_drift(const int64_t *before, const int64_t *after, size_t n);

/* ---- the judgement ------------------------------------------------------------- */

typedef struct eb_round_load {
    int64_t capacity_ns; /* the round's wall time x the CPUs it used */
    int64_t foreign_ns, steal_ns;
    double drift; /* eb_probe_drift; < 0 when not probed */
} eb_round_load;

/* Whether `load` passes a threshold of `s`; each measure that does is one
 * clause of `reasons` ("foreign CPU 23.4% > 10%; probe drift 12.1% > 10%"),
 * "" when none. */
bool eb_round_disturbed(const eb_settings *s, const eb_round_load *load, char *reasons, size_t len);

#endif
