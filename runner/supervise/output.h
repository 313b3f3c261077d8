/* output.h — where the document goes, written so a reader never sees half of
 * it.
 *
 * What --out names decides how:
 *   - a regular file, or a path that does not exist yet: a temporary file in
 *     the same directory, flushed to disk, renamed over the target (the
 *     previous file stays intact until the rename);
 *   - a symbolic link: followed, and its target replaced so, in the target's
 *     directory (the link stays a link);
 *   - "-", /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: written to
 *     that descriptor of this process;
 *   - anything else that is not a regular file (a device such as /dev/null,
 *     a FIFO, a socket): opened and written through, never replaced. */
#ifndef EB_OUTPUT_H
#define EB_OUTPUT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef enum eb_output_kind {
    EB_OUTPUT_FILE,    /* replaced atomically */
    EB_OUTPUT_FD,      /* written to a descriptor of ours */
    EB_OUTPUT_THROUGH, /* a device, FIFO or socket: opened and written */
} eb_output_kind;

typedef struct eb_output {
    eb_output_kind kind;
    char file[PATH_MAX]; /* FILE: what is replaced (a link's target); THROUGH: what is opened */
    int fd;              /* FD: the descriptor */
} eb_output;

/* What `path` is and how it would be written: 0, or -errno with `why` (a
 * loop of symbolic links). */
int eb_output_resolve(const char *path, eb_output *out, char *why, size_t why_len);

/* True when the document written to `path` lands where this process's
 * descriptor `fd` goes ("-" and /dev/stdout for 1, or the very device, FIFO
 * or file that fd is): the console table must then go elsewhere. */
bool eb_output_shares_fd(const char *path, int fd);

/* "results/<host>-<YYYYmmdd-HHMMSS>.json" for a run started at `t`. */
void eb_output_default_path(time_t t, char *buf, size_t len);

/* Checks the path can take the document before any point runs: for a file,
 * creates its directory if missing and creates and removes the temporary
 * file the write will use; for a descriptor, that it is open for writing;
 * for a device, FIFO or socket, that it may be written. 0, or -errno with
 * `why`. */
int eb_output_prepare(const char *path, char *why, size_t why_len);

/* Writes the document's text (len bytes) to `path` as its kind says: 0, or
 * -errno with `why`. */
int eb_output_write(const char *text, size_t len, const char *path, char *why, size_t why_len);

/* Writes the text under `path` as a new file, never replacing one: when `path`
 * exists, "-2", "-3", ... go before its extension. The name taken goes to
 * `chosen`. Atomic like eb_output_write, and two runs racing for one name
 * each get their own (the rename refuses to replace). 0, or -errno. */
int eb_output_write_new(const char *text, size_t len, const char *path, char *chosen,
                        size_t chosen_len, char *why, size_t why_len);

/* `path` with `insert` before its extension: ("a/run.json", "-2") gives
 * "a/run-2.json"; a name without one gets it at the end. */
void eb_output_insert(const char *path, const char *insert, char *buf, size_t len);

/* Where a document goes when `path` cannot take it (the disk filled up
 * during the run): $TMPDIR (or /tmp)/execbench-rescued-<pid>-<file name>,
 * ".json" added when the name lacks it ("-" is "stdout.json"). */
void eb_output_rescue_path(const char *path, char *buf, size_t len);

/* How messages name `path`: "standard output" for "-", else the path. */
const char *eb_output_display(const char *path);

#endif
