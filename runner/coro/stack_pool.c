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
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

/* Slots populated per MADV_POPULATE_WRITE (one-page slots): 256 KiB a call.
 * Measured here on 100,000 cold coroutines: 64 saved ~30% of the start-up's
 * CPU time against faulting each page; 512 saved no more. */
#define POPULATE_SLOTS 64
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

/* Destroyed pools are kept, as glibc keeps the stacks of finished threads
 * and as language runtimes keep their coroutine stacks: a repeated job finds
 * its stacks already resident and guarded, so each repetition measures the
 * executor in its steady state, not the kernel zeroing fresh pages (on this
 * VM ~1.1-2.7 us per 4 KiB page, more when the host must back it anew). The
 * first run in a process pays that cost; the runner reports it as
 * cold_run_ns, and pool->reused says which runs found their stacks kept.
 * Whatever their size: each point runs in a process of its own, whose peak
 * the kept pool does not raise (it was resident during the run); a limit of
 * 1 GiB made every run of 1,000,000 coroutines (4 GiB) a cold one (4.2x the
 * ideal against 1.3x). */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static eb_stack_pool kept[EB_STACK_POOL_KEPT]; /* map == NULL: empty; oldest first */
static unsigned kept_count;

/* Takes the smallest kept pool that fits this request (same stacks, enough
 * of them); the others stay. */
static bool reuse_kept(eb_stack_pool *pool, uint64_t slots, size_t stack_bytes, bool guarded)
{
    pthread_mutex_lock(&cache_lock);
    unsigned best = kept_count;
    for (unsigned i = 0; i < kept_count; i++)
        if (kept[i].stack_bytes == stack_bytes && kept[i].guarded == guarded &&
            kept[i].capacity >= slots &&
            (best == kept_count || kept[i].capacity < kept[best].capacity))
            best = i;
    bool found = best < kept_count;
    if (found) {
        *pool = kept[best];
        for (unsigned i = best; i + 1 < kept_count; i++)
            kept[i] = kept[i + 1];
        kept[--kept_count] = (eb_stack_pool){0};
    }
    /* A miss: kept pools of these stacks are too small, and this one will
     * supersede them when it is kept in turn. */
    eb_stack_pool smaller[EB_STACK_POOL_KEPT];
    unsigned dropped = 0;
    for (unsigned i = 0; !found && i < kept_count;) {
        if (kept[i].stack_bytes == stack_bytes && kept[i].guarded == guarded) {
            smaller[dropped++] = kept[i];
            for (unsigned j = i; j + 1 < kept_count; j++)
                kept[j] = kept[j + 1];
            kept[--kept_count] = (eb_stack_pool){0};
        } else {
            i++;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    for (unsigned i = 0; i < dropped; i++)
        unmap(&smaller[i]);
    if (!found) return false;
    pool->slots = (uint32_t)slots;
    pool->used = pool->in_use = pool->free_head = 0;
    pool->reused = true;
    pool->kept_carved = pool->carved;
    return true;
}

void eb_stack_pool_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    eb_stack_pool all[EB_STACK_POOL_KEPT];
    unsigned n = kept_count;
    for (unsigned i = 0; i < n; i++) {
        all[i] = kept[i];
        kept[i] = (eb_stack_pool){0};
    }
    kept_count = 0;
    pthread_mutex_unlock(&cache_lock);
    for (unsigned i = 0; i < n; i++)
        unmap(&all[i]);
}

size_t eb_stack_pool_kept_bytes(void)
{
    pthread_mutex_lock(&cache_lock);
    size_t bytes = 0;
    for (unsigned i = 0; i < kept_count; i++)
        bytes += kept[i].map_bytes;
    pthread_mutex_unlock(&cache_lock);
    return bytes;
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
    if (reuse_kept(pool, slots, stack_bytes, guarded)) return 0;

    char *map = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (map == MAP_FAILED) return -errno;
    /* On a THP=always system one touched stack would cost 2 MiB; and huge
     * pages cost far more cold than they save warm (stack_pool.h). */
    (void)madvise(map, bytes, MADV_NOHUGEPAGE);
    *pool = (eb_stack_pool){
        .map = map,
        .map_bytes = bytes,
        .base = map,
        .slot_bytes = slot_bytes,
        .stack_bytes = stack_bytes,
        .slots = (uint32_t)slots,
        .capacity = (uint32_t)slots,
        .guarded = guarded,
        /* Only where every byte of a slot is touched anyway (its control
         * block at the top, its canary at the bottom): populating a larger
         * slot would make pages resident that its coroutine never uses. */
        .populate = !guarded && slot_bytes == page,
    };
    return 0;
}

void eb_stack_pool_destroy(eb_stack_pool *pool)
{
    if (pool->map == NULL) return;
    eb_coro_stack_unpoison(pool->map, pool->map_bytes);
    eb_stack_pool oldest = {0};
    pthread_mutex_lock(&cache_lock);
    if (kept_count == EB_STACK_POOL_KEPT) {
        oldest = kept[0];
        for (unsigned i = 0; i + 1 < kept_count; i++)
            kept[i] = kept[i + 1];
        kept_count--;
    }
    kept[kept_count++] = *pool;
    pthread_mutex_unlock(&cache_lock);
    if (oldest.map != NULL) unmap(&oldest);
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

/* Populates up to POPULATE_SLOTS slots from `index` (within the pool's
 * limit): their pages become resident in one system call rather than a fault
 * each. A kernel without MADV_POPULATE_WRITE (-EINVAL) or short of memory
 * leaves them to be faulted in one by one as before, and it is not asked again. */
static void populate_from(eb_stack_pool *pool, uint32_t index)
{
    uint32_t n = pool->slots - index < POPULATE_SLOTS ? pool->slots - index : POPULATE_SLOTS;
    if (madvise(slot_at(pool, index), (size_t)n * pool->slot_bytes, MADV_POPULATE_WRITE) != 0) {
        pool->populate = false;
        return;
    }
    pool->populated = index + n;
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
            if (pool->populate && index >= pool->populated) populate_from(pool, index);
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
