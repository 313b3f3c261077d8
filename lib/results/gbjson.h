/* gbjson.h — reading what Google Benchmark 1.7.1 prints as JSON.
 *
 * libbenchmark prints a non-finite double bare (NaN, -NaN, Infinity,
 * -Infinity), which is not JSON: jansson rejects the whole document. Its cv
 * aggregate of an all-zero counter is 0/0, so this happens in ordinary runs.
 * eb_gbjson_parse rewrites those tokens outside strings before parsing: NaN
 * becomes 0.0 (the cv of a constant series), an infinity becomes null (no
 * number can stand for it). */
#ifndef EB_GBJSON_H
#define EB_GBJSON_H

#include <jansson.h>
#include <stddef.h>

/* Parses `text` (not necessarily NUL-terminated) leniently as above. Returns
 * the document, or NULL with `error` filled (line, column, text). `replaced`
 * (may be NULL) gets how many tokens were rewritten. */
json_t *eb_gbjson_parse(const char *text, size_t len, json_error_t *error, size_t *replaced);

#endif
