/* pin.c — hwloc topology, pin plans and binding (see pin.h); the policies
 * are in pin_orders.c and their registry in pin_policies.c. */
#include "pin.h"

#include "err.h"
#include "pin_policy.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct eb_topology {
    hwloc_topology_t topo;
};

/* hwloc's plugins that only find I/O devices (PCI, GPUs through GL and
 * OpenCL) or read XML through libxml2: execbench needs the CPUs alone. Left
 * loaded, they map ~17 libraries more (libX11, libOpenCL, libxml2, ICU's
 * 30 MiB of data...) into every process: the point process had 187 mappings
 * instead of 90, which every fork of a multiprocess worker copies (spawn_ns
 * of 2 workers: median 0.74-0.84 ms before, 0.65-0.77 ms after, 3 runs each).
 * A user's own HWLOC_PLUGINS_BLACKLIST is kept. hwloc reads it once, at the
 * process's first topology; this runs before any thread is started. */
#define EB_HWLOC_UNUSED_PLUGINS "hwloc_pci,hwloc_gl,hwloc_opencl,hwloc_xml_libxml"

int eb_topology_load(eb_topology **out)
{
    setenv("HWLOC_PLUGINS_BLACKLIST", EB_HWLOC_UNUSED_PLUGINS, 0);
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

hwloc_topology_t eb_topology_hwloc(const eb_topology *t)
{
    return t->topo;
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

int eb_pin_plan_create(const eb_topology *t, const eb_pin_policy *policy, const char *cpuset,
                       unsigned workers, eb_pin_plan **out, char *why, size_t why_len)
{
    if (workers == 0) workers = 1;
    int cap = hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_PU);
    if (cap <= 0) cap = 1;
    int *pus = calloc((size_t)cap, sizeof *pus);
    if (pus == NULL) return -ENOMEM;

    int units = policy->order(t, cpuset, pus, cap, why, why_len);
    if (units <= 0) {
        free(pus);
        if (units == 0)
            eb_fail(why, why_len, -ENODEV, "pin policy %s found no processing unit", policy->name);
        return units < 0 ? units : -ENODEV;
    }

    unsigned count = !policy->pins ? 0 : (workers < (unsigned)units ? workers : (unsigned)units);
    eb_pin_plan *plan = malloc(sizeof *plan + (size_t)count * sizeof(int));
    if (plan == NULL) {
        free(pus);
        return -ENOMEM;
    }
    plan->policy = policy;
    plan->topology = t;
    plan->units = (unsigned)units;
    plan->wrapped = policy->pins && workers > (unsigned)units;
    plan->count = count;
    memcpy(plan->pu_os_index, pus, (size_t)count * sizeof(int));
    free(pus);
    *out = plan;
    return 0;
}

int eb_pin_worker(const eb_pin_plan *plan, unsigned worker)
{
    if (plan == NULL || !plan->policy->pins || plan->count == 0) return 0;
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
    if (!plan->policy->pins || plan->count == 0)
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
