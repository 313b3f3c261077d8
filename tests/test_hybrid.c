/* test_hybrid.c — the hybrid executor (M:N) and the scheduler groups under it:
 * every workload verifies with any number of threads and coroutines, the
 * coroutines in flight never exceed --workers, waits overlap, ready
 * coroutines move to an idle thread (and stay put when stealing is off), fd
 * waits end with their own result on whatever thread, a coroutine lost
 * outside a wait is reported, and a GIL is honoured; mix.waitsum's verify
 * catches what it must. */
#include "eb_test.h"
#include "gil.h"
#include "job_fixture.h"
#include "scheduler.h"
#include "sumsq_kernel.h"
#include "wait.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

/* fixture_job, then the job remade with `threads` hybrid threads (each gets
 * its worker slot). */
static void hybrid_job(eb_job *job, unsigned threads, const char *workload, uint64_t tasks,
                       unsigned workers, const char *key1, int64_t v1, const char *key2, int64_t v2)
{
    fixture_job(job, workload, tasks, workers, key1, v1, key2, v2, NULL);
    eb_job_free(job);
    job->threads = threads;
    EB_REQUIRE(eb_job_alloc(job) == 0);
}

/* The most tasks whose [start, end) overlap at one moment. */
static uint64_t most_in_flight(const eb_job *job)
{
    uint64_t most = 0;
    for (uint64_t i = 0; i < job->tasks; i++) {
        uint64_t at = 0; /* tasks running at task i's start */
        for (uint64_t j = 0; j < job->tasks; j++)
            at += job->task_start_ns[j] <= job->task_start_ns[i] &&
                  job->task_end_ns[j] > job->task_start_ns[i];
        if (at > most) most = at;
    }
    return most;
}

/* With separate stacks (auto, for these few) and with copied ones. */
static void check_run(unsigned threads, unsigned workers, const char *workload, uint64_t tasks,
                      const char *key1, int64_t v1, const char *key2, int64_t v2)
{
    for (int mode = EB_CORO_STACK_SEPARATE; mode <= EB_CORO_STACK_COPY; mode++) {
        eb_job job;
        hybrid_job(&job, threads, workload, tasks, workers, key1, v1, key2, v2);
        job.coro_stack = mode == EB_CORO_STACK_COPY ? mode : EB_JOB_CORO_STACK_AUTO;
        eb_job_result out;
        char why[256];
        int rc = fixture_run(&job, "hybrid", &out, why, sizeof why);
        EB_CHECKF(rc == 0, "%u threads, %u workers, %s, %s stacks: %s", threads, workers, workload,
                  eb_coro_stack_mode_name((eb_coro_stack_mode)mode), why);
        EB_CHECKF(out.coro.stack_mode == mode, "%s: ran with %s stacks", workload,
                  eb_coro_stack_mode_name((eb_coro_stack_mode)out.coro.stack_mode));
        int64_t done = 0;
        unsigned ready = 0;
        for (unsigned w = 0; w < job.worker_slots; w++) {
            done += job.worker[w].tasks_done;
            ready += job.worker[w].ready_ns >= 0;
        }
        uint64_t in_flight = workers == 0 || workers > tasks ? tasks : workers;
        unsigned want_threads = threads < in_flight ? threads : (unsigned)in_flight;
        EB_CHECKF(done == (int64_t)tasks, "%s: %lld of %llu tasks", workload, (long long)done,
                  (unsigned long long)tasks);
        EB_CHECKF(ready == want_threads, "%s: %u threads ready, want %u", workload, ready,
                  want_threads);
        EB_CHECKF(most_in_flight(&job) <= in_flight, "%s: %llu in flight, at most %llu allowed",
                  workload, (unsigned long long)most_in_flight(&job),
                  (unsigned long long)in_flight);
        EB_CHECK(out.wall_ns > 0 && out.spawn_ns >= 0 && out.spawn_ns <= out.wall_ns);
        eb_job_free(&job);
    }
}

EB_TEST(hybrid_runs_every_workload_with_any_threads_and_workers)
{
    static const unsigned threads[] = {1, 2, 3};
    static const unsigned workers[] = {0, 1, 2, 5, 40};
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
        for (size_t w = 0; w < sizeof workers / sizeof *workers; w++) {
            check_run(threads[t], workers[w], "io.sleep", 40, "latency_us", 2000, "jitter_pct", 20);
            check_run(threads[t], workers[w], "cpu.sumsq", 12, "n", 200000, "n", 200000);
            check_run(threads[t], workers[w], "mix.waitsum", 30, "n", 100000, "latency_us", 2000);
            check_run(threads[t], workers[w], "mix.convoy", 9, "n", 1000000, "latency_us", 2000);
        }
    }
}

EB_TEST(hybrid_waits_overlap)
{
    /* 200 waits of 20 ms, unbounded: about 20 ms, not 4 s (a wide margin) */
    eb_job job;
    hybrid_job(&job, 2, "io.sleep", 200, 0, "latency_us", 20000, "jitter_pct", 0);
    eb_job_result out;
    char why[256];
    EB_REQUIRE(fixture_run(&job, "hybrid", &out, why, sizeof why) == 0);
    EB_CHECKF(out.wall_ns < INT64_C(200) * 20000000 / 10, "wall %lld ns", (long long)out.wall_ns);
    /* 4 in flight: ceil(40 / 4) rounds of 10 ms at least */
    eb_job_free(&job);
    hybrid_job(&job, 2, "io.sleep", 40, 4, "latency_us", 10000, "jitter_pct", 0);
    EB_REQUIRE(fixture_run(&job, "hybrid", &out, why, sizeof why) == 0);
    EB_CHECKF(out.wall_ns >= 10 * 10000000, "wall %lld ns", (long long)out.wall_ns);
    EB_CHECK(most_in_flight(&job) <= 4);
    eb_job_free(&job);
}

/* ---- the group underneath ------------------------------------------------------- */

#ifdef EB_SANITIZE_BUILD
#define STACK_BYTES (256 * 1024)
#else
#define STACK_BYTES (64 * 1024)
#endif

typedef struct group_test {
    eb_sched_group *group;
    unsigned members;
    _Atomic uint64_t next;
    uint64_t count;
    bool only_first;         /* only member 0 starts coroutines */
    eb_coro_stack_mode mode; /* every member's (SEPARATE: 0) */
    /* what the coroutines saw */
    _Atomic uint64_t moved, finished;
    _Atomic uint64_t begun;     /* wait_then_compute: coroutines started */
    _Atomic int64_t release_ns; /* ... and when they all become ready (0: none started) */
    int fd_read[64], fd_write[64];
    int fd_result[64];
    int run_rc[4];
} group_test;

typedef struct member_ctx {
    group_test *t;
    unsigned index;
} member_ctx;

/* One queue for all members, as the group requires. With only_first, the
 * other members wait until member 0 has claimed every task. */
static bool next_arg(void *raw, uint64_t *arg)
{
    member_ctx *m = raw;
    if (m->t->only_first && m->index != 0) {
        while (atomic_load(&m->t->next) < m->t->count)
            sched_yield();
        return false;
    }
    uint64_t i = atomic_fetch_add(&m->t->next, 1);
    if (i >= m->t->count) return false;
    *arg = i;
    return true;
}

typedef struct member_thread {
    member_ctx ctx;
    eb_coro_fn fn;
    pthread_t handle;
} member_thread;

static void *member_main(void *raw)
{
    member_thread *m = raw;
    eb_sched *s = eb_sched_group_member(m->ctx.t->group, m->ctx.index);
    m->ctx.t->run_rc[m->ctx.index] = eb_sched_run(s, m->fn, &m->ctx, next_arg);
    return NULL;
}

static void run_group(group_test *t, unsigned members, bool steal, eb_coro_fn fn)
{
    eb_sched_config configs[4];
    for (unsigned i = 0; i < members; i++)
        configs[i] = (eb_sched_config){.backend = EB_CORO_FCONTEXT,
                                       .max_coros = t->count,
                                       .stack_bytes = STACK_BYTES,
                                       .guard = EB_STACK_GUARD_AUTO,
                                       .stack_mode = t->mode};
    eb_sched_group_config gc = {.no_steal = !steal};
    EB_REQUIRE(eb_sched_group_create(configs, members, &gc, &t->group) == 0);
    EB_CHECK(eb_sched_group_size(t->group) == members);
    t->members = members;
    member_thread m[4];
    for (unsigned i = 0; i < members; i++) {
        m[i] = (member_thread){.ctx = {t, i}, .fn = fn};
        EB_REQUIRE(pthread_create(&m[i].handle, NULL, member_main, &m[i]) == 0);
    }
    for (unsigned i = 0; i < members; i++)
        pthread_join(m[i].handle, NULL);
}

/* The calling thread's id, asked of the kernel. Not pthread_self(): glibc
 * declares it const, so the compiler may keep its value across a wait, after
 * which the coroutine may be on another thread (seen here: no move was ever
 * noticed). Any thread-local address kept across a wait has the same flaw. */
static long thread_id(void)
{
    return syscall(SYS_gettid);
}

/* Waits until one deadline for all, 300 ms after the first coroutine's start,
 * so that they become ready together and pile up on the thread they waited
 * on, then computes about a millisecond; notes whether it came back on another
 * thread than the one it waited on. The time between the last start and the
 * deadline lets an idle member fall asleep first, so that it must be woken to
 * steal. A wait of 5 ms from each coroutine's own start failed under
 * ThreadSanitizer (once member 1 was still awake and stole unwoken), and with
 * 50 ms each, starts as slow as TSan's (about 2 ms a coroutine) made the
 * deadlines fall one by one, so that no ready coroutines piled up to steal. */
static void wait_then_compute(void *raw, uint64_t arg)
{
    member_ctx *m = raw;
    group_test *t = m->t;
    long before = thread_id();
    int64_t none = 0;
    atomic_compare_exchange_strong(&t->release_ns, &none, eb_now_ns() + 300000000);
    atomic_fetch_add(&t->begun, 1);
    EB_CHECK(eb_wait_until_ns(atomic_load(&t->release_ns)) == 0);
    EB_CHECKF(atomic_load(&t->begun) == t->count, "%llu of %llu started by the deadline",
              (unsigned long long)atomic_load(&t->begun), (unsigned long long)t->count);
    if (thread_id() != before) atomic_fetch_add(&m->t->moved, 1);
    EB_CHECK(eb_sumsq_verify(1000000 + arg, eb_sumsq(1000000 + arg)));
    atomic_fetch_add(&m->t->finished, 1);
}

/* Member 0 starts every coroutine, so all their waits end on its thread;
 * member 1, idle, is woken and steals some. Without stealing none moves. */
EB_TEST(ready_coroutines_move_to_an_idle_thread)
{
    for (int steal = 1; steal >= 0; steal--) {
        group_test t = {.count = 24, .only_first = true};
        run_group(&t, 2, steal == 1, wait_then_compute);
        EB_CHECK(t.run_rc[0] == 0 && t.run_rc[1] == 0);
        EB_CHECK(atomic_load(&t.finished) == 24);
        eb_sched_stats s0, s1;
        eb_sched_get_stats(eb_sched_group_member(t.group, 0), &s0);
        eb_sched_get_stats(eb_sched_group_member(t.group, 1), &s1);
        EB_CHECK(s0.started == 24 && s1.started == 0);
        if (steal) {
            EB_CHECKF(atomic_load(&t.moved) > 0 && s1.steals > 0 && s0.wakeups > 0,
                      "moved %llu, member 1 stole %llu, member 0 woke %llu",
                      (unsigned long long)atomic_load(&t.moved), (unsigned long long)s1.steals,
                      (unsigned long long)s0.wakeups);
        } else {
            EB_CHECK(atomic_load(&t.moved) == 0 && s1.steals == 0);
        }
        eb_sched_group_destroy(t.group);
    }
}

/* A COPY coroutine's frames hold its run stack's addresses: it cannot resume
 * on another member's thread. So a COPY group steals nothing even when asked
 * to: member 0 starts every coroutine and all of them finish there, verified,
 * while member 1 idles (a stolen one would resume on member 1's run stack
 * with frames pointing into member 0's: wrong sums or a crash). Every member
 * has one mode: a mixed group is refused. */
EB_TEST(a_copy_group_keeps_every_coroutine_on_the_thread_that_started_it)
{
    group_test t = {.count = 24, .only_first = true, .mode = EB_CORO_STACK_COPY};
    run_group(&t, 2, true, wait_then_compute);
    EB_CHECK(t.run_rc[0] == 0 && t.run_rc[1] == 0);
    EB_CHECK(atomic_load(&t.finished) == 24);
    eb_sched_stats s0, s1;
    eb_sched_get_stats(eb_sched_group_member(t.group, 0), &s0);
    eb_sched_get_stats(eb_sched_group_member(t.group, 1), &s1);
    EB_CHECKF(s0.started == 24 && atomic_load(&t.moved) == 0 && s1.steals == 0,
              "member 0 started %llu, moved %llu, member 1 stole %llu",
              (unsigned long long)s0.started, (unsigned long long)atomic_load(&t.moved),
              (unsigned long long)s1.steals);
    eb_sched_group_destroy(t.group);

    eb_sched_config configs[2];
    for (unsigned i = 0; i < 2; i++)
        configs[i] = (eb_sched_config){.backend = EB_CORO_FCONTEXT,
                                       .max_coros = 4,
                                       .stack_bytes = STACK_BYTES,
                                       .guard = EB_STACK_GUARD_AUTO,
                                       .stack_mode = EB_CORO_STACK_COPY};
    eb_sched_group *g = NULL;
    configs[1].stack_mode = EB_CORO_STACK_SEPARATE;
    EB_CHECK(eb_sched_group_create(configs, 2, NULL, &g) == -ENOTSUP && g == NULL);
}

/* Each coroutine waits on its own pipe: the even ones are written to and must
 * see 0, the odd ones must time out; the result travels with the coroutine
 * to whichever thread resumes it. */
static void wait_on_pipe(void *raw, uint64_t arg)
{
    member_ctx *m = raw;
    int64_t deadline = eb_now_ns() + (arg % 2 == 0 ? 10000000000 : 30000000);
    m->t->fd_result[arg] = eb_wait_fd(m->t->fd_read[arg], EB_WAIT_READABLE, deadline);
    /* compute a little, so that ready ones pile up and move */
    volatile uint64_t sink = eb_sumsq(200000);
    (void)sink;
    atomic_fetch_add(&m->t->finished, 1);
}

static void *write_even_pipes(void *raw)
{
    group_test *t = raw;
    usleep(5000);
    for (uint64_t i = 0; i < t->count; i += 2)
        EB_CHECK(write(t->fd_write[i], "x", 1) == 1);
    return NULL;
}

static void fd_waits_end_with_their_own_result(eb_coro_stack_mode mode)
{
    group_test t = {.count = 64, .mode = mode};
    for (int i = 0; i < 64; i++) {
        int p[2];
        EB_REQUIRE(pipe2(p, O_CLOEXEC) == 0);
        t.fd_read[i] = p[0];
        t.fd_write[i] = p[1];
    }
    pthread_t writer;
    EB_REQUIRE(pthread_create(&writer, NULL, write_even_pipes, &t) == 0);
    run_group(&t, 2, true, wait_on_pipe);
    pthread_join(writer, NULL);
    EB_CHECK(t.run_rc[0] == 0 && t.run_rc[1] == 0);
    EB_CHECK(atomic_load(&t.finished) == 64);
    for (int i = 0; i < 64; i++) {
        EB_CHECKF(t.fd_result[i] == (i % 2 == 0 ? 0 : -ETIMEDOUT), "pipe %d: %d", i,
                  t.fd_result[i]);
        close(t.fd_read[i]);
        close(t.fd_write[i]);
    }
    eb_sched_group_destroy(t.group);
}

EB_TEST(fd_waits_end_with_their_own_result_on_any_thread)
{
    fd_waits_end_with_their_own_result(EB_CORO_STACK_SEPARATE);
}

/* A COPY group keeps fd results by slot, as one thread's scheduler does. */
EB_TEST(fd_waits_end_with_their_own_result_in_a_copy_group)
{
    fd_waits_end_with_their_own_result(EB_CORO_STACK_COPY);
}

static void suspend_for_good(void *raw, uint64_t arg)
{
    member_ctx *m = raw;
    (void)arg;
    eb_coro_suspend(eb_sched_current(eb_sched_group_member(m->t->group, m->index)));
}

/* A coroutine suspended outside a wait can never be resumed: every member
 * stops with -EDEADLK instead of sleeping for ever. */
EB_TEST(a_coroutine_suspended_outside_a_wait_is_reported)
{
    group_test t = {.count = 4};
    run_group(&t, 2, true, suspend_for_good);
    EB_CHECKF(t.run_rc[0] == -EDEADLK && t.run_rc[1] == -EDEADLK, "%d %d", t.run_rc[0],
              t.run_rc[1]);
    eb_sched_group_destroy(t.group);
}

/* ---- the GIL ---------------------------------------------------------------------- */

EB_TEST(hybrid_under_a_gil_verifies_and_hands_it_over)
{
    eb_gil_config c = {.interval_us = 100};
    eb_gil *gil;
    EB_REQUIRE(eb_gil_create(&c, &gil) == 0);
    const char *workloads[] = {"cpu.sumsq", "mix.waitsum"};
    for (int k = 0; k < 2; k++) {
        eb_job job;
        if (k == 0)
            hybrid_job(&job, 2, workloads[k], 8, 0, "n", 2000000, "n", 2000000);
        else
            hybrid_job(&job, 2, workloads[k], 40, 0, "n", 300000, "latency_us", 2000);
        job.gil = gil;
        eb_job_result out;
        char why[256];
        int rc = fixture_run(&job, "hybrid", &out, why, sizeof why);
        EB_CHECKF(rc == 0, "%s: %s", workloads[k], why);
        /* both threads held it (whether one waited depends on when each started) */
        EB_CHECKF(out.gil.switches > 1, "%s: switches %llu", workloads[k],
                  (unsigned long long)out.gil.switches);
        eb_job_free(&job);
    }
    eb_gil_destroy(gil);
}

/* ---- mix.waitsum ---------------------------------------------------------------------- */

EB_TEST(mix_waitsum_verify_catches_a_wrong_sum_and_a_short_wait)
{
    eb_job job;
    fixture_job(&job, "mix.waitsum", 6, 1, "n", (int64_t)1000, "latency_us", (int64_t)1000, NULL);
    eb_job_result out;
    char why[256];
    EB_REQUIRE(fixture_run(&job, "sequential", &out, why, sizeof why) == 0);
    EB_CHECK(job.task_end_ns[3] - job.task_start_ns[3] >= 1000000);
    job.task_result[4] ^= 1;
    EB_CHECK(job.workload->verify(&job, why, sizeof why) != 0);
    EB_CHECKF(strstr(why, "task 4") != NULL && strstr(why, "sum") != NULL, "message: %s", why);
    job.task_result[4] ^= 1;
    EB_CHECK(job.workload->verify(&job, why, sizeof why) == 0);
    job.task_end_ns[2] = job.task_start_ns[2] + 999999;
    EB_CHECK(job.workload->verify(&job, why, sizeof why) != 0);
    EB_CHECKF(strstr(why, "task 2") != NULL && strstr(why, "wait") != NULL, "message: %s", why);
    eb_job_free(&job);
}

/* ---- mix.convoy ----------------------------------------------------------------------- */

/* Task 0 computes (its sum checked), the others wait (each at least its wait). */
EB_TEST(mix_convoy_verify_catches_a_wrong_sum_and_a_short_wait)
{
    eb_job job;
    fixture_job(&job, "mix.convoy", 5, 2, "n", (int64_t)100000, "latency_us", (int64_t)1000, NULL);
    eb_job_result out;
    char why[256];
    EB_REQUIRE(fixture_run(&job, "threaded", &out, why, sizeof why) == 0);
    EB_CHECK(job.task_end_ns[3] - job.task_start_ns[3] >= 1000000);
    job.task_result[0] ^= 1;
    EB_CHECK(job.workload->verify(&job, why, sizeof why) != 0);
    EB_CHECKF(strstr(why, "task 0") != NULL && strstr(why, "sum") != NULL, "message: %s", why);
    job.task_result[0] ^= 1;
    EB_CHECK(job.workload->verify(&job, why, sizeof why) == 0);
    job.task_end_ns[2] = job.task_start_ns[2] + 999999;
    EB_CHECK(job.workload->verify(&job, why, sizeof why) != 0);
    EB_CHECKF(strstr(why, "task 2") != NULL && strstr(why, "wait") != NULL, "message: %s", why);
    eb_job_free(&job);
}
