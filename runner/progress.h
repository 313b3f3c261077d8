/* progress.h — progress on stderr: on a terminal one live line (point, its
 * elapsed time, refreshed while it runs); otherwise a plain line per point;
 * nothing with --quiet. */
#ifndef EB_PROGRESS_H
#define EB_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct eb_progress {
    FILE *out;
    bool quiet, live;
    int width; /* the terminal's columns: a live line longer than that could not be redrawn */
    size_t total, index;
    const char *name;
    int64_t run_start_ns;
} eb_progress;

void eb_progress_init(eb_progress *p, FILE *out, bool quiet, size_t total);
void eb_progress_start(eb_progress *p, size_t index, const char *name);
/* The child supervisor's tick (eb_child_tick_fn). */
void eb_progress_tick(void *p, int64_t elapsed_ns);
/* The point's outcome: "37.12 ms median" or "FAILED: why". */
void eb_progress_done(eb_progress *p, bool ok, const char *outcome);
/* A line of its own (the live line is cleared first). */
void eb_progress_line(eb_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
