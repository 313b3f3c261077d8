/* run.h — the parent: every point of the plan in a fresh child process, one
 * at a time, merged into one document written at the end (or when
 * interrupted), then the table. */
#ifndef EB_RUN_H
#define EB_RUN_H

#include "cli.h"
#include "plan.h"

/* Returns the exit status: 0 all well, 1 some point failed or the document
 * could not be written, 2 a bad --out, 128+N interrupted by signal N.
 * `argv` is the command line as given (for the context). */
int eb_run(const eb_cli *cli, const eb_plan *plan, const eb_topology *topo, int argc,
           char *const argv[]);

#endif
