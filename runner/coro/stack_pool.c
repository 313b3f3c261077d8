/* stack_pool.c — see stack_pool.h for the layout and the guard rule. */
#include "stack_pool.h"

#include "coro.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define EB_VALGRIND 1
#endif
#endif

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux 6.13 */
#endif

#define HUGE_PAGE_BYTES ((size_t)2 << 20)
#define STACK_CANARY UINT64_C(0xeb5eac0ffee5eb57)

static size_t page_bytes(void)
{
    long page = sysconf(_SC_PAGESIZE);
    return page > 0 ? (size_t)page : 4096;
}

static long read_long(const char *path, long fallback)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fallback;
    char buf[32];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return fallback;
    buf[n] = '\0';
    char *end;
    long v = strtol(buf, &end, 10);
    return end == buf ? fallback : v;
}

bool eb_stack_pool_guards_fit(uint64_t slots)
{
    /* Read once per process: the read costs ~25 us, inside the timed job. */
    static _Atomic long max_maps;
    long max = atomic_load_explicit(&max_maps, memory_order_relaxed);
    if (max == 0) {
        max = read_long("/proc/sys/vm/max_map_count", 65530);
        atomic_store_explicit(&max_maps, max, memory_order_relaxed);
    }
    return max > 0 && slots <= (uint64_t)max / 8;
}

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

/* Under valgrind, each stack is registered when its slot is first carved,
 * so valgrind knows a switch onto it is a switch of stacks (it would guess
 * from the size of the jump); the registrations go when the mapping does. */
static void valgrind_register(eb_stack_pool *pool, uint32_t index, const char *lo)
{
#ifdef EB_VALGRIND
    if (!RUNNING_ON_VALGRIND) return;
    if (pool->valgrind_ids == NULL) pool->valgrind_ids = calloc(pool->capacity, sizeof(unsigned));
    if (pool->valgrind_ids != NULL)
        pool->valgrind_ids[index] = VALGRIND_STACK_REGISTER(lo, lo + pool->stack_bytes);
#else
    (void)pool;
    (void)index;
    (void)lo;
#endif
}

static void unmap(eb_stack_pool *pool)
{
#ifdef EB_VALGRIND
    if (pool->valgrind_ids != NULL)
        for (uint32_t i = 0; i < pool->carved; i++)
            VALGRIND_STACK_DEREGISTER(pool->valgrind_ids[i]);
#endif
    free(pool->valgrind_ids);
    pool->valgrind_ids = NULL;
    munmap(pool->map, pool->map_bytes);
}

/* One pool is kept between jobs, as glibc keeps the stacks of finished
 * threads and as language runtimes keep their coroutine stacks: a repeated
 * job finds its stacks already resident and guarded, so each repetition
 * measures the executor in its steady state, not the kernel zeroing fresh
 * pages (on this VM, memory the host has taken back costs ~1 us per 4 KiB
 * page: 100,000 stacks took 230 ms cold, 133 ms warm). The first run in a
 * process pays that cost; the runner reports it as cold_run_ns. Up to 1 GiB
 * (250,000 small stacks); larger pools go back to the kernel. */
#define CACHE_MAX_BYTES ((size_t)1 << 30)

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static eb_stack_pool cached; /* map == NULL: empty */

/* Takes the cached pool if it fits this request; drops it otherwise. */
static bool reuse_cached(eb_stack_pool *pool, uint64_t slots, size_t stack_bytes, bool guarded)
{
    pthread_mutex_lock(&cache_lock);
    eb_stack_pool c = cached;
    cached = (eb_stack_pool){0};
    pthread_mutex_unlock(&cache_lock);
    if (c.map == NULL) return false;
    if (c.stack_bytes != stack_bytes || c.guarded != guarded || c.capacity < slots) {
        unmap(&c);
        return false;
    }
    *pool = c;
    pool->slots = (uint32_t)slots;
    pool->used = pool->in_use = pool->free_head = 0;
    return true;
}

void eb_stack_pool_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    eb_stack_pool c = cached;
    cached = (eb_stack_pool){0};
    pthread_mutex_unlock(&cache_lock);
    if (c.map != NULL) unmap(&c);
}

int eb_stack_pool_init(eb_stack_pool *pool, uint64_t slots, size_t stack_bytes,
                       eb_stack_guard guard)
{
    *pool = (eb_stack_pool){0};
    size_t page = page_bytes();
    if (slots == 0 || slots > UINT32_MAX || stack_bytes > ((size_t)1 << 40)) return -EINVAL;
    bool guarded = guard == EB_STACK_GUARD_ON ||
                   (guard == EB_STACK_GUARD_AUTO && eb_stack_pool_guards_fit(slots));
    stack_bytes = round_up(stack_bytes > 0 ? stack_bytes : page, page);
    size_t slot_bytes = stack_bytes + (guarded ? page : 0);
    if (slots > SIZE_MAX / 2 / slot_bytes) return -ENOMEM;
    size_t bytes = (size_t)slots * slot_bytes;
    /* Huge pages only pay for themselves over several of them: a small pool
     * would make one 2 MiB page resident for a few stacks. */
    bool huge = !guarded && bytes >= 4 * HUGE_PAGE_BYTES;
    size_t map_bytes = bytes + (huge ? HUGE_PAGE_BYTES : 0);
    if (reuse_cached(pool, slots, stack_bytes, guarded)) return 0;

    char *map = mmap(NULL, map_bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (map == MAP_FAILED) return -errno;
    char *base = map;
    if (huge) {
        base = (char *)round_up((size_t)(uintptr_t)map, HUGE_PAGE_BYTES);
        huge = madvise(base, bytes, MADV_HUGEPAGE) == 0;
    } else {
        /* On a THP=always system one touched stack would cost 2 MiB. */
        (void)madvise(base, bytes, MADV_NOHUGEPAGE);
    }
    *pool = (eb_stack_pool){
        .map = map,
        .map_bytes = map_bytes,
        .base = base,
        .slot_bytes = slot_bytes,
        .stack_bytes = stack_bytes,
        .slots = (uint32_t)slots,
        .capacity = (uint32_t)slots,
        .guarded = guarded,
        .huge_pages = huge,
    };
    return 0;
}

void eb_stack_pool_destroy(eb_stack_pool *pool)
{
    if (pool->map == NULL) return;
    eb_coro_stack_unpoison(pool->map, pool->map_bytes);
    if (pool->map_bytes <= CACHE_MAX_BYTES) {
        pthread_mutex_lock(&cache_lock);
        bool kept = cached.map == NULL;
        if (kept) cached = *pool;
        pthread_mutex_unlock(&cache_lock);
        if (kept) {
            *pool = (eb_stack_pool){0};
            return;
        }
    }
    unmap(pool);
    *pool = (eb_stack_pool){0};
}

static char *slot_at(const eb_stack_pool *pool, uint32_t index)
{
    return pool->base + (size_t)index * pool->slot_bytes;
}

/* The free list is threaded through the free slots themselves: the top word
 * of a free stack holds the next free index (+1). */
static uint32_t *free_link(const eb_stack_pool *pool, uint32_t index)
{
    return (uint32_t *)(slot_at(pool, index) + pool->slot_bytes - sizeof(uint64_t));
}

static int install_guard(eb_stack_pool *pool, char *guard_page)
{
    size_t page = pool->slot_bytes - pool->stack_bytes;
    if (!pool->mprotect_guards) {
        if (madvise(guard_page, page, MADV_GUARD_INSTALL) == 0) return 0;
        if (errno != EINVAL) return -errno;
        pool->mprotect_guards = true; /* an older kernel */
    }
    return mprotect(guard_page, page, PROT_NONE) == 0 ? 0 : -errno;
}

int eb_stack_pool_take(eb_stack_pool *pool, eb_stack *out)
{
    uint32_t index;
    /* Every slot is used once before any is reused: a job touches all the
     * stacks it may need in its first run, so a kept pool is wholly resident
     * for the next job. (Reusing freed slots first made a slow, cold first
     * run touch fewer stacks than a fast one needs, and each later run fault
     * in more: 100,000 coroutines took seven runs to settle.) */
    if (pool->used < pool->slots) {
        index = pool->used;
        if (index >= pool->carved) { /* first use ever: its guard or canary */
            char *slot = slot_at(pool, index);
            if (pool->guarded) {
                int rc = install_guard(pool, slot);
                if (rc != 0) return rc;
            } else {
                ((uint64_t *)slot)[0] = ((uint64_t *)slot)[1] = STACK_CANARY;
            }
            valgrind_register(pool, index, slot + (pool->slot_bytes - pool->stack_bytes));
            pool->carved = index + 1;
        }
        pool->used++;
    } else if (pool->free_head != 0) {
        index = pool->free_head - 1;
        pool->free_head = *free_link(pool, index);
    } else {
        return -EAGAIN;
    }
    pool->in_use++;
    char *lo = slot_at(pool, index) + (pool->slot_bytes - pool->stack_bytes);
    *out = (eb_stack){.lo = lo, .bytes = pool->stack_bytes, .index = index};
    if (!pool->guarded) {
        out->lo = lo + 16; /* above the two canary words, still 16-byte aligned */
        out->bytes -= 16;
    }
    return 0;
}

int eb_stack_pool_give(eb_stack_pool *pool, uint32_t index)
{
    char *slot = slot_at(pool, index);
    /* Frames the coroutine never returned from are still poisoned for ASan. */
    eb_coro_stack_unpoison(slot + (pool->slot_bytes - pool->stack_bytes), pool->stack_bytes);
    if (!pool->guarded && (((const uint64_t *)slot)[0] != STACK_CANARY ||
                           ((const uint64_t *)slot)[1] != STACK_CANARY))
        return -EFAULT;
    *free_link(pool, index) = pool->free_head;
    pool->free_head = index + 1;
    pool->in_use--;
    return 0;
}
