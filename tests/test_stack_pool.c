/* test_stack_pool.c — the stack pool hands out distinct, aligned, writable
 * stacks from one mapping, reuses them, says when it is exhausted, guards or
 * canary-checks them by its rule, and holds 100,000 stacks. */
#include "eb_test.h"
#include "scheduler.h"
#include "stack_pool.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const eb_stack *)a)->lo, y = (uintptr_t)((const eb_stack *)b)->lo;
    return x < y ? -1 : x > y;
}

static void check_distinct_aligned(eb_stack_guard guard, uint32_t n, size_t stack_bytes)
{
    eb_stack_pool pool;
    EB_REQUIRE(eb_stack_pool_init(&pool, n, stack_bytes, guard) == 0);
    eb_stack *stacks = calloc(n, sizeof *stacks);
    EB_REQUIRE(stacks != NULL);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uint32_t misaligned = 0, too_small = 0;
    for (uint32_t i = 0; i < n; i++) {
        EB_REQUIRE(eb_stack_pool_take(&pool, &stacks[i]) == 0);
        eb_stack *s = &stacks[i];
        misaligned += ((uintptr_t)s->lo % 16) != 0 || (pool.guarded && (uintptr_t)s->lo % page);
        too_small += s->bytes < stack_bytes - 64;
        /* writable from bottom to top */
        ((volatile char *)s->lo)[0] = 1;
        ((volatile char *)s->lo)[s->bytes - 1] = 1;
    }
    EB_CHECKF(misaligned == 0 && too_small == 0, "%u misaligned, %u too small", misaligned,
              too_small);
    qsort(stacks, n, sizeof *stacks, by_address);
    uint32_t overlaps = 0, outside = 0;
    for (uint32_t i = 0; i < n; i++) {
        char *lo = stacks[i].lo, *hi = lo + stacks[i].bytes;
        overlaps += i + 1 < n && hi > (char *)stacks[i + 1].lo;
        outside += lo < pool.map || hi > pool.map + pool.map_bytes;
    }
    EB_CHECKF(overlaps == 0 && outside == 0, "%u overlaps, %u outside the one mapping", overlaps,
              outside);
    for (uint32_t i = 0; i < n; i++)
        EB_CHECK(eb_stack_pool_give(&pool, stacks[i].index) == 0);
    EB_CHECK(pool.in_use == 0);
    free(stacks);
    eb_stack_pool_destroy(&pool);
}

EB_TEST(stacks_are_distinct_aligned_and_writable)
{
    check_distinct_aligned(EB_STACK_GUARD_ON, 500, 16 * 1024);
    check_distinct_aligned(EB_STACK_GUARD_OFF, 500, 4096);
    check_distinct_aligned(EB_STACK_GUARD_OFF, 3000, 10000); /* huge pages, odd size */
}

EB_TEST(holds_100000_stacks_in_one_mapping)
{
    check_distinct_aligned(EB_STACK_GUARD_AUTO, 100000, 4096);
    eb_stack_pool pool;
    EB_REQUIRE(eb_stack_pool_init(&pool, 100000, 4096, EB_STACK_GUARD_AUTO) == 0);
    EB_CHECKF(!pool.guarded, "100,000 guards would exceed vm.max_map_count's headroom");
    eb_stack_pool_destroy(&pool);
}

EB_TEST(reuses_last_given_and_reports_exhaustion)
{
    eb_stack_pool pool;
    EB_REQUIRE(eb_stack_pool_init(&pool, 3, 8192, EB_STACK_GUARD_AUTO) == 0);
    eb_stack a, b, c, d;
    EB_REQUIRE(eb_stack_pool_take(&pool, &a) == 0);
    EB_REQUIRE(eb_stack_pool_take(&pool, &b) == 0);
    EB_REQUIRE(eb_stack_pool_take(&pool, &c) == 0);
    EB_CHECK(eb_stack_pool_take(&pool, &d) == -EAGAIN);
    EB_CHECK(eb_stack_pool_give(&pool, b.index) == 0);
    EB_CHECK(eb_stack_pool_give(&pool, a.index) == 0);
    EB_REQUIRE(eb_stack_pool_take(&pool, &d) == 0);
    EB_CHECK(d.index == a.index && d.lo == a.lo); /* last in, first out: still warm */
    EB_REQUIRE(eb_stack_pool_take(&pool, &d) == 0);
    EB_CHECK(d.index == b.index);
    EB_CHECK(pool.used == 3 && pool.in_use == 3);
    eb_stack_pool_destroy(&pool);
}

EB_TEST(guard_rule_follows_the_map_count)
{
    EB_CHECK(eb_stack_pool_guards_fit(1));
    EB_CHECK(eb_stack_pool_guards_fit(100));
    EB_CHECK(!eb_stack_pool_guards_fit(UINT32_MAX));
    eb_stack_pool pool;
    EB_REQUIRE(eb_stack_pool_init(&pool, 100, 8192, EB_STACK_GUARD_AUTO) == 0);
    EB_CHECK(pool.guarded && !pool.huge_pages);
    eb_stack_pool_destroy(&pool);
    EB_REQUIRE(eb_stack_pool_init(&pool, 1000000, 4096, EB_STACK_GUARD_AUTO) == 0);
    EB_CHECK(!pool.guarded && pool.huge_pages);
    eb_stack_pool_destroy(&pool);
    EB_CHECK(eb_stack_pool_init(&pool, 0, 4096, EB_STACK_GUARD_AUTO) == -EINVAL);
    EB_CHECK(eb_stack_pool_init(&pool, (uint64_t)UINT32_MAX + 1, 4096, EB_STACK_GUARD_OFF) ==
             -EINVAL);
}

EB_TEST(canary_catches_an_overflow)
{
    eb_stack_pool pool;
    EB_REQUIRE(eb_stack_pool_init(&pool, 4, 4096, EB_STACK_GUARD_OFF) == 0);
    eb_stack a, b;
    EB_REQUIRE(eb_stack_pool_take(&pool, &a) == 0);
    EB_REQUIRE(eb_stack_pool_take(&pool, &b) == 0);
    EB_CHECK(eb_stack_pool_give(&pool, a.index) == 0);
    memset((char *)b.lo - 8, 0x55, 8); /* a frame ran past the bottom */
    EB_CHECK(eb_stack_pool_give(&pool, b.index) == -EFAULT);
    eb_stack_pool_destroy(&pool);
}

static char *volatile guard_target;

static void on_segv(int sig, siginfo_t *info, void *uctx)
{
    (void)sig;
    (void)uctx;
    _exit(info->si_addr == guard_target ? 42 : 43);
}

EB_TEST(guard_page_stops_an_overflow)
{
    eb_stack_pool pool;
    EB_REQUIRE(eb_stack_pool_init(&pool, 8, 8192, EB_STACK_GUARD_ON) == 0);
    eb_stack a, b;
    EB_REQUIRE(eb_stack_pool_take(&pool, &a) == 0);
    EB_REQUIRE(eb_stack_pool_take(&pool, &b) == 0);
    pid_t child = fork();
    EB_REQUIRE(child >= 0);
    if (child == 0) {
        static char alt[64 * 1024];
        stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
        sigaltstack(&ss, NULL);
        struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK};
        sigaction(SIGSEGV, &sa, NULL);
        guard_target = (char *)b.lo - 1; /* the byte just below stack b */
        *guard_target = 1;
        _exit(0); /* the write went through: no guard */
    }
    int status;
    EB_REQUIRE(waitpid(child, &status, 0) == child);
    EB_CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 42,
              "writing below a guarded stack: %s %d (42 = SIGSEGV at the guard page)",
              WIFEXITED(status) ? "exit" : "signal",
              WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    eb_stack_pool_destroy(&pool);
}

EB_TEST(runner_config_guards_small_pools_and_packs_large_ones)
{
    eb_sched_config small = eb_sched_default_config(EB_CORO_FCONTEXT, 160);
    EB_CHECK(small.guard == EB_STACK_GUARD_ON && small.stack_bytes >= 64 * 1024);
    eb_sched_config large = eb_sched_default_config(EB_CORO_UCONTEXT, 100000);
    EB_CHECK(large.guard == EB_STACK_GUARD_OFF && large.backend == EB_CORO_UCONTEXT);
    EB_CHECK(large.stack_bytes < small.stack_bytes && large.max_coros == 100000);
}

EB_TEST(a_destroyed_pool_is_kept_for_the_next_that_fits)
{
    eb_stack_pool_cache_clear();
    eb_stack_pool a, b, c;
    EB_REQUIRE(eb_stack_pool_init(&a, 16, 64 * 1024, EB_STACK_GUARD_ON) == 0);
    eb_stack st;
    for (int i = 0; i < 5; i++)
        EB_REQUIRE(eb_stack_pool_take(&a, &st) == 0);
    char *kept = a.map;
    eb_stack_pool_destroy(&a);

    /* same stacks, fewer of them: the cached mapping, guards still in place */
    EB_REQUIRE(eb_stack_pool_init(&b, 10, 64 * 1024, EB_STACK_GUARD_ON) == 0);
    EB_CHECK(b.map == kept && b.carved == 5 && b.used == 0 && b.in_use == 0);
    EB_CHECK(b.slots == 10 && b.capacity == 16);
    for (int i = 0; i < 10; i++)
        EB_CHECK(eb_stack_pool_take(&b, &st) == 0);
    EB_CHECK(eb_stack_pool_take(&b, &st) == -EAGAIN); /* its limit, not the mapping's */
    EB_CHECK(b.carved == 10);
    eb_stack_pool_destroy(&b);

    /* other stacks: a fresh mapping (the cached one is dropped) */
    EB_REQUIRE(eb_stack_pool_init(&c, 10, 32 * 1024, EB_STACK_GUARD_ON) == 0);
    EB_CHECK(c.carved == 0 && c.capacity == 10);
    eb_stack_pool_destroy(&c);
    eb_stack_pool_cache_clear();

    /* over 1 GiB: returned to the kernel, never kept (NORESERVE: only the
     * one stack taken is ever touched) */
    EB_REQUIRE(eb_stack_pool_init(&a, 17000, 64 * 1024, EB_STACK_GUARD_ON) == 0);
    EB_REQUIRE(eb_stack_pool_take(&a, &st) == 0);
    eb_stack_pool_destroy(&a);
    EB_REQUIRE(eb_stack_pool_init(&b, 17000, 64 * 1024, EB_STACK_GUARD_ON) == 0);
    EB_CHECK(b.carved == 0);
    eb_stack_pool_destroy(&b);
    eb_stack_pool_cache_clear();
}
