/* hybrid.c — M:N, the model of Go and Tokio: one pinned thread per physical
 * core the pin policy gives, each running a coroutine scheduler, all of one
 * group (scheduler.h). Waits overlap as under the coroutine executor, and CPU
 * work runs on every core at once as under threads.
 *
 * --workers means what it means for the coroutine executor: coroutines in
 * flight in total (0: unbounded), so that the same point under both differs
 * only in the threads, and the wait ideal (ceil(tasks / in flight) x wait)
 * holds for both. They are shared out among the threads, W / T each (the
 * first W % T threads one more); with fewer coroutines than cores, one thread
 * per coroutine. The number of threads is job->threads, which the runner sets
 * to the plan's cores (0: the cores of job->pin, or the CPUs this process may
 * use when unpinned).
 *
 * Tasks are handed out by the job's shared counter: a thread starts one
 * whenever its scheduler has room. A task runs on the thread that started it
 * until it first waits; once its wait is over it is ready on that thread, and
 * an idle thread steals half of another's ready coroutines (separate stacks).
 * Stacks as the coroutine executor's (--coro-stack, auto by its rule for the
 * coroutines in flight): past the guard pages' limit (coro_stacks.h),
 * copied stacks, one run stack per thread. A copied coroutine's frames hold
 * its thread's run stack's addresses, so it stays on that thread and only
 * the counter spreads the work (scheduler.h's COPY group): 100,000 waits of
 * 100 ms on separate 4 KiB stacks took 101 ms of CPU against the coroutine
 * executor's 32, stalled on cold stack pages (issue 15's report). Stealing was
 * chosen over the shared counter alone by measurement (issue 15's report;
 * EB_HYBRID_STEAL=0 in the environment turns stealing off to compare): with
 * the counter alone, the tasks a thread started all come back to it after
 * their waits, so a thread that started more (it was created first, or its
 * coroutines finished sooner) computes alone at the end while the other idles.
 *
 * Worker slot t stands for thread t: its PU, its ready time and the tasks it
 * started (they may finish on another thread). */
#include "coro_report.h"
#include "executor.h"
#include "oslimits.h"
#include "pin.h"
#include "scheduler.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct hybrid_run {
    eb_job *job;
    eb_job_result *out;
    pthread_mutex_t error_lock; /* guards out->status/error: the first failure wins */
    _Atomic bool failed;        /* a task failed: start no more */
} hybrid_run;

typedef struct hybrid_thread {
    hybrid_run *run;
    eb_sched *sched;
    unsigned index;
    unsigned threads;
    int rc; /* eb_sched_run's status */
    pthread_t handle;
    uint64_t next, end; /* tasks claimed and not yet started: [next, end) */
} hybrid_thread;

static void record_failure(hybrid_run *r, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void record_failure(hybrid_run *r, int rc, const char *fmt, ...)
{
    pthread_mutex_lock(&r->error_lock);
    if (r->out->status == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->out->error, sizeof r->out->error, fmt, ap);
        va_end(ap);
        r->out->status = rc;
    }
    pthread_mutex_unlock(&r->error_lock);
    atomic_store(&r->failed, true);
}

/* Tasks claimed at once: a share of what is left (1/8 of it per thread), at
 * most a cache line of the job's per-task arrays, at least one. Claimed one
 * by one, neighbouring tasks ran on different threads, which then wrote to
 * the same cache lines of start, end and result times, and every claim
 * moved the counter's line between the cores: 100,000 waits of 100 ms took
 * 1.14x the coroutine executor's time, 1.08x in chunks (medians of 15 paired
 * rounds on a busy 2-core VM). The share shrinks towards the end, so the
 * last tasks, which no thread can steal before they start, stay spread. */
#define CLAIM_MAX (64 / sizeof(int64_t))

/* Called by every thread's scheduler, on its own thread: the job's counter is
 * the shared queue. */
static bool next_task(void *raw, uint64_t *task)
{
    hybrid_thread *t = raw;
    eb_job *job = t->run->job;
    if (atomic_load_explicit(&t->run->failed, memory_order_relaxed)) return false;
    /* Tasks that come from elsewhere (an MPI rank's claims: job.h) one by one. */
    if (job->claim != NULL) return eb_job_claim(job, task);
    if (t->next == t->end) {
        uint64_t taken = atomic_load_explicit(job->next_task, memory_order_relaxed);
        uint64_t left = taken < job->tasks ? job->tasks - taken : 0;
        uint64_t chunk = left / (8 * (uint64_t)t->threads);
        if (chunk > CLAIM_MAX) chunk = CLAIM_MAX;
        if (chunk == 0) chunk = 1;
        uint64_t first = atomic_fetch_add_explicit(job->next_task, chunk, memory_order_relaxed);
        if (first >= job->tasks) return false;
        t->next = first;
        t->end = first + chunk < job->tasks ? first + chunk : job->tasks;
    }
    *task = t->next++;
    return true;
}

/* `raw` is the starting thread's: the task may end on another thread, so only
 * what never changes is read from it. */
static void task_main(void *raw, uint64_t task)
{
    hybrid_thread *t = raw;
    int rc = eb_job_run_task(t->run->job, t->index, task);
    if (rc != 0)
        record_failure(t->run, rc, "hybrid thread %u: task %llu failed: %s", t->index,
                       (unsigned long long)task, strerror(-rc));
}

static void *thread_main(void *raw)
{
    hybrid_thread *t = raw;
    hybrid_run *r = t->run;
    eb_job *job = r->job;
    /* A job made without job->threads may have fewer worker slots than
     * threads: the threads beyond them are pinned but not recorded. */
    int rc = t->index < job->worker_slots ? eb_job_worker_start(job, t->index)
                                          : eb_pin_worker(job->pin, t->index);
    if (rc != 0) {
        record_failure(r, rc, "hybrid thread %u: could not pin: %s", t->index, strerror(-rc));
        if (job->spawn_apart) eb_job_gate_arrive(job); /* the clock must not wait for it */
        return NULL;
    }
    /* With a GIL the thread holds it while its scheduler runs coroutines and
     * releases it while the scheduler sleeps: an asyncio loop per thread. */
    eb_gil_thread gil;
    if (job->gil != NULL) eb_gil_attach(job->gil, &gil);
    if (job->workload->worker_init != NULL && (rc = job->workload->worker_init(job, t->index)) != 0)
        record_failure(r, rc, "hybrid thread %u: worker_init failed: %s", t->index, strerror(-rc));
    if (job->spawn_apart) { /* ready: the clock starts once every thread is */
        eb_job_gate_arrive(job);
        eb_job_gate_wait(job, false);
    }
    /* Every thread runs its scheduler, even after a failure elsewhere: its
     * members must all take part for the group to end. */
    t->rc = eb_sched_run(t->sched, task_main, t, next_task);
    if (job->gil != NULL) eb_gil_detach(&gil);
    return NULL;
}

/* The threads: job->threads, else one per core of the pin plan, else one per
 * CPU this process may run on. */
static unsigned thread_count(const eb_job *job)
{
    if (job->threads > 0) return job->threads;
    if (job->pin != NULL) return (unsigned)eb_pin_plan_cores(job->pin);
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    return 1;
}

static const char advice[] = "run fewer coroutines at once (--workers)";

static int hybrid_prepare(eb_job *job)
{
    eb_coro_report_prepare(job, eb_coro_report_in_flight(job));
    return 0;
}

static int hybrid_run_job(eb_job *job, eb_job_result *out)
{
    unsigned threads = thread_count(job);
    uint64_t in_flight = eb_coro_report_in_flight(job);
    if (threads > in_flight) threads = (unsigned)in_flight;
    hybrid_thread *t = calloc(threads, sizeof *t);
    eb_sched_config *configs = calloc(threads, sizeof *configs);
    if (t == NULL || configs == NULL) {
        free(t);
        free(configs);
        return eb_job_fail(out, -ENOMEM, "no memory for %u hybrid threads", threads);
    }
    hybrid_run r = {.job = job, .out = out};
    pthread_mutex_init(&r.error_lock, NULL);
    const char *steal = getenv("EB_HYBRID_STEAL");
    eb_sched_group_config gc = {.no_steal = steal != NULL && strcmp(steal, "0") == 0};

    eb_usage_mark mark;
    if (job->spawn_apart)
        eb_job_launch(job); /* the clock starts when every thread is ready */
    else
        eb_job_begin(job, &mark);
    /* Unbounded: any thread may start every task (the counter decides), and
     * a slot never used costs nothing; bounded: W / T each. */
    eb_coro_stack_mode mode = eb_coro_report_stack_mode(job, in_flight);
    for (unsigned i = 0; i < threads; i++) {
        uint64_t mine =
            job->workers == 0 ? job->tasks : in_flight / threads + (i < in_flight % threads);
        configs[i] = eb_sched_default_config(job->coro_backend, mine);
        configs[i].stack_mode = mode;
    }
    eb_sched_group *group = NULL;
    int rc = eb_sched_group_create(configs, threads, &gc, &group);
    if (rc != 0) {
        if (job->spawn_apart) eb_job_begin(job, &mark); /* no thread to wait for */
        char limit[512];
        eb_limit_ask ask = {.kind = 'm', .maps = threads, .advice = advice};
        eb_limits_why(rc, &ask, limit, sizeof limit);
        eb_job_fail(out, rc, "could not set up %u coroutine schedulers for %llu coroutines: %s%s%s",
                    threads, (unsigned long long)in_flight, strerror(-rc), limit[0] ? ": " : "",
                    limit);
    } else {
        unsigned started = 0;
        for (; started < threads; started++) {
            t[started] = (hybrid_thread){.run = &r,
                                         .sched = eb_sched_group_member(group, started),
                                         .index = started,
                                         .threads = threads};
            rc = pthread_create(&t[started].handle, NULL, thread_main, &t[started]);
            if (rc != 0) break;
        }
        if (started < threads) {
            /* No new tasks; the threads running finish theirs (a member that
             * never runs holds nothing and is never waited for). */
            atomic_store(&r.failed, true);
            char limit[512];
            eb_limit_ask ask = {.kind = 't', .advice = "pin to fewer cores (--pin, --cpuset)"};
            eb_limits_why(rc, &ask, limit, sizeof limit);
            pthread_mutex_lock(&r.error_lock);
            eb_job_fail(out, -rc, "could not create hybrid thread %u of %u: %s%s%s", started + 1,
                        threads, strerror(rc), limit[0] ? ": " : "", limit);
            pthread_mutex_unlock(&r.error_lock);
        }
        if (job->spawn_apart) {
            eb_job_gate_await(job, started);
            eb_job_begin(job, &mark);
            eb_job_gate_open(job);
        }
        for (unsigned i = 0; i < started; i++)
            pthread_join(t[i].handle, NULL);
        for (unsigned i = 0; i < threads && out->status == 0; i++) {
            if (t[i].rc == -EDEADLK)
                eb_job_fail(out, t[i].rc,
                            "a task suspended its coroutine outside a wait: it can never be "
                            "resumed");
            else if (t[i].rc != 0)
                eb_job_fail(out, t[i].rc, "hybrid thread %u could not start a coroutine: %s", i,
                            strerror(-t[i].rc));
        }
    }
    eb_job_end(job, &mark, out);
    for (unsigned i = 0; group != NULL && i < threads; i++) {
        eb_sched_stats stats;
        eb_sched_get_stats(eb_sched_group_member(group, i), &stats);
        out->steals += stats.steals;
        eb_coro_report_add(eb_sched_group_member(group, i), mode, out);
    }
    eb_sched_group_destroy(group); /* after the timed job: unmapping stacks is clean-up */
    pthread_mutex_destroy(&r.error_lock);
    free(t);
    free(configs);
    return out->status;
}

const eb_executor eb_executor_hybrid = {
    .name = "hybrid",
    .description = "M:N: a coroutine scheduler on one pinned thread per core, ready coroutines "
                   "stolen by idle threads (separate stacks); W coroutines in flight in total "
                   "(0: unbounded)",
    .allows_unbounded = true,
    .parallel = true,
    .memory = EB_FIT_HYBRID,
    .thread_per_core = true,
    .attaches_gil = true,
    .coroutines = true,
    .prepare = hybrid_prepare,
    .run = hybrid_run_job,
};
