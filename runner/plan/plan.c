/* plan.c — building the plan: lists as text, expanded into points (plan.h). */
#include "plan.h"

#include "err.h"
#include "parse.h"
#include "memory_fit.h"
#include "plan_block.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void eb_plan_init(eb_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    eb_settings_init(&plan->settings);
}

void eb_plan_free(eb_plan *plan)
{
    free(plan->points);
    free(plan->by_name);
    plan->points = NULL;
    plan->by_name = NULL;
    plan->count = plan->cap = plan->by_name_cap = 0;
}

/* The workers a point of executor e runs: a bounded executor at most its
 * bound (and that for auto and 0), else auto is unbounded where allowed and
 * one per core otherwise. */
static unsigned resolve_workers(const eb_executor *e, int64_t given, unsigned cores)
{
    if (e->max_workers > 0 && (given == EB_WORKERS_AUTO || given == 0 || given > e->max_workers))
        return e->max_workers;
    if (given == EB_WORKERS_AUTO) return e->allows_unbounded ? 0 : cores;
    return (unsigned)given;
}

const char *eb_point_coro_stack_name(int coro_stack)
{
    return coro_stack == EB_JOB_CORO_STACK_AUTO
               ? "auto"
               : eb_coro_stack_mode_name((eb_coro_stack_mode)coro_stack);
}

int eb_point_coro_stack_parse(const char *text, int *out)
{
    eb_coro_stack_mode mode;
    if (strcmp(text, "auto") == 0)
        *out = EB_JOB_CORO_STACK_AUTO;
    else if (eb_coro_stack_mode_parse(text, &mode) == 0)
        *out = (int)mode;
    else
        return -EINVAL;
    return 0;
}

void eb_point_format_name(eb_point *p)
{
    char params[200] = "";
    size_t used = 0;
    for (size_t i = 0; i < p->workload->param_count && used < sizeof params; i++) {
        const eb_param_def *d = &p->workload->params[i];
        /* The first parameter is the workload's size and always named; the
         * others only when they differ from their default. */
        if (i > 0 && p->params[i] == d->default_value) continue;
        used += (size_t)snprintf(params + used, sizeof params - used, "/%s:%" PRId64, d->key,
                                 p->params[i]);
    }
    char pin[EB_CPUSET_MAX + 16];
    if (p->pin->from_list)
        snprintf(pin, sizeof pin, "%s=%s", p->pin->name, p->cpuset);
    else
        snprintf(pin, sizeof pin, "%s", p->pin->name);
    char gil[32] = ""; /* only with a GIL: free points keep the names they always had */
    if (p->gil_interval_us > 0) snprintf(gil, sizeof gil, "/gil:%" PRId64, p->gil_interval_us);
    char rank[48] = ""; /* an mpi rank's own executor, when not the default */
    if (p->rank_executor != NULL && !p->rank_executor->reference)
        snprintf(rank, sizeof rank, "/rank:%s:%u", p->rank_executor->name, p->rank_workers);
    char stack[32] = "";
    if (p->executor->coroutines && p->coro_stack != EB_JOB_CORO_STACK_AUTO)
        snprintf(stack, sizeof stack, "/stack:%s", eb_point_coro_stack_name(p->coro_stack));
    snprintf(p->name, sizeof p->name, "%s/exec:%s%s%s/tasks:%" PRIu64 "/workers:%u%s/pin:%s%s",
             p->workload->name, p->executor->name, stack, rank, p->tasks, p->workers, params, pin,
             gil);
}

void eb_point_job(const eb_point *p, eb_job *job)
{
    memset(job, 0, sizeof *job);
    job->workload = p->workload;
    job->tasks = p->tasks;
    job->workers = p->workers;
    job->coro_stack = p->coro_stack;
    memcpy(job->params, p->params, sizeof job->params);
}

uint64_t eb_point_in_flight(const eb_point *p)
{
    uint64_t n = p->workers;
    if (p->rank_executor != NULL) { /* ranks, each with its executor's in flight */
        if (p->rank_executor->allows_unbounded && p->rank_workers == 0) return p->tasks;
        n *= p->rank_executor->reference ? 1 : p->rank_workers;
    }
    return eb_in_flight(p->tasks, n);
}

int64_t eb_point_wait_ideal_ns(const eb_point *p, int64_t *wait_ns)
{
    eb_job job;
    eb_point_job(p, &job);
    int64_t wait = p->workload->task_wait_ns != NULL ? p->workload->task_wait_ns(&job) : 0;
    if (wait_ns != NULL) *wait_ns = wait;
    uint64_t in_flight = eb_point_in_flight(p);
    uint64_t waiting =
        p->workload->waiting_tasks != NULL ? p->workload->waiting_tasks(&job) : p->tasks;
    return (int64_t)((waiting + in_flight - 1) / in_flight) * wait;
}

int eb_point_pin_plan(const eb_point *p, const eb_topology *topo, eb_pin_plan **pin,
                      unsigned *threads, char *why, size_t why_len)
{
    const char *cpuset = p->pin->from_list ? p->cpuset : NULL;
    *threads = 0;
    int rc = eb_pin_plan_create(topo, p->pin, cpuset, p->workers, pin, why, why_len);
    if (rc != 0 || !p->executor->thread_per_core) return rc;
    /* its threads are one per core, not --workers: a plan for every PU the
     * policy offers (cores first), and as many threads as it has cores */
    unsigned units = (*pin)->units;
    free(*pin);
    *pin = NULL;
    if ((rc = eb_pin_plan_create(topo, p->pin, cpuset, units, pin, why, why_len)) != 0) return rc;
    *threads = (unsigned)eb_pin_plan_cores(*pin);
    return 0;
}

int eb_point_compute_get(const eb_point *p, const eb_topology *topo, eb_point_compute *out)
{
    eb_pin_plan *pin = NULL;
    unsigned threads;
    char why[200];
    memset(out, 0, sizeof *out);
    int rc = eb_point_pin_plan(p, topo, &pin, &threads, why, sizeof why);
    if (rc != 0) return rc;
    int cores = eb_pin_plan_cores(pin);
    free(pin);
    out->cores = cores > 0 ? (unsigned)cores : 1;
    out->pinned = p->pin->pins;
    out->in_flight = eb_point_in_flight(p);
    uint64_t computing = 1;
    if (p->gil_interval_us > 0 || !p->executor->parallel)
        computing = 1; /* one thread, or one at a time (a GIL) */
    else if (p->executor->thread_per_core)
        computing = threads > 0 ? threads : out->cores;
    else if (p->rank_executor != NULL && !p->rank_executor->parallel)
        computing = p->workers; /* ranks of one thread each (sequential, coroutine) */
    else if (p->rank_executor != NULL && p->rank_executor->thread_per_core)
        computing = (uint64_t)p->workers * out->cores; /* ranks of a thread per core */
    else
        computing = out->in_flight; /* a thread or process per task in flight */
    if (computing > out->in_flight) computing = out->in_flight;
    out->threads = computing > UINT32_MAX ? UINT32_MAX : (unsigned)(computing > 0 ? computing : 1);
    return 0;
}

/* FNV-1a: the names' index needs a hash, nothing stronger. */
static size_t name_hash(const char *name)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (const unsigned char *c = (const unsigned char *)name; *c != '\0'; c++)
        h = (h ^ *c) * UINT64_C(1099511628211);
    return (size_t)h;
}

/* The slot of `name` in the index: where it is, or the empty slot it would take. */
static size_t name_slot(const eb_plan *plan, const char *name)
{
    size_t mask = plan->by_name_cap - 1, at = name_hash(name) & mask;
    while (plan->by_name[at] != 0 && strcmp(plan->points[plan->by_name[at] - 1].name, name) != 0)
        at = (at + 1) & mask;
    return at;
}

/* Keeps the index at most half full. Without it, deduplicating a plan of
 * 10,000 points compared names 50 million times. */
static int index_reserve(eb_plan *plan)
{
    if (2 * (plan->count + 1) <= plan->by_name_cap) return 0;
    size_t cap = plan->by_name_cap ? plan->by_name_cap * 2 : 64;
    size_t *slots = calloc(cap, sizeof *slots);
    if (slots == NULL) return -ENOMEM;
    free(plan->by_name);
    plan->by_name = slots;
    plan->by_name_cap = cap;
    for (size_t i = 0; i < plan->count; i++)
        plan->by_name[name_slot(plan, plan->points[i].name)] = i + 1;
    return 0;
}

static int plan_push(eb_plan *plan, const eb_point *p, char *why, size_t why_len)
{
    if (index_reserve(plan) != 0) return eb_fail(why, why_len, -ENOMEM, "out of memory");
    size_t slot = name_slot(plan, p->name);
    if (plan->by_name[slot] != 0) return 0; /* already planned */
    if (plan->count == EB_MAX_POINTS)
        return eb_fail(why, why_len, -E2BIG, "the plan has more than %d points; give shorter lists",
                       EB_MAX_POINTS);
    if (plan->count == plan->cap) {
        size_t cap = plan->cap ? plan->cap * 2 : 16;
        eb_point *grown = realloc(plan->points, cap * sizeof *grown);
        if (grown == NULL) return eb_fail(why, why_len, -ENOMEM, "out of memory");
        plan->points = grown;
        plan->cap = cap;
    }
    plan->points[plan->count++] = *p;
    plan->by_name[slot] = plan->count;
    return 0;
}

static void note_left_out(const eb_executor **list, int *count, const eb_executor *e)
{
    for (int i = 0; i < *count; i++)
        if (list[i] == e) return;
    if (*count < 16) list[(*count)++] = e;
}

static int expand(eb_plan *plan, eb_block_lists *b, unsigned cores, char *why, size_t why_len)
{
    for (int wi = 0; wi < b->workload_count; wi++) {
        const eb_workload *w = b->workloads[wi];
        /* An odometer over the parameters' value lists. */
        const eb_list *values[EB_MAX_PARAMS] = {0};
        int digit[EB_MAX_PARAMS] = {0};
        for (size_t p = 0; p < w->param_count; p++)
            values[p] = eb_block_param_values(b, w->params[p].key);
        for (;;) {
            eb_point pt;
            memset(&pt, 0, sizeof pt);
            pt.workload = w;
            for (size_t p = 0; p < w->param_count; p++) {
                pt.params[p] = w->params[p].default_value;
                if (values[p] != NULL)
                    eb_parse_i64(values[p]->item[digit[p]], INT64_MIN, INT64_MAX, &pt.params[p]);
            }
            for (int ti = 0; ti < b->tasks_count; ti++) {
                pt.tasks = b->tasks[ti] != 0 ? (uint64_t)b->tasks[ti] : w->default_tasks;
                if (pt.tasks == 0) pt.tasks = 1;
                for (int ei = 0; ei < b->executor_count; ei++) {
                    pt.executor = b->executors[ei];
                    pt.rank_executor = NULL;
                    if (pt.executor->ranks) {
                        const char *name = plan->settings.mpi.rank_executor;
                        pt.rank_executor = eb_executor_find(name != NULL ? name : "sequential");
                        pt.rank_workers = (unsigned)plan->settings.mpi.rank_workers;
                    }
                    for (int ki = 0; ki < b->workers_count; ki++) {
                        pt.workers = resolve_workers(pt.executor, b->workers[ki], cores);
                        if (pt.workers == 0 && !pt.executor->allows_unbounded) {
                            note_left_out(b->left_out, &b->left_out_count, pt.executor);
                            continue;
                        }
                        for (int pi = 0; pi < b->pin_count; pi++) {
                            pt.pin = b->pins[pi];
                            if (pt.pin->from_list)
                                snprintf(pt.cpuset, sizeof pt.cpuset, "%s", b->cpuset);
                            else
                                pt.cpuset[0] = '\0';
                            for (int gi = 0; gi < b->gil_count; gi++) {
                                pt.gil_interval_us = b->gils[gi];
                                if (pt.gil_interval_us > 0 && !pt.executor->attaches_gil) {
                                    note_left_out(b->left_out_gil, &b->left_out_gil_count,
                                                  pt.executor);
                                    continue;
                                }
                                /* the stack modes: one point each on coroutines, one
                                 * point (auto, unnamed) elsewhere */
                                for (int si = 0; si < b->coro_stack_count; si++) {
                                    pt.coro_stack = pt.executor->coroutines
                                                        ? b->coro_stacks[si]
                                                        : EB_JOB_CORO_STACK_AUTO;
                                    eb_point_format_name(&pt);
                                    int rc = plan_push(plan, &pt, why, why_len);
                                    if (rc != 0) return rc;
                                }
                            }
                        }
                    }
                }
            }
            /* next combination */
            size_t p = 0;
            for (; p < w->param_count; p++) {
                if (values[p] == NULL) continue;
                if (++digit[p] < values[p]->count) break;
                digit[p] = 0;
            }
            if (p == w->param_count) break;
        }
    }
    return 0;
}

int eb_plan_add_block(eb_plan *plan, const eb_plan_block *block, const eb_topology *topo,
                      FILE *notes, char *why, size_t why_len)
{
    eb_block_lists *b = calloc(1, sizeof *b);
    if (b == NULL) return eb_fail(why, why_len, -ENOMEM, "out of memory");
    eb_topology_summary summary;
    eb_topology_summarize(topo, &summary);
    unsigned cores = summary.cores > 0 ? (unsigned)summary.cores : 1;

    int rc = eb_block_resolve(b, block, topo, why, why_len);
    size_t before = plan->count;
    if (rc == 0) rc = expand(plan, b, cores, why, why_len);
    if (rc == 0 && plan->count == before && before == 0)
        rc = eb_fail(why, why_len, -EINVAL,
                     b->left_out_gil_count > 0 && b->left_out_count == 0
                         ? "the plan is empty: no executor here attaches threads to a GIL; use "
                           "--executor threaded,hybrid with --gil on"
                         : "the plan is empty: no executor can run these --workers; use e.g. "
                           "--workers 1,2");
    for (int i = 0; rc == 0 && notes != NULL && i < b->left_out_count; i++)
        fprintf(notes,
                "execbench: note: leaving out %s with workers 0 (0 = unbounded is for executors "
                "that allow it, e.g. coroutine)\n",
                b->left_out[i]->name);
    for (int i = 0; rc == 0 && notes != NULL && i < b->left_out_gil_count; i++)
        fprintf(notes,
                "execbench: note: leaving out %s with --gil on (its one thread per process "
                "never waits for a GIL: its free points say the same)\n",
                b->left_out_gil[i]->name);
    eb_block_free(b);
    free(b);
    return rc;
}

int eb_plan_add_preset(eb_plan *plan, const eb_preset *preset, bool keep_repetitions,
                       const eb_topology *topo, FILE *notes, char *why, size_t why_len)
{
    for (size_t i = 0; i < preset->block_count; i++) {
        char reason[400];
        int rc = eb_plan_add_block(plan, &preset->blocks[i], topo, notes, reason, sizeof reason);
        if (rc != 0)
            return eb_fail(why, why_len, rc, "preset %s, block %zu: %s", preset->name, i + 1,
                           reason);
    }
    plan->preset = preset->name;
    if (!keep_repetitions && preset->repetitions > 0)
        plan->settings.repetitions = preset->repetitions;
    int64_t timeout_ns = (int64_t)preset->timeout_s * 1000000000;
    if (!eb_settings_given(&plan->settings, "timeout") && timeout_ns > plan->settings.timeout_ns)
        plan->settings.timeout_ns = timeout_ns;
    return 0;
}
