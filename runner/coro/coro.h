/* coro.h — stackful coroutines over two context-switch backends.
 *
 * A coroutine runs fn(ctx, arg) on a stack the caller provides. It is
 * asymmetric: eb_coro_resume runs it until it calls eb_coro_suspend (or
 * returns), and eb_coro_suspend returns to whoever resumed it.
 *
 * Backends (eb_coro_backend, below; a job names one for the coroutine
 * executor, but this library knows nothing of jobs):
 *  - EB_CORO_FCONTEXT: Boost.Context's make_fcontext/jump_fcontext (a few
 *    instructions: callee-saved registers and the stack pointer).
 *  - EB_CORO_UCONTEXT: glibc makecontext/swapcontext, the portable fallback
 *    (it also saves the signal mask: a system call per switch). Its
 *    ucontext_t (~1 KiB) is carved from the top of the coroutine's stack.
 *
 * Under AddressSanitizer every switch is announced with
 * __sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber, so ASan
 * knows which stack is live (it would otherwise report false stack overflows
 * and use-after-returns). Under ThreadSanitizer each coroutine is a TSan
 * fiber (__tsan_create_fiber, __tsan_switch_to_fiber before every switch,
 * __tsan_destroy_fiber once it has finished): TSan then keeps one shadow call
 * stack per coroutine, and each switch orders what ran before it before what
 * runs after (it would otherwise see every switch as a call that never
 * returns, and overflow). */
#ifndef EB_CORO_H
#define EB_CORO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum eb_coro_backend {
    EB_CORO_FCONTEXT = 0, /* Boost.Context's jump_fcontext/make_fcontext */
    EB_CORO_UCONTEXT,     /* glibc makecontext/swapcontext, the portable fallback */
} eb_coro_backend;

typedef void (*eb_coro_fn)(void *ctx, uint64_t arg);

/* One coroutine. The fields are public so a scheduler can place the struct
 * wherever it likes (the scheduler puts it at the top of the coroutine's own
 * stack slot); treat them as read-only outside coro.c. */
typedef struct eb_coro {
    eb_coro_fn fn;
    void *ctx;
    uint64_t arg;
    eb_coro_backend backend;
    bool finished;  /* fn returned */
    uint32_t slot;  /* for the owner (the scheduler's stack slot) */
    void *stack_lo; /* the stack: [stack_lo, stack_lo + stack_bytes) */
    size_t stack_bytes;
    void *self;   /* fcontext: suspended context; ucontext: its ucontext_t */
    void *caller; /* the context of whoever resumed it, while it runs */
    /* AddressSanitizer bookkeeping (unused otherwise) */
    void *asan_fake_stack;
    const void *asan_caller_bottom;
    size_t asan_caller_size;
    /* ThreadSanitizer fibers (unused otherwise): its own, its resumer's */
    void *tsan_fiber;
    void *tsan_caller;
} eb_coro;

/* Prepares `co` to run fn(ctx, arg) on [stack_lo, stack_lo + stack_bytes)
 * (16-byte aligned, leaving at least EB_CORO_MIN_STACK_BYTES for frames once
 * ucontext's context is carved). Does not run it. Returns 0, -EINVAL (bad
 * backend or stack) or -errno from getcontext. */
int eb_coro_init(eb_coro *co, eb_coro_backend backend, void *stack_lo, size_t stack_bytes,
                 eb_coro_fn fn, void *ctx, uint64_t arg);

#define EB_CORO_MIN_STACK_BYTES 2048

/* Runs `co` until it suspends or finishes. Must not be called on a finished
 * or running coroutine. */
void eb_coro_resume(eb_coro *co);

/* Called from inside `co`: returns control to its resumer; returns when `co`
 * is resumed again. */
void eb_coro_suspend(eb_coro *co);

static inline bool eb_coro_finished(const eb_coro *co)
{
    return co->finished;
}

/* "fcontext" / "ucontext", and back: 0 or -EINVAL. */
const char *eb_coro_backend_name(eb_coro_backend backend);
int eb_coro_backend_parse(const char *text, eb_coro_backend *out);

/* Marks [lo, lo + bytes) as addressable again for AddressSanitizer before a
 * stack is reused (frames a coroutine never returned from stay poisoned).
 * A no-op without ASan. */
void eb_coro_stack_unpoison(void *lo, size_t bytes);

#endif
