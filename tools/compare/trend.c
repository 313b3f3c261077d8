/* trend.c — see trend.h. */
#include "trend.h"

#include "err.h"
#include "runs.h"
#include "stats.h"
#include "trend_order.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One benchmark in one run. */
typedef struct point_at {
    const eb_run *run; /* NULL: no row in that run */
    bool valid;        /* it has repetitions (or a median aggregate) to use */
    double median, lo, hi, coverage;
    size_t n;
    char mark; /* '^' slower from here, 'v' faster, '?' pending, 0 */
} point_at;

/* A benchmark's history across the runs (in order). */
typedef struct history {
    const eb_run *proto; /* its first run, for its name and table */
    size_t table;
    point_at *at; /* run_count */
} history;

/* A level change of one benchmark, at run `run` (its position in order). */
typedef struct change {
    size_t hist, run;
    double before, after, change, pvalue;
    size_t runs_before, runs_after;
    bool pending;
} change;

typedef struct builder {
    const eb_results_doc *docs;
    const eb_trend_options *opt;
    size_t *order; /* the runs: indexes into docs, in order */
    size_t run_count;
    eb_run_set *sets; /* per run */
    history *hists;
    size_t hist_count;
    char **titles;
    size_t title_count;
    change *changes;
    size_t change_count, change_cap;
    size_t flagged, pending;
} builder;

/* ---- the runs ------------------------------------------------------------------ */

/* The runs a history takes: an interrupted run only when allowed, and a
 * document once (results/latest.json is a copy of the newest run's file,
 * whose own name is kept). */
static int pick_runs(builder *b, size_t count, eb_report *r)
{
    for (size_t i = 0; i < count; i++) {
        const eb_results_doc *doc = &b->docs[i];
        char said[160];
        if (doc->interrupted && !b->opt->allow_interrupted) {
            if (eb_report_note(r, "left out: %s: %s (--allow-interrupted takes it)", doc->path,
                               eb_results_interruption(doc, said, sizeof said)) != 0)
                return -ENOMEM;
            continue;
        }
        size_t k = 0;
        while (k < b->run_count && !json_equal(b->docs[b->order[k]].root, doc->root))
            k++;
        if (k == b->run_count) {
            b->order[b->run_count++] = i;
            continue;
        }
        /* The same run twice: the runner's copy (latest.json) gives way to the
         * run's own file, whichever came first. */
        const eb_results_doc *kept = &b->docs[b->order[k]];
        const char *base = strrchr(kept->path, '/');
        base = base ? base + 1 : kept->path;
        const eb_results_doc *dropped = doc;
        if (strncmp(base, "latest", 6) == 0) {
            dropped = kept;
            b->order[k] = i;
            kept = doc;
        }
        if (eb_report_note(r, "left out: %s: the same document as %s", dropped->path, kept->path) !=
            0)
            return -ENOMEM;
    }
    return 0;
}

/* ---- the histories ------------------------------------------------------------- */

static char *table_title(const eb_row *row)
{
    char *t = NULL;
    const char *slash = strchr(row->run_name, '/');
    int len = row->is_point ? (int)strlen(row->workload)
              : slash       ? (int)(slash - row->run_name)
                            : (int)strlen(row->run_name);
    if (asprintf(&t, "history: %.*s", len, row->is_point ? row->workload : row->run_name) < 0)
        return NULL;
    return t;
}

static int find_title(builder *b, const eb_row *row, size_t *out)
{
    char *title = table_title(row);
    if (title == NULL) return -ENOMEM;
    for (size_t i = 0; i < b->title_count; i++)
        if (strcmp(b->titles[i], title) == 0) {
            free(title);
            *out = i;
            return 0;
        }
    char **grown = realloc(b->titles, (b->title_count + 1) * sizeof *grown);
    if (grown == NULL) {
        free(title);
        return -ENOMEM;
    }
    b->titles = grown;
    *out = b->title_count;
    b->titles[b->title_count++] = title;
    return 0;
}

/* A benchmark in one run: its median and the interval of its median. */
static int fill_point(point_at *p, const eb_run *run)
{
    p->run = run;
    if (run->n > 0) {
        eb_median_interval iv;
        int rc = eb_stats_median_rank_interval(run->real_ns, run->n, EB_TREND_INTERVAL_LEVEL, &iv);
        if (rc != 0) return rc;
        p->valid = true;
        p->n = run->n;
        p->median = eb_stats_median(run->real_ns, run->n);
        p->lo = iv.lo;
        p->hi = iv.hi;
        p->coverage = iv.coverage;
    } else if (run->agg_median != NULL) {
        p->valid = true; /* aggregates only: a median, no interval */
        p->median = p->lo = p->hi = run->agg_median->real_ns;
    }
    return 0;
}

static int gather(builder *b)
{
    json_t *index = json_object();
    int rc = -ENOMEM;
    if (index == NULL) return rc;
    for (size_t k = 0; k < b->run_count; k++) {
        const eb_run_set *set = &b->sets[k];
        for (size_t i = 0; i < set->count; i++) {
            const eb_run *run = &set->runs[i];
            json_t *at = json_object_get(index, run->key);
            size_t h;
            if (at != NULL) {
                h = (size_t)json_integer_value(at);
            } else {
                history *grown = realloc(b->hists, (b->hist_count + 1) * sizeof *grown);
                if (grown == NULL) goto out;
                b->hists = grown;
                h = b->hist_count;
                memset(&b->hists[h], 0, sizeof b->hists[h]);
                b->hists[h].proto = run;
                b->hists[h].at = calloc(b->run_count, sizeof *b->hists[h].at);
                b->hist_count++;
                if (b->hists[h].at == NULL ||
                    json_object_set_new(index, run->key, json_integer((json_int_t)h)) != 0 ||
                    find_title(b, run->first, &b->hists[h].table) != 0)
                    goto out;
            }
            if ((rc = fill_point(&b->hists[h].at[k], run)) != 0) goto out;
            rc = -ENOMEM;
        }
    }
    rc = 0;
out:
    json_decref(index);
    return rc;
}

/* ---- the changes --------------------------------------------------------------- */

/* The repetitions of runs pos[a..z) of a history, pooled. */
static double *pool(const history *h, const size_t *pos, size_t a, size_t z, size_t *n)
{
    size_t total = 0;
    for (size_t i = a; i < z; i++)
        total += h->at[pos[i]].run->n;
    double *v = malloc((total ? total : 1) * sizeof *v);
    if (v == NULL) return NULL;
    *n = 0;
    for (size_t i = a; i < z; i++) {
        const eb_run *run = h->at[pos[i]].run;
        memcpy(v + *n, run->real_ns, run->n * sizeof *v);
        *n += run->n;
    }
    return v;
}

/* Tests a step of history h between pos[b-1] and pos[b]: the runs [a, b)
 * against [b, z). 1 with *c filled when it is one (trend.h: 1-3), 0 when not,
 * -ENOMEM. */
static int test_step(const builder *b, size_t hi, const size_t *pos, size_t a, size_t s, size_t z,
                     change *c)
{
    const history *h = &b->hists[hi];
    for (size_t i = a; i < z; i++)
        if (h->at[pos[i]].run->n == 0) return 0; /* aggregates only: nothing to test */
    size_t nb = 0, na = 0;
    double *before = pool(h, pos, a, s, &nb), *after = pool(h, pos, s, z, &na);
    int rc = -ENOMEM;
    if (before == NULL || after == NULL) goto out;
    rc = 0;
    if (nb < EB_UTEST_MIN_REPETITIONS || na < EB_UTEST_MIN_REPETITIONS) goto out;
    eb_utest ut;
    if (eb_stats_mann_whitney(before, nb, after, na, &ut) != 0) {
        rc = -ENOMEM;
        goto out;
    }
    double lb = eb_stats_median(before, nb), la = eb_stats_median(after, na);
    double ch = eb_stats_change(lb, la);
    if (!(ut.pvalue < b->opt->alpha) || !(fabs(ch) * 100.0 > b->opt->threshold_pct)) goto out;
    /* The level persists: every run after the step is beyond the old level,
     * and every run before it short of the new one, by half the threshold or
     * more (in the step's direction): one odd run moves no level. */
    double half = b->opt->threshold_pct / 200.0, sign = la > lb ? 1.0 : -1.0;
    for (size_t i = a; i < z; i++) {
        double m = h->at[pos[i]].median;
        double beyond = i < s ? -sign * eb_stats_change(la, m) : sign * eb_stats_change(lb, m);
        if (!(beyond > half)) goto out;
    }
    *c = (change){.hist = hi,
                  .run = pos[s],
                  .before = lb,
                  .after = la,
                  .change = ch,
                  .pvalue = ut.pvalue,
                  .runs_before = s - a,
                  .runs_after = z - s};
    rc = 1;
out:
    free(before);
    free(after);
    return rc;
}

static int add_change(builder *b, const change *c)
{
    if (b->change_count == b->change_cap) {
        size_t cap = b->change_cap ? 2 * b->change_cap : 16;
        change *grown = realloc(b->changes, cap * sizeof *grown);
        if (grown == NULL) return -ENOMEM;
        b->changes = grown;
        b->change_cap = cap;
    }
    b->changes[b->change_count++] = *c;
    if (c->pending)
        b->pending++;
    else
        b->flagged++;
    return 0;
}

/* Of two steps that both pass, the one the test is surest of (a smaller p),
 * else the larger. */
static bool better_step(const change *a, const change *b)
{
    return a->pvalue < b->pvalue || (a->pvalue == b->pvalue && fabs(a->change) > fabs(b->change));
}

/* Left to right over the runs where h has a result: at the first boundary
 * that passes, the best of it and the next W - 1 boundaries is the step (a
 * run next to the step that leans towards the new level passes too, with a
 * larger p); the next window starts there. */
static int detect(builder *b, size_t hi)
{
    history *h = &b->hists[hi];
    size_t w = b->opt->window, m = 0;
    size_t *pos = malloc(b->run_count * sizeof *pos);
    if (pos == NULL) return -ENOMEM;
    for (size_t k = 0; k < b->run_count; k++)
        if (h->at[k].valid) pos[m++] = k;
    size_t start = 0; /* no before window reaches back over a change */
    int rc = 0;
    for (size_t s = start + w; s + w <= m && rc >= 0; s++) {
        if (s < start + w) continue;
        change c;
        rc = test_step(b, hi, pos, s - w, s, s + w, &c);
        if (rc != 1) continue;
        size_t best = s;
        for (size_t t = s + 1; t < s + w && t + w <= m && rc >= 0; t++) {
            change next;
            rc = test_step(b, hi, pos, t - w, t, t + w, &next);
            if (rc == 1 && better_step(&next, &c)) {
                c = next;
                best = t;
            }
        }
        if (rc < 0) break;
        h->at[c.run].mark = c.change > 0 ? '^' : 'v';
        rc = add_change(b, &c);
        start = s = best;
    }
    /* The last runs, too few to confirm a step: pending. */
    for (size_t s = (m > w ? m - w + 1 : 1); s < m && rc >= 0; s++) {
        if (s < start + w) continue;
        change c;
        rc = test_step(b, hi, pos, s - w, s, m, &c);
        if (rc == 1) {
            c.pending = true;
            h->at[c.run].mark = '?';
            rc = add_change(b, &c);
            break;
        }
    }
    free(pos);
    return rc < 0 ? rc : 0;
}

/* ---- the report ---------------------------------------------------------------- */

static const char *run_label(const eb_results_doc *doc, char *buf, size_t len)
{
    char rev[64];
    if (eb_version_revision(doc->version, rev, sizeof rev))
        snprintf(buf, len, "%s (%s)", doc->date[0] ? doc->date : doc->path, rev);
    else
        snprintf(buf, len, "%s", doc->date[0] ? doc->date : doc->path);
    return buf;
}

enum { RC_RUN, RC_FILE, RC_DATE, RC_REVISION, RC_HOST, RC_COUNT };
static const eb_column run_cols[RC_COUNT] = {
    {"run", "run", EB_COL_BOTH, false},  {"file", "file", EB_COL_BOTH, true},
    {"date", "date", EB_COL_BOTH, true}, {"revision", "revision", EB_COL_BOTH, true},
    {"host", "host", EB_COL_BOTH, true},
};

static int runs_table(const builder *b, eb_report *r)
{
    eb_table *t = eb_report_table(r, "runs", run_cols, RC_COUNT);
    if (t == NULL) return -ENOMEM;
    int rc = 0;
    for (size_t k = 0; k < b->run_count && rc == 0; k++) {
        const eb_results_doc *doc = &b->docs[b->order[k]];
        long row = eb_table_add_row(t, 0);
        char rev[64];
        if (row < 0) return -ENOMEM;
        size_t i = (size_t)row;
        eb_version_revision(doc->version, rev, sizeof rev);
        rc = eb_table_set(t, i, RC_RUN, eb_cell_int((int64_t)k + 1, EB_STYLE_PLAIN));
        if (rc == 0) rc = eb_table_set(t, i, RC_FILE, eb_cell_text(doc->path, EB_STYLE_PLAIN));
        if (rc == 0 && doc->date[0])
            rc = eb_table_set(t, i, RC_DATE, eb_cell_text(doc->date, EB_STYLE_PLAIN));
        if (rc == 0 && rev[0])
            rc = eb_table_set(t, i, RC_REVISION, eb_cell_text(rev, EB_STYLE_PLAIN));
        if (rc == 0 && doc->host_name[0])
            rc = eb_table_set(t, i, RC_HOST, eb_cell_text(doc->host_name, EB_STYLE_PLAIN));
    }
    return rc;
}

enum {
    CC_NAME,
    CC_RUN,
    CC_AT,
    CC_BEFORE,
    CC_AFTER,
    CC_CHANGE,
    CC_P,
    CC_RUNS,
    CC_VERDICT,
    CC_COUNT
};
static const eb_column change_cols[CC_COUNT] = {
    {EB_KEY_NAME, "benchmark", EB_COL_BOTH, true},
    {"run", "run", EB_COL_BOTH, false},
    {"at", "at", EB_COL_BOTH, true},
    {"before_ns", "before", EB_COL_BOTH, false},
    {"after_ns", "after", EB_COL_BOTH, false},
    {"change", "change", EB_COL_BOTH, false},
    {"pvalue", "p-value", EB_COL_BOTH, false},
    {"runs", "runs", EB_COL_BOTH, false},
    {"verdict", "verdict", EB_COL_BOTH, true},
};

static int changes_table(const builder *b, eb_report *r)
{
    eb_table *t = eb_report_table(r, "changes", change_cols, CC_COUNT);
    if (t == NULL) return -ENOMEM;
    if (b->change_count == 0 &&
        eb_table_note(t, "none in %zu %s (a change needs %zu runs on each side)", b->run_count,
                      eb_plural(b->run_count, "run", "runs"), b->opt->window) != 0)
        return -ENOMEM;
    for (size_t i = 0; i < b->change_count; i++) {
        const change *c = &b->changes[i];
        long row = eb_table_add_row(t, 0);
        if (row < 0) return -ENOMEM;
        size_t k = (size_t)row;
        char buf[64], at[256], runs[48];
        const char *verdict = c->pending ? "pending" : c->change > 0 ? "slower" : "faster";
        eb_style style = c->pending ? EB_STYLE_WARN : c->change > 0 ? EB_STYLE_BAD : EB_STYLE_GOOD;
        snprintf(runs, sizeof runs, "%zu + %zu", c->runs_before, c->runs_after);
        int rc =
            eb_table_set(t, k, CC_NAME, eb_cell_text(b->hists[c->hist].proto->first->run_name, 0));
        if (rc == 0) rc = eb_table_set(t, k, CC_RUN, eb_cell_int((int64_t)c->run + 1, 0));
        if (rc == 0)
            rc = eb_table_set(
                t, k, CC_AT, eb_cell_text(run_label(&b->docs[b->order[c->run]], at, sizeof at), 0));
        if (rc == 0)
            rc = eb_table_set(
                t, k, CC_BEFORE,
                eb_cell_real(c->before, eb_fmt_time_ns(c->before, buf, sizeof buf), 0));
        if (rc == 0)
            rc = eb_table_set(t, k, CC_AFTER,
                              eb_cell_real(c->after, eb_fmt_time_ns(c->after, buf, sizeof buf), 0));
        if (rc == 0)
            rc = eb_table_set(
                t, k, CC_CHANGE,
                eb_cell_real(c->change, eb_fmt_percent(c->change, true, buf, sizeof buf), style));
        if (rc == 0)
            rc = eb_table_set(
                t, k, CC_P, eb_cell_real(c->pvalue, eb_fmt_pvalue(c->pvalue, buf, sizeof buf), 0));
        if (rc == 0) rc = eb_table_set(t, k, CC_RUNS, eb_cell_text(runs, 0));
        if (rc == 0) rc = eb_table_set(t, k, CC_VERDICT, eb_cell_text(verdict, style));
        if (rc != 0) return rc;
    }
    return 0;
}

/* The columns of a history table: the name, then per run its human cell and
 * its numbers ("3.median_ns", ...). */
enum { HC_PER_RUN = 8 };
static const struct {
    const char *key, *title;
    unsigned formats;
} per_run[HC_PER_RUN] = {
    {"median", "#", EB_COL_HUMAN},
    {"median_ns", "median", EB_COL_MACHINE},
    {"lo_ns", "lo", EB_COL_MACHINE},
    {"hi_ns", "hi", EB_COL_MACHINE},
    {"coverage", "coverage", EB_COL_MACHINE},
    {"n", "n", EB_COL_MACHINE},
    {"status", "status", EB_COL_MACHINE},
    {"change", "change", EB_COL_MACHINE},
};

static void free_cols(eb_column *cols, size_t count)
{
    for (size_t i = 1; i < count; i++) {
        free(cols[i].key);
        free(cols[i].title);
    }
    free(cols);
}

static eb_column *history_cols(size_t runs, size_t *count)
{
    *count = 1 + HC_PER_RUN * runs;
    eb_column *cols = calloc(*count, sizeof *cols);
    if (cols == NULL) return NULL;
    cols[0] = (eb_column){EB_KEY_NAME, "benchmark", EB_COL_BOTH, true};
    for (size_t k = 0; k < runs; k++)
        for (size_t j = 0; j < HC_PER_RUN; j++) {
            eb_column *c = &cols[1 + k * HC_PER_RUN + j];
            c->formats = per_run[j].formats;
            if (asprintf(&c->key, "%zu.%s", k + 1, per_run[j].key) < 0) c->key = NULL;
            if (asprintf(&c->title, "%s%zu", per_run[j].title, k + 1) < 0) c->title = NULL;
            if (c->key == NULL || c->title == NULL) {
                free_cols(cols, *count);
                return NULL;
            }
        }
    return cols;
}

static int history_row(const builder *b, eb_table *t, const history *h)
{
    long row = eb_table_add_row(t, 0);
    if (row < 0) return -ENOMEM;
    size_t i = (size_t)row;
    int rc = eb_table_set(t, i, 0, eb_cell_text(h->proto->first->run_name, 0));
    for (size_t k = 0; k < b->run_count && rc == 0; k++) {
        const point_at *p = &h->at[k];
        size_t c = 1 + k * HC_PER_RUN;
        char buf[64], text[80];
        if (p->run == NULL) {
            rc = eb_table_set(t, i, c + 6, eb_cell_text("missing", 0));
            continue;
        }
        if (!p->valid) {
            rc = eb_table_set(t, i, c, eb_cell_text("error", EB_STYLE_BAD));
            if (rc == 0) rc = eb_table_set(t, i, c + 6, eb_cell_text("error", 0));
            continue;
        }
        const char *mark = p->mark == '^' ? " ^" : p->mark == 'v' ? " v" : p->mark ? " ?" : "";
        eb_style style = p->mark == '^'   ? EB_STYLE_BAD
                         : p->mark == 'v' ? EB_STYLE_GOOD
                         : p->mark        ? EB_STYLE_WARN
                                          : EB_STYLE_PLAIN;
        snprintf(text, sizeof text, "%s%s", eb_fmt_time_ns(p->median, buf, sizeof buf), mark);
        rc = eb_table_set(t, i, c, eb_cell_text(text, style));
        if (rc == 0) rc = eb_table_set(t, i, c + 1, eb_cell_real(p->median, NULL, 0));
        if (rc == 0 && p->n > 0) {
            rc = eb_table_set(t, i, c + 2, eb_cell_real(p->lo, NULL, 0));
            if (rc == 0) rc = eb_table_set(t, i, c + 3, eb_cell_real(p->hi, NULL, 0));
            if (rc == 0) rc = eb_table_set(t, i, c + 4, eb_cell_real(p->coverage, NULL, 0));
            if (rc == 0) rc = eb_table_set(t, i, c + 5, eb_cell_int((int64_t)p->n, 0));
        }
        if (rc == 0) rc = eb_table_set(t, i, c + 6, eb_cell_text("ok", 0));
        if (rc == 0 && p->mark)
            rc = eb_table_set(t, i, c + 7,
                              eb_cell_text(p->mark == '^'   ? "slower"
                                           : p->mark == 'v' ? "faster"
                                                            : "pending",
                                           0));
    }
    return rc;
}

static int footnotes(const builder *b, eb_report *r)
{
    const eb_trend_options *o = b->opt;
    int rc = eb_report_footnote(
        r, "#k: run k's median (the runs table names them); ^ slower, v faster from that run on; "
           "? a change the runs after it are too few to confirm.");
    if (rc == 0)
        rc = eb_report_footnote(
            r,
            "a change at run k: the %zu runs before it and the %zu from it on differ in a "
            "two-sided Mann-Whitney U test over their pooled repetitions (p < %g), their "
            "levels (medians) by more than %g%%, and the level persists: each run from k on is "
            "beyond the old level, each run before k short of the new one, by %g%% or more "
            "(one odd run is no change).",
            o->window, o->window, o->alpha, o->threshold_pct, o->threshold_pct / 2.0);
    if (rc == 0)
        rc = eb_report_footnote(
            r,
            "each run's interval (lo_ns, hi_ns in json and csv): the order-statistic interval of "
            "its median, %.0f%% where its repetitions allow, else min - max (its coverage).",
            100.0 * EB_TREND_INTERVAL_LEVEL);
    if (rc == 0)
        rc = eb_report_footnote(r, "%zu %s flagged%s.", b->flagged,
                                eb_plural(b->flagged, "change", "changes"),
                                b->pending ? "; pending ones wait for more runs" : "");
    return rc;
}

static const char *order_name(eb_trend_order o)
{
    return o == EB_TREND_BY_REVISION ? "revision" : o == EB_TREND_AS_GIVEN ? "given" : "date";
}

static int build_report(builder *b, eb_report *r)
{
    if (eb_report_fact(r, "runs", eb_cell_int((int64_t)b->run_count, 0)) != 0 ||
        eb_report_fact(r, "order", eb_cell_text(order_name(b->opt->order), 0)) != 0 ||
        eb_report_fact(r, "window", eb_cell_int((int64_t)b->opt->window, 0)) != 0 ||
        eb_report_fact(r, "threshold_pct", eb_cell_real(b->opt->threshold_pct, NULL, 0)) != 0 ||
        eb_report_fact(r, "alpha", eb_cell_real(b->opt->alpha, NULL, 0)) != 0 ||
        eb_report_fact(r, "changes", eb_cell_int((int64_t)b->flagged, 0)) != 0 ||
        eb_report_fact(r, "pending", eb_cell_int((int64_t)b->pending, 0)) != 0)
        return -ENOMEM;
    if (runs_table(b, r) != 0 || changes_table(b, r) != 0) return -ENOMEM;
    size_t col_count = 0;
    eb_column *cols = history_cols(b->run_count, &col_count);
    if (cols == NULL) return -ENOMEM;
    int rc = 0;
    for (size_t t = 0; t < b->title_count && rc == 0; t++) {
        eb_table *table = eb_report_table(r, b->titles[t], cols, col_count);
        if (table == NULL) rc = -ENOMEM;
        for (size_t h = 0; h < b->hist_count && rc == 0; h++)
            if (b->hists[h].table == t) rc = history_row(b, table, &b->hists[h]);
    }
    free_cols(cols, col_count);
    return rc == 0 ? footnotes(b, r) : rc;
}

int eb_trend_build(const eb_results_doc *docs, size_t count, const regex_t *filter,
                   const eb_trend_options *opt, eb_report **out, eb_trend_outcome *outcome,
                   char *why, size_t why_len)
{
    builder b = {.docs = docs, .opt = opt};
    eb_report *r = eb_report_new("trend");
    int rc = -ENOMEM;
    *out = NULL;
    memset(outcome, 0, sizeof *outcome);
    b.order = calloc(count ? count : 1, sizeof *b.order);
    if (r == NULL || b.order == NULL || pick_runs(&b, count, r) != 0) goto out;
    if (b.run_count == 0) {
        rc = eb_fail(why, why_len, -ENOENT,
                     "no run to follow: every document was interrupted (--allow-interrupted "
                     "takes them) or a copy of another");
        goto out;
    }
    if ((rc = eb_trend_sort(docs, b.order, b.run_count, opt->order, opt->repo, why, why_len)) != 0)
        goto out;
    rc = -ENOMEM;
    b.sets = calloc(b.run_count, sizeof *b.sets);
    if (b.sets == NULL) goto out;
    for (size_t k = 0; k < b.run_count; k++)
        if (eb_runs_collect(&docs[b.order[k]], filter, EB_KEY_BY_NAME, &b.sets[k]) != 0) goto out;
    if ((rc = gather(&b)) != 0) goto out;
    if (b.hist_count == 0) {
        rc = eb_fail(why, why_len, -ENOENT, "--filter matches no benchmark in the %zu %s",
                     b.run_count, eb_plural(b.run_count, "run", "runs"));
        goto out;
    }
    for (size_t h = 0; h < b.hist_count; h++)
        if ((rc = detect(&b, h)) != 0) goto out;
    if ((rc = build_report(&b, r)) != 0) goto out;
    outcome->runs = b.run_count;
    outcome->changes = b.flagged;
    outcome->pending = b.pending;
    *out = r;
    r = NULL;
    rc = 0;
out:
    if (rc == -ENOMEM) eb_fail(why, why_len, rc, "out of memory");
    eb_report_free(r);
    for (size_t h = 0; h < b.hist_count; h++)
        free(b.hists[h].at);
    free(b.hists);
    for (size_t t = 0; t < b.title_count; t++)
        free(b.titles[t]);
    free(b.titles);
    if (b.sets)
        for (size_t k = 0; k < b.run_count; k++)
            eb_runs_free(&b.sets[k]);
    free(b.sets);
    free(b.changes);
    free(b.order);
    return rc;
}
