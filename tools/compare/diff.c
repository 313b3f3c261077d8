/* diff.c — see diff.h. */
#include "diff.h"

#include "runs.h"
#include "stats.h"

#include <errno.h>
#include <math.h>
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
    {"name", "benchmark", EB_COL_BOTH, true},
    {"old_median_ns", "old", EB_COL_BOTH, false},
    {"new_median_ns", "new", EB_COL_BOTH, false},
    {"change", "change", EB_COL_BOTH, false},
    {"pvalue", "p-value", EB_COL_BOTH, false},
    {"repetitions", "repetitions", EB_COL_HUMAN, false},
    {"old_n", "old n", EB_COL_MACHINE, false},
    {"new_n", "new n", EB_COL_MACHINE, false},
    {"verdict", "verdict", EB_COL_BOTH, true},
    {"cpu_old_median_ns", "cpu old", EB_COL_MACHINE, false},
    {"cpu_new_median_ns", "cpu new", EB_COL_MACHINE, false},
    {"cpu_change", "cpu change", EB_COL_MACHINE, false},
    {"cpu_pvalue", "cpu p-value", EB_COL_MACHINE, false},
    {"utest_method", "U test", EB_COL_MACHINE, true},
};

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

typedef struct tally {
    size_t compared, errors, untested, unreliable, significant;
    double *geo_old, *geo_new, *geo_cpu_old, *geo_cpu_new;
    size_t geo_count;
    char *gate; /* the names over --fail-above, ", "-joined */
    size_t gate_len, over_limit;
} tally;

static int gate_add(tally *t, const char *name, double change, double p)
{
    char *item = NULL;
    int n = asprintf(&item, "%s%s (%+.2f%%, p=%.4f)", t->over_limit ? ", " : "", name,
                     change * 100.0, p);
    if (n < 0) return -ENOMEM;
    char *grown = realloc(t->gate, t->gate_len + (size_t)n + 1);
    if (grown == NULL) {
        free(item);
        return -ENOMEM;
    }
    memcpy(grown + t->gate_len, item, (size_t)n + 1);
    t->gate = grown;
    t->gate_len += (size_t)n;
    t->over_limit++;
    free(item);
    return 0;
}

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
        snprintf(buf, sizeof buf, "error in %s", so.valid ? "new" : "old");
        SET(COL_VERDICT, eb_cell_text(buf, EB_STYLE_BAD));
        if (rc == 0)
            rc = eb_table_note(tab, "%s: error in %s: %s", o->first->run_name,
                               so.valid ? "NEW" : "OLD", msg[0] ? msg : "error_occurred");
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
    if (few) t->unreliable++;
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
            rc = gate_add(t, o->first->run_name, change, ut.pvalue);
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
    snprintf(name, sizeof name, "geomean (%zu benchmarks)", t->geo_count);
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
                                "geomean: geometric mean of the %zu paired medians on each "
                                "side; its change is the geometric mean of the ratios.",
                                t->geo_count);
    if (rc == 0 && t->unreliable > 0)
        rc = eb_report_footnote(r,
                                "%zu of %zu benchmarks have fewer than %d repetitions on a "
                                "side: their U test is unreliable; %d or more are "
                                "recommended (--benchmark_repetitions).",
                                t->unreliable, t->compared, EB_UTEST_OPTIMAL_REPETITIONS,
                                EB_UTEST_OPTIMAL_REPETITIONS);
    if (rc == 0 && t->untested > 0)
        rc = eb_report_footnote(r,
                                "?: %zu benchmarks have fewer than %d repetitions on a side "
                                "(agg: aggregates only), too few for a U test; their change "
                                "has no significance.",
                                t->untested, EB_UTEST_MIN_REPETITIONS);
    if (rc == 0 && (only_old > 0 || only_new > 0))
        rc = eb_report_footnote(r,
                                "not compared: %zu benchmarks only in OLD, %zu only in NEW "
                                "(rows pair by identical name).",
                                only_old, only_new);
    if (rc == 0 && opt->fail_above_set) {
        if (t->over_limit > 0)
            rc = eb_report_footnote(r,
                                    "--fail-above %g%%: FAILED: %zu significant slowdown%s "
                                    "beyond it: %s.",
                                    opt->fail_above_pct, t->over_limit,
                                    t->over_limit == 1 ? "" : "s", t->gate);
        else
            rc = eb_report_footnote(r,
                                    "--fail-above %g%%: passed: no significant slowdown "
                                    "beyond it%s.",
                                    opt->fail_above_pct,
                                    t->untested ? " (untested benchmarks cannot fail it)" : "");
    }
    return rc;
}

int eb_diff_build(const eb_results_doc *old_doc, const eb_results_doc *new_doc,
                  const regex_t *filter, const eb_diff_options *opt, eb_report **out,
                  eb_diff_outcome *outcome, char *err, size_t err_len)
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
        snprintf(err, err_len,
                 "no benchmark name is in both %s and %s%s; diff pairs rows by identical name",
                 old_doc->path, new_doc->path, filter ? " (after --filter)" : "");
        rc = -ENOENT;
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
    if (eb_report_note(r, "old: %s (%zu rows%s%s%s)", old_doc->path, old_doc->row_count,
                       old_doc->error_rows ? ", with errors" : "",
                       old_doc->host_name[0] ? ", host " : "", old_doc->host_name) != 0 ||
        eb_report_note(r, "new: %s (%zu rows%s%s%s)", new_doc->path, new_doc->row_count,
                       new_doc->error_rows ? ", with errors" : "",
                       new_doc->host_name[0] ? ", host " : "", new_doc->host_name) != 0 ||
        eb_report_fact(r, "alpha", eb_cell_real(opt->alpha, NULL, EB_STYLE_PLAIN)) != 0)
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
    if (geomean_row(tab, &t) != 0) goto out;
    if (diff_footnotes(r, &t, opt, so.count - both, sn.count - both) != 0) goto out;
    if (opt->fail_above_set &&
        eb_report_fact(r, "failed", eb_cell_bool(t.over_limit > 0, NULL, 0)) != 0)
        goto out;

    outcome->compared = t.compared;
    outcome->over_limit = t.over_limit;
    if (t.over_limit > 0 &&
        asprintf(&outcome->gate_message, "%zu significant slowdown%s beyond --fail-above %g%%: %s",
                 t.over_limit, t.over_limit == 1 ? "" : "s", opt->fail_above_pct, t.gate) < 0) {
        outcome->gate_message = NULL;
        goto out;
    }
    *out = r;
    r = NULL;
    rc = 0;
out:
    if (rc == -ENOMEM) snprintf(err, err_len, "out of memory");
    eb_report_free(r);
    eb_runs_free(&so);
    eb_runs_free(&sn);
    free(t.geo_old);
    free(t.geo_new);
    free(t.geo_cpu_old);
    free(t.geo_cpu_new);
    free(t.gate);
    return rc;
}
