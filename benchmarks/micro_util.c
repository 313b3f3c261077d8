/* micro_util.c — what the micro families share: pinning through the runner's
 * hwloc pin plans, percentiles, failure messages. */
#include "micro.h"
#include "pin.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loaded on first use and kept for the program's life: loading it can take
 * long on big machines, and every family pins. */
static eb_topology *topology;
static eb_pin_plan *two_cores; /* compact order: core 0's first PU, then core 1's */
static int cores_usable = -1;

static int load(void)
{
    if (cores_usable >= 0) return 0;
    int rc = eb_topology_load(&topology);
    if (rc != 0) return rc;
    char why[256];
    rc = eb_pin_plan_create(topology, EB_PIN_COMPACT, NULL, 2, &two_cores, why, sizeof why);
    if (rc != 0) return rc;
    eb_topology_summary summary;
    eb_topology_summarize(topology, &summary);
    cores_usable = summary.cores;
    return 0;
}

int micro_pin_core(unsigned core)
{
    int rc = load();
    if (rc != 0) return rc;
    if ((int)core >= cores_usable || core >= two_cores->units) return -ENODEV;
    return eb_pin_worker(two_cores, core);
}

bool micro_skip_without_two_cores(eb_state *s)
{
    int rc = load();
    if (rc != 0) {
        micro_fail(s, "could not read the machine's topology: %s", strerror(-rc));
        return true;
    }
    if (cores_usable < 2 || two_cores->units < 2) {
        micro_fail(s,
                   "cross-core needs 2 cores; this machine has %d usable core(s) and %u usable "
                   "PU(s) for it",
                   cores_usable, two_cores->units);
        return true;
    }
    return false;
}

bool micro_pin_or_fail(eb_state *s, unsigned core)
{
    int rc = micro_pin_core(core);
    if (rc == 0) return true;
    micro_fail(s, "could not pin to core %u: %s", core, strerror(-rc));
    return false;
}

static int by_value(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int64_t micro_percentile(int64_t *samples, size_t n, double q)
{
    if (n == 0) return 0;
    qsort(samples, n, sizeof *samples, by_value);
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return samples[i < n ? i : n - 1];
}

void micro_fail(eb_state *s, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    eb_state_skip_with_error(s, msg);
}
