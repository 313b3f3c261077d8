/* render.h — one report (report.h), several renderers: the output formats.
 *
 * Each format is a `const eb_report_format` in a file of its own kind (the
 * human ones in render_text.c, the machine ones in render_data.c) and one
 * line in formats.c, the registry: a new format is one file and one line, and
 * --format and --help take it from the registry. */
#ifndef EB_RENDER_H
#define EB_RENDER_H

#include "report.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct eb_report_format {
    const char *name;        /* what --format takes: "console" */
    const char *description; /* one line for --help */
    bool color;              /* may colour its cells (on a terminal) */
    bool shows_notes;        /* has a place for the lines above and under the tables */
    /* Writes the report: 0, or -ENOMEM (write errors are the stream's). */
    int (*render)(const eb_report *report, bool color, FILE *out);
} eb_report_format;

/* The registry (formats.c), the default first. */
extern const eb_report_format *const eb_report_formats[];
extern const size_t eb_report_format_count;
const eb_report_format *eb_report_format_find(const char *name);

/* "console, markdown, csv or json": the names, for messages and --help. */
void eb_report_format_names(char *buf, size_t len);

/* Writes the report in `format`; colour only where the format has it.
 * Returns 0, or -EIO when the stream reports a write error, or -ENOMEM. */
int eb_render(const eb_report *report, const eb_report_format *format, bool color, FILE *out);

/* Writes s as one CSV field (RFC 4180): quoted when it holds a comma, a
 * quote, a line break, or a space at either end. */
void eb_csv_field(FILE *out, const char *s);

/* Whether a human renderer shows column c of table t: a human column with at
 * least one non-empty cell. */
bool eb_column_shown(const eb_table *t, size_t c);

#endif
