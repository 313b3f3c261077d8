/* micro_spawn.c — micro.spawn/<mechanism>: create, start, finish and reap one
 * unit of execution: a coroutine from the runner's stack pool and scheduler,
 * a pthread (create + join), a process (fork + _exit + waitpid, from a small
 * parent and from one with 256 MiB touched), vfork, and posix_spawn of a tiny
 * static program. Every unit proves it ran (a count, an exit status it could
 * only know by running); the counter is ns_per_spawn. */
#include "helpers.h"
#include "micro.h"
#include "scheduler.h"
#include "wait.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define BATCH 64

static void report(eb_state *s, int64_t start_ns, int64_t spawned)
{
    int64_t elapsed = eb_now_ns() - start_ns;
    if (spawned > 0)
        eb_state_counter(s, "ns_per_spawn", (double)elapsed / (double)spawned, EB_COUNTER_DEFAULT);
}

/* ---- coroutine: the runner's scheduler, one stack slot reused --------------- */

typedef struct coro_spawns {
    eb_state *s;
    int64_t left_in_batch;
    int64_t asked, ran;
    uint64_t arg_sum, want_sum;
} coro_spawns;

static bool next_coroutine(void *ctx, uint64_t *arg)
{
    coro_spawns *c = ctx;
    if (c->left_in_batch == 0 && (c->left_in_batch = eb_state_keep_running_batch(c->s, 1024)) <= 0)
        return false;
    c->left_in_batch--;
    *arg = (uint64_t)c->asked++;
    c->want_sum += *arg;
    return true;
}

static void spawned_coroutine(void *ctx, uint64_t arg)
{
    coro_spawns *c = ctx;
    c->ran++;
    c->arg_sum += arg;
}

static void bm_coroutine(eb_state *s, void *arg)
{
    (void)arg;
    if (!micro_pin_or_fail(s, 0)) return;
    eb_sched_config config = eb_sched_default_config(EB_CORO_FCONTEXT, 1);
    eb_sched *sched;
    int rc = eb_sched_create(&config, &sched);
    if (rc != 0) {
        micro_fail(s, "could not create the scheduler: %s", strerror(-rc));
        return;
    }
    coro_spawns c = {.s = s};
    int64_t start = eb_now_ns();
    rc = eb_sched_run(sched, spawned_coroutine, &c, next_coroutine);
    report(s, start, c.asked);
    eb_sched_destroy(sched);
    if (rc != 0)
        micro_fail(s, "the scheduler failed: %s", strerror(-rc));
    else if (c.ran != c.asked || c.arg_sum != c.want_sum)
        micro_fail(s, "%lld of %lld coroutines ran", (long long)c.ran, (long long)c.asked);
}

/* ---- pthread create + join ------------------------------------------------------ */

static void *thread_body(void *arg)
{
    atomic_fetch_add((_Atomic int64_t *)arg, 1);
    return arg;
}

static void bm_pthread(eb_state *s, void *arg)
{
    (void)arg;
    if (!micro_pin_or_fail(s, 0)) return;
    _Atomic int64_t ran = 0;
    int64_t spawned = 0, failed = 0, n, start = eb_now_ns();
    while ((n = eb_state_keep_running_batch(s, BATCH)) > 0) {
        for (int64_t i = 0; i < n; i++) {
            pthread_t t;
            void *ret = NULL;
            if (pthread_create(&t, NULL, thread_body, (void *)&ran) != 0) {
                failed++;
                continue;
            }
            pthread_join(t, &ret);
            spawned++;
            failed += ret != (void *)&ran;
        }
    }
    report(s, start, spawned);
    if (failed != 0 || atomic_load(&ran) != spawned)
        micro_fail(s, "%lld of %lld threads ran (%lld failures)", (long long)atomic_load(&ran),
                   (long long)spawned, (long long)failed);
}

/* ---- processes ------------------------------------------------------------------- */

/* The child exits with a byte of the parent's memory: it can only know it by
 * running in a copy of that memory. */
static const volatile unsigned char *fork_memory;

static __attribute__((noinline)) pid_t fork_one(bool use_vfork)
{
    pid_t pid = use_vfork ? vfork() : fork();
    if (pid == 0) _exit(fork_memory[0]);
    return pid;
}

typedef enum { SPAWN_FORK, SPAWN_FORK_256MIB, SPAWN_VFORK } process_kind;

static void bm_process(eb_state *s, void *arg)
{
    process_kind kind = (process_kind)(uintptr_t)arg;
    if (!micro_pin_or_fail(s, 0)) return;
    static unsigned char small = 42;
    size_t big_bytes = (size_t)256 << 20;
    unsigned char *big = NULL;
    fork_memory = &small;
    if (kind == SPAWN_FORK_256MIB) {
        /* 4 KiB pages, as an ordinary heap has: fork copies 65,536 entries. */
        big = mmap(NULL, big_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (big == MAP_FAILED) {
            micro_fail(s, "could not map 256 MiB: %s", strerror(errno));
            return;
        }
        madvise(big, big_bytes, MADV_NOHUGEPAGE);
        memset(big, 42, big_bytes); /* touched: resident, as the name says */
        fork_memory = big + big_bytes / 2;
    }
    int64_t spawned = 0, wrong = 0, n, start = eb_now_ns();
    while ((n = eb_state_keep_running_batch(s, 8)) > 0) {
        for (int64_t i = 0; i < n; i++) {
            pid_t pid = fork_one(kind == SPAWN_VFORK);
            int status = 0;
            if (pid < 0 || waitpid(pid, &status, 0) != pid) {
                wrong++;
                continue;
            }
            spawned++;
            wrong += !WIFEXITED(status) || WEXITSTATUS(status) != 42;
        }
    }
    report(s, start, spawned);
    if (big != NULL) munmap(big, big_bytes);
    if (wrong != 0)
        micro_fail(s, "%lld of %lld children failed or exited with the wrong status",
                   (long long)wrong, (long long)(spawned + wrong));
}

/* ---- posix_spawn of a tiny static program ------------------------------------------ */

static void bm_posix_spawn(eb_state *s, void *arg)
{
    (void)arg;
    char path[PATH_MAX + 32];
    /* build/execbench-spawn-target, or libexec/execbench/ when installed. */
    int rc = eb_helper_path("execbench-spawn-target", path, sizeof path);
    if (rc != 0) {
        micro_fail(s, "the spawn target execbench-spawn-target is missing (%s): build it with make",
                   strerror(-rc));
        return;
    }
    if (!micro_pin_or_fail(s, 0)) return;
    char *argv[] = {path, "4", NULL};
    int64_t spawned = 0, wrong = 0, n, start = eb_now_ns();
    while ((n = eb_state_keep_running_batch(s, 8)) > 0) {
        for (int64_t i = 0; i < n; i++) {
            pid_t pid;
            int status = 0;
            if (posix_spawn(&pid, path, NULL, NULL, argv, environ) != 0 ||
                waitpid(pid, &status, 0) != pid) {
                wrong++;
                continue;
            }
            spawned++;
            wrong += !WIFEXITED(status) || WEXITSTATUS(status) != 42;
        }
    }
    report(s, start, spawned);
    if (wrong != 0)
        micro_fail(s, "%lld of %lld spawned programs failed or exited with the wrong status",
                   (long long)wrong, (long long)(spawned + wrong));
}

void micro_spawn_register(void)
{
    eb_bench_register("micro.spawn/coroutine", bm_coroutine, NULL);
    /* The rest wait for another thread or process: wall time drives them. */
    eb_bench_timing(eb_bench_register("micro.spawn/pthread", bm_pthread, NULL), EB_TIMING_REAL);
    eb_bench_timing(
        eb_bench_register("micro.spawn/fork", bm_process, (void *)(uintptr_t)SPAWN_FORK),
        EB_TIMING_REAL);
    eb_bench_timing(eb_bench_register("micro.spawn/fork_256mib", bm_process,
                                      (void *)(uintptr_t)SPAWN_FORK_256MIB),
                    EB_TIMING_REAL);
    eb_bench_timing(
        eb_bench_register("micro.spawn/vfork", bm_process, (void *)(uintptr_t)SPAWN_VFORK),
        EB_TIMING_REAL);
    eb_bench_timing(eb_bench_register("micro.spawn/posix_spawn", bm_posix_spawn, NULL),
                    EB_TIMING_REAL);
}
