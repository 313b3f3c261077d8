/* suggest.c — see suggest.h. */
#include "suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Longer inputs than this are not typos of a name. */
#define MAX_NAME 64

size_t eb_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > MAX_NAME || m > MAX_NAME) return (size_t)-1;
    /* three rows of the dynamic-programming table: i-2, i-1, i */
    size_t rows[3][MAX_NAME + 1];
    for (size_t j = 0; j <= m; j++)
        rows[0][j] = rows[1][j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t *two = rows[(i + 1) % 3], *prev = rows[(i + 2) % 3], *cur = rows[i % 3];
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t cost = ca == cb ? 0 : 1;
            size_t best = prev[j - 1] + cost;
            if (prev[j] + 1 < best) best = prev[j] + 1;
            if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && two[j - 2] + 1 < best)
                best = two[j - 2] + 1; /* two neighbours swapped */
            cur[j] = best;
        }
    }
    return rows[n % 3][m];
}

void eb_suggest_init(eb_suggest *s, const char *given)
{
    s->given = given;
    s->best[0] = s->best[1] = NULL;
    s->distance = (size_t)-1;
}

/* How far `given` is from `name`, or (size_t)-1 when too far to suggest. */
static size_t closeness(const char *given, const char *name)
{
    size_t len = strlen(given);
    if (len == 0) return (size_t)-1;
    if (len >= 2 && len < strlen(name) && strncasecmp(given, name, len) == 0)
        return 1; /* its start, as getopt_long once took it */
    size_t d = eb_edit_distance(given, name);
    size_t allowed = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    return d <= allowed ? d : (size_t)-1;
}

void eb_suggest_consider(eb_suggest *s, const char *name)
{
    size_t d = closeness(s->given, name);
    if (d == (size_t)-1 || strcmp(s->given, name) == 0) return;
    if (d < s->distance) {
        s->best[0] = name;
        s->best[1] = NULL;
        s->distance = d;
    } else if (d == s->distance && s->best[1] == NULL && strcmp(s->best[0], name) != 0) {
        s->best[1] = name;
    }
}

void eb_suggest_text(const eb_suggest *s, const char *prefix, char *buf, size_t len)
{
    if (s->best[0] == NULL)
        snprintf(buf, len, "%s", "");
    else if (s->best[1] == NULL)
        snprintf(buf, len, " (did you mean %s%s?)", prefix, s->best[0]);
    else
        snprintf(buf, len, " (did you mean %s%s or %s%s?)", prefix, s->best[0], prefix, s->best[1]);
}
