/* sumsq_unchecked.c — cpu.sumsq's kernel built without check points, under
 * other names: the reference tests/mix_measure measures the check point's
 * cost against (the same source as workloads/ builds, compiled again here so
 * that the product tree holds one kernel). */
#define EB_SUMSQ_NO_CHECK_POINTS 1
#define eb_sumsq eb_sumsq_unchecked
#define eb_sumsq_closed_form eb_sumsq_closed_form_unchecked
#define eb_sumsq_verify eb_sumsq_verify_unchecked
#include "sumsq_kernel.c"
