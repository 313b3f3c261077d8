/* test_gil.c — the GIL emulation: one holder at a time under contention, the
 * drop request after the switch interval, forced switching, waits that
 * release it, and the check point's hook. Timings are lower bounds the
 * algorithm guarantees (a timed wait never ends early) or ratios with wide
 * margins, never absolute limits. */
#include "eb_test.h"
#include "gil.h"
#include "job_fixture.h"
#include "job_run.h"
#include "sumsq_kernel.h"
#include "wait.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static eb_gil *make_gil(int64_t interval_us, bool force)
{
    eb_gil_config c = {.interval_us = interval_us, .no_force_switch = !force};
    eb_gil *g;
    EB_REQUIRE(eb_gil_create(&c, &g) == 0);
    return g;
}

/* ---- the check point ------------------------------------------------------ */

static int gave_way;
static void count_give_way(void *ctx)
{
    (void)ctx;
    gave_way++;
}
static void nothing(void *ctx)
{
    (void)ctx;
}

EB_TEST(check_point_calls_its_hook_only_on_request)
{
    _Atomic unsigned request = 0;
    eb_check_hook hook = {
        .request = &request, .give_way = count_give_way, .release = nothing, .reacquire = nothing};
    eb_check_point(); /* no hook: nothing to call */
    EB_CHECK(eb_check_set_hook(&hook) == NULL);
    eb_check_point();
    EB_CHECK(gave_way == 0);
    atomic_store(&request, 1);
    eb_check_point();
    EB_CHECK(gave_way == 1);
    /* the kernel checks every EB_SUMSQ_BLOCK elements: 10 blocks, 10 calls */
    EB_CHECK(eb_sumsq_verify(10 * EB_SUMSQ_BLOCK, eb_sumsq(10 * EB_SUMSQ_BLOCK)));
    EB_CHECKF(gave_way == 11, "%d", gave_way);
    EB_CHECK(eb_check_set_hook(NULL) == &hook);
}

/* A thread without a lock runs the check point through the no-lock hook, the
 * same loads and branch as under a GIL (wait.h: with a "no hook" branch of
 * its own, a GIL-bound thread computed the kernel 7-12% faster than a free
 * one). A thread of its own: its thread-local hook is the one it started with. */
static void *no_lock_thread(void *raw)
{
    int *failures = raw;
    _Atomic unsigned request = 0;
    eb_check_hook hook = {
        .request = &request, .give_way = count_give_way, .release = nothing, .reacquire = nothing};
    if (eb_check_hook_current != &eb_check_no_lock) ++*failures;
    if (atomic_load(eb_check_hook_current->request) != 0) ++*failures;
    if (eb_check_release() != NULL) ++*failures; /* nothing to release */
    if (eb_check_set_hook(&hook) != NULL) ++*failures;
    if (eb_check_hook_current != &hook) ++*failures;
    if (eb_check_set_hook(NULL) != &hook) ++*failures;
    if (eb_check_hook_current != &eb_check_no_lock) ++*failures;
    return NULL;
}

EB_TEST(a_thread_without_a_lock_checks_through_the_no_lock_hook)
{
    int failures = 0;
    pthread_t t;
    EB_REQUIRE(pthread_create(&t, NULL, no_lock_thread, &failures) == 0);
    pthread_join(t, NULL);
    EB_CHECKF(failures == 0, "%d checks failed", failures);
}

/* The worker's last claim reads its run delay from /proc: the harness's
 * bookkeeping, never under the GIL (under it, 160 io.sleep threads queued
 * behind each other's reads: +1.3 ms a point, GIL wait 150 ms). With a lock
 * the claim leaves it, taking no extra hand-off, and eb_job_worker_done
 * closes it once the thread has left the lock; without one the claim closes it. */
typedef struct last_claim {
    eb_job *job;
    bool with_lock;
    int released, reacquired;
    bool claimed_first, claimed_second;
    int64_t delay_after_claim, delay_after_done;
} last_claim;
static void count_release(void *ctx)
{
    ((last_claim *)ctx)->released++;
}
static void count_reacquire(void *ctx)
{
    ((last_claim *)ctx)->reacquired++;
}
static void *last_claim_thread(void *raw)
{
    last_claim *c = raw;
    _Atomic unsigned request = 0;
    eb_check_hook hook = {.request = &request,
                          .give_way = nothing,
                          .release = count_release,
                          .reacquire = count_reacquire,
                          .ctx = c};
    eb_job_worker_start(c->job, 0);
    if (c->with_lock) eb_check_set_hook(&hook);
    uint64_t task;
    c->claimed_first = eb_job_claim(c->job, &task);
    c->claimed_second = eb_job_claim(c->job, &task);
    c->delay_after_claim = c->job->worker[0].run_delay_ns;
    eb_check_set_hook(NULL); /* the thread leaves the lock */
    eb_job_worker_done();
    c->delay_after_done = c->job->worker[0].run_delay_ns;
    return NULL;
}

EB_TEST(the_last_claim_reads_the_run_delay_only_outside_the_gil)
{
    for (int with_lock = 0; with_lock < 2; with_lock++) {
        eb_job job;
        fixture_job(&job, "io.sleep", 1, 1, "latency_us", (int64_t)0, NULL);
        last_claim c = {.job = &job, .with_lock = with_lock};
        pthread_t t;
        EB_REQUIRE(pthread_create(&t, NULL, last_claim_thread, &c) == 0);
        pthread_join(t, NULL);
        EB_CHECK(c.claimed_first && !c.claimed_second);
        EB_CHECKF(c.released == 0 && c.reacquired == 0, "lock %d: released %d, reacquired %d",
                  with_lock, c.released, c.reacquired);
        if (with_lock)
            EB_CHECKF(c.delay_after_claim == -1, "read under the lock: %lld",
                      (long long)c.delay_after_claim);
        else
            EB_CHECKF(c.delay_after_claim >= 0, "not read at the last claim: %lld",
                      (long long)c.delay_after_claim);
        EB_CHECKF(c.delay_after_done >= 0, "lock %d: %lld", with_lock,
                  (long long)c.delay_after_done);
        eb_job_free(&job);
    }
}

/* The job's own thread as its worker (sequential, coroutine): its run delay is
 * read before the clock starts and after it stops, never at its last claim,
 * which for a coroutine comes after the wait (an open of /proc, ~55 us then). */
/* An io.sleep job of one task and `workers` slots, its clock started on the
 * calling thread (which is then the job's own). */
static void begin_job(eb_job *job, unsigned workers, eb_usage_mark *mark, eb_job_result *out)
{
    fixture_job(job, "io.sleep", 1, workers, "latency_us", (int64_t)0, NULL);
    memset(out, 0, sizeof *out);
    eb_job_begin(job, mark);
}

EB_TEST(the_job_threads_own_run_delay_is_read_outside_the_clock)
{
    eb_job job;
    eb_usage_mark mark;
    eb_job_result out;
    begin_job(&job, 1, &mark, &out);
    eb_job_worker_start(&job, 0);
    EB_CHECKF(job.worker[0].delay_start_ns >= 0, "no start read: %lld",
              (long long)job.worker[0].delay_start_ns);
    uint64_t task;
    EB_CHECK(eb_job_claim(&job, &task));
    EB_CHECK(!eb_job_claim(&job, &task));
    EB_CHECKF(job.worker[0].run_delay_ns == -1, "read at the last claim, on the clock: %lld",
              (long long)job.worker[0].run_delay_ns);
    eb_job_end(&job, &mark, &out);
    EB_CHECKF(job.worker[0].run_delay_ns >= 0 && out.run_delay_ns >= 0,
              "not read at the end: slot %lld, job %lld", (long long)job.worker[0].run_delay_ns,
              (long long)out.run_delay_ns);
    eb_job_free(&job);
}

/* Workers made on the clock (spawn timed): a thread's and a forked process's
 * run delays start at zero, with no read, and each closes its own at its last
 * claim; a forked worker is not the job's thread, though it inherits its
 * thread-locals. */
static void *fresh_worker(void *raw)
{
    eb_job *job = raw;
    eb_job_worker_start(job, 0);
    uint64_t task;
    while (eb_job_claim(job, &task)) {
    }
    eb_job_worker_done();
    return NULL;
}

EB_TEST(workers_made_on_the_clock_start_their_run_delay_at_zero_and_close_it)
{
    eb_job job;
    eb_usage_mark mark;
    eb_job_result out;
    begin_job(&job, 2, &mark, &out);
    pthread_t t;
    EB_REQUIRE(pthread_create(&t, NULL, fresh_worker, &job) == 0);
    pthread_join(t, NULL);
    pid_t child = fork();
    EB_REQUIRE(child >= 0);
    if (child == 0) {
        eb_job_worker_start(&job, 1); /* the slots are shared with the parent */
        uint64_t task;
        while (eb_job_claim(&job, &task)) {
        }
        _exit(0);
    }
    int status;
    EB_REQUIRE(waitpid(child, &status, 0) == child && WIFEXITED(status));
    eb_job_end(&job, &mark, &out);
    for (unsigned w = 0; w < 2; w++)
        EB_CHECKF(job.worker[w].delay_start_ns == 0 && job.worker[w].run_delay_ns >= 0,
                  "%s: start %lld, delay %lld", w == 0 ? "thread" : "forked process",
                  (long long)job.worker[w].delay_start_ns, (long long)job.worker[w].run_delay_ns);
    EB_CHECKF(out.run_delay_ns >= 0, "the job's: %lld", (long long)out.run_delay_ns);
    eb_job_free(&job);
}

/* ---- mutual exclusion -------------------------------------------------------- */

typedef struct contend {
    eb_gil *gil;
    _Atomic int inside;       /* threads between two check points */
    _Atomic int64_t overlaps; /* times a thread found another inside */
    _Atomic int64_t sections;
    int64_t until_ns;
} contend;

/* Work with no check point in it (eb_sumsq has one after its last block). */
static void spin(uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        uint64_t x = i;
        __asm__ volatile("" : "+r"(x));
    }
}

static void *contender(void *raw)
{
    contend *c = raw;
    eb_gil_thread me;
    eb_gil_attach(c->gil, &me);
    while (eb_now_ns() < c->until_ns) {
        /* Between two check points this thread holds the GIL alone: nobody
         * else may be inside, however long the section runs. */
        if (atomic_fetch_add(&c->inside, 1) != 0) atomic_fetch_add(&c->overlaps, 1);
        spin(2000 + (uint64_t)(atomic_load(&c->sections) % 7) * 300);
        if (atomic_load(&c->inside) != 1) atomic_fetch_add(&c->overlaps, 1);
        atomic_fetch_sub(&c->inside, 1);
        atomic_fetch_add(&c->sections, 1);
        eb_check_point();
    }
    eb_gil_detach(&me);
    return NULL;
}

/* Without the lock the sections of three busy threads on two or more cores
 * overlap thousands of times in 300 ms (seen: run with the attach commented
 * out); with it, never. */
EB_TEST(gil_never_has_two_holders)
{
    for (int force = 0; force < 2; force++) {
        contend c = {.gil = make_gil(50, force == 1), .until_ns = eb_now_ns() + 300000000};
        pthread_t t[3];
        for (int i = 0; i < 3; i++)
            EB_REQUIRE(pthread_create(&t[i], NULL, contender, &c) == 0);
        for (int i = 0; i < 3; i++)
            pthread_join(t[i], NULL);
        eb_gil_stats s;
        eb_gil_get_stats(c.gil, &s);
        EB_CHECKF(atomic_load(&c.overlaps) == 0, "%lld sections overlapped (force %d)",
                  (long long)atomic_load(&c.overlaps), force);
        EB_CHECK(atomic_load(&c.sections) > 0);
        /* the lock really moved between them, at request */
        EB_CHECKF(s.handoffs > 0 && s.switches > 1 && s.drop_requests > 0,
                  "handoffs %llu switches %llu requests %llu", (unsigned long long)s.handoffs,
                  (unsigned long long)s.switches, (unsigned long long)s.drop_requests);
        eb_gil_destroy(c.gil);
    }
}

/* ---- the drop request ----------------------------------------------------------- */

typedef struct holder {
    eb_gil *gil;
    _Atomic bool holding, stop;
} holder;

/* Holds the GIL and computes, checking every block, until told to stop. */
static void *cpu_holder(void *raw)
{
    holder *h = raw;
    eb_gil_thread me;
    eb_gil_attach(h->gil, &me);
    atomic_store(&h->holding, true);
    while (!atomic_load(&h->stop)) {
        volatile uint64_t sink = eb_sumsq(EB_SUMSQ_BLOCK);
        (void)sink;
    }
    eb_gil_detach(&me);
    return NULL;
}

EB_TEST(a_waiter_gets_the_gil_only_after_the_switch_interval)
{
    const int64_t interval_us = 20000;
    holder h = {.gil = make_gil(interval_us, true)};
    pthread_t t;
    EB_REQUIRE(pthread_create(&t, NULL, cpu_holder, &h) == 0);
    while (!atomic_load(&h.holding))
        usleep(100);
    eb_gil_thread me;
    int64_t start = eb_now_ns();
    eb_gil_attach(h.gil, &me); /* the holder never drops it unasked */
    int64_t waited = eb_now_ns() - start;
    eb_gil_stats s;
    eb_gil_get_stats(h.gil, &s);
    /* a timed wait never ends early: the request came after the interval */
    EB_CHECKF(waited >= interval_us * 1000, "took it after %lld ns", (long long)waited);
    EB_CHECKF(waited < interval_us * 1000 + 2000000000, "took it after %lld ns", (long long)waited);
    EB_CHECK(me.wait_ns >= interval_us * 1000);
    /* one hand-off, to us; the holder, waiting to take it back, may be
     * counted as contended too by now */
    EB_CHECKF(s.drop_requests >= 1 && s.handoffs == 1 && s.contended >= 1,
              "requests %llu, hand-offs %llu, contended %llu", (unsigned long long)s.drop_requests,
              (unsigned long long)s.handoffs, (unsigned long long)s.contended);
    EB_CHECK(s.wait_ns == me.wait_ns);
    atomic_store(&h.stop, true);
    eb_gil_detach(&me);
    pthread_join(t, NULL);
    eb_gil_destroy(h.gil);
}

/* ---- forced switching --------------------------------------------------------------- */

typedef struct pair {
    eb_gil *gil;
    int64_t until_ns;
} pair;

static void *busy(void *raw)
{
    pair *p = raw;
    eb_gil_thread me;
    eb_gil_attach(p->gil, &me);
    while (eb_now_ns() < p->until_ns) {
        volatile uint64_t sink = eb_sumsq(EB_SUMSQ_BLOCK);
        (void)sink;
    }
    eb_gil_detach(&me);
    return NULL;
}

/* With FORCE_SWITCHING a holder that drops the GIL at request waits until
 * another thread has taken it, so every hand-off is a switch; without it the
 * dropping thread, still running, often takes it straight back. */
EB_TEST(forced_switching_makes_every_handoff_a_switch)
{
    pair p = {.gil = make_gil(100, true), .until_ns = eb_now_ns() + 500000000};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        EB_REQUIRE(pthread_create(&t[i], NULL, busy, &p) == 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    eb_gil_stats s;
    eb_gil_get_stats(p.gil, &s);
    /* without the forced wait this failed 6 runs in 6 here (the dropper took it back) */
    EB_CHECKF(s.handoffs > 0, "no hand-off in 500 ms at a 100 us interval");
    /* the first take is a switch too (from nobody) */
    EB_CHECKF(s.switches >= s.handoffs + 1, "switches %llu, hand-offs %llu",
              (unsigned long long)s.switches, (unsigned long long)s.handoffs);
    EB_CHECK(s.forced_waits <= s.handoffs);
    eb_gil_destroy(p.gil);
}

/* ---- waits release it ------------------------------------------------------------------ */

typedef struct waiter {
    eb_gil *gil;
    int fd; /* -1: eb_wait_ns; else wait for it to be readable */
    _Atomic bool waiting;
    int rc;
    int64_t wait_end_ns;
} waiter;

static void *blocking_waiter(void *raw)
{
    waiter *w = raw;
    eb_gil_thread me;
    eb_gil_attach(w->gil, &me);
    atomic_store(&w->waiting, true);
    if (w->fd < 0) {
        w->rc = eb_wait_ns(300000000);
    } else {
        w->rc = eb_wait_fd(w->fd, EB_WAIT_READABLE, eb_now_ns() + 30000000000);
    }
    w->wait_end_ns = eb_now_ns();
    EB_CHECK(me.holding); /* taken back after the wait */
    eb_gil_detach(&me);
    return NULL;
}

/* A thread blocked in a wait does not hold the GIL: another takes it at once,
 * not after a switch interval (60 s here, so no drop request can explain it). */
EB_TEST(blocking_waits_release_the_gil)
{
    int p[2];
    EB_REQUIRE(pipe(p) == 0);
    for (int kind = 0; kind < 2; kind++) {
        waiter w = {.gil = make_gil(60000000, true), .fd = kind == 0 ? -1 : p[0]};
        pthread_t t;
        EB_REQUIRE(pthread_create(&t, NULL, blocking_waiter, &w) == 0);
        while (!atomic_load(&w.waiting))
            usleep(100);
        eb_gil_thread me;
        eb_gil_attach(w.gil, &me);
        int64_t took = eb_now_ns();
        eb_gil_detach(&me);
        if (kind == 1) EB_REQUIRE(write(p[1], "x", 1) == 1);
        pthread_join(t, NULL);
        EB_CHECK(w.rc == 0);
        EB_CHECKF(took < w.wait_end_ns, "kind %d: took it %lld ns after the wait ended", kind,
                  (long long)(took - w.wait_end_ns));
        eb_gil_destroy(w.gil);
    }
    close(p[0]);
    close(p[1]);
}

EB_TEST(gil_config_is_checked)
{
    eb_gil *g;
    eb_gil_config bad = {.interval_us = -1};
    EB_CHECK(eb_gil_create(&bad, &g) == -EINVAL);
    EB_REQUIRE(eb_gil_create(NULL, &g) == 0);
    EB_CHECK(eb_gil_interval_us(g) == EB_GIL_DEFAULT_INTERVAL_US);
    eb_gil_destroy(g);
}

/* ---- executors ---------------------------------------------------------------------------- */

/* Threads under a GIL still compute the right sums, and the lock moved
 * between them at request. */
EB_TEST(threaded_executor_under_a_gil_verifies_and_counts_handoffs)
{
    eb_job job;
    fixture_job(&job, "cpu.sumsq", 8, 2, "n", (int64_t)3000000, NULL);
    job.gil = make_gil(100, true);
    eb_job_result out;
    char why[256];
    int rc = fixture_run(&job, "threaded", &out, why, sizeof why);
    EB_CHECKF(rc == 0, "%s", why);
    EB_CHECKF(out.gil.handoffs > 0 && out.gil.switches > 1 && out.gil.wait_ns > 0,
              "handoffs %llu switches %llu wait %lld", (unsigned long long)out.gil.handoffs,
              (unsigned long long)out.gil.switches, (long long)out.gil.wait_ns);
    eb_gil_destroy(job.gil);
    eb_job_free(&job);
}

EB_TEST(io_tasks_under_a_gil_still_overlap)
{
    /* 20 waits of 20 ms on 20 threads: about 20 ms, not the 400 ms of waits
     * held under the GIL one after another; half of that proves they
     * overlapped, with room for slow thread starts (ThreadSanitizer's took
     * 114 ms of a run under CI's load) */
    eb_job job;
    fixture_job(&job, "io.sleep", 20, 20, "latency_us", (int64_t)20000, NULL);
    job.gil = make_gil(EB_GIL_DEFAULT_INTERVAL_US, true);
    eb_job_result out;
    char why[256];
    EB_REQUIRE(fixture_run(&job, "threaded", &out, why, sizeof why) == 0);
    EB_CHECKF(out.wall_ns < 20 * 20000000 / 2, "wall %lld ns", (long long)out.wall_ns);
    eb_gil_destroy(job.gil);
    eb_job_free(&job);
}
