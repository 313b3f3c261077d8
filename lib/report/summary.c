/* summary.c — see summary.h. */
#include "summary.h"

#include "bound.h"
#include "err.h"
#include "runs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line of the summary: the same run across the documents. */
typedef struct entity {
    const eb_run *proto; /* the first document's run that has it */
    const eb_run **per_doc;
    size_t table;
} entity;

/* What one document says about one entity, computed once. */
typedef struct figures {
    eb_run_figures f;
    double speedup, efficiency;         /* < 0 when unknown */
    double times_best, lead, cpu_share; /* the crossover's (results.h); < 0 when unknown */
    bool winner;
    bool has_base; /* base: the entity of the sequential point the speedup divides */
    size_t base;
    bool beyond;      /* beyond its physical bound (bound.h) */
    eb_ratios ratios; /* speedup and efficiency with their 95% intervals */
} figures;

typedef struct builder {
    const eb_results_doc *docs;
    size_t doc_count;
    eb_summary_options opt;
    eb_run_set *sets;
    entity *ents;
    size_t ent_count;
    figures *figs; /* ent_count x doc_count */
    char **titles;
    size_t title_count;
    bool any_range, any_ratio, any_winner, any_aggregate_only, any_beyond;
    bool any_interval, any_paired, any_no_interval;
} builder;

static figures *fig(const builder *b, size_t e, size_t d)
{
    return &b->figs[e * b->doc_count + d];
}

static const char *label_of(size_t d, char *buf, size_t len)
{
    if (d < 26)
        snprintf(buf, len, "%c", (char)('A' + d));
    else
        snprintf(buf, len, "F%zu", d + 1);
    return buf;
}

/* The table a run belongs to: its workload, or the family of a plain run (the
 * name up to the first '/'). */
static char *table_title(const eb_run *run)
{
    const eb_row *row = run->first;
    if (row->is_point) return strdup(row->workload);
    const char *slash = strchr(row->run_name, '/');
    return slash ? strndup(row->run_name, (size_t)(slash - row->run_name)) : strdup(row->run_name);
}

/* Workload, tasks and params: what a speedup and a winner are relative to. */
static char *group_key(const eb_row *row)
{
    char *key = NULL;
    if (asprintf(&key, "%s\x1f%lld\x1f%s", row->workload, (long long)row->tasks, row->params) < 0)
        return NULL;
    return key;
}

static int gather(builder *b)
{
    json_t *ent_index = json_object(), *title_index = json_object();
    int rc = -ENOMEM;
    if (ent_index == NULL || title_index == NULL) goto out;
    for (size_t d = 0; d < b->doc_count; d++) {
        const eb_run_set *set = &b->sets[d];
        for (size_t i = 0; i < set->count; i++) {
            const eb_run *run = &set->runs[i];
            if (b->opt.points_only && !run->first->is_point) continue;
            json_t *at = json_object_get(ent_index, run->key);
            size_t e;
            if (at != NULL) {
                e = (size_t)json_integer_value(at);
            } else {
                e = b->ent_count;
                entity *ents = realloc(b->ents, (e + 1) * sizeof *ents);
                if (ents == NULL) goto out;
                b->ents = ents;
                ents[e].proto = run;
                ents[e].per_doc = calloc(b->doc_count, sizeof *ents[e].per_doc);
                if (ents[e].per_doc == NULL) goto out;
                b->ent_count++;
                if (json_object_set_new(ent_index, run->key, json_integer((json_int_t)e)) != 0)
                    goto out;
                char *title = table_title(run);
                if (title == NULL) goto out;
                json_t *t = json_object_get(title_index, title);
                if (t != NULL) {
                    ents[e].table = (size_t)json_integer_value(t);
                    free(title);
                } else {
                    char **titles = realloc(b->titles, (b->title_count + 1) * sizeof *titles);
                    if (titles == NULL ||
                        json_object_set_new(title_index, title,
                                            json_integer((json_int_t)b->title_count)) != 0) {
                        if (titles) b->titles = titles;
                        free(title);
                        goto out;
                    }
                    b->titles = titles;
                    ents[e].table = b->title_count;
                    titles[b->title_count++] = title;
                }
            }
            b->ents[e].per_doc[d] = run;
        }
    }
    rc = 0;
out:
    json_decref(ent_index);
    json_decref(title_index);
    return rc;
}

/* Speedup, efficiency and winners of one document. */
static int compute(builder *b, size_t d)
{
    json_t *seq_any = json_object(), *seq_pin = json_object(), *best = json_object();
    int rc = -ENOMEM;
    if (seq_any == NULL || seq_pin == NULL || best == NULL) goto out;
    for (size_t e = 0; e < b->ent_count; e++) {
        figures *f = fig(b, e, d);
        f->speedup = f->efficiency = f->times_best = f->lead = f->cpu_share = -1.0;
        const eb_run *run = b->ents[e].per_doc[d];
        if (run == NULL) continue;
        eb_run_figures_of(run, &f->f);
        if (f->f.valid && !f->f.from_repetitions) b->any_aggregate_only = true;
        if (f->f.valid && f->f.from_repetitions) b->any_range = true;
        const eb_row *row = run->first;
        if (!row->is_point || !f->f.valid) continue;
        if (run->ideal_ns >= 0.0) f->efficiency = eb_efficiency(run->ideal_ns, f->f.median_ns);
        char *g = group_key(row);
        if (g == NULL) goto out;
        if (eb_row_is_reference(row)) {
            char *gp = NULL;
            if (asprintf(&gp, "%s\x1f%s", g, row->pin) < 0) {
                free(g);
                goto out;
            }
            if (json_object_get(seq_any, g) == NULL)
                json_object_set_new(seq_any, g, json_integer((json_int_t)e));
            if (json_object_get(seq_pin, gp) == NULL)
                json_object_set_new(seq_pin, gp, json_integer((json_int_t)e));
            free(gp);
        }
        /* best: [entity of the lowest median, points in the group, the
         * runner-up's entity (-1: none yet)] */
        json_t *cur = json_object_get(best, g);
        if (cur == NULL) {
            json_object_set_new(best, g,
                                json_pack("[III]", (json_int_t)e, (json_int_t)1, (json_int_t)-1));
        } else {
            size_t be = (size_t)json_integer_value(json_array_get(cur, 0));
            json_int_t count = json_integer_value(json_array_get(cur, 1)) + 1;
            json_int_t second = json_integer_value(json_array_get(cur, 2));
            if (f->f.median_ns < fig(b, be, d)->f.median_ns) {
                second = (json_int_t)be;
                be = e;
            } else if (second < 0 || f->f.median_ns < fig(b, (size_t)second, d)->f.median_ns) {
                second = (json_int_t)e;
            }
            json_array_set_new(cur, 0, json_integer((json_int_t)be));
            json_array_set_new(cur, 1, json_integer(count));
            json_array_set_new(cur, 2, json_integer(second));
        }
        free(g);
    }
    for (size_t e = 0; e < b->ent_count; e++) {
        figures *f = fig(b, e, d);
        const eb_run *run = b->ents[e].per_doc[d];
        if (run == NULL || !run->first->is_point || !f->f.valid) continue;
        const eb_row *row = run->first;
        char *g = group_key(row), *gp = NULL;
        if (g == NULL || asprintf(&gp, "%s\x1f%s", g, row->pin) < 0) {
            free(g);
            goto out;
        }
        json_t *base = json_object_get(seq_pin, gp);
        if (base == NULL) base = json_object_get(seq_any, g);
        const eb_run *reference = NULL;
        if (base != NULL) {
            f->has_base = true;
            f->base = (size_t)json_integer_value(base);
            f->speedup = eb_speedup(fig(b, f->base, d)->f.median_ns, f->f.median_ns);
            f->cpu_share =
                eb_cpu_share(fig(b, f->base, d)->f.cpu_median_ns, fig(b, f->base, d)->f.median_ns);
            reference = b->ents[f->base].per_doc[d];
        }
        /* With the repetitions at hand: paired by round, or the medians' ratio,
         * each with its interval (lib/results); aggregates alone keep the
         * medians' figures above. */
        if (eb_run_ratios(run, reference, b->docs[d].seed, &f->ratios) != 0) {
            free(g);
            free(gp);
            goto out;
        }
        if (f->ratios.speedup.estimate > 0.0) f->speedup = f->ratios.speedup.estimate;
        if (f->ratios.efficiency.estimate > 0.0) f->efficiency = f->ratios.efficiency.estimate;
        b->any_paired |= f->ratios.paired;
        /* Beyond the bound: with an interval, when all of it is (as shown: one
         * decimal); without one, when the figure as shown ("100.00%") is. */
        bool interval = eb_interval_known(&f->ratios.efficiency);
        if (f->efficiency >= 0.0 &&
            (interval ? eb_beyond_bound_interval(f->ratios.efficiency.low, EB_INTERVAL_PERCENT_STEP)
                      : eb_beyond_bound(f->efficiency, 1e-4)))
            f->beyond = b->any_beyond = true;
        if (interval || eb_interval_known(&f->ratios.speedup)) b->any_interval = true;
        /* the cell and its note read "[?]": the footnote says why */
        if (!interval && f->efficiency > 1.0) b->any_no_interval = true;
        json_t *cur = json_object_get(best, g);
        size_t be = cur != NULL ? (size_t)json_integer_value(json_array_get(cur, 0)) : e;
        json_int_t second = cur != NULL ? json_integer_value(json_array_get(cur, 2)) : -1;
        f->times_best = eb_times_best(fig(b, be, d)->f.median_ns, f->f.median_ns);
        if (cur != NULL && json_integer_value(json_array_get(cur, 1)) > 1 && be == e) {
            f->winner = b->any_winner = true;
            if (second >= 0)
                f->lead = eb_times_best(f->f.median_ns, fig(b, (size_t)second, d)->f.median_ns);
        }
        if (f->speedup >= 0.0 || f->efficiency >= 0.0) b->any_ratio = true;
        free(g);
        free(gp);
    }
    rc = 0;
out:
    json_decref(seq_any);
    json_decref(seq_pin);
    json_decref(best);
    return rc;
}

/* ---- the tables ------------------------------------------------------------- */

enum {
    KEY_COLS = 10, /* name, benchmark, workload, executor, workers, tasks, pin, params, gil,
                      coro_stack */
};

/* The columns each document has: a number for csv and json, its text for people. */
enum {
    PD_N,
    PD_MEDIAN, /* "10.08 ms *", "error": people */
    PD_MEDIAN_NS,
    PD_RANGE,
    PD_MIN,
    PD_MAX,
    PD_CV,
    PD_SPEEDUP,
    PD_SPEEDUP_LOW,
    PD_SPEEDUP_HIGH,
    PD_EFFICIENCY,
    PD_EFFICIENCY_LOW,
    PD_EFFICIENCY_HIGH,
    PD_PAIRS,
    PD_CONVERGED,
    PD_IDEAL,
    PD_IDEAL_SPEEDUP, /* the reference's median over the ideal: the speedup's bound */
    PD_BEYOND,
    PD_WINNER,
    PD_STATUS, /* ok, partial (some repetitions failed), error, no_median */
    PD_ERROR,
    PD_CPU_SHARE,  /* the reference's CPU time over its median: the share that computes */
    PD_TIMES_BEST, /* the median over the fastest of the group's */
    PD_LEAD,       /* the fastest point's: the runner-up's median over its own */
    /* scale: what ran and what a task cost above the ideal, warm and cold */
    PD_CORO_STACK_USED,
    PD_COLD_RUN,
    PD_OVER_PER_TASK,
    PD_COLD_OVER_PER_TASK,
    PD_BYTES_PER_TASK,
    PER_DOC_COLS,
};

static int add_columns(eb_column **cols, size_t *count, size_t doc_count)
{
    /* A column that shows a document's field is named by its key. */
    static const eb_column key_cols[KEY_COLS] = {
        {EB_KEY_NAME, EB_KEY_NAME, EB_COL_MACHINE, true},
        {"benchmark", "benchmark", EB_COL_HUMAN, true},
        {EB_KEY_WORKLOAD, EB_KEY_WORKLOAD, EB_COL_MACHINE, true},
        {EB_KEY_EXECUTOR, EB_KEY_EXECUTOR, EB_COL_BOTH, true},
        {EB_KEY_WORKERS, EB_KEY_WORKERS, EB_COL_BOTH, false},
        {EB_KEY_TASKS, EB_KEY_TASKS, EB_COL_BOTH | EB_COL_HOIST, false},
        {EB_KEY_PIN, EB_KEY_PIN, EB_COL_BOTH | EB_COL_HOIST, true},
        {EB_KEY_PARAMS, EB_KEY_PARAMS, EB_COL_BOTH | EB_COL_HOIST | EB_COL_HOIST_BARE, true},
        {EB_KEY_GIL_INTERVAL_US, "GIL us", EB_COL_BOTH, false},
        /* only where a point names its stack mode: hidden for the others */
        {EB_KEY_CORO_STACK, "stack", EB_COL_BOTH | EB_COL_HOIST, true},
    };
    size_t n = KEY_COLS + PER_DOC_COLS * doc_count;
    eb_column *c = calloc(n, sizeof *c);
    if (c == NULL) return -ENOMEM;
    memcpy(c, key_cols, sizeof key_cols);
    *cols = c;
    *count = n;
    return 0;
}

static void free_columns(eb_column *cols, size_t count, size_t first_owned)
{
    for (size_t i = first_owned; i < count; i++) {
        free(cols[i].key);
        free(cols[i].title);
    }
    free(cols);
}

static int build_columns(const builder *b, eb_column **cols_out, size_t *count_out)
{
    eb_column *cols;
    size_t count;
    if (add_columns(&cols, &count, b->doc_count) != 0) return -ENOMEM;
    static const struct {
        const char *key, *title;
        unsigned formats;
        bool left;
    } per_doc[] = {
        [PD_N] = {EB_SUMMARY_COL_N, "n", EB_COL_BOTH, false},
        [PD_MEDIAN] = {"median", "median", EB_COL_HUMAN, false},
        [PD_MEDIAN_NS] = {EB_SUMMARY_COL_MEDIAN_NS, "median", EB_COL_MACHINE, false},
        [PD_RANGE] = {"range", "min - max", EB_COL_HUMAN, false},
        [PD_MIN] = {EB_SUMMARY_COL_MIN_NS, "min", EB_COL_MACHINE, false},
        [PD_MAX] = {EB_SUMMARY_COL_MAX_NS, "max", EB_COL_MACHINE, false},
        [PD_CV] = {EB_SUMMARY_COL_CV, "CV", EB_COL_BOTH, false},
        [PD_SPEEDUP] = {EB_SUMMARY_COL_SPEEDUP, "speedup", EB_COL_BOTH, false},
        [PD_SPEEDUP_LOW] = {EB_KEY_SPEEDUP_LOW, "speedup low", EB_COL_MACHINE, false},
        [PD_SPEEDUP_HIGH] = {EB_KEY_SPEEDUP_HIGH, "speedup high", EB_COL_MACHINE, false},
        [PD_EFFICIENCY] = {EB_SUMMARY_COL_EFFICIENCY, "efficiency", EB_COL_BOTH, false},
        [PD_EFFICIENCY_LOW] = {EB_KEY_EFFICIENCY_LOW, "efficiency low", EB_COL_MACHINE, false},
        [PD_EFFICIENCY_HIGH] = {EB_KEY_EFFICIENCY_HIGH, "efficiency high", EB_COL_MACHINE, false},
        [PD_PAIRS] = {EB_KEY_PAIRS, "pairs", EB_COL_MACHINE, false},
        [PD_CONVERGED] = {EB_KEY_CONVERGED, "converged", EB_COL_MACHINE, false},
        [PD_IDEAL] = {EB_KEY_IDEAL_NS, "ideal", EB_COL_MACHINE, false},
        [PD_IDEAL_SPEEDUP] = {"ideal_speedup", "ideal speedup", EB_COL_MACHINE, false},
        [PD_BEYOND] = {EB_SUMMARY_COL_BEYOND, "beyond bound", EB_COL_MACHINE, false},
        [PD_WINNER] = {"winner", "winner", EB_COL_MACHINE, false},
        [PD_STATUS] = {EB_SUMMARY_COL_STATUS, "status", EB_COL_MACHINE, true},
        [PD_ERROR] = {EB_SUMMARY_COL_ERROR, "error", EB_COL_MACHINE, true},
        [PD_CPU_SHARE] = {"cpu_share", "CPU share", EB_COL_MACHINE, false},
        [PD_TIMES_BEST] = {"times_best", "x best", EB_COL_MACHINE, false},
        [PD_LEAD] = {"lead", "lead", EB_COL_MACHINE, false},
        [PD_CORO_STACK_USED] = {EB_KEY_CORO_STACK_USED, "stack used", EB_COL_MACHINE, true},
        [PD_COLD_RUN] = {EB_KEY_COLD_RUN_NS, "cold run", EB_COL_MACHINE, false},
        [PD_OVER_PER_TASK] = {"over_ideal_per_task_ns", "over ideal per task", EB_COL_MACHINE,
                              false},
        [PD_COLD_OVER_PER_TASK] = {"cold_over_ideal_per_task_ns", "cold over ideal per task",
                                   EB_COL_MACHINE, false},
        [PD_BYTES_PER_TASK] = {EB_KEY_MAX_RSS_PER_TASK_BYTES, "bytes per task", EB_COL_MACHINE,
                               false},
    };
    size_t per = sizeof per_doc / sizeof per_doc[0];
    _Static_assert(sizeof per_doc / sizeof per_doc[0] == PER_DOC_COLS, "one entry per column");
    bool multi = b->doc_count > 1;
    for (size_t d = 0; d < b->doc_count; d++) {
        char label[24];
        label_of(d, label, sizeof label);
        for (size_t i = 0; i < per; i++) {
            eb_column *c = &cols[KEY_COLS + d * per + i];
            c->formats = per_doc[i].formats;
            c->align_left = per_doc[i].left;
            /* Side by side, room is short: CV shows the spread, n goes to the data. */
            if (multi && i == PD_RANGE) c->formats = 0;
            if (multi && i == PD_N) c->formats = EB_COL_MACHINE;
            int k = multi ? asprintf(&c->key, "%s.%s", label, per_doc[i].key)
                          : asprintf(&c->key, "%s", per_doc[i].key);
            int t = multi ? asprintf(&c->title, "%s %s", per_doc[i].title, label)
                          : asprintf(&c->title, "%s", per_doc[i].title);
            if (k < 0 || t < 0) {
                if (k < 0) c->key = NULL;
                if (t < 0) c->title = NULL;
                free_columns(cols, count, KEY_COLS);
                return -ENOMEM;
            }
        }
    }
    *cols_out = cols;
    *count_out = count;
    return 0;
}

static const char *workers_text(int64_t workers, char *buf, size_t len)
{
    if (workers == 0)
        snprintf(buf, len, "unbounded");
    else
        snprintf(buf, len, "%lld", (long long)workers);
    return buf;
}

/* "threaded, 2 workers, 20 tasks, pin compact, n=5000000": every field that
 * tells two points apart, for the notes. */
static const char *point_label(const eb_row *row, char *buf, size_t len)
{
    if (!row->is_point) {
        snprintf(buf, len, "%s", row->run_name);
        return buf;
    }
    char workers[48];
    if (row->workers == 0)
        snprintf(workers, sizeof workers, "unbounded workers");
    else
        snprintf(workers, sizeof workers, "%lld %s", (long long)row->workers,
                 eb_plural((size_t)row->workers, "worker", "workers"));
    char gil[48] = "";
    if (row->gil_interval_us > 0)
        snprintf(gil, sizeof gil, ", GIL %lld us", (long long)row->gil_interval_us);
    snprintf(buf, len, "%s, %s, %lld %s%s%s%s%s%s", row->executor, workers, (long long)row->tasks,
             eb_plural((size_t)row->tasks, "task", "tasks"), row->pin[0] ? ", pin " : "", row->pin,
             row->params[0] ? ", " : "", row->params, gil);
    return buf;
}

/* The scale figures of a point (scale.png): the stack mode its coroutines
 * ran with, its cold run, what a task cost above the ideal warm (the
 * median) and cold, and its resident bytes per task. */
static int scale_cells(eb_table *t, size_t row, size_t c, const eb_run *run, const figures *f)
{
    const eb_row *first = run->first;
    int rc = 0;
    double cold = -1.0, over, bytes;
    if (first->coro_stack_used[0])
        rc = eb_table_set(t, row, c + PD_CORO_STACK_USED,
                          eb_cell_text(first->coro_stack_used, EB_STYLE_PLAIN));
    if (rc == 0 && eb_run_number_median(run, EB_KEY_COLD_RUN_NS, &cold) && cold > 0.0)
        rc = eb_table_set(t, row, c + PD_COLD_RUN, eb_cell_real(cold, NULL, EB_STYLE_PLAIN));
    if (rc == 0 && eb_over_ideal_per_task_ns(f->f.median_ns, run->ideal_ns, first->tasks, &over))
        rc = eb_table_set(t, row, c + PD_OVER_PER_TASK, eb_cell_real(over, NULL, EB_STYLE_PLAIN));
    if (rc == 0 && cold > 0.0 &&
        eb_over_ideal_per_task_ns(cold, run->ideal_ns, first->tasks, &over))
        rc = eb_table_set(t, row, c + PD_COLD_OVER_PER_TASK,
                          eb_cell_real(over, NULL, EB_STYLE_PLAIN));
    if (rc == 0 && eb_run_number_median(run, EB_KEY_MAX_RSS_PER_TASK_BYTES, &bytes))
        rc = eb_table_set(t, row, c + PD_BYTES_PER_TASK, eb_cell_real(bytes, NULL, EB_STYLE_PLAIN));
    return rc;
}

static int fill_row(const builder *b, eb_table *t, size_t e)
{
    long r = eb_table_add_row(t, 0);
    if (r < 0) return -ENOMEM;
    size_t row = (size_t)r;
    const eb_row *proto = b->ents[e].proto->first;
    char buf[64], buf2[64], text[160];
    int rc = 0;
#define SET(col, cell)                                                                             \
    do {                                                                                           \
        if (rc == 0) rc = eb_table_set(t, row, (col), (cell));                                     \
    } while (0)
    SET(0, eb_cell_text(proto->run_name, EB_STYLE_PLAIN));
    if (proto->is_point) {
        SET(2, eb_cell_text(proto->workload, EB_STYLE_PLAIN));
        SET(3, eb_cell_text(proto->executor, EB_STYLE_PLAIN));
        eb_cell w = eb_cell_int(proto->workers, EB_STYLE_PLAIN);
        w.text = (char *)workers_text(proto->workers, buf, sizeof buf);
        SET(4, w);
        SET(5, eb_cell_int(proto->tasks, EB_STYLE_PLAIN));
        if (proto->pin[0]) SET(6, eb_cell_text(proto->pin, EB_STYLE_PLAIN));
        if (proto->params[0]) SET(7, eb_cell_text(proto->params, EB_STYLE_PLAIN));
        if (proto->gil_interval_us > 0) SET(8, eb_cell_int(proto->gil_interval_us, EB_STYLE_PLAIN));
        if (proto->coro_stack[0]) SET(9, eb_cell_text(proto->coro_stack, EB_STYLE_PLAIN));
    } else {
        SET(1, eb_cell_text(proto->run_name, EB_STYLE_PLAIN));
    }
    for (size_t d = 0; d < b->doc_count; d++) {
        size_t c = KEY_COLS + d * PER_DOC_COLS;
        const eb_run *run = b->ents[e].per_doc[d];
        const figures *f = fig(b, e, d);
        if (run == NULL) continue;
        const char *msg = run->errors > 0 ? run->first_error->error_message : "";
        if (run->errors > 0 && msg[0] == '\0') msg = EB_KEY_ERROR_OCCURRED;
        /* The numbers stay numbers (empty when unknown); status says why. */
        if (!f->f.valid && run->errors > 0) {
            SET(c + PD_MEDIAN, eb_cell_text("error", EB_STYLE_BAD));
            SET(c + PD_STATUS, eb_cell_text("error", EB_STYLE_BAD));
            SET(c + PD_ERROR, eb_cell_text(msg, EB_STYLE_BAD));
            continue;
        }
        if (!f->f.valid) {
            /* Aggregates without a median: nothing this report can stand on. */
            SET(c + PD_MEDIAN, eb_cell_text("no median", EB_STYLE_WARN));
            SET(c + PD_STATUS, eb_cell_text("no_median", EB_STYLE_WARN));
            SET(c + PD_ERROR,
                eb_cell_text("no repetition rows and no median aggregate", EB_STYLE_WARN));
            continue;
        }
        SET(c + PD_STATUS, eb_cell_text(run->errors > 0 ? "partial" : "ok", EB_STYLE_PLAIN));
        if (run->errors > 0) SET(c + PD_ERROR, eb_cell_text(msg, EB_STYLE_BAD));
        SET(c + PD_N, eb_cell_int((int64_t)f->f.n, EB_STYLE_PLAIN));
        snprintf(text, sizeof text, "%s%s", eb_fmt_time_ns(f->f.median_ns, buf, sizeof buf),
                 f->winner ? " *" : "");
        SET(c + PD_MEDIAN, eb_cell_text(text, f->winner ? EB_STYLE_BEST : EB_STYLE_PLAIN));
        SET(c + PD_MEDIAN_NS, eb_cell_real(f->f.median_ns, NULL, EB_STYLE_PLAIN));
        if (f->f.from_repetitions) {
            snprintf(text, sizeof text, "%s - %s", eb_fmt_time_ns(f->f.min_ns, buf, sizeof buf),
                     eb_fmt_time_ns(f->f.max_ns, buf2, sizeof buf2));
            SET(c + PD_RANGE, eb_cell_text(text, EB_STYLE_PLAIN));
            SET(c + PD_MIN, eb_cell_real(f->f.min_ns, NULL, EB_STYLE_PLAIN));
            SET(c + PD_MAX, eb_cell_real(f->f.max_ns, NULL, EB_STYLE_PLAIN));
        }
        if (f->f.has_cv)
            SET(c + PD_CV, eb_cell_real(f->f.cv, eb_fmt_percent(f->f.cv, false, buf, sizeof buf),
                                        EB_STYLE_PLAIN));
        /* A figure beyond its bound keeps its number, marked for people. */
        const char *mark = f->beyond ? " " EB_BOUND_MARK : "";
        eb_style bound_style = f->beyond ? EB_STYLE_WARN : EB_STYLE_PLAIN;
        const eb_interval *si = &f->ratios.speedup, *ei = &f->ratios.efficiency;
        if (f->speedup >= 0.0) {
            bool known = eb_interval_known(si) && si->estimate > 0.0;
            snprintf(text, sizeof text, "%s%s",
                     known ? eb_fmt_ratio_interval(f->speedup, si->low, si->high, buf, sizeof buf)
                           : eb_fmt_ratio(f->speedup, buf, sizeof buf),
                     mark);
            SET(c + PD_SPEEDUP, eb_cell_real(f->speedup, text, bound_style));
            if (known) {
                SET(c + PD_SPEEDUP_LOW, eb_cell_real(si->low, NULL, EB_STYLE_PLAIN));
                SET(c + PD_SPEEDUP_HIGH, eb_cell_real(si->high, NULL, EB_STYLE_PLAIN));
            }
        }
        if (f->efficiency >= 0.0) {
            bool known = eb_interval_known(ei) && ei->estimate > 0.0;
            /* above 100% only with its interval: "[?]" where none can be drawn */
            if (known)
                eb_fmt_percent_interval(f->efficiency, ei->low, ei->high, buf, sizeof buf);
            else
                snprintf(buf2, sizeof buf2, "%s%s",
                         eb_fmt_percent(f->efficiency, false, buf, sizeof buf),
                         f->efficiency > 1.0 ? " [?]" : "");
            snprintf(text, sizeof text, "%s%s", known ? buf : buf2, mark);
            SET(c + PD_EFFICIENCY, eb_cell_real(f->efficiency, text, bound_style));
            SET(c + PD_BEYOND, eb_cell_bool(f->beyond, NULL, EB_STYLE_PLAIN));
            if (known) {
                SET(c + PD_EFFICIENCY_LOW, eb_cell_real(ei->low, NULL, EB_STYLE_PLAIN));
                SET(c + PD_EFFICIENCY_HIGH, eb_cell_real(ei->high, NULL, EB_STYLE_PLAIN));
            }
        }
        if (f->ratios.paired) SET(c + PD_PAIRS, eb_cell_int((int64_t)si->n, EB_STYLE_PLAIN));
        if (run->agg_median != NULL && run->agg_median->converged >= 0)
            SET(c + PD_CONVERGED,
                eb_cell_bool(run->agg_median->converged == 1,
                             run->agg_median->converged == 1 ? "yes" : "no", EB_STYLE_PLAIN));
        if (run->ideal_ns >= 0.0)
            SET(c + PD_IDEAL, eb_cell_real(run->ideal_ns, NULL, EB_STYLE_PLAIN));
        double bound = f->has_base && run->ideal_ns >= 0.0
                           ? eb_speedup(fig(b, f->base, d)->f.median_ns, run->ideal_ns)
                           : -1.0;
        if (bound >= 0.0) SET(c + PD_IDEAL_SPEEDUP, eb_cell_real(bound, NULL, EB_STYLE_PLAIN));
        if (proto->is_point)
            SET(c + PD_WINNER, eb_cell_bool(f->winner, f->winner ? "yes" : "", EB_STYLE_PLAIN));
        if (f->cpu_share >= 0.0)
            SET(c + PD_CPU_SHARE, eb_cell_real(f->cpu_share, NULL, EB_STYLE_PLAIN));
        if (f->times_best >= 0.0)
            SET(c + PD_TIMES_BEST, eb_cell_real(f->times_best, NULL, EB_STYLE_PLAIN));
        if (f->lead >= 0.0) SET(c + PD_LEAD, eb_cell_real(f->lead, NULL, EB_STYLE_PLAIN));
        if (proto->is_point && rc == 0) rc = scale_cells(t, row, c, run, f);
    }
#undef SET
    return rc;
}

static const char *doc_label(const builder *b, size_t d, char *buf, size_t len)
{
    char l[24];
    if (b->doc_count > 1)
        snprintf(buf, len, "%s: ", label_of(d, l, sizeof l));
    else
        buf[0] = '\0';
    return buf;
}

/* Notes under a table: the points that failed, with what the document says. */
static int error_notes(const builder *b, eb_table *t, size_t table)
{
    for (size_t e = 0; e < b->ent_count; e++) {
        if (b->ents[e].table != table) continue;
        for (size_t d = 0; d < b->doc_count; d++) {
            const eb_run *run = b->ents[e].per_doc[d];
            if (run == NULL || run->errors == 0) continue;
            char who[512], label[40];
            point_label(run->first, who, sizeof who);
            doc_label(b, d, label, sizeof label);
            const char *msg = run->first_error->error_message;
            int rc;
            if (fig(b, e, d)->f.valid) {
                size_t all = run->errors + run->n;
                rc = eb_table_note(t,
                                   "%s%s: %zu of %zu %s failed (%s); the figures "
                                   "use the rest",
                                   label, who, run->errors, all,
                                   eb_plural(all, "repetition", "repetitions"),
                                   msg[0] ? msg : EB_KEY_ERROR_OCCURRED);
            } else {
                rc = eb_table_note(t, "%serror in %s: %s", label, who,
                                   msg[0] ? msg : EB_KEY_ERROR_OCCURRED " without a message");
            }
            if (rc != 0) return rc;
        }
    }
    return 0;
}

/* Notes under a table: each figure beyond its physical bound, and the likely
 * cause its rows and its reference's show (bound.h). */
static int bound_notes(const builder *b, eb_table *t, size_t table)
{
    for (size_t e = 0; e < b->ent_count; e++) {
        if (b->ents[e].table != table) continue;
        for (size_t d = 0; d < b->doc_count; d++) {
            const figures *f = fig(b, e, d);
            if (!f->beyond) continue;
            /* With an interval wholly beyond the bound, the spread of the
             * repetitions explains nothing: the noise clause is left out. */
            bool interval = eb_interval_known(&f->ratios.efficiency);
            eb_bound_rows rows = {
                .efficiency = f->efficiency,
                .real_ns = f->f.median_ns,
                .cpu_ns = f->f.cpu_median_ns,
                .cv = f->f.has_cv && !interval ? f->f.cv : -1.0,
                .ref_real_ns = -1.0,
                .ref_cpu_ns = -1.0,
                .ref_cv = -1.0,
            };
            if (f->has_base && f->base != e) {
                const figures *ref = fig(b, f->base, d);
                rows.ref_real_ns = ref->f.median_ns;
                rows.ref_cpu_ns = ref->f.cpu_median_ns;
                rows.ref_cv = ref->f.has_cv && !interval ? ref->f.cv : -1.0;
            }
            char who[512], label[40], cause[400], pct[64], num[32];
            eb_bound_cause(&rows, cause, sizeof cause);
            if (interval)
                eb_fmt_percent_interval(f->efficiency, f->ratios.efficiency.low,
                                        f->ratios.efficiency.high, pct, sizeof pct);
            else /* above 100% only with its interval: "[?]" where none can be drawn */
                snprintf(pct, sizeof pct, "%s [?]",
                         eb_fmt_percent(f->efficiency, false, num, sizeof num));
            int rc = eb_table_note(
                t, EB_BOUND_MARK " %s%s: %s of the ideal: %s", doc_label(b, d, label, sizeof label),
                point_label(b->ents[e].per_doc[d]->first, who, sizeof who), pct, cause);
            if (rc != 0) return rc;
        }
    }
    return 0;
}

/* Notes under a table about its rounds: each reference's noise floor (the
 * ratio of its two runs in the same round, A/A), and each point whose
 * intervals stayed wider than --target-ci. */
static int round_notes(const builder *b, eb_table *t, size_t table)
{
    for (size_t e = 0; e < b->ent_count; e++) {
        if (b->ents[e].table != table) continue;
        for (size_t d = 0; d < b->doc_count; d++) {
            const eb_run *run = b->ents[e].per_doc[d];
            if (run == NULL || !run->first->is_point) continue;
            char who[512], label[40], ratio[96];
            int rc = 0;
            eb_interval nf;
            if (eb_row_is_reference(run->first) &&
                eb_run_noise_floor(run, b->docs[d].seed, &nf) == 0 && nf.estimate > 0.0 &&
                eb_interval_known(&nf))
                rc = eb_table_note(
                    t,
                    "%snoise floor: %s against itself in the same round (A/A): "
                    "%s over %zu rounds, +-%.1f%%",
                    doc_label(b, d, label, sizeof label), point_label(run->first, who, sizeof who),
                    eb_fmt_ratio_interval(nf.estimate, nf.low, nf.high, ratio, sizeof ratio), nf.n,
                    100.0 * eb_interval_half_width(&nf));
            const figures *f = fig(b, e, d);
            if (rc == 0 && run->agg_median != NULL && run->agg_median->converged == 0) {
                double hw = eb_interval_half_width(&f->ratios.speedup);
                double he = eb_interval_half_width(&f->ratios.efficiency);
                if (!(hw > he)) hw = he;
                rc = eb_table_note(
                    t, "%sdid not converge: %s: an interval of +-%.1f%% after %zu rounds",
                    doc_label(b, d, label, sizeof label), point_label(run->first, who, sizeof who),
                    100.0 * hw, run->n);
            }
            if (rc != 0) return rc;
        }
    }
    return 0;
}

static int describe_inputs(const builder *b, eb_report *r)
{
    for (size_t d = 0; d < b->doc_count; d++) {
        const eb_results_doc *doc = &b->docs[d];
        char label[24], more[256] = "", why[160];
        size_t used = 0;
        if (doc->host_name[0])
            used += (size_t)snprintf(more + used, sizeof more - used, ", host %s", doc->host_name);
        if (doc->date[0] && used < sizeof more)
            used += (size_t)snprintf(more + used, sizeof more - used, ", %s", doc->date);
        if (doc->preset[0] && used < sizeof more)
            used += (size_t)snprintf(more + used, sizeof more - used, ", preset %s", doc->preset);
        if (doc->repeat_index > 0 && doc->repeat_of > 0 && used < sizeof more)
            used += (size_t)snprintf(more + used, sizeof more - used, ", run %lld of %lld",
                                     (long long)doc->repeat_index, (long long)doc->repeat_of);
        if (b->doc_count > 1)
            label_of(d, label, sizeof label);
        else
            snprintf(label, sizeof label, "results");
        int rc = eb_report_note(r, "%s: %s (%zu %s%s%s)", label, doc->path, doc->row_count,
                                eb_plural(doc->row_count, "row", "rows"),
                                doc->error_rows ? ", with errors" : "", more);
        if (rc == 0 && doc->interrupted)
            rc = eb_report_note(r, "%s: %s: only the points that finished are in it", label,
                                eb_results_interruption(doc, why, sizeof why));
        if (rc == 0 && doc->rounds_disturbed > 0)
            rc = eb_report_note(r,
                                "%s: %lld of %lld rounds disturbed: %lld set aside and run again, "
                                "%lld kept when the redo budget was spent "
                                "(context.execbench.rounds says why)",
                                label, (long long)doc->rounds_disturbed, (long long)doc->rounds,
                                (long long)doc->rounds_set_aside,
                                (long long)(doc->rounds_disturbed - doc->rounds_set_aside));
        if (rc != 0) return rc;
    }
    return 0;
}

static int footnotes(const builder *b, eb_report *r)
{
    int rc = 0;
    if (b->any_range)
        rc = eb_report_footnote(r,
                                "median over the repetitions; %s show their spread (CV = "
                                "stddev / mean).",
                                b->doc_count > 1 ? "CV values" : "min - max and CV");
    if (rc == 0 && b->any_ratio && b->any_paired)
        rc = eb_report_footnote(r, "speedup: per round, the time of the sequential point with "
                                   "the same workload, tasks and params over this point's in the "
                                   "same round, the median over the rounds; efficiency: the ideal "
                                   "over the time, likewise (a CPU ideal scales with the round's "
                                   "sequential time; 100%% = the ideal).");
    if (rc == 0 && b->any_ratio && b->doc_count > 1 && b->any_paired)
        rc = eb_report_footnote(r, "speedup and efficiency of a document without rounds: as "
                                   "below, from the medians.");
    if (rc == 0 && b->any_ratio && (!b->any_paired || b->doc_count > 1))
        rc = eb_report_footnote(r, "speedup: median of the sequential point with the same "
                                   "workload, tasks and params over this median; efficiency: "
                                   "ideal_ns over the median (100%% = the ideal).");
    if (rc == 0 && b->any_interval)
        rc = eb_report_footnote(r,
                                "intervals: [low-high] is the 95%% interval (percentile "
                                "bootstrap of the %s, seeded with the document's seed).",
                                b->any_paired ? "rounds" : "repetitions");
    if (rc == 0 && b->any_no_interval)
        rc = eb_report_footnote(r, "intervals: [?] says none can be drawn (fewer than 2 "
                                   "repetitions, or aggregates only).");
    if (rc == 0 && b->any_winner)
        rc = eb_report_footnote(r, "*: the fastest point of its workload, tasks and params.");
    if (rc == 0 && b->any_beyond)
        rc = eb_report_footnote(r, EB_BOUND_MARK ": beyond the physical bound: an efficiency "
                                                 "above 100%% (with an interval, all of it), and "
                                                 "so a speedup above what the ideal allows (the "
                                                 "sequential median over ideal_ns); not a result "
                                                 "but a measurement artefact, whose likely cause "
                                                 "the note under its table names.");
    if (rc == 0 && b->any_aggregate_only)
        rc = eb_report_footnote(r, "no min - max where a document holds aggregates only "
                                   "(--benchmark_report_aggregates_only).");
    return rc;
}

/* The closing line of the runner's table: how many points varied by more
 * than EB_SUMMARY_NOISY_CV between repetitions. */
static int noisy_points(const builder *b, eb_report *r)
{
    /* An interleaved run says which points' intervals stayed wide instead. */
    size_t wide = 0, judged = 0;
    for (size_t e = 0; e < b->ent_count; e++)
        for (size_t d = 0; d < b->doc_count; d++) {
            const eb_run *run = b->ents[e].per_doc[d];
            if (run == NULL || run->agg_median == NULL || run->agg_median->converged < 0) continue;
            judged++;
            wide += run->agg_median->converged == 0;
        }
    if (judged > 0) {
        if (wide == 0) return 0;
        return eb_report_footnote(
            r,
            "%zu of %zu %s did not converge to --target-ci within --max-rounds and "
            "--time-budget: the machine was busy or changed speed; read %s with %s interval, "
            "or run again on a quieter machine",
            wide, judged, eb_plural(judged, "point", "points"), wide == 1 ? "it" : "them",
            wide == 1 ? "its" : "their");
    }
    size_t noisy = 0, measured = 0;
    for (size_t e = 0; e < b->ent_count; e++)
        for (size_t d = 0; d < b->doc_count; d++) {
            const figures *f = fig(b, e, d);
            if (b->ents[e].per_doc[d] == NULL || !f->f.valid) continue;
            measured++;
            noisy += f->f.has_cv && f->f.cv > EB_SUMMARY_NOISY_CV;
        }
    if (noisy == 0) return 0;
    return eb_report_footnote(r,
                              "%zu of %zu %s varied by more than %.0f%% (cv) between "
                              "repetitions: the machine was busy or changed speed meanwhile; "
                              "run %s again (execbench-compare diff tells a real change from "
                              "noise) or raise --repetitions",
                              noisy, measured, eb_plural(measured, "point", "points"),
                              100.0 * EB_SUMMARY_NOISY_CV, noisy == 1 ? "it" : "them");
}

int eb_summary_build(const eb_results_doc *docs, size_t count, const eb_summary_options *opt,
                     eb_report **out, char *why, size_t why_len)
{
    builder b = {.docs = docs, .doc_count = count};
    if (opt != NULL) b.opt = *opt;
    const regex_t *filter = b.opt.filter;
    eb_report *r = NULL;
    eb_column *cols = NULL;
    size_t col_count = 0;
    int rc = -ENOMEM;
    *out = NULL;
    b.sets = calloc(count, sizeof *b.sets);
    if (b.sets == NULL) goto out;
    for (size_t d = 0; d < count; d++)
        if (eb_runs_collect(&docs[d], filter, EB_KEY_BY_POINT, &b.sets[d]) != 0) goto out;
    if (gather(&b) != 0) goto out;
    if (b.ent_count == 0) {
        rc = eb_fail(why, why_len, -ENOENT, "--filter matches no benchmark in %s",
                     count > 1 ? "the files" : docs[0].path);
        goto out;
    }
    b.figs = calloc(b.ent_count * count, sizeof *b.figs);
    if (b.figs == NULL) goto out;
    for (size_t d = 0; d < count; d++)
        if (compute(&b, d) != 0) goto out;

    r = eb_report_new("summary");
    if (r == NULL || build_columns(&b, &cols, &col_count) != 0) goto out;
    if (describe_inputs(&b, r) != 0) goto out;
    if (eb_report_fact(r, "files", eb_cell_int((int64_t)count, EB_STYLE_PLAIN)) != 0) goto out;
    const eb_results_doc *interrupted = NULL;
    for (size_t d = 0; d < count && interrupted == NULL; d++)
        if (docs[d].interrupted) interrupted = &docs[d];
    if (interrupted != NULL) {
        char said[160];
        eb_results_interruption(interrupted, said, sizeof said);
        if (eb_report_fact(r, EB_KEY_INTERRUPTED, eb_cell_bool(true, NULL, 0)) != 0 ||
            eb_report_fact(r, "interruption", eb_cell_text(said, 0)) != 0)
            goto out;
    }
    for (size_t t = 0; t < b.title_count; t++) {
        eb_table *table = eb_report_table(r, b.titles[t], cols, col_count);
        if (table == NULL) goto out;
        for (size_t e = 0; e < b.ent_count; e++)
            if (b.ents[e].table == t && fill_row(&b, table, e) != 0) goto out;
        if (error_notes(&b, table, t) != 0 || bound_notes(&b, table, t) != 0 ||
            round_notes(&b, table, t) != 0)
            goto out;
    }
    if (footnotes(&b, r) != 0) goto out;
    if (b.opt.name_noisy_points && noisy_points(&b, r) != 0) goto out;
    *out = r;
    r = NULL;
    rc = 0;
out:
    if (rc == -ENOMEM) eb_fail(why, why_len, rc, "out of memory");
    eb_report_free(r);
    if (cols) free_columns(cols, col_count, KEY_COLS);
    for (size_t e = 0; e < b.ent_count; e++)
        free((void *)b.ents[e].per_doc);
    free(b.ents);
    for (size_t t = 0; t < b.title_count; t++)
        free(b.titles[t]);
    free(b.titles);
    free(b.figs);
    if (b.sets)
        for (size_t d = 0; d < count; d++)
            eb_runs_free(&b.sets[d]);
    free(b.sets);
    return rc;
}
