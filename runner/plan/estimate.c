/* estimate.c — see estimate.h. */
#include "estimate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Before any point of a CPU workload finished: ~1 ns per element, the order
 * of a scalar sum of squares (0.5-0.9 ns here). */
#define CPU_NS_PER_ELEMENT 1.0
/* A point process's own cost (exec, hwloc, libbenchmark): ~15-20 ms here. */
#define OVERHEAD_NS 20e6

static size_t workload_index(const eb_workload *w)
{
    for (size_t i = 0; i < eb_workload_count; i++)
        if (eb_workloads[i] == w) return i;
    return 0;
}

/* The elements of one task: the parameter counted in elements, else 1. */
static double task_elements(const eb_point *p)
{
    for (size_t i = 0; i < p->workload->param_count; i++)
        if (strcmp(p->workload->params[i].unit, "elements") == 0) return (double)p->params[i];
    return 1;
}

/* Its waits, ceil(tasks / in flight) x the wait (waits and mixed work), plus
 * its CPU work spread over the threads that compute at once, at most one per
 * core: laid out as the point process lays it (plan.h). */
static double job_model_ns(const eb_point *p, const eb_topology *topo)
{
    double waits = p->workload->kind == EB_WORK_CPU ? 0 : (double)eb_point_wait_ideal_ns(p, NULL);
    if (p->workload->kind == EB_WORK_WAIT) return waits;
    eb_point_compute c = {.cores = 1, .threads = 1};
    if (eb_point_compute_get(p, topo, &c) != 0) c.threads = c.cores = 1;
    double parallel = c.threads < c.cores ? c.threads : c.cores;
    return waits + (double)p->tasks * task_elements(p) * CPU_NS_PER_ELEMENT / parallel;
}

int eb_estimate_init(eb_estimate *e, const eb_plan *plan, const eb_topology *topo)
{
    memset(e, 0, sizeof *e);
    e->count = plan->count;
    e->overhead_ns = OVERHEAD_NS;
    e->model_ns = calloc(plan->count + 1, sizeof *e->model_ns);
    e->group = calloc(plan->count + 1, sizeof *e->group);
    if (e->model_ns == NULL || e->group == NULL) {
        eb_estimate_free(e);
        return -ENOMEM;
    }
    double runs = (double)(plan->settings.warmup + plan->settings.repetitions);
    for (size_t i = 0; i < plan->count; i++) {
        const eb_point *p = &plan->points[i];
        e->model_ns[i] = runs * job_model_ns(p, topo);
        e->group[i] = workload_index(p->workload) % (sizeof e->taken_ns / sizeof *e->taken_ns);
    }
    return 0;
}

void eb_estimate_free(eb_estimate *e)
{
    free(e->model_ns);
    free(e->group);
    e->model_ns = NULL;
    e->group = NULL;
    e->count = 0;
}

double eb_estimate_point_ns(const eb_estimate *e, size_t i)
{
    if (i >= e->count) return 0;
    size_t g = e->group[i];
    double scale = e->modelled_ns[g] > 0 ? e->taken_ns[g] / e->modelled_ns[g] : 1.0;
    return e->overhead_ns + e->model_ns[i] * scale;
}

void eb_estimate_learn(eb_estimate *e, size_t i, int64_t wall_ns)
{
    if (i >= e->count || wall_ns <= 0) return;
    /* the cheapest point so far bounds what a process costs by itself */
    if ((double)wall_ns < e->overhead_ns) e->overhead_ns = (double)wall_ns;
    double taken = (double)wall_ns - e->overhead_ns;
    size_t g = e->group[i];
    e->taken_ns[g] += taken > 0 ? taken : 0;
    e->modelled_ns[g] += e->model_ns[i];
}

double eb_estimate_left_ns(const eb_estimate *e, size_t from, int64_t into_ns)
{
    double left = 0;
    for (size_t i = from; i < e->count; i++) {
        double point = eb_estimate_point_ns(e, i);
        if (i == from) point -= (double)into_ns;
        if (point > 0) left += point;
    }
    return left;
}
