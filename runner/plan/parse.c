/* parse.c — see parse.h. */
#include "parse.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int eb_parse_i64(const char *text, int64_t min, int64_t max, int64_t *out)
{
    if (text == NULL || *text == '\0') return -EINVAL;
    const char *p = text;
    if (*p == '-' || *p == '+') p++;
    if (*p == '\0') return -EINVAL;
    for (const char *q = p; *q != '\0'; q++)
        if (!isdigit((unsigned char)*q)) return -EINVAL;
    errno = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*end != '\0') return -EINVAL;
    if (errno == ERANGE || v < min || v > max) return -ERANGE;
    *out = (int64_t)v;
    return 0;
}

/* Digits with at most one '.', nothing else: no signs, exponents, inf or nan. */
static bool plain_decimal(const char *text)
{
    int dots = 0, digits = 0;
    for (const char *q = text; *q != '\0'; q++) {
        if (*q == '.')
            dots++;
        else if (isdigit((unsigned char)*q))
            digits++;
        else
            return false;
    }
    return dots <= 1 && digits > 0;
}

int eb_parse_seconds(const char *text, double max_s, int64_t *out_ns)
{
    if (text == NULL || !plain_decimal(text)) return -EINVAL;
    char *end;
    double v = strtod(text, &end);
    if (*end != '\0' || !isfinite(v)) return -EINVAL;
    if (v <= 0 || v > max_s) return -ERANGE;
    int64_t ns = (int64_t)llround(v * 1e9);
    if (ns <= 0) return -ERANGE;
    *out_ns = ns;
    return 0;
}

int eb_parse_hundredths(const char *text, int64_t min, int64_t max, int64_t *out)
{
    if (text == NULL || !plain_decimal(text)) return -EINVAL;
    char *end;
    double v = strtod(text, &end);
    if (*end != '\0' || !isfinite(v)) return -EINVAL;
    if (v * 100.0 > (double)max + 0.5 || v * 100.0 < (double)min - 0.5) return -ERANGE;
    *out = (int64_t)llround(v * 100.0);
    return 0;
}

int eb_split_list(char *text, char **items, size_t cap)
{
    if (text == NULL || *text == '\0') return -EINVAL;
    size_t n = 0;
    for (char *item = text;;) {
        char *comma = strchr(item, ',');
        if (comma != NULL) *comma = '\0';
        if (*item == '\0') return -EINVAL;
        if (n == cap) return -E2BIG;
        items[n++] = item;
        if (comma == NULL) break;
        item = comma + 1;
    }
    return (int)n;
}
