/* report.c — see report.h. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *vformat(const char *fmt, va_list ap)
{
    char *s = NULL;
    return vasprintf(&s, fmt, ap) < 0 ? NULL : s;
}

static int push_line(char ***lines, size_t *count, char *line)
{
    if (line == NULL) return -ENOMEM;
    char **grown = realloc(*lines, (*count + 1) * sizeof *grown);
    if (grown == NULL) {
        free(line);
        return -ENOMEM;
    }
    grown[(*count)++] = line;
    *lines = grown;
    return 0;
}

/* The cell's own copy of its text; an integer without one gets its digits. */
static int own_text(eb_cell *cell)
{
    if (cell->text == NULL && cell->kind == EB_CELL_INT) {
        char digits[32];
        snprintf(digits, sizeof digits, "%lld", (long long)cell->integer);
        cell->text = strdup(digits);
    } else if (cell->text != NULL) {
        cell->text = strdup(cell->text);
    } else {
        return 0;
    }
    return cell->text == NULL ? -ENOMEM : 0;
}

eb_report *eb_report_new(const char *command)
{
    eb_report *r = calloc(1, sizeof *r);
    if (r == NULL) return NULL;
    r->command = strdup(command);
    if (r->command == NULL) {
        free(r);
        return NULL;
    }
    return r;
}

static void free_table(eb_table *t)
{
    if (t == NULL) return;
    for (size_t i = 0; i < t->row_count * t->col_count; i++)
        free(t->cells[i].text);
    for (size_t c = 0; c < t->col_count; c++) {
        free(t->cols[c].key);
        free(t->cols[c].title);
    }
    for (size_t i = 0; i < t->note_count; i++)
        free(t->notes[i]);
    free(t->notes);
    free(t->cells);
    free(t->row_flags);
    free(t->cols);
    free(t->title);
    free(t);
}

void eb_report_free(eb_report *r)
{
    if (r == NULL) return;
    for (size_t i = 0; i < r->table_count; i++)
        free_table(r->tables[i]);
    for (size_t i = 0; i < r->note_count; i++)
        free(r->notes[i]);
    for (size_t i = 0; i < r->footnote_count; i++)
        free(r->footnotes[i]);
    free(r->footnotes);
    for (size_t i = 0; i < r->fact_count; i++) {
        free(r->fact_keys[i]);
        free(r->fact_values[i].text);
    }
    free(r->fact_keys);
    free(r->fact_values);
    free(r->tables);
    free(r->notes);
    free(r->command);
    free(r);
}

int eb_report_note(eb_report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = vformat(fmt, ap);
    va_end(ap);
    return push_line(&r->notes, &r->note_count, line);
}

int eb_report_footnote(eb_report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = vformat(fmt, ap);
    va_end(ap);
    return push_line(&r->footnotes, &r->footnote_count, line);
}

int eb_table_note(eb_table *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = vformat(fmt, ap);
    va_end(ap);
    return push_line(&t->notes, &t->note_count, line);
}

int eb_report_fact(eb_report *r, const char *key, eb_cell value)
{
    char **keys = realloc(r->fact_keys, (r->fact_count + 1) * sizeof *keys);
    if (keys == NULL) return -ENOMEM;
    r->fact_keys = keys;
    eb_cell *values = realloc(r->fact_values, (r->fact_count + 1) * sizeof *values);
    if (values == NULL) return -ENOMEM;
    r->fact_values = values;
    char *k = strdup(key);
    if (k == NULL || own_text(&value) != 0) {
        free(k);
        return -ENOMEM;
    }
    keys[r->fact_count] = k;
    values[r->fact_count] = value;
    r->fact_count++;
    return 0;
}

eb_table *eb_report_table(eb_report *r, const char *title, const eb_column *cols, size_t col_count)
{
    eb_table **tables = realloc(r->tables, (r->table_count + 1) * sizeof *tables);
    if (tables == NULL) return NULL;
    r->tables = tables;
    eb_table *t = calloc(1, sizeof *t);
    if (t == NULL) return NULL;
    t->title = strdup(title);
    t->cols = calloc(col_count, sizeof *t->cols);
    if (t->title == NULL || t->cols == NULL) goto oom;
    t->col_count = col_count;
    for (size_t c = 0; c < col_count; c++) {
        t->cols[c] = cols[c];
        t->cols[c].key = strdup(cols[c].key);
        t->cols[c].title = strdup(cols[c].title);
        if (t->cols[c].key == NULL || t->cols[c].title == NULL) goto oom;
    }
    r->tables[r->table_count++] = t;
    return t;
oom:
    free_table(t);
    return NULL;
}

long eb_table_add_row(eb_table *t, unsigned flags)
{
    if (t->row_count == t->row_cap) {
        size_t cap = t->row_cap ? t->row_cap * 2 : 16;
        eb_cell *cells = realloc(t->cells, cap * t->col_count * sizeof *cells);
        if (cells == NULL) return -ENOMEM;
        t->cells = cells;
        unsigned *rf = realloc(t->row_flags, cap * sizeof *rf);
        if (rf == NULL) return -ENOMEM;
        t->row_flags = rf;
        t->row_cap = cap;
    }
    memset(&t->cells[t->row_count * t->col_count], 0, t->col_count * sizeof *t->cells);
    t->row_flags[t->row_count] = flags;
    return (long)t->row_count++;
}

eb_cell *eb_table_cell(const eb_table *t, size_t row, size_t col)
{
    return &t->cells[row * t->col_count + col];
}

long eb_table_column(const eb_table *t, const char *key)
{
    for (size_t c = 0; c < t->col_count; c++)
        if (t->cols[c].key != NULL && strcmp(t->cols[c].key, key) == 0) return (long)c;
    return -1;
}

int eb_table_set(eb_table *t, size_t row, size_t col, eb_cell cell)
{
    eb_cell *dst = eb_table_cell(t, row, col);
    if (own_text(&cell) != 0) return -ENOMEM;
    free(dst->text);
    *dst = cell;
    return 0;
}

/* ---- cells and formats ---------------------------------------------------- */

eb_cell eb_cell_text(const char *text, eb_style style)
{
    return (eb_cell){.kind = EB_CELL_TEXT, .style = style, .text = (char *)text};
}

eb_cell eb_cell_int(int64_t value, eb_style style)
{
    return (eb_cell){.kind = EB_CELL_INT, .style = style, .integer = value}; /* text: on set */
}

eb_cell eb_cell_bool(bool value, const char *text, eb_style style)
{
    return (eb_cell){.kind = EB_CELL_BOOL, .style = style, .text = (char *)text, .boolean = value};
}

eb_cell eb_cell_real(double value, const char *text, eb_style style)
{
    if (!isfinite(value)) return (eb_cell){.kind = EB_CELL_EMPTY};
    return (eb_cell){.kind = EB_CELL_REAL, .style = style, .text = (char *)text, .real = value};
}

/* Four significant digits, the unit chosen so the number reads 1..999. */
const char *eb_fmt_time_ns(double ns, char *buf, size_t len)
{
    static const struct {
        double scale;
        const char *unit;
    } units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}, {1.0, "ns"}};
    if (!isfinite(ns)) {
        snprintf(buf, len, "n/a");
        return buf;
    }
    size_t u = 0;
    while (u + 1 < sizeof units / sizeof units[0] && fabs(ns) < units[u].scale * 0.9995)
        u++;
    double v = ns / units[u].scale;
    double a = fabs(v);
    int decimals = a >= 99.995 ? 1 : a >= 9.9995 ? 2 : 3;
    if (a >= 999.95) decimals = 0;
    snprintf(buf, len, "%.*f %s", decimals, v, units[u].unit);
    return buf;
}

const char *eb_fmt_ratio(double ratio, char *buf, size_t len)
{
    if (!isfinite(ratio))
        snprintf(buf, len, "n/a");
    else
        snprintf(buf, len, ratio >= 99.995 ? "%.0fx" : "%.2fx", ratio);
    return buf;
}

const char *eb_fmt_percent(double fraction, bool sign, char *buf, size_t len)
{
    if (!isfinite(fraction))
        snprintf(buf, len, "n/a");
    else
        snprintf(buf, len, sign ? "%+.2f%%" : "%.2f%%", fraction * 100.0);
    return buf;
}

const char *eb_fmt_ratio_interval(double ratio, double low, double high, char *buf, size_t len)
{
    if (!isfinite(ratio) || !isfinite(low) || !isfinite(high)) return eb_fmt_ratio(ratio, buf, len);
    const char *f = ratio >= 99.995 ? "%.0fx [%.0f-%.0f]" : "%.2fx [%.2f-%.2f]";
    snprintf(buf, len, f, ratio, low, high);
    return buf;
}

const char *eb_fmt_percent_interval(double fraction, double low, double high, char *buf, size_t len)
{
    if (!isfinite(fraction) || !isfinite(low) || !isfinite(high))
        return eb_fmt_percent(fraction, false, buf, len);
    snprintf(buf, len, "%.1f%% [%.1f-%.1f]", fraction * 100.0, low * 100.0, high * 100.0);
    return buf;
}

const char *eb_fmt_pvalue(double p, char *buf, size_t len)
{
    if (!isfinite(p))
        snprintf(buf, len, "n/a");
    else if (p < 0.0001)
        snprintf(buf, len, "%.1e", p);
    else
        snprintf(buf, len, "%.4f", p);
    return buf;
}
