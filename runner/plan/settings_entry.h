/* settings_entry.h — what a setting is (an entry of the settings table in
 * settings.h: its flag, kind, bounds, default, help, whether the point process
 * gets it and its context key) and what the table drives: parsing, --help,
 * the point process's arguments, the context (settings.c). */
#ifndef EB_SETTINGS_ENTRY_H
#define EB_SETTINGS_ENTRY_H

#include "results.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EB_SETTINGS_MAX_VALUES 32 /* values of a repeatable flag (--param) */

typedef struct eb_settings eb_settings; /* settings.h */

/* A flag that may be given again and again: every value, in order. */
typedef struct eb_setting_values {
    const char *value[EB_SETTINGS_MAX_VALUES];
    size_t count;
} eb_setting_values;

/* A switch that may take a value: --micro, --micro=FILTER. */
typedef struct eb_setting_optional {
    bool on;
    const char *value; /* NULL: given without one */
} eb_setting_optional;

typedef enum eb_setting_kind {
    EB_SETTING_INT,      /* a whole number in [min, max] (int64_t) */
    EB_SETTING_SECONDS,  /* decimal seconds in (0, max]; kept in ns (int64_t) */
    EB_SETTING_PERCENT,  /* a decimal percentage in [min, max] hundredths; kept in hundredths */
    EB_SETTING_CHOICE,   /* one of choice(0), choice(1), ...; kept as its index (int64_t) */
    EB_SETTING_TEXT,     /* a non-empty string, given once (const char *) */
    EB_SETTING_LIST,     /* a comma-separated list, given once; the plan reads it */
    EB_SETTING_REPEAT,   /* given as often as wanted (eb_setting_values) */
    EB_SETTING_SWITCH,   /* no value (bool) */
    EB_SETTING_OPTIONAL, /* a switch that may take =VALUE (eb_setting_optional) */
} eb_setting_kind;

typedef enum eb_setting_section {
    EB_SECTION_PLAN,
    EB_SECTION_MEASUREMENT,
    EB_SECTION_OUTPUT,
    EB_SECTION_HIDDEN, /* not in --help nor suggested */
} eb_setting_section;

typedef struct eb_setting {
    const char *flag; /* --flag */
    const char *arg;  /* its value in --help: "N", "LIST"; "[=FILTER]" for OPTIONAL */
    eb_setting_kind kind;
    eb_setting_section section;
    size_t offset;                   /* of its value in eb_settings */
    int64_t min, max;                /* INT, PERCENT: bounds; SECONDS: max, in seconds */
    int64_t value;                   /* INT, CHOICE, PERCENT: the default; SECONDS: in seconds */
    const char *(*choice)(size_t i); /* CHOICE: the i-th name; NULL past the last */
    const char *noun;                /* CHOICE: what a name is, in messages ("backend") */
    /* --help: the text, then "(default: ...)" from default_text or the value.
     * "{names}" in either is what names() writes (from a registry); "{range}"
     * is "min..max". */
    const char *help;
    const char *default_text;
    void (*names)(char *buf, size_t len);
    int (*check)(const char *value, char *why, size_t why_len); /* TEXT, OPTIONAL */
    bool plan;                                                  /* a plan flag: not with --preset */
    bool point;              /* the point process gets it (point_args.c) */
    const char *context_key; /* recorded in context.execbench under it; NULL: not */
    bool context_if_given;   /* only when given (a named-only executor's: mpi) */
} eb_setting;

/* The table, in --help's order (settings.h, compiled into settings.c). */
extern const eb_setting eb_setting_table[];
extern const size_t eb_setting_count;

/* Every setting at its default. */
void eb_settings_init(eb_settings *s);

/* Parses argv into s (argv is permuted, not otherwise changed): 0, or -EINVAL
 * with a one-line `why` (without the program's name). Long options by their
 * whole names only; a flag of one value given once. Never exits; may be
 * called again on another argv. */
int eb_settings_parse(int argc, char **argv, eb_settings *s, char *why, size_t why_len);

/* Whether the entry for `flag` was given on the command line. */
bool eb_settings_given(const eb_settings *s, const char *flag);

/* --help's flags, section by section under their headings. */
void eb_settings_help(FILE *f);

/* Appends "--flag=value" for every setting the point process gets; returns
 * how many were added, or -ENOMEM. add() copies the string it gets. */
int eb_settings_point_args(const eb_settings *s, int (*add)(void *arg, const char *text),
                           void *arg);

/* True when a and b agree on every setting the point process gets. */
bool eb_settings_point_equal(const eb_settings *a, const eb_settings *b);

/* Records every setting that has a context key in context.execbench. */
int eb_settings_to_context(const eb_settings *s, eb_results_doc *doc);

#endif
