/* test_scheduler.c — the coroutine scheduler: timers wake in deadline order
 * and never early (a long sleep's early wake included), at most max_coros are
 * alive, waits overlap, the thread sleeps instead of spinning, 100,000 coroutines run, signals stay
 * off coroutine stacks, misuse is reported instead of hanging. */
#include "eb_test.h"
#include "scheduler.h"
#include "wait.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/resource.h>

static const eb_coro_backend backends[] = {EB_CORO_FCONTEXT, EB_CORO_UCONTEXT};
#define BACKENDS (sizeof backends / sizeof *backends)

#ifdef EB_SANITIZE_BUILD
#define SMALL_STACK (32 * 1024) /* sanitizer frames are larger */
#else
#define SMALL_STACK 4096
#endif

static eb_sched *make(eb_coro_backend backend, uint64_t max_coros, size_t stack_bytes)
{
    eb_sched_config config = {.backend = backend,
                              .max_coros = max_coros,
                              .stack_bytes = stack_bytes,
                              .guard = EB_STACK_GUARD_AUTO};
    eb_sched *s;
    EB_REQUIRE(eb_sched_create(&config, &s) == 0);
    return s;
}

/* Hands out 0 .. count-1. */
typedef struct counter {
    uint64_t next, count;
} counter;

static bool next_index(void *ctx, uint64_t *arg)
{
    counter *c = ctx; /* every test's context starts with a counter */
    if (c->next >= c->count) return false;
    *arg = c->next++;
    return true;
}

/* ---- deadline order ------------------------------------------------------- */

#define ORDER_N 64
typedef struct order_run {
    counter c;
    int64_t base_ns;
    int64_t deadline[ORDER_N];
    int64_t woke_at[ORDER_N];
    uint64_t wake_order[ORDER_N];
    uint64_t woken;
} order_run;

static void order_body(void *ctx, uint64_t i)
{
    order_run *r = ctx;
    EB_CHECK(eb_wait_until_ns(r->deadline[i]) == 0);
    r->woke_at[i] = eb_now_ns();
    r->wake_order[r->woken++] = i;
}

EB_TEST(timers_wake_in_deadline_order_never_early)
{
    for (size_t b = 0; b < BACKENDS; b++) {
        order_run r = {.c = {0, ORDER_N}};
        r.base_ns = eb_now_ns() + 5000000;
        /* deadlines 0.3 ms apart in a scrambled order (i * 37 mod 64 is a permutation) */
        for (uint64_t i = 0; i < ORDER_N; i++)
            r.deadline[i] = r.base_ns + (int64_t)((i * 37) % ORDER_N) * 300000;
        eb_sched *s = make(backends[b], ORDER_N, SMALL_STACK);
        EB_REQUIRE(eb_sched_run(s, order_body, &r, next_index) == 0);
        EB_REQUIRE(r.woken == ORDER_N);
        int early = 0, out_of_order = 0;
        for (uint64_t k = 0; k < ORDER_N; k++) {
            uint64_t i = r.wake_order[k];
            early += r.woke_at[i] < r.deadline[i];
            if (k > 0) out_of_order += r.deadline[i] < r.deadline[r.wake_order[k - 1]];
        }
        EB_CHECKF(early == 0, "%s: %d woke before their deadline",
                  eb_coro_backend_name(backends[b]), early);
        EB_CHECKF(out_of_order == 0, "%s: %d woke out of deadline order",
                  eb_coro_backend_name(backends[b]), out_of_order);
        eb_sched_stats st;
        eb_sched_get_stats(s, &st);
        EB_CHECK(st.started == ORDER_N && st.parks == ORDER_N && st.max_alive == ORDER_N);
        EB_CHECK(st.sleeps >= 1);
        eb_sched_destroy(s);
    }
}

/* A long sleep ends early, warms the coroutines due and sleeps (then spins)
 * the rest: still no one wakes before its deadline, neither the ones 1 us
 * apart nor a second wave after another long sleep; a wait under twice
 * WAKE_AHEAD_NS is not split. */
static void wave_run(order_run *r, int64_t first_in_ns, int64_t second_wave_ns,
                     uint64_t *early_wakes)
{
    *r = (order_run){.c = {0, ORDER_N}};
    r->base_ns = eb_now_ns() + first_in_ns;
    for (uint64_t i = 0; i < ORDER_N; i++)
        r->deadline[i] = r->base_ns + (int64_t)(i % (ORDER_N / 2)) * 1000 +
                         (i >= ORDER_N / 2 ? second_wave_ns : 0);
    eb_sched *s = make(EB_CORO_FCONTEXT, ORDER_N, SMALL_STACK);
    EB_REQUIRE(eb_sched_run(s, order_body, r, next_index) == 0);
    EB_REQUIRE(r->woken == ORDER_N);
    int early = 0;
    for (uint64_t i = 0; i < ORDER_N; i++)
        early += r->woke_at[i] < r->deadline[i];
    EB_CHECKF(early == 0, "%d of %d woke before their deadline", early, ORDER_N);
    eb_sched_stats st;
    eb_sched_get_stats(s, &st);
    *early_wakes = st.early_wakes;
    eb_sched_destroy(s);
}

EB_TEST(a_long_sleep_ends_early_to_warm_and_no_one_wakes_before_its_deadline)
{
    order_run r;
    uint64_t early_wakes;
    /* two waves, each after a long sleep; 0.1 s to start 64 coroutines first
     * (under ThreadSanitizer each is a fiber of ~0.7 ms) */
    wave_run(&r, 100000000, 3000000, &early_wakes);
    EB_CHECKF(early_wakes == 2, "%llu early wakes for two waves of long sleeps",
              (unsigned long long)early_wakes);
    wave_run(&r, 400000, 0, &early_wakes); /* one wave, 0.4 ms away: not split */
    EB_CHECKF(early_wakes == 0, "%llu early wakes for a sleep of 0.4 ms",
              (unsigned long long)early_wakes);
}

EB_TEST(equal_deadlines_wake_in_parking_order)
{
    order_run r = {.c = {0, ORDER_N}};
    int64_t when = eb_now_ns() + 3000000;
    for (uint64_t i = 0; i < ORDER_N; i++)
        r.deadline[i] = when;
    eb_sched *s = make(EB_CORO_FCONTEXT, ORDER_N, SMALL_STACK);
    EB_REQUIRE(eb_sched_run(s, order_body, &r, next_index) == 0);
    int wrong = 0;
    for (uint64_t k = 0; k < ORDER_N; k++)
        wrong += r.wake_order[k] != k;
    EB_CHECKF(wrong == 0, "%d woke out of the order they parked in", wrong);
    eb_sched_destroy(s);
}

/* Thousands of timers with many ties: the heap must still give (deadline,
 * parking order) order. */
#define MANY 5000
typedef struct many_run {
    counter c;
    int64_t deadline[MANY];
    uint64_t parked_as[MANY]; /* parking order */
    uint64_t wake_order[MANY];
    uint64_t parked, woken, early;
    int64_t last_parked_ns;
} many_run;

static void many_body(void *ctx, uint64_t i)
{
    many_run *r = ctx;
    r->parked_as[i] = r->parked++;
    r->last_parked_ns = eb_now_ns();
    EB_CHECK(eb_wait_until_ns(r->deadline[i]) == 0);
    r->early += eb_now_ns() < r->deadline[i];
    r->wake_order[r->woken++] = i;
}

EB_TEST(thousands_of_timers_with_ties_wake_in_order)
{
    many_run *r = calloc(1, sizeof *r);
    EB_REQUIRE(r != NULL);
    r->c = (counter){0, MANY};
    int64_t base = eb_now_ns() + 150000000; /* all park before the first is due */
    uint64_t x = 88172645463325252ull;      /* xorshift: a fixed scramble */
    for (uint64_t i = 0; i < MANY; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        r->deadline[i] = base + (int64_t)(x % 50) * 100000; /* 50 distinct: many ties */
    }
    eb_sched *s = make(EB_CORO_FCONTEXT, MANY, SMALL_STACK);
    EB_REQUIRE(eb_sched_run(s, many_body, r, next_index) == 0);
    EB_REQUIRE(r->woken == MANY);
    /* a coroutine not yet parked cannot be woken in order: that would be the
     * test's fault (a very slow machine), not the heap's */
    EB_REQUIRE(r->last_parked_ns < base);
    uint64_t wrong = 0;
    for (uint64_t k = 1; k < MANY; k++) {
        uint64_t a = r->wake_order[k - 1], b = r->wake_order[k];
        wrong += r->deadline[a] > r->deadline[b] ||
                 (r->deadline[a] == r->deadline[b] && r->parked_as[a] > r->parked_as[b]);
    }
    EB_CHECKF(wrong == 0, "%llu of %d wake-ups out of (deadline, parking) order",
              (unsigned long long)wrong, MANY);
    EB_CHECK(r->early == 0);
    eb_sched_destroy(s);
    free(r);
}

/* ---- at most W alive -------------------------------------------------------- */

typedef struct flight {
    counter c;
    uint64_t alive, most, finished;
} flight;

static void flight_body(void *ctx, uint64_t i)
{
    flight *f = ctx;
    if (++f->alive > f->most) f->most = f->alive;
    eb_wait_ns(1000000 + (int64_t)(i % 3) * 500000);
    eb_wait_ns(500000);
    f->alive--;
    f->finished++;
}

EB_TEST(at_most_max_coros_in_flight)
{
    for (size_t b = 0; b < BACKENDS; b++) {
        for (uint64_t w = 1; w <= 7; w += 6) {
            flight f = {.c = {0, 60}};
            eb_sched *s = make(backends[b], w, SMALL_STACK);
            EB_REQUIRE(eb_sched_run(s, flight_body, &f, next_index) == 0);
            EB_CHECKF(f.most == w, "%s W=%llu: %llu in flight at most",
                      eb_coro_backend_name(backends[b]), (unsigned long long)w,
                      (unsigned long long)f.most);
            EB_CHECK(f.finished == 60 && f.alive == 0);
            eb_sched_stats st;
            eb_sched_get_stats(s, &st);
            EB_CHECK(st.max_alive == w && st.started == 60);
            EB_CHECK(eb_sched_pool(s)->used == w); /* stacks were reused */
            eb_sched_destroy(s);
        }
    }
}

/* ---- overlap, sleeping, scale ------------------------------------------------ */

typedef struct sleepers {
    counter c;
    int64_t wait_ns;
    uint64_t done;
} sleepers;

static void sleeper_body(void *ctx, uint64_t i)
{
    (void)i;
    sleepers *z = ctx;
    if (eb_wait_ns(z->wait_ns) == 0) z->done++;
}

static int64_t cpu_ns(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000000LL +
           (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1000LL;
}

EB_TEST(waits_overlap_and_the_thread_sleeps)
{
    /* 200 x 20 ms: about 20 ms, not 4 s; and the thread sleeps through it
     * rather than spinning (CPU time well under the wall time). */
    sleepers z = {.c = {0, 200}, .wait_ns = 20000000};
    eb_sched *s = make(EB_CORO_FCONTEXT, 200, SMALL_STACK);
    int64_t t0 = eb_now_ns(), c0 = cpu_ns();
    EB_REQUIRE(eb_sched_run(s, sleeper_body, &z, next_index) == 0);
    int64_t wall = eb_now_ns() - t0, cpu = cpu_ns() - c0;
    EB_CHECK(z.done == 200);
    EB_CHECKF(wall < 200 * z.wait_ns / 10, "wall %lld ns for 200 overlapped 20 ms waits",
              (long long)wall);
    EB_CHECKF(wall >= z.wait_ns, "wall %lld ns is less than one wait", (long long)wall);
    EB_CHECKF(cpu < wall / 2, "CPU %lld ns over a wall of %lld ns: spinning?", (long long)cpu,
              (long long)wall);
    eb_sched_destroy(s);
}

/* Every coroutine stays alive until all have started, then checks that its
 * own locals survived: 100,000 stacks coexisting without touching each other. */
typedef struct crowd {
    counter c;
    uint64_t started, intact;
} crowd;

static void crowd_body(void *ctx, uint64_t i)
{
    crowd *k = ctx;
    volatile uint64_t mine[4] = {i, ~i, i * 31, i ^ 0x5a5a5a5a};
    k->started++;
    while (k->started < k->c.count)
        eb_wait_ns(100000000); /* until all have started */
    k->intact += mine[0] == i && mine[1] == ~i && mine[2] == i * 31 && mine[3] == (i ^ 0x5a5a5a5a);
}

EB_TEST(runs_100000_coroutines_at_once)
{
    const uint64_t n = 100000;
#ifdef EB_SANITIZE_BUILD
    const size_t stack_bytes = 8192;
#else
    const size_t stack_bytes = 4096;
#endif
    crowd k = {.c = {0, n}};
    eb_sched *s = make(EB_CORO_FCONTEXT, n, stack_bytes);
    EB_REQUIRE(eb_sched_run(s, crowd_body, &k, next_index) == 0);
    EB_CHECKF(k.intact == n, "%llu of %llu kept their locals", (unsigned long long)k.intact,
              (unsigned long long)n);
    eb_sched_stats st;
    eb_sched_get_stats(s, &st);
    EB_CHECK(st.started == n && st.max_alive == n);
    EB_CHECK(!eb_sched_pool(s)->guarded && eb_sched_pool(s)->used == n);
    eb_sched_destroy(s);
}

/* ---- outside coroutines, misuse --------------------------------------------- */

typedef struct blocking {
    counter c;
    int64_t waited_ns;
} blocking;

static bool next_after_a_wait(void *ctx, uint64_t *arg)
{
    blocking *k = ctx;
    if (k->c.next == 1) { /* not in a coroutine: the wait blocks the thread */
        int64_t t0 = eb_now_ns();
        EB_CHECK(eb_wait_ns(2000000) == 0);
        k->waited_ns = eb_now_ns() - t0;
    }
    return next_index(ctx, arg);
}

static void nothing(void *ctx, uint64_t i)
{
    (void)ctx;
    (void)i;
}

EB_TEST(waits_outside_coroutines_block_and_ops_are_restored)
{
    blocking k = {.c = {0, 3}};
    eb_sched *s = make(EB_CORO_FCONTEXT, 2, SMALL_STACK);
    EB_CHECK(eb_sched_current(s) == NULL);
    EB_REQUIRE(eb_sched_run(s, nothing, &k, next_after_a_wait) == 0);
    EB_CHECKF(k.waited_ns >= 2000000, "waited %lld ns", (long long)k.waited_ns);
    eb_sched_stats st;
    eb_sched_get_stats(s, &st);
    EB_CHECK(st.started == 3 && st.parks == 0 && st.max_alive == 1);
    /* run put the blocking default back */
    EB_CHECK(eb_wait_set_ops(NULL) == NULL);
    eb_sched_destroy(s);
}

typedef struct rogue {
    counter c;
    eb_sched *s;
} rogue;

static void suspends_behind_its_back(void *ctx, uint64_t i)
{
    (void)i;
    rogue *r = ctx;
    eb_coro_suspend(eb_sched_current(r->s)); /* parked nowhere: never resumed */
}

EB_TEST(a_coroutine_parked_nowhere_is_reported_not_a_hang)
{
    rogue r = {.c = {0, 1}};
    r.s = make(EB_CORO_FCONTEXT, 1, SMALL_STACK);
    EB_CHECK(eb_sched_run(r.s, suspends_behind_its_back, &r, next_index) == -EDEADLK);
    eb_sched_destroy(r.s);
}

EB_TEST(bad_configurations_are_refused)
{
    eb_sched *s;
    eb_sched_config zero = {.backend = EB_CORO_FCONTEXT, .max_coros = 0, .stack_bytes = 4096};
    EB_CHECK(eb_sched_create(&zero, &s) == -EINVAL && s == NULL);
    eb_sched_config backend = {.backend = (eb_coro_backend)9, .max_coros = 1, .stack_bytes = 4096};
    EB_CHECK(eb_sched_create(&backend, &s) == -EINVAL);
}

/* ---- signals ------------------------------------------------------------------ */

static const eb_stack_pool *signal_pool;
static eb_sched *signal_sched;
static volatile sig_atomic_t handled, on_coroutine_stack, in_a_coroutine;

static void on_usr1(int sig)
{
    (void)sig;
    char here;
    const char *lo = signal_pool->map, *hi = lo + signal_pool->map_bytes;
    if (&here >= lo && &here < hi) on_coroutine_stack++;
    if (eb_sched_current(signal_sched) != NULL) in_a_coroutine++;
    handled++;
}

typedef struct pest {
    pthread_t target;
    atomic_int stop; /* volatile alone is a data race (ThreadSanitizer says so) */
} pest;

static void *pester(void *raw)
{
    pest *p = raw;
    while (!atomic_load_explicit(&p->stop, memory_order_relaxed)) {
        pthread_kill(p->target, SIGUSR1);
        struct timespec t = {0, 100000};
        nanosleep(&t, NULL);
    }
    return NULL;
}

static void busy_then_wait(void *ctx, uint64_t i)
{
    (void)ctx;
    for (int round = 0; round < 4; round++) {
        int64_t until = eb_now_ns() + 300000 + (int64_t)(i % 5) * 100000;
        while (eb_now_ns() < until) {
        }
        eb_wait_ns(200000);
    }
}

/* Runs busy coroutines while another thread sends SIGUSR1 every 100 us. */
static void pestered_run(void)
{
    handled = on_coroutine_stack = in_a_coroutine = 0;
    counter c = {0, 40};
    eb_sched *s = make(EB_CORO_FCONTEXT, 8, SMALL_STACK);
    signal_pool = eb_sched_pool(s);
    signal_sched = s;
    pest p = {.target = pthread_self()};
    pthread_t thread;
    EB_REQUIRE(pthread_create(&thread, NULL, pester, &p) == 0);
    EB_REQUIRE(eb_sched_run(s, busy_then_wait, &c, next_index) == 0);
    atomic_store_explicit(&p.stop, 1, memory_order_relaxed);
    pthread_join(thread, NULL);
    eb_sched_destroy(s);
}

EB_TEST(signals_without_an_alternate_stack_wait_off_coroutine_stacks)
{
    struct sigaction sa = {.sa_handler = on_usr1}; /* no SA_ONSTACK */
    sigaction(SIGUSR1, &sa, NULL);
    pestered_run();
    EB_CHECKF(handled > 0, "no SIGUSR1 was handled during the run");
    EB_CHECKF(on_coroutine_stack == 0 && in_a_coroutine == 0,
              "%d of %d handlers ran on a coroutine stack, %d while a coroutine ran",
              (int)on_coroutine_stack, (int)handled, (int)in_a_coroutine);
}

EB_TEST(signals_with_an_alternate_stack_are_not_delayed)
{
    static char alt[64 * 1024];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
    EB_REQUIRE(sigaltstack(&ss, NULL) == 0);
    struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_ONSTACK};
    sigaction(SIGUSR1, &sa, NULL);
    pestered_run();
    EB_CHECKF(on_coroutine_stack == 0, "%d of %d handlers ran on a coroutine stack",
              (int)on_coroutine_stack, (int)handled);
    /* the coroutines spin most of the time: some signals must land there */
    EB_CHECKF(in_a_coroutine > 0, "none of %d handlers ran while a coroutine ran: delayed",
              (int)handled);
}
