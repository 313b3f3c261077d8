/* plan.h — the plan: the points a run measures, in order.
 *
 * A point is one (workload, executor, workers, tasks, pin, params); the plan
 * is the cross product of lists given as text — the flags, or each block of a
 * preset — so a preset is written exactly as a user would type it. Each point
 * has its Google Benchmark name, which is stable across runs: the same
 * settings always give the same name, so runs can be compared row by row. */
#ifndef EB_PLAN_H
#define EB_PLAN_H

#include "executor.h"
#include "pin.h"
#include "registry.h"
#include "settings.h"

#include <stdio.h>

#define EB_POINT_NAME_MAX 320
#define EB_CPUSET_MAX 128

typedef struct eb_point {
    const eb_workload *workload;
    const eb_executor *executor;
    unsigned workers; /* resolved; 0 = unbounded (executors that allow it) */
    uint64_t tasks;
    const eb_pin_policy *pin;
    char cpuset[EB_CPUSET_MAX]; /* the list, when the policy takes one (--cpuset) */
    int64_t params[EB_MAX_PARAMS];
    int64_t gil_interval_us; /* 0: free threads; else a GIL with this switch interval */
    /* executors with .coroutines: the stack mode asked for (job.h's
     * coro_stack: EB_JOB_CORO_STACK_AUTO unless --coro-stack names one);
     * EB_JOB_CORO_STACK_AUTO for the others */
    int coro_stack;
    /* executors with .ranks (mpi): what each rank runs, --rank-executor
     * (NULL: sequential) with --rank-workers (0: unbounded), so that its
     * tasks in flight and its computing threads are the ranks' sum */
    const eb_executor *rank_executor;
    unsigned rank_workers;
    /* The family name: "io.sleep/exec:coroutine/tasks:160/workers:0/
     * latency_us:10000/pin:compact" (and "/gil:5000" with a GIL); libbenchmark
     * appends "/manual_time". */
    char name[EB_POINT_NAME_MAX];
} eb_point;

/* One cross product, as text. NULL fields take their defaults: every visible
 * workload, every executor, workers "auto", each workload's default tasks,
 * pin "compact", no --cpuset, every parameter at its default, coroutine
 * stacks "auto". */
typedef struct eb_plan_block {
    const char *workloads;     /* "cpu.sumsq,io.sleep" or "all" */
    const char *executors;     /* "sequential,threaded" or "all" */
    const char *workers;       /* "1,2,auto": auto = an executor's max_workers, 0 when it
                                  allows unbounded, else one per core */
    const char *tasks;         /* "20,160" */
    const char *pin;           /* "none,compact,scatter,pu" */
    const char *cpuset;        /* "0-1,3": pins to these CPUs (policy cpuset) */
    const char *const *params; /* "key=v1,v2" each */
    size_t param_count;
    const char *gil;             /* "off", "on" or "off,on" (NULL: off) */
    const char *gil_interval_us; /* "5000,100": with gil on (NULL: 5000) */
    const char *coro_stacks;     /* "auto,separate,copy": for executors with .coroutines */
} eb_plan_block;

typedef struct eb_plan {
    eb_point *points;
    size_t count, cap;
    size_t *by_name; /* open-addressing index of the names: 1 + point index, 0 empty */
    size_t by_name_cap;
    eb_settings settings; /* what every point of the run shares (settings.h) */
    const char *preset;   /* the preset's name, NULL when built from flags */
} eb_plan;

/* Settings at their defaults, no points. */
void eb_plan_init(eb_plan *plan);
void eb_plan_free(eb_plan *plan);

/* Adds the block's points (duplicates of points already there are skipped).
 * Combinations that cannot run (workers 0 for an executor without an
 * unbounded mode) are left out with a line on `notes` (may be NULL). Returns 0,
 * or a negative errno with `why` naming the flag, the value and what to do. */
int eb_plan_add_block(eb_plan *plan, const eb_plan_block *block, const eb_topology *topo,
                      FILE *notes, char *why, size_t why_len);

/* --coro-stack's values: "auto" (EB_JOB_CORO_STACK_AUTO) or a mode's name
 * (coro.h); parse: 0 or -EINVAL. */
const char *eb_point_coro_stack_name(int coro_stack);
int eb_point_coro_stack_parse(const char *text, int *out);

/* Formats a point's family name into point->name: "/stack:<mode>" after the
 * executor when a coroutine point asks for a mode other than auto, so a
 * point of the default mode keeps its name. */
void eb_point_format_name(eb_point *point);

/* The job the point describes, unallocated: what a workload's task_wait_ns
 * and task_cost read (workload, params, tasks, workers). */
void eb_point_job(const eb_point *point, eb_job *job);

/* A point of waits (EB_WORK_WAIT): the tasks in flight at once, and the
 * ideal, ceil(tasks / in flight) x the task's nominal wait, in ns. */
uint64_t eb_point_in_flight(const eb_point *point);
int64_t eb_point_wait_ideal_ns(const eb_point *point, int64_t *wait_ns);

/* The pin plan of the point's job as the point process makes it, shared by
 * the point (runner/point), its ideal (ideal.c) and its cost model
 * (estimate.c): for `workers` workers, or for a thread-per-core executor
 * (hybrid) one for every unit the policy offers, with *threads its threads
 * (one per core of it; 0 for the other executors). 0, or -errno with `why`.
 * Free *pin with free(). */
int eb_point_pin_plan(const eb_point *point, const eb_topology *topo, eb_pin_plan **pin,
                      unsigned *threads, char *why, size_t why_len);

/* Where the point's job computes: what its ideal and cost model take. */
typedef struct eb_point_compute {
    unsigned cores;     /* physical cores of its pin plan (at least 1) */
    unsigned threads;   /* threads that compute at once: 1 for one-thread executors and under
                           a GIL; a thread-per-core executor's threads; else the workers (a
                           process or thread each); never more than the tasks in flight */
    uint64_t in_flight; /* tasks in flight at once */
    bool pinned;        /* the policy pins (workers beyond the cores then share them) */
} eb_point_compute;

/* 0, or -errno when the pin plan cannot be made (the point would fail too). */
int eb_point_compute_get(const eb_point *point, const eb_topology *topo, eb_point_compute *out);

/* The flags that make `execbench --point` run exactly this point with these
 * settings: a NULL-terminated argv after `exe` (free with eb_point_args_free). */
char **eb_point_args(const char *exe, const eb_point *point, const eb_settings *settings);
void eb_point_args_free(char **argv);

/* The presets: quick, default, seeds (presets.c). */
typedef struct eb_preset {
    const char *name;
    const char *description;
    int repetitions; /* 0: the default */
    int timeout_s;   /* per point, when longer than --timeout's default; 0: the default */
    const eb_plan_block *blocks;
    size_t block_count;
    /* Interleaved, exactly `repetitions` rounds (--target-ci 0) unless
     * --target-ci is given: a smoke test whose rows are known in advance. */
    bool fixed_rounds;
} eb_preset;

extern const eb_preset eb_presets[];
extern const size_t eb_preset_count;
const eb_preset *eb_preset_find(const char *name);

/* Adds every block of the preset; sets plan->preset and, unless
 * `keep_repetitions`, the preset's repetitions; and its longer timeout
 * unless --timeout was given. */
int eb_plan_add_preset(eb_plan *plan, const eb_preset *preset, bool keep_repetitions,
                       const eb_topology *topo, FILE *notes, char *why, size_t why_len);

#endif
