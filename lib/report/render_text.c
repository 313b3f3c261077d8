/* render_text.c — the human formats: console and markdown. */
#include "render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *cell_text(const eb_cell *cell)
{
    return cell->kind == EB_CELL_EMPTY || cell->text == NULL ? "" : cell->text;
}

/* A hoistable column whose rows all say the same (non-empty) thing. */
static bool column_hoisted(const eb_table *t, size_t c)
{
    if (!(t->cols[c].formats & EB_COL_HOIST) || t->row_count == 0) return false;
    const char *first = cell_text(eb_table_cell(t, 0, c));
    if (*first == '\0') return false;
    for (size_t r = 1; r < t->row_count; r++)
        if (strcmp(cell_text(eb_table_cell(t, r, c)), first) != 0) return false;
    return true;
}

bool eb_column_shown(const eb_table *t, size_t c)
{
    if (!(t->cols[c].formats & EB_COL_HUMAN) || column_hoisted(t, c)) return false;
    for (size_t r = 0; r < t->row_count; r++)
        if (eb_table_cell(t, r, c)->kind != EB_CELL_EMPTY) return true;
    return false;
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

/* Writes s with control characters (a name may hold "\n") shown as '?', so a
 * row stays one line; in markdown '|' and '\' are escaped. */
static void put_text(FILE *out, const char *s, bool markdown)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch == 0x7f)
            fputc('?', out);
        else if (markdown && (ch == '|' || ch == '\\' || ch == '*' || ch == '_' || ch == '`')) {
            fputc('\\', out);
            fputc(ch, out);
        } else
            fputc(ch, out);
    }
}

/* The title, then the hoisted columns: "io.sleep (tasks 160, latency_us=10000)". */
static void put_title(FILE *out, const eb_table *t, bool markdown)
{
    put_text(out, t->title, markdown);
    bool open = false;
    for (size_t c = 0; c < t->col_count; c++) {
        if (!(t->cols[c].formats & EB_COL_HUMAN) || !column_hoisted(t, c)) continue;
        fputs(open ? ", " : " (", out);
        open = true;
        if (!(t->cols[c].formats & EB_COL_HOIST_BARE)) {
            put_text(out, t->cols[c].title, markdown);
            fputc(' ', out);
        }
        put_text(out, cell_text(eb_table_cell(t, 0, c)), markdown);
    }
    if (open) fputc(')', out);
}

static const char *style_code(eb_style style)
{
    switch (style) {
    case EB_STYLE_GOOD:
        return "\033[32m";
    case EB_STYLE_BAD:
        return "\033[31m";
    case EB_STYLE_WARN:
        return "\033[33m";
    case EB_STYLE_BEST:
        return "\033[1;32m";
    case EB_STYLE_DIM:
        return "\033[2m";
    case EB_STYLE_PLAIN:
        break;
    }
    return NULL;
}

/* ---- console -------------------------------------------------------------- */

/* A line whose blanks are written only when text follows them, so no line
 * ends in spaces whatever columns are empty. */
typedef struct line_writer {
    FILE *out;
    size_t pending;
} line_writer;

static void lw_text(line_writer *lw, const char *text, const char *code)
{
    if (*text == '\0') return;
    while (lw->pending) {
        fputc(' ', lw->out);
        lw->pending--;
    }
    if (code) fputs(code, lw->out);
    put_text(lw->out, text, false);
    if (code) fputs("\033[0m", lw->out);
}

static void lw_end(line_writer *lw)
{
    lw->pending = 0;
    fputc('\n', lw->out);
}

static void lw_cell(line_writer *lw, const char *text, size_t width, bool left, const char *code)
{
    size_t pad = width - text_width(text);
    lw->pending += 2;
    if (!left) lw->pending += pad;
    lw_text(lw, text, code); /* an empty cell writes nothing: its room stays pending */
    if (left) lw->pending += pad;
}

static void rule(FILE *out, size_t width)
{
    fputs("  ", out);
    for (size_t i = 2; i < width; i++)
        fputc('-', out);
    fputc('\n', out);
}

/* Which columns a human sees, worked out once per table (each test reads every row). */
static bool *shown_columns(const eb_table *t)
{
    bool *shown = calloc(t->col_count ? t->col_count : 1, sizeof *shown);
    if (shown != NULL)
        for (size_t c = 0; c < t->col_count; c++)
            shown[c] = eb_column_shown(t, c);
    return shown;
}

static int console_table(const eb_table *t, bool color, FILE *out)
{
    size_t *width = calloc(t->col_count ? t->col_count : 1, sizeof *width);
    bool *shown = shown_columns(t);
    if (width == NULL || shown == NULL) {
        free(width);
        free(shown);
        return -ENOMEM;
    }
    size_t line_width = 0;
    for (size_t c = 0; c < t->col_count; c++) {
        if (!shown[c]) continue;
        width[c] = text_width(t->cols[c].title);
        for (size_t r = 0; r < t->row_count; r++) {
            size_t w = text_width(cell_text(eb_table_cell(t, r, c)));
            if (w > width[c]) width[c] = w;
        }
        line_width += width[c] + 2;
    }

    if (color) fputs("\033[1m", out);
    put_title(out, t, false);
    if (color) fputs("\033[0m", out);
    fputc('\n', out);

    line_writer lw = {out, 0};
    if (line_width > 0) {
        for (size_t c = 0; c < t->col_count; c++)
            if (shown[c]) lw_cell(&lw, t->cols[c].title, width[c], t->cols[c].align_left, NULL);
        lw_end(&lw);
        rule(out, line_width);
        for (size_t r = 0; r < t->row_count; r++) {
            if (t->row_flags[r] & EB_ROW_TOTAL) rule(out, line_width);
            for (size_t c = 0; c < t->col_count; c++) {
                if (!shown[c]) continue;
                const eb_cell *cell = eb_table_cell(t, r, c);
                lw_cell(&lw, cell_text(cell), width[c], t->cols[c].align_left,
                        color ? style_code(cell->style) : NULL);
            }
            lw_end(&lw);
        }
    }
    for (size_t i = 0; i < t->note_count; i++) {
        fputs("  ", out);
        put_text(out, t->notes[i], false);
        fputc('\n', out);
    }
    free(width);
    free(shown);
    return 0;
}

static int render_console(const eb_report *r, bool color, FILE *out)
{
    for (size_t i = 0; i < r->note_count; i++) {
        put_text(out, r->notes[i], false);
        fputc('\n', out);
    }
    for (size_t i = 0; i < r->table_count; i++) {
        fputc('\n', out);
        int rc = console_table(r->tables[i], color, out);
        if (rc != 0) return rc;
    }
    if (r->footnote_count > 0) fputc('\n', out);
    for (size_t i = 0; i < r->footnote_count; i++) {
        put_text(out, r->footnotes[i], false);
        fputc('\n', out);
    }
    return 0;
}

/* ---- markdown ------------------------------------------------------------- */

static void markdown_cell(FILE *out, const eb_cell *cell)
{
    const char *text = cell_text(cell);
    bool strong = *text && (cell->style == EB_STYLE_BEST || cell->style == EB_STYLE_BAD);
    fputc(' ', out);
    if (strong) fputs("**", out);
    put_text(out, text, true);
    if (strong) fputs("**", out);
    fputs(" |", out);
}

static int markdown_table(const eb_table *t, FILE *out)
{
    bool *shown = shown_columns(t);
    if (shown == NULL) return -ENOMEM;
    fputs("### ", out);
    put_title(out, t, true);
    fputs("\n\n", out);
    bool any = false;
    for (size_t c = 0; c < t->col_count; c++)
        any = any || shown[c];
    if (any) {
        fputc('|', out);
        for (size_t c = 0; c < t->col_count; c++) {
            if (!shown[c]) continue;
            fputc(' ', out);
            put_text(out, t->cols[c].title, true);
            fputs(" |", out);
        }
        fputs("\n|", out);
        for (size_t c = 0; c < t->col_count; c++)
            if (shown[c]) fputs(t->cols[c].align_left ? ":---|" : "---:|", out);
        fputc('\n', out);
        for (size_t r = 0; r < t->row_count; r++) {
            fputc('|', out);
            for (size_t c = 0; c < t->col_count; c++)
                if (shown[c]) markdown_cell(out, eb_table_cell(t, r, c));
            fputc('\n', out);
        }
    }
    if (t->note_count > 0) fputc('\n', out);
    for (size_t i = 0; i < t->note_count; i++) {
        put_text(out, t->notes[i], true);
        fputs(i + 1 < t->note_count ? "<br>\n" : "\n", out);
    }
    fputc('\n', out);
    free(shown);
    return 0;
}

static int render_markdown(const eb_report *r, bool color, FILE *out)
{
    (void)color;
    for (size_t i = 0; i < r->note_count; i++) {
        put_text(out, r->notes[i], true);
        fputs(i + 1 < r->note_count ? "<br>\n" : "\n", out);
    }
    if (r->note_count > 0) fputc('\n', out);
    for (size_t i = 0; i < r->table_count; i++) {
        int rc = markdown_table(r->tables[i], out);
        if (rc != 0) return rc;
    }
    for (size_t i = 0; i < r->footnote_count; i++) {
        fputs("- ", out);
        put_text(out, r->footnotes[i], true);
        fputc('\n', out);
    }
    return 0;
}

const eb_report_format eb_format_console = {
    .name = "console",
    .description = "aligned columns, colour on a terminal",
    .color = true,
    .shows_notes = true,
    .render = render_console,
};

const eb_report_format eb_format_markdown = {
    .name = "markdown",
    .description = "GitHub tables, fit for a CI job summary",
    .shows_notes = true,
    .render = render_markdown,
};
