/* threaded.c — a pool of W pthreads; tasks handed out by the job's atomic
 * counter; each thread pins itself and runs the workload's worker_init. With
 * job->gil every thread attaches to that GIL (gil.h): CPython's threads.
 *
 * Why the GIL is a job setting (--gil) and not an executor "threaded-gil": it
 * is a property of the interpreter the threads run in, not a way of
 * scheduling, so it composes with every executor that runs threads (threaded,
 * hybrid) and leaves the executor list one entry per model; beside it, free
 * threads and GIL-bound threads differ in one flag of the same point. */
#include "executor.h"
#include "oslimits.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Each thread's stack. Tasks need little (sumsq and sleep use under 1 KiB);
 * 256 KiB rather than glibc's 8 MiB default lets glibc's stack cache (40 MiB)
 * keep a 160-thread pool's stacks between runs, so creating the pool costs
 * thread creation, not 160 fresh mappings. Sanitizer frames are much larger. */
#ifdef EB_SANITIZE_BUILD
#define THREAD_STACK_BYTES ((size_t)2 << 20)
#else
#define THREAD_STACK_BYTES ((size_t)256 << 10)
#endif

typedef struct pool {
    eb_job *job;
    eb_job_result *out;
    pthread_mutex_t error_lock; /* guards out->status/error: the first failure wins */
    /* The clock stops when the last worker is done with its tasks, as a
     * process pool's does (multiprocess.c): the threads then read their run
     * delay (an open of /proc each), exit and are joined, untimed. A thread
     * done with its tasks waits for that stop, which comes after the last
     * creation: when a pthread_create fails, the threads that count against
     * the limit are all alive while the limit is read (on a busy machine they
     * could otherwise finish every task and exit first, and no limit would
     * look exhausted). */
    pthread_mutex_t end_lock;
    pthread_cond_t all_done, clock_stopped; /* the leader waits on the first */
    unsigned done;
    bool stopped;
} pool;

typedef struct worker_arg {
    pool *pool;
    unsigned index;
} worker_arg;

static void record_failure(pool *p, int rc, unsigned worker, const char *what, uint64_t task)
{
    pthread_mutex_lock(&p->error_lock);
    if (p->out->status == 0) {
        if (strcmp(what, "task") == 0)
            eb_job_fail(p->out, rc, "worker %u: task %llu failed: %s", worker,
                        (unsigned long long)task, strerror(-rc));
        else
            eb_job_fail(p->out, rc, "worker %u: %s failed: %s", worker, what, strerror(-rc));
    }
    pthread_mutex_unlock(&p->error_lock);
}

static void worker_main(worker_arg *arg)
{
    pool *p = arg->pool;
    eb_job *job = p->job;
    unsigned w = arg->index;
    int rc = eb_job_worker_start(job, w);
    if (rc != 0) {
        record_failure(p, rc, w, "pinning", 0);
        if (job->spawn_apart) eb_job_gate_arrive(job); /* the clock must not wait for it */
        return;
    }
    /* With a GIL the thread runs the workload only while it holds it, as a
     * CPython thread runs Python: worker_init included. */
    eb_gil_thread gil;
    if (job->gil != NULL) eb_gil_attach(job->gil, &gil);
    if (job->workload->worker_init != NULL && (rc = job->workload->worker_init(job, w)) != 0) {
        record_failure(p, rc, w, "worker_init", 0);
        if (job->spawn_apart) eb_job_gate_arrive(job);
    } else {
        if (job->spawn_apart) { /* ready: the clock starts once every thread is */
            eb_job_gate_arrive(job);
            eb_job_gate_wait(job, false);
        }
        uint64_t task;
        while (eb_job_claim(job, &task)) {
            rc = eb_job_run_task(job, w, task);
            if (rc != 0) {
                record_failure(p, rc, w, "task", task);
                /* the job has failed: the others stop after their current task */
                atomic_store(job->next_task, job->tasks);
                break;
            }
        }
    }
    if (job->gil != NULL) eb_gil_detach(&gil);
}

/* The thread: its tasks; then it says it is done, waits for the clock to
 * stop (after the last creation) and reads its run delay. */
static void *worker_thread(void *raw)
{
    worker_arg *arg = raw;
    pool *p = arg->pool;
    eb_job_worker_close_after_clock();
    worker_main(arg);
    pthread_mutex_lock(&p->end_lock);
    p->done++;
    pthread_cond_signal(&p->all_done);
    while (!p->stopped)
        pthread_cond_wait(&p->clock_stopped, &p->end_lock);
    pthread_mutex_unlock(&p->end_lock);
    eb_job_worker_done();
    return NULL;
}

static int threaded_run(eb_job *job, eb_job_result *out)
{
    unsigned n = job->workers;
    if (n == 0) return eb_job_fail(out, -EINVAL, "the threaded executor needs --workers >= 1");
    pthread_t *threads = calloc(n, sizeof *threads);
    worker_arg *args = calloc(n, sizeof *args);
    if (threads == NULL || args == NULL) {
        free(threads);
        free(args);
        return eb_job_fail(out, -ENOMEM, "no memory for %u thread handles", n);
    }
    pool p = {.job = job, .out = out};
    pthread_mutex_init(&p.error_lock, NULL);
    pthread_mutex_init(&p.end_lock, NULL);
    pthread_cond_init(&p.all_done, NULL);
    pthread_cond_init(&p.clock_stopped, NULL);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, THREAD_STACK_BYTES);

    eb_usage_mark mark;
    if (job->spawn_apart)
        eb_job_launch(job); /* the clock starts when every thread is ready */
    else
        eb_job_begin(job, &mark);
    unsigned started = 0;
    for (; started < n; started++) {
        args[started] = (worker_arg){&p, started};
        int rc = pthread_create(&threads[started], &attr, worker_thread, &args[started]);
        if (rc != 0) {
            /* Which limit refused it, read first, while the threads that count
             * are alive (held until the clock stops, however soon they ran out
             * of tasks); then stop handing out tasks, and the threads already
             * running finish theirs. */
            char limit[512];
            eb_limit_ask ask = {
                .kind = 't', .bytes = THREAD_STACK_BYTES, .advice = "use a smaller --workers"};
            eb_limits_why(-rc, &ask, limit, sizeof limit);
            atomic_store(job->next_task, job->tasks);
            pthread_mutex_lock(&p.error_lock);
            eb_job_fail(out, -rc, "could not create thread %u of %u: %s%s%s", started + 1, n,
                        strerror(rc), limit[0] ? ": " : "", limit);
            pthread_mutex_unlock(&p.error_lock);
            break;
        }
    }
    if (job->spawn_apart) {
        eb_job_gate_await(job, started);
        eb_job_begin(job, &mark);
        eb_job_gate_open(job);
    }
    pthread_mutex_lock(&p.end_lock);
    while (p.done < started)
        pthread_cond_wait(&p.all_done, &p.end_lock);
    eb_job_stop_clock(job);
    p.stopped = true;
    pthread_cond_broadcast(&p.clock_stopped);
    pthread_mutex_unlock(&p.end_lock);
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    eb_job_end(job, &mark, out);

    pthread_attr_destroy(&attr);
    pthread_mutex_destroy(&p.error_lock);
    pthread_mutex_destroy(&p.end_lock);
    pthread_cond_destroy(&p.all_done);
    pthread_cond_destroy(&p.clock_stopped);
    free(threads);
    free(args);
    return out->status;
}

const eb_executor eb_executor_threaded = {
    .name = "threaded",
    .description = "a pool of W pthreads sharing an atomic task counter",
    .allows_unbounded = false,
    .parallel = true,
    .attaches_gil = true,
    .memory = EB_FIT_THREADED,
    .run = threaded_run,
};
