/* test_stack_pool.c — the stack pool hands out distinct, aligned, writable
 * stacks from one mapping, reuses them, says when it is exhausted, guards or
 * canary-checks them by its rule, and holds 100,000 stacks. */
#include "eb_test.h"
#include "scheduler.h"
#include "stack_pool.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
    check_distinct_aligned(EB_STACK_GUARD_OFF, 3000, 10000); /* odd size */
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
    EB_CHECK(pool.guarded && !pool.populate);
    eb_stack_pool_destroy(&pool);
    EB_REQUIRE(eb_stack_pool_init(&pool, 1000000, 4096, EB_STACK_GUARD_AUTO) == 0);
    EB_CHECK(!pool.guarded && pool.populate);
    eb_stack_pool_destroy(&pool);
    eb_stack_pool_cache_clear();
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

    /* over 1 GiB: kept too (a limit of 1 GiB made every run of 1,000,000
     * coroutines a cold one); NORESERVE: only the one stack taken is touched */
    EB_REQUIRE(eb_stack_pool_init(&a, 17000, 64 * 1024, EB_STACK_GUARD_ON) == 0);
    EB_CHECK(!a.reused);
    EB_REQUIRE(eb_stack_pool_take(&a, &st) == 0);
    char *big = a.map;
    eb_stack_pool_destroy(&a);
    EB_CHECK(eb_stack_pool_kept_bytes() >= (size_t)17000 * 64 * 1024);
    EB_REQUIRE(eb_stack_pool_init(&b, 17000, 64 * 1024, EB_STACK_GUARD_ON) == 0);
    EB_CHECK(b.map == big && b.carved == 1 && b.reused);
    eb_stack_pool_destroy(&b);
    eb_stack_pool_cache_clear();
    EB_CHECK(eb_stack_pool_kept_bytes() == 0);
}

/* A multi-threaded executor's schedulers each keep a pool of the same stacks:
 * each finds one again, none is unmapped under another. */
EB_TEST(several_pools_of_the_same_stacks_are_kept_at_once)
{
    eb_stack_pool_cache_clear();
    enum { N = 4 };
    eb_stack_pool pools[N];
    char *maps[N];
    eb_stack st;
    for (int i = 0; i < N; i++) {
        EB_REQUIRE(eb_stack_pool_init(&pools[i], 100, 4096, EB_STACK_GUARD_OFF) == 0);
        EB_REQUIRE(eb_stack_pool_take(&pools[i], &st) == 0);
        maps[i] = pools[i].map;
    }
    for (int i = 0; i < N; i++)
        eb_stack_pool_destroy(&pools[i]);
    int found = 0;
    for (int i = 0; i < N; i++) {
        EB_REQUIRE(eb_stack_pool_init(&pools[i], 100, 4096, EB_STACK_GUARD_OFF) == 0);
        for (int j = 0; j < N; j++)
            found += pools[i].reused && pools[i].map == maps[j] && pools[i].carved == 1;
    }
    EB_CHECKF(found == N, "%d of %d schedulers found their kept stacks", found, N);
    for (int i = 0; i < N; i++)
        eb_stack_pool_destroy(&pools[i]);
    eb_stack_pool_cache_clear();
}

/* The VmFlags of the mapping that holds `addr` in /proc/self/smaps ("" if none). */
static void vm_flags_of(const void *addr, char *flags, size_t len)
{
    flags[0] = '\0';
    FILE *f = fopen("/proc/self/smaps", "r");
    if (f == NULL) return;
    char line[512];
    bool inside = false;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            inside = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
        } else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            snprintf(flags, len, "%.200s", line + 8);
            break;
        }
    }
    fclose(f);
}

/* Huge pages made a cold start of 100,000 coroutines swing from 0.6 to 2.1 s
 * here (stack_pool.h): no pool asks for them, and every pool refuses them
 * where THP is "always". */
EB_TEST(large_pools_never_ask_for_huge_pages)
{
    eb_stack_pool_cache_clear();
    eb_stack_pool pool;
    EB_REQUIRE(eb_stack_pool_init(&pool, 200000, 4096, EB_STACK_GUARD_AUTO) == 0);
    eb_stack st;
    EB_REQUIRE(eb_stack_pool_take(&pool, &st) == 0);
    char flags[256];
    vm_flags_of(st.lo, flags, sizeof flags);
    EB_REQUIRE(flags[0] != '\0');
    EB_CHECKF(strstr(flags, " hg") == NULL && strstr(flags, " nh") != NULL,
              "the pool's VmFlags:%s (want nh, never hg)", flags);
    eb_stack_pool_destroy(&pool);
    eb_stack_pool_cache_clear();
}

/* The slots of an unguarded one-page pool are populated ahead, 64 at a time,
 * never past the pool's limit. */
EB_TEST(packed_slots_are_populated_in_chunks_within_the_limit)
{
    eb_stack_pool_cache_clear();
    eb_stack_pool pool;
    EB_REQUIRE(eb_stack_pool_init(&pool, 100, 4096, EB_STACK_GUARD_OFF) == 0);
    eb_stack st;
    EB_REQUIRE(eb_stack_pool_take(&pool, &st) == 0);
    EB_CHECKF(pool.populated == 64 || !pool.populate,
              "after one slot: %u populated (want 64, or none on a kernel without "
              "MADV_POPULATE_WRITE)",
              pool.populated);
    for (int i = 1; i < 100; i++)
        EB_REQUIRE(eb_stack_pool_take(&pool, &st) == 0);
    EB_CHECKF(pool.populated == 100 || !pool.populate, "%u populated of a 100-slot pool",
              pool.populated);
    /* resident: mincore says every page of the 100 slots is in memory */
    unsigned char vec[100];
    EB_REQUIRE(mincore(pool.map, 100 * 4096, vec) == 0);
    int resident = 0;
    for (int i = 0; i < 100; i++)
        resident += vec[i] & 1;
    EB_CHECK(resident == 100);
    eb_stack_pool_destroy(&pool);
    eb_stack_pool_cache_clear();
}
