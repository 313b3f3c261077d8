/* rounds_step.c — one sub-round (rounds_state.h): a group's points run once
 * each in a shuffled order, the reference twice; the machine watched around
 * it (disturb.h); the round kept, or set aside with its reasons. */
#include "rounds_state.h"

#include "child.h"
#include "err.h"
#include "protocol.h"
#include "runs.h"
#include "wait.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One run of the sub-round, as it went. */
typedef struct run_out {
    rpoint *p;
    bool twin;           /* the reference's second run */
    bool ok;             /* a usable repetition */
    eb_results_doc part; /* its reply, when ok */
    int64_t real_ns, start_ns, steal_ns, foreign_ns, own_ns;
} run_out;

static int grow(rpoint *p)
{
    if (p->kept_n < p->kept_cap) return 0;
    size_t cap = p->kept_cap ? p->kept_cap * 2 : 16;
    eb_results_doc *kept = realloc(p->kept, cap * sizeof *kept);
    if (kept == NULL) return -ENOMEM;
    p->kept = kept;
    rep_meta *meta = realloc(p->meta, cap * sizeof *meta);
    if (meta == NULL) return -ENOMEM;
    p->meta = meta;
    double *times = realloc(p->times, cap * sizeof *times);
    if (times == NULL) return -ENOMEM;
    p->times = times;
    p->kept_cap = cap;
    return 0;
}

/* Runs one repetition of o->p in round `round`; fills o. 0, or the signal
 * that interrupted it. */
static int run_one(rounds_run *r, rgroup *g, run_out *o, int64_t round)
{
    rpoint *p = o->p;
    char command[64], message[1500];
    snprintf(command, sizeof command, "%s %" PRId64, EB_COMMAND_RUN, round);
    eb_cpu_times a = {0}, b = {0};
    bool stat_ok = eb_cpu_times_read(&a) == 0;
    int64_t self_before = eb_self_cpu_ns();
    o->start_ns = eb_now_ns() - r->start_ns;
    const char *reply = NULL;
    size_t len = 0;
    r->progress->name = p->point->name;
    int rc = eb_served_call(&p->served, command, r->s->timeout_ns, eb_progress_tick, r->progress,
                            &reply, &len);
    int64_t self_ns = eb_self_cpu_ns() - self_before;
    stat_ok = stat_ok && eb_cpu_times_read(&b) == 0;
    if (rc != 0) {
        if (p->served.result.interrupted != 0) {
            eb_cpu_times_free(&a);
            eb_cpu_times_free(&b);
            return p->served.result.interrupted;
        }
        eb_child_describe(&p->served.result, r->s->timeout_ns, "point process", message,
                          sizeof message);
        eb_rounds_fail(p, message);
    } else if (eb_doc_parse_point(p->point, reply, len, &o->part, message, sizeof message) != 0) {
        char said[sizeof message + 16];
        snprintf(said, sizeof said, "point process %s", message);
        eb_rounds_fail(p, said);
    } else if (o->part.error_rows > 0 || o->part.row_count != 1) {
        /* its own error row stands for it, as in a blocked run */
        eb_results_free(&p->error_part);
        p->error_part = o->part;
        memset(&o->part, 0, sizeof o->part);
        eb_rounds_fail(p, "");
    } else {
        o->ok = true;
        o->real_ns = (int64_t)o->part.rows[0].real_ns;
        int64_t own = 0;
        eb_results_context_take_int(&o->part, EB_CONTEXT_POINT, EB_KEY_OWN_CPU_NS, &own);
        /* a workload's server (net.http) is the point's too: a child it has
         * not reaped, so not in the point's rusage, but its CPU is in the row */
        double server = 0;
        if (eb_row_number(&o->part.rows[0], EB_KEY_SERVER_CPU_NS, &server) && server > 0)
            own += (int64_t)server;
        o->own_ns = own + self_ns;
        int64_t busy = 0, steal = 0;
        if (stat_ok) eb_cpu_times_delta(&a, &b, g->pus, g->pu_count, &busy, &steal);
        o->steal_ns = steal;
        o->foreign_ns = busy > o->own_ns ? busy - o->own_ns : 0;
    }
    eb_cpu_times_free(&a);
    eb_cpu_times_free(&b);
    return 0;
}

/* Keeps the sub-round's repetitions: each point's row and its measures. */
static void keep(rgroup *g, run_out *outs, size_t n, int64_t round, bool disturbed)
{
    int64_t aa = -1;
    for (size_t k = 0; k < n; k++)
        if (outs[k].twin && outs[k].ok) aa = outs[k].real_ns;
    for (size_t k = 0; k < n; k++) {
        run_out *o = &outs[k];
        if (o->twin || !o->ok || o->p->failed || grow(o->p) != 0) continue;
        rpoint *p = o->p;
        p->kept[p->kept_n] = o->part;
        memset(&o->part, 0, sizeof o->part);
        p->times[p->kept_n] = (double)o->real_ns;
        p->meta[p->kept_n] = (rep_meta){.round = round,
                                        .start_ns = o->start_ns,
                                        .steal_ns = o->steal_ns,
                                        .foreign_ns = o->foreign_ns,
                                        .aa_ns = p == g->ref ? aa : -1,
                                        .disturbed = disturbed};
        p->kept_n++;
        p->disturbed += disturbed;
    }
    g->kept++;
}

/* What the progress says of the sub-round: "round 3 kept, +-2.1%" (the
 * widest interval so far), "round 3 kept though disturbed: ..." (the redo
 * budget spent), or "set aside: ...". */
static void outcome(const rounds_run *r, const rgroup *g, bool disturbed, bool aside,
                    const char *reasons, char *buf, size_t len)
{
    if (aside) {
        snprintf(buf, len, "set aside, to run again: %s", reasons);
        return;
    }
    double widest = eb_rounds_widest(r, g);
    char width[48] = "";
    if (widest >= 0 && widest < 1e9) snprintf(width, sizeof width, ", +-%.1f%%", 100 * widest);
    if (disturbed)
        snprintf(buf, len, "round %zu kept though disturbed: %s", g->kept, reasons);
    else
        snprintf(buf, len, "round %zu kept%s", g->kept, width);
}

int eb_rounds_step(rounds_run *r, rgroup *g, int64_t round)
{
    const eb_settings *s = r->s;
    size_t n = 0;
    /* a run each, the reference's twice; the record's two arrays */
    run_out *outs = calloc(g->n + 1, sizeof *outs);
    size_t *order = calloc(g->n + 1, sizeof *order);
    int64_t *run_order = calloc(g->n + 1, sizeof *run_order);
    int64_t *run_real = calloc(g->n + 1, sizeof *run_real);
    if (outs == NULL || order == NULL || run_order == NULL || run_real == NULL) {
        free(outs);
        free(order);
        free(run_order);
        free(run_real);
        return 0; /* out of memory: the round is not run; the next one tries again */
    }
    for (size_t i = 0; i < g->n; i++)
        if (!g->pts[i]->failed) outs[n++] = (run_out){.p = g->pts[i]};
    if (g->ref != NULL && !g->ref->failed) outs[n++] = (run_out){.p = g->ref, .twin = true};
    if (n == 0) { /* every point failed: nothing to run */
        free(outs);
        free(order);
        free(run_order);
        free(run_real);
        return 0;
    }
    eb_rounds_order((uint64_t)s->seed, round, g->index, n, order);

    char position[48];
    snprintf(position, sizeof position, "[round %" PRId64 "]", round + 1);
    r->progress->position = position;
    eb_progress_start(r->progress, 0, g->name);

    int64_t before[256], after[256];
    if (r->probing) eb_probe_run(&r->probe, g->pus, g->pu_count, before);
    eb_cpu_times a = {0}, b = {0};
    bool stat_ok = eb_cpu_times_read(&a) == 0;
    int64_t self_before = eb_self_cpu_ns(), start = eb_now_ns();
    int interrupted = 0;
    for (size_t k = 0; k < n && interrupted == 0; k++)
        if (!outs[order[k]].p->failed) interrupted = run_one(r, g, &outs[order[k]], round);
    int64_t end = eb_now_ns(), self_ns = eb_self_cpu_ns() - self_before;
    stat_ok = stat_ok && eb_cpu_times_read(&b) == 0;
    if (r->probing) eb_probe_run(&r->probe, g->pus, g->pu_count, after);

    eb_round_load load = {.capacity_ns = (end - start) * (int64_t)g->pu_count, .drift = -1.0};
    int64_t busy = 0, own = self_ns;
    if (stat_ok) eb_cpu_times_delta(&a, &b, g->pus, g->pu_count, &busy, &load.steal_ns);
    for (size_t k = 0; k < n; k++)
        own += outs[k].own_ns > 0 ? outs[k].own_ns : 0;
    load.foreign_ns = busy > own ? busy - own : 0;
    if (r->probing) load.drift = eb_probe_drift(before, after, g->pu_count);
    eb_cpu_times_free(&a);
    eb_cpu_times_free(&b);

    char reasons[400];
    bool disturbed = interrupted == 0 && eb_round_disturbed(s, &load, reasons, sizeof reasons);
    bool in_budget = eb_now_ns() - r->start_ns < s->rounds.time_budget_ns;
    bool aside = disturbed && g->set_aside < (size_t)s->rounds.redo_limit && in_budget;

    /* the record of the sub-round, kept or not: nothing is dropped unsaid */
    for (size_t k = 0; k < n; k++) {
        const run_out *o = &outs[order[k]];
        run_order[k] = (int64_t)o->p->index; /* its family index (rounds_doc.c) */
        run_real[k] = o->ok ? o->real_ns : -1;
    }
    if (interrupted == 0) {
        eb_round_record rec = {.round = round,
                               .group = g->name,
                               .start_ns = start - r->start_ns,
                               .end_ns = end - r->start_ns,
                               .runs = n,
                               .run_order = run_order,
                               .run_real_ns = run_real,
                               .probes = r->probing ? g->pu_count : 0,
                               .probe_pus = g->pus,
                               .probe_before_ns = before,
                               .probe_after_ns = after,
                               .probe_drift = load.drift,
                               .capacity_ns = load.capacity_ns,
                               .foreign_cpu_ns = load.foreign_ns,
                               .steal_ns = load.steal_ns,
                               .disturbed = disturbed,
                               .set_aside = aside,
                               .reasons = disturbed ? reasons : ""};
        eb_results_add_round(&r->doc->results, &rec);
        if (aside) {
            g->set_aside++;
            for (size_t i = 0; i < g->n; i++)
                if (!g->pts[i]->failed) g->pts[i]->disturbed++, g->pts[i]->redone++;
        } else {
            keep(g, outs, n, round, disturbed);
        }
        char said[600];
        outcome(r, g, disturbed, aside, reasons, said, sizeof said);
        r->progress->name = g->name;
        eb_progress_done(r->progress, true, said);
    }
    for (size_t k = 0; k < n; k++)
        eb_results_free(&outs[k].part);
    free(outs);
    free(order);
    free(run_order);
    free(run_real);
    r->progress->position = NULL;
    return interrupted;
}
