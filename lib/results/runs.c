/* runs.c — see runs.h. */
#include "runs.h"

#include <errno.h>
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
        run->cap = cap;
    }
    run->rows[run->n] = row;
    run->real_ns[run->n] = row->real_ns;
    run->cpu_ns[run->n] = row->cpu_ns;
    run->n++;
    return 0;
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
    run->ideal_ns = -1.0;
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
        free(set->runs[i].real_ns);
        free(set->runs[i].cpu_ns);
        free((void *)set->runs[i].rows);
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
    run.ideal_ns = -1.0;
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
    free(run.real_ns);
    free(run.cpu_ns);
    free((void *)run.rows);
    return out->valid && run.errors == 0;
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
