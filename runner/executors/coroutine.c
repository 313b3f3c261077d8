/* coroutine.c — one thread, one scheduler, one stackful coroutine per task, at
 * most W in flight (W = 0: unbounded): asyncio's model in C. Waits overlap;
 * CPU work blocks everyone.
 *
 * Creating the stack pool and starting the coroutines happen inside the timed
 * job, as creating a thread pool does for the threaded executor; spawn_ns is
 * the time until the first wave (W coroutines, or every task when unbounded)
 * had started. Worker slot w stands for "the w-th coroutine in flight" (the
 * coroutine's stack slot), so per-slot task counts show how far the tasks
 * actually overlapped. Stack sizes and guards: eb_sched_default_config. */
#include "coro_report.h"
#include "executor.h"
#include "oslimits.h"
#include "scheduler.h"
#include "wait.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct coro_run {
    eb_job *job;
    eb_job_result *out;
    eb_sched *sched;
    bool failed; /* a task failed: start no more */
} coro_run;

static bool next_task(void *raw, uint64_t *task)
{
    coro_run *r = raw;
    return !r->failed && eb_job_claim(r->job, task);
}

static void task_main(void *raw, uint64_t task)
{
    coro_run *r = raw;
    unsigned lane = eb_sched_current(r->sched)->slot;
    int rc = eb_job_run_task(r->job, lane, task);
    if (rc != 0 && !r->failed) {
        r->failed = true;
        eb_job_fail(r->out, rc, "coroutine %u: task %llu failed: %s", lane,
                    (unsigned long long)task, strerror(-rc));
    }
}

static const char advice[] = "run fewer coroutines at once (--workers)";

static int coroutine_prepare(eb_job *job)
{
    eb_coro_report_prepare(job, eb_coro_report_in_flight(job));
    return 0;
}

static int coroutine_run(eb_job *job, eb_job_result *out)
{
    eb_usage_mark mark;
    eb_sched *sched = NULL;
    int rc = eb_job_begin_as_worker(job, &mark);
    if (rc != 0) {
        eb_job_fail(out, rc, "could not pin the coroutine thread: %s", strerror(-rc));
    } else if (job->workload->worker_init != NULL &&
               (rc = job->workload->worker_init(job, 0)) != 0) {
        eb_job_fail(out, rc, "worker 0: worker_init failed: %s", strerror(-rc));
    } else {
        uint64_t in_flight = eb_coro_report_in_flight(job);
        eb_sched_config config = eb_sched_default_config(job->coro_backend, in_flight);
        config.stack_mode = eb_coro_report_stack_mode(job, in_flight);
        config.reactor = job->reactor;
        rc = eb_sched_create(&config, &sched);
        if (rc != 0) {
            /* one mapping for every stack (and its guard page), or every control
             * block and the run stack (copy); the timer heap and ring */
            bool copy = config.stack_mode == EB_CORO_STACK_COPY;
            uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
            uint64_t each =
                copy ? sizeof(eb_coro)
                     : config.stack_bytes + (config.guard == EB_STACK_GUARD_ON ? page : 0);
            uint64_t bytes = in_flight * (each + 6 * sizeof(uint64_t));
            char limit[512], what[64];
            eb_limit_ask ask = {.kind = 'm', .bytes = bytes, .maps = 1, .advice = advice};
            eb_limits_why(rc, &ask, limit, sizeof limit);
            if (copy)
                snprintf(what, sizeof what, "control blocks (copied stacks)");
            else
                snprintf(what, sizeof what, "stacks of %zu KiB", config.stack_bytes >> 10);
            eb_job_fail(out, rc, "could not reserve %llu coroutine %s (%s): %s%s%s",
                        (unsigned long long)in_flight, what,
                        eb_coro_backend_name(job->coro_backend), strerror(-rc),
                        limit[0] ? ": " : "", limit);
        } else {
            coro_run r = {.job = job, .out = out, .sched = sched};
            rc = eb_sched_run(sched, task_main, &r, next_task);
            eb_sched_stats stats;
            eb_sched_get_stats(sched, &stats);
            eb_coro_report_add(sched, config.stack_mode, out);
            if (rc == -EDEADLK && out->status == 0)
                eb_job_fail(out, rc,
                            "a task suspended its coroutine outside a wait: it can "
                            "never be resumed");
            else if (rc != 0 && out->status == 0) {
                /* a guard page refused: each splits the pool's mapping in two */
                char limit[512];
                eb_limit_ask ask = {.kind = 'm', .maps = 2, .advice = advice};
                eb_limits_why(rc, &ask, limit, sizeof limit);
                eb_job_fail(out, rc, "could not start coroutine %llu of %llu: %s%s%s",
                            (unsigned long long)stats.started + 1, (unsigned long long)job->tasks,
                            strerror(-rc), limit[0] ? ": " : "", limit);
            }
            /* Every in-flight slot ran on this thread, ready once the first
             * wave had started. */
            int64_t ready = stats.first_wave_ns > 0 ? stats.first_wave_ns - job->start_ns
                                                    : job->worker[0].ready_ns;
            for (unsigned w = 0; w < job->worker_slots; w++) {
                job->worker[w].pu = job->worker[0].pu;
                job->worker[w].pid = job->worker[0].pid;
                job->worker[w].ready_ns = ready;
            }
        }
    }
    eb_job_end(job, &mark, out);
    eb_sched_destroy(sched); /* after the timed job: unmapping stacks is clean-up */
    return out->status;
}

const eb_executor eb_executor_coroutine = {
    .name = "coroutine",
    .description =
        "one thread, one stackful coroutine per task, at most W in flight (0: unbounded)",
    .allows_unbounded = true,
    .coroutines = true,
    .memory = EB_FIT_COROUTINE,
    .prepare = coroutine_prepare,
    .run = coroutine_run,
};
