/* sumsq_kernel.c — see sumsq_kernel.h. */
#include "sumsq_kernel.h"

#include "wait.h"

#ifdef EB_SUMSQ_NO_CHECK_POINTS
#define BLOCK UINT64_MAX /* one pass: the kernel as it was before check points */
#else
#define BLOCK EB_SUMSQ_BLOCK
#endif

uint64_t eb_sumsq(uint64_t n)
{
    uint64_t sum = 0;
    for (uint64_t k = 0; k < n;) {
        uint64_t end = n - k > BLOCK ? k + BLOCK : n;
        for (; k < end; k++) {
            /* clang's scalar evolution turns this loop into n(n-1)(2n-1)/6
             * (measured: 10^8 elements in 0 ns), even split into blocks behind
             * an opaque call. Laundering k through an empty asm each iteration
             * hides the induction from that analysis under gcc and clang alike;
             * it emits no instruction, it only keeps k in a register, so the
             * loop does exactly one multiply and one add per element, as the
             * articles' Python loop does. */
            uint64_t x = k;
            __asm__("" : "+r"(x));
            sum += x * x;
        }
#ifndef EB_SUMSQ_NO_CHECK_POINTS
        /* Where a GIL may change hands (wait.h): with one or without, two
         * loads and a branch per block, too little to measure (see the header). */
        eb_check_point();
#endif
    }
    return sum;
}

unsigned __int128 eb_sumsq_closed_form(uint64_t n)
{
    if (n == 0) return 0;
    unsigned __int128 m = n;
    return m * (m - 1) * (2 * m - 1) / 6;
}

bool eb_sumsq_verify(uint64_t n, uint64_t sum)
{
    return sum == (uint64_t)eb_sumsq_closed_form(n);
}
