/* context.h — the document's context: libbenchmark's keys (from the first
 * point process, or filled here when none reported) and context.execbench:
 * version, our build type, compiler and flags, kernel, topology, timer slack,
 * coroutine backend, preset, command line, settings, what the ideal and
 * cpu_time mean, and whether the run was interrupted. */
#ifndef EB_CONTEXT_H
#define EB_CONTEXT_H

#include "merge.h"
#include "oslimits.h"
#include "plan.h"

#include <time.h>

/* "2026-11-22T23:10:04+00:00", libbenchmark's date format. */
void eb_iso_time(time_t t, char *buf, size_t len);

/* What is known before the first point runs. */
void eb_context_begin(eb_doc *doc, const eb_plan *plan, const eb_topology *topo, int argc,
                      char *const argv[], time_t started);

/* What is known at the end: counts, interruption, the libbenchmark keys
 * when no point process supplied them. */
void eb_context_end(eb_doc *doc, const char *executable, size_t points_run, int interrupted_signal,
                    time_t started, time_t finished);

/* The runner's own open files and memory at the run's start and end. */
void eb_context_parent(eb_doc *doc, const eb_self_usage *start, const eb_self_usage *end);

/* --repeat-run: this document is run `index` of `of`. */
void eb_context_repeat(eb_doc *doc, int index, int of);

#endif
