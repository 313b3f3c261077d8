/* runs.c — see runs.h. */
#include "runs.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fields joined by the unit separator, which no name or field contains in practice;
 * a key only has to tell runs apart, never be parsed back. */
static char *run_key(const eb_row *row, eb_run_keying keying)
{
    char *key = NULL;
    int n;
    if (keying == EB_KEY_BY_POINT && row->is_point)
        n = asprintf(&key, "P\x1f%s\x1f%s\x1f%lld\x1f%lld\x1f%s\x1f%s\x1f%lld\x1f%s", row->workload,
                     row->executor, (long long)row->workers, (long long)row->tasks, row->pin,
                     row->params, (long long)row->gil_interval_us, row->coro_stack);
    else
        n = asprintf(&key, "B\x1f%s", row->run_name);
    return n < 0 ? NULL : key;
}

static int push_sample(eb_run *run, const eb_row *row)
{
    if (run->n == run->cap) {
        size_t cap = run->cap ? run->cap * 2 : 8;
        double *real = realloc(run->real_ns, cap * sizeof *real);
        if (real == NULL) return -ENOMEM;
        run->real_ns = real;
        double *cpu = realloc(run->cpu_ns, cap * sizeof *cpu);
        if (cpu == NULL) return -ENOMEM;
        run->cpu_ns = cpu;
        const eb_row **rows = realloc((void *)run->rows, cap * sizeof *rows);
        if (rows == NULL) return -ENOMEM;
        run->rows = rows;
        int64_t *round = realloc(run->round, cap * sizeof *round);
        if (round == NULL) return -ENOMEM;
        run->round = round;
        double *aa = realloc(run->aa_ns, cap * sizeof *aa);
        if (aa == NULL) return -ENOMEM;
        run->aa_ns = aa;
        run->cap = cap;
    }
    run->rows[run->n] = row;
    run->real_ns[run->n] = row->real_ns;
    run->cpu_ns[run->n] = row->cpu_ns;
    run->round[run->n] = row->round;
    run->aa_ns[run->n] = row->aa_real_ns;
    run->n++;
    return 0;
}

static void free_samples(eb_run *run)
{
    free(run->real_ns);
    free(run->cpu_ns);
    free(run->round);
    free(run->aa_ns);
    free((void *)run->rows);
}

static eb_run *find_or_add(eb_run_set *set, const eb_row *row, eb_run_keying keying)
{
    char *key = run_key(row, keying);
    if (key == NULL) return NULL;
    json_t *at = json_object_get(set->index, key);
    if (at != NULL) {
        free(key);
        return &set->runs[json_integer_value(at)];
    }
    if (set->count == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        eb_run *runs = realloc(set->runs, cap * sizeof *runs);
        if (runs == NULL) goto oom;
        set->runs = runs;
        set->cap = cap;
    }
    if (json_object_set_new(set->index, key, json_integer((json_int_t)set->count)) != 0) goto oom;
    eb_run *run = &set->runs[set->count++];
    memset(run, 0, sizeof *run);
    run->key = key;
    run->first = row;
    run->ideal_ns = run->ideal_share = -1.0;
    return run;
oom:
    free(key);
    return NULL;
}

int eb_runs_collect(const eb_results_doc *doc, const regex_t *filter, eb_run_keying keying,
                    eb_run_set *out)
{
    memset(out, 0, sizeof *out);
    out->index = json_object();
    if (out->index == NULL) return -ENOMEM;
    for (size_t i = 0; i < doc->row_count; i++) {
        const eb_row *row = &doc->rows[i];
        if (filter != NULL && regexec(filter, row->name, 0, NULL, 0) != 0) continue;
        eb_run *run = find_or_add(out, row, keying);
        if (run == NULL) goto oom;
        if (run->ideal_ns < 0.0 && row->ideal_ns >= 0.0) run->ideal_ns = row->ideal_ns;
        if (run->ideal_share < 0.0 && row->ideal_share > 0.0) run->ideal_share = row->ideal_share;
        if (!eb_row_usable(row)) {
            if (run->errors++ == 0) run->first_error = row;
            continue;
        }
        if (row->run_type == EB_RUN_ITERATION) {
            if (push_sample(run, row) != 0) goto oom;
        } else if (strcmp(row->aggregate_name, "median") == 0) {
            if (run->agg_median == NULL) run->agg_median = row;
        } else if (strcmp(row->aggregate_name, "cv") == 0) {
            if (run->agg_cv == NULL) run->agg_cv = row;
        }
    }
    return 0;
oom:
    eb_runs_free(out);
    return -ENOMEM;
}

void eb_runs_free(eb_run_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free(set->runs[i].key);
        free_samples(&set->runs[i]);
    }
    free(set->runs);
    json_decref(set->index);
    memset(set, 0, sizeof *set);
}

const eb_run *eb_runs_find(const eb_run_set *set, const char *key)
{
    json_t *at = json_object_get(set->index, key);
    return at == NULL ? NULL : &set->runs[json_integer_value(at)];
}

void eb_run_figures_of(const eb_run *run, eb_run_figures *out)
{
    memset(out, 0, sizeof *out);
    out->cpu_median_ns = -1.0;
    eb_summary_stats s;
    if (run->n > 0 && eb_stats_summarize(run->real_ns, run->n, &s) == 0) {
        out->valid = out->from_repetitions = true;
        out->n = s.n;
        out->median_ns = s.median;
        out->min_ns = s.min;
        out->max_ns = s.max;
        out->cv = s.cv;
        out->has_cv = s.n > 1;
        out->cpu_median_ns = eb_stats_median(run->cpu_ns, run->n);
        return;
    }
    if (run->agg_median != NULL) {
        out->valid = true;
        out->n = run->agg_median->repetitions > 0 ? (size_t)run->agg_median->repetitions : 0;
        out->median_ns = run->agg_median->real_ns;
        out->cpu_median_ns = run->agg_median->cpu_ns;
        /* The cv aggregate's real_time is a fraction (aggregate_unit "percentage"). */
        if (run->agg_cv != NULL) {
            out->cv = run->agg_cv->real_time;
            out->has_cv = true;
        }
    }
}

bool eb_results_run_figures(const eb_results_doc *doc, const char *run_name, eb_run_figures *out)
{
    eb_run run;
    memset(&run, 0, sizeof run);
    run.ideal_ns = run.ideal_share = -1.0;
    bool ok = true;
    for (size_t i = 0; ok && i < doc->row_count; i++) {
        const eb_row *row = &doc->rows[i];
        if (strcmp(row->run_name, run_name) != 0) continue;
        if (run.first == NULL) run.first = row;
        if (!eb_row_usable(row))
            run.errors++;
        else if (row->run_type == EB_RUN_ITERATION)
            ok = push_sample(&run, row) == 0;
        else if (strcmp(row->aggregate_name, "median") == 0 && run.agg_median == NULL)
            run.agg_median = row;
        else if (strcmp(row->aggregate_name, "cv") == 0 && run.agg_cv == NULL)
            run.agg_cv = row;
    }
    memset(out, 0, sizeof *out);
    if (ok && run.first != NULL) eb_run_figures_of(&run, out);
    free_samples(&run);
    return out->valid && run.errors == 0;
}

/* Workload, tasks and params: what a speedup is relative to. */
static bool same_group(const eb_row *a, const eb_row *b)
{
    return a->is_point && b->is_point && strcmp(a->workload, b->workload) == 0 &&
           a->tasks == b->tasks && strcmp(a->params, b->params) == 0;
}

const eb_run *eb_runs_reference(const eb_run_set *set, const eb_run *run)
{
    const eb_run *any = NULL;
    for (size_t i = 0; i < set->count; i++) {
        const eb_run *r = &set->runs[i];
        if (!eb_row_is_reference(r->first) || !same_group(r->first, run->first)) continue;
        if (strcmp(r->first->pin, run->first->pin) == 0) return r;
        if (any == NULL) any = r;
    }
    return any;
}

/* Every sample of the run carries its round. */
static bool has_rounds(const eb_run *run)
{
    for (size_t i = 0; i < run->n; i++)
        if (run->round[i] < 0) return false;
    return run->n > 0;
}

static eb_interval unknown(void)
{
    return (eb_interval){.estimate = -1.0, .low = NAN, .high = NAN, .n = 0};
}

int eb_run_ratios(const eb_run *run, const eb_run *reference, uint64_t seed, eb_ratios *out)
{
    out->speedup = out->efficiency = unknown();
    out->paired = out->reference = false;
    if (run->n == 0) return 0;
    int rc = 0;
    if (reference == run) {
        /* the reference against itself: 1 by definition, no interval (its
         * noise is its A/A pair's: eb_run_noise_floor) */
        out->speedup = (eb_interval){.estimate = 1.0, .low = NAN, .high = NAN, .n = run->n};
        out->paired = has_rounds(run);
        out->reference = true;
    } else if (reference != NULL && reference->n > 0) {
        if (has_rounds(run) && has_rounds(reference)) {
            /* pairs: this run's sample and the reference's of the same round */
            double *ref = malloc(run->n * sizeof *ref), *own = malloc(run->n * sizeof *own);
            size_t n = 0;
            if (ref == NULL || own == NULL) rc = -ENOMEM;
            for (size_t i = 0; rc == 0 && i < run->n; i++)
                for (size_t j = 0; j < reference->n; j++)
                    if (reference->round[j] == run->round[i]) {
                        ref[n] = reference->real_ns[j];
                        own[n++] = run->real_ns[i];
                        break;
                    }
            if (rc == 0 && n > 0) {
                rc = eb_paired_speedup(ref, own, n, seed, &out->speedup);
                out->paired = rc == 0;
            }
            free(ref);
            free(own);
        } else {
            rc = eb_stats_ratio_interval(reference->real_ns, reference->n, run->real_ns, run->n,
                                         seed, &out->speedup);
        }
        if (rc == -EINVAL) {
            out->speedup = unknown();
            rc = 0;
        }
    }
    if (rc != 0 || run->ideal_ns < 0.0) return rc;
    if (run->ideal_share > 0.0 && out->speedup.estimate > 0.0) {
        /* CPU work: the ideal scales with the reference, so the efficiency is the
         * speedup scaled: paired, by the share; unpaired, to ideal_ns over the
         * median, the figure's definition (results-format.md) */
        double factor = run->ideal_share;
        if (!out->paired)
            factor = eb_efficiency(run->ideal_ns, eb_stats_median(run->real_ns, run->n)) /
                     out->speedup.estimate;
        if (factor > 0.0) out->efficiency = eb_interval_scaled(&out->speedup, factor);
        return 0;
    }
    rc = eb_fixed_ideal_efficiency(run->ideal_ns, run->real_ns, run->n, seed, &out->efficiency);
    if (rc == -EINVAL) {
        out->efficiency = unknown();
        rc = 0;
    }
    return rc;
}

int eb_run_noise_floor(const eb_run *reference, uint64_t seed, eb_interval *out)
{
    *out = unknown();
    double *first = malloc((reference->n ? reference->n : 1) * sizeof *first);
    double *second = malloc((reference->n ? reference->n : 1) * sizeof *second);
    int rc = first != NULL && second != NULL ? 0 : -ENOMEM;
    size_t n = 0;
    for (size_t i = 0; rc == 0 && i < reference->n; i++)
        if (reference->aa_ns[i] > 0.0) {
            first[n] = reference->real_ns[i];
            second[n++] = reference->aa_ns[i];
        }
    if (rc == 0 && n > 0) rc = eb_paired_speedup(first, second, n, seed, out);
    if (rc == -EINVAL) {
        *out = unknown();
        rc = 0;
    }
    free(first);
    free(second);
    return rc;
}

bool eb_run_number_median(const eb_run *run, const char *key, double *out)
{
    double *values = run->n > 0 ? malloc(run->n * sizeof *values) : NULL;
    size_t n = 0;
    for (size_t i = 0; values != NULL && i < run->n; i++)
        if (eb_row_number(run->rows[i], key, &values[n])) n++;
    bool found = n > 0;
    if (found) *out = eb_stats_median(values, n);
    free(values);
    if (!found && run->agg_median != NULL) found = eb_row_number(run->agg_median, key, out);
    return found;
}
