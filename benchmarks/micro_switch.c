/* micro_switch.c — micro.switch/<mechanism>: one context switch, i.e. half a
 * round trip of a ping-pong between two units of execution, for each way
 * execbench could hand the CPU over: the runner's coroutines (fcontext,
 * ucontext), the floor (a bare register switch in assembly), threads through
 * a futex and processes through a pipe, on one core and across two.
 *
 * Every round the initiator writes i and the partner must answer ~i: a
 * partner that did not run, or ran out of turn, fails the run. The counter
 * ns_per_switch is wall time / (2 x rounds).
 *
 * micro.switch/<separate|copy>/depth:N: the cost of a switch against the
 * stack in use, for both stack modes (coro.h). Two coroutines each hold N
 * bytes of frames and are resumed in turn, as the scheduler resumes its
 * coroutines: with separate stacks a switch touches registers only; with
 * one copied run stack every resume copies the other's frames out and its
 * own back in. ns_per_switch is wall time / (4 x rounds) (a round resumes
 * both: four switches); copied_bytes_per_resume is what each resume copied
 * (N plus the frames under it). Each coroutine checks its N bytes at the
 * end: frames restored wrongly fail the run. */
#include "coro.h"
#include "micro.h"
#include "wait.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK_BYTES (64 * 1024)
#define BATCH 512

typedef struct pingpong {
    int64_t token;
    int64_t turns; /* rounds the partner answered */
    bool stop;
    eb_coro *co;
    void *main_sp, *partner_sp; /* the floor switch's saved stack pointers */
} pingpong;

static void report(eb_state *s, int64_t start_ns, int64_t rounds, int64_t wrong, int64_t turns)
{
    int64_t elapsed = eb_now_ns() - start_ns;
    if (wrong != 0 || turns != rounds) {
        micro_fail(s, "the partner answered %lld of %lld rounds, %lld out of turn",
                   (long long)turns, (long long)rounds, (long long)wrong);
        return;
    }
    if (rounds > 0)
        eb_state_counter(s, "ns_per_switch", (double)elapsed / (2.0 * (double)rounds),
                         EB_COUNTER_DEFAULT);
}

/* ---- coroutines: the runner's eb_coro ------------------------------------- */

static void coro_partner(void *ctx, uint64_t arg)
{
    (void)arg;
    pingpong *p = ctx;
    eb_coro_suspend(p->co); /* ready */
    while (!p->stop) {
        p->token = ~p->token;
        p->turns++;
        eb_coro_suspend(p->co);
    }
}

static void bm_coro(eb_state *s, void *arg)
{
    eb_coro_backend backend = (eb_coro_backend)(uintptr_t)arg;
    if (!micro_pin_or_fail(s, 0)) return;
    void *stack = aligned_alloc(64, STACK_BYTES);
    eb_coro co;
    pingpong p = {.co = &co};
    int rc = stack == NULL ? -ENOMEM
                           : eb_coro_init(&co, backend, stack, STACK_BYTES, coro_partner, &p, 0);
    if (rc != 0) {
        micro_fail(s, "could not create a %s coroutine: %s", eb_coro_backend_name(backend),
                   strerror(-rc));
        free(stack);
        return;
    }
    eb_coro_resume(&co);
    int64_t rounds = 0, wrong = 0, n, start = eb_now_ns();
    while ((n = eb_state_keep_running_batch(s, BATCH)) > 0) {
        for (int64_t i = 0; i < n; i++, rounds++) {
            p.token = rounds;
            eb_coro_resume(&co);
            wrong += p.token != ~rounds;
        }
    }
    report(s, start, rounds, wrong, p.turns);
    p.stop = true;
    eb_coro_resume(&co);
    if (!eb_coro_finished(&co)) micro_fail(s, "the coroutine did not finish when told to");
    free(stack);
}

/* ---- the floor: a bare switch in assembly ------------------------------------ */

#ifdef EB_HAVE_FLOOR_SWITCH
void eb_floor_switch(void **save_sp, void *load_sp);
void *eb_floor_prepare(void *stack_top, void (*fn)(void *), void *arg);

static void floor_partner(void *ctx)
{
    pingpong *p = ctx;
    for (;;) {
        eb_floor_switch(&p->partner_sp, p->main_sp);
        p->token = ~p->token;
        p->turns++;
    }
}

static void bm_floor(eb_state *s, void *arg)
{
    (void)arg;
    if (!micro_pin_or_fail(s, 0)) return;
    char *stack = aligned_alloc(64, STACK_BYTES);
    if (stack == NULL) {
        micro_fail(s, "no memory for a stack");
        return;
    }
    pingpong p = {0};
    p.partner_sp = eb_floor_prepare(stack + STACK_BYTES, floor_partner, &p);
    eb_floor_switch(&p.main_sp, p.partner_sp); /* the partner starts and comes back */
    int64_t rounds = 0, wrong = 0, n, start = eb_now_ns();
    while ((n = eb_state_keep_running_batch(s, BATCH)) > 0) {
        for (int64_t i = 0; i < n; i++, rounds++) {
            p.token = rounds;
            eb_floor_switch(&p.main_sp, p.partner_sp);
            wrong += p.token != ~rounds;
        }
    }
    report(s, start, rounds, wrong, p.turns);
    free(stack); /* the partner stays suspended forever: nothing to unwind */
}
#else
static void bm_floor(eb_state *s, void *arg)
{
    (void)arg;
    micro_fail(s, "no floor switch for this architecture (x86-64 and aarch64 only)");
}
#endif

/* ---- threads: a futex hand-off ------------------------------------------------- */

typedef struct futex_pp {
    pingpong p;
    _Atomic uint32_t turn; /* 1: the partner's turn */
    unsigned partner_core;
    int pin_rc;
} futex_pp;

static void futex_wait(_Atomic uint32_t *addr, uint32_t while_value)
{
    syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, while_value, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *addr)
{
    syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *futex_partner(void *raw)
{
    futex_pp *f = raw;
    f->pin_rc = micro_pin_core(f->partner_core);
    for (;;) {
        while (atomic_load(&f->turn) == 0)
            futex_wait(&f->turn, 0);
        if (f->p.stop) return NULL;
        f->p.token = ~f->p.token;
        f->p.turns++;
        atomic_store(&f->turn, 0);
        futex_wake(&f->turn);
    }
}

static void bm_futex(eb_state *s, void *arg)
{
    unsigned partner_core = (unsigned)(uintptr_t)arg;
    if (partner_core > 0 && micro_skip_without_two_cores(s)) return;
    if (!micro_pin_or_fail(s, 0)) return;
    futex_pp f = {.partner_core = partner_core};
    pthread_t thread;
    int rc = pthread_create(&thread, NULL, futex_partner, &f);
    if (rc != 0) {
        micro_fail(s, "could not create the partner thread: %s", strerror(rc));
        return;
    }
    int64_t rounds = 0, wrong = 0, n, start = eb_now_ns();
    while ((n = eb_state_keep_running_batch(s, BATCH)) > 0) {
        for (int64_t i = 0; i < n; i++, rounds++) {
            f.p.token = rounds;
            atomic_store(&f.turn, 1);
            futex_wake(&f.turn);
            while (atomic_load(&f.turn) == 1)
                futex_wait(&f.turn, 1);
            wrong += f.p.token != ~rounds;
        }
    }
    report(s, start, rounds, wrong, f.p.turns);
    f.p.stop = true;
    atomic_store(&f.turn, 1);
    futex_wake(&f.turn);
    pthread_join(thread, NULL);
    if (f.pin_rc != 0)
        micro_fail(s, "could not pin the partner to core %u: %s", partner_core,
                   strerror(-f.pin_rc));
}

/* ---- processes: a pipe hand-off -------------------------------------------------- */

static void pipe_partner(int in, int out, unsigned core)
{
    if (micro_pin_core(core) != 0) _exit(3);
    unsigned char b;
    while (read(in, &b, 1) == 1) {
        b = (unsigned char)~b;
        if (write(out, &b, 1) != 1) _exit(4);
    }
    _exit(0);
}

static void bm_pipe(eb_state *s, void *arg)
{
    unsigned partner_core = (unsigned)(uintptr_t)arg;
    if (partner_core > 0 && micro_skip_without_two_cores(s)) return;
    if (!micro_pin_or_fail(s, 0)) return;
    int to_child[2], to_parent[2];
    if (pipe(to_child) != 0) {
        micro_fail(s, "pipe: %s", strerror(errno));
        return;
    }
    if (pipe(to_parent) != 0) {
        micro_fail(s, "pipe: %s", strerror(errno));
        close(to_child[0]);
        close(to_child[1]);
        return;
    }
    pid_t child = fork();
    if (child == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        pipe_partner(to_child[0], to_parent[1], partner_core);
    }
    close(to_child[0]);
    close(to_parent[1]);
    if (child < 0) {
        micro_fail(s, "fork: %s", strerror(errno));
        close(to_child[1]);
        close(to_parent[0]);
        return;
    }
    int64_t rounds = 0, wrong = 0, answered = 0, n, start = eb_now_ns();
    while ((n = eb_state_keep_running_batch(s, BATCH)) > 0) {
        for (int64_t i = 0; i < n; i++, rounds++) {
            unsigned char b = (unsigned char)rounds, r = 0;
            if (write(to_child[1], &b, 1) != 1 || read(to_parent[0], &r, 1) != 1) continue;
            answered++;
            wrong += r != (unsigned char)~b;
        }
    }
    report(s, start, rounds, wrong, answered);
    close(to_child[1]); /* EOF: the partner exits */
    close(to_parent[0]);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        micro_fail(s, "the partner process failed (status %d)", status);
}

/* ---- switch cost against stack depth, separate and copied stacks ----------- */

#define DEPTH_STACK_BYTES ((size_t)256 << 10)

typedef struct depth_partner {
    eb_coro co;
    size_t depth;
    int64_t token, turns;
    bool stop, damaged;
} depth_partner;

/* Holds `depth` bytes of frames (a filled block) while it answers. */
static __attribute__((noinline)) void depth_loop(depth_partner *p, volatile unsigned char *block)
{
    while (!p->stop) {
        p->token = ~p->token;
        p->turns++;
        eb_coro_suspend(&p->co);
    }
    for (size_t i = 0; i < p->depth; i += 61)
        p->damaged |= block[i] != (unsigned char)(i * 7 + p->depth);
}

static void depth_body(void *ctx, uint64_t arg)
{
    (void)arg;
    depth_partner *p = ctx;
    volatile unsigned char block[p->depth > 0 ? p->depth : 1];
    for (size_t i = 0; i < p->depth; i++)
        block[i] = (unsigned char)(i * 7 + p->depth);
    eb_coro_suspend(&p->co); /* ready */
    depth_loop(p, block);
}

typedef struct depth_case {
    eb_coro_stack_mode mode;
    size_t depth;
} depth_case;

static void bm_depth(eb_state *s, void *arg)
{
    const depth_case *c = arg;
    if (!micro_pin_or_fail(s, 0)) return;
    depth_partner p[2] = {{.depth = c->depth}, {.depth = c->depth}};
    eb_coro_run_stack *rs = NULL;
    void *stacks[2] = {NULL, NULL};
    int rc = 0;
    if (c->mode == EB_CORO_STACK_COPY) {
        rc = eb_coro_run_stack_create(DEPTH_STACK_BYTES, &rs);
        for (int i = 0; i < 2 && rc == 0; i++)
            rc = eb_coro_init_copy(&p[i].co, EB_CORO_FCONTEXT, rs, depth_body, &p[i], 0);
    } else {
        for (int i = 0; i < 2 && rc == 0; i++) {
            stacks[i] = aligned_alloc(64, DEPTH_STACK_BYTES);
            rc = stacks[i] == NULL ? -ENOMEM
                                   : eb_coro_init(&p[i].co, EB_CORO_FCONTEXT, stacks[i],
                                                  DEPTH_STACK_BYTES, depth_body, &p[i], 0);
        }
    }
    for (int i = 0; i < 2 && rc == 0; i++)
        rc = eb_coro_resume(&p[i].co);
    if (rc != 0) {
        micro_fail(s, "could not start two %s coroutines: %s", eb_coro_stack_mode_name(c->mode),
                   strerror(-rc));
    } else {
        eb_coro_copy_stats before = {0}, after = {0};
        if (rs != NULL) eb_coro_run_stack_stats(rs, &before);
        int64_t rounds = 0, wrong = 0, n, start = eb_now_ns();
        while ((n = eb_state_keep_running_batch(s, BATCH)) > 0) {
            for (int64_t i = 0; i < n; i++, rounds++) {
                for (int k = 0; k < 2; k++) {
                    p[k].token = rounds;
                    rc |= eb_coro_resume(&p[k].co);
                    wrong += p[k].token != ~rounds;
                }
            }
        }
        int64_t elapsed = eb_now_ns() - start;
        if (rs != NULL) eb_coro_run_stack_stats(rs, &after);
        for (int k = 0; k < 2; k++) {
            p[k].stop = true;
            rc |= eb_coro_resume(&p[k].co);
        }
        if (rc != 0 || wrong != 0 || p[0].turns != rounds || p[1].turns != rounds) {
            micro_fail(s, "the partners answered %lld and %lld of %lld rounds, %lld out of turn",
                       (long long)p[0].turns, (long long)p[1].turns, (long long)rounds,
                       (long long)wrong);
        } else if (!eb_coro_finished(&p[0].co) || !eb_coro_finished(&p[1].co) || p[0].damaged ||
                   p[1].damaged) {
            micro_fail(s, "a coroutine's %zu bytes of frames came back damaged", c->depth);
        } else if (rounds > 0) {
            eb_state_counter(s, "ns_per_switch", (double)elapsed / (4.0 * (double)rounds),
                             EB_COUNTER_DEFAULT);
            uint64_t copied = (after.saved_bytes - before.saved_bytes) +
                              (after.restored_bytes - before.restored_bytes);
            eb_state_counter(s, "copied_bytes_per_resume", (double)copied / (2.0 * (double)rounds),
                             EB_COUNTER_DEFAULT);
        }
    }
    eb_coro_run_stack_destroy(rs);
    free(stacks[0]);
    free(stacks[1]);
}

void micro_switch_register(void)
{
    static const size_t depths[] = {0, 256, 1024, 4096, 16384, 65536};
    static depth_case cases[2][sizeof depths / sizeof *depths];
    for (int m = 0; m < 2; m++) {
        for (size_t d = 0; d < sizeof depths / sizeof *depths; d++) {
            cases[m][d] =
                (depth_case){m == 0 ? EB_CORO_STACK_SEPARATE : EB_CORO_STACK_COPY, depths[d]};
            char name[64];
            snprintf(name, sizeof name, "micro.switch/%s/depth:%zu",
                     eb_coro_stack_mode_name(cases[m][d].mode), depths[d]);
            eb_bench_register(name, bm_depth, &cases[m][d]);
        }
    }
    eb_bench_register("micro.switch/fcontext", bm_coro, (void *)(uintptr_t)EB_CORO_FCONTEXT);
    eb_bench_register("micro.switch/ucontext", bm_coro, (void *)(uintptr_t)EB_CORO_UCONTEXT);
    eb_bench_register("micro.switch/floor", bm_floor, NULL);
    /* The hand-offs block: wall time must drive the iteration count. */
    eb_bench_timing(
        eb_bench_register("micro.switch/thread_futex/same_core", bm_futex, (void *)(uintptr_t)0),
        EB_TIMING_REAL);
    eb_bench_timing(
        eb_bench_register("micro.switch/thread_futex/cross_core", bm_futex, (void *)(uintptr_t)1),
        EB_TIMING_REAL);
    eb_bench_timing(
        eb_bench_register("micro.switch/process_pipe/same_core", bm_pipe, (void *)(uintptr_t)0),
        EB_TIMING_REAL);
    eb_bench_timing(
        eb_bench_register("micro.switch/process_pipe/cross_core", bm_pipe, (void *)(uintptr_t)1),
        EB_TIMING_REAL);
}
