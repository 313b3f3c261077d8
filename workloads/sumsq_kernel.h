/* sumsq_kernel.h — the CPU kernel: the sum of k*k for k < n, as the articles'
 * "sum of squares" task computes it, done element by element. */
#ifndef EB_SUMSQ_KERNEL_H
#define EB_SUMSQ_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

/* Largest n the kernel accepts: the closed form's product n(n-1)(2n-1) must fit
 * in 128 bits and a task's loop should stay well under a minute. */
#define EB_SUMSQ_MAX_N (UINT64_C(1) << 40)

/* Elements between two check points (wait.h's eb_check_point): 10-14 us of
 * work at this VM's 0.6-0.86 ns per element, so a GIL's drop request is
 * answered well within its shortest useful interval (100 us), while the
 * check costs too little to see: with the kernel built without check points
 * as the reference, 0.03-0.7% in paired timings (4,096 elements per block:
 * 1.1%: the outer loop's work, paid once a block), and 0.016% of the
 * instructions under callgrind (tests/mix_measure.c). */
#define EB_SUMSQ_BLOCK 16384

/* Sum of k*k for 0 <= k < n, modulo 2^64 (unsigned wrap-around), computed with
 * one multiply-add per element that no compiler can fold into a closed form;
 * a check point after every EB_SUMSQ_BLOCK elements (compiled with
 * EB_SUMSQ_NO_CHECK_POINTS: one pass without, the kernel as it was before
 * them, the reference their cost is measured against). */
uint64_t eb_sumsq(uint64_t n);

/* The exact sum, n(n-1)(2n-1)/6, in 128-bit arithmetic (n <= EB_SUMSQ_MAX_N). */
unsigned __int128 eb_sumsq_closed_form(uint64_t n);

/* True when `sum` equals the closed form modulo 2^64. */
bool eb_sumsq_verify(uint64_t n, uint64_t sum);

#endif
