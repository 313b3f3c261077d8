/* point_memory.c — see point_memory.h. */
#include "point_memory.h"

#include "coro_stacks.h"

#include <string.h>
#include <unistd.h>

int eb_point_memory_check(const eb_point *p, const eb_settings *s, eb_point_memory *out)
{
    memset(out, 0, sizeof *out);
    uint64_t in_flight = eb_point_in_flight(p);
    int mode = p->coro_stack;
    /* the executor's own rule for auto (coroutine.c), on the same machine */
    if (p->executor->coroutines && mode == EB_JOB_CORO_STACK_AUTO)
        mode = (int)eb_coro_stacks_auto_mode(in_flight);
    out->fit = (eb_fit_point){
        .executor = p->executor->memory,
        .workers = p->workers,
        .tasks = p->tasks,
        .copy_stacks = p->executor->coroutines && mode == EB_CORO_STACK_COPY,
        .ucontext = s->coro_backend == EB_CORO_UCONTEXT,
    };
    if (p->executor->thread_per_core) {
        /* hybrid: a thread per core (at most this machine's CPUs), its
         * coroutines in flight spread over them */
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        out->fit.workers = cpus > 0 ? (uint64_t)cpus : 1;
        out->fit.tasks = in_flight;
    }
    eb_fit_estimate_point(&out->fit, &out->estimate);
    int rc = eb_mem_available_read(NULL, &out->available);
    eb_fit_check(&out->fit, &out->estimate, &out->available, &out->verdict);
    eb_fit_describe(&out->fit, &out->estimate, &out->available, &out->verdict, out->text,
                    sizeof out->text);
    return rc;
}
