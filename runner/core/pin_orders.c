/* pin_orders.c — the pin policies execbench ships with (pin.h): each one's
 * order of processing units, and its `const eb_pin_policy`. */
#include "pin.h"

#include "err.h"
#include "pin_policy.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

/* No pinning: the OS decides; every PU is on offer. */
static int order_none(const eb_topology *t, const char *list, int *pus, int cap, char *why,
                      size_t why_len)
{
    (void)t, (void)list, (void)pus, (void)why, (void)why_len;
    return cap;
}

/* The PUs usable by this process, in the policy's order, into pus[]; returns
 * how many. `cap` bounds the output. */
static int order_compact(const eb_topology *t, const char *list, int *pus, int cap, char *why,
                         size_t why_len)
{
    (void)list, (void)why, (void)why_len;
    hwloc_topology_t topo = eb_topology_hwloc(t);
    /* First PU of each core in logical order, then second PUs, and so on: SMT
     * siblings only after every core has one worker. */
    int n = 0, cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
    if (cores <= 0) return 0;
    for (unsigned level = 0;; level++) {
        int added = 0;
        for (int c = 0; c < cores && n < cap; c++) {
            hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, (unsigned)c);
            hwloc_obj_t pu =
                hwloc_get_obj_inside_cpuset_by_type(topo, core->cpuset, HWLOC_OBJ_PU, level);
            if (pu != NULL) {
                pus[n++] = (int)pu->os_index;
                added++;
            }
        }
        if (added == 0 || n >= cap) break;
    }
    return n;
}

static int order_pu(const eb_topology *t, const char *list, int *pus, int cap, char *why,
                    size_t why_len)
{
    (void)list, (void)why, (void)why_len;
    hwloc_topology_t topo = eb_topology_hwloc(t);
    int n = 0, count = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
    for (int i = 0; i < count && n < cap; i++)
        pus[n++] = (int)hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i)->os_index;
    return n;
}

static int order_scatter(const eb_topology *t, const char *list, int *pus, int cap, char *why,
                         size_t why_len)
{
    (void)list, (void)why, (void)why_len;
    hwloc_topology_t topo = eb_topology_hwloc(t);
    /* hwloc_distrib spreads n items over the tree from the root down, so
     * consecutive workers land in different packages / NUMA nodes / L3s first. */
    int cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
    int n = cores < cap ? cores : cap;
    if (n <= 0) return 0;
    hwloc_bitmap_t *sets = calloc((size_t)n, sizeof *sets);
    if (sets == NULL) return 0;
    hwloc_obj_t root = hwloc_get_root_obj(topo);
    int out = 0;
    if (hwloc_distrib(topo, &root, 1, sets, (unsigned)n, INT_MAX, 0) == 0) {
        for (int i = 0; i < n; i++) {
            hwloc_bitmap_singlify(sets[i]);
            int pu = hwloc_bitmap_first(sets[i]);
            if (pu >= 0) pus[out++] = pu;
        }
    }
    for (int i = 0; i < n; i++)
        hwloc_bitmap_free(sets[i]);
    free(sets);
    return out;
}

/* One CPU number of a list, at most EB_CPU_MAX: 0 and *p past it, or -1. */
#define EB_CPU_MAX 65535
static int cpu_number(const char **p, unsigned long *out)
{
    if (!isdigit((unsigned char)**p)) return -1;
    char *end;
    errno = 0;
    *out = strtoul(*p, &end, 10);
    if (errno != 0 || *out > EB_CPU_MAX) return -1;
    *p = end;
    return 0;
}

/* Reads "N" and "N-M" items (N <= M <= EB_CPU_MAX), comma-separated, into
 * `set`: 0, or -1 for anything else. By hand, not hwloc's list parser, which
 * takes "-57" as CPU -57 and "08-10" as octal, then iterates for ever, and
 * "0-4000000000" as four billion CPUs (a 500 MB bitmap). Found by fuzz_cli. */
static int cpuset_parse(const char *list, hwloc_bitmap_t set)
{
    for (const char *p = list;;) {
        unsigned long lo, hi;
        if (cpu_number(&p, &lo) != 0) return -1;
        hi = lo;
        if (*p == '-') {
            p++;
            if (cpu_number(&p, &hi) != 0 || hi < lo) return -1;
        }
        if (hwloc_bitmap_set_range(set, (unsigned)lo, (int)hi) != 0) return -1;
        if (*p == '\0') return 0;
        if (*p++ != ',') return -1;
    }
}

static int order_cpuset(const eb_topology *t, const char *list, int *pus, int cap, char *why,
                        size_t why_len)
{
    hwloc_topology_t topo = eb_topology_hwloc(t);
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    if (set == NULL) return -ENOMEM;
    int rc = 0, n = 0;
    if (list == NULL || cpuset_parse(list, set) != 0 || hwloc_bitmap_iszero(set) ||
        hwloc_bitmap_weight(set) < 0) {
        rc = eb_fail(why, why_len, -EINVAL, "cpuset '%s' is not a list of CPUs like 0-3,6",
                     list ? list : "");
    } else {
        hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(topo);
        int cpu;
        hwloc_bitmap_foreach_begin(cpu, set)
        {
            if (rc == 0 && !hwloc_bitmap_isset(allowed, (unsigned)cpu)) {
                char have[128];
                hwloc_bitmap_list_snprintf(have, sizeof have, allowed);
                rc = eb_fail(why, why_len, -EINVAL,
                             "cpuset '%s' names CPU %d, which this machine lacks (it has %s)", list,
                             cpu, have);
            } else if (rc == 0 && n < cap) {
                pus[n++] = cpu;
            }
        }
        hwloc_bitmap_foreach_end();
    }
    hwloc_bitmap_free(set);
    return rc < 0 ? rc : n;
}

const eb_pin_policy eb_pin_none = {
    .name = "none",
    .description = "the OS decides",
    .order = order_none,
};

const eb_pin_policy eb_pin_compact = {
    .name = "compact",
    .description = "one worker per physical core in order, SMT siblings last",
    .pins = true,
    .order = order_compact,
};

const eb_pin_policy eb_pin_scatter = {
    .name = "scatter",
    .description = "spread across packages / NUMA nodes / L3 first",
    .pins = true,
    .order = order_scatter,
};

const eb_pin_policy eb_pin_pu = {
    .name = "pu",
    .description = "one worker per hardware thread, in order",
    .pins = true,
    .order = order_pu,
};

const eb_pin_policy eb_pin_cpuset = {
    .name = "cpuset",
    .description = "the CPUs of the list, in order",
    .pins = true,
    .from_list = true,
    .order = order_cpuset,
};
