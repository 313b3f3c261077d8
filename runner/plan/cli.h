/* cli.h — execbench's command line: the settings table's flags (settings.h)
 * into settings and a plan block, and the plan they ask for. */
#ifndef EB_CLI_H
#define EB_CLI_H

#include "plan.h"
#include "settings.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct eb_cli {
    eb_settings settings; /* every flag's value */
    eb_plan_block block;  /* the plan flags, as a block of the plan */
    bool plan_flags;      /* any plan flag was given */
} eb_cli;

/* Parses argv (argv is permuted, not otherwise changed). Returns 0, or -EINVAL
 * with a one-line explanation in `why` (without the program name). Never
 * exits and may be called again on another argv (runner/plan/fuzz/fuzz_cli.c). */
int eb_cli_parse(int argc, char **argv, eb_cli *cli, char *why, size_t why_len);

/* Builds the plan the command line asks for into `plan` (eb_plan_init'ed):
 * its preset, the default preset when it names neither a preset nor plan
 * flags, else its plan flags; with its settings. Notes on what was left out
 * go to `notes` (may be NULL). 0, or a negative errno with `why`. */
int eb_cli_plan(const eb_cli *cli, const eb_topology *topo, FILE *notes, eb_plan *plan, char *why,
                size_t why_len);

/* --help: every flag with its default, from the settings table. */
void eb_cli_help(FILE *f);
/* --list: workloads (with parameters), executors, pin policies, presets:
 * each from its registry. */
void eb_cli_list(FILE *f);

#endif
