/* words.h — numbers in sentences: "1 point", "2 points", never "1 points". */
#ifndef EB_WORDS_H
#define EB_WORDS_H

#include <stdint.h>

/* `one` when n is 1, else `many`: printf("%zu %s", n, eb_plural(n, "point", "points")). */
static inline const char *eb_plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

#endif
