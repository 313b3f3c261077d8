/* mpi.c — the mpi executor: the job's tasks on --workers MPI ranks, started
 * through Open MPI's mpirun (on this host, or on the hosts of --mpi-hostfile
 * or --mpi-hosts), each rank running its share with a node-level executor.
 *
 * The ranks are execbench-mpi-rank (runner/mpi/rank.c). mpirun runs in a
 * process group of its own, dies with this process (PDEATHSIG) and its
 * local ranks die with it, so a point killed at its timeout leaves nothing.
 * Rank 0 says when every rank is up (the launch cost: spawn_ns), times the
 * job between barriers (wall_ns: the launch is kept out of it), gathers and
 * verifies the results and prints them here (mpi_lines.c reads them into the
 * job, so the point verifies them again like any executor's). */
#include "executor.h"
#include "helpers.h"
#include "mpi_config.h"
#include "mpi_lines.h"
#include "wait.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 96
#define DESCRIBE_NS INT64_C(300000000) /* for the ranks to say where they are stuck */

static const eb_mpi_config defaults = {.rank_executor = "sequential", .rank_workers = 1};

const char *eb_mpi_claim_name(size_t i)
{
    static const char *const names[] = {"dynamic", "static"};
    return i < 2 ? names[i] : NULL;
}

const char *eb_mpi_binding_name(size_t i)
{
    static const char *const names[] = {"execbench", "openmpi"};
    return i < 2 ? names[i] : NULL;
}

const char *eb_mpi_rank_program(void)
{
#ifdef EB_MPI_RANK_BUILD_PATH
    /* Beside this program or in the installation's libexec (helpers.h), else
     * where this build put it (a test program in build/tests). */
    static char path[4096];
    if (eb_helper_path("execbench-mpi-rank", path, sizeof path) == 0) return path;
    return access(EB_MPI_RANK_BUILD_PATH, X_OK) == 0 ? EB_MPI_RANK_BUILD_PATH : NULL;
#else
    return NULL;
#endif
}

/* mpirun on PATH, into buf: 0 or -ENOENT. */
static int find_mpirun(char *buf, size_t len)
{
    const char *path = getenv("PATH");
    char dirs[4096];
    snprintf(dirs, sizeof dirs, "%s", path != NULL ? path : "/usr/bin:/bin");
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d != NULL;
         d = strtok_r(NULL, ":", &save)) {
        snprintf(buf, len, "%s/mpirun", d);
        if (access(buf, X_OK) == 0) return 0;
    }
    return -ENOENT;
}

typedef struct command {
    char *argv[MAX_ARGS];
    int argc;
    char words[4096]; /* --mpi-args split at blanks */
    char own[24][160];
    int owned;
} command;

static void add(command *c, const char *arg)
{
    if (c->argc < MAX_ARGS - 1) c->argv[c->argc++] = (char *)arg;
    c->argv[c->argc] = NULL;
}

static void addf(command *c, const char *fmt, const char *a, int64_t n)
{
    if (c->owned == (int)(sizeof c->own / sizeof *c->own)) return;
    char *s = c->own[c->owned++];
    if (a != NULL)
        snprintf(s, sizeof c->own[0], fmt, a);
    else
        snprintf(s, sizeof c->own[0], fmt, n);
    add(c, s);
}

/* mpirun's command line, then the rank program's key=value words. */
static void build(command *c, const char *mpirun, const char *rank, const eb_job *job,
                  const eb_mpi_config *cfg)
{
    c->argc = 0;
    c->owned = 0;
    add(c, mpirun);
    add(c, "-n");
    addf(c, "%" PRId64, NULL, (int64_t)job->workers);
    /* On this host alone, like the other executors, more workers than cores
     * is the user's choice; with hosts, their slots decide. */
    if (cfg->hostfile == NULL && cfg->hosts == NULL) add(c, "--oversubscribe");
    if (cfg->hostfile != NULL) {
        add(c, "--hostfile");
        add(c, cfg->hostfile);
    }
    if (cfg->hosts != NULL) {
        add(c, "--host");
        add(c, cfg->hosts);
    }
    if (cfg->binding == EB_MPI_BIND_EXECBENCH) {
        add(c, "--bind-to");
        add(c, "none");
    }
    if (cfg->extra_args != NULL) {
        snprintf(c->words, sizeof c->words, "%s", cfg->extra_args);
        for (char *save = NULL, *w = strtok_r(c->words, " \t", &save); w != NULL;
             w = strtok_r(NULL, " \t", &save))
            add(c, w);
    }
    add(c, rank);
    addf(c, "workload=%s", job->workload->name, 0);
    addf(c, "tasks=%" PRId64, NULL, (int64_t)job->tasks);
    addf(c, "seed=%" PRId64, NULL, (int64_t)job->seed);
    addf(c, "executor=%s", cfg->rank_executor, 0);
    addf(c, "workers=%" PRId64, NULL, cfg->rank_workers);
    addf(c, "claim=%s", eb_mpi_claim_name((size_t)cfg->claim), 0);
    addf(c, "binding=%s", eb_mpi_binding_name((size_t)cfg->binding), 0);
    addf(c, "backend=%" PRId64, NULL, (int64_t)job->coro_backend);
    if (cfg->pin != NULL) addf(c, "pin=%s", cfg->pin, 0);
    if (cfg->cpuset != NULL) addf(c, "cpuset=%s", cfg->cpuset, 0);
    for (size_t i = 0; i < job->workload->param_count && c->owned < 24; i++) {
        char *s = c->own[c->owned++];
        snprintf(s, sizeof c->own[0], "param.%s=%" PRId64, job->workload->params[i].key,
                 job->params[i]);
        add(c, s);
    }
}

static pid_t start(const command *c, int out_w, int err_w)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0) return pid;
    /* Its own group, so the executor can kill mpirun and its local ranks at
     * once; never outliving the point. */
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* The point's 1 ns timer slack is for its workers' waits; mpirun's event
     * loop (and Open MPI's threads in the ranks) keep the kernel's default,
     * the ranks set 1 ns again for their own workers (rank.c). */
    prctl(PR_SET_TIMERSLACK, 50000UL, 0UL, 0UL, 0UL);
    if (getppid() != parent) _exit(127);
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, STDIN_FILENO);
    dup2(out_w, STDOUT_FILENO);
    dup2(err_w, STDERR_FILENO);
    signal(SIGUSR1, SIG_DFL);
    /* Open MPI refuses root unless told twice: execbench already runs its
     * workloads as whoever started it (README: Running as root). */
    if (geteuid() == 0) {
        setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 0);
        setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 0);
    }
    execv(c->argv[0], c->argv);
    dprintf(STDERR_FILENO, "could not run %s: %s\n", c->argv[0], strerror(errno));
    _exit(127);
}

static volatile sig_atomic_t describe_asked;
static void on_describe(int sig)
{
    (void)sig;
    describe_asked = 1;
}

static int mpi_run(eb_job *job, eb_job_result *out)
{
    const eb_mpi_config *cfg = job->executor_config != NULL ? job->executor_config : &defaults;
    const char *rank = eb_mpi_rank_program();
    char mpirun[4096];
    if (rank == NULL)
        return eb_job_fail(out, -ENOENT,
                           "execbench-mpi-rank is neither beside execbench nor in its "
                           "libexec folder: reinstall execbench built with Open MPI");
    if (job->workers == 0)
        return eb_job_fail(out, -EINVAL, "the mpi executor needs --workers >= 1");
    if (find_mpirun(mpirun, sizeof mpirun) != 0)
        return eb_job_fail(out, -ENOENT,
                           "mpirun is not on PATH: install openmpi-bin "
                           "(tools/install-deps.sh mpi) on every host");
    if (cfg->hostfile != NULL && access(cfg->hostfile, R_OK) != 0)
        return eb_job_fail(out, -errno, "--mpi-hostfile %s: %s; give a readable hostfile",
                           cfg->hostfile, strerror(errno));
    command *c = calloc(1, sizeof *c);
    eb_mpi_reader *rd = eb_mpi_reader_new(job);
    int out_p[2] = {-1, -1}, err_p[2] = {-1, -1};
    if (c == NULL || rd == NULL || pipe2(out_p, O_CLOEXEC) != 0 || pipe2(err_p, O_CLOEXEC) != 0) {
        int rc = eb_job_fail(out, -ENOMEM, "could not prepare mpirun: %s", strerror(errno));
        free(c);
        eb_mpi_reader_free(rd);
        for (int i = 0; i < 2; i++) {
            if (out_p[i] >= 0) close(out_p[i]);
            if (err_p[i] >= 0) close(err_p[i]);
        }
        return rc;
    }
    build(c, mpirun, rank, job, cfg);
    struct sigaction mine = {.sa_handler = on_describe}, theirs;
    sigemptyset(&mine.sa_mask);
    describe_asked = 0;
    sigaction(SIGUSR1, &mine, &theirs);
    fflush(NULL);

    eb_usage_mark mark;
    eb_job_begin(job, &mark);
    pid_t pid = start(c, out_p[1], err_p[1]);
    close(out_p[1]);
    close(err_p[1]);
    if (pid < 0) eb_job_fail(out, -errno, "could not fork mpirun: %s", strerror(errno));
    fcntl(out_p[0], F_SETFL, O_NONBLOCK);
    fcntl(err_p[0], F_SETFL, O_NONBLOCK);
    int fds[2] = {out_p[0], err_p[0]};
    int64_t describe_until = 0;
    while (pid > 0 && (fds[0] >= 0 || fds[1] >= 0)) {
        struct pollfd p[2];
        int n = 0;
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0) p[n++] = (struct pollfd){.fd = fds[i], .events = POLLIN};
        int ready = poll(p, (nfds_t)n, 100);
        if (describe_asked == 1) {
            /* The point is past --timeout: mpirun forwards SIGUSR1 to every rank. */
            describe_asked = 2;
            kill(pid, SIGUSR1);
            describe_until = eb_now_ns() + DESCRIBE_NS;
        }
        if (describe_asked == 2 && eb_now_ns() >= describe_until) {
            /* What the ranks said is in the job now: the point's own
             * handler describes it (crash.c), as for any executor. */
            describe_asked = 3;
            sigaction(SIGUSR1, &theirs, NULL);
            raise(SIGUSR1);
        }
        if (ready <= 0) continue;
        for (int i = 0; i < n; i++) {
            if (p[i].revents == 0) continue;
            int which = p[i].fd == fds[0] ? 0 : 1;
            if (eb_mpi_reader_feed(rd, which, p[i].fd) <= 0) {
                close(fds[which]);
                fds[which] = -1;
            }
        }
    }
    int status = 0;
    if (pid > 0) {
        /* Exited, not yet reaped (its pid is still its group's): kill what it
         * left in the group, then reap it. */
        siginfo_t info;
        while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
        }
        kill(-pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    eb_job_end(job, &mark, out);
    if (describe_asked < 3) sigaction(SIGUSR1, &theirs, NULL);
    if (describe_asked == 1 || describe_asked == 2) raise(SIGUSR1); /* asked as mpirun ended */
    for (int i = 0; i < 2; i++)
        if (fds[i] >= 0) close(fds[i]);
    if (pid > 0) eb_mpi_reader_finish(rd, status, out);
    atomic_store(job->next_task, job->tasks); /* every task was claimed, at the ranks */
    eb_mpi_reader_free(rd);
    free(c);
    return out->status;
}

const eb_executor eb_executor_mpi = {
    .name = "mpi",
    .description = "W MPI ranks through Open MPI's mpirun (--mpi-hosts/--mpi-hostfile: across "
                   "hosts), each running its share with --rank-executor; only when named",
    .parallel = true,
    .named_only = true,
    .ranks = true,
#ifdef EB_MPI_ABSENT
    .absent = EB_MPI_ABSENT,
#endif
    .run = mpi_run,
};
