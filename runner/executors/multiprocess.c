/* multiprocess.c — a pool of W forked processes, the Pool of the articles.
 *
 * The job's arrays are MAP_SHARED (job.c), so the workers take tasks from the
 * same atomic counter and write results, task times and their slots where the
 * leader reads them. Each worker's failure (which stage, which task, which
 * errno) goes into a small shared report area of this file's own. The leader
 * waits for whichever worker ends first: a worker killed by a signal is named
 * with the task its slot says it was running, the others are killed and
 * reaped, and the job fails at once — never a wait on a worker that is gone.
 * Only workers are reaped: a workload's server, another child of this
 * process, is its owner's to reap (and to describe when it died). */
#include "executor.h"
#include "oslimits.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef enum stage { STAGE_NONE = 0, STAGE_PIN, STAGE_INIT, STAGE_TASK } stage;

/* One per worker, one cache line each, in a MAP_SHARED mapping. */
typedef struct worker_report {
    _Alignas(64) int32_t status; /* 0, or the failing call's negative errno */
    int32_t stage;
    int64_t task;
} worker_report;

enum { EXIT_FAILED = 1, EXIT_ORPHANED = 2 };

static _Noreturn void worker_main(eb_job *job, unsigned w, worker_report *rep, pid_t leader)
{
    /* A worker never outlives its leader (a killed point leaves no orphans). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != leader) _exit(EXIT_ORPHANED);
    /* A fault kills the worker with its signal, so the leader can name it. */
    static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof faults / sizeof *faults; i++)
        signal(faults[i], SIG_DFL);

    int rc = eb_job_worker_start(job, w);
    if (rc == 0 && job->workload->worker_init != NULL) {
        rc = job->workload->worker_init(job, w);
        if (rc != 0) rep->stage = STAGE_INIT;
    } else if (rc != 0) {
        rep->stage = STAGE_PIN;
    }
    if (rc != 0) {
        rep->status = rc;
        _exit(EXIT_FAILED);
    }
    uint64_t task;
    while (eb_job_claim(job, &task)) {
        rc = eb_job_run_task(job, w, task);
        if (rc != 0) {
            rep->stage = STAGE_TASK;
            rep->task = (int64_t)task;
            rep->status = rc;
            atomic_store(job->next_task, job->tasks); /* the others stop after theirs */
            _exit(EXIT_FAILED);
        }
    }
    /* _exit, not exit: the leader's stdio buffers and atexit handlers are not ours. */
    _exit(0);
}

/* Fills out->error for worker `w`, which ended with wait status `status`. */
static void describe_end(const eb_job *job, unsigned w, int status, const worker_report *rep,
                         int64_t oom_kills_before, eb_job_result *out)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *abbrev = sigabbrev_np(sig);
        int64_t task = atomic_load(&job->worker[w].current_task);
        char where[64];
        if (task >= 0)
            snprintf(where, sizeof where, "in task %lld", (long long)task);
        else
            snprintf(where, sizeof where, "%s",
                     job->worker[w].ready_ns < 0 ? "before it was ready" : "between tasks");
        char by[300] = ""; /* SIGKILL: the OOM killer's, or someone else's? */
        if (sig == SIGKILL) {
            by[0] = ' ';
            eb_limits_explain_kill(oom_kills_before, eb_limits_oom_kills(), by + 1, sizeof by - 1);
        }
        eb_job_fail(out, -EINTR, "worker %u killed by signal %d (SIG%s) %s%s", w, sig,
                    abbrev != NULL ? abbrev : "?", where, by);
        return;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    int rc = rep->status != 0 ? rep->status : -ECHILD;
    switch (code == EXIT_FAILED ? rep->stage : STAGE_NONE) {
    case STAGE_PIN:
        eb_job_fail(out, rc, "could not pin worker %u: %s", w, strerror(-rc));
        break;
    case STAGE_INIT:
        eb_job_fail(out, rc, "worker %u: worker_init failed: %s", w, strerror(-rc));
        break;
    case STAGE_TASK:
        eb_job_fail(out, rc, "worker %u: task %lld failed: %s", w, (long long)rep->task,
                    strerror(-rc));
        break;
    default:
        eb_job_fail(out, -ECHILD, "worker %u exited with status %d", w, code);
    }
}

static void kill_all(const pid_t *pids, const bool *live, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (live[i]) kill(pids[i], SIGKILL);
}

/* The next worker to end, reaped (its wait status in *status): whichever
 * ends first. Another child of this process (a workload's server) is left
 * unreaped for its owner, who reads its end: once one has ended, waitid
 * would keep finding it first, so from then on each live worker is looked
 * at in turn every millisecond. Returns the pid, 0 when none had ended
 * (look again), or -1 with errno. */
static pid_t next_end(const pid_t *pids, const bool *live, unsigned n, bool *foreign_ended,
                      int *status)
{
    if (!*foreign_ended) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        if (waitid(P_ALL, 0, &info, WEXITED | WNOWAIT) != 0) return -1;
        for (unsigned w = 0; w < n; w++)
            if (live[w] && pids[w] == info.si_pid) return waitpid(info.si_pid, status, 0);
        *foreign_ended = true;
        return 0;
    }
    for (unsigned w = 0; w < n; w++) {
        pid_t pid = live[w] ? waitpid(pids[w], status, WNOHANG) : 0;
        if (pid != 0) return pid;
    }
    nanosleep(&(struct timespec){0, 1000000}, NULL);
    return 0;
}

static int multiprocess_run(eb_job *job, eb_job_result *out)
{
    unsigned n = job->workers;
    if (n == 0) return eb_job_fail(out, -EINVAL, "the multiprocess executor needs --workers >= 1");
    /* The reports, then the leader's own pid and live arrays, in one mapping:
     * a worker _exits holding the leader's memory, and heap blocks would look
     * lost to valgrind's leak check of every worker. */
    size_t report_bytes = (size_t)n * sizeof(worker_report);
    size_t bytes = report_bytes + (size_t)n * (sizeof(pid_t) + sizeof(bool));
    worker_report *reports =
        mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (reports == MAP_FAILED)
        return eb_job_fail(out, -ENOMEM, "no memory for %u worker %s", n,
                           n == 1 ? "process" : "processes");
    pid_t *pids = (pid_t *)((char *)reports + report_bytes);
    bool *live = (bool *)(pids + n);
    fflush(NULL); /* buffered output must not be copied into every worker */
    pid_t leader = getpid();
    int64_t oom_kills = eb_limits_oom_kills(); /* before the timed job: a read of /proc */

    eb_usage_mark mark;
    eb_job_begin(job, &mark);
    unsigned started = 0, running = 0;
    for (; started < n; started++) {
        pid_t pid = fork();
        if (pid == 0) worker_main(job, started, &reports[started], leader);
        if (pid < 0) {
            int err = errno;
            char limit[512]; /* read first, while the workers that count are busy */
            eb_limit_ask ask = {.kind = 't', .advice = "use a smaller --workers"};
            eb_limits_why(-err, &ask, limit, sizeof limit);
            atomic_store(job->next_task, job->tasks);
            eb_job_fail(out, -err, "could not fork worker %u of %u: %s%s%s", started + 1, n,
                        strerror(err), limit[0] ? ": " : "", limit);
            break;
        }
        pids[started] = pid;
        live[started] = true;
        running++;
    }
    bool foreign_ended = false;
    while (running > 0) {
        int status;
        pid_t pid = next_end(pids, live, started, &foreign_ended, &status);
        if (pid < 0) {
            if (errno == EINTR) continue;
            if (out->status == 0)
                eb_job_fail(out, -errno, "waiting for the workers failed: %s", strerror(errno));
            break;
        }
        if (pid == 0) continue; /* none of ours yet */
        unsigned w = 0;
        while (w < started && pids[w] != pid)
            w++;
        if (w == started || !live[w]) continue;
        live[w] = false;
        running--;
        bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (!clean && out->status == 0) {
            describe_end(job, w, status, &reports[w], oom_kills, out);
            /* The job has failed: the rest of the pool has nothing left to prove. */
            atomic_store(job->next_task, job->tasks);
            kill_all(pids, live, started);
        }
    }
    eb_job_end(job, &mark, out);

    munmap(reports, bytes);
    return out->status;
}

const eb_executor eb_executor_multiprocess = {
    .name = "multiprocess",
    .description = "a pool of W forked processes sharing a shared-memory task counter",
    .allows_unbounded = false,
    .parallel = true,
    .memory = EB_FIT_MULTIPROCESS,
    .forks = true,
    .run = multiprocess_run,
};
