/* point_memory.h — will a point of the plan fit in the memory this process
 * may use? The plan's side of memory_fit.h: the point as the estimate sees
 * it (its executor's memory model, the stack mode the coroutine executor
 * will take for it, the coroutine backend), the limits read now, the
 * verdict and its line. The runner asks before it starts each point
 * (run.c) and refuses one that cannot fit, with the estimate and what would
 * fit, instead of letting it be killed halfway. */
#ifndef EB_POINT_MEMORY_H
#define EB_POINT_MEMORY_H

#include "memory_fit.h"
#include "plan.h"

typedef struct eb_point_memory {
    eb_fit_point fit;
    eb_fit_estimate estimate;
    eb_mem_available available;
    eb_fit_verdict verdict;
    char text[800]; /* eb_fit_describe's line */
} eb_point_memory;

/* Fills *out for point p under settings s: 0, or -errno when the machine's
 * memory could not be read (/proc/meminfo; the verdict then only knows the
 * limits that could be read). */
int eb_point_memory_check(const eb_point *p, const eb_settings *s, eb_point_memory *out);

#endif
