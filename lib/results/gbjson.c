/* gbjson.c — reading what Google Benchmark 1.7.1 prints as JSON
 * (eb_results_parse_lenient, results.h).
 *
 * libbenchmark prints a non-finite double bare (NaN, -NaN, Infinity,
 * -Infinity), which is not JSON: jansson rejects the whole document. Its cv
 * aggregate of an all-zero counter is 0/0, so this happens in ordinary runs.
 * Those tokens are rewritten outside strings before parsing. Written by hand:
 * jansson has no lenient mode, and the rewrite is a single pass that tracks
 * whether it is inside a string. */
#include "results.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool starts(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && memcmp(p, word, n) == 0;
}

json_t *eb_results_parse_lenient(const char *text, size_t len, json_error_t *error,
                                 size_t *replaced)
{
    /* "null" is the longest replacement and "NaN" the shortest token: 2x + 1 is ample. */
    char *clean = malloc(2 * len + 1);
    if (clean == NULL) {
        snprintf(error->text, sizeof error->text, "out of memory");
        error->line = error->column = -1;
        return NULL;
    }
    size_t out = 0, count = 0;
    bool in_string = false;
    const char *end = text + len;
    for (const char *p = text; p < end;) {
        char c = *p;
        if (in_string) {
            clean[out++] = c;
            p++;
            if (c == '\\' && p < end)
                clean[out++] = *p++;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        const char *q = p + (c == '-' ? 1 : 0);
        if (starts(q, end, "NaN")) {
            memcpy(clean + out, "0.0", 3);
            out += 3;
            p = q + 3;
            count++;
        } else if (starts(q, end, "Infinity")) {
            memcpy(clean + out, "null", 4);
            out += 4;
            p = q + 8;
            count++;
        } else {
            clean[out++] = c;
            p++;
        }
    }
    json_t *doc = json_loadb(clean, out, JSON_REJECT_DUPLICATES, error);
    free(clean);
    if (replaced != NULL) *replaced = count;
    return doc;
}
