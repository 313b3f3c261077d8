/* rounds_state.h — what rounds.c (the schedule), rounds_step.c (one
 * sub-round) and rounds_doc.c (the document) share. */
#ifndef EB_ROUNDS_STATE_H
#define EB_ROUNDS_STATE_H

#include "disturb.h"
#include "point_memory.h"
#include "rounds.h"
#include "served.h"

/* What one kept repetition adds to its row beside libbenchmark's. */
typedef struct rep_meta {
    int64_t round, start_ns, steal_ns, foreign_ns;
    int64_t aa_ns; /* the reference's second run in the round, else -1 */
    bool disturbed;
} rep_meta;

typedef struct rpoint {
    const eb_point *point;
    size_t index; /* in the plan */
    eb_served served;
    bool started, failed;
    char error[1500];          /* failed, without an error row: what happened */
    eb_results_doc error_part; /* failed with an error row of its own */
    eb_results_doc *kept;      /* one document per kept round */
    rep_meta *meta;            /* [kept_n] */
    double *times;             /* [kept_n] real ns */
    size_t kept_n, kept_cap;
    size_t disturbed, redone;
    int64_t wait_ideal_ns;  /* a point of waits: its fixed ideal, else -1 */
    eb_point_memory memory; /* the up-front estimate, checked before it starts */
} rpoint;

typedef struct rgroup {
    rpoint **pts; /* in plan order */
    size_t n;
    rpoint *ref; /* the reference that runs twice, or NULL */
    size_t index;
    char name[EB_POINT_NAME_MAX];
    int pus[256]; /* the CPUs its points may use: probed, and watched in /proc/stat */
    size_t pu_count;
    size_t kept, set_aside;
    bool done;
    const char *stopped_by;
} rgroup;

typedef struct rounds_run {
    eb_doc *doc;
    const eb_plan *plan;
    const eb_settings *s;
    const char *exe, *self; /* what a point process runs; its argv[0] */
    eb_progress *progress;
    int64_t start_ns;
    rpoint *points; /* [plan->count] */
    rgroup *groups;
    size_t group_count;
    eb_probe probe;
    bool probing; /* the probe calibrated */
    int interrupted;
} rounds_run;

/* One sub-round of group g in round `round` (rounds_step.c): runs, measures,
 * judges, keeps or sets aside; 0, or the signal that interrupted it. */
int eb_rounds_step(rounds_run *r, rgroup *g, int64_t round);

/* The points' rows, aggregates and counts into the document, the groups in
 * the context (rounds_doc.c): how many points were written. */
size_t eb_rounds_document(rounds_run *r);

/* The group's widest relative half-width over its points' speedups and
 * efficiencies of waits (rounds_doc.c); INFINITY when one is unknown, -1 when
 * it has none. */
double eb_rounds_widest(const rounds_run *r, const rgroup *g);

/* Marks a point failed with `message` and ends its process. */
void eb_rounds_fail(rpoint *p, const char *message);

#endif
