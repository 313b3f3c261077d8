/* memory_fit.c — see memory_fit.h. */
#include "memory_fit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define KIB ((uint64_t)1 << 10)
#define MIB ((uint64_t)1 << 20)
#define PAGE ((uint64_t)4096)

/* The point process before any unit: measured ~4.8 MiB resident, 0.5-0.9
 * MiB of private data, and besides its files (eb_mem_available's
 * program_bytes, counted against RLIMIT_AS) 0.6-0.9 MiB of anonymous address
 * space; 8 MiB leaves its heap and main stack room to grow (execbench --point). */
#define BASE_RESIDENT (6 * MIB)
#define BASE_ADDRESS (8 * MIB)
#define BASE_DATA (1 * MIB)
/* Per task, whatever the executor: the job's shared arrays (result, start,
 * end: 24 B, MAP_SHARED) and the point's latency scratch (8 B). */
#define TASK_SHARED 24
#define TASK_PRIVATE 8
/* The scheduler's timer heap entry, per coroutine in flight. */
#define TIMER_ENTRY 24
/* A coroutine's control block in copied-stack mode: sizeof(eb_coro) (coro.h)
 * on x86-64 and aarch64, sanitizer fields included. */
#define CORO_CONTROL 144
/* Frames a parked io.sleep task holds (measured: coro.h's saved bytes). */
#define FRAMES_FCONTEXT 352
#define FRAMES_UCONTEXT 1296
/* The runner's coroutine stacks (scheduler.c's eb_sched_default_config):
 * guarded 64 KiB stacks while 8 x coroutines <= vm.max_map_count, else
 * unguarded one-page stacks. Copied stacks: a 256 KiB run stack; the
 * buffers' arena maps chunks of up to 4 MiB, populated whole. */
#define GUARDED_STACK (64 * KIB)
#define PACKED_STACK PAGE
#define RUN_STACK (256 * KIB)
#define ARENA_SLACK (4 * MIB)
/* Threads (threaded.c): 256 KiB stacks and a guard page; measured ~33 KiB
 * charged per thread (8 KiB of it resident in user space); glibc gives up to
 * 8 x cores threads a malloc arena of 64 MiB of address space each. */
#define THREAD_STACK (256 * KIB + PAGE)
#define THREAD_CHARGE (33 * KIB)
#define ARENA_ADDRESS (64 * MIB)
/* A forked worker: measured ~152 KiB charged (page tables, kernel
 * structures, the pages it dirties). */
#define PROCESS_CHARGE (152 * KIB)

static uint64_t max_map_count(void)
{
    uint64_t v = eb_fit_read_u64("/proc/sys/vm/max_map_count", 65530);
    return v > 0 ? v : 65530;
}

static uint64_t ceil64(uint64_t n)
{
    return (n + 63) / 64 * 64;
}

/* A save buffer's size class (coro.c): 64-byte steps to 4 KiB, then powers of two. */
static uint64_t buffer_class(uint64_t n)
{
    if (n <= 4096) return ceil64(n > 0 ? n : 1);
    uint64_t size = 8192;
    while (size < n)
        size *= 2;
    return size;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static uint64_t in_flight(const eb_fit_point *p)
{
    if (p->executor == EB_FIT_SEQUENTIAL) return p->tasks > 0 ? 1 : 0;
    if (p->executor == EB_FIT_HYBRID) return p->tasks; /* workers are its threads */
    return eb_in_flight(p->tasks, p->workers);
}

/* Per coroutine in flight: resident, address space (= private data = strict
 * commit: the pool and the records are private NORESERVE mappings, which
 * mode 2 counts), and the fixed part of the stacks. */
static void coroutine_costs(const eb_fit_point *p, uint64_t coros, uint64_t *resident,
                            uint64_t *address, uint64_t *fixed_resident, uint64_t *fixed_address)
{
    if (p->copy_stacks) {
        uint64_t frames = p->frame_bytes > 0 ? p->frame_bytes
                          : p->ucontext      ? FRAMES_UCONTEXT
                                             : FRAMES_FCONTEXT;
        *resident = CORO_CONTROL + buffer_class(frames) + TIMER_ENTRY;
        *address = *resident;
        *fixed_resident = ARENA_SLACK + 64 * KIB; /* a chunk partly used, the stack's top */
        *fixed_address = ARENA_SLACK + RUN_STACK + PAGE;
        return;
    }
    bool guarded = sat_mul(coros, 8) <= max_map_count();
    uint64_t stack = p->stack_bytes > 0 ? (p->stack_bytes + PAGE - 1) / PAGE * PAGE
                     : guarded          ? GUARDED_STACK
                                        : PACKED_STACK;
    /* the top page (control block, frames), and the canary's at the bottom
     * of a larger unguarded stack; a page-table entry each; a guard splits
     * the mapping: two VMAs' worth of kernel memory */
    uint64_t pages = !guarded && stack > PAGE ? 2 : 1;
    *resident = pages * (PAGE + 8) + TIMER_ENTRY + (guarded ? 200 : 0);
    *address = stack + (guarded ? PAGE : 0) + TIMER_ENTRY;
    *fixed_resident = guarded ? 0 : 64 * PAGE; /* populated 64 slots ahead */
    *fixed_address = 0;
}

void eb_fit_estimate_point(const eb_fit_point *p, eb_fit_estimate *out)
{
    *out = (eb_fit_estimate){0};
    uint64_t units = in_flight(p);
    uint64_t tasks = p->tasks;
    uint64_t unit = 0, unit_address = 0, unit_data = 0, unit_commit = 0;
    uint64_t fixed = BASE_RESIDENT, address = BASE_ADDRESS, data = BASE_DATA, commit = BASE_DATA;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    uint64_t arenas_max = 8 * (uint64_t)(cores > 0 ? cores : 1);

    switch (p->executor) {
    case EB_FIT_SEQUENTIAL:
        break;
    case EB_FIT_COROUTINE: {
        uint64_t fr, fa;
        coroutine_costs(p, units, &unit, &unit_address, &fr, &fa);
        unit_data = unit_commit = unit_address;
        fixed += fr;
        address += fa;
        data += fa;
        commit += fa;
        break;
    }
    case EB_FIT_HYBRID: {
        /* the coroutines are the units; each of the workers is a thread with
         * its run stack or stack pool */
        uint64_t threads = p->workers > 0 ? p->workers : 1;
        uint64_t fr, fa;
        coroutine_costs(p, units, &unit, &unit_address, &fr, &fa);
        unit_data = unit_commit = unit_address;
        uint64_t arenas = threads < arenas_max ? threads : arenas_max;
        fixed = sat_add(fixed, sat_mul(threads, sat_add(THREAD_CHARGE, fr)));
        address = sat_add(address, sat_mul(threads, sat_add(THREAD_STACK, fa)));
        address = sat_add(address, sat_mul(arenas, ARENA_ADDRESS));
        data = sat_add(data, sat_mul(threads, sat_add(THREAD_STACK, fa)));
        commit = sat_add(commit, sat_mul(threads, sat_add(THREAD_STACK, fa)));
        break;
    }
    case EB_FIT_THREADED: {
        unit = THREAD_CHARGE;
        unit_address = unit_data = unit_commit = THREAD_STACK;
        uint64_t arenas = units < arenas_max ? units : arenas_max;
        address = sat_add(address, sat_mul(arenas, ARENA_ADDRESS));
        break;
    }
    case EB_FIT_MULTIPROCESS:
        /* each worker has an address space of its own, the point's size:
         * RLIMIT_AS and RLIMIT_DATA apply to each, not to their sum; strict
         * overcommit counts each one's private writable memory again */
        unit = PROCESS_CHARGE;
        unit_commit = BASE_DATA;
        break;
    }
    unit = sat_add(unit, p->extra_task_bytes);
    uint64_t task_resident = TASK_SHARED + TASK_PRIVATE;
    out->units = units;
    out->unit_bytes = unit;
    out->fixed_bytes = fixed;
    out->resident_bytes =
        sat_add(sat_add(fixed, sat_mul(units, unit)), sat_mul(tasks, task_resident));
    out->address_per_unit = unit_address;
    out->data_per_unit = unit_data;
    out->commit_per_unit = unit_commit;
    /* the shared arrays are mapped (shared: not data), the scratch is data */
    out->address_bytes = sat_add(sat_add(address, sat_mul(units, unit_address)),
                                 sat_mul(tasks, TASK_SHARED + TASK_PRIVATE));
    out->data_bytes =
        sat_add(sat_add(data, sat_mul(units, unit_data)), sat_mul(tasks, TASK_PRIVATE));
    out->commit_bytes = sat_add(sat_add(commit, sat_mul(units, unit_commit)),
                                sat_mul(tasks, TASK_SHARED + TASK_PRIVATE));
}

/* ---- the verdict ----------------------------------------------------------- */

typedef struct limit_check {
    eb_fit_limit limit;
    uint64_t need, room;
} limit_check;

/* Every limit that applies, with what the point needs against it. */
static size_t limits_of(const eb_fit_estimate *e, const eb_mem_available *a, limit_check *out)
{
    size_t n = 0;
    if (a->cgroup_limit != EB_FIT_UNLIMITED)
        out[n++] = (limit_check){
            EB_FIT_CGROUP, e->resident_bytes,
            a->cgroup_limit > a->cgroup_usage ? a->cgroup_limit - a->cgroup_usage : 0};
    if (a->mem_available != EB_FIT_UNLIMITED && a->mem_available > 0)
        out[n++] = (limit_check){EB_FIT_RAM, e->resident_bytes, a->mem_available};
    if (a->overcommit_mode == 2)
        out[n++] =
            (limit_check){EB_FIT_COMMIT, e->commit_bytes,
                          a->commit_limit > a->committed ? a->commit_limit - a->committed : 0};
    if (a->rlimit_as != EB_FIT_UNLIMITED)
        out[n++] = (limit_check){EB_FIT_RLIMIT_AS, sat_add(e->address_bytes, a->program_bytes),
                                 a->rlimit_as};
    if (a->rlimit_data != EB_FIT_UNLIMITED)
        out[n++] = (limit_check){EB_FIT_RLIMIT_DATA, e->data_bytes, a->rlimit_data};
    return n;
}

static bool fits_all(const eb_fit_point *p, const eb_mem_available *a)
{
    eb_fit_estimate e;
    eb_fit_estimate_point(p, &e);
    limit_check checks[8];
    size_t n = limits_of(&e, a, checks);
    for (size_t i = 0; i < n; i++)
        if (checks[i].need > checks[i].room) return false;
    return true;
}

/* Whether the units grow with --tasks (every task in flight at once) rather
 * than with --workers. */
static bool units_are_tasks(const eb_fit_point *p)
{
    switch (p->executor) {
    case EB_FIT_COROUTINE:
    case EB_FIT_HYBRID:
        /* hybrid: every task is a coroutine, whatever the threads */
        return p->executor == EB_FIT_HYBRID || p->workers == 0 || p->workers >= p->tasks;
    case EB_FIT_THREADED:
    case EB_FIT_MULTIPROCESS:
        return p->workers == 0 || p->workers >= p->tasks;
    case EB_FIT_SEQUENTIAL:
        return false;
    }
    return false;
}

/* The largest count (tasks, or workers) in [0, hi] with which p fits. */
static uint64_t largest_fitting(eb_fit_point p, bool tasks, uint64_t hi, const eb_mem_available *a)
{
    uint64_t lo = 0, workers = p.workers; /* lo fits (or nothing does) */
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo + 1) / 2;
        if (tasks) {
            p.tasks = mid;
            p.workers = workers > mid ? mid : workers;
        } else {
            p.workers = mid;
        }
        if (fits_all(&p, a))
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

void eb_fit_check(const eb_fit_point *p, const eb_fit_estimate *e, const eb_mem_available *a,
                  eb_fit_verdict *out)
{
    *out = (eb_fit_verdict){.fits = true, .max_units = UINT64_MAX, .max_tasks = UINT64_MAX};
    limit_check checks[8];
    size_t n = limits_of(e, a, checks);
    double worst = -1;
    for (size_t i = 0; i < n; i++) {
        /* exceeded: the largest overshoot; else the least to spare */
        bool over = checks[i].need > checks[i].room;
        double ratio = checks[i].room > 0 ? (double)checks[i].need / (double)checks[i].room : 1e300;
        if (over) out->fits = false;
        if ((over || out->fits) && ratio > worst) {
            worst = ratio;
            out->limit = checks[i].limit;
            out->need = checks[i].need;
            out->room = checks[i].room;
        }
    }
    if (out->fits && n == 0) out->limit = EB_FIT_NONE;
    /* what would fit: a search over the count that drives the units, up to
     * what was asked (fits) or below it (refused) */
    bool by_tasks = units_are_tasks(p);
    uint64_t asked = by_tasks ? p->tasks : p->workers;
    if (p->executor == EB_FIT_SEQUENTIAL) {
        out->max_units = out->fits ? 1 : 0;
        out->max_tasks = 0;
        return;
    }
    uint64_t hi = out->fits ? asked : (asked > 0 ? asked - 1 : 0);
    uint64_t best = out->fits ? asked : largest_fitting(*p, by_tasks, hi, a);
    out->max_units = best;
    out->max_tasks = by_tasks ? best : 0;
}

const char *eb_fit_limit_name(eb_fit_limit limit)
{
    switch (limit) {
    case EB_FIT_NONE:
        return "no limit";
    case EB_FIT_CGROUP:
        return "the memory cgroup's limit";
    case EB_FIT_RAM:
        return "the memory available (MemAvailable)";
    case EB_FIT_COMMIT:
        return "the commit limit (vm.overcommit_memory=2)";
    case EB_FIT_RLIMIT_AS:
        return "RLIMIT_AS";
    case EB_FIT_RLIMIT_DATA:
        return "RLIMIT_DATA";
    }
    return "unknown";
}

static const char *bytes_text(uint64_t b, char *buf, size_t len)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)b;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%" PRIu64 " B", b);
    else
        snprintf(buf, len, "%.1f %s", v, units[u]);
    return buf;
}

static const char *unit_name(const eb_fit_point *p, uint64_t n)
{
    switch (p->executor) {
    case EB_FIT_COROUTINE:
    case EB_FIT_HYBRID:
        return n == 1 ? "coroutine" : "coroutines";
    case EB_FIT_THREADED:
    case EB_FIT_SEQUENTIAL:
        return n == 1 ? "thread" : "threads";
    case EB_FIT_MULTIPROCESS:
        return n == 1 ? "process" : "processes";
    }
    return "units";
}

/* What one unit adds against `limit` (the estimate's figure in its measure). */
static uint64_t unit_against(const eb_fit_estimate *e, eb_fit_limit limit)
{
    switch (limit) {
    case EB_FIT_RLIMIT_AS:
        return e->address_per_unit;
    case EB_FIT_RLIMIT_DATA:
        return e->data_per_unit;
    case EB_FIT_COMMIT:
        return e->commit_per_unit;
    default:
        return e->unit_bytes;
    }
}

int eb_fit_describe(const eb_fit_point *p, const eb_fit_estimate *e, const eb_mem_available *a,
                    const eb_fit_verdict *v, char *buf, size_t len)
{
    char need[32], room[32], each[32], fixed[32], where[600] = "";
    bool coroutines = p->executor == EB_FIT_COROUTINE || p->executor == EB_FIT_HYBRID;
    if (v->limit == EB_FIT_CGROUP && a->cgroup_dir[0] != '\0')
        snprintf(where, sizeof where, " (%s)", a->cgroup_dir);
    /* each unit and the rest, in the measure of the limit that decides */
    uint64_t unit = unit_against(e, v->limit);
    uint64_t units = sat_mul(e->units, unit);
    uint64_t rest = v->need > units ? v->need - units : 0;
    int n =
        snprintf(buf, len, "%" PRIu64 " %s%s need ~%s (%s each + %s) against %s%s, which leaves %s",
                 e->units, unit_name(p, e->units),
                 coroutines ? (p->copy_stacks ? " (copied stacks)" : " (separate stacks)") : "",
                 bytes_text(v->need, need, sizeof need), bytes_text(unit, each, sizeof each),
                 bytes_text(rest, fixed, sizeof fixed), eb_fit_limit_name(v->limit), where,
                 bytes_text(v->room, room, sizeof room));
    if (n < 0 || (size_t)n >= len || v->fits) return n;
    bool by_tasks = v->max_tasks != 0 || units_are_tasks(p);
    int m = snprintf(buf + n, len - (size_t)n, ": at most %" PRIu64 " %s fit (%s)%s", v->max_units,
                     by_tasks ? (v->max_units == 1 ? "task" : "tasks")
                              : (v->max_units == 1 ? "worker" : "workers"),
                     by_tasks ? "--tasks" : "--workers",
                     coroutines && !p->copy_stacks ? "; copied stacks (--coro-stack copy) take less"
                                                   : "");
    return m < 0 ? n : n + m;
}
