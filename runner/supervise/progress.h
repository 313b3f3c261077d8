/* progress.h — progress on stderr, nothing with --quiet.
 *
 * Every line says where the run is and for how long: the point's position
 * ("[3/8]", "[micro]" for the --micro step), its name, what it is doing or
 * how it ended, then the run's time so far and an estimate of what is left
 * (estimate.h), re-estimated as points finish:
 *
 *   [3/8] cpu.sumsq/exec:threaded/tasks:20/workers:2/...: rep 3/10, 0.4s (12s, ~1m05s left)
 *   [3/8] cpu.sumsq/exec:threaded/tasks:20/workers:2/n:5000000/pin:compact: 37.12 ms median of 10
 * (13s, ~1m01s left)
 *
 * On a terminal, one live line is redrawn while a point runs (its
 * repetition, from the point process, and its time), and every line is
 * fitted to the terminal's width (TIOCGWINSZ, else COLUMNS, else 80): the
 * name is shortened in its middle, never a number, and a failure's message
 * continues on lines of its own. Elsewhere (a pipe, a file), a line per
 * finished point, whole, and a line every 10 s while a point runs long, so
 * a log shows the run is alive. */
#ifndef EB_PROGRESS_H
#define EB_PROGRESS_H

#include "estimate.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EB_PROGRESS_HEARTBEAT_NS INT64_C(10000000000)

typedef struct eb_progress {
    FILE *out;
    bool quiet, live;
    int tty_fd;          /* out's descriptor when it is a terminal, else -1 */
    size_t total, index; /* index == total: the step after the points (--micro) */
    const char *name;
    int64_t run_start_ns, point_start_ns;
    int64_t next_heartbeat_ns; /* not live: the point's time at its next "still running" line */
    eb_estimate *estimate;     /* NULL: no estimate of what is left */
    /* Where the run is, when not a point of the plan's ("[round 3]": an
     * interleaved run's rounds); NULL: "[index/total]". */
    const char *position;
} eb_progress;

/* `total` points; `estimate` (may be NULL) is learned from as points finish. */
void eb_progress_init(eb_progress *p, FILE *out, bool quiet, size_t total, eb_estimate *estimate);
/* Point `index` (0-based) starts; index == total is the --micro step. */
void eb_progress_start(eb_progress *p, size_t index, const char *name);
/* The child supervisor's tick (eb_child_tick_fn): `said` is what the point
 * process last said ("rep 3/10"). */
void eb_progress_tick(void *p, int64_t elapsed_ns, const char *said);
/* The point's outcome: "37.12 ms median of 10", or what went wrong. */
void eb_progress_done(eb_progress *p, bool ok, const char *outcome);
/* A line of its own (the live line is cleared first). */
void eb_progress_line(eb_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The pieces, for the tests. */

/* Columns of the terminal on `fd`: TIOCGWINSZ, else $COLUMNS, else 80. */
int eb_progress_width(int fd);
/* "4.2s", "42s", "3m10s", "1h02m". */
void eb_progress_duration(double ns, char *buf, size_t len);
/* "<position> <name>: <state> <times>" into buf; with width > 0, fitted to
 * width - 1 columns by shortening the name in its middle, then by leaving
 * out `times`, then the name: `state` is cut only on a line too narrow for
 * it and the position alone. */
void eb_progress_compose(char *buf, size_t len, int width, const char *position, const char *name,
                         const char *state, const char *times);

#endif
