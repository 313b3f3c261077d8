/* current_task.h — which task the calling thread is running, for crash reports.
 *
 * eb_job_run_task sets it around every task; eb_wait_until_ns saves it before
 * an executor's wait operation and restores it after, so under the coroutine
 * executor (many tasks interleaved on one thread) it names the task that is
 * running now. A signal handler may read it: it is a plain thread-local in the
 * executable (static TLS), read without locks or allocation. */
#ifndef EB_CURRENT_TASK_H
#define EB_CURRENT_TASK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct eb_current_task {
    int64_t task;    /* -1: none */
    uint32_t worker; /* the worker index the executor gave eb_job_run_task */
} eb_current_task;

/* The calling thread's current task ({-1, 0} when none). */
eb_current_task eb_current_task_get(void);
/* Sets it; returns the previous value. */
eb_current_task eb_current_task_set(eb_current_task now);

#endif
