/* coro.c — the two context-switch backends and their sanitizer annotations
 * (see coro.h); the COPY mode's run stacks and save buffers are in
 * coro_run_stack.c. */
#include "coro.h"
#include "coro_run_stack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

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

#include "coro_sanitize.h"

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

/* The lowest address of the caller's frame is above this function's frame
 * address (its return address and saved frame pointer lie between). */
__attribute__((noinline, noclone)) static char *below_caller(void)
{
    return __builtin_frame_address(0);
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
        int rc = eb_coro_run_stack_save_frames(rs, rs->owner);
        if (rc != 0) return rc;
    }
    rs->owner = co;
    if (!fresh) {
        eb_coro_run_stack_restore_frames(rs, co);
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
        if (co->run != NULL) eb_coro_run_stack_release_frames(co->run, co);
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
