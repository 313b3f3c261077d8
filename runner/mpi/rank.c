/* rank.c — execbench-mpi-rank: one rank of an mpi point (mpirun starts
 * --workers of them for the mpi executor, runner/executors/mpi.c).
 *
 * Every rank runs its share of the job with a node-level executor (the
 * registry's, by --rank-executor's name: MPI+threads, MPI+coroutines). Tasks
 * are claimed from a fetch-and-add on a window at rank 0 (dynamic) or from
 * the rank's block (static). Rank 0 times the job between two barriers,
 * gathers every task's result and times and every rank's host and PU,
 * verifies them, and prints them for the executor on stdout (mpi_config.h:
 * EB_MPI_LINE lines). Arguments are key=value words (mpi.c writes them). */
#include "decimal.h"
#include "executor.h"
#include "mpi_config.h"
#include "pin.h"
#include "rank_args.h"
#include "registry.h"
#include "wait.h"

#include <errno.h>
#include <inttypes.h>
#include <mpi.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <unistd.h>

typedef struct claimer {
    MPI_Win win;
    pthread_mutex_t lock;       /* MPI_THREAD_SERIALIZED: one claim at a time */
    _Atomic uint64_t next, end; /* static: this rank's block */
    uint64_t tasks;
    bool dynamic;
} claimer;

static bool claim(void *arg, uint64_t *task)
{
    claimer *c = arg;
    uint64_t t;
    if (c->dynamic) {
        const uint64_t one = 1;
        pthread_mutex_lock(&c->lock);
        MPI_Fetch_and_op(&one, &t, MPI_UINT64_T, 0, 0, MPI_SUM, c->win);
        MPI_Win_flush(0, c->win);
        pthread_mutex_unlock(&c->lock);
        if (t >= c->tasks) return false;
    } else {
        t = atomic_fetch_add(&c->next, 1);
        if (t >= c->end) return false;
    }
    *task = t;
    return true;
}

/* What every rank tells rank 0 about itself. */
typedef struct rank_info {
    char host[64];
    int32_t pu, pid, status;
    int64_t tasks_done;
    char error[448];
} rank_info;

#ifdef EB_SANITIZE_BUILD
/* Open MPI keeps its allocations to the end of the process, by design: not
 * this program's leaks (a leak report would fail every rank's exit). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0";
}
#endif

static eb_job *described; /* for the SIGUSR1 handler: which tasks are stuck */
static int described_rank;

/* mpirun forwards the executor's SIGUSR1 (a point past --timeout): say which
 * of this rank's tasks ended and which never did (write(2) only). */
static void on_describe(int sig)
{
    (void)sig;
    const eb_job *job = described;
    if (job == NULL || job->task_end_ns == NULL) return;
    for (uint64_t t = 0; t < job->tasks; t++) {
        if (job->task_start_ns[t] < 0) continue;
        char line[96];
        size_t len = 0;
        const char *what = job->task_end_ns[t] >= 0 ? EB_MPI_LINE " ended " : EB_MPI_LINE " stuck ";
        memcpy(line, what, strlen(what));
        len += strlen(what);
        len = (size_t)(eb_put_decimal(line + len, (uint64_t)described_rank) - line);
        line[len++] = ' ';
        len = (size_t)(eb_put_decimal(line + len, t) - line);
        line[len++] = '\n';
        if (write(STDOUT_FILENO, line, len) < 0) return;
    }
}

/* The job's closing barrier, polled with short sleeps: a rank that finished
 * its share early frees its core for the ranks still computing, instead of
 * spinning in MPI_Barrier (which, with more ranks than free cores, slows
 * them). Costs the job's time at most about one sleep. */
static void quiet_barrier(void)
{
    MPI_Request req;
    MPI_Ibarrier(MPI_COMM_WORLD, &req);
    for (int done = 0;;) {
        MPI_Test(&req, &done, MPI_STATUS_IGNORE);
        if (done) return;
        struct timespec pause = {0, 20000};
        nanosleep(&pause, NULL);
    }
}

static void __attribute__((format(printf, 3, 4)))
fail(rank_info *me, int status, const char *fmt, ...)
{
    if (me->status != 0) return;
    me->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(me->error, sizeof me->error, fmt, ap);
    va_end(ap);
}

/* Rank 0: checks every task ran exactly once, then the workload's own
 * verification; the first failure into me. */
static void verify(eb_job *job, const uint32_t *runs, rank_info *me)
{
    for (uint64_t t = 0; t < job->tasks && me->status == 0; t++)
        if (runs[t] != 1) {
            me->status = -EBADMSG;
            snprintf(me->error, sizeof me->error,
                     "verification failed: task %" PRIu64 " ran %" PRIu32 " times, not once", t,
                     runs[t]);
        }
    char why[400] = "";
    if (me->status == 0 && job->workload->verify(job, why, sizeof why) != 0) {
        me->status = -EBADMSG;
        snprintf(me->error, sizeof me->error, "verification failed: %s",
                 why[0] ? why : "(no reason given)");
    }
}

static void report(const eb_job *job, bool with_tasks, const rank_info *all, int size,
                   int64_t wall_ns, const rank_info *verdict)
{
    printf(EB_MPI_LINE " job %" PRId64 "\n", wall_ns);
    for (int r = 0; r < size; r++)
        printf(EB_MPI_LINE " rank %d %s %d %d %" PRId64 "\n", r, all[r].host, all[r].pu, all[r].pid,
               all[r].tasks_done);
    for (uint64_t t = 0; with_tasks && t < job->tasks; t++)
        printf(EB_MPI_LINE " task %" PRIu64 " %" PRIu64 " %" PRId64 " %" PRId64 "\n", t,
               job->task_result[t], job->task_start_ns[t], job->task_end_ns[t]);
    if (verdict->status != 0) printf(EB_MPI_LINE " error %d %s\n", verdict->status, verdict->error);
    printf(EB_MPI_LINE " end\n");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    /* A rank never outlives mpirun (a point killed at its timeout kills
     * mpirun, and so every local rank). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
    /* Like the point process: the workers' waits end on time (Open MPI's own
     * threads, started above, keep the default slack). */
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    int rank = 0, size = 1, local_rank = 0, local_size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm local;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &local);
    MPI_Comm_rank(local, &local_rank);
    MPI_Comm_size(local, &local_size);

    rank_info me = {.pid = (int32_t)getpid(), .pu = -1};
    gethostname(me.host, sizeof me.host - 1);
    eb_rank_args a;
    eb_job job = {0};
    eb_topology *topo = NULL;
    eb_pin_plan *pin = NULL;
    bool set_up = false;
    char why[400] = "";
    int rc = eb_rank_args_parse(argc, argv, &a, why, sizeof why);
    if (rc == 0) rc = eb_rank_pin_plan(&a, local_rank, local_size, &topo, &pin, why, sizeof why);
    if (rc != 0) fail(&me, rc, "%s", why);
    if (rc == 0) {
        job.workload = a.workload;
        memcpy(job.params, a.params, sizeof job.params);
        job.tasks = a.tasks;
        job.workers = (unsigned)a.rank_workers;
        job.pin = pin;
        /* A thread-per-core executor (hybrid) runs one thread per PU of this
         * rank's slice of the pin plan. */
        job.threads = pin != NULL ? pin->count : 1;
        job.coro_backend = (eb_coro_backend)a.coro_backend;
        job.seed = a.seed;
        if (a.workload->setup != NULL && (rc = a.workload->setup(&job)) != 0) {
            fail(&me, rc, "%s: setup failed: %s", a.workload->name, strerror(-rc));
        } else {
            set_up = true;
            if ((rc = eb_job_alloc(&job)) != 0)
                fail(&me, rc, "could not map the job's arrays: %s", strerror(-rc));
            else if (a.executor->prepare != NULL && (rc = a.executor->prepare(&job)) != 0)
                fail(&me, rc, "%s: could not prepare the job: %s", a.executor->name, strerror(-rc));
        }
    }

    /* The counter at rank 0: every rank's fetch-and-add goes there. */
    claimer c = {.dynamic = a.claim == EB_MPI_CLAIM_DYNAMIC, .lock = PTHREAD_MUTEX_INITIALIZER};
    uint64_t *counter = NULL;
    MPI_Win_allocate(rank == 0 ? (MPI_Aint)sizeof(uint64_t) : 0, sizeof(uint64_t), MPI_INFO_NULL,
                     MPI_COMM_WORLD, &counter, &c.win);
    if (rank == 0) *counter = 0;
    MPI_Win_lock_all(0, c.win);
    uint64_t tasks = me.status == 0 ? a.tasks : 0;
    c.tasks = tasks;
    atomic_store(&c.next, tasks * (uint64_t)rank / (uint64_t)size);
    atomic_store(&c.end, tasks * (uint64_t)(rank + 1) / (uint64_t)size);
    job.claim = claim;
    job.claim_arg = &c;
    described = me.status == 0 ? &job : NULL;
    described_rank = rank;
    signal(SIGUSR1, on_describe);

    /* Everyone started: the executor's launch cost ends here. Who is who
     * first, so that the executor can name a rank that dies later. */
    rank_info *all = rank == 0 ? calloc((size_t)size, sizeof *all) : NULL;
    rank_info spare;
    MPI_Gather(&me, sizeof me, MPI_BYTE, all != NULL ? all : &spare, sizeof me, MPI_BYTE, 0,
               MPI_COMM_WORLD);
    if (rank == 0) {
        for (int r = 0; all != NULL && r < size; r++)
            printf(EB_MPI_LINE " who %d %s %d\n", r, all[r].host, all[r].pid);
        printf(EB_MPI_LINE " ready\n");
        fflush(stdout);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    int64_t start = eb_now_ns();
    eb_job_result out = {0};
    if (me.status == 0) {
        rc = a.executor->run(&job, &out);
        if (rc != 0) fail(&me, rc, "%s", out.error[0] ? out.error : strerror(-rc));
    }
    quiet_barrier();
    int64_t wall = eb_now_ns() - start;
    signal(SIGUSR1, SIG_IGN);
    MPI_Win_unlock_all(c.win);

    if (me.status == 0) {
        me.pu = job.worker[0].pu;
        for (unsigned w = 0; w < job.worker_slots; w++)
            me.tasks_done += job.worker[w].tasks_done;
    }
    /* Rank 0 gathers: results (one rank wrote each, the others hold 0), task
     * times (the others hold -1), how often each task ran, and who did it. */
    uint64_t n = a.tasks;
    uint32_t *runs = calloc(n > 0 ? n : 1, sizeof *runs);
    bool have = me.status == 0 && runs != NULL && (rank != 0 || all != NULL);
    int ok = have ? 1 : 0, all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (all_ok) {
        for (uint64_t t = 0; t < n; t++)
            runs[t] = job.task_start_ns[t] >= 0 ? 1 : 0;
        void *in_place = rank == 0 ? MPI_IN_PLACE : NULL;
        int count = (int)n; /* the executor keeps tasks well under INT_MAX here */
        MPI_Reduce(rank == 0 ? in_place : job.task_result, job.task_result, count, MPI_UINT64_T,
                   MPI_SUM, 0, MPI_COMM_WORLD);
        MPI_Reduce(rank == 0 ? in_place : job.task_start_ns, job.task_start_ns, count, MPI_INT64_T,
                   MPI_MAX, 0, MPI_COMM_WORLD);
        MPI_Reduce(rank == 0 ? in_place : job.task_end_ns, job.task_end_ns, count, MPI_INT64_T,
                   MPI_MAX, 0, MPI_COMM_WORLD);
        MPI_Reduce(rank == 0 ? in_place : runs, runs, count, MPI_UINT32_T, MPI_SUM, 0,
                   MPI_COMM_WORLD);
    }
    MPI_Gather(&me, sizeof me, MPI_BYTE, all != NULL ? all : &spare, sizeof me, MPI_BYTE, 0,
               MPI_COMM_WORLD);
    if (rank == 0) {
        rank_info verdict = {0};
        for (int r = 0; all != NULL && r < size && verdict.status == 0; r++)
            if (all[r].status != 0) {
                verdict.status = all[r].status;
                snprintf(verdict.error, sizeof verdict.error, "rank %d on %s: %s", r, all[r].host,
                         all[r].error);
            }
        if (verdict.status == 0 && !all_ok) {
            verdict.status = -ENOMEM;
            snprintf(verdict.error, sizeof verdict.error,
                     "out of memory gathering %" PRIu64 " tasks", n);
        }
        if (verdict.status == 0) verify(&job, runs, &verdict);
        if (all != NULL) report(&job, all_ok != 0, all, size, wall, &verdict);
    }
    free(all);
    free(runs);
    MPI_Win_free(&c.win);
    MPI_Comm_free(&local);
    if (set_up && job.workload->teardown != NULL) job.workload->teardown(&job);
    eb_job_free(&job);
    free(pin);
    if (topo != NULL) eb_topology_free(topo);
    MPI_Finalize();
    return 0;
}
