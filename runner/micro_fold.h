/* micro_fold.h — --micro: run execbench-micro (the binary beside execbench) and
 * fold its Google Benchmark rows into the document under their micro.* names. */
#ifndef EB_MICRO_FOLD_H
#define EB_MICRO_FOLD_H

#include "merge.h"
#include "progress.h"

#include <stdbool.h>
#include <stdint.h>

/* Runs it (with --benchmark_filter=`filter` when not NULL) under the child
 * supervisor. Returns true when its rows were added; otherwise an error row
 * "micro/execbench-micro" says why. *interrupted gets the interrupting signal. */
bool eb_micro_fold(eb_doc *doc, const char *filter, int64_t timeout_ns, eb_progress *progress,
                   int *interrupted);

#endif
