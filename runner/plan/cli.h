/* cli.h — execbench's command line: flags into a plan block and settings. */
#ifndef EB_CLI_H
#define EB_CLI_H

#include "plan.h"

#include <stdbool.h>
#include <stdio.h>

#define EB_CLI_MAX_PARAMS 32

typedef struct eb_cli {
    bool help, version, list, quiet;
    bool point;          /* hidden: run one point in this process (the parent's child) */
    const char *preset;  /* NULL: none named */
    eb_plan_block block; /* the plan flags */
    const char *params[EB_CLI_MAX_PARAMS];
    bool plan_flags; /* any of --workload --executor --workers --tasks --pin --cpuset --param */
    bool repetitions_given;
    eb_plan_settings settings;
    const char *out; /* NULL: results/<host>-<stamp>.json and results/latest.json */
    int repeat_runs; /* --repeat-run: the whole plan this many times, a document each */
    bool micro;
    const char *micro_filter; /* NULL: every micro benchmark */
} eb_cli;

/* Parses argv (argv is permuted, not otherwise changed). Returns 0, or -EINVAL
 * with a one-line explanation in `why` (without the program name). Never
 * exits and may be called again on another argv (runner/plan/fuzz/fuzz_cli.c). */
int eb_cli_parse(int argc, char **argv, eb_cli *cli, char *why, size_t why_len);

/* Builds the plan the command line asks for into `plan` (eb_plan_init'ed):
 * its preset, the default preset when it names neither a preset nor plan
 * flags, else its plan flags; with its settings. Notes on what was left out
 * go to `notes` (may be NULL). 0, or a negative errno with `why`. */
int eb_cli_plan(const eb_cli *cli, const eb_topology *topo, FILE *notes, eb_plan *plan,
                char *why, size_t why_len);

/* --help: every flag with its default. */
void eb_cli_help(FILE *f);
/* --list: workloads (with parameters), executors, pin policies, presets. */
void eb_cli_list(FILE *f);

#endif
