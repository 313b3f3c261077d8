/* coro_run_stack.c — the COPY mode's run stacks and save buffers (coro.h,
 * coro_run_stack.h). */
#include "coro_run_stack.h"
#include "coro_sanitize.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define EB_CORO_VALGRIND 1
#endif
#endif

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

/* ---- COPY mode: run stacks and save buffers ------------------------------ */

/* Save buffers come in size classes: 64-byte steps up to 4 KiB (an io.sleep
 * task saves 352 bytes with fcontext, 1,296 with ucontext: a class wastes
 * under 64), then powers of two. A
 * class's free buffers are a list threaded through their first word; new
 * ones are carved from chunks that double from 64 KiB to 4 MiB, each
 * populated in one system call (MADV_POPULATE_WRITE) since the buffers fill
 * it in order. No per-buffer header: a coroutine knows its buffer's class by
 * its capacity. */
#define CHUNK_MIN ((size_t)64 << 10)
#define CHUNK_MAX ((size_t)4 << 20)
#define RUN_STACK_MAX ((size_t)1 << 30) /* saved_cap is 32 bits, shadow included */

#define SMALL_MAX ((size_t)64 * SMALL_CLASSES)

static size_t class_size(unsigned c)
{
    return c < SMALL_CLASSES ? (size_t)64 * (c + 1) : SMALL_MAX << (c - SMALL_CLASSES + 1);
}

static unsigned class_of(size_t n)
{
    if (n <= SMALL_MAX) return n == 0 ? 0 : (unsigned)((n + 63) / 64 - 1);
    unsigned c = SMALL_CLASSES;
    for (size_t size = 2 * SMALL_MAX; size < n; size <<= 1)
        c++;
    return c;
}

static size_t page_size(void)
{
    long page = sysconf(_SC_PAGESIZE);
    return page > 0 ? (size_t)page : 4096;
}

static char *arena_alloc(eb_coro_run_stack *rs, unsigned c)
{
    void *p = rs->free_list[c];
    if (p != NULL) {
        rs->free_list[c] = *(void **)p;
        return p;
    }
    size_t size = class_size(c);
    const size_t header = 64;
    /* the next chunk kept from before a reset, if this fits it, or a new one */
    while ((size_t)(rs->bump_end - rs->bump) < size) {
        arena_chunk *next = rs->cursor != NULL ? rs->cursor->next : rs->chunks;
        if (next == NULL) break;
        rs->cursor = next;
        rs->bump = (char *)next + header;
        rs->bump_end = (char *)next + next->bytes;
    }
    if ((size_t)(rs->bump_end - rs->bump) < size) {
        size_t bytes = rs->next_chunk > size + header ? rs->next_chunk : size + header;
        bytes = (bytes + page_size() - 1) / page_size() * page_size();
        char *chunk = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (chunk == MAP_FAILED) return NULL;
        (void)madvise(chunk, bytes, MADV_NOHUGEPAGE);     /* stack_pool.h: cold huge pages */
        (void)madvise(chunk, bytes, MADV_POPULATE_WRITE); /* else faulted page by page */
        arena_chunk *h = (arena_chunk *)(void *)chunk;
        *h = (arena_chunk){.next = NULL, .bytes = bytes};
        if (rs->cursor != NULL)
            rs->cursor->next = h; /* the cursor is the last chunk here */
        else
            rs->chunks = h;
        rs->cursor = h;
        rs->bump = chunk + header;
        rs->bump_end = chunk + bytes;
        rs->stats.arena_bytes += bytes;
        if (rs->next_chunk < CHUNK_MAX) rs->next_chunk *= 2;
    }
    p = rs->bump;
    rs->bump += size;
    return p;
}

static void arena_free(eb_coro_run_stack *rs, char *p, size_t cap)
{
    unsigned c = class_of(cap);
    *(void **)(void *)p = rs->free_list[c];
    rs->free_list[c] = p;
}

/* Under AddressSanitizer the stack's shadow (its poisoned redzones) travels
 * with the frames: saved after them in the buffer, written back with them.
 * The shadow is read and written byte by byte through volatile pointers: a
 * memcpy would be intercepted, and the shadow's own shadow is unmapped. */
#ifdef EB_CORO_ASAN
static size_t shadow_bytes(size_t n)
{
    return n / 8;
}

__attribute__((no_sanitize_address)) static volatile char *shadow_of(const void *p)
{
    size_t scale, offset;
    __asan_get_shadow_mapping(&scale, &offset);
    return (volatile char *)(((uintptr_t)p >> scale) + offset);
}

__attribute__((no_sanitize_address)) static void shadow_save(const char *lo, size_t n, char *out)
{
    volatile char *sh = shadow_of(lo);
    for (size_t i = 0; i < n / 8; i++)
        out[i] = sh[i];
    __asan_unpoison_memory_region((void *)lo, n); /* memcpy may read it now */
}

__attribute__((no_sanitize_address)) static void shadow_restore(const char *lo, size_t n,
                                                                const char *in)
{
    volatile char *sh = shadow_of(lo);
    for (size_t i = 0; i < n / 8; i++)
        sh[i] = in[i];
}
#else
#define shadow_bytes(n) ((void)(n), (size_t)0)
#define shadow_save(lo, n, out) ((void)(lo), (void)(n), (void)(out))
#define shadow_restore(lo, n, in) ((void)(lo), (void)(n), (void)(in))
#endif

/* Copies the parked owner's frames out to its buffer (growing it to the
 * class that fits): 0 or -ENOMEM, leaving it on the stack. */
int eb_coro_run_stack_save_frames(eb_coro_run_stack *rs, eb_coro *co)
{
    char *lo = co->backend == EB_CORO_FCONTEXT ? (char *)co->self : co->frames_lo;
    lo = (char *)((uintptr_t)lo & ~(uintptr_t)15);
    size_t n = (size_t)(rs->top - lo);
    size_t need = n + shadow_bytes(n);
    if (need > co->saved_cap) {
        char *buf = arena_alloc(rs, class_of(need));
        if (buf == NULL) return -ENOMEM;
        if (co->saved != NULL) {
            arena_free(rs, co->saved, co->saved_cap);
            rs->stats.buffers--;
            rs->stats.buffer_bytes -= co->saved_cap;
        }
        co->saved = buf;
        co->saved_cap = (uint32_t)class_size(class_of(need));
        rs->stats.buffers++;
        rs->stats.buffer_bytes += co->saved_cap;
        if (rs->stats.buffer_bytes > rs->stats.peak_buffer_bytes)
            rs->stats.peak_buffer_bytes = rs->stats.buffer_bytes;
    }
    shadow_save(lo, n, co->saved + n);
    memcpy(co->saved, lo, n);
    co->saved_bytes = (uint32_t)n;
    rs->stats.saves++;
    rs->stats.saved_bytes += n;
    if (n > rs->stats.max_frames) rs->stats.max_frames = n;
    return 0;
}

void eb_coro_run_stack_restore_frames(eb_coro_run_stack *rs, eb_coro *co)
{
    size_t n = co->saved_bytes;
    char *lo = rs->top - n;
    eb_coro_stack_unpoison(lo, n);
    memcpy(lo, co->saved, n);
    shadow_restore(lo, n, co->saved + n);
    rs->stats.restores++;
    rs->stats.restored_bytes += n;
}

/* A finished coroutine's buffer goes back to its class; its frames on the
 * stack are dead (those it never returned from stay poisoned for ASan). */
void eb_coro_run_stack_release_frames(eb_coro_run_stack *rs, eb_coro *co)
{
    if (rs->owner == co) rs->owner = NULL;
    if (co->saved != NULL) {
        arena_free(rs, co->saved, co->saved_cap);
        rs->stats.buffers--;
        rs->stats.buffer_bytes -= co->saved_cap;
    }
    co->saved = NULL;
    co->saved_bytes = co->saved_cap = 0;
    eb_coro_stack_unpoison(rs->lo, (size_t)(rs->top - rs->lo));
}

int eb_coro_run_stack_create(size_t bytes, eb_coro_run_stack **out)
{
    *out = NULL;
    size_t page = page_size();
    if (bytes > RUN_STACK_MAX) return -EINVAL;
    if (bytes < ((size_t)16 << 10)) bytes = (size_t)16 << 10;
    bytes = (bytes + page - 1) / page * page;
    eb_coro_run_stack *rs = calloc(1, sizeof *rs);
    if (rs == NULL) return -ENOMEM;
    rs->map_bytes = bytes + page;
    rs->map = mmap(NULL, rs->map_bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (rs->map == MAP_FAILED) {
        int err = -errno;
        free(rs);
        return err;
    }
    /* one stack, so a real guard page costs one system call, not one per
     * coroutine: an overflow faults here instead of corrupting a neighbour */
    if (mprotect(rs->map, page, PROT_NONE) != 0) {
        int err = -errno;
        munmap(rs->map, rs->map_bytes);
        free(rs);
        return err;
    }
    rs->lo = rs->map + page;
    rs->top = rs->map + rs->map_bytes; /* page aligned, so 64-byte aligned */
    rs->next_chunk = CHUNK_MIN;
#ifdef EB_CORO_VALGRIND
    rs->valgrind_id = VALGRIND_STACK_REGISTER(rs->lo, rs->top);
#endif
    *out = rs;
    return 0;
}

void eb_coro_run_stack_destroy(eb_coro_run_stack *rs)
{
    if (rs == NULL) return;
#ifdef EB_CORO_VALGRIND
    VALGRIND_STACK_DEREGISTER(rs->valgrind_id);
#endif
    eb_coro_stack_unpoison(rs->lo, (size_t)(rs->top - rs->lo));
    munmap(rs->map, rs->map_bytes);
    for (arena_chunk *c = rs->chunks, *next; c != NULL; c = next) {
        next = c->next;
        munmap(c, c->bytes);
    }
    free(rs);
}

void eb_coro_run_stack_stats(const eb_coro_run_stack *rs, eb_coro_copy_stats *out)
{
    *out = rs->stats;
}

void eb_coro_run_stack_reset(eb_coro_run_stack *rs)
{
    rs->owner = NULL;
    rs->running = false;
    for (unsigned c = 0; c < CLASSES; c++)
        rs->free_list[c] = NULL;
    rs->cursor = NULL;
    rs->bump = rs->bump_end = NULL;
    uint64_t arena = rs->stats.arena_bytes;
    rs->stats = (eb_coro_copy_stats){.arena_bytes = arena};
    eb_coro_stack_unpoison(rs->lo, (size_t)(rs->top - rs->lo));
}

size_t eb_coro_run_stack_bytes(const eb_coro_run_stack *rs)
{
    return (size_t)(rs->top - rs->lo);
}
