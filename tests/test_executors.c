/* test_executors.c — each executor runs each workload and the results verify;
 * the job's shared arrays say who ran what. */
#include "eb_test.h"
#include "job_fixture.h"
#include "wait.h"

static void check_runs(const char *executor, const char *workload, uint64_t tasks,
                       unsigned workers, int64_t param)
{
    eb_job job;
    if (strcmp(workload, "cpu.sumsq") == 0)
        fixture_job(&job, workload, tasks, workers, "n", param, NULL);
    else
        fixture_job(&job, workload, tasks, workers, "latency_us", param, NULL);
    eb_job_result out;
    char why[256];
    int rc = fixture_run(&job, executor, &out, why, sizeof why);
    EB_CHECKF(rc == 0, "%s on %s: %s", executor, workload, why);
    EB_CHECK(atomic_load(job.next_task) >= tasks);
    int64_t done = 0;
    for (unsigned w = 0; w < job.worker_slots; w++) done += job.worker[w].tasks_done;
    EB_CHECKF(done == (int64_t)tasks, "%s ran %lld of %llu tasks", executor, (long long)done,
              (unsigned long long)tasks);
    EB_CHECK(out.wall_ns > 0 && out.spawn_ns >= 0 && out.spawn_ns <= out.wall_ns);
    EB_CHECK(out.max_rss_kib > 0);
    eb_job_free(&job);
}

EB_TEST(sequential_runs_sumsq_and_sleep)
{
    check_runs("sequential", "cpu.sumsq", 8, 1, 10000);
    check_runs("sequential", "io.sleep", 4, 1, 1000);
}

EB_TEST(threaded_runs_sumsq_and_sleep)
{
    check_runs("threaded", "cpu.sumsq", 40, 3, 10000);
    check_runs("threaded", "io.sleep", 40, 40, 1000);
}

EB_TEST(verify_catches_a_skipped_task)
{
    eb_job job;
    fixture_job(&job, "cpu.sumsq", 6, 1, "n", (int64_t)1000, NULL);
    eb_job_result out;
    char why[256];
    EB_REQUIRE(fixture_run(&job, "sequential", &out, why, sizeof why) == 0);
    job.task_result[4] ^= 1;
    EB_CHECK(job.workload->verify(&job, why, sizeof why) != 0);
    EB_CHECKF(strstr(why, "task 4") != NULL, "message: %s", why);
    eb_job_free(&job);
}

EB_TEST(threaded_sleeps_overlap)
{
    /* 20 tasks x 20 ms on 20 threads take about 20 ms, not 400: a ratio with
     * a wide margin, not a time limit. */
    eb_job job;
    fixture_job(&job, "io.sleep", 20, 20, "latency_us", (int64_t)20000, NULL);
    eb_job_result out;
    char why[256];
    EB_REQUIRE(fixture_run(&job, "threaded", &out, why, sizeof why) == 0);
    EB_CHECKF(out.wall_ns < 20 * 20000000 / 4, "wall %lld ns", (long long)out.wall_ns);
    eb_job_free(&job);
}
