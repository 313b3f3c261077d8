/* rounds_doc.c — an interleaved run's document (rounds_state.h): each point's
 * kept repetitions as its rows, with what the round measured, Google
 * Benchmark's aggregates over them, how many of its rounds were disturbed
 * and redone, and each group in the context; and the stopping rule's
 * figure, the widest interval of a group. */
#include "rounds_state.h"

#include "runs.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double eb_rounds_widest(const rounds_run *r, const rgroup *g)
{
    double widest = -1.0;
    const rpoint *ref = g->ref != NULL && !g->ref->failed ? g->ref : NULL;
    for (size_t i = 0; i < g->n; i++) {
        const rpoint *p = g->pts[i];
        if (p->failed || p->kept_n == 0) continue;
        eb_interval iv;
        /* a speedup: paired with the reference's run of the same kept round */
        if (ref != NULL && p != ref && ref->kept_n == p->kept_n) {
            double hw =
                eb_paired_speedup(ref->times, p->times, p->kept_n, (uint64_t)r->s->seed, &iv) == 0
                    ? eb_interval_half_width(&iv)
                    : INFINITY;
            if (hw > widest) widest = hw;
        }
        /* an efficiency against a fixed ideal (waits); a CPU one is a speedup scaled */
        if (p->wait_ideal_ns >= 0) {
            double hw = eb_fixed_ideal_efficiency((double)p->wait_ideal_ns, p->times, p->kept_n,
                                                  (uint64_t)r->s->seed, &iv) == 0
                            ? eb_interval_half_width(&iv)
                            : INFINITY;
            if (hw > widest) widest = hw;
        }
    }
    return widest;
}

/* The repetition rows of the point just added: numbered, and what their
 * rounds measured. */
static void annotate(eb_results_doc *doc, const rpoint *p, const char *run_name)
{
    size_t k = 0;
    for (size_t i = 0; i < doc->row_count && k < p->kept_n; i++) {
        const eb_row *row = &doc->rows[i];
        if (row->run_type != EB_RUN_ITERATION || strcmp(row->run_name, run_name) != 0) continue;
        const rep_meta *m = &p->meta[k];
        eb_row_set_int(doc, i, EB_KEY_REPETITIONS, (int64_t)p->kept_n);
        eb_row_set_int(doc, i, EB_KEY_REPETITION_INDEX, (int64_t)k);
        eb_row_set_int(doc, i, EB_KEY_ROUND, m->round);
        eb_row_set_int(doc, i, EB_KEY_START_NS, m->start_ns);
        eb_row_set_int(doc, i, EB_KEY_STEAL_NS, m->steal_ns);
        eb_row_set_int(doc, i, EB_KEY_FOREIGN_CPU_NS, m->foreign_ns);
        eb_row_set_bool(doc, i, EB_KEY_DISTURBED, m->disturbed);
        if (m->aa_ns > 0) eb_row_set_int(doc, i, EB_KEY_AA_REAL_NS, m->aa_ns);
        k++;
    }
}

size_t eb_rounds_document(rounds_run *r)
{
    eb_doc *doc = r->doc;
    size_t written = 0;
    for (size_t i = 0; i < r->plan->count; i++) {
        rpoint *p = &r->points[i];
        /* family = the plan's index, which the rounds' run_order names */
        doc->families = (int64_t)p->index;
        char run_name[EB_POINT_NAME_MAX + 16];
        eb_results_point_run_name(p->point->name, run_name, sizeof run_name);
        if (p->failed && p->error_part.row_count > 0) {
            eb_doc_add_parts(doc, p->point, &p->error_part, 1);
        } else if (p->failed) {
            eb_doc_add_error(doc, p->point, r->s, p->error);
        } else if (p->kept_n > 0) {
            eb_doc_add_parts(doc, p->point, p->kept, p->kept_n);
            annotate(&doc->results, p, run_name);
            eb_results_add_aggregates(&doc->results, run_name);
            long median = eb_results_find_row(&doc->results, run_name, "median");
            if (median >= 0) {
                eb_row_set_int(&doc->results, (size_t)median, EB_KEY_ROUNDS_DISTURBED,
                               (int64_t)p->disturbed);
                eb_row_set_int(&doc->results, (size_t)median, EB_KEY_ROUNDS_REDONE,
                               (int64_t)p->redone);
            }
        } else {
            continue; /* interrupted before a round of it was kept */
        }
        eb_doc_set_memory(doc, p->point, &p->memory);
        written++;
    }
    doc->families = (int64_t)r->plan->count;
    /* the groups' noise floors, from the rows just written */
    eb_run_set runs;
    bool runs_ok = eb_runs_collect(&doc->results, NULL, EB_KEY_BY_NAME, &runs) == 0;
    double floor_pct = -1.0;
    for (size_t k = 0; k < r->group_count; k++) {
        const rgroup *g = &r->groups[k];
        eb_group_record rec = {.group = g->name,
                               .rounds_kept = (int64_t)g->kept,
                               .rounds_set_aside = (int64_t)g->set_aside,
                               .stopped_by = g->stopped_by != NULL ? g->stopped_by : "interruption",
                               .noise_floor = {.estimate = -1.0}};
        char ref_name[EB_POINT_NAME_MAX + 16];
        if (g->ref != NULL) {
            eb_results_point_run_name(g->ref->point->name, ref_name, sizeof ref_name);
            rec.reference = ref_name;
        }
        if (g->ref != NULL && !g->ref->failed && runs_ok) {
            const eb_run *ref = NULL;
            for (size_t j = 0; j < runs.count && ref == NULL; j++)
                if (strcmp(runs.runs[j].first->run_name, ref_name) == 0) ref = &runs.runs[j];
            if (ref != NULL && eb_run_noise_floor(ref, (uint64_t)r->s->seed, &rec.noise_floor) != 0)
                rec.noise_floor.estimate = -1.0;
        }
        eb_results_add_group(&doc->results, &rec);
        double hw = eb_interval_half_width(&rec.noise_floor);
        if (rec.noise_floor.estimate > 0 && isfinite(hw) && 100.0 * hw > floor_pct)
            floor_pct = 100.0 * hw;
    }
    if (runs_ok) eb_runs_free(&runs);
    /* the run's noise floor: its widest A/A interval, the narrowest a ratio's
     * interval can honestly be here */
    if (floor_pct >= 0)
        eb_results_context_real(&doc->results, EB_CONTEXT_EXECBENCH, EB_KEY_NOISE_FLOOR_PCT,
                                floor_pct);
    if (r->probing) {
        static const char *const keys[] = {EB_KEY_PROBE_ELEMENTS, EB_KEY_PROBE_RUNS};
        const int64_t values[] = {(int64_t)r->probe.elements, EB_PROBE_RUNS};
        eb_results_context_ints(&doc->results, EB_KEY_PROBE, keys, values, 2);
    }
    return written;
}
