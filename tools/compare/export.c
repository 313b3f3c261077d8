/* export.c — see export.h. */
#include "export.h"

#include "err.h"
#include "render.h"
#include "report.h"
#include "summary.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* github-action-benchmark's tool names for its two custom formats. */
static const struct {
    const char *name;
    eb_export_format format;
} formats[] = {
    {"customSmallerIsBetter", EB_EXPORT_SMALLER},
    {"customBiggerIsBetter", EB_EXPORT_BIGGER},
    {"csv", EB_EXPORT_CSV},
};

bool eb_export_format_find(const char *name, eb_export_format *out)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i].name, name) == 0) {
            *out = formats[i].format;
            return true;
        }
    return false;
}

const char *eb_export_format_names(void)
{
    return "customSmallerIsBetter, customBiggerIsBetter or csv";
}

/* ---- building --------------------------------------------------------------- */

__attribute__((format(printf, 1, 2))) static char *format(const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    return n < 0 ? NULL : s;
}

static int add_series(eb_export *ex, eb_series s)
{
    if (s.name == NULL || s.extra == NULL) {
        free(s.name);
        free(s.extra);
        return -ENOMEM;
    }
    if (ex->count == ex->cap) {
        size_t cap = ex->cap ? 2 * ex->cap : 32;
        eb_series *grown = realloc(ex->series, cap * sizeof *grown);
        if (grown == NULL) {
            free(s.name);
            free(s.extra);
            return -ENOMEM;
        }
        ex->series = grown;
        ex->cap = cap;
    }
    ex->series[ex->count++] = s;
    return 0;
}

static int add_left_out(eb_export *ex, const char *name, const char *reason)
{
    if (ex->left_count == ex->left_cap) {
        size_t cap = ex->left_cap ? 2 * ex->left_cap : 8;
        eb_left_out *grown = realloc(ex->left_out, cap * sizeof *grown);
        if (grown == NULL) return -ENOMEM;
        ex->left_out = grown;
        ex->left_cap = cap;
    }
    eb_left_out *l = &ex->left_out[ex->left_count];
    l->name = strdup(name);
    l->reason = strdup(reason);
    if (l->name == NULL || l->reason == NULL) {
        free(l->name);
        free(l->reason);
        return -ENOMEM;
    }
    ex->left_count++;
    return 0;
}

/* A cell of the summary's row by its column key: its real value, or false. */
static bool real_of(const eb_table *t, size_t row, const char *key, double *out)
{
    long c = eb_table_column(t, key);
    if (c < 0) return false;
    const eb_cell *cell = eb_table_cell(t, row, (size_t)c);
    if (cell->kind == EB_CELL_REAL) {
        *out = cell->real;
        return true;
    }
    if (cell->kind == EB_CELL_INT) {
        *out = (double)cell->integer;
        return true;
    }
    if (cell->kind == EB_CELL_BOOL) {
        *out = cell->boolean ? 1.0 : 0.0;
        return true;
    }
    return false;
}

static const char *text_of(const eb_table *t, size_t row, const char *key)
{
    long c = eb_table_column(t, key);
    if (c < 0) return "";
    const eb_cell *cell = eb_table_cell(t, row, (size_t)c);
    return cell->kind == EB_CELL_TEXT && cell->text ? cell->text : "";
}

/* The first row of the run named run_name: its time unit and whether it is
 * the reference point. */
static const eb_row *first_row(const eb_results_doc *doc, const char *run_name)
{
    for (size_t i = 0; i < doc->row_count; i++)
        if (strcmp(doc->rows[i].run_name, run_name) == 0) return &doc->rows[i];
    return NULL;
}

/* The series of one line of the summary: its median, and a point's ratios. */
static int export_row(eb_export *ex, const eb_results_doc *doc, const eb_table *t, size_t r)
{
    const char *run_name = text_of(t, r, EB_KEY_NAME);
    const eb_row *row = first_row(doc, run_name);
    double median_ns, n = 0, lo = -1, hi = -1, cv = -1, ratio;
    if (row == NULL) return 0; /* every line of the summary is a run of the document */
    if (!real_of(t, r, EB_SUMMARY_COL_MEDIAN_NS, &median_ns)) {
        const char *error = text_of(t, r, EB_SUMMARY_COL_ERROR);
        char *reason = format("%s%s", error[0] ? "error: " : "",
                              error[0] ? error : text_of(t, r, EB_SUMMARY_COL_STATUS));
        int rc = reason ? add_left_out(ex, run_name, reason) : -ENOMEM;
        free(reason);
        return rc;
    }
    char name[1024];
    if (row->is_point)
        eb_results_point_name(run_name, name, sizeof name);
    else
        snprintf(name, sizeof name, "%s", run_name);
    real_of(t, r, EB_SUMMARY_COL_N, &n);
    real_of(t, r, EB_SUMMARY_COL_CV, &cv);
    bool has_range =
        real_of(t, r, EB_SUMMARY_COL_MIN_NS, &lo) && real_of(t, r, EB_SUMMARY_COL_MAX_NS, &hi);
    double unit_ns = eb_time_unit_ns(row->time_unit);
    const char *unit = row->time_unit;
    if (unit_ns <= 0.0) unit = "ns", unit_ns = 1.0;
    /* How the median was measured, and whether some repetitions failed. */
    const char *error = text_of(t, r, EB_SUMMARY_COL_ERROR);
    char how[768];
    size_t used = (size_t)snprintf(how, sizeof how, "median of %.0f %s", n,
                                   n == 1 ? "repetition" : "repetitions");
    if (has_range && used < sizeof how)
        used += (size_t)snprintf(how + used, sizeof how - used, ", min %.6g %s, max %.6g %s",
                                 lo / unit_ns, unit, hi / unit_ns, unit);
    if (cv >= 0 && used < sizeof how)
        used += (size_t)snprintf(how + used, sizeof how - used, ", cv %.3g%%", 100.0 * cv);
    if (error[0] && used < sizeof how)
        used += (size_t)snprintf(how + used, sizeof how - used, "; some failed: %s", error);
    if (doc->host_name[0] && used < sizeof how)
        snprintf(how + used, sizeof how - used, "; host %s", doc->host_name);
    eb_series s = {
        .name = strdup(name),
        .metric = "median",
        .unit = unit,
        .value = median_ns / unit_ns,
        .has_range = has_range,
        .lo = lo / unit_ns,
        .hi = hi / unit_ns,
        .n = (int64_t)n,
        .extra = strdup(how),
    };
    int rc = add_series(ex, s);
    if (rc != 0 || !row->is_point) return rc;

    double beyond = 0;
    bool marked = real_of(t, r, EB_SUMMARY_COL_BEYOND, &beyond) && beyond != 0;
    const char *artefact =
        marked ? "; beyond the physical bound: a measurement artefact (execbench-compare summary "
                 "names its likely cause)"
               : "";
    /* The reference point's own speedup is 1 by definition: no series. */
    if (!eb_row_is_reference(row) && real_of(t, r, EB_SUMMARY_COL_SPEEDUP, &ratio)) {
        eb_series sp = {
            .name = format("%s speedup", name),
            .metric = "speedup",
            .unit = "x",
            .value = ratio,
            .bigger = true,
            .n = (int64_t)n,
            .extra =
                format("the %s point's median over this median (%.0f %s)%s",
                       eb_reference_executor(), n, n == 1 ? "repetition" : "repetitions", artefact),
        };
        if ((rc = add_series(ex, sp)) != 0) return rc;
    }
    if (real_of(t, r, EB_SUMMARY_COL_EFFICIENCY, &ratio)) {
        eb_series ef = {
            .name = format("%s efficiency", name),
            .metric = "efficiency",
            .unit = "%",
            .value = 100.0 * ratio,
            .bigger = true,
            .n = (int64_t)n,
            .extra = format("ideal_ns over the median (100%% = the ideal)%s", artefact),
        };
        if ((rc = add_series(ex, ef)) != 0) return rc;
    }
    return 0;
}

int eb_export_build(const eb_results_doc *doc, const regex_t *filter, eb_export *out, char *why,
                    size_t why_len)
{
    memset(out, 0, sizeof *out);
    eb_report *report = NULL;
    eb_summary_options so = {.filter = filter};
    int rc = eb_summary_build(doc, 1, &so, &report, why, why_len);
    if (rc != 0) return rc;
    for (size_t i = 0; i < report->table_count && rc == 0; i++) {
        const eb_table *t = report->tables[i];
        for (size_t r = 0; r < t->row_count && rc == 0; r++)
            rc = export_row(out, doc, t, r);
    }
    eb_report_free(report);
    if (rc == 0 && doc->points_planned > 0 && doc->points_run >= 0 &&
        doc->points_run < doc->points_planned)
        out->unplanned = doc->points_planned - doc->points_run;
    if (rc != 0) {
        eb_export_free(out);
        return eb_fail(why, why_len, rc, "out of memory");
    }
    return 0;
}

void eb_export_free(eb_export *ex)
{
    for (size_t i = 0; i < ex->count; i++) {
        free(ex->series[i].name);
        free(ex->series[i].extra);
    }
    for (size_t i = 0; i < ex->left_count; i++) {
        free(ex->left_out[i].name);
        free(ex->left_out[i].reason);
    }
    free(ex->series);
    free(ex->left_out);
    memset(ex, 0, sizeof *ex);
}

/* ---- writing ---------------------------------------------------------------- */

static bool wanted(const eb_series *s, eb_export_format format)
{
    return format == EB_EXPORT_CSV || s->bigger == (format == EB_EXPORT_BIGGER);
}

size_t eb_export_count(const eb_export *ex, eb_export_format format)
{
    size_t n = 0;
    for (size_t i = 0; i < ex->count; i++)
        n += wanted(&ex->series[i], format);
    return n;
}

/* The keys of the action's BenchmarkResult (its src/extract.ts), which are
 * not the results document's: name, unit, value, range (optional), extra. */
static const char gab_name[] = "name", gab_unit[] = "unit", gab_value[] = "value",
                  gab_range[] = "range", gab_extra[] = "extra";

static int write_custom(const eb_export *ex, eb_export_format format, FILE *out)
{
    json_t *array = json_array();
    int rc = -ENOMEM;
    if (array == NULL) return rc;
    for (size_t i = 0; i < ex->count; i++) {
        const eb_series *s = &ex->series[i];
        if (!wanted(s, format)) continue;
        json_t *o = json_object();
        if (o == NULL || json_array_append_new(array, o) != 0) goto out;
        char range[96];
        snprintf(range, sizeof range, "%.6g - %.6g", s->lo, s->hi);
        if (json_object_set_new(o, gab_name, json_string(s->name)) != 0 ||
            json_object_set_new(o, gab_unit, json_string(s->unit)) != 0 ||
            json_object_set_new(o, gab_value, json_real(s->value)) != 0 ||
            (s->has_range && json_object_set_new(o, gab_range, json_string(range)) != 0) ||
            json_object_set_new(o, gab_extra, json_string(s->extra)) != 0)
            goto out;
    }
    rc = json_dumpf(array, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) == 0 ? 0 : -EIO;
    if (rc == 0 && fputc('\n', out) == EOF) rc = -EIO;
out:
    json_decref(array);
    return rc;
}

static int write_csv(const eb_export *ex, FILE *out)
{
    fputs("name,metric,unit,value,better,min,max,repetitions\r\n", out);
    for (size_t i = 0; i < ex->count; i++) {
        const eb_series *s = &ex->series[i];
        eb_csv_field(out, s->name);
        fprintf(out, ",%s,", s->metric);
        eb_csv_field(out, s->unit);
        fprintf(out, ",%.10g,%s,", s->value, s->bigger ? "bigger" : "smaller");
        if (s->has_range)
            fprintf(out, "%.10g,%.10g", s->lo, s->hi);
        else
            fputc(',', out);
        fprintf(out, ",%lld\r\n", (long long)s->n);
    }
    return ferror(out) ? -EIO : 0;
}

int eb_export_write(const eb_export *ex, eb_export_format format, FILE *out)
{
    int rc = format == EB_EXPORT_CSV ? write_csv(ex, out) : write_custom(ex, format, out);
    if (rc == 0 && (fflush(out) != 0 || ferror(out))) rc = -EIO;
    return rc;
}
