/* micro_memory.c — micro.memory/<unit>: resident memory per idle unit of
 * execution. Create 10,000 coroutines (from the runner's scheduler and stack
 * pool), 1,000 threads or 1,000 processes, wait until every one is alive and
 * blocked, and read the resident set of the whole process tree before and
 * after from /proc/<pid>/smaps_rollup:
 *   rss_bytes_per_unit  Rss growth / units (a forked child's Rss counts every
 *                       page it shares with its parent);
 *   pss_bytes_per_unit  Pss growth of anonymous and shmem pages / units (shared
 *                       pages split between their users: what the units really
 *                       add). File pages are left out: their Pss moves whenever
 *                       any other process on the machine maps or unmaps the same
 *                       libc or binary, which no unit of ours did (seen here: a
 *                       thread's Pss above its Rss while other tests ran).
 * Kernel memory (page tables, kernel stacks, task structs) is not in either. */
#include "micro.h"
#include "scheduler.h"
#include "wait.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define COROUTINES 10000
#define THREADS 1000
#define PROCESSES 1000

typedef struct resident {
    int64_t rss_bytes, pss_bytes;
} resident;

/* Adds pid's Rss and Pss (0: this process) to *total: 0 or -errno. Pss is
 * Pss_Anon + Pss_Shmem (Linux 5.9+), or the whole Pss on older kernels. */
static int add_resident(pid_t pid, resident *total)
{
    char path[64];
    if (pid == 0)
        snprintf(path, sizeof path, "/proc/self/smaps_rollup");
    else
        snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) return -errno;
    char line[256];
    long long kib, rss = -1, pss = -1, anon = -1, shmem = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "Rss: %lld kB", &kib) == 1)
            rss = kib;
        else if (sscanf(line, "Pss: %lld kB", &kib) == 1)
            pss = kib;
        else if (sscanf(line, "Pss_Anon: %lld kB", &kib) == 1)
            anon = kib;
        else if (sscanf(line, "Pss_Shmem: %lld kB", &kib) == 1)
            shmem = kib;
    }
    fclose(f);
    if (rss < 0 || pss < 0) return -EPROTO;
    total->rss_bytes += rss * 1024;
    total->pss_bytes += (anon >= 0 && shmem >= 0 ? anon + shmem : pss) * 1024;
    return 0;
}

/* One measurement: the units' growth, or a failure message. */
typedef struct growth {
    resident before, after;
    char error[200];
} growth;

/* ---- coroutines -------------------------------------------------------------- */

typedef struct idle_coroutines {
    growth *g;
    uint64_t given, parked, finished;
    bool released;
} idle_coroutines;

static bool next_idle(void *ctx, uint64_t *arg)
{
    idle_coroutines *c = ctx;
    if (c->given < COROUTINES) {
        *arg = c->given++;
        return true;
    }
    /* every coroutine has started and parked: measure, then let them go */
    if (c->parked != COROUTINES)
        snprintf(c->g->error, sizeof c->g->error, "only %llu of %d coroutines were parked",
                 (unsigned long long)c->parked, COROUTINES);
    else if (add_resident(0, &c->g->after) != 0)
        snprintf(c->g->error, sizeof c->g->error, "could not read /proc/self/smaps_rollup");
    c->released = true;
    return false;
}

static void idle_coroutine(void *ctx, uint64_t arg)
{
    (void)arg;
    idle_coroutines *c = ctx;
    c->parked++;
    while (!c->released)
        eb_wait_ns(2000000);
    c->finished++;
}

static void coroutines_once(growth *g)
{
    if (add_resident(0, &g->before) != 0) {
        snprintf(g->error, sizeof g->error, "could not read /proc/self/smaps_rollup");
        return;
    }
    /* One slot more than needed: the scheduler asks next() for another
     * coroutine only while a slot is free, and that call is where we measure. */
    eb_sched_config config = eb_sched_default_config(EB_CORO_FCONTEXT, COROUTINES + 1);
    eb_sched *sched;
    int rc = eb_sched_create(&config, &sched);
    if (rc != 0) {
        snprintf(g->error, sizeof g->error, "could not create the scheduler: %s", strerror(-rc));
        return;
    }
    idle_coroutines c = {.g = g};
    rc = eb_sched_run(sched, idle_coroutine, &c, next_idle);
    eb_sched_destroy(sched);
    if (rc != 0)
        snprintf(g->error, sizeof g->error, "the scheduler failed: %s", strerror(-rc));
    else if (g->error[0] == '\0' && c.finished != COROUTINES)
        snprintf(g->error, sizeof g->error, "%llu of %d coroutines finished",
                 (unsigned long long)c.finished, COROUTINES);
}

/* ---- threads ----------------------------------------------------------------- */

typedef struct idle_threads {
    _Atomic int alive;
    int release_fd; /* read end: EOF lets them go */
} idle_threads;

static void *idle_thread(void *raw)
{
    idle_threads *t = raw;
    atomic_fetch_add(&t->alive, 1);
    char b;
    while (read(t->release_fd, &b, 1) < 0 && errno == EINTR) {
    }
    return raw;
}

static void wait_for(_Atomic int *count, int want)
{
    for (int64_t until = eb_now_ns() + 10000000000LL; atomic_load(count) < want;) {
        if (eb_now_ns() > until) return; /* the caller reports the shortfall */
        usleep(100);
    }
}

static void threads_once(growth *g)
{
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(g->error, sizeof g->error, "pipe: %s", strerror(errno));
        return;
    }
    pthread_t *threads = calloc(THREADS, sizeof *threads);
    idle_threads t = {.release_fd = fds[0]};
    int created = 0;
    if (threads == NULL || add_resident(0, &g->before) != 0) {
        snprintf(g->error, sizeof g->error, "no memory, or /proc/self/smaps_rollup unreadable");
    } else {
        for (; created < THREADS; created++) {
            int rc = pthread_create(&threads[created], NULL, idle_thread, &t);
            if (rc != 0) {
                snprintf(g->error, sizeof g->error, "thread %d of %d: %s", created + 1, THREADS,
                         strerror(rc));
                break;
            }
        }
        wait_for(&t.alive, created);
        if (g->error[0] == '\0' && atomic_load(&t.alive) != THREADS)
            snprintf(g->error, sizeof g->error, "only %d of %d threads started",
                     atomic_load(&t.alive), THREADS);
        else if (g->error[0] == '\0' && add_resident(0, &g->after) != 0)
            snprintf(g->error, sizeof g->error, "could not read /proc/self/smaps_rollup");
    }
    close(fds[1]);
    for (int i = 0; i < created; i++)
        pthread_join(threads[i], NULL);
    close(fds[0]);
    free(threads);
}

/* ---- processes ----------------------------------------------------------------- */

static void processes_once(growth *g)
{
    int ready[2], release[2];
    if (pipe(ready) != 0 || pipe(release) != 0) {
        snprintf(g->error, sizeof g->error, "pipe: %s", strerror(errno));
        return;
    }
    pid_t *pids = calloc(PROCESSES, sizeof *pids);
    int forked = 0;
    if (pids == NULL || add_resident(0, &g->before) != 0) {
        snprintf(g->error, sizeof g->error, "no memory, or /proc/self/smaps_rollup unreadable");
    } else {
        for (; forked < PROCESSES; forked++) {
            pid_t pid = fork();
            if (pid == 0) { /* idle: say so, then block until released */
                close(ready[0]);
                close(release[1]);
                char b = 'r';
                if (write(ready[1], &b, 1) != 1) _exit(2);
                while (read(release[0], &b, 1) < 0 && errno == EINTR) {
                }
                _exit(0);
            }
            if (pid < 0) {
                snprintf(g->error, sizeof g->error, "fork %d of %d: %s", forked + 1, PROCESSES,
                         strerror(errno));
                break;
            }
            pids[forked] = pid;
        }
        int alive = 0;
        char buf[256];
        while (alive < forked) {
            ssize_t n = read(ready[0], buf, sizeof buf);
            if (n <= 0 && errno != EINTR) break;
            if (n > 0) alive += (int)n;
        }
        if (g->error[0] == '\0' && alive != PROCESSES)
            snprintf(g->error, sizeof g->error, "only %d of %d processes started", alive,
                     PROCESSES);
        int rc = g->error[0] == '\0' ? add_resident(0, &g->after) : 0;
        for (int i = 0; rc == 0 && g->error[0] == '\0' && i < forked; i++)
            rc = add_resident(pids[i], &g->after);
        if (rc != 0 && g->error[0] == '\0')
            snprintf(g->error, sizeof g->error, "could not read a process's smaps_rollup: %s",
                     strerror(-rc));
    }
    close(release[1]); /* EOF: every child exits */
    close(ready[1]);
    int bad = 0;
    for (int i = 0; i < forked; i++) {
        int status;
        bad += waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
               WEXITSTATUS(status) != 0;
    }
    if (bad != 0 && g->error[0] == '\0')
        snprintf(g->error, sizeof g->error, "%d of %d children failed", bad, forked);
    close(ready[0]);
    close(release[0]);
    free(pids);
}

/* ---- the benchmark -------------------------------------------------------------- */

typedef struct unit_kind {
    void (*once)(growth *g);
    int units;
} unit_kind;

static const unit_kind coroutine_kind = {coroutines_once, COROUTINES};
static const unit_kind thread_kind = {threads_once, THREADS};
static const unit_kind process_kind = {processes_once, PROCESSES};

static void bm_memory(eb_state *s, void *arg)
{
    const unit_kind *kind = arg;
    if (!micro_pin_or_fail(s, 0)) return;
    double rss = 0, pss = 0;
    int64_t rounds = 0;
    while (eb_state_keep_running(s)) {
        /* The runner keeps a coroutine stack pool between jobs: one left by
         * an earlier round or benchmark would already be resident for the
         * coroutines, and counted in the Rss of every forked child. */
        eb_stack_pool_cache_clear();
        growth g = {0};
        kind->once(&g);
        if (g.error[0] != '\0') {
            eb_state_skip_with_error(s, g.error);
            continue; /* keep_running is false from now on */
        }
        rss += (double)(g.after.rss_bytes - g.before.rss_bytes) / kind->units;
        pss += (double)(g.after.pss_bytes - g.before.pss_bytes) / kind->units;
        rounds++;
    }
    if (rounds == 0 || eb_state_error_occurred(s)) return;
    eb_state_counter(s, "rss_bytes_per_unit", rss / (double)rounds, EB_COUNTER_DEFAULT);
    eb_state_counter(s, "pss_bytes_per_unit", pss / (double)rounds, EB_COUNTER_DEFAULT);
    eb_state_counter(s, "units", kind->units, EB_COUNTER_DEFAULT);
}

void micro_memory_register(void)
{
    eb_bench *b = eb_bench_register("micro.memory/coroutine", bm_memory, (void *)&coroutine_kind);
    eb_bench_timing(b, EB_TIMING_REAL);
    eb_bench_unit(b, EB_TIME_MS);
    b = eb_bench_register("micro.memory/thread", bm_memory, (void *)&thread_kind);
    eb_bench_timing(b, EB_TIMING_REAL);
    eb_bench_unit(b, EB_TIME_MS);
    b = eb_bench_register("micro.memory/process", bm_memory, (void *)&process_kind);
    eb_bench_timing(b, EB_TIMING_REAL);
    eb_bench_unit(b, EB_TIME_MS);
}
