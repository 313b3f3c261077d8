/* test_copy_stacks.c — the COPY stack mode (coro.h): coroutines sharing one
 * run stack, each parked one's frames copied out and back, under both
 * backends: every coroutine's locals come back byte for byte across
 * thousands of switches (a checksum per frame), deep and shallow ones mix,
 * the run stack has a real guard page, a failed save leaves everyone intact,
 * a coroutine cannot resume another of its own stack, and the scheduler runs
 * timers in order and fd waits in this mode, with memory per coroutine a
 * fraction of a separate stack's. */
#include "coro.h"
#include "eb_test.h"
#include "scheduler.h"
#include "wait.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static const eb_coro_backend backends[] = {EB_CORO_FCONTEXT, EB_CORO_UCONTEXT};
#define BACKENDS (sizeof backends / sizeof *backends)

static uint64_t mix(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

/* ---- frames restored exactly ---------------------------------------------- */

/* Each coroutine recurses `depth` levels; every level fills a local block
 * with a pattern of (coroutine, level) and keeps a double and an integer
 * live in registers; at the bottom it suspends `rounds` times. On the way up
 * each level checks its block and folds it into a checksum, which must equal
 * the one computed without any switch. */
typedef struct walker {
    eb_coro co;
    uint64_t id;
    unsigned depth;
    unsigned rounds;
    uint64_t checksum;
    double fsum;
    uint64_t bad_blocks;
} walker;

#define BLOCK_WORDS 24 /* ~200 bytes of locals per level */

static uint64_t pattern(uint64_t id, unsigned level, unsigned i)
{
    return mix(id * 1000003u + level * 131u + i);
}

static uint64_t descend(walker *w, unsigned level, double *f)
{
    volatile uint64_t block[BLOCK_WORDS];
    for (unsigned i = 0; i < BLOCK_WORDS; i++)
        block[i] = pattern(w->id, level, i);
    double mine = (double)level * 0.25 + (double)w->id;
    uint64_t sum = 0;
    if (level == 0) {
        for (unsigned r = 0; r < w->rounds; r++)
            eb_coro_suspend(&w->co);
        *f = 0;
    } else {
        sum = descend(w, level - 1, f);
        *f += mine;
    }
    for (unsigned i = 0; i < BLOCK_WORDS; i++) {
        if (block[i] != pattern(w->id, level, i)) w->bad_blocks++;
        sum = mix(sum ^ block[i]);
    }
    return sum;
}

static void walker_body(void *ctx, uint64_t arg)
{
    (void)arg;
    walker *w = ctx;
    double f = 0;
    w->checksum = descend(w, w->depth, &f);
    w->fsum = f;
}

/* The checksum and float sum a walker must end with, computed directly. */
static void expected(uint64_t id, unsigned depth, uint64_t *sum, double *fsum)
{
    uint64_t s = 0;
    double f = 0;
    for (unsigned level = 0; level <= depth; level++) {
        for (unsigned i = 0; i < BLOCK_WORDS; i++)
            s = mix(s ^ pattern(id, level, i));
        if (level > 0) f += (double)level * 0.25 + (double)id;
    }
    *sum = s;
    *fsum = f;
}

/* n walkers of mixed depths on one run stack, resumed round robin (so every
 * resume copies one out and one in) until all have finished. */
static void run_walkers(eb_coro_backend backend, unsigned n, unsigned max_depth, unsigned rounds)
{
    eb_coro_run_stack *rs;
    EB_REQUIRE(eb_coro_run_stack_create((size_t)512 << 10, &rs) == 0);
    walker *w = calloc(n, sizeof *w);
    EB_REQUIRE(w != NULL);
    for (unsigned i = 0; i < n; i++) {
        w[i].id = i + 1;
        /* mostly shallow, every 7th deep: copies of very different sizes */
        w[i].depth = i % 7 == 0 ? max_depth : 1 + (unsigned)(mix(i) % 12);
        w[i].rounds = rounds;
        EB_REQUIRE(eb_coro_init_copy(&w[i].co, backend, rs, walker_body, &w[i], 0) == 0);
    }
    unsigned alive = n, guard = 0;
    while (alive > 0 && guard++ < (rounds + 2) * 2) {
        for (unsigned i = 0; i < n; i++) {
            if (eb_coro_finished(&w[i].co)) continue;
            EB_REQUIRE(eb_coro_resume(&w[i].co) == 0);
            if (eb_coro_finished(&w[i].co)) alive--;
        }
    }
    EB_CHECKF(alive == 0, "%u of %u coroutines never finished", alive, n);
    unsigned wrong = 0, bad = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t sum;
        double f;
        expected(w[i].id, w[i].depth, &sum, &f);
        wrong += w[i].checksum != sum || w[i].fsum != f;
        bad += w[i].bad_blocks != 0;
    }
    EB_CHECKF(wrong == 0 && bad == 0, "%s: %u of %u checksums wrong, %u saw a damaged block",
              eb_coro_backend_name(backend), wrong, n, bad);
    eb_coro_copy_stats st;
    eb_coro_run_stack_stats(rs, &st);
    /* every resume after the first of each switched owners: a save and a restore */
    EB_CHECKF(st.saves >= (uint64_t)n * rounds && st.restores >= (uint64_t)n * rounds,
              "%llu saves, %llu restores for %u coroutines x %u rounds",
              (unsigned long long)st.saves, (unsigned long long)st.restores, n, rounds);
    EB_CHECKF(st.buffers == 0, "%llu save buffers still held after every coroutine finished",
              (unsigned long long)st.buffers);
    free(w);
    eb_coro_run_stack_destroy(rs);
}

EB_TEST(copied_frames_come_back_exactly_under_both_backends)
{
    for (size_t b = 0; b < BACKENDS; b++)
        run_walkers(backends[b], 50, 40, 200);
}

/* Frames of ~200 KiB (1,000 levels) alternate with shallow ones. */
EB_TEST(deep_and_shallow_coroutines_share_a_run_stack)
{
    for (size_t b = 0; b < BACKENDS; b++)
        run_walkers(backends[b], 15, 1000, 20);
}

/* One coroutine alone never copies: it stays the run stack's owner. */
EB_TEST(a_coroutine_resumed_twice_in_a_row_is_not_copied)
{
    eb_coro_run_stack *rs;
    EB_REQUIRE(eb_coro_run_stack_create(64 << 10, &rs) == 0);
    walker w = {.id = 7, .depth = 5, .rounds = 100};
    EB_REQUIRE(eb_coro_init_copy(&w.co, EB_CORO_FCONTEXT, rs, walker_body, &w, 0) == 0);
    while (!eb_coro_finished(&w.co))
        EB_REQUIRE(eb_coro_resume(&w.co) == 0);
    eb_coro_copy_stats st;
    eb_coro_run_stack_stats(rs, &st);
    EB_CHECKF(st.saves == 0 && st.restores == 0, "%llu saves, %llu restores",
              (unsigned long long)st.saves, (unsigned long long)st.restores);
    uint64_t sum;
    double f;
    expected(7, 5, &sum, &f);
    EB_CHECK(w.checksum == sum && w.bad_blocks == 0);
    eb_coro_run_stack_destroy(rs);
}

/* ---- misuse and failures -------------------------------------------------------- */

typedef struct nester {
    eb_coro outer, inner;
    int rc;
} nester;

static void inner_body(void *ctx, uint64_t arg)
{
    (void)ctx;
    (void)arg;
}

static void outer_body(void *ctx, uint64_t arg)
{
    (void)arg;
    nester *n = ctx;
    n->rc = eb_coro_resume(&n->inner); /* would run on top of our own frames */
}

EB_TEST(a_coroutine_cannot_resume_another_of_its_run_stack)
{
    eb_coro_run_stack *rs;
    EB_REQUIRE(eb_coro_run_stack_create(64 << 10, &rs) == 0);
    nester n = {0};
    EB_REQUIRE(eb_coro_init_copy(&n.outer, EB_CORO_FCONTEXT, rs, outer_body, &n, 0) == 0);
    EB_REQUIRE(eb_coro_init_copy(&n.inner, EB_CORO_FCONTEXT, rs, inner_body, &n, 0) == 0);
    EB_REQUIRE(eb_coro_resume(&n.outer) == 0);
    EB_CHECK(eb_coro_finished(&n.outer));
    EB_CHECKF(n.rc == -EBUSY, "resuming a coroutine of the same run stack from inside: %d", n.rc);
    EB_REQUIRE(eb_coro_resume(&n.inner) == 0); /* from outside: fine */
    EB_CHECK(eb_coro_finished(&n.inner));
    eb_coro_run_stack_destroy(rs);
}

static volatile int keep_going = 1; /* never cleared: the recursion has no end */

static void bottomless(void *ctx, uint64_t depth)
{
    volatile char block[512];
    block[0] = (char)depth;
    if (keep_going) bottomless(ctx, depth + 1);
    block[1] = block[0]; /* not a tail call */
}

/* The run stack's guard page stops an overflow: the process dies of SIGSEGV
 * instead of writing past the stack. */
EB_TEST(the_run_stack_has_a_guard_page)
{
    pid_t child = fork();
    EB_REQUIRE(child >= 0);
    if (child == 0) {
        eb_coro_run_stack *rs;
        if (eb_coro_run_stack_create(64 << 10, &rs) != 0) _exit(3);
        eb_coro co;
        if (eb_coro_init_copy(&co, EB_CORO_FCONTEXT, rs, bottomless, NULL, 0) != 0) _exit(4);
        eb_coro_resume(&co);
        _exit(0); /* it came back: nothing stopped it */
    }
    int status;
    EB_REQUIRE(waitpid(child, &status, 0) == child);
    bool segv = WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
#ifdef EB_SANITIZE_BUILD
    /* the sanitizer takes the fault and reports a stack overflow (ASan exits
     * 1, TSan 66); 0, 3 and 4 are this test's own */
    segv = segv || (WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 3 &&
                    WEXITSTATUS(status) != 4);
#endif
    EB_CHECKF(segv, "an unbounded recursion on the run stack ended with %s %d (want SIGSEGV)",
              WIFSIGNALED(status) ? "signal" : "exit",
              WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

static long vm_size_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0;
    if (f != NULL) {
        if (fscanf(f, "%ld", &pages) != 1) pages = 0;
        fclose(f);
    }
    return pages * sysconf(_SC_PAGESIZE);
}

/* With the address space capped, a save that cannot get a buffer fails with
 * -ENOMEM before anything runs; once memory is back, every coroutine resumes
 * with its frames intact. */
EB_TEST(a_save_without_memory_fails_cleanly_and_nothing_is_lost)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    EB_SKIP("sanitizers reserve terabytes of address space: RLIMIT_AS cannot be lowered");
#endif
    pid_t child = fork();
    EB_REQUIRE(child >= 0);
    if (child == 0) {
        enum { N = 4000 };
        eb_coro_run_stack *rs;
        if (eb_coro_run_stack_create(64 << 10, &rs) != 0) _exit(3);
        walker *w = calloc(N, sizeof *w);
        if (w == NULL) _exit(4);
        for (unsigned i = 0; i < N; i++) {
            w[i] = (walker){.id = i + 1, .depth = 3, .rounds = 2};
            if (eb_coro_init_copy(&w[i].co, EB_CORO_FCONTEXT, rs, walker_body, &w[i], 0) != 0)
                _exit(5);
        }
        struct rlimit old;
        getrlimit(RLIMIT_AS, &old);
        struct rlimit low = {(rlim_t)vm_size_bytes() + (256 << 10), old.rlim_max};
        if (setrlimit(RLIMIT_AS, &low) != 0) _exit(6);
        unsigned refused = 0, at = 0;
        for (unsigned i = 0; i < N; i++) {
            int rc = eb_coro_resume(&w[i].co);
            if (rc == -ENOMEM) {
                refused++;
                at = i;
                break;
            }
            if (rc != 0) _exit(7);
        }
        setrlimit(RLIMIT_AS, &old);
        if (refused == 0) _exit(8); /* the cap never bit: the test proved nothing */
        /* the one refused never ran; everyone runs to the end now */
        if (w[at].co.self != NULL && at > 0) _exit(9);
        for (unsigned round = 0; round < 4; round++)
            for (unsigned i = 0; i < N; i++)
                if (!eb_coro_finished(&w[i].co) && eb_coro_resume(&w[i].co) != 0) _exit(10);
        for (unsigned i = 0; i < N; i++) {
            uint64_t sum;
            double f;
            expected(w[i].id, 3, &sum, &f);
            if (!eb_coro_finished(&w[i].co) || w[i].checksum != sum || w[i].bad_blocks != 0)
                _exit(11);
        }
        _exit(0);
    }
    int status;
    EB_REQUIRE(waitpid(child, &status, 0) == child);
    EB_CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "the child ended with %s %d (0: refused with -ENOMEM, then all intact; 8: never "
              "refused; 9-11: a coroutine was lost or damaged)",
              WIFEXITED(status) ? "exit" : "signal",
              WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

EB_TEST(stack_mode_names_round_trip)
{
    eb_coro_stack_mode m;
    EB_CHECK(eb_coro_stack_mode_parse("copy", &m) == 0 && m == EB_CORO_STACK_COPY);
    EB_CHECK(eb_coro_stack_mode_parse("separate", &m) == 0 && m == EB_CORO_STACK_SEPARATE);
    EB_CHECK(eb_coro_stack_mode_parse("shared", &m) == -EINVAL);
    EB_CHECK(strcmp(eb_coro_stack_mode_name(EB_CORO_STACK_COPY), "copy") == 0);
    EB_CHECK(eb_coro_init_copy(&(eb_coro){0}, EB_CORO_FCONTEXT, NULL, inner_body, NULL, 0) ==
             -EINVAL);
}

/* ---- the scheduler in COPY mode --------------------------------------------------- */

static eb_sched *make_copy(eb_coro_backend backend, uint64_t max_coros)
{
    eb_sched_config config = eb_sched_default_config(backend, max_coros);
    config.stack_mode = EB_CORO_STACK_COPY;
    eb_sched *s;
    EB_REQUIRE(eb_sched_create(&config, &s) == 0);
    return s;
}

typedef struct timer_run {
    uint64_t next, count;
    int64_t base_ns;
    int64_t *deadline, *woke_at;
    uint64_t *order;
    uint64_t woken;
    uint64_t bad_locals;
} timer_run;

static bool next_index(void *ctx, uint64_t *arg)
{
    timer_run *r = ctx;
    if (r->next >= r->count) return false;
    *arg = r->next++;
    return true;
}

/* Waits for its scattered deadline, then twice more for nothing (each a
 * park and a resume, copied out and in) with a block of locals live
 * throughout. */
static void timer_body(void *ctx, uint64_t i)
{
    timer_run *r = ctx;
    volatile uint64_t block[16];
    for (unsigned k = 0; k < 16; k++)
        block[k] = pattern(i, 0, k);
    EB_CHECK(eb_wait_until_ns(r->deadline[i]) == 0);
    r->woke_at[i] = eb_now_ns();
    r->order[r->woken++] = i;
    EB_CHECK(eb_wait_ns(0) == 0 && eb_wait_ns(0) == 0);
    for (unsigned k = 0; k < 16; k++)
        r->bad_locals += block[k] != pattern(i, 0, k);
}

EB_TEST(copy_mode_wakes_timers_in_deadline_order_never_early)
{
#ifdef EB_SANITIZE_BUILD
    enum { N = 400 }; /* a TSan fiber takes ~0.7 ms to create: all must park first */
#else
    enum { N = 2000 };
#endif
    for (size_t b = 0; b < BACKENDS; b++) {
        timer_run r = {.count = N};
        r.deadline = calloc(N, sizeof *r.deadline);
        r.woke_at = calloc(N, sizeof *r.woke_at);
        r.order = calloc(N, sizeof *r.order);
        EB_REQUIRE(r.deadline && r.woke_at && r.order);
        /* after every coroutine has parked, even under a sanitizer on a loaded machine */
#ifdef EB_SANITIZE_BUILD
        int64_t base = eb_now_ns() + 1000000000;
#else
        int64_t base = eb_now_ns() + 100000000;
#endif
        for (uint64_t i = 0; i < N; i++) /* scattered, distinct: 20 us apart, shuffled */
            r.deadline[i] = base + (int64_t)(mix(i) % N) * 20000 + (int64_t)i;
        eb_sched *s = make_copy(backends[b], N);
        EB_REQUIRE(eb_sched_run(s, timer_body, &r, next_index) == 0);
        uint64_t early = 0, disorder = 0;
        for (uint64_t i = 0; i < N; i++)
            early += r.woke_at[i] < r.deadline[i];
        for (uint64_t k = 1; k < r.woken; k++)
            disorder += r.deadline[r.order[k]] < r.deadline[r.order[k - 1]];
        EB_CHECKF(r.woken == N && early == 0 && disorder == 0 && r.bad_locals == 0,
                  "%s: %llu woken, %llu early, %llu out of order, %llu locals damaged",
                  eb_coro_backend_name(backends[b]), (unsigned long long)r.woken,
                  (unsigned long long)early, (unsigned long long)disorder,
                  (unsigned long long)r.bad_locals);
        EB_CHECK(eb_sched_stacks(s)->mode == EB_CORO_STACK_COPY);
        eb_sched_destroy(s);
        free(r.deadline);
        free(r.woke_at);
        free(r.order);
    }
}

/* Even coroutines park with rising deadlines (the scheduler's ring), odd ones
 * with falling deadlines (its heap), many equal to an even one's: the wake
 * order is exactly by deadline, then by parking order, in both stack modes. */
static void exact_body(void *ctx, uint64_t i)
{
    timer_run *r = ctx;
    EB_CHECK(eb_wait_until_ns(r->deadline[i]) == 0);
    r->order[r->woken++] = i;
}

EB_TEST(timers_parked_in_and_out_of_order_wake_exactly_by_deadline_then_parking)
{
#ifdef EB_SANITIZE_BUILD
    enum { N = 400 }; /* a TSan fiber takes ~0.7 ms to create: all must park first (1,000
                         took over the 1 s below at a load of 11-18) */
#else
    enum { N = 1000 };
#endif
    for (int copy = 0; copy < 2; copy++) {
        timer_run r = {.count = N};
        r.deadline = calloc(N, sizeof *r.deadline);
        r.order = calloc(N, sizeof *r.order);
        EB_REQUIRE(r.deadline && r.order);
#ifdef EB_SANITIZE_BUILD
        int64_t base = eb_now_ns() + 1000000000;
#else
        int64_t base = eb_now_ns() + 100000000;
#endif
        for (uint64_t i = 0; i < N; i++)
            r.deadline[i] = base + (int64_t)(i % 2 == 0 ? i / 2 : (N - i) / 2) * 10000;
        eb_sched_config config = eb_sched_default_config(EB_CORO_FCONTEXT, N);
        config.stack_mode = copy ? EB_CORO_STACK_COPY : EB_CORO_STACK_SEPARATE;
        eb_sched *s;
        EB_REQUIRE(eb_sched_create(&config, &s) == 0);
        EB_REQUIRE(eb_sched_run(s, exact_body, &r, next_index) == 0);
        eb_sched_destroy(s);
        uint64_t wrong = 0;
        for (uint64_t k = 1; k < r.woken; k++) {
            uint64_t a = r.order[k - 1], b = r.order[k];
            wrong += r.deadline[a] > r.deadline[b] || (r.deadline[a] == r.deadline[b] && a > b);
        }
        EB_CHECKF(r.woken == N && wrong == 0, "%s: %llu woken, %llu pairs out of order",
                  copy ? "copy" : "separate", (unsigned long long)r.woken,
                  (unsigned long long)wrong);
        free(r.deadline);
        free(r.order);
    }
}

/* Pairs of coroutines: the even one waits for its pipe to become readable,
 * the odd one sleeps a little, writes its index and waits for the reply
 * pipe; each checks what it read, with locals live across the waits. */
typedef struct fd_run {
    uint64_t next, count;
    int (*pipes)[2][2]; /* [pair][0: request, 1: reply][read, write] */
    uint64_t ok, bad;
} fd_run;

static bool next_fd(void *ctx, uint64_t *arg)
{
    fd_run *r = ctx;
    if (r->next >= r->count) return false;
    *arg = r->next++;
    return true;
}

static void fd_body(void *ctx, uint64_t i)
{
    fd_run *r = ctx;
    uint64_t pair = i / 2, mine = mix(i), got = 0;
    int(*p)[2] = r->pipes[pair];
    int64_t deadline = eb_now_ns() + 5000000000LL;
    if (i % 2 == 0) {
        if (eb_wait_fd(p[0][0], EB_WAIT_READABLE, deadline) != 0 ||
            read(p[0][0], &got, sizeof got) != sizeof got || got != pair) {
            r->bad++;
            return;
        }
        uint64_t reply = pair * 3;
        if (write(p[1][1], &reply, sizeof reply) != sizeof reply) r->bad++;
    } else {
        eb_wait_ns(1000000 + (int64_t)(pair % 5) * 100000);
        if (write(p[0][1], &pair, sizeof pair) != sizeof pair ||
            eb_wait_fd(p[1][0], EB_WAIT_READABLE, deadline) != 0 ||
            read(p[1][0], &got, sizeof got) != sizeof got || got != pair * 3) {
            r->bad++;
            return;
        }
    }
    if (mine == mix(i)) r->ok++; /* a local that crossed every wait */
}

EB_TEST(copy_mode_waits_on_file_descriptors_under_both_reactors)
{
    enum { PAIRS = 200 };
    static const eb_reactor_kind kinds[] = {EB_REACTOR_EPOLL, EB_REACTOR_IO_URING};
    for (size_t k = 0; k < 2; k++) {
        for (size_t b = 0; b < BACKENDS; b++) {
            fd_run r = {.count = 2 * PAIRS};
            r.pipes = calloc(PAIRS, sizeof *r.pipes);
            EB_REQUIRE(r.pipes != NULL);
            for (int i = 0; i < PAIRS; i++)
                EB_REQUIRE(pipe(r.pipes[i][0]) == 0 && pipe(r.pipes[i][1]) == 0);
            eb_sched_config config = eb_sched_default_config(backends[b], 2 * PAIRS);
            config.stack_mode = EB_CORO_STACK_COPY;
            config.reactor = kinds[k];
            eb_sched *s;
            EB_REQUIRE(eb_sched_create(&config, &s) == 0);
            int rc = eb_sched_run(s, fd_body, &r, next_fd);
            for (int i = 0; i < PAIRS; i++)
                for (int j = 0; j < 2; j++) {
                    close(r.pipes[i][j][0]);
                    close(r.pipes[i][j][1]);
                }
            free(r.pipes);
            eb_sched_stats st;
            eb_sched_get_stats(s, &st);
            eb_sched_destroy(s);
            if (kinds[k] == EB_REACTOR_IO_URING && (rc == -ENOSYS || rc == -EPERM)) break;
            EB_CHECKF(rc == 0 && r.ok == 2 * PAIRS && r.bad == 0 && st.fd_parks > 0,
                      "%s/%s: rc %d, %llu ok, %llu bad, %llu fd parks",
                      kinds[k] == EB_REACTOR_EPOLL ? "epoll" : "io_uring",
                      eb_coro_backend_name(backends[b]), rc, (unsigned long long)r.ok,
                      (unsigned long long)r.bad, (unsigned long long)st.fd_parks);
        }
    }
}

typedef struct park_run {
    uint64_t next, count;
    int64_t until;
} park_run;

static bool next_park(void *ctx, uint64_t *arg)
{
    park_run *r = ctx;
    if (r->next >= r->count) return false;
    *arg = r->next++;
    return true;
}

static void park_body(void *ctx, uint64_t i)
{
    (void)i;
    park_run *r = ctx;
    eb_wait_until_ns(r->until);
}

/* 100,000 parked coroutines hold their control block and a buffer of their
 * frames: under 1 KiB each with fcontext (a separate stack: a 4 KiB page).
 * Counted from the allocator, not RSS, so other processes cannot move it. */
EB_TEST(copy_mode_holds_100000_parked_coroutines_in_under_1_KiB_each)
{
#ifdef EB_SANITIZE_BUILD
    enum { N = 20000 }; /* sanitizer frames are larger and slower to copy */
#else
    enum { N = 100000 };
#endif
    eb_coro_stacks_cache_clear();
    park_run r = {.count = N, .until = eb_now_ns() + 300000000};
    eb_sched *s = make_copy(EB_CORO_FCONTEXT, N);
    EB_REQUIRE(eb_sched_run(s, park_body, &r, next_park) == 0);
    eb_coro_stacks_usage u;
    eb_coro_stacks_usage_get(eb_sched_stacks(s), &u);
    uint64_t per = (u.control_bytes + u.copy.peak_buffer_bytes) / N;
#ifdef EB_SANITIZE_BUILD
    EB_CHECKF(per < 16384, "%llu bytes per parked coroutine", (unsigned long long)per);
#else
    EB_CHECKF(per < 1024, "%llu bytes per parked coroutine (control %llu, buffers %llu)",
              (unsigned long long)per, (unsigned long long)u.control_bytes,
              (unsigned long long)u.copy.peak_buffer_bytes);
#endif
    EB_CHECK(u.copy.saves >= N - 1 && u.copy.buffers == 0);
    eb_sched_destroy(s);

    /* the next scheduler of the same shape finds it all kept */
    r = (park_run){.count = N, .until = eb_now_ns() + 1000000};
    s = make_copy(EB_CORO_FCONTEXT, N);
    EB_REQUIRE(eb_sched_run(s, park_body, &r, next_park) == 0);
    eb_coro_stacks_usage_get(eb_sched_stacks(s), &u);
    EB_CHECKF(u.reused_slots >= N, "%llu control blocks found kept of %d",
              (unsigned long long)u.reused_slots, N);
    eb_sched_destroy(s);
    eb_coro_stacks_cache_clear();
}
