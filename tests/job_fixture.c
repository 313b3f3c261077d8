/* job_fixture.c — see job_fixture.h. */
#include "job_fixture.h"

#include "eb_test.h"

#include <stdarg.h>

void fixture_job(eb_job *job, const char *workload, uint64_t tasks, unsigned workers, ...)
{
    memset(job, 0, sizeof *job);
    job->workload = eb_workload_find(workload);
    EB_REQUIRE(job->workload != NULL);
    for (size_t i = 0; i < job->workload->param_count; i++)
        job->params[i] = job->workload->params[i].default_value;
    va_list ap;
    va_start(ap, workers);
    for (const char *key; (key = va_arg(ap, const char *)) != NULL;) {
        int index = eb_workload_param_index(job->workload, key);
        EB_REQUIRE(index >= 0);
        job->params[index] = va_arg(ap, int64_t);
    }
    va_end(ap);
    job->tasks = tasks;
    job->workers = workers;
    job->seed = 1;
    if (job->workload->setup != NULL) EB_REQUIRE(job->workload->setup(job) == 0);
    EB_REQUIRE(eb_job_alloc(job) == 0);
}

int fixture_run(eb_job *job, const char *executor, eb_job_result *out, char *why, size_t why_len)
{
    const eb_executor *e = eb_executor_find(executor);
    EB_REQUIRE(e != NULL);
    memset(out, 0, sizeof *out);
    why[0] = '\0';
    int rc = e->run(job, out);
    if (rc != 0) {
        snprintf(why, why_len, "%s", out->error);
        return rc;
    }
    return job->workload->verify(job, why, why_len);
}
