/* table.c — see table.h. */
#include "table.h"

/* The rule for a figure beyond its bound is execbench-compare's too: one header. */
#include "bound.h"
#include "merge.h"
#include "workload.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    const char *run_name, *workload, *executor, *pin, *error;
    json_int_t workers, tasks;
    json_t *params;
    double median_ns, ideal_ns; /* < 0: unknown */
    double cpu_ns;              /* the median of cpu_time; < 0: unknown */
    double cv;                  /* libbenchmark's cv aggregate of real_time; < 0: none */
    size_t iterations;
    double only_ns, only_cpu_ns;
} entry;

/* Above this coefficient of variation a median is read with care. */
#define NOISY_CV 0.10

static entry *find_or_add(entry *entries, size_t *n, const char *run_name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(entries[i].run_name, run_name) == 0) return &entries[i];
    entry *e = &entries[(*n)++];
    memset(e, 0, sizeof *e);
    e->run_name = run_name;
    e->median_ns = e->ideal_ns = e->cpu_ns = e->cv = -1;
    return e;
}

/* As in the point names: the first parameter, then those off their default. */
static void params_text(const char *workload, json_t *params, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    const eb_workload *w = eb_workload_find(workload);
    const char *key;
    json_t *v;
    size_t index = 0;
    json_object_foreach(params, key, v)
    {
        if (used >= len) break;
        int p = w != NULL ? eb_workload_param_index(w, key) : -1;
        if (index++ > 0 && p >= 0 && w->params[p].default_value == json_integer_value(v)) continue;
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%lld", used ? " " : "", key,
                                 (long long)json_integer_value(v));
    }
}

static void time_text(double ns, char *buf, size_t len)
{
    if (ns < 0)
        snprintf(buf, len, "-");
    else if (ns >= 1e9)
        snprintf(buf, len, "%.3f s", ns / 1e9);
    else if (ns >= 1e6)
        snprintf(buf, len, "%.2f ms", ns / 1e6);
    else
        snprintf(buf, len, "%.1f us", ns / 1e3);
}

static const entry *sequential_of(const entry *entries, size_t n, const entry *e)
{
    for (size_t i = 0; i < n; i++) {
        const entry *s = &entries[i];
        if (strcmp(s->executor, "sequential") == 0 && strcmp(s->workload, e->workload) == 0 &&
            s->tasks == e->tasks && json_equal(s->params, e->params) && s->error == NULL &&
            s->median_ns > 0)
            return s;
    }
    return NULL;
}

void eb_table_print(FILE *f, json_t *doc)
{
    json_t *rows = json_object_get(doc, "benchmarks");
    size_t count = json_array_size(rows), n = 0, i;
    entry *entries = calloc(count + 1, sizeof *entries);
    if (entries == NULL) return;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *workload = json_string_value(json_object_get(row, "workload"));
        const char *run_name = json_string_value(json_object_get(row, "run_name"));
        if (workload == NULL || run_name == NULL) continue; /* micro.* rows */
        entry *e = find_or_add(entries, &n, run_name);
        e->workload = workload;
        e->executor = json_string_value(json_object_get(row, "executor"));
        e->pin = json_string_value(json_object_get(row, "pin"));
        e->workers = json_integer_value(json_object_get(row, "workers"));
        e->tasks = json_integer_value(json_object_get(row, "tasks"));
        e->params = json_object_get(row, "params");
        if (json_is_true(json_object_get(row, "error_occurred")))
            e->error = json_string_value(json_object_get(row, "error_message"));
        double unit = eb_time_unit_ns(json_string_value(json_object_get(row, "time_unit")));
        double t = json_number_value(json_object_get(row, "real_time")) * unit;
        double cpu = json_number_value(json_object_get(row, "cpu_time")) * unit;
        const char *agg = json_string_value(json_object_get(row, "aggregate_name"));
        if (agg != NULL && strcmp(agg, "median") == 0) {
            e->median_ns = t;
            e->cpu_ns = cpu;
        }
        if (agg != NULL && strcmp(agg, "cv") == 0) /* a fraction, whatever the time unit */
            e->cv = json_number_value(json_object_get(row, "real_time"));
        if (agg == NULL) {
            e->iterations++;
            e->only_ns = t;
            e->only_cpu_ns = cpu;
        }
        json_t *ideal = json_object_get(row, "ideal_ns");
        if (json_is_integer(ideal)) e->ideal_ns = (double)json_integer_value(ideal);
    }
    for (size_t k = 0; k < n; k++)
        if (entries[k].median_ns < 0 && entries[k].iterations == 1 && entries[k].error == NULL) {
            entries[k].median_ns = entries[k].only_ns;
            entries[k].cpu_ns = entries[k].only_cpu_ns;
        }

    size_t beyond_count = 0;
    for (size_t w = 0; w < n; w++) {
        bool first = true;
        for (size_t k = 0; k < w; k++)
            if (strcmp(entries[k].workload, entries[w].workload) == 0) first = false;
        if (!first) continue;
        fprintf(f, "\n%s\n  %-13s %9s %7s %-22s %-8s %11s %7s %8s %10s\n", entries[w].workload,
                "executor", "workers", "tasks", "params", "pin", "median", "cv", "speedup",
                "efficiency");
        for (size_t k = w; k < n; k++) {
            const entry *e = &entries[k];
            if (strcmp(e->workload, entries[w].workload) != 0) continue;
            char params[128], median[32], cv[16] = "-", speedup[16] = "-", efficiency[16] = "-";
            char workers[24] = "unbounded"; /* workers 0: as many as there are tasks */
            if (e->workers != 0) snprintf(workers, sizeof workers, "%lld", (long long)e->workers);
            params_text(e->workload, e->params, params, sizeof params);
            fprintf(f, "  %-13s %9s %7lld %-22s %-8s ", e->executor, workers, (long long)e->tasks,
                    params, e->pin ? e->pin : "");
            if (e->error != NULL) {
                fprintf(f, "error: %s\n", e->error);
                continue;
            }
            time_text(e->median_ns, median, sizeof median);
            if (e->cv >= 0) snprintf(cv, sizeof cv, "%.1f%%", 100.0 * e->cv);
            const entry *s = sequential_of(entries, n, e);
            /* Beyond 100% as shown ("%.1f%%"): the figure, and the speedup with it (bound.h). */
            double eff = e->ideal_ns > 0 && e->median_ns > 0 ? e->ideal_ns / e->median_ns : -1;
            bool beyond = eff >= 0 && eb_beyond_bound(eff, 1e-3);
            const char *mark = beyond ? " " EB_BOUND_MARK : "";
            if (s != NULL && e->median_ns > 0)
                snprintf(speedup, sizeof speedup, "%.2fx%s", s->median_ns / e->median_ns, mark);
            if (eff >= 0) snprintf(efficiency, sizeof efficiency, "%.1f%%%s", 100.0 * eff, mark);
            fprintf(f, "%11s %7s %8s %10s\n", median, cv, speedup, efficiency);
            if (beyond) beyond_count++;
        }
        /* Under the workload's rows: each mark, and the likely cause its rows show. */
        for (size_t k = w; k < n && beyond_count > 0; k++) {
            const entry *e = &entries[k];
            if (strcmp(e->workload, entries[w].workload) != 0 || e->error != NULL) continue;
            double eff = e->ideal_ns > 0 && e->median_ns > 0 ? e->ideal_ns / e->median_ns : -1;
            if (eff < 0 || !eb_beyond_bound(eff, 1e-3)) continue;
            const entry *s = sequential_of(entries, n, e);
            eb_bound_rows facts = {.efficiency = eff,
                                   .real_ns = e->median_ns,
                                   .cpu_ns = e->cpu_ns,
                                   .cv = e->cv,
                                   .ref_real_ns = s != NULL && s != e ? s->median_ns : -1,
                                   .ref_cpu_ns = s != NULL && s != e ? s->cpu_ns : -1,
                                   .ref_cv = s != NULL && s != e ? s->cv : -1};
            char cause[400], params[128], workers[48];
            eb_bound_cause(&facts, cause, sizeof cause);
            params_text(e->workload, e->params, params, sizeof params);
            if (e->workers == 0)
                snprintf(workers, sizeof workers, "unbounded workers");
            else
                snprintf(workers, sizeof workers, "%lld worker%s", (long long)e->workers,
                         e->workers == 1 ? "" : "s");
            fprintf(f, "  " EB_BOUND_MARK " %s, %s, %s: %.1f%% of the ideal: %s\n", e->executor,
                    workers, params, 100.0 * eff, cause);
        }
        if (beyond_count > 0) {
            fprintf(f, "  " EB_BOUND_MARK ": beyond the physical bound (efficiency above 100%%, "
                       "speedup above what the ideal allows): a measurement artefact, not a "
                       "result\n");
            beyond_count = 0;
        }
    }
    size_t noisy = 0, measured = 0;
    for (size_t k = 0; k < n; k++) {
        measured += entries[k].error == NULL;
        noisy += entries[k].error == NULL && entries[k].cv > NOISY_CV;
    }
    if (noisy > 0)
        fprintf(f,
                "\n%zu of %zu %s varied by more than %.0f%% (cv) between repetitions: the "
                "machine was busy or changed speed meanwhile; run %s again (execbench-compare "
                "diff tells a real change from noise) or raise --repetitions\n",
                noisy, measured, measured == 1 ? "point" : "points", 100.0 * NOISY_CV,
                noisy == 1 ? "it" : "them");
    free(entries);
}
