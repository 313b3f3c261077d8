/* coro_report.c — see coro_report.h. */
#include "coro_report.h"

#include "memory_fit.h"

uint64_t eb_coro_report_in_flight(const eb_job *job)
{
    return eb_in_flight(job->tasks, job->workers);
}

eb_coro_stack_mode eb_coro_report_stack_mode(const eb_job *job, uint64_t in_flight)
{
    if (job->coro_stack == EB_JOB_CORO_STACK_AUTO) return eb_coro_stacks_auto_mode(in_flight);
    return job->coro_stack == EB_CORO_STACK_COPY ? EB_CORO_STACK_COPY : EB_CORO_STACK_SEPARATE;
}

void eb_coro_report_prepare(eb_job *job, uint64_t in_flight)
{
    job->coro_stack = (int)eb_coro_report_stack_mode(job, in_flight);
    (void)eb_stack_pool_guards_fit(in_flight); /* reads the sysctl once per process */
}

void eb_coro_report_add(const eb_sched *sched, eb_coro_stack_mode mode, eb_job_result *out)
{
    eb_coro_stacks_usage u;
    eb_coro_stacks_usage_get(eb_sched_stacks(sched), &u);
    eb_sched_stats stats;
    eb_sched_get_stats(sched, &stats);
    out->coro.stack_mode = (int)mode;
    out->coro.stack_bytes = u.stack_bytes; /* the same for every member */
    out->coro.reused_slots += u.reused_slots;
    out->coro.reused_timers += stats.timers_reused;
    out->coro.control_bytes += u.control_bytes;
    if (u.copy.max_frames > out->coro.max_frames_bytes)
        out->coro.max_frames_bytes = u.copy.max_frames;
    out->coro.copied_bytes += u.copy.saved_bytes + u.copy.restored_bytes;
    out->coro.peak_buffer_bytes += u.copy.peak_buffer_bytes;
    out->coro.arena_bytes += u.arena_bytes;
}
