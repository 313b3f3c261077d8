/* point_run.h — what the point process's two ways of running share (point.c:
 * all repetitions in one libbenchmark run; serve.c: one repetition per
 * command, the process kept alive across an interleaved run's rounds). */
#ifndef EB_POINT_RUN_H
#define EB_POINT_RUN_H

#include "job_run.h"
#include "point.h"

typedef struct point_run {
    const eb_point *point;
    const eb_settings *settings;
    eb_job job;
    eb_gil *gil; /* the point's GIL (--gil on), NULL for free threads */
    bool warmed;
    int64_t cold_run_ns;     /* the first warm-up run's wall time, 0 without warm-up */
    int rep;                 /* repetitions completed (in this libbenchmark run) */
    int maps;                /* PU maps room: the repetitions of one libbenchmark run */
    char failed[1024];       /* the first failure, for every later repetition too */
    eb_pu_map *pus;          /* [maps] */
    int64_t *durations;      /* scratch, [tasks] */
    int coro_stack_used;     /* the stack mode the coroutines ran with; -1: none ran */
    cpu_set_t server_cpuset; /* --server-cpuset's CPUs (job->server_cpuset) */
} point_run;

/* The job, its pinning and scratch for `maps` repetitions: 0, or an error
 * with `why`. */
int eb_point_prepare(point_run *c, const eb_topology *topo, int maps, eb_pin_plan **pin, char *why,
                     size_t why_len);
/* The warm-up runs (--warmup), verified; a failure goes to c->failed. */
void eb_point_warm_up(point_run *c);
/* Registers the point with libbenchmark and initialises it for runs of
 * `repetitions` repetitions each. */
void eb_point_bench_init(point_run *c, int64_t repetitions);
/* One libbenchmark run, its JSON captured: the text (malloc'd), or NULL with `why`. */
char *eb_point_bench_run(point_run *c, size_t *len, char *why, size_t why_len);
/* libbenchmark's text as the point's document, enriched (point.h): 0, or
 * -errno with `why` (and doc empty). */
int eb_point_document(point_run *c, const char *text, size_t len, int64_t timer_slack_ns,
                      eb_results_doc *doc, char *why, size_t why_len);
/* Prints the document on stdout (compact, as one line when `line`), damaged
 * first when the workload says so (workload.h: damage_report): 0 or -errno. */
int eb_point_print(const eb_results_doc *doc, const eb_job *job, bool line);
/* Frees what eb_point_prepare made, the workload torn down. */
void eb_point_release(point_run *c, eb_pin_plan *pin);

/* The serve loop (serve.c): commands from fd 5 until it ends; the exit status. */
int eb_point_serve(point_run *c, int64_t timer_slack_ns);

#endif
