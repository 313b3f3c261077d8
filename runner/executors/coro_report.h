/* coro_report.h — what the two coroutine executors (coroutine, hybrid) share:
 * the stack mode a job's coroutines get, and the document's account of where
 * they lived (eb_job_result.coro). Not an executor: a helper for two. */
#ifndef EB_CORO_REPORT_H
#define EB_CORO_REPORT_H

#include "job_run.h"
#include "scheduler.h"

/* Coroutines in flight at once (memory_fit.h's eb_in_flight of the job). */
uint64_t eb_coro_report_in_flight(const eb_job *job);

/* The job's stack mode: the one asked for (--coro-stack), or for auto the
 * rule for `in_flight` coroutines (eb_coro_stacks_auto_mode), the rule the
 * up-front memory estimate follows too. */
eb_coro_stack_mode eb_coro_report_stack_mode(const eb_job *job, uint64_t in_flight);

/* What a job's coroutines settle before its timed runs (an executor's
 * prepare): the stack mode (auto resolved), and vm.max_map_count read, which
 * the stack configuration consults in every mode (eb_sched_default_config) and
 * which costs ~25 us the first time: a cold run's cost, not the executor's. */
void eb_coro_report_prepare(eb_job *job, uint64_t in_flight);

/* Adds one scheduler's stacks (their mode, sizes, what was found kept from an
 * earlier run, the copies) to out->coro: a group's members one after another. */
void eb_coro_report_add(const eb_sched *sched, eb_coro_stack_mode mode, eb_job_result *out);

#endif
