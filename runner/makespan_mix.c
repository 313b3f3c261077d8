/* makespan_mix.c — see makespan_mix.h. */
#include "makespan_mix.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* A whole task's length in ns, rounded down (a bound must not grow). */
typedef struct whole_task {
    int64_t wait_ns;
    double ns_per_unit;
    eb_task_cost_fn cost;
    const void *arg;
} whole_task;

static uint64_t whole_task_ns(uint64_t task, const void *raw)
{
    const whole_task *w = raw;
    double units = w->cost != NULL ? (double)w->cost(task, w->arg) : 1.0;
    return (uint64_t)w->wait_ns + (uint64_t)floor(units * w->ns_per_unit);
}

int eb_mix_bound_compute(uint64_t tasks, int64_t wait_ns, double ns_per_unit, eb_task_cost_fn cost,
                         const void *arg, uint64_t in_flight, unsigned compute_threads,
                         unsigned cores, bool pinned, eb_mix_bound *out)
{
    memset(out, 0, sizeof *out);
    if (tasks == 0 || wait_ns < 0 || !(ns_per_unit >= 0) || compute_threads == 0 || cores == 0)
        return -EINVAL;
    uint64_t slots = in_flight == 0 || in_flight > tasks ? tasks : in_flight;
    if (slots > UINT32_MAX) slots = UINT32_MAX;
    out->slots = (unsigned)slots;
    unsigned computing = compute_threads < slots ? compute_threads : (unsigned)slots;
    int rc = eb_makespan_bound(tasks, computing, cores, pinned, cost, arg, &out->cpu);
    if (rc != 0) return rc;
    out->cpu_ns = (double)wait_ns + out->cpu.units * ns_per_unit;
    out->ns = out->cpu_ns;
    out->exact = slots == tasks && out->cpu.optimal;
    if (slots < tasks) {
        whole_task w = {wait_ns, ns_per_unit, cost, arg};
        eb_makespan by_slot;
        rc = eb_makespan_bound(tasks, (unsigned)slots, (unsigned)slots, true, whole_task_ns, &w,
                               &by_slot);
        if (rc != 0) return rc;
        out->slots_ns = by_slot.units;
        if (out->slots_ns > out->cpu_ns) {
            out->ns = out->slots_ns;
            out->slots_decide = true;
        }
        /* one slot: the tasks one after another, which is a schedule */
        if (slots == 1) out->exact = true;
    }
    return 0;
}
