/* test_coroutine_executor.c — the coroutine executor runs the workloads under
 * both backends and they verify; waits overlap; at most W tasks are in flight
 * (counted from the tasks' own start and end stamps); a failing task stops
 * the job with a precise message; the job's stack mode is the one its
 * coroutines ran with, and each run says what it found kept. */
#include "eb_test.h"
#include "coro.h"
#include "coro_stacks.h"
#include "scheduler.h"
#include "job_fixture.h"
#include "wait.h"

#include <errno.h>
#include <stdlib.h>

static const eb_coro_backend backends[] = {EB_CORO_FCONTEXT, EB_CORO_UCONTEXT};
#define BACKENDS (sizeof backends / sizeof *backends)

static void run_ok(eb_job *job, eb_job_result *out)
{
    char why[256];
    int rc = fixture_run(job, "coroutine", out, why, sizeof why);
    EB_CHECKF(rc == 0, "coroutine/%s on %s, %llu tasks, W=%u: %s",
              eb_coro_backend_name(job->coro_backend), job->workload->name,
              (unsigned long long)job->tasks, job->workers, why);
}

static void check_accounting(const eb_job *job, const eb_job_result *out)
{
    int64_t done = 0;
    for (unsigned w = 0; w < job->worker_slots; w++) {
        done += job->worker[w].tasks_done;
        EB_CHECK(job->worker[w].pu == job->worker[0].pu); /* one thread */
        EB_CHECK(job->worker[w].ready_ns >= 0);
    }
    EB_CHECKF(done == (int64_t)job->tasks, "ran %lld of %llu tasks", (long long)done,
              (unsigned long long)job->tasks);
    EB_CHECK(out->wall_ns > 0 && out->spawn_ns >= 0 && out->spawn_ns <= out->wall_ns);
    EB_CHECK(out->max_rss_kib > 0);
}

EB_TEST(runs_sumsq_and_sleep_under_both_backends)
{
    for (size_t b = 0; b < BACKENDS; b++) {
        for (unsigned workers = 0; workers <= 3; workers += 3) {
            eb_job job;
            eb_job_result out;
            fixture_job(&job, "cpu.sumsq", 12, workers, "n", (int64_t)20000, NULL);
            job.coro_backend = backends[b];
            run_ok(&job, &out);
            check_accounting(&job, &out);
            eb_job_free(&job);

            fixture_job(&job, "io.sleep", 30, workers, "latency_us", (int64_t)2000, NULL);
            job.coro_backend = backends[b];
            run_ok(&job, &out);
            check_accounting(&job, &out);
            eb_job_free(&job);
        }
    }
}

/* The most tasks whose [start, end) intervals overlap at any instant. */
static unsigned most_overlapping(const eb_job *job)
{
    unsigned most = 0;
    for (uint64_t i = 0; i < job->tasks; i++) {
        unsigned here = 0; /* tasks running at task i's start */
        for (uint64_t j = 0; j < job->tasks; j++)
            here += job->task_start_ns[j] <= job->task_start_ns[i] &&
                    job->task_end_ns[j] > job->task_start_ns[i];
        if (here > most) most = here;
    }
    return most;
}

EB_TEST(at_most_w_tasks_in_flight)
{
    for (size_t b = 0; b < BACKENDS; b++) {
        for (unsigned w = 1; w <= 9; w += 4) {
            eb_job job;
            eb_job_result out;
            fixture_job(&job, "io.sleep", 45, w, "latency_us", (int64_t)1000, NULL);
            job.coro_backend = backends[b];
            run_ok(&job, &out);
            unsigned most = most_overlapping(&job);
            EB_CHECKF(most == w, "%s W=%u: %u tasks in flight at once",
                      eb_coro_backend_name(backends[b]), w, most);
            /* every in-flight slot took tasks: they overlapped W at a time */
            for (unsigned s = 0; s < job.worker_slots; s++)
                EB_CHECK(job.worker[s].tasks_done > 0);
            check_accounting(&job, &out);
            eb_job_free(&job);
        }
    }
}

EB_TEST(sleeps_overlap)
{
    /* 200 tasks x 20 ms unbounded finish in about 20 ms, not 4 s: a ratio
     * with a wide margin, never an absolute time. */
    eb_job job;
    eb_job_result out;
    fixture_job(&job, "io.sleep", 200, 0, "latency_us", (int64_t)20000, NULL);
    run_ok(&job, &out);
    EB_CHECKF(out.wall_ns < 200 * 20000000LL / 10, "wall %lld ns", (long long)out.wall_ns);
    EB_CHECK(most_overlapping(&job) > 100);
    check_accounting(&job, &out);
    eb_job_free(&job);
}

EB_TEST(cpu_tasks_do_not_overlap)
{
    /* CPU work never parks: one coroutine at a time, whatever W allows. */
    eb_job job;
    eb_job_result out;
    fixture_job(&job, "cpu.sumsq", 10, 0, "n", (int64_t)200000, NULL);
    run_ok(&job, &out);
    EB_CHECK(most_overlapping(&job) == 1);
    eb_job_free(&job);
}

/* A workload whose task 3 fails: the job stops with a message naming it. */
static int failing_task(eb_job *job, uint64_t task, uint64_t *result)
{
    (void)job;
    *result = task;
    eb_wait_ns(1000000);
    return task == 3 ? -EIO : 0;
}

static int never_checked(const eb_job *job, char *why, size_t len)
{
    (void)job;
    (void)why;
    (void)len;
    return 0;
}

static const eb_workload failing = {
    .name = "test.fails_at_3",
    .kind = EB_WORK_WAIT,
    .run_task = failing_task,
    .verify = never_checked,
};

EB_TEST(a_failing_task_stops_the_job_precisely)
{
    eb_job job = {.workload = &failing, .tasks = 1000, .workers = 2};
    EB_REQUIRE(eb_job_alloc(&job) == 0);
    eb_job_result out = {0};
    int rc = eb_executor_find("coroutine")->run(&job, &out);
    EB_CHECK(rc == -EIO && out.status == -EIO);
    EB_CHECKF(strstr(out.error, "task 3 failed") != NULL, "error: %s", out.error);
    uint64_t started = 0;
    for (uint64_t t = 0; t < job.tasks; t++)
        started += job.task_start_ns[t] >= 0;
    EB_CHECKF(started < 10, "%llu tasks started after task 3 failed", (unsigned long long)started);
    eb_job_free(&job);
}

/* --coro-stack reaches the scheduler: the job's stack mode (or auto's rule
 * for its count) is the one its coroutines ran with, as the result says;
 * and what a run found kept is said per run: nothing after the caches are
 * cleared (a cold start), the stacks and timer entries of the run before
 * when run again in the same process (a warm one). */
EB_TEST(the_stack_mode_the_job_asks_for_is_the_one_its_coroutines_ran_with)
{
    const int modes[] = {EB_CORO_STACK_SEPARATE, EB_CORO_STACK_COPY, EB_JOB_CORO_STACK_AUTO};
    const uint64_t counts[] = {100, 20000};
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
        for (size_t k = 0; k < sizeof counts / sizeof *counts; k++) {
            eb_job job;
            eb_job_result out;
            fixture_job(&job, "io.sleep", counts[k], 0, "latency_us", (int64_t)20000, NULL);
            job.coro_stack = modes[m];
            int want = modes[m] == EB_JOB_CORO_STACK_AUTO ? (int)eb_coro_stacks_auto_mode(counts[k])
                                                          : modes[m];
            eb_coro_stacks_cache_clear();
            for (int run = 0; run < 2; run++) {
                eb_job_reset(&job);
                run_ok(&job, &out);
                EB_CHECKF(out.coro.stack_mode == want, "mode %d, %llu tasks: ran with %d", modes[m],
                          (unsigned long long)counts[k], out.coro.stack_mode);
                if (want == EB_CORO_STACK_COPY)
                    EB_CHECK(out.coro.stack_bytes == EB_SCHED_RUN_STACK_BYTES &&
                             out.coro.max_frames_bytes > 0 && out.coro.copied_bytes > 0 &&
                             out.coro.control_bytes >= counts[k] * sizeof(eb_coro));
                else
                    EB_CHECK(out.coro.stack_bytes >= 4096 && out.coro.copied_bytes == 0 &&
                             out.coro.control_bytes == 0);
                if (run == 0)
                    EB_CHECKF(out.coro.reused_slots == 0 && out.coro.reused_timers == 0,
                              "a cold run found %llu slots and %llu timers kept",
                              (unsigned long long)out.coro.reused_slots,
                              (unsigned long long)out.coro.reused_timers);
                else
                    EB_CHECKF(
                        out.coro.reused_slots >= counts[k] && out.coro.reused_timers >= counts[k],
                        "a warm run of %llu found %llu slots and %llu timers kept",
                        (unsigned long long)counts[k], (unsigned long long)out.coro.reused_slots,
                        (unsigned long long)out.coro.reused_timers);
            }
            eb_job_free(&job);
        }
    }
    eb_coro_stacks_cache_clear();
}
