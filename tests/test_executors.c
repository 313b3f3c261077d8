/* test_executors.c — each executor runs each workload and the results verify;
 * the job's shared arrays say who ran what. */
#include "eb_test.h"
#include "job_fixture.h"
#include "results.h"
#include "wait.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static void check_runs(const char *executor, const char *workload, uint64_t tasks, unsigned workers,
                       int64_t param)
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
    for (unsigned w = 0; w < job.worker_slots; w++)
        done += job.worker[w].tasks_done;
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

/* The threaded executor's clock stops when its last worker is done with its
 * tasks, as a process pool's does, before the threads read their run delay
 * (an open of /proc each), exit and are joined: the job ends at that stamp,
 * past every task's end, and each worker's run delay is read all the same. */
EB_TEST(threaded_stops_the_clock_when_the_last_worker_is_done_not_at_the_joins)
{
    eb_job job;
    fixture_job(&job, "io.sleep", 40, 40, "latency_us", (int64_t)1000, NULL);
    eb_job_result out;
    char why[256];
    EB_REQUIRE(fixture_run(&job, "threaded", &out, why, sizeof why) == 0);
    int64_t last_end = 0;
    for (uint64_t t = 0; t < job.tasks; t++)
        if (job.task_end_ns[t] > last_end) last_end = job.task_end_ns[t];
    EB_CHECKF(job.end_ns > 0 && out.wall_ns == job.end_ns - job.start_ns,
              "the clock ran to the joins: end stamp %lld, wall %lld", (long long)job.end_ns,
              (long long)out.wall_ns);
    EB_CHECKF(out.wall_ns >= last_end, "wall %lld before the last task's end %lld",
              (long long)out.wall_ns, (long long)last_end);
    for (unsigned w = 0; w < job.worker_slots; w++)
        EB_CHECKF(job.worker[w].run_delay_ns >= 0, "worker %u: run delay %lld", w,
                  (long long)job.worker[w].run_delay_ns);
    EB_CHECKF(out.run_delay_ns >= 0, "the job's run delay: %lld", (long long)out.run_delay_ns);
    eb_job_free(&job);
}

/* A forked worker reads its run delay once it has said it is done (the
 * leader's clock stops at the last such word), into the shared slots. */
EB_TEST(multiprocess_workers_read_their_run_delay_after_saying_they_are_done)
{
    eb_job job;
    fixture_job(&job, "io.sleep", 6, 3, "latency_us", (int64_t)1000, NULL);
    eb_job_result out;
    char why[256];
    EB_REQUIRE(fixture_run(&job, "multiprocess", &out, why, sizeof why) == 0);
    for (unsigned w = 0; w < job.worker_slots; w++)
        EB_CHECKF(job.worker[w].delay_start_ns == 0 && job.worker[w].run_delay_ns >= 0,
                  "worker %u: start %lld, delay %lld", w, (long long)job.worker[w].delay_start_ns,
                  (long long)job.worker[w].run_delay_ns);
    EB_CHECKF(out.run_delay_ns >= 0, "the job's run delay: %lld", (long long)out.run_delay_ns);
    eb_job_free(&job);
}

/* The placeholder of an executor not built yet answers -ENOSYS: such an
 * executor is reported and left out, not counted as a pass. */
static bool executor_built(const char *executor)
{
    /* A named-only executor (mpi) runs registry workloads in programs of its
     * own, not this test's fixtures: test_mpi.c runs it through execbench. */
    if (eb_executor_find(executor)->named_only) return false;
    eb_job job;
    fixture_job(&job, "cpu.sumsq", 1, 1, "n", (int64_t)10, NULL);
    eb_job_result out;
    char why[256];
    int rc = fixture_run(&job, executor, &out, why, sizeof why);
    eb_job_free(&job);
    if (rc == -ENOSYS) fprintf(stderr, "note: %s is not built yet (%s); left out\n", executor, why);
    return rc != -ENOSYS;
}

EB_TEST(every_executor_runs_every_workload)
{
    for (size_t e = 0; e < eb_executor_count; e++) {
        const eb_executor *ex = eb_executors[e];
        if (!executor_built(ex->name)) continue;
        check_runs(ex->name, "cpu.sumsq", 12, strcmp(ex->name, "sequential") == 0 ? 1 : 2, 20000);
        check_runs(ex->name, "io.sleep", 12, ex->allows_unbounded ? 0 : 3, 2000);
    }
}

EB_TEST(multiprocess_runs_sumsq_and_sleep)
{
    check_runs("multiprocess", "cpu.sumsq", 40, 3, 10000);
    check_runs("multiprocess", "io.sleep", 20, 4, 1000);
}

EB_TEST(multiprocess_workers_are_processes_and_their_cpu_counts)
{
    eb_job job;
    fixture_job(&job, "cpu.sumsq", 8, 2, "n", (int64_t)10000000, NULL);
    eb_job_result out;
    char why[256];
    EB_REQUIRE(fixture_run(&job, "multiprocess", &out, why, sizeof why) == 0);
    EB_CHECK(job.worker[0].pid > 0 && job.worker[1].pid > 0);
    EB_CHECK(job.worker[0].pid != job.worker[1].pid);
    EB_CHECK(job.worker[0].pid != getpid() && job.worker[1].pid != getpid());
    /* The sums ran in the children, so their CPU is most of the job's. */
    EB_CHECKF(out.children_cpu_ns > 0, "children_cpu_ns %lld", (long long)out.children_cpu_ns);
    EB_CHECKF(out.children_cpu_ns * 2 > out.cpu_user_ns + out.cpu_sys_ns,
              "children %lld of %lld ns", (long long)out.children_cpu_ns,
              (long long)(out.cpu_user_ns + out.cpu_sys_ns));
    EB_CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD); /* all reaped */
    eb_job_free(&job);
}

EB_TEST(multiprocess_names_the_worker_and_task_of_a_crash)
{
    eb_job job;
    fixture_job(&job, "test.crash", 8, 2, "at", (int64_t)5, NULL);
    eb_job_result out;
    char why[256];
    int rc = fixture_run(&job, "multiprocess", &out, why, sizeof why);
    EB_CHECK(rc != 0);
    unsigned worker = 99;
    int task = -1;
    EB_CHECKF(sscanf(why, "worker %u killed by signal 11 (SIGSEGV) in task %d", &worker, &task) ==
                  2,
              "message: %s", why);
    EB_CHECKF(worker < 2 && task == 5, "message: %s", why);
    EB_CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
    if (job.workload->teardown != NULL) job.workload->teardown(&job);
    eb_job_free(&job);
}

/* Verification that accepts whatever ran: for the workloads below, made to
 * test an executor's clock or its failures, not their results. */
static int accept_any(const eb_job *job, char *why, size_t why_len)
{
    (void)job;
    (void)why;
    (void)why_len;
    return 0;
}

/* Runs one of this file's workloads on `executor` in a job laid out here,
 * left allocated for the caller to read and free; returns the run's status. */
static int run_bare(const eb_workload *workload, const char *executor, uint64_t tasks,
                    unsigned workers, bool spawn_apart, eb_job *job, eb_job_result *out)
{
    memset(job, 0, sizeof *job);
    job->workload = workload;
    job->tasks = tasks;
    job->workers = workers;
    job->spawn_apart = spawn_apart;
    EB_REQUIRE(eb_job_alloc(job) == 0);
    memset(out, 0, sizeof *out);
    return eb_executor_find(executor)->run(job, out);
}

/* A task that leaves 512 MiB written and mapped, so that the process running
 * it takes a while to exit (the kernel frees every page then): ~10-30 ms,
 * well above what a loaded machine adds to a wake-up (256 MiB took 4.8 ms
 * under ASan in CI, while the parent's wake-up after the last task took
 * 3.2 ms at best of three). */
enum { LINGER_BYTES = 512 << 20 };

static void touch_and_keep(void)
{
    char *p = mmap(NULL, LINGER_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;
    for (size_t i = 0; i < LINGER_BYTES; i += 4096)
        p[i] = 1;
}

static int lingering_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    (void)job;
    touch_and_keep();
    *result = task;
    return 0;
}

static const eb_workload lingering_workload = {
    .name = "test.lingering",
    .kind = EB_WORK_CPU,
    .run_task = lingering_run_task,
    .verify = accept_any,
};

/* How long a process holding LINGER_BYTES takes from its last word to its
 * reaping, measured here, apart from any executor. */
static int64_t lingering_exit_ns(void)
{
    int ends[2];
    if (pipe(ends) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        touch_and_keep();
        (void)!write(ends[1], "x", 1);
        _exit(0);
    }
    close(ends[1]);
    char c;
    (void)!read(ends[0], &c, 1);
    int64_t said = eb_now_ns();
    waitpid(pid, NULL, 0);
    close(ends[0]);
    return eb_now_ns() - said;
}

/* The job's clock stops when the last worker has finished its tasks, not
 * when it has exited and been reaped: a worker whose exit is slow (512 MiB to
 * free) must not lengthen the job by that exit. The least of five of each,
 * so that one preempted run decides nothing; the old clock, running until
 * waitpid returned, gave 7.9-13.1 ms past the last task against 7.7-14.4 ms
 * of exit, and failed. */
EB_TEST(multiprocess_stops_the_clock_when_the_last_worker_finishes_not_when_it_is_reaped)
{
    int64_t exit_ns = INT64_MAX, after_last_task = INT64_MAX;
    for (int attempt = 0; attempt < 5; attempt++) {
        int64_t e = lingering_exit_ns();
        EB_REQUIRE(e > 0);
        if (e < exit_ns) exit_ns = e;
        eb_job job;
        eb_job_result out;
        EB_REQUIRE(run_bare(&lingering_workload, "multiprocess", 1, 1, false, &job, &out) == 0);
        int64_t after = out.wall_ns - job.task_end_ns[0];
        if (after < after_last_task) after_last_task = after;
        EB_CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD); /* reaped all the same */
        eb_job_free(&job);
    }
    EB_CHECKF(after_last_task * 4 < exit_ns,
              "the job ran %.3f ms past its last task; such a worker takes %.3f ms to exit",
              (double)after_last_task / 1e6, (double)exit_ns / 1e6);
}

/* A workload whose worker_init takes 40 ms (a session that is slow to open)
 * and whose tasks are short; with slow_init_fails, worker_init fails. */
enum { SLOW_INIT_MS = 40 };
static bool slow_init_fails;

static int slow_init(eb_job *job, unsigned worker)
{
    (void)job;
    (void)worker;
    if (slow_init_fails) return -EIO;
    struct timespec ts = {0, SLOW_INIT_MS * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
    return 0;
}

static int short_task(eb_job *job, uint64_t task, uint64_t *result)
{
    (void)job;
    *result = task;
    return 0;
}

static const eb_workload slow_init_workload = {
    .name = "test.slowinit",
    .kind = EB_WORK_CPU,
    .worker_init = slow_init,
    .run_task = short_task,
    .verify = accept_any,
};

/* --spawn apart: the pools' start-up (here a 40 ms worker_init) is out of the
 * job's time and in spawn_ns; timed, it is in the job's time. Every task's stamps are
 * on the job's clock: a forked worker that kept the launch as its start
 * would stamp its tasks 40 ms late, past the job's end. */
EB_TEST(spawn_apart_starts_the_clock_when_every_worker_is_ready)
{
    static const char *const pools[] = {"threaded", "multiprocess", "hybrid"};
    for (size_t e = 0; e < sizeof pools / sizeof *pools; e++) {
        for (int apart = 0; apart <= 1; apart++) {
            eb_job job;
            eb_job_result out;
            int rc = run_bare(&slow_init_workload, pools[e], 8, 2, apart, &job, &out);
            EB_CHECKF(rc == 0, "%s: %s", pools[e], out.error);
            const int64_t init_ns = (int64_t)SLOW_INIT_MS * 1000000;
            if (apart) {
                EB_CHECKF(out.wall_ns * 2 < init_ns, "%s: the job took %.3f ms", pools[e],
                          (double)out.wall_ns / 1e6);
                EB_CHECKF(out.spawn_ns >= init_ns, "%s: spawn_ns %lld", pools[e],
                          (long long)out.spawn_ns);
            } else
                EB_CHECKF(out.wall_ns >= init_ns, "%s timed: the job took %.3f ms", pools[e],
                          (double)out.wall_ns / 1e6);
            for (uint64_t t = 0; t < job.tasks; t++)
                EB_CHECKF(job.task_start_ns[t] >= 0 && job.task_end_ns[t] <= out.wall_ns,
                          "%s apart=%d: task %llu ran %lld..%lld ns of a %lld ns job", pools[e],
                          apart, (unsigned long long)t, (long long)job.task_start_ns[t],
                          (long long)job.task_end_ns[t], (long long)out.wall_ns);
            EB_CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
            eb_job_free(&job);
        }
    }
}

/* A worker whose worker_init fails still counts at the gate: the job fails
 * with its message instead of waiting for it forever. */
EB_TEST(spawn_apart_reports_a_failed_worker_init_without_waiting_for_it)
{
    static const char *const pools[] = {"threaded", "multiprocess", "hybrid"};
    slow_init_fails = true;
    for (size_t e = 0; e < sizeof pools / sizeof *pools; e++) {
        eb_job job;
        eb_job_result out;
        int rc = run_bare(&slow_init_workload, pools[e], 8, 2, true, &job, &out);
        EB_CHECKF(rc == -EIO && strstr(out.error, "worker_init failed") != NULL, "%s: rc %d: %s",
                  pools[e], rc, out.error);
        EB_CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
        eb_job_free(&job);
    }
    slow_init_fails = false;
}

/* A workload whose task 3 fails with EIO: the executor must say so. */
static int failing_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    (void)job;
    *result = task;
    return task == 3 ? -EIO : 0;
}

static const eb_workload failing_workload = {
    .name = "test.failing",
    .kind = EB_WORK_CPU,
    .run_task = failing_run_task,
    .verify = accept_any,
};

EB_TEST(every_executor_reports_a_failed_task)
{
    for (size_t e = 0; e < eb_executor_count; e++) {
        const eb_executor *ex = eb_executors[e];
        if (!executor_built(ex->name)) continue;
        eb_job job;
        eb_job_result out;
        int rc = run_bare(&failing_workload, ex->name, 6,
                          strcmp(ex->name, "sequential") == 0 ? 1 : 2, false, &job, &out);
        EB_CHECKF(rc == -EIO && out.status == -EIO, "%s: rc %d", ex->name, rc);
        EB_CHECKF(strstr(out.error, "task 3 failed: Input/output error") != NULL, "%s: %s",
                  ex->name, out.error);
        eb_job_free(&job);
    }
}

EB_TEST(every_executor_runs_a_bad_result_that_verify_catches)
{
    for (size_t e = 0; e < eb_executor_count; e++) {
        const eb_executor *ex = eb_executors[e];
        if (!executor_built(ex->name)) continue;
        eb_job job;
        fixture_job(&job, "test.badresult", 6, strcmp(ex->name, "sequential") == 0 ? 1 : 2, "at",
                    (int64_t)2, NULL);
        eb_job_result out;
        char why[256];
        int rc = fixture_run(&job, ex->name, &out, why, sizeof why);
        EB_CHECKF(rc != 0 && out.status == 0, "%s: rc %d status %d", ex->name, rc, out.status);
        EB_CHECKF(strncmp(why, "task 2: sum of k*k", 18) == 0, "%s: %s", ex->name, why);
        eb_job_free(&job);
    }
}

/* The registry marks one executor the reference of a group; documents name it,
 * and the results library reads it by that name: the two must agree. */
EB_TEST(the_one_reference_executor_is_the_one_documents_name)
{
    size_t references = 0;
    for (size_t i = 0; i < eb_executor_count; i++) {
        if (!eb_executors[i]->reference) continue;
        references++;
        EB_CHECKF(strcmp(eb_executors[i]->name, eb_reference_executor()) == 0,
                  "the registry's reference is %s, documents name %s", eb_executors[i]->name,
                  eb_reference_executor());
        /* a reference runs its tasks on one worker: its median is the sequential time */
        EB_CHECK(eb_executors[i]->max_workers == 1 && !eb_executors[i]->parallel);
    }
    EB_CHECK(references == 1);
}
