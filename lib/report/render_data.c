/* render_data.c — the machine formats: csv and json. */
#include "render.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- csv (RFC 4180) ------------------------------------------------------ */

void eb_csv_field(FILE *out, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '));
    if (!quote) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void csv_cell(FILE *out, const eb_cell *cell)
{
    switch (cell->kind) {
    case EB_CELL_EMPTY:
        break;
    case EB_CELL_TEXT:
        eb_csv_field(out, cell->text ? cell->text : "");
        break;
    case EB_CELL_INT:
        fprintf(out, "%lld", (long long)cell->integer);
        break;
    case EB_CELL_REAL:
        fprintf(out, "%.10g", cell->real);
        break;
    case EB_CELL_BOOL:
        fputs(cell->boolean ? "true" : "false", out);
        break;
    }
}

static bool same_machine_columns(const eb_table *a, const eb_table *b)
{
    if (a->col_count != b->col_count) return false;
    for (size_t c = 0; c < a->col_count; c++)
        if (a->cols[c].formats != b->cols[c].formats || strcmp(a->cols[c].key, b->cols[c].key))
            return false;
    return true;
}

static void csv_header(FILE *out, const eb_table *t)
{
    fputs("table", out);
    for (size_t c = 0; c < t->col_count; c++) {
        if (!(t->cols[c].formats & EB_COL_MACHINE)) continue;
        fputc(',', out);
        eb_csv_field(out, t->cols[c].key);
    }
    fputs("\r\n", out);
}

/* One header and every table's rows under it, the table's title in the first
 * column; a table with other columns starts a new header after a blank line. */
static int render_csv(const eb_report *r, bool color, FILE *out)
{
    (void)color;
    for (size_t i = 0; i < r->table_count; i++) {
        const eb_table *t = r->tables[i];
        if (i == 0 || !same_machine_columns(r->tables[i - 1], t)) {
            if (i > 0) fputs("\r\n", out);
            csv_header(out, t);
        }
        for (size_t row = 0; row < t->row_count; row++) {
            eb_csv_field(out, t->title);
            for (size_t c = 0; c < t->col_count; c++) {
                if (!(t->cols[c].formats & EB_COL_MACHINE)) continue;
                fputc(',', out);
                csv_cell(out, eb_table_cell(t, row, c));
            }
            fputs("\r\n", out);
        }
    }
    return 0;
}

/* ---- json ------------------------------------------------------------------ */

static json_t *json_cell(const eb_cell *cell)
{
    switch (cell->kind) {
    case EB_CELL_EMPTY:
        return json_null();
    case EB_CELL_TEXT:
        return json_string(cell->text ? cell->text : "");
    case EB_CELL_INT:
        return json_integer((json_int_t)cell->integer);
    case EB_CELL_REAL:
        return json_real(cell->real); /* finite by construction */
    case EB_CELL_BOOL:
        return json_boolean(cell->boolean);
    }
    return json_null();
}

static json_t *json_lines(char *const *lines, size_t count)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < count; i++)
        if (json_array_append_new(a, json_string(lines[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* Sets key to value (a new reference); NULL values fail. */
static int put(json_t *obj, const char *key, json_t *value)
{
    return value == NULL || json_object_set_new(obj, key, value) != 0 ? -ENOMEM : 0;
}

static json_t *json_table(const eb_table *t)
{
    json_t *table = json_object(), *rows = json_array();
    if (table == NULL || rows == NULL) goto oom;
    if (put(table, "title", json_string(t->title)) != 0) goto oom;
    for (size_t r = 0; r < t->row_count; r++) {
        json_t *row = json_object();
        if (row == NULL || json_array_append_new(rows, row) != 0) goto oom;
        for (size_t c = 0; c < t->col_count; c++) {
            if (!(t->cols[c].formats & EB_COL_MACHINE)) continue;
            if (put(row, t->cols[c].key, json_cell(eb_table_cell(t, r, c))) != 0) goto oom;
        }
        if ((t->row_flags[r] & EB_ROW_TOTAL) && put(row, "total", json_true()) != 0) goto oom;
    }
    if (put(table, "rows", rows) != 0) {
        rows = NULL;
        goto oom;
    }
    if (put(table, "notes", json_lines(t->notes, t->note_count)) != 0) {
        json_decref(table);
        return NULL;
    }
    return table;
oom:
    json_decref(rows);
    json_decref(table);
    return NULL;
}

static int render_json(const eb_report *r, bool color, FILE *out)
{
    (void)color;
    json_t *doc = json_object(), *tables = json_array();
    int rc = -ENOMEM;
    if (doc == NULL || tables == NULL) goto done;
    if (put(doc, "tool", json_string("execbench-compare")) != 0 ||
        put(doc, "command", json_string(r->command)) != 0)
        goto done;
    for (size_t i = 0; i < r->fact_count; i++)
        if (put(doc, r->fact_keys[i], json_cell(&r->fact_values[i])) != 0) goto done;
    if (put(doc, "inputs", json_lines(r->notes, r->note_count)) != 0) goto done;
    for (size_t i = 0; i < r->table_count; i++) {
        json_t *t = json_table(r->tables[i]);
        if (t == NULL || json_array_append_new(tables, t) != 0) goto done;
    }
    json_t *held = tables;
    tables = NULL;
    if (put(doc, "tables", held) != 0) goto done;
    if (put(doc, "notes", json_lines(r->footnotes, r->footnote_count)) != 0) goto done;
    rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) == 0 ? 0 : -EIO;
    if (rc == 0) fputc('\n', out);
done:
    json_decref(tables);
    json_decref(doc);
    return rc;
}

const eb_report_format eb_format_csv = {
    .name = "csv",
    .description = "one header, then every table's rows with their numbers (RFC 4180)",
    .render = render_csv,
};

const eb_report_format eb_format_json = {
    .name = "json",
    .description = "every table, its notes and the inputs, numbers in base units",
    .shows_notes = true,
    .render = render_json,
};
