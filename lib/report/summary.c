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
    double speedup, efficiency; /* < 0 when unknown */
    bool winner;
    bool has_base; /* base: the entity of the sequential point the speedup divides */
    size_t base;
    bool beyond; /* beyond its physical bound (bound.h) */
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
        f->speedup = f->efficiency = -1.0;
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
        /* best: [entity of the lowest median, points in the group] */
        json_t *cur = json_object_get(best, g);
        if (cur == NULL) {
            json_object_set_new(best, g, json_pack("[II]", (json_int_t)e, (json_int_t)1));
        } else {
            size_t be = (size_t)json_integer_value(json_array_get(cur, 0));
            json_int_t count = json_integer_value(json_array_get(cur, 1)) + 1;
            if (f->f.median_ns < fig(b, be, d)->f.median_ns) be = e;
            json_array_set_new(cur, 0, json_integer((json_int_t)be));
            json_array_set_new(cur, 1, json_integer(count));
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
        if (base != NULL) {
            f->has_base = true;
            f->base = (size_t)json_integer_value(base);
            f->speedup = eb_speedup(fig(b, f->base, d)->f.median_ns, f->f.median_ns);
        }
        /* The efficiency as shown ("100.00%"): what reads above 100% is marked. */
        if (f->efficiency >= 0.0 && eb_beyond_bound(f->efficiency, 1e-4))
            f->beyond = b->any_beyond = true;
        json_t *cur = json_object_get(best, g);
        if (cur != NULL && json_integer_value(json_array_get(cur, 1)) > 1 &&
            (size_t)json_integer_value(json_array_get(cur, 0)) == e)
            f->winner = b->any_winner = true;
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
    KEY_COLS = 8, /* name, benchmark, workload, executor, workers, tasks, pin, params */
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
    PD_EFFICIENCY,
    PD_IDEAL,
    PD_IDEAL_SPEEDUP, /* the reference's median over the ideal: the speedup's bound */
    PD_BEYOND,
    PD_WINNER,
    PD_STATUS, /* ok, partial (some repetitions failed), error, no_median */
    PD_ERROR,
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
        [PD_EFFICIENCY] = {EB_SUMMARY_COL_EFFICIENCY, "efficiency", EB_COL_BOTH, false},
        [PD_IDEAL] = {EB_KEY_IDEAL_NS, "ideal", EB_COL_MACHINE, false},
        [PD_IDEAL_SPEEDUP] = {"ideal_speedup", "ideal speedup", EB_COL_MACHINE, false},
        [PD_BEYOND] = {EB_SUMMARY_COL_BEYOND, "beyond bound", EB_COL_MACHINE, false},
        [PD_WINNER] = {"winner", "winner", EB_COL_MACHINE, false},
        [PD_STATUS] = {EB_SUMMARY_COL_STATUS, "status", EB_COL_MACHINE, true},
        [PD_ERROR] = {EB_SUMMARY_COL_ERROR, "error", EB_COL_MACHINE, true},
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
    snprintf(buf, len, "%s, %s, %lld %s%s%s%s%s", row->executor, workers, (long long)row->tasks,
             eb_plural((size_t)row->tasks, "task", "tasks"), row->pin[0] ? ", pin " : "", row->pin,
             row->params[0] ? ", " : "", row->params);
    return buf;
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
        if (f->speedup >= 0.0) {
            snprintf(text, sizeof text, "%s%s", eb_fmt_ratio(f->speedup, buf, sizeof buf), mark);
            SET(c + PD_SPEEDUP, eb_cell_real(f->speedup, text, bound_style));
        }
        if (f->efficiency >= 0.0) {
            snprintf(text, sizeof text, "%s%s",
                     eb_fmt_percent(f->efficiency, false, buf, sizeof buf), mark);
            SET(c + PD_EFFICIENCY, eb_cell_real(f->efficiency, text, bound_style));
            SET(c + PD_BEYOND, eb_cell_bool(f->beyond, NULL, EB_STYLE_PLAIN));
        }
        if (run->ideal_ns >= 0.0)
            SET(c + PD_IDEAL, eb_cell_real(run->ideal_ns, NULL, EB_STYLE_PLAIN));
        double bound = f->has_base && run->ideal_ns >= 0.0
                           ? eb_speedup(fig(b, f->base, d)->f.median_ns, run->ideal_ns)
                           : -1.0;
        if (bound >= 0.0) SET(c + PD_IDEAL_SPEEDUP, eb_cell_real(bound, NULL, EB_STYLE_PLAIN));
        if (proto->is_point)
            SET(c + PD_WINNER, eb_cell_bool(f->winner, f->winner ? "yes" : "", EB_STYLE_PLAIN));
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
            eb_bound_rows rows = {
                .efficiency = f->efficiency,
                .real_ns = f->f.median_ns,
                .cpu_ns = f->f.cpu_median_ns,
                .cv = f->f.has_cv ? f->f.cv : -1.0,
                .ref_real_ns = -1.0,
                .ref_cpu_ns = -1.0,
                .ref_cv = -1.0,
            };
            if (f->has_base && f->base != e) {
                const figures *ref = fig(b, f->base, d);
                rows.ref_real_ns = ref->f.median_ns;
                rows.ref_cpu_ns = ref->f.cpu_median_ns;
                rows.ref_cv = ref->f.has_cv ? ref->f.cv : -1.0;
            }
            char who[512], label[40], cause[400], pct[32];
            eb_bound_cause(&rows, cause, sizeof cause);
            int rc = eb_table_note(t, EB_BOUND_MARK " %s%s: %s of the ideal: %s",
                                   doc_label(b, d, label, sizeof label),
                                   point_label(b->ents[e].per_doc[d]->first, who, sizeof who),
                                   eb_fmt_percent(f->efficiency, false, pct, sizeof pct), cause);
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
    if (rc == 0 && b->any_ratio)
        rc = eb_report_footnote(r, "speedup: median of the sequential point with the same "
                                   "workload, tasks and params over this median; efficiency: "
                                   "ideal_ns over the median (100%% = the ideal).");
    if (rc == 0 && b->any_winner)
        rc = eb_report_footnote(r, "*: the fastest point of its workload, tasks and params.");
    if (rc == 0 && b->any_beyond)
        rc = eb_report_footnote(r, EB_BOUND_MARK ": beyond the physical bound: an efficiency "
                                                 "above 100%%, and so a speedup above what the "
                                                 "ideal allows (the sequential median over "
                                                 "ideal_ns); not a result but a measurement "
                                                 "artefact, whose likely cause the note under "
                                                 "its table names.");
    if (rc == 0 && b->any_aggregate_only)
        rc = eb_report_footnote(r, "no min - max where a document holds aggregates only "
                                   "(--benchmark_report_aggregates_only).");
    return rc;
}

/* The closing line of the runner's table: how many points varied by more
 * than EB_SUMMARY_NOISY_CV between repetitions. */
static int noisy_points(const builder *b, eb_report *r)
{
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
        if (error_notes(&b, table, t) != 0 || bound_notes(&b, table, t) != 0) goto out;
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
