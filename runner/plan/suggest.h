/* suggest.h — "did you mean ...?" for a name a registry does not hold.
 *
 * The candidates are offered one by one (the registries differ in shape);
 * the closest ones win: a name the input is the start of, or one a few
 * edits away (insert, delete, change, swap two neighbours; case ignored).
 * At most two are kept, so an ambiguous start ("--work") names both. */
#ifndef EB_SUGGEST_H
#define EB_SUGGEST_H

#include <stddef.h>

typedef struct eb_suggest {
    const char *given;
    const char *best[2]; /* the closest, then the next as close; NULL when none */
    size_t distance;     /* theirs */
} eb_suggest;

void eb_suggest_init(eb_suggest *s, const char *given);
void eb_suggest_consider(eb_suggest *s, const char *name);

/* " (did you mean X?)" or " (did you mean X or Y?)", each name after `prefix`
 * ("--" for options), or "" when nothing is close. */
void eb_suggest_text(const eb_suggest *s, const char *prefix, char *buf, size_t len);

/* The optimal-string-alignment distance between a and b, case ignored. */
size_t eb_edit_distance(const char *a, const char *b);

#endif
