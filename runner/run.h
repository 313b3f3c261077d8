/* run.h — the parent: every point of the plan in a fresh child process, one
 * at a time, merged into one document written at the end (or when
 * interrupted), then the table. */
#ifndef EB_RUN_H
#define EB_RUN_H

#include "cli.h"
#include "plan.h"
#include "results.h"

#include <stdio.h>

/* Returns the exit status: 0 all well, 1 some point failed or the document
 * could not be written, 2 a bad --out, 128+N interrupted by signal N.
 * `argv` is the command line as given (for the context). */
int eb_run(const eb_cli *cli, const eb_plan *plan, const eb_topology *topo, int argc,
           char *const argv[]);

/* The end table: the summary report of the run's document (its points,
 * and a closing line naming those that varied), rendered for the console,
 * figure for figure as execbench-compare summary prints it, after a blank
 * line; nothing when the document holds no point. */
void eb_run_table(FILE *f, const eb_results_doc *doc);

#endif
