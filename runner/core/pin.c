/* pin.c — hwloc topology, pin policies and binding (see pin.h). */
#include "pin.h"

#include <hwloc.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct eb_topology {
    hwloc_topology_t topo;
};

int eb_topology_load(eb_topology **out)
{
    eb_topology *t = calloc(1, sizeof *t);
    if (t == NULL) return -ENOMEM;
    if (hwloc_topology_init(&t->topo) != 0) {
        free(t);
        return -ENOMEM;
    }
    if (hwloc_topology_load(t->topo) != 0) {
        int err = errno ? -errno : -EIO;
        hwloc_topology_destroy(t->topo);
        free(t);
        return err;
    }
    *out = t;
    return 0;
}

void eb_topology_free(eb_topology *t)
{
    if (t == NULL) return;
    hwloc_topology_destroy(t->topo);
    free(t);
}

void eb_topology_summarize(const eb_topology *t, eb_topology_summary *out)
{
    hwloc_topology_t topo = t->topo;
    out->packages = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
    out->numa_nodes = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
    out->cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
    out->pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
    hwloc_obj_t l3 = hwloc_get_obj_by_type(topo, HWLOC_OBJ_L3CACHE, 0);
    out->l3_bytes = l3 != NULL && l3->attr != NULL ? (int64_t)l3->attr->cache.size : 0;
}

static const char *const policy_names[] = {
    [EB_PIN_NONE] = "none", [EB_PIN_COMPACT] = "compact", [EB_PIN_SCATTER] = "scatter",
    [EB_PIN_PU] = "pu",     [EB_PIN_CPUSET] = "cpuset",
};

int eb_pin_policy_parse(const char *text, eb_pin_policy *out)
{
    for (int p = EB_PIN_NONE; p <= EB_PIN_PU; p++) {
        if (strcmp(text, policy_names[p]) == 0) {
            *out = (eb_pin_policy)p;
            return 0;
        }
    }
    return -EINVAL;
}

const char *eb_pin_policy_name(eb_pin_policy policy)
{
    if ((unsigned)policy > EB_PIN_CPUSET) return "?";
    return policy_names[policy];
}

/* The PUs usable by this process, in the policy's order, into pus[]; returns
 * how many. `cap` bounds the output. */
static int order_compact(hwloc_topology_t topo, int *pus, int cap)
{
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

static int order_pu(hwloc_topology_t topo, int *pus, int cap)
{
    int n = 0, count = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
    for (int i = 0; i < count && n < cap; i++)
        pus[n++] = (int)hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i)->os_index;
    return n;
}

static int order_scatter(hwloc_topology_t topo, int *pus, int cap)
{
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

static int order_cpuset(hwloc_topology_t topo, const char *list, int *pus, int cap, char *why,
                        size_t why_len)
{
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    if (set == NULL) return -ENOMEM;
    int rc = 0, n = 0;
    if (list == NULL || cpuset_parse(list, set) != 0 || hwloc_bitmap_iszero(set) ||
        hwloc_bitmap_weight(set) < 0) {
        snprintf(why, why_len, "cpuset '%s' is not a list of CPUs like 0-3,6", list ? list : "");
        rc = -EINVAL;
    } else {
        hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(topo);
        int cpu;
        hwloc_bitmap_foreach_begin(cpu, set)
        {
            if (rc == 0 && !hwloc_bitmap_isset(allowed, (unsigned)cpu)) {
                char have[128];
                hwloc_bitmap_list_snprintf(have, sizeof have, allowed);
                snprintf(why, why_len,
                         "cpuset '%s' names CPU %d, which this machine lacks (it has %s)", list,
                         cpu, have);
                rc = -EINVAL;
            } else if (rc == 0 && n < cap) {
                pus[n++] = cpu;
            }
        }
        hwloc_bitmap_foreach_end();
    }
    hwloc_bitmap_free(set);
    return rc < 0 ? rc : n;
}

int eb_pin_plan_create(const eb_topology *t, eb_pin_policy policy, const char *cpuset,
                       unsigned workers, eb_pin_plan **out, char *why, size_t why_len)
{
    if (workers == 0) workers = 1;
    int cap = hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_PU);
    if (cap <= 0) cap = 1;
    int *pus = calloc((size_t)cap, sizeof *pus);
    if (pus == NULL) return -ENOMEM;

    int units = 0;
    switch (policy) {
    case EB_PIN_NONE:
        units = cap;
        break;
    case EB_PIN_COMPACT:
        units = order_compact(t->topo, pus, cap);
        break;
    case EB_PIN_SCATTER:
        units = order_scatter(t->topo, pus, cap);
        break;
    case EB_PIN_PU:
        units = order_pu(t->topo, pus, cap);
        break;
    case EB_PIN_CPUSET:
        units = order_cpuset(t->topo, cpuset, pus, cap, why, why_len);
        break;
    default:
        units = -EINVAL;
        snprintf(why, why_len, "unknown pin policy %d", (int)policy);
    }
    if (units <= 0) {
        free(pus);
        if (units == 0)
            snprintf(why, why_len, "pin policy %s found no processing unit",
                     eb_pin_policy_name(policy));
        return units < 0 ? units : -ENODEV;
    }

    unsigned count =
        policy == EB_PIN_NONE ? 0 : (workers < (unsigned)units ? workers : (unsigned)units);
    eb_pin_plan *plan = malloc(sizeof *plan + (size_t)count * sizeof(int));
    if (plan == NULL) {
        free(pus);
        return -ENOMEM;
    }
    plan->policy = policy;
    plan->topology = t;
    plan->units = (unsigned)units;
    plan->wrapped = policy != EB_PIN_NONE && workers > (unsigned)units;
    plan->count = count;
    memcpy(plan->pu_os_index, pus, (size_t)count * sizeof(int));
    free(pus);
    *out = plan;
    return 0;
}

int eb_pin_worker(const eb_pin_plan *plan, unsigned worker)
{
    if (plan == NULL || plan->policy == EB_PIN_NONE || plan->count == 0) return 0;
    int pu = plan->pu_os_index[worker % plan->count];
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    if (set == NULL) return -ENOMEM;
    hwloc_bitmap_only(set, (unsigned)pu);
    int rc = hwloc_set_cpubind(plan->topology->topo, set, HWLOC_CPUBIND_THREAD);
    int err = rc != 0 ? (errno ? -errno : -EINVAL) : 0;
    hwloc_bitmap_free(set);
    return err;
}

int eb_pin_plan_cores(const eb_pin_plan *plan)
{
    hwloc_topology_t topo = plan->topology->topo;
    hwloc_bitmap_t pus = hwloc_bitmap_alloc();
    if (pus == NULL) return 1;
    if (plan->policy == EB_PIN_NONE || plan->count == 0)
        hwloc_bitmap_copy(pus, hwloc_topology_get_allowed_cpuset(topo));
    else
        for (unsigned i = 0; i < plan->count; i++)
            hwloc_bitmap_set(pus, (unsigned)plan->pu_os_index[i]);
    /* A core counts once however many of its hardware threads are in the set. */
    int cores = 0, count = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
    for (int c = 0; c < count; c++) {
        hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, (unsigned)c);
        if (core != NULL && hwloc_bitmap_intersects(core->cpuset, pus)) cores++;
    }
    if (count <= 0) cores = hwloc_bitmap_weight(pus); /* no core objects: count PUs */
    hwloc_bitmap_free(pus);
    return cores > 0 ? cores : 1;
}
