/* disturb.c — see disturb.h. */
#include "disturb.h"

#include "sumsq_kernel.h"
#include "wait.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int eb_cpu_times_read(eb_cpu_times *t)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen("/proc/stat", "re");
    if (f == NULL) return -errno;
    long hz = sysconf(_SC_CLK_TCK);
    double ns_per_tick = 1e9 / (double)(hz > 0 ? hz : 100);
    char line[512];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
        unsigned cpu;
        unsigned long long user, nice, sys, idle, iowait, irq, softirq, steal;
        if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9') continue;
        if (sscanf(line + 3, "%u %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &user, &nice, &sys,
                   &idle, &iowait, &irq, &softirq, &steal) != 9 ||
            cpu > 65535)
            continue;
        if (cpu >= t->count) {
            size_t count = (size_t)cpu + 1;
            int64_t *busy = realloc(t->busy_ns, count * sizeof *busy);
            if (busy == NULL) {
                rc = -ENOMEM;
                break;
            }
            t->busy_ns = busy;
            int64_t *st = realloc(t->steal_ns, count * sizeof *st);
            if (st == NULL) {
                rc = -ENOMEM;
                break;
            }
            t->steal_ns = st;
            for (size_t i = t->count; i < count; i++)
                t->busy_ns[i] = t->steal_ns[i] = -1;
            t->count = count;
        }
        t->busy_ns[cpu] =
            (int64_t)llround((double)(user + nice + sys + irq + softirq) * ns_per_tick);
        t->steal_ns[cpu] = (int64_t)llround((double)steal * ns_per_tick);
    }
    fclose(f);
    if (rc != 0) eb_cpu_times_free(t);
    return rc;
}

void eb_cpu_times_free(eb_cpu_times *t)
{
    free(t->busy_ns);
    free(t->steal_ns);
    memset(t, 0, sizeof *t);
}

void eb_cpu_times_delta(const eb_cpu_times *a, const eb_cpu_times *b, const int *pus, size_t n,
                        int64_t *busy_ns, int64_t *steal_ns)
{
    *busy_ns = *steal_ns = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = (size_t)pus[i];
        if (pus[i] < 0 || c >= a->count || c >= b->count || a->busy_ns[c] < 0 || b->busy_ns[c] < 0)
            continue;
        *busy_ns += b->busy_ns[c] - a->busy_ns[c];
        *steal_ns += b->steal_ns[c] - a->steal_ns[c];
    }
}

int64_t eb_self_cpu_ns(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return ((int64_t)u.ru_utime.tv_sec + (int64_t)u.ru_stime.tv_sec) * 1000000000 +
           ((int64_t)u.ru_utime.tv_usec + (int64_t)u.ru_stime.tv_usec) * 1000;
}

/* ---- the speed probe ----------------------------------------------------------- */

/* The fastest of EB_PROBE_RUNS runs of sumsq(elements) on the current CPU. */
static int64_t probe_here(uint64_t elements)
{
    int64_t best = -1;
    for (int r = 0; r < EB_PROBE_RUNS; r++) {
        int64_t t0 = eb_now_ns();
        uint64_t sum = eb_sumsq(elements);
        int64_t took = eb_now_ns() - t0;
        __asm__ volatile("" : : "r"(sum)); /* keep the kernel: its sum is used */
        if (best < 0 || took < best) best = took;
    }
    return best;
}

/* The probe pinned to `pu`, restoring this thread's CPUs after: its time, or -1. */
static int64_t on_pu(int pu, uint64_t elements)
{
    cpu_set_t was, one;
    if (pu < 0 || pu >= CPU_SETSIZE || sched_getaffinity(0, sizeof was, &was) != 0) return -1;
    CPU_ZERO(&one);
    CPU_SET((size_t)pu, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) return -1;
    int64_t took = probe_here(elements);
    sched_setaffinity(0, sizeof was, &was);
    return took;
}

int eb_probe_calibrate(eb_probe *p, int pu)
{
    p->elements = 1000000;
    int64_t took = on_pu(pu, p->elements);
    if (took <= 0) return -EINVAL;
    double scaled = (double)p->elements * EB_PROBE_TARGET_NS / (double)took;
    p->elements = scaled < 1000 ? 1000 : (uint64_t)scaled;
    return 0;
}

void eb_probe_run(const eb_probe *p, const int *pus, size_t n, int64_t *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = on_pu(pus[i], p->elements);
}

double eb_probe_drift(const int64_t *before, const int64_t *after, size_t n)
{
    double drift = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (before[i] <= 0 || after[i] <= 0) continue;
        double d = fabs((double)after[i] / (double)before[i] - 1.0);
        if (d > drift) drift = d;
    }
    return drift;
}

/* ---- the judgement ------------------------------------------------------------- */

static void clause(char *buf, size_t len, const char *what, double share, int64_t limit)
{
    size_t used = strlen(buf);
    if (used >= len) return;
    snprintf(buf + used, len - used, "%s%s %.1f%% > %g%%", used > 0 ? "; " : "", what,
             100.0 * share, (double)limit / 100.0);
}

bool eb_round_disturbed(const eb_settings *s, const eb_round_load *load, char *reasons, size_t len)
{
    if (len > 0) reasons[0] = '\0';
    double capacity = load->capacity_ns > 0 ? (double)load->capacity_ns : 0.0;
    double foreign = capacity > 0 ? (double)load->foreign_ns / capacity : 0.0;
    double steal = capacity > 0 ? (double)load->steal_ns / capacity : 0.0;
    /* thresholds are in hundredths of a percent: 1000 = 10% */
    if (foreign * 10000.0 > (double)s->rounds.max_foreign_cpu)
        clause(reasons, len, "foreign CPU", foreign, s->rounds.max_foreign_cpu);
    if (steal * 10000.0 > (double)s->rounds.max_steal) clause(reasons, len, "steal", steal, s->rounds.max_steal);
    if (load->drift >= 0.0 && load->drift * 10000.0 > (double)s->rounds.max_probe_drift)
        clause(reasons, len, "probe drift", load->drift, s->rounds.max_probe_drift);
    return len > 0 && reasons[0] != '\0';
}
