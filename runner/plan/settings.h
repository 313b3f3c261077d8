/* settings.h — execbench's settings, declared once: the values a run reads
 * (eb_settings) and, in the table below them, for each one its flag, value,
 * bounds, default, help, whether the point process gets it and under which
 * key the document's context records it. Option parsing, --help, the point
 * process's arguments and the context are all produced from the table
 * (settings.c); adding an option is a field and a table entry here (or in
 * the header of its group, such as settings_rounds.h, which holds both), and
 * the code that uses the value. */
#ifndef EB_SETTINGS_H
#define EB_SETTINGS_H

#include "settings_entry.h"
#include "settings_names.h"
#include "settings_mpi.h"
#include "settings_rounds.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EB_MAX_WORKERS 1000000
#define EB_MAX_TASKS INT64_C(100000000)
#define EB_MAX_POINTS 10000
#define EB_MAX_GIL_INTERVAL_US 10000000 /* 10 s */
#define EB_SETTING_TEXT_MAX 160         /* a text setting the point gets, as its argument */

typedef struct eb_settings {
    /* The plan: a preset, or the lists whose cross product it is (plan.c). */
    const char *preset;
    const char *workload, *executor, *workers, *tasks, *pin, *cpuset;
    eb_setting_values param;
    const char *gil, *gil_interval_us; /* the GIL emulation (gil.h): off/on, its intervals */
    const char *coro_stack;
    /* Measurement: what every point of a run shares (the point gets them). */
    int64_t coro_backend; /* an eb_coro_backend */
    int64_t repetitions;
    int64_t warmup;
    int64_t timeout_ns;
    int64_t seed;
    int64_t spawn; /* 1: --spawn apart (job.h: spawn_apart) */
    /* A workload's own server and I/O (net.http; the point gets them). */
    int64_t reactor; /* an eb_reactor_kind */
    int64_t server_threads;
    const char *server_cpuset;
    eb_rounds_settings rounds; /* --order and the rounds' rules (settings_rounds.h) */
    eb_mpi_settings mpi;       /* the mpi executor's (settings_mpi.h) */
    /* Output and what the program does. */
    const char *out;
    int64_t repeat_run;
    eb_setting_optional micro;
    bool quiet, list, help, version;
    bool point; /* hidden: run one point in this process (the parent's child) */
    bool serve; /* hidden: with --point, stay alive and run when told (protocol.h) */

    bool given[64]; /* by table entry: given on the command line */
} eb_settings;

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
    {.flag = "gil",
     .arg = "LIST",
     .kind = EB_SETTING_LIST,
     .section = EB_SECTION_PLAN,
     .offset = EB_AT(gil),
     .plan = true,
     .help = "off, on, or off,on: threads (threaded, hybrid) take turns on an emulation of "
             "CPython's GIL (Python/ceval_gil.c); one thread per process never waits for it, so "
             "the other executors get no GIL points",
     .default_text = "off"},
    {.flag = "gil-interval-us",
     .arg = "LIST",
     .kind = EB_SETTING_LIST,
     .section = EB_SECTION_PLAN,
     .offset = EB_AT(gil_interval_us),
     .plan = true,
     .min = 1,
     .max = EB_MAX_GIL_INTERVAL_US,
     .help = "with --gil on: the switch interval in microseconds (CPython's "
             "sys.setswitchinterval), {range}",
     .default_text = "5000, as CPython's"},
    {.flag = "coro-stack",
     .arg = "LIST",
     .kind = EB_SETTING_LIST,
     .section = EB_SECTION_PLAN,
     .offset = EB_AT(coro_stack),
     .plan = true,
     .names = eb_names_coro_stacks,
     .help = "where coroutines (coroutine and hybrid executors) keep their frames: {names}; "
             "separate: a stack each (a 64 KiB guarded one while 8 x coroutines <= "
             "vm.max_map_count, else a 4 KiB page); copy: one run stack per thread, a parked "
             "coroutine's frames copied to a buffer of their size (~580 B a task), and under "
             "hybrid it stays on its thread (no stealing); a mode other than auto is named in "
             "the point (/stack:copy)",
     .default_text = "auto: separate while every stack gets a guard page (up to 8,191 "
                     "coroutines in flight with vm.max_map_count 65530), copy beyond (README: "
                     "Scale)"},

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
     .help = "timed runs per point (interleaved: rounds, at least), {range}",
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
     .help = "per point, warm-up included (interleaved: its warm-up, each repetition)",
     .context_key = "timeout_s"},
    {.flag = "seed",
     .arg = "N",
     .kind = EB_SETTING_INT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(seed),
     .min = 0,
     .max = INT64_MAX,
     .value = 1,
     .help = "seed for workloads with randomness, the order of the rounds and the bootstrap "
             "of the intervals",
     .point = true,
     .context_key = EB_KEY_SEED},
#define EB_SETTINGS_ENTRIES
#include "settings_rounds.h"
#include "settings_mpi.h"
#undef EB_SETTINGS_ENTRIES
    {.flag = "spawn",
     .arg = "NAME",
     .kind = EB_SETTING_CHOICE,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(spawn),
     .value = 0,
     .choice = eb_names_spawn,
     .noun = "spawn",
     .names = eb_names_spawns,
     .help = "timed: the executor's start-up (creating threads, forking, pinning, worker_init) "
             "is inside the timed job, as in the articles; apart: threaded, multiprocess and "
             "hybrid start their workers before the clock and time the tasks alone, as mpi "
             "always does (its launch is mpirun); spawn_ns gives the start-up either way, and "
             "the coroutine executor's start-up, starting its tasks, stays timed",
     .point = true,
     .context_key = "spawn"},
    {.flag = "reactor",
     .arg = "NAME",
     .kind = EB_SETTING_CHOICE,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(reactor),
     .value = 0,
     .choice = eb_names_reactor,
     .noun = "reactor",
     .names = eb_names_reactors,
     .help = "how the coroutine executor waits for sockets (net.http): {names}",
     .point = true,
     .context_key = "reactor"},
    {.flag = "server-threads",
     .arg = "N",
     .kind = EB_SETTING_INT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(server_threads),
     .min = 1,
     .max = 64,
     .value = 1,
     .help = "event-loop threads of net.http's loopback server (SO_REUSEPORT), {range}",
     .point = true,
     .context_key = "server_threads"},
    {.flag = "server-cpuset",
     .arg = "LIST",
     .kind = EB_SETTING_TEXT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(server_cpuset),
     .check = eb_check_server_cpuset,
     .help = "the CPUs net.http's server may run on, e.g. 1 or 2-3",
     .default_text = "any",
     .point = true,
     .context_key = "server_cpuset"},

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
    {.flag = "serve",
     .kind = EB_SETTING_SWITCH,
     .section = EB_SECTION_HIDDEN,
     .offset = EB_AT(serve),
     .help = "with --point: stay alive and run a repetition when told on fd 5"},
};
const size_t eb_setting_count = sizeof eb_setting_table / sizeof *eb_setting_table;

#undef EB_AT
#endif /* EB_SETTINGS_TABLE */

#endif
