/* settings.h — execbench's settings, declared once: the values a run reads
 * (eb_settings) and, in the table below them, for each one its flag, value,
 * bounds, default, help, whether the point process gets it and under which
 * key the document's context records it. Option parsing, --help, the point
 * process's arguments and the context are all produced from the table
 * (settings.c); adding an option is a field and a table entry here, and the
 * code that uses the value. */
#ifndef EB_SETTINGS_H
#define EB_SETTINGS_H

#include "results.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EB_MAX_WORKERS 1000000
#define EB_MAX_TASKS INT64_C(100000000)
#define EB_MAX_POINTS 10000
#define EB_SETTINGS_MAX_VALUES 32 /* values of a repeatable flag (--param) */

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

typedef struct eb_settings {
    /* The plan: a preset, or the lists whose cross product it is (plan.c). */
    const char *preset;
    const char *workload, *executor, *workers, *tasks, *pin, *cpuset;
    eb_setting_values param;
    /* Measurement: what every point of a run shares (the point gets them). */
    int64_t coro_backend; /* an eb_coro_backend */
    int64_t repetitions;
    int64_t warmup;
    int64_t timeout_ns;
    int64_t seed;
    /* Output and what the program does. */
    const char *out;
    int64_t repeat_run;
    eb_setting_optional micro;
    bool quiet, list, help, version;
    bool point; /* hidden: run one point in this process (the parent's child) */
    /* The mpi executor's (runner/executors/mpi_config.h; the point gets them). */
    const char *mpi_hostfile, *mpi_hosts, *mpi_args, *rank_executor;
    int64_t mpi_claim, mpi_binding, rank_workers;

    bool given[64]; /* by table entry: given on the command line */
} eb_settings;

typedef enum eb_setting_kind {
    EB_SETTING_INT,      /* a whole number in [min, max] (int64_t) */
    EB_SETTING_SECONDS,  /* decimal seconds in (0, max]; kept in ns (int64_t) */
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
    int64_t min, max;                /* INT: bounds; SECONDS: max, in seconds */
    int64_t value;                   /* INT, CHOICE: the default; SECONDS: in seconds */
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

/* The table, in --help's order (defined at the end of this file). */
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

/* What the table's entries call (settings_names.c): names from the
 * registries for --help and messages, and checks of a value. */
void eb_names_presets(char *buf, size_t len);
void eb_names_preset_repetitions(char *buf, size_t len);
void eb_names_workloads(char *buf, size_t len);
void eb_names_workload_tasks(char *buf, size_t len);
void eb_names_executors(char *buf, size_t len);
void eb_names_executor_workers(char *buf, size_t len);
void eb_names_pin_policies(char *buf, size_t len);
void eb_names_backends(char *buf, size_t len);
const char *eb_names_backend(size_t i);
int eb_check_preset(const char *value, char *why, size_t why_len);
int eb_check_micro_filter(const char *value, char *why, size_t why_len);
/* The mpi executor's settings (settings_mpi.c). */
const char *eb_names_mpi_claim(size_t i);
const char *eb_names_mpi_binding(size_t i);
void eb_names_rank_executors(char *buf, size_t len);
int eb_check_rank_executor(const char *value, char *why, size_t why_len);

/* ---- the table ------------------------------------------------------------------
 * Compiled into settings.c alone (which defines EB_SETTINGS_TABLE); it is here
 * so that an option's value and its entry are declared side by side. */
#ifdef EB_SETTINGS_TABLE

#define EB_AT(field) offsetof(eb_settings, field)

const eb_setting eb_setting_table[] = {
    /* Plan (the cross product of the lists; LIST is comma-separated) */
    {.flag = "preset",
     .arg = "NAME",
     .kind = EB_SETTING_TEXT,
     .section = EB_SECTION_PLAN,
     .offset = EB_AT(preset),
     .names = eb_names_presets,
     .check = eb_check_preset,
     .help = "{names} (--list describes them); cannot be combined with the plan flags below",
     .default_text = "default, when no plan flag is given"},
    {.flag = "workload",
     .arg = "LIST",
     .kind = EB_SETTING_LIST,
     .section = EB_SECTION_PLAN,
     .offset = EB_AT(workload),
     .plan = true,
     .names = eb_names_workloads,
     .help = "workloads, or all",
     .default_text = "all, i.e. {names}; the fault injectors (test.*) only when named"},
    {.flag = "executor",
     .arg = "LIST",
     .kind = EB_SETTING_LIST,
     .section = EB_SECTION_PLAN,
     .offset = EB_AT(executor),
     .plan = true,
     .names = eb_names_executors,
     .help = "{names}, or all",
     .default_text = "all, mpi only when named"},
    {.flag = "workers",
     .arg = "LIST",
     .kind = EB_SETTING_LIST,
     .section = EB_SECTION_PLAN,
     .offset = EB_AT(workers),
     .plan = true,
     .names = eb_names_executor_workers,
     .help = "workers per point, or auto",
     .default_text = "auto = {names}"},
    {.flag = "tasks",
     .arg = "LIST",
     .kind = EB_SETTING_LIST,
     .section = EB_SECTION_PLAN,
     .offset = EB_AT(tasks),
     .plan = true,
     .min = 1,
     .max = EB_MAX_TASKS,
     .names = eb_names_workload_tasks,
     .help = "tasks per point, {range}",
     .default_text = "the workload's own: {names}"},
    {.flag = "pin",
     .arg = "LIST",
     .kind = EB_SETTING_LIST,
     .section = EB_SECTION_PLAN,
     .offset = EB_AT(pin),
     .plan = true,
     .names = eb_names_pin_policies,
     .help = "{names}",
     .default_text = "compact"},
    {.flag = "cpuset",
     .arg = "LIST",
     .kind = EB_SETTING_TEXT,
     .section = EB_SECTION_PLAN,
     .offset = EB_AT(cpuset),
     .plan = true,
     .help = "pin worker i to the i-th CPU of LIST, e.g. 0-1 or 0,2",
     .default_text = "none; replaces --pin"},
    {.flag = "param",
     .arg = "KEY=V[,V...]",
     .kind = EB_SETTING_REPEAT,
     .section = EB_SECTION_PLAN,
     .offset = EB_AT(param),
     .plan = true,
     .help = "a workload parameter, repeatable",
     .default_text = "the workload's; --list shows them with bounds and units"},

    /* Measurement */
    {.flag = "coro-backend",
     .arg = "NAME",
     .kind = EB_SETTING_CHOICE,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(coro_backend),
     .value = 0,
     .choice = eb_names_backend,
     .noun = "backend",
     .names = eb_names_backends,
     .help = "the coroutines' context switch: {names}",
     .point = true,
     .context_key = "coro_backend"},
    {.flag = "repetitions",
     .arg = "N",
     .kind = EB_SETTING_INT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(repetitions),
     .min = 1,
     .max = 1000,
     .value = 5,
     .names = eb_names_preset_repetitions,
     .help = "timed runs per point, {range}",
     .default_text = "5, or the preset's: {names}",
     .point = true,
     .context_key = EB_KEY_REPETITIONS},
    {.flag = "warmup",
     .arg = "N",
     .kind = EB_SETTING_INT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(warmup),
     .min = 0,
     .max = 100,
     .value = 1,
     .help = "untimed, verified runs before them, {range}",
     .point = true,
     .context_key = "warmup"},
    {.flag = "timeout",
     .arg = "SECONDS",
     .kind = EB_SETTING_SECONDS,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(timeout_ns),
     .max = 7 * 86400,
     .value = 120,
     .help = "per point, warm-up included",
     .context_key = "timeout_s"},
    {.flag = "seed",
     .arg = "N",
     .kind = EB_SETTING_INT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(seed),
     .min = 0,
     .max = INT64_MAX,
     .value = 1,
     .help = "seed for workloads with randomness",
     .point = true,
     .context_key = "seed"},

    /* The mpi executor (--executor mpi): ranks = --workers */
    {.flag = "mpi-hostfile",
     .arg = "FILE",
     .kind = EB_SETTING_TEXT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(mpi_hostfile),
     .help = "mpi: Open MPI's hostfile (a host per line, slots=N), passed to mpirun",
     .default_text = "this host only",
     .point = true,
     .context_key = "mpi_hostfile",
     .context_if_given = true},
    {.flag = "mpi-hosts",
     .arg = "LIST",
     .kind = EB_SETTING_TEXT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(mpi_hosts),
     .help = "mpi: hosts for mpirun --host, e.g. a:2,b:2",
     .default_text = "this host only",
     .point = true,
     .context_key = "mpi_hosts",
     .context_if_given = true},
    {.flag = "mpi-args",
     .arg = "ARGS",
     .kind = EB_SETTING_TEXT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(mpi_args),
     .help = "mpi: more mpirun arguments, split at blanks, e.g. \"--mca btl tcp,self\"",
     .default_text = "none",
     .point = true,
     .context_key = "mpi_args",
     .context_if_given = true},
    {.flag = "mpi-claim",
     .arg = "NAME",
     .kind = EB_SETTING_CHOICE,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(mpi_claim),
     .value = 0,
     .choice = eb_names_mpi_claim,
     .noun = "claim",
     .help = "mpi: how ranks take tasks: dynamic (fetch-and-add on a window at rank 0) or "
             "static (rank r's contiguous block)",
     .point = true,
     .context_key = "mpi_claim",
     .context_if_given = true},
    {.flag = "mpi-binding",
     .arg = "NAME",
     .kind = EB_SETTING_CHOICE,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(mpi_binding),
     .value = 0,
     .choice = eb_names_mpi_binding,
     .noun = "binding",
     .help = "mpi: execbench (--pin per local rank through hwloc; mpirun --bind-to none) or "
             "openmpi (mpirun's own binding)",
     .point = true,
     .context_key = "mpi_binding",
     .context_if_given = true},
    {.flag = "rank-executor",
     .arg = "NAME",
     .kind = EB_SETTING_TEXT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(rank_executor),
     .names = eb_names_rank_executors,
     .check = eb_check_rank_executor,
     .help = "mpi: what runs each rank's share (MPI+X): {names}",
     .default_text = "sequential",
     .point = true,
     .context_key = "rank_executor",
     .context_if_given = true},
    {.flag = "rank-workers",
     .arg = "N",
     .kind = EB_SETTING_INT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(rank_workers),
     .min = 0,
     .max = EB_MAX_WORKERS,
     .value = 1,
     .help = "mpi: workers of each rank's executor, {range}; 0 = unbounded (coroutine)",
     .point = true,
     .context_key = "rank_workers",
     .context_if_given = true},

    /* Output */
    {.flag = "out",
     .arg = "FILE",
     .kind = EB_SETTING_TEXT,
     .section = EB_SECTION_OUTPUT,
     .offset = EB_AT(out),
     .help = "the results file, replaced whole when the run ends (a symbolic link: its "
             "target, in the target's folder); a device, FIFO or socket is written through, "
             "never replaced (/dev/null discards the document); - or /dev/stdout puts the "
             "document alone on stdout, the table then on stderr",
     .default_text = "a new file results/<host>-<YYYYmmdd-HHMMSS>.json, with -2, -3, ... "
                     "when that name exists, copied to results/latest.json; a run "
                     "interrupted or without a finished point goes to "
                     "results/latest-interrupted.json instead"},
    {.flag = "repeat-run",
     .arg = "N",
     .kind = EB_SETTING_INT,
     .section = EB_SECTION_OUTPUT,
     .offset = EB_AT(repeat_run),
     .min = 1,
     .max = 10000,
     .value = 1,
     .help = "run the whole plan N times, {range}, each run its own document (FILE-runK.json; "
             "a device, FIFO or stdout takes them in turn); checks every run measured the "
             "same points and reports the parent's open files and memory from first to last "
             "(a soak)"},
    {.flag = "micro",
     .arg = "[=FILTER]",
     .kind = EB_SETTING_OPTIONAL,
     .section = EB_SECTION_OUTPUT,
     .offset = EB_AT(micro),
     .check = eb_check_micro_filter,
     .help = "also run execbench-micro (beside this program) and fold its micro.* rows into "
             "the document; FILTER is its --benchmark_filter regex",
     .default_text = "off; all when given"},
    {.flag = "quiet",
     .kind = EB_SETTING_SWITCH,
     .section = EB_SECTION_OUTPUT,
     .offset = EB_AT(quiet),
     .help = "no progress on stderr and no table"},
    {.flag = "list",
     .kind = EB_SETTING_SWITCH,
     .section = EB_SECTION_OUTPUT,
     .offset = EB_AT(list),
     .help = "list workloads, parameters, executors, pin policies and presets, then exit"},
    {.flag = "help",
     .kind = EB_SETTING_SWITCH,
     .section = EB_SECTION_OUTPUT,
     .offset = EB_AT(help),
     .help = "this text"},
    {.flag = "version",
     .kind = EB_SETTING_SWITCH,
     .section = EB_SECTION_OUTPUT,
     .offset = EB_AT(version),
     .help = "the version and build"},
    {.flag = "point",
     .kind = EB_SETTING_SWITCH,
     .section = EB_SECTION_HIDDEN,
     .offset = EB_AT(point),
     .help = "run the one point the flags name, in this process"},
};
const size_t eb_setting_count = sizeof eb_setting_table / sizeof *eb_setting_table;

#undef EB_AT
#endif /* EB_SETTINGS_TABLE */

#endif
