/* parse.h — strict numbers and lists from the command line and presets.
 *
 * Whole-string parses only: "12abc", " 12", "", "1e3" and values past the
 * bounds are errors, never silently truncated or wrapped. */
#ifndef EB_PARSE_H
#define EB_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* A base-10 integer in [min, max]: 0, -EINVAL (not a whole number) or -ERANGE
 * (outside the bounds, overflow included). */
int eb_parse_i64(const char *text, int64_t min, int64_t max, int64_t *out);

/* Seconds as a decimal number ("120", "0.5") in (0, max_s], as nanoseconds:
 * 0, -EINVAL or -ERANGE. */
int eb_parse_seconds(const char *text, double max_s, int64_t *out_ns);

/* A decimal number ("3", "2.5", "0") in hundredths (250), in [min, max]
 * hundredths: 0, -EINVAL or -ERANGE. */
int eb_parse_hundredths(const char *text, int64_t min, int64_t max, int64_t *out);

/* Splits a comma-separated list in place: `items` gets up to `cap` pointers
 * into `text`; returns the count, or -EINVAL for an empty list or item, or
 * -E2BIG past `cap`. */
int eb_split_list(char *text, char **items, size_t cap);

#endif
