/* output.h — where the document goes, written so a reader never sees half of
 * it: a temporary file in the same directory, flushed to disk, renamed over
 * the target (the previous file stays intact until the rename). */
#ifndef EB_OUTPUT_H
#define EB_OUTPUT_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

/* "results/<host>-<YYYYmmdd-HHMMSS>.json" for a run started at `t`. */
void eb_output_default_path(time_t t, char *buf, size_t len);

/* Creates the file's directory if missing and checks it can take the file
 * (by creating and removing the temporary file the write will use), before
 * any point runs: 0, or -errno with `why`. */
int eb_output_prepare(const char *path, char *why, size_t why_len);

/* Writes `doc` to `path` atomically: 0, or -errno with `why`. */
int eb_output_write(json_t *doc, const char *path, char *why, size_t why_len);

/* Where a document goes when `path` cannot take it (the disk filled up
 * during the run): $TMPDIR (or /tmp)/execbench-rescued-<pid>-<file name>. */
void eb_output_rescue_path(const char *path, char *buf, size_t len);

#endif
