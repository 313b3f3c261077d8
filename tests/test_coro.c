/* test_coro.c — stackful coroutines under both backends: control really
 * alternates, values cross the switch, a coroutine's locals and the caller's
 * survive any number of switches, coroutines nest. */
#include "coro.h"
#include "eb_test.h"

#include <errno.h>
#include <stdlib.h>

#define STACK_BYTES (64 * 1024)

static const eb_coro_backend backends[] = {EB_CORO_FCONTEXT, EB_CORO_UCONTEXT};
#define BACKENDS (sizeof backends / sizeof *backends)

static void *new_stack(void)
{
    void *stack = aligned_alloc(64, STACK_BYTES);
    EB_REQUIRE(stack != NULL);
    return stack;
}

/* A ping-pong: the caller writes i, the coroutine checks it sees i and
 * answers with -i, n times; then it returns n * (n - 1) / 2. */
typedef struct ping {
    eb_coro *self;
    int64_t token;
    int64_t rounds;
    int64_t seen_sum;
    int64_t out_of_turn;
} ping;

static void ping_body(void *ctx, uint64_t rounds)
{
    ping *p = ctx;
    for (int64_t i = 0; i < (int64_t)rounds; i++) {
        if (p->token != i) p->out_of_turn++;
        p->seen_sum += p->token;
        p->token = -i;
        eb_coro_suspend(p->self);
    }
    p->rounds = (int64_t)rounds;
}

EB_TEST(resume_and_suspend_alternate)
{
    for (size_t b = 0; b < BACKENDS; b++) {
        void *stack = new_stack();
        eb_coro co;
        ping p = {.self = &co};
        const int64_t n = 1000;
        EB_REQUIRE(eb_coro_init(&co, backends[b], stack, STACK_BYTES, ping_body, &p, (uint64_t)n) ==
                   0);
        EB_CHECK(!eb_coro_finished(&co));
        int64_t wrong = 0;
        for (int64_t i = 0; i < n; i++) {
            p.token = i;
            eb_coro_resume(&co);
            wrong += p.token != -i; /* the coroutine ran exactly once in between */
            EB_CHECK(!eb_coro_finished(&co));
        }
        eb_coro_resume(&co); /* runs to its end */
        EB_CHECKF(eb_coro_finished(&co), "%s", eb_coro_backend_name(backends[b]));
        EB_CHECKF(wrong == 0 && p.out_of_turn == 0, "%s: %lld/%lld out of turn",
                  eb_coro_backend_name(backends[b]), (long long)wrong, (long long)p.out_of_turn);
        EB_CHECK(p.rounds == n);
        EB_CHECK(p.seen_sum == n * (n - 1) / 2);
        free(stack);
    }
}

/* Recursion with live locals (integers and doubles) across a suspend at the
 * bottom: the coroutine's stack and callee-saved registers must survive. */
typedef struct deep {
    eb_coro *self;
    uint64_t result;
    double fresult;
} deep;

static uint64_t descend(deep *d, uint64_t depth, double *f)
{
    volatile uint64_t mark = depth * 2654435761u;
    double mine = (double)depth * 0.5;
    if (depth == 0) {
        eb_coro_suspend(d->self);
        eb_coro_suspend(d->self);
        *f = 0.0;
        return 0;
    }
    uint64_t below = descend(d, depth - 1, f);
    *f += mine;
    return below + (mark ^ depth * 2654435761u) + depth;
}

static void deep_body(void *ctx, uint64_t depth)
{
    deep *d = ctx;
    double f = 0;
    d->result = descend(d, depth, &f);
    d->fresult = f;
}

EB_TEST(locals_survive_switches)
{
    for (size_t b = 0; b < BACKENDS; b++) {
        void *stack = new_stack();
        eb_coro co;
        deep d = {.self = &co};
        const uint64_t depth = 60;
        EB_REQUIRE(eb_coro_init(&co, backends[b], stack, STACK_BYTES, deep_body, &d, depth) == 0);
        /* the caller's own callee-saved state must survive too */
        uint64_t a = 0x1234, c = 0x9876;
        double x = 1.25;
        for (int i = 0; i < 3; i++) {
            eb_coro_resume(&co);
            a = a * 3 + 1;
            c ^= a;
            x *= 2;
        }
        EB_CHECK(eb_coro_finished(&co));
        EB_CHECKF(d.result == depth * (depth + 1) / 2, "%s: %llu",
                  eb_coro_backend_name(backends[b]), (unsigned long long)d.result);
        EB_CHECK(d.fresult == 0.5 * (double)(depth * (depth + 1) / 2));
        EB_CHECK(a == ((0x1234 * 3 + 1) * 3 + 1) * 3 + 1 && x == 10.0);
        EB_CHECK(c == (((0x9876 ^ (0x1234 * 3 + 1)) ^ ((0x1234 * 3 + 1) * 3 + 1)) ^
                       (((0x1234 * 3 + 1) * 3 + 1) * 3 + 1)));
        free(stack);
    }
}

/* A coroutine resumes another: each suspend returns to its own resumer. */
typedef struct nest {
    eb_coro outer, inner;
    char log[16];
    int len;
} nest;

static void inner_body(void *ctx, uint64_t arg)
{
    (void)arg;
    nest *n = ctx;
    n->log[n->len++] = 'i';
    eb_coro_suspend(&n->inner);
    n->log[n->len++] = 'j';
}

static void outer_body(void *ctx, uint64_t arg)
{
    (void)arg;
    nest *n = ctx;
    n->log[n->len++] = 'o';
    eb_coro_resume(&n->inner);
    n->log[n->len++] = 'p';
    eb_coro_suspend(&n->outer);
    eb_coro_resume(&n->inner);
    n->log[n->len++] = 'q';
}

EB_TEST(coroutines_nest)
{
    for (size_t b = 0; b < BACKENDS; b++) {
        void *s1 = new_stack(), *s2 = new_stack();
        nest n = {.len = 0};
        EB_REQUIRE(eb_coro_init(&n.outer, backends[b], s1, STACK_BYTES, outer_body, &n, 0) == 0);
        EB_REQUIRE(eb_coro_init(&n.inner, backends[b], s2, STACK_BYTES, inner_body, &n, 0) == 0);
        eb_coro_resume(&n.outer);
        n.log[n.len++] = 'm';
        eb_coro_resume(&n.outer);
        n.log[n.len] = '\0';
        EB_CHECKF(strcmp(n.log, "oipmjq") == 0, "%s: order %s", eb_coro_backend_name(backends[b]),
                  n.log);
        EB_CHECK(eb_coro_finished(&n.outer) && eb_coro_finished(&n.inner));
        free(s1);
        free(s2);
    }
}

static void never_runs(void *ctx, uint64_t arg)
{
    (void)ctx;
    (void)arg;
}

EB_TEST(init_rejects_bad_stacks)
{
    char *stack = new_stack();
    eb_coro co;
    EB_CHECK(eb_coro_init(&co, EB_CORO_FCONTEXT, stack + 8, 8192, never_runs, NULL, 0) == -EINVAL);
    EB_CHECK(eb_coro_init(&co, EB_CORO_FCONTEXT, stack, 512, never_runs, NULL, 0) == -EINVAL);
    EB_CHECK(eb_coro_init(&co, EB_CORO_FCONTEXT, NULL, 8192, never_runs, NULL, 0) == -EINVAL);
    EB_CHECK(eb_coro_init(&co, EB_CORO_FCONTEXT, stack, 8192, NULL, NULL, 0) == -EINVAL);
    EB_CHECK(eb_coro_init(&co, (eb_coro_backend)7, stack, 8192, never_runs, NULL, 0) == -EINVAL);
    /* ucontext carves its ~1 KiB context from the stack: too little is left */
    EB_CHECK(eb_coro_init(&co, EB_CORO_UCONTEXT, stack, 2048, never_runs, NULL, 0) == -EINVAL);
    free(stack);
}

EB_TEST(backend_names_round_trip)
{
    for (size_t b = 0; b < BACKENDS; b++) {
        eb_coro_backend parsed;
        EB_CHECK(eb_coro_backend_parse(eb_coro_backend_name(backends[b]), &parsed) == 0);
        EB_CHECK(parsed == backends[b]);
    }
    eb_coro_backend parsed;
    EB_CHECK(eb_coro_backend_parse("boost", &parsed) == -EINVAL);
    EB_CHECK(strcmp(eb_coro_backend_name(EB_CORO_FCONTEXT), "fcontext") == 0);
}
