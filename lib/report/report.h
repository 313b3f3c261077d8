/* report.h — the run record of execbench-compare: what a command found, before
 * any formatting decision. `summary` and `diff` fill one; the renderers
 * (render.h) turn the same record into console, markdown, csv or json, as
 * Google Benchmark's reporters do over one run.
 *
 * A report is tables of cells. A cell carries its value (a number in base
 * units: ns, a ratio, a p-value) for the machine formats, and its text for the
 * human ones; columns say which formats show them. */
#ifndef EB_REPORT_H
#define EB_REPORT_H

#include "words.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum eb_cell_kind {
    EB_CELL_EMPTY = 0,
    EB_CELL_TEXT,
    EB_CELL_INT,
    EB_CELL_REAL,
    EB_CELL_BOOL,
} eb_cell_kind;

/* How a human renderer may emphasise a cell (colour on a TTY, bold in markdown). */
typedef enum eb_style {
    EB_STYLE_PLAIN = 0,
    EB_STYLE_GOOD, /* faster, significant */
    EB_STYLE_BAD,  /* slower and significant; an error */
    EB_STYLE_WARN, /* too few repetitions, unreliable */
    EB_STYLE_BEST, /* the winner of its group */
    EB_STYLE_DIM,  /* no significant difference */
} eb_style;

typedef struct eb_cell {
    eb_cell_kind kind;
    eb_style style;
    char *text; /* what humans read; NULL for EMPTY */
    double real;
    int64_t integer;
    bool boolean;
} eb_cell;

enum {
    EB_COL_HUMAN = 1,   /* console and markdown */
    EB_COL_MACHINE = 2, /* csv and json */
    EB_COL_BOTH = 3,
    /* Human renderers move a column whose every row holds the same text into
     * the table's title ("cpu.sumsq (tasks 20, pin compact)"); BARE leaves out
     * the column's title there ("n=5000000"). */
    EB_COL_HOIST = 4,
    EB_COL_HOIST_BARE = 8,
};

typedef struct eb_column {
    char *key;   /* json / csv name: "median_ns" */
    char *title; /* console / markdown heading: "median" */
    unsigned formats;
    bool align_left;
} eb_column;

enum {
    EB_ROW_TOTAL = 1, /* a summary row (the geometric mean), set apart */
};

typedef struct eb_table {
    char *title;
    size_t col_count, row_count, row_cap;
    eb_column *cols;
    eb_cell *cells; /* row-major, row_count x col_count */
    unsigned *row_flags;
    char **notes; /* lines shown under the table */
    size_t note_count;
} eb_table;

typedef struct eb_report {
    char *command; /* "summary" or "diff" */
    char **notes;  /* lines before the tables: the inputs */
    size_t note_count;
    char **footnotes; /* lines after the tables: how to read them */
    size_t footnote_count;
    eb_table **tables;
    size_t table_count;
    /* Key/value facts for the json renderer's top level ("alpha": 0.05 ...). */
    char **fact_keys;
    eb_cell *fact_values;
    size_t fact_count;
} eb_report;

/* All functions return 0 or -ENOMEM unless said otherwise. */
eb_report *eb_report_new(const char *command);
void eb_report_free(eb_report *report);
int eb_report_note(eb_report *report, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int eb_report_footnote(eb_report *report, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int eb_report_fact(eb_report *report, const char *key, eb_cell value);

/* Adds a table with these columns; returns it, or NULL when out of memory. */
eb_table *eb_report_table(eb_report *report, const char *title, const eb_column *cols,
                          size_t col_count);
/* Adds an empty row; returns its index, or -ENOMEM. */
long eb_table_add_row(eb_table *table, unsigned flags);
/* Sets a cell (replacing what was there); the cell takes a copy of text. */
int eb_table_set(eb_table *table, size_t row, size_t col, eb_cell cell);
eb_cell *eb_table_cell(const eb_table *table, size_t row, size_t col);
/* The index of the column whose key is `key`, or -1: how a reader of a
 * report (export, trend) finds a figure by the name csv and json give it. */
long eb_table_column(const eb_table *table, const char *key);
int eb_table_note(eb_table *table, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Cell constructors: the text is copied by eb_table_set. */
eb_cell eb_cell_text(const char *text, eb_style style);
eb_cell eb_cell_int(int64_t value, eb_style style);
eb_cell eb_cell_bool(bool value, const char *text, eb_style style);
/* A real with the text humans read ("10.08 ms", "+4.2%", "1.93x"). A value
 * that is not finite becomes an empty cell. */
eb_cell eb_cell_real(double value, const char *text, eb_style style);

/* Human formats for the common quantities, written into buf (>= 32 bytes). */
const char *eb_fmt_time_ns(double ns, char *buf, size_t len);                  /* "10.08 ms" */
const char *eb_fmt_ratio(double ratio, char *buf, size_t len);                 /* "1.93x" */
const char *eb_fmt_percent(double fraction, bool sign, char *buf, size_t len); /* "+4.20%" */
const char *eb_fmt_pvalue(double p, char *buf, size_t len);                    /* "0.0079" */
/* With a 95% interval: "1.97x [1.94-2.00]", "98.5% [97.0-99.1]" (one decimal:
 * EB_INTERVAL_PERCENT_STEP); the plain form when the interval is unknown. */
const char *eb_fmt_ratio_interval(double ratio, double low, double high, char *buf, size_t len);
const char *eb_fmt_percent_interval(double fraction, double low, double high, char *buf,
                                    size_t len);
#define EB_INTERVAL_PERCENT_STEP 1e-3

#endif
