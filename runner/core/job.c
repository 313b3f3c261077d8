/* job.c — the job's shared-memory arrays and what every executor does around
 * a task (see job_run.h). */
#include "job_run.h"

#include "current_task.h"
#include "err.h"
#include "pin.h"
#include "wait.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The gate of --spawn apart, in the job's shared mapping, so that forked
 * workers wait on it as threads do: futexes without FUTEX_PRIVATE_FLAG work
 * across processes sharing the page. Hand-written: no library offers a
 * process-shared start gate that a poll on the workers' pipes can wait
 * beside (pthread barriers block the leader). */
struct eb_job_gate {
    _Alignas(64) _Atomic uint32_t ready; /* workers that said they are ready */
    _Atomic uint32_t open;               /* 1 once the clock runs */
    _Atomic int64_t start_ns;            /* the clock's start, for workers on a copy of the job */
};

static void futex_wait(_Atomic uint32_t *word, uint32_t while_value)
{
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT, while_value, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *word)
{
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

int eb_job_alloc(eb_job *job)
{
    if (job->workload == NULL || job->tasks == 0) return -EINVAL;
    if (job->tasks > SIZE_MAX / 64) return -EOVERFLOW;
    job->worker_slots = job->workers > 0 ? job->workers : 1;
    if (job->threads > job->worker_slots) job->worker_slots = job->threads;

    size_t counter_bytes = 64;
    size_t gate_bytes = round_up(sizeof(struct eb_job_gate), 64);
    size_t slots_bytes = round_up((size_t)job->worker_slots * sizeof(eb_worker_slot), 64);
    size_t array_bytes = round_up((size_t)job->tasks * sizeof(uint64_t), 64);
    size_t total = counter_bytes + gate_bytes + slots_bytes + 3 * array_bytes;

    /* MAP_SHARED so forked workers write where the parent reads; NORESERVE so
     * a large task count costs only the pages actually touched. */
    void *base = mmap(NULL, total, PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) return -errno;
    char *p = base;
    job->next_task = (_Atomic uint64_t *)p;
    p += counter_bytes;
    job->gate = (struct eb_job_gate *)p;
    p += gate_bytes;
    job->worker = (eb_worker_slot *)p;
    p += slots_bytes;
    job->task_result = (uint64_t *)p;
    p += array_bytes;
    job->task_start_ns = (int64_t *)p;
    p += array_bytes;
    job->task_end_ns = (int64_t *)p;
    job->shared_base = base;
    job->shared_bytes = total;
    eb_job_reset(job);
    return 0;
}

void eb_job_reset(eb_job *job)
{
    atomic_store(job->next_task, 0);
    for (unsigned w = 0; w < job->worker_slots; w++) {
        eb_worker_slot *slot = &job->worker[w];
        atomic_store(&slot->current_task, -1);
        slot->pu = -1;
        slot->pid = 0;
        slot->tasks_done = 0;
        slot->ready_ns = -1;
        slot->delay_start_ns = slot->run_delay_ns = -1;
    }
    memset(job->task_result, 0, (size_t)job->tasks * sizeof(uint64_t));
    memset(job->task_start_ns, 0xff, (size_t)job->tasks * sizeof(int64_t)); /* -1 */
    memset(job->task_end_ns, 0xff, (size_t)job->tasks * sizeof(int64_t));
    job->start_ns = 0;
    job->end_ns = 0;
    job->launch_ns = 0;
    atomic_store(&job->gate->ready, 0);
    atomic_store(&job->gate->open, 0);
    atomic_store(&job->gate->start_ns, 0);
}

void eb_job_free(eb_job *job)
{
    if (job->shared_base != NULL) munmap(job->shared_base, job->shared_bytes);
    job->shared_base = NULL;
    job->shared_bytes = 0;
    job->task_result = NULL;
    job->task_start_ns = job->task_end_ns = NULL;
    job->worker = NULL;
    job->next_task = NULL;
    free(job->worker_host);
    job->worker_host = NULL;
}

int eb_job_run_task(eb_job *job, unsigned worker, uint64_t task)
{
    eb_worker_slot *slot = &job->worker[worker % job->worker_slots];
    atomic_store_explicit(&slot->current_task, (int64_t)task, memory_order_relaxed);
    job->task_start_ns[task] = eb_now_ns() - job->start_ns;
    eb_current_task previous = eb_current_task_set((eb_current_task){(int64_t)task, worker});
    int rc = job->workload->run_task(job, task, &job->task_result[task]);
    eb_current_task_set(previous);
    job->task_end_ns[task] = eb_now_ns() - job->start_ns;
    /* atomic: a coroutine that moved threads (hybrid) may end here while
     * another of the slot's coroutines ends on the slot's own thread */
    __atomic_fetch_add(&slot->tasks_done, 1, __ATOMIC_RELAXED);
    atomic_store_explicit(&slot->current_task, -1, memory_order_relaxed);
    return rc;
}

/* The calling thread's time waiting on a run queue, from its schedstat
 * (second field, ns); -1 when the kernel does not give it. */
static int64_t run_delay_now(void)
{
    char buf[128];
    int fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    unsigned long long running, waiting;
    return sscanf(buf, "%llu %llu", &running, &waiting) == 2 ? (int64_t)waiting : -1;
}

/* The worker slot the calling thread took (eb_job_worker_start), so that its
 * last claim can close its run delay without an argument more. */
static _Thread_local eb_worker_slot *this_worker;

/* Reading a run delay opens /proc, which a point would count as its own time
 * (README, "Scale", has what it cost). So no read is made on the clock where
 * it can be avoided: the thread between eb_job_begin and eb_job_end
 * (job_thread_pid: a forked worker inherits the thread-locals, not the pid)
 * reads its own just before the clock starts and after it stops, and a
 * worker made on the clock starts at zero, as the kernel starts a new
 * thread's or process's (sched_fork), so its wait for a first CPU counts.
 * A pool's worker reads its end after it is done (threaded, multiprocess:
 * eb_job_worker_close_after_clock); others read it at their last claim. */
static _Thread_local bool on_job_thread;
static _Thread_local pid_t job_thread_pid;
static _Thread_local int64_t job_thread_delay_start;

static bool is_job_thread(void)
{
    return on_job_thread && getpid() == job_thread_pid;
}

/* A worker that outlives the clock (threaded: eb_job_worker_close_after_clock)
 * reads its end in eb_job_worker_done, called once the clock has stopped. */
static _Thread_local bool closes_after_clock;

void eb_job_worker_close_after_clock(void)
{
    closes_after_clock = true;
}

static void close_run_delay(eb_worker_slot *slot)
{
    int64_t now = slot->delay_start_ns >= 0 ? run_delay_now() : -1;
    slot->run_delay_ns = now >= slot->delay_start_ns ? now - slot->delay_start_ns : -1;
}

bool eb_job_claim(eb_job *job, uint64_t *task)
{
    if (job->claim != NULL)
        return atomic_load_explicit(job->next_task, memory_order_relaxed) < job->tasks &&
               job->claim(job->claim_arg, task);
    uint64_t t = atomic_fetch_add_explicit(job->next_task, 1, memory_order_relaxed);
    if (t >= job->tasks) {
        /* the worker's last claim: once (the job's own thread's slot is
         * closed by eb_job_end, after the clock). Not under a thread-level lock
         * (the GIL): the harness's bookkeeping is not the work's, and the
         * schedstat read (an open of /proc, tens of us while threads come and
         * go) queued 160 io.sleep threads behind each other there, +1.3 ms a
         * point; released and taken back around it, the extra hand-offs still
         * cost 2-3%. The thread closes it when it has left the lock
         * (eb_job_worker_done). */
        if (this_worker != NULL && this_worker->run_delay_ns < 0 && !is_job_thread() &&
            !closes_after_clock && eb_check_hook_current == &eb_check_no_lock)
            close_run_delay(this_worker);
        return false;
    }
    *task = t;
    return true;
}

void eb_job_worker_done(void)
{
    if (this_worker != NULL && this_worker->run_delay_ns < 0) close_run_delay(this_worker);
    closes_after_clock = false;
}

/* Records the calling thread as `worker`, pinned by the caller. */
static void worker_record(eb_job *job, unsigned worker)
{
    eb_worker_slot *slot = &job->worker[worker % job->worker_slots];
    slot->pu = sched_getcpu();
    slot->pid = (int32_t)getpid();
    slot->ready_ns = eb_now_ns() - job->start_ns;
    slot->delay_start_ns = is_job_thread()    ? job_thread_delay_start
                           : job->spawn_apart ? run_delay_now() /* before the clock */
                                              : 0;
    this_worker = slot;
}

int eb_job_worker_start(eb_job *job, unsigned worker)
{
    int rc = eb_pin_worker(job->pin, worker);
    worker_record(job, worker);
    return rc;
}

int eb_job_begin_as_worker(eb_job *job, eb_usage_mark *mark)
{
    int rc = eb_pin_worker(job->pin, 0);
    eb_job_begin(job, mark);
    worker_record(job, 0);
    return rc;
}

static int64_t timeval_ns(struct timeval t)
{
    return (int64_t)t.tv_sec * 1000000000 + (int64_t)t.tv_usec * 1000;
}

void eb_job_begin(eb_job *job, eb_usage_mark *mark)
{
    getrusage(RUSAGE_SELF, &mark->self);
    getrusage(RUSAGE_CHILDREN, &mark->children);
    mark->gil = (eb_gil_stats){0};
    if (job->gil != NULL) eb_gil_get_stats(job->gil, &mark->gil);
    job->end_ns = 0;
    on_job_thread = true;
    job_thread_pid = getpid();
    job_thread_delay_start = run_delay_now();
    job->start_ns = eb_now_ns();
}

void eb_job_launch(eb_job *job)
{
    atomic_store(&job->gate->ready, 0);
    atomic_store(&job->gate->open, 0);
    job->start_ns = job->launch_ns = eb_now_ns();
}

void eb_job_gate_arrive(eb_job *job)
{
    atomic_fetch_add(&job->gate->ready, 1);
    futex_wake(&job->gate->ready);
}

void eb_job_gate_wait(eb_job *job, bool own_copy)
{
    const eb_check_hook *released = eb_check_release(); /* a GIL is free meanwhile */
    while (atomic_load(&job->gate->open) == 0)
        futex_wait(&job->gate->open, 0);
    eb_check_reacquire(released);
    if (own_copy) job->start_ns = atomic_load(&job->gate->start_ns);
}

void eb_job_gate_await(eb_job *job, unsigned workers)
{
    uint32_t seen;
    while ((seen = atomic_load(&job->gate->ready)) < workers)
        futex_wait(&job->gate->ready, seen);
}

void eb_job_gate_open(eb_job *job)
{
    atomic_store(&job->gate->start_ns, job->start_ns);
    atomic_store(&job->gate->open, 1);
    futex_wake(&job->gate->open);
}

void eb_job_stop_clock(eb_job *job)
{
    job->end_ns = eb_now_ns();
}

void eb_job_end(const eb_job *job, const eb_usage_mark *mark, eb_job_result *out)
{
    out->wall_ns = (job->end_ns > 0 ? job->end_ns : eb_now_ns()) - job->start_ns;
    struct rusage self, children;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);

    int64_t child_user = timeval_ns(children.ru_utime) - timeval_ns(mark->children.ru_utime);
    int64_t child_sys = timeval_ns(children.ru_stime) - timeval_ns(mark->children.ru_stime);
    out->cpu_user_ns = timeval_ns(self.ru_utime) - timeval_ns(mark->self.ru_utime) + child_user;
    out->cpu_sys_ns = timeval_ns(self.ru_stime) - timeval_ns(mark->self.ru_stime) + child_sys;
    out->children_cpu_ns = child_user + child_sys;
    out->ctx_switches_voluntary =
        (self.ru_nvcsw - mark->self.ru_nvcsw) + (children.ru_nvcsw - mark->children.ru_nvcsw);
    out->ctx_switches_involuntary =
        (self.ru_nivcsw - mark->self.ru_nivcsw) + (children.ru_nivcsw - mark->children.ru_nivcsw);
    /* Peak RSS over the process's life (and its largest reaped child): each point
     * runs in a fresh process, so this is the point's peak. */
    out->max_rss_kib = self.ru_maxrss > children.ru_maxrss ? self.ru_maxrss : children.ru_maxrss;

    int64_t spawn = 0;
    for (unsigned w = 0; w < job->worker_slots; w++)
        if (job->worker[w].ready_ns > spawn) spawn = job->worker[w].ready_ns;
    /* --spawn apart: the whole start-up, worker_init included, until the clock started */
    out->spawn_ns = job->launch_ns > 0 ? job->start_ns - job->launch_ns : spawn;
    if (job->gil != NULL) {
        eb_gil_stats now;
        eb_gil_get_stats(job->gil, &now);
        out->gil = eb_gil_stats_since(&mark->gil, &now);
    }

    /* This thread was a worker itself (sequential, coroutine): its delay to now. */
    if (this_worker != NULL && this_worker >= job->worker &&
        this_worker < job->worker + job->worker_slots)
        close_run_delay(this_worker);
    this_worker = NULL;
    on_job_thread = false;
    out->run_delay_ns = 0;
    for (unsigned w = 0; w < job->worker_slots && out->run_delay_ns >= 0; w++) {
        const eb_worker_slot *slot = &job->worker[w];
        if (slot->ready_ns < 0) continue; /* never started */
        out->run_delay_ns = slot->run_delay_ns >= 0 ? out->run_delay_ns + slot->run_delay_ns : -1;
    }
}

int eb_job_fail(eb_job_result *out, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    eb_vfail(out->error, sizeof out->error, status, fmt, ap);
    va_end(ap);
    out->status = status;
    return status;
}
