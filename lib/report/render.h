/* render.h — one report (report.h), four renderers: console (aligned columns,
 * colour when asked), markdown (GitHub tables, fit for a CI job summary), csv
 * (one header, machine columns), json (typed values, base units). */
#ifndef EB_RENDER_H
#define EB_RENDER_H

#include "report.h"

#include <stdbool.h>
#include <stdio.h>

typedef enum eb_format {
    EB_FORMAT_CONSOLE = 0,
    EB_FORMAT_MARKDOWN,
    EB_FORMAT_CSV,
    EB_FORMAT_JSON,
} eb_format;

/* "console", "markdown", "csv" or "json" -> 0 and *out; otherwise -EINVAL. */
int eb_format_parse(const char *name, eb_format *out);

/* Writes the report; colour applies to the console format only. Returns 0, or
 * -EIO when the stream reports a write error, or -ENOMEM. */
int eb_render(const eb_report *report, eb_format format, bool color, FILE *out);

/* The renderers themselves (render_text.c, render_data.c). */
int eb_render_console(const eb_report *report, bool color, FILE *out);
int eb_render_markdown(const eb_report *report, FILE *out);
int eb_render_csv(const eb_report *report, FILE *out);
int eb_render_json(const eb_report *report, FILE *out);

/* Whether a human renderer shows column c of table t: a human column with at
 * least one non-empty cell. */
bool eb_column_shown(const eb_table *t, size_t c);

#endif
