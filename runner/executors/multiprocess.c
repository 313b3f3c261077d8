/* multiprocess.c — a pool of W forked processes, the Pool of the articles.
 *
 * The job's arrays are MAP_SHARED (job.c), so the workers take tasks from the
 * same atomic counter and write results, task times and their slots where the
 * leader reads them. Each worker's failure (which stage, which task, which
 * errno) goes into a small shared report area of this file's own.
 *
 * Each worker holds the only write end of a pipe of its own: it writes one
 * byte there when it has run out of tasks, and its end closes when it exits,
 * whatever ends it. The leader polls the read ends, so it learns of a
 * finished worker and of a dead one alike, without a busy wait and without
 * waiting on another child of this process (a workload's server is its
 * owner's to reap and describe). The job's clock stops when the last worker
 * has said it finished, as a Pool's map returns with the last result; the
 * workers' exit and reaping come after it, as the mpi ranks' do (their CPU is
 * still counted: it is read once they are reaped). A worker killed by a
 * signal is named with the task its slot says it was running, the others are
 * killed and reaped, and the job fails at once. With --spawn apart each
 * worker first says it is ready on the same pipe and waits at the job's gate
 * (job_run.h); the clock starts when all have said so. */
#include "executor.h"
#include "oslimits.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

/* What a worker says on its pipe: ready (--spawn apart: started, pinned and
 * initialised; it then waits for the clock), then finished (out of tasks). */
enum { SAID_READY = 'r', SAID_FINISHED = 'f' };

static void say(int fd, char what)
{
    while (write(fd, &what, 1) < 0 && errno == EINTR) {
    }
}

static _Noreturn void worker_main(eb_job *job, unsigned w, worker_report *rep, pid_t leader,
                                  int finished_fd)
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
    if (job->spawn_apart) { /* ready: the clock starts once every worker is */
        say(finished_fd, SAID_READY);
        eb_job_gate_wait(job, true);
    }
    eb_job_worker_close_after_clock(); /* read once it has said it is done, below */
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
    /* Out of tasks: tell the leader, whose clock stops at the last of these. */
    say(finished_fd, SAID_FINISHED);
    eb_job_worker_done(); /* its run delay, into the shared slots the leader reads after reaping */
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

/* Reaps worker w (blocking), and describes its end into out when it was not
 * clean and the job had not failed yet. */
static void reap(const eb_job *job, unsigned w, pid_t *pids, bool *live, const worker_report *rep,
                 int64_t oom_kills, unsigned started, eb_job_result *out)
{
    int status = 0;
    while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR) {
    }
    live[w] = false;
    bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!clean && out->status == 0) {
        describe_end(job, w, status, rep, oom_kills, out);
        /* The job has failed: the rest of the pool has nothing left to prove. */
        atomic_store(job->next_task, job->tasks);
        kill_all(pids, live, started);
    }
}

/* Polls the workers' pipes until each of the `started` has said `what`, or
 * the job has failed: a worker whose pipe closed before it said so ended
 * too soon, and is reaped and described. A finished worker's pipe is closed
 * (poll skips it from then on); a ready one's stays open for its end. */
static void listen(const eb_job *job, struct pollfd *fds, pid_t *pids, bool *live,
                   const worker_report *reports, int64_t oom_kills, unsigned started, char what,
                   eb_job_result *out)
{
    unsigned said_it = 0;
    while (said_it < started && out->status == 0) {
        if (poll(fds, started, -1) < 0) {
            if (errno == EINTR) continue;
            eb_job_fail(out, -errno, "waiting for the workers failed: %s", strerror(errno));
            return;
        }
        for (unsigned w = 0; w < started && out->status == 0; w++) {
            if (fds[w].fd < 0 || fds[w].revents == 0) continue;
            char said = 0;
            ssize_t got = read(fds[w].fd, &said, 1);
            if (got < 0 && errno == EINTR) continue;
            if (got == 1 && said == SAID_READY && what == SAID_READY) {
                said_it++;
                continue;
            }
            close(fds[w].fd);
            fds[w].fd = -1;
            if (got == 1 && said == what) {
                said_it++;
                continue;
            }
            /* Its end closed unsaid: it ended before running out of tasks. */
            reap(job, w, pids, live, &reports[w], oom_kills, started, out);
            if (out->status == 0)
                eb_job_fail(out, -ECHILD, "worker %u exited before its tasks were done", w);
        }
    }
}

static int multiprocess_run(eb_job *job, eb_job_result *out)
{
    unsigned n = job->workers;
    if (n == 0) return eb_job_fail(out, -EINVAL, "the multiprocess executor needs --workers >= 1");
    /* The reports, then the leader's own poll, pid and live arrays, in one
     * mapping: a worker _exits holding the leader's memory, and heap blocks
     * would look lost to valgrind's leak check of every worker. */
    size_t report_bytes = (size_t)n * sizeof(worker_report);
    size_t bytes =
        report_bytes + (size_t)n * (sizeof(struct pollfd) + sizeof(pid_t) + sizeof(bool));
    worker_report *reports =
        mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (reports == MAP_FAILED)
        return eb_job_fail(out, -ENOMEM, "no memory for %u worker %s", n,
                           n == 1 ? "process" : "processes");
    struct pollfd *finished_fd = (struct pollfd *)((char *)reports + report_bytes);
    pid_t *pids = (pid_t *)(finished_fd + n);
    bool *live = (bool *)(pids + n);
    fflush(NULL); /* buffered output must not be copied into every worker */
    pid_t leader = getpid();
    int64_t oom_kills = eb_limits_oom_kills(); /* before the timed job: a read of /proc */

    eb_usage_mark mark;
    if (job->spawn_apart)
        eb_job_launch(job); /* the clock starts when every worker is ready */
    else
        eb_job_begin(job, &mark);
    unsigned started = 0;
    for (; started < n; started++) {
        int ends[2];
        pid_t pid = -1;
        if (pipe2(ends, O_CLOEXEC) == 0) {
            pid = fork();
            if (pid == 0) {
                close(ends[0]);
                worker_main(job, started, &reports[started], leader, ends[1]);
            }
            int err = errno;
            close(ends[1]); /* the worker's alone: it closes when the worker ends */
            if (pid < 0) close(ends[0]);
            errno = err;
        }
        if (pid < 0) {
            int err = errno;
            char limit[512]; /* read first, while the workers that count are busy */
            eb_limit_ask ask = {.kind = err == EMFILE || err == ENFILE ? 'f' : 't',
                                .advice = "use a smaller --workers"};
            eb_limits_why(-err, &ask, limit, sizeof limit);
            atomic_store(job->next_task, job->tasks);
            eb_job_fail(out, -err, "could not %s worker %u of %u: %s%s%s",
                        err == EMFILE || err == ENFILE ? "make the pipe of" : "fork", started + 1,
                        n, strerror(err), limit[0] ? ": " : "", limit);
            break;
        }
        finished_fd[started] = (struct pollfd){.fd = ends[0], .events = POLLIN};
        pids[started] = pid;
        live[started] = true;
    }

    /* --spawn apart: until every worker has said it is ready, then the clock
     * starts and the gate opens; then until every worker has said it
     * finished. Either ends early when one ends without saying so. */
    if (job->spawn_apart) {
        listen(job, finished_fd, pids, live, reports, oom_kills, started, SAID_READY, out);
        eb_job_begin(job, &mark);
        eb_job_gate_open(job); /* after a failure too: the workers left are killed */
    }
    listen(job, finished_fd, pids, live, reports, oom_kills, started, SAID_FINISHED, out);
    if (out->status == 0) eb_job_stop_clock(job);

    /* The teardown, untimed: every worker reaped, its end checked. */
    for (unsigned w = 0; w < started; w++) {
        if (finished_fd[w].fd >= 0) close(finished_fd[w].fd);
        if (live[w]) reap(job, w, pids, live, &reports[w], oom_kills, started, out);
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
