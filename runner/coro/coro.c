/* coro.c — the two context-switch backends, their sanitizer annotations, and
 * the COPY mode's run stacks and save buffers (see coro.h). */
#include "coro.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
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

/* Boost.Context's fcontext API, declared here by hand: its header
 * (boost/context/detail/fcontext.hpp) is C++ only, but libboost_context
 * exports these two functions with C linkage, and transfer_t is a plain
 * two-pointer struct returned in registers by the C ABI on x86-64 and
 * aarch64 alike. */
typedef void *eb_fcontext_t;
typedef struct eb_fcontext_transfer {
    eb_fcontext_t fctx;
    void *data;
} eb_fcontext_transfer;
eb_fcontext_transfer jump_fcontext(eb_fcontext_t const to, void *vp);
eb_fcontext_t make_fcontext(void *sp, size_t size, void (*fn)(eb_fcontext_transfer));

#if defined(__SANITIZE_ADDRESS__)
#define EB_CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EB_CORO_ASAN 1
#endif
#endif

#ifdef EB_CORO_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define asan_start_switch(fake_save, bottom, size)                                                 \
    __sanitizer_start_switch_fiber(fake_save, bottom, size)
#define asan_finish_switch(fake, bottom_old, size_old)                                             \
    __sanitizer_finish_switch_fiber(fake, bottom_old, size_old)
#else
#define asan_start_switch(fake_save, bottom, size) ((void)(fake_save), (void)(bottom), (void)(size))
#define asan_finish_switch(fake, bottom_old, size_old)                                             \
    ((void)(fake), (void)(bottom_old), (void)(size_old))
#endif

#if defined(__SANITIZE_THREAD__)
#define EB_CORO_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define EB_CORO_TSAN 1
#endif
#endif

#ifdef EB_CORO_TSAN
#include <sanitizer/tsan_interface.h>
/* Creating a TSan fiber costs ~0.7 ms and ~60 KiB (measured here): a
 * finished coroutine's fiber is kept for the thread's next coroutine. Its
 * shadow call stack is empty by then, because the entry functions, which
 * never return, and leaving_for_good, which returns on the resumer's fiber,
 * are not instrumented (EB_NO_TSAN). */
static __thread void **spare_fibers;
static __thread size_t spare_count, spare_cap;

static void *tsan_create(void)
{
    return spare_count > 0 ? spare_fibers[--spare_count] : __tsan_create_fiber(0);
}

static void tsan_destroy(void *fiber)
{
    if (spare_count == spare_cap) {
        size_t cap = spare_cap ? 2 * spare_cap : 64;
        void **grown = realloc(spare_fibers, cap * sizeof *grown);
        if (grown == NULL) {
            __tsan_destroy_fiber(fiber);
            return;
        }
        spare_fibers = grown;
        spare_cap = cap;
    }
    spare_fibers[spare_count++] = fiber;
}
#define tsan_current() __tsan_get_current_fiber()
#define tsan_switch(fiber) __tsan_switch_to_fiber(fiber, 0)
#define EB_NO_TSAN __attribute__((no_sanitize_thread))
#else
#define tsan_create() NULL
#define tsan_current() NULL
#define tsan_switch(fiber) ((void)(fiber))
#define tsan_destroy(fiber) ((void)(fiber))
#define EB_NO_TSAN
#endif

void eb_coro_stack_unpoison(void *lo, size_t bytes)
{
#ifdef EB_CORO_ASAN
    __asan_unpoison_memory_region(lo, bytes);
#else
    (void)lo;
    (void)bytes;
#endif
}

/* ---- COPY mode: run stacks and save buffers ------------------------------ */

/* Save buffers come in size classes: 64-byte steps up to 4 KiB (an io.sleep
 * task saves 352 bytes with fcontext, 1,296 with ucontext: a class wastes
 * under 64), then powers of two. A
 * class's free buffers are a list threaded through their first word; new
 * ones are carved from chunks that double from 64 KiB to 4 MiB, each
 * populated in one system call (MADV_POPULATE_WRITE) since the buffers fill
 * it in order. No per-buffer header: a coroutine knows its buffer's class by
 * its capacity. */
#define SMALL_CLASSES 64
#define CLASSES 88
#define CHUNK_MIN ((size_t)64 << 10)
#define CHUNK_MAX ((size_t)4 << 20)
#define RUN_STACK_MAX ((size_t)1 << 30) /* saved_cap is 32 bits, shadow included */

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t bytes;
} arena_chunk;

struct eb_coro_run_stack {
    char *map; /* guard page, then the stack */
    size_t map_bytes;
    char *lo, *top; /* the stack: [lo, top), top 64-byte aligned */
    eb_coro *owner; /* whose frames are on it now (NULL: nobody's) */
    bool running;   /* one of its coroutines runs now */
    void *free_list[CLASSES];
    char *bump, *bump_end; /* the rest of the chunk being carved */
    arena_chunk *chunks;   /* oldest first */
    arena_chunk *cursor;   /* the chunk being carved */
    size_t next_chunk;
    eb_coro_copy_stats stats;
    unsigned valgrind_id;
};

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

/* The lowest address of the caller's frame is above this function's frame
 * address (its return address and saved frame pointer lie between). */
__attribute__((noinline, noclone)) static char *below_caller(void)
{
    return __builtin_frame_address(0);
}

/* Copies the parked owner's frames out to its buffer (growing it to the
 * class that fits): 0 or -ENOMEM, leaving it on the stack. */
static int save_frames(eb_coro_run_stack *rs, eb_coro *co)
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

static void restore_frames(eb_coro_run_stack *rs, eb_coro *co)
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
static void release_frames(eb_coro_run_stack *rs, eb_coro *co)
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

/* ---- switching ----------------------------------------------------------- */

/* First thing on the coroutine's stack: note where the resumer's stack is. */
static void entered(eb_coro *co)
{
    asan_finish_switch(NULL, &co->asan_caller_bottom, &co->asan_caller_size);
}

/* Last thing on the coroutine's stack: NULL tells ASan this fiber is gone.
 * Not instrumented by TSan: its return would be counted on the resumer's
 * fiber, which it switches to. */
EB_NO_TSAN static void leaving_for_good(eb_coro *co)
{
    co->finished = true;
    asan_start_switch(NULL, co->asan_caller_bottom, co->asan_caller_size);
    tsan_switch(co->tsan_caller);
}

EB_NO_TSAN static void fcontext_entry(eb_fcontext_transfer t)
{
    eb_coro *co = t.data;
    co->caller = t.fctx;
    entered(co);
    co->fn(co->ctx, co->arg);
    leaving_for_good(co);
    jump_fcontext(co->caller, NULL);
    __builtin_unreachable();
}

/* makecontext passes int arguments only: the pointer travels in two halves. */
EB_NO_TSAN static void ucontext_entry(unsigned hi, unsigned lo)
{
    eb_coro *co = (eb_coro *)(uintptr_t)(((uint64_t)hi << 32) | lo);
    entered(co);
    co->fn(co->ctx, co->arg);
    leaving_for_good(co);
    setcontext(co->caller);
    __builtin_unreachable();
}

int eb_coro_init(eb_coro *co, eb_coro_backend backend, void *stack_lo, size_t stack_bytes,
                 eb_coro_fn fn, void *ctx, uint64_t arg)
{
    if (fn == NULL || stack_lo == NULL || stack_bytes < EB_CORO_MIN_STACK_BYTES ||
        ((uintptr_t)stack_lo & 15) != 0)
        return -EINVAL;
    *co = (eb_coro){.fn = fn,
                    .ctx = ctx,
                    .arg = arg,
                    .backend = backend,
                    .stack_lo = stack_lo,
                    .stack_bytes = stack_bytes};
    char *top = (char *)stack_lo + stack_bytes;
    switch (backend) {
    case EB_CORO_FCONTEXT:
        co->self = make_fcontext(top, stack_bytes, fcontext_entry);
        co->tsan_fiber = tsan_create();
        return 0;
    case EB_CORO_UCONTEXT: {
        ucontext_t *uc = (ucontext_t *)(((uintptr_t)top - sizeof(ucontext_t)) & ~(uintptr_t)63);
        if ((size_t)((char *)uc - (char *)stack_lo) < EB_CORO_MIN_STACK_BYTES) return -EINVAL;
        if (getcontext(uc) != 0) return -errno;
        uc->uc_stack.ss_sp = stack_lo;
        uc->uc_stack.ss_size = (size_t)((char *)uc - (char *)stack_lo);
        uc->uc_link = NULL;
        uint64_t p = (uint64_t)(uintptr_t)co;
        makecontext(uc, (void (*)(void))ucontext_entry, 2, (unsigned)(p >> 32), (unsigned)p);
        co->self = uc;
        co->tsan_fiber = tsan_create();
        return 0;
    }
    }
    return -EINVAL;
}

int eb_coro_init_copy(eb_coro *co, eb_coro_backend backend, eb_coro_run_stack *rs, eb_coro_fn fn,
                      void *ctx, uint64_t arg)
{
    if (fn == NULL || rs == NULL || (backend != EB_CORO_FCONTEXT && backend != EB_CORO_UCONTEXT))
        return -EINVAL;
    /* self stays NULL until its first resume makes its first frame */
    *co = (eb_coro){.fn = fn,
                    .ctx = ctx,
                    .arg = arg,
                    .backend = backend,
                    .stack_lo = rs->lo,
                    .stack_bytes = (size_t)(rs->top - rs->lo),
                    .run = rs};
    co->tsan_fiber = tsan_create();
    return 0;
}

/* COPY mode: makes the run stack co's (saving its owner's frames, restoring
 * co's or making its first frame). `start` receives a fresh ucontext
 * coroutine's first context. 0, -EBUSY, -ENOMEM, -errno. */
static int take_run_stack(eb_coro *co, ucontext_t *start)
{
    eb_coro_run_stack *rs = co->run;
    if (rs->running) return -EBUSY; /* its frames would overwrite the caller's */
    if (rs->owner == co) return 0;
    bool fresh = co->self == NULL;
    if (fresh && co->backend == EB_CORO_UCONTEXT && getcontext(start) != 0) return -errno;
    if (rs->owner != NULL) {
        int rc = save_frames(rs, rs->owner);
        if (rc != 0) return rc;
    }
    rs->owner = co;
    if (!fresh) {
        restore_frames(rs, co);
    } else if (co->backend == EB_CORO_FCONTEXT) {
        co->self = make_fcontext(rs->top, (size_t)(rs->top - rs->lo), fcontext_entry);
    } else {
        start->uc_stack.ss_sp = rs->lo;
        start->uc_stack.ss_size = (size_t)(rs->top - rs->lo);
        start->uc_link = NULL;
        uint64_t p = (uint64_t)(uintptr_t)co;
        makecontext(start, (void (*)(void))ucontext_entry, 2, (unsigned)(p >> 32), (unsigned)p);
        co->self = start; /* read once, by the switch below */
    }
    return 0;
}

int eb_coro_resume(eb_coro *co)
{
    ucontext_t start, here;
    if (co->run != NULL) {
        int rc = take_run_stack(co, &start);
        if (rc != 0) return rc;
        co->run->running = true;
    }
    if (co->backend == EB_CORO_UCONTEXT) {
        /* no stack for ASan's swapcontext interceptor to clear on the way
         * back; written before TSan's switch, which attributes every access
         * after it to the coroutine */
        here.uc_stack = (stack_t){0};
        co->caller = &here;
    }
    void *fake_stack = NULL;
    asan_start_switch(&fake_stack, co->stack_lo, co->stack_bytes);
    co->tsan_caller = tsan_current();
    tsan_switch(co->tsan_fiber);
    if (co->backend == EB_CORO_FCONTEXT) {
        eb_fcontext_transfer t = jump_fcontext(co->self, co);
        co->self = t.fctx; /* where it suspended (meaningless once finished) */
    } else {
        swapcontext(&here, co->self);
    }
    asan_finish_switch(fake_stack, NULL, NULL);
    if (co->run != NULL) co->run->running = false;
    if (co->finished) {
        if (co->tsan_fiber != NULL) { /* never the current fiber here */
            tsan_destroy(co->tsan_fiber);
            co->tsan_fiber = NULL;
        }
        if (co->run != NULL) release_frames(co->run, co);
    }
    return 0;
}

/* COPY with ucontext: the context lives in this frame, so it is saved and
 * restored with the frames, at the same address. A function of its own, so
 * that fcontext's suspend does not carry its ~1 KiB on every parked stack.
 * Everything it writes precedes TSan's switch (see eb_coro_resume). */
__attribute__((noinline)) static void suspend_copy_ucontext(eb_coro *co)
{
    ucontext_t mine;
    mine.uc_stack = (stack_t){0};
    co->self = &mine;
    co->frames_lo = below_caller();
    asan_start_switch(&co->asan_fake_stack, co->asan_caller_bottom, co->asan_caller_size);
    tsan_switch(co->tsan_caller);
    swapcontext(&mine, co->caller);
    asan_finish_switch(co->asan_fake_stack, &co->asan_caller_bottom, &co->asan_caller_size);
}

void eb_coro_suspend(eb_coro *co)
{
    if (co->backend == EB_CORO_UCONTEXT && co->run != NULL) {
        suspend_copy_ucontext(co);
        return;
    }
    asan_start_switch(&co->asan_fake_stack, co->asan_caller_bottom, co->asan_caller_size);
    tsan_switch(co->tsan_caller);
    if (co->backend == EB_CORO_FCONTEXT) {
        eb_fcontext_transfer t = jump_fcontext(co->caller, NULL);
        co->caller = t.fctx; /* the next resumer */
    } else {
        swapcontext(co->self, co->caller);
    }
    asan_finish_switch(co->asan_fake_stack, &co->asan_caller_bottom, &co->asan_caller_size);
}

const char *eb_coro_stack_mode_name(eb_coro_stack_mode mode)
{
    switch (mode) {
    case EB_CORO_STACK_SEPARATE:
        return "separate";
    case EB_CORO_STACK_COPY:
        return "copy";
    }
    return "unknown";
}

int eb_coro_stack_mode_parse(const char *text, eb_coro_stack_mode *out)
{
    if (strcmp(text, "separate") == 0) {
        *out = EB_CORO_STACK_SEPARATE;
        return 0;
    }
    if (strcmp(text, "copy") == 0) {
        *out = EB_CORO_STACK_COPY;
        return 0;
    }
    return -EINVAL;
}

const char *eb_coro_backend_name(eb_coro_backend backend)
{
    switch (backend) {
    case EB_CORO_FCONTEXT:
        return "fcontext";
    case EB_CORO_UCONTEXT:
        return "ucontext";
    }
    return "unknown";
}

int eb_coro_backend_parse(const char *text, eb_coro_backend *out)
{
    if (strcmp(text, "fcontext") == 0) {
        *out = EB_CORO_FCONTEXT;
        return 0;
    }
    if (strcmp(text, "ucontext") == 0) {
        *out = EB_CORO_UCONTEXT;
        return 0;
    }
    return -EINVAL;
}
