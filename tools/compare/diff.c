/* diff.c — see diff.h. */
#include "diff.h"

#include "err.h"

#include "runs.h"
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    COL_NAME,
    COL_OLD,
    COL_NEW,
    COL_CHANGE,
    COL_P,
    COL_REPS,
    COL_OLD_N,
    COL_NEW_N,
    COL_VERDICT,
    COL_CPU_OLD,
    COL_CPU_NEW,
    COL_CPU_CHANGE,
    COL_CPU_P,
    COL_METHOD,
    COL_COUNT,
};

static const eb_column diff_cols[COL_COUNT] = {
    {EB_KEY_NAME, "benchmark", EB_COL_BOTH, true},
    {"old_median_ns", "old", EB_COL_BOTH, false},
    {"new_median_ns", "new", EB_COL_BOTH, false},
    {"change", "change", EB_COL_BOTH, false},
    {"pvalue", "p-value", EB_COL_BOTH, false},
    {EB_KEY_REPETITIONS, EB_KEY_REPETITIONS, EB_COL_HUMAN, false},
    {"old_n", "old n", EB_COL_MACHINE, false},
    {"new_n", "new n", EB_COL_MACHINE, false},
    {"verdict", "verdict", EB_COL_BOTH, true},
    {"cpu_old_median_ns", "cpu old", EB_COL_MACHINE, false},
    {"cpu_new_median_ns", "cpu new", EB_COL_MACHINE, false},
    {"cpu_change", "cpu change", EB_COL_MACHINE, false},
    {"cpu_pvalue", "cpu p-value", EB_COL_MACHINE, false},
    {"utest_method", "U test", EB_COL_MACHINE, true},
};

/* The second table, for two interleaved documents: each point's speedup in
 * both, compared by their 95% intervals (lib/results: paired per round). */
enum {
    RC_NAME,
    RC_OLD,
    RC_NEW,
    RC_OLD_LOW,
    RC_OLD_HIGH,
    RC_NEW_LOW,
    RC_NEW_HIGH,
    RC_CHANGE,
    RC_VERDICT,
    RC_COUNT,
};

static const eb_column ratio_cols[RC_COUNT] = {
    {EB_KEY_NAME, "benchmark", EB_COL_BOTH, true},
    {"old_speedup", "old speedup", EB_COL_BOTH, false},
    {"new_speedup", "new speedup", EB_COL_BOTH, false},
    {"old_speedup_low", "old low", EB_COL_MACHINE, false},
    {"old_speedup_high", "old high", EB_COL_MACHINE, false},
    {"new_speedup_low", "new low", EB_COL_MACHINE, false},
    {"new_speedup_high", "new high", EB_COL_MACHINE, false},
    {"speedup_change", "change", EB_COL_BOTH, false},
    {"speedup_verdict", "verdict", EB_COL_BOTH, true},
};

/* A point's speedup in its document, or false when it has none with an interval. */
static bool speedup_of(const eb_run_set *set, const eb_run *run, uint64_t seed, eb_interval *out,
                       int *rc)
{
    eb_ratios x;
    const eb_run *ref = eb_runs_reference(set, run);
    if (ref == NULL || ref == run || !run->first->is_point) return false;
    if ((*rc = eb_run_ratios(run, ref, seed, &x)) != 0) return false;
    *out = x.speedup;
    return x.paired && eb_interval_known(out);
}

/* The speedups table; nothing unless both documents ran in rounds. */
static int ratio_table(eb_report *r, const eb_results_doc *od, const eb_results_doc *nd,
                       const eb_run_set *so, const eb_run_set *sn)
{
    if (od->rounds < 0 || nd->rounds < 0) return 0;
    eb_table *tab = NULL;
    size_t changed = 0, compared = 0;
    for (size_t i = 0; i < so->count; i++) {
        const eb_run *o = &so->runs[i], *n = eb_runs_find(sn, o->key);
        eb_interval a, b;
        int rc = 0;
        if (n == NULL || !speedup_of(so, o, od->seed, &a, &rc) ||
            !speedup_of(sn, n, nd->seed, &b, &rc)) {
            if (rc != 0) return rc;
            continue;
        }
        if (tab == NULL && (tab = eb_report_table(r, "speedups: old -> new (paired per round)",
                                                  ratio_cols, RC_COUNT)) == NULL)
            return -ENOMEM;
        long at = eb_table_add_row(tab, 0);
        if (at < 0) return -ENOMEM;
        size_t row = (size_t)at;
        char buf[96];
        /* disjoint intervals: a change the rounds can tell from noise */
        const char *verdict = b.low > a.high ? "higher" : b.high < a.low ? "lower" : "~";
        compared++;
        changed += verdict[0] != '~';
        double change = eb_stats_change(a.estimate, b.estimate);
#define SET(col, cell)                                                                             \
    do {                                                                                           \
        if (rc == 0) rc = eb_table_set(tab, row, (col), (cell));                                   \
    } while (0)
        SET(RC_NAME, eb_cell_text(o->first->run_name, EB_STYLE_PLAIN));
        SET(RC_OLD, eb_cell_real(a.estimate,
                                 eb_fmt_ratio_interval(a.estimate, a.low, a.high, buf, sizeof buf),
                                 EB_STYLE_PLAIN));
        SET(RC_NEW, eb_cell_real(b.estimate,
                                 eb_fmt_ratio_interval(b.estimate, b.low, b.high, buf, sizeof buf),
                                 EB_STYLE_PLAIN));
        SET(RC_OLD_LOW, eb_cell_real(a.low, NULL, EB_STYLE_PLAIN));
        SET(RC_OLD_HIGH, eb_cell_real(a.high, NULL, EB_STYLE_PLAIN));
        SET(RC_NEW_LOW, eb_cell_real(b.low, NULL, EB_STYLE_PLAIN));
        SET(RC_NEW_HIGH, eb_cell_real(b.high, NULL, EB_STYLE_PLAIN));
        SET(RC_CHANGE,
            eb_cell_real(change, eb_fmt_percent(change, true, buf, sizeof buf), EB_STYLE_PLAIN));
        SET(RC_VERDICT, eb_cell_text(verdict, verdict[0] == 'l'   ? EB_STYLE_BAD
                                              : verdict[0] == 'h' ? EB_STYLE_GOOD
                                                                  : EB_STYLE_DIM));
#undef SET
        if (rc != 0) return rc;
    }
    if (tab == NULL) return 0;
    return eb_report_footnote(r,
                              "speedups: each document's median over the rounds of the "
                              "reference's time over the point's in the same round, with its 95%% "
                              "interval; higher/lower: the intervals do not overlap (%zu of %zu); "
                              "~: they do.",
                              changed, compared);
}

/* A run's medians: from its repetitions, else from its median aggregate. */
typedef struct side {
    bool valid;
    size_t n; /* repetitions available to the U test */
    double real_ns, cpu_ns;
} side;

static side side_of(const eb_run *run)
{
    side s = {0};
    if (run->n > 0) {
        s.valid = true;
        s.n = run->n;
        s.real_ns = eb_stats_median(run->real_ns, run->n);
        s.cpu_ns = eb_stats_median(run->cpu_ns, run->n);
    } else if (run->agg_median != NULL) {
        s.valid = true;
        s.real_ns = run->agg_median->real_ns;
        s.cpu_ns = run->agg_median->cpu_ns;
    }
    return s;
}

/* A list of names in one line, ", "-joined. */
typedef struct name_list {
    char *text;
    size_t len, count;
} name_list;

__attribute__((format(printf, 2, 3))) static int list_add(name_list *l, const char *fmt, ...)
{
    char *item = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&item, fmt, ap);
    va_end(ap);
    if (n < 0) return -ENOMEM;
    size_t sep = l->count ? 2 : 0;
    char *grown = realloc(l->text, l->len + sep + (size_t)n + 1);
    if (grown == NULL) {
        free(item);
        return -ENOMEM;
    }
    memcpy(grown + l->len, ", ", sep);
    memcpy(grown + l->len + sep, item, (size_t)n + 1);
    l->text = grown;
    l->len += sep + (size_t)n;
    l->count++;
    free(item);
    return 0;
}

typedef struct tally {
    size_t compared, errors, untested, unreliable, significant;
    bool unreliable_points, unreliable_plain; /* which kinds of rows had too few repetitions */
    double *geo_old, *geo_new, *geo_cpu_old, *geo_cpu_new;
    size_t geo_count;
    name_list gate; /* the slowdowns over --fail-above */
    name_list lost; /* a result in OLD, none in NEW */
} tally;

static int diff_row(eb_table *tab, const eb_run *o, const eb_run *nw, const eb_diff_options *opt,
                    tally *t)
{
    long r = eb_table_add_row(tab, 0);
    if (r < 0) return -ENOMEM;
    size_t row = (size_t)r;
    char buf[64], buf2[64];
    int rc = 0;
#define SET(col, cell)                                                                             \
    do {                                                                                           \
        if (rc == 0) rc = eb_table_set(tab, row, (col), (cell));                                   \
    } while (0)
    SET(COL_NAME, eb_cell_text(o->first->run_name, EB_STYLE_PLAIN));
    side so = side_of(o), sn = side_of(nw);
    if (!so.valid || !sn.valid) {
        t->errors++;
        const eb_run *bad = so.valid ? nw : o;
        const char *msg = bad->first_error ? bad->first_error->error_message : "";
        if (msg[0] == '\0') msg = EB_KEY_ERROR_OCCURRED;
        snprintf(buf, sizeof buf, "error in %s", so.valid ? "new" : "old");
        SET(COL_VERDICT, eb_cell_text(buf, EB_STYLE_BAD));
        if (rc == 0)
            rc = eb_table_note(tab, "%s: error in %s: %s", o->first->run_name,
                               so.valid ? "NEW" : "OLD", msg);
        /* It ran in OLD and failed in NEW: what the gate is for. */
        if (rc == 0 && so.valid) rc = list_add(&t->lost, "%s (error: %s)", o->first->run_name, msg);
        return rc;
    }
    t->compared++;
    double change = eb_stats_change(so.real_ns, sn.real_ns);
    double cpu_change = eb_stats_change(so.cpu_ns, sn.cpu_ns);
    if (so.real_ns > 0.0 && sn.real_ns > 0.0 && so.cpu_ns > 0.0 && sn.cpu_ns > 0.0) {
        t->geo_old[t->geo_count] = so.real_ns;
        t->geo_new[t->geo_count] = sn.real_ns;
        t->geo_cpu_old[t->geo_count] = so.cpu_ns;
        t->geo_cpu_new[t->geo_count] = sn.cpu_ns;
        t->geo_count++;
    }

    bool tested = so.n >= EB_UTEST_MIN_REPETITIONS && sn.n >= EB_UTEST_MIN_REPETITIONS;
    eb_utest ut = {0}, ut_cpu = {0};
    if (tested && (eb_stats_mann_whitney(o->real_ns, o->n, nw->real_ns, nw->n, &ut) != 0 ||
                   eb_stats_mann_whitney(o->cpu_ns, o->n, nw->cpu_ns, nw->n, &ut_cpu) != 0))
        return -ENOMEM;
    bool significant = tested && ut.pvalue < opt->alpha;
    eb_style change_style = !significant ? EB_STYLE_PLAIN
                            : change > 0 ? EB_STYLE_BAD
                            : change < 0 ? EB_STYLE_GOOD
                                         : EB_STYLE_PLAIN;

    SET(COL_OLD,
        eb_cell_real(so.real_ns, eb_fmt_time_ns(so.real_ns, buf, sizeof buf), EB_STYLE_PLAIN));
    SET(COL_NEW,
        eb_cell_real(sn.real_ns, eb_fmt_time_ns(sn.real_ns, buf, sizeof buf), EB_STYLE_PLAIN));
    SET(COL_CHANGE,
        eb_cell_real(change, eb_fmt_percent(change, true, buf, sizeof buf), change_style));
    SET(COL_CPU_OLD, eb_cell_real(so.cpu_ns, NULL, EB_STYLE_PLAIN));
    SET(COL_CPU_NEW, eb_cell_real(sn.cpu_ns, NULL, EB_STYLE_PLAIN));
    SET(COL_CPU_CHANGE, eb_cell_real(cpu_change, NULL, EB_STYLE_PLAIN));
    SET(COL_OLD_N, eb_cell_int((int64_t)so.n, EB_STYLE_PLAIN));
    SET(COL_NEW_N, eb_cell_int((int64_t)sn.n, EB_STYLE_PLAIN));
    bool few = so.n < EB_UTEST_OPTIMAL_REPETITIONS || sn.n < EB_UTEST_OPTIMAL_REPETITIONS;
    /* A side with no repetition rows has only its median aggregate. */
    char on[24], nn[24];
    if (so.n)
        snprintf(on, sizeof on, "%zu", so.n);
    else
        snprintf(on, sizeof on, "agg");
    if (sn.n)
        snprintf(nn, sizeof nn, "%zu", sn.n);
    else
        snprintf(nn, sizeof nn, "agg");
    snprintf(buf2, sizeof buf2, "%s vs %s", on, nn);
    SET(COL_REPS, eb_cell_text(buf2, few ? EB_STYLE_WARN : EB_STYLE_PLAIN));

    if (!tested) {
        t->untested++;
        SET(COL_VERDICT, eb_cell_text("?", EB_STYLE_WARN));
        return rc;
    }
    if (few) {
        t->unreliable++;
        if (o->first->is_point)
            t->unreliable_points = true;
        else
            t->unreliable_plain = true;
    }
    SET(COL_P, eb_cell_real(ut.pvalue, eb_fmt_pvalue(ut.pvalue, buf, sizeof buf), EB_STYLE_PLAIN));
    SET(COL_CPU_P, eb_cell_real(ut_cpu.pvalue, NULL, EB_STYLE_PLAIN));
    SET(COL_METHOD,
        eb_cell_text(ut.method == EB_UTEST_EXACT ? "exact" : "asymptotic", EB_STYLE_PLAIN));
    const char *verdict = "~";
    eb_style vstyle = EB_STYLE_DIM;
    if (significant) {
        t->significant++;
        verdict = change > 0 ? "slower" : change < 0 ? "faster" : "~";
        vstyle = change_style;
        if (opt->fail_above_set && change * 100.0 > opt->fail_above_pct && rc == 0)
            rc = list_add(&t->gate, "%s (%+.2f%%, p=%.4f)", o->first->run_name, change * 100.0,
                          ut.pvalue);
    }
    SET(COL_VERDICT, eb_cell_text(verdict, vstyle));
#undef SET
    return rc;
}

static int geomean_row(eb_table *tab, const tally *t)
{
    if (t->geo_count == 0) return 0;
    double go = eb_stats_geomean(t->geo_old, t->geo_count);
    double gn = eb_stats_geomean(t->geo_new, t->geo_count);
    double gco = eb_stats_geomean(t->geo_cpu_old, t->geo_count);
    double gcn = eb_stats_geomean(t->geo_cpu_new, t->geo_count);
    long r = eb_table_add_row(tab, EB_ROW_TOTAL);
    if (r < 0) return -ENOMEM;
    size_t row = (size_t)r;
    char name[64], buf[64];
    snprintf(name, sizeof name, "geomean (%zu %s)", t->geo_count,
             eb_plural(t->geo_count, "benchmark", "benchmarks"));
    double change = eb_stats_change(go, gn);
    int rc = eb_table_set(tab, row, COL_NAME, eb_cell_text(name, EB_STYLE_PLAIN));
    if (rc == 0)
        rc = eb_table_set(tab, row, COL_OLD,
                          eb_cell_real(go, eb_fmt_time_ns(go, buf, sizeof buf), EB_STYLE_PLAIN));
    if (rc == 0)
        rc = eb_table_set(tab, row, COL_NEW,
                          eb_cell_real(gn, eb_fmt_time_ns(gn, buf, sizeof buf), EB_STYLE_PLAIN));
    if (rc == 0)
        rc = eb_table_set(
            tab, row, COL_CHANGE,
            eb_cell_real(change, eb_fmt_percent(change, true, buf, sizeof buf), EB_STYLE_PLAIN));
    if (rc == 0) rc = eb_table_set(tab, row, COL_CPU_OLD, eb_cell_real(gco, NULL, EB_STYLE_PLAIN));
    if (rc == 0) rc = eb_table_set(tab, row, COL_CPU_NEW, eb_cell_real(gcn, NULL, EB_STYLE_PLAIN));
    if (rc == 0)
        rc = eb_table_set(tab, row, COL_CPU_CHANGE,
                          eb_cell_real(eb_stats_change(gco, gcn), NULL, EB_STYLE_PLAIN));
    return rc;
}

/* The flag that sets the repetitions of the rows that had too few: execbench's
 * points take --repetitions, Google Benchmark's programs --benchmark_repetitions. */
static const char *repetitions_flag(const tally *t)
{
    if (t->unreliable_points && t->unreliable_plain)
        return "execbench --repetitions, Google Benchmark --benchmark_repetitions";
    return t->unreliable_points ? "execbench --repetitions" : "--benchmark_repetitions";
}

static int diff_footnotes(eb_report *r, const tally *t, const eb_diff_options *opt, size_t only_old,
                          size_t only_new)
{
    int rc = eb_report_footnote(
        r,
        "change: (new - old) / old of the medians; p-value: two-sided Mann-Whitney U test "
        "over the repetitions' real time, as Google Benchmark's compare.py; slower/faster: "
        "significant at alpha %g; ~: no significant difference.",
        opt->alpha);
    if (rc == 0 && t->geo_count > 0)
        rc = eb_report_footnote(r,
                                "geomean: geometric mean of the %zu paired %s on each "
                                "side; its change is the geometric mean of the ratios.",
                                t->geo_count, eb_plural(t->geo_count, "median", "medians"));
    if (rc == 0 && t->unreliable > 0)
        rc = eb_report_footnote(
            r,
            "%zu of %zu %s fewer than %d repetitions on a "
            "side: %s U test is unreliable; %d or more are "
            "recommended (%s).",
            t->unreliable, t->compared, eb_plural(t->compared, "benchmark has", "benchmarks have"),
            EB_UTEST_OPTIMAL_REPETITIONS, eb_plural(t->unreliable, "its", "their"),
            EB_UTEST_OPTIMAL_REPETITIONS, repetitions_flag(t));
    if (rc == 0 && t->untested > 0)
        rc = eb_report_footnote(r,
                                "?: %zu %s fewer than %d repetitions on a side "
                                "(agg: aggregates only), too few for a U test; %s change "
                                "has no significance.",
                                t->untested,
                                eb_plural(t->untested, "benchmark has", "benchmarks have"),
                                EB_UTEST_MIN_REPETITIONS, eb_plural(t->untested, "its", "their"));
    if (rc == 0 && (only_old > 0 || only_new > 0))
        rc = eb_report_footnote(r,
                                "not compared: %zu %s only in OLD, %zu only in NEW "
                                "(rows pair by identical name).",
                                only_old, eb_plural(only_old, "benchmark", "benchmarks"), only_new);
    if (rc == 0 && opt->fail_above_set && t->lost.count > 0)
        rc = eb_report_footnote(r,
                                "--fail-above %g%%: %s: %zu %s with a result in OLD %s none in "
                                "NEW: %s%s.",
                                opt->fail_above_pct, opt->allow_missing ? "allowed" : "FAILED",
                                t->lost.count, eb_plural(t->lost.count, "benchmark", "benchmarks"),
                                eb_plural(t->lost.count, "has", "have"), t->lost.text,
                                opt->allow_missing ? " (--allow-missing)" : "");
    if (rc == 0 && opt->fail_above_set) {
        if (t->gate.count > 0)
            rc =
                eb_report_footnote(r,
                                   "--fail-above %g%%: FAILED: %zu significant %s "
                                   "beyond it: %s.",
                                   opt->fail_above_pct, t->gate.count,
                                   eb_plural(t->gate.count, "slowdown", "slowdowns"), t->gate.text);
        else
            rc = eb_report_footnote(r,
                                    "--fail-above %g%%: passed: no significant slowdown "
                                    "beyond it%s.",
                                    opt->fail_above_pct,
                                    t->untested ? " (untested benchmarks cannot fail it)" : "");
    }
    return rc;
}

/* "old: run-a.json (101 rows, with errors, host vm)", then what the document
 * says of its run when it did not end. */
static int describe_input(eb_report *r, const char *which, const eb_results_doc *doc)
{
    char more[160] = "", why[160];
    if (doc->repeat_index > 0 && doc->repeat_of > 0)
        snprintf(more, sizeof more, ", run %lld of %lld", (long long)doc->repeat_index,
                 (long long)doc->repeat_of);
    int rc = eb_report_note(r, "%s: %s (%zu %s%s%s%s%s)", which, doc->path, doc->row_count,
                            eb_plural(doc->row_count, "row", "rows"),
                            doc->error_rows ? ", with errors" : "",
                            doc->host_name[0] ? ", host " : "", doc->host_name, more);
    if (rc == 0 && doc->interrupted)
        rc = eb_report_note(r, "%s: %s: only the points that finished are in it", which,
                            eb_results_interruption(doc, why, sizeof why));
    return rc;
}

int eb_diff_build(const eb_results_doc *old_doc, const eb_results_doc *new_doc,
                  const regex_t *filter, const eb_diff_options *opt, eb_report **out,
                  eb_diff_outcome *outcome, char *why, size_t why_len)
{
    eb_run_set so = {0}, sn = {0};
    eb_report *r = NULL;
    tally t = {0};
    int rc = -ENOMEM;
    *out = NULL;
    memset(outcome, 0, sizeof *outcome);
    if (eb_runs_collect(old_doc, filter, EB_KEY_BY_NAME, &so) != 0 ||
        eb_runs_collect(new_doc, filter, EB_KEY_BY_NAME, &sn) != 0)
        goto out;
    size_t both = 0;
    for (size_t i = 0; i < so.count; i++)
        both += eb_runs_find(&sn, so.runs[i].key) != NULL;
    if (both == 0) {
        rc = eb_fail(why, why_len, -ENOENT,
                     "no benchmark name is in both %s and %s%s; diff pairs rows by identical name",
                     old_doc->path, new_doc->path, filter ? " (after --filter)" : "");
        goto out;
    }
    t.geo_old = calloc(both, sizeof *t.geo_old);
    t.geo_new = calloc(both, sizeof *t.geo_new);
    t.geo_cpu_old = calloc(both, sizeof *t.geo_cpu_old);
    t.geo_cpu_new = calloc(both, sizeof *t.geo_cpu_new);
    r = eb_report_new("diff");
    if (t.geo_old == NULL || t.geo_new == NULL || t.geo_cpu_old == NULL || t.geo_cpu_new == NULL ||
        r == NULL)
        goto out;
    if (describe_input(r, "old", old_doc) != 0 || describe_input(r, "new", new_doc) != 0 ||
        eb_report_fact(r, "alpha", eb_cell_real(opt->alpha, NULL, EB_STYLE_PLAIN)) != 0)
        goto out;
    if ((old_doc->interrupted || new_doc->interrupted) &&
        eb_report_fact(r, EB_KEY_INTERRUPTED, eb_cell_bool(true, NULL, 0)) != 0)
        goto out;
    if (opt->fail_above_set &&
        eb_report_fact(r, "fail_above_pct", eb_cell_real(opt->fail_above_pct, NULL, 0)) != 0)
        goto out;

    eb_table *tab = eb_report_table(r, "diff: old -> new", diff_cols, COL_COUNT);
    if (tab == NULL) goto out;
    for (size_t i = 0; i < so.count; i++) {
        const eb_run *nw = eb_runs_find(&sn, so.runs[i].key);
        if (nw != NULL && diff_row(tab, &so.runs[i], nw, opt, &t) != 0) goto out;
    }
    /* A benchmark that had a result in OLD and has no row in NEW vanished. */
    for (size_t i = 0; i < so.count; i++) {
        const eb_run *o = &so.runs[i];
        if (eb_runs_find(&sn, o->key) != NULL || !side_of(o).valid) continue;
        if (eb_table_note(tab, "%s: in OLD, missing in NEW", o->first->run_name) != 0 ||
            list_add(&t.lost, "%s (missing)", o->first->run_name) != 0)
            goto out;
    }
    if (geomean_row(tab, &t) != 0) goto out;
    if (diff_footnotes(r, &t, opt, so.count - both, sn.count - both) != 0) goto out;
    if (ratio_table(r, old_doc, new_doc, &so, &sn) != 0) goto out;
    bool lost_fails = opt->fail_above_set && !opt->allow_missing && t.lost.count > 0;
    if (opt->fail_above_set &&
        eb_report_fact(r, "failed", eb_cell_bool(t.gate.count > 0 || lost_fails, NULL, 0)) != 0)
        goto out;
    if (opt->fail_above_set &&
        eb_report_fact(r, "lost", eb_cell_int((int64_t)t.lost.count, EB_STYLE_PLAIN)) != 0)
        goto out;

    outcome->compared = t.compared;
    outcome->over_limit = t.gate.count;
    outcome->lost = t.lost.count;
    outcome->lost_fails = lost_fails;
    if (t.gate.count > 0 &&
        asprintf(&outcome->gate_message, "%zu significant %s beyond --fail-above %g%%: %s",
                 t.gate.count, eb_plural(t.gate.count, "slowdown", "slowdowns"),
                 opt->fail_above_pct, t.gate.text) < 0) {
        outcome->gate_message = NULL;
        goto out;
    }
    if (lost_fails &&
        asprintf(&outcome->lost_message,
                 "--fail-above %g%%: %zu %s with a result in %s %s none in %s: %s; if that is "
                 "expected, pass --allow-missing",
                 opt->fail_above_pct, t.lost.count,
                 eb_plural(t.lost.count, "benchmark", "benchmarks"), old_doc->path,
                 eb_plural(t.lost.count, "has", "have"), new_doc->path, t.lost.text) < 0) {
        outcome->lost_message = NULL;
        goto out;
    }
    *out = r;
    r = NULL;
    rc = 0;
out:
    if (rc == -ENOMEM) eb_fail(why, why_len, rc, "out of memory");
    eb_report_free(r);
    eb_runs_free(&so);
    eb_runs_free(&sn);
    free(t.geo_old);
    free(t.geo_new);
    free(t.geo_cpu_old);
    free(t.geo_cpu_new);
    free(t.gate.text);
    free(t.lost.text);
    return rc;
}
