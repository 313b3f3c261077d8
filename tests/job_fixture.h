/* job_fixture.h — build and run one job in-process, as the point child does. */
#ifndef EB_TEST_JOB_FIXTURE_H
#define EB_TEST_JOB_FIXTURE_H

#include "executor.h"
#include "registry.h"

/* Fills `job` for `workload` with its default parameters, then overrides the
 * NULL-terminated "key", value pairs; allocates it. Requires success. */
void fixture_job(eb_job *job, const char *workload, uint64_t tasks, unsigned workers, ...);

/* Runs `executor` on the job, then the workload's verify; returns the job's
 * status (0 when it ran and verified). `why` gets the error or verify message. */
int fixture_run(eb_job *job, const char *executor, eb_job_result *out, char *why, size_t why_len);

#endif
