/* decimal.h — an unsigned number written out in decimal, by hand: what a
 * signal handler (crash.c, the mpi rank's SIGUSR1 description) or a hot path
 * (net/client.c's request line) may call where snprintf is not safe or too
 * slow. Async-signal-safe: no locale, no allocation, no errno. */
#ifndef EB_DECIMAL_H
#define EB_DECIMAL_H

#include <stdint.h>

#define EB_DECIMAL_MAX 20 /* digits of UINT64_MAX */

/* Writes v's digits at p (at most EB_DECIMAL_MAX, no terminator); returns the
 * end of what it wrote. */
static inline char *eb_put_decimal(char *p, uint64_t v)
{
    char digits[EB_DECIMAL_MAX];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        *p++ = digits[--n];
    return p;
}

#endif
