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

/* Where a coroutine's frames live while it runs and while it is parked.
 *  - SEPARATE: a stack of its own (the caller's memory, e.g. a stack_pool.h
 *    slot); a switch touches only registers. Memory: the stack's touched
 *    pages (at least one 4 KiB page per coroutine).
 *  - COPY: every coroutine of a run stack (eb_coro_run_stack) runs on that
 *    one stack, at the same addresses; a parked coroutine's frames stay
 *    there until another coroutine of the stack is resumed, which first
 *    copies them out to the parked one's own save buffer (sized to what it
 *    used: 352 bytes for an io.sleep task with fcontext) and copies its own
 *    frames back in (libaco's design). Memory: the control block and the
 *    used bytes;
 *    each switch to another coroutine costs two copies of their frames.
 *    A pointer to a parked coroutine's stack variable is valid only while
 *    it owns the run stack: never hand one to another coroutine. A
 *    coroutine cannot resume another of its own run stack (-EBUSY), nor
 *    move to another run stack (its frames hold that stack's addresses). */
typedef enum eb_coro_stack_mode {
    EB_CORO_STACK_SEPARATE = 0,
    EB_CORO_STACK_COPY,
} eb_coro_stack_mode;

/* One thread's shared run stack for COPY coroutines, with a guard page below
 * it and the arena their save buffers come from (opaque). */
typedef struct eb_coro_run_stack eb_coro_run_stack;

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
    /* COPY mode (NULL run otherwise): its run stack, and its frames while
     * another coroutine owns the stack: saved_bytes of them in `saved`
     * (a buffer of saved_cap bytes from the run stack's arena) */
    eb_coro_run_stack *run;
    char *saved;
    uint32_t saved_bytes;
    uint32_t saved_cap;
    char *frames_lo; /* ucontext: the lowest byte of its frames when it suspended */
} eb_coro;

/* Prepares `co` to run fn(ctx, arg) on [stack_lo, stack_lo + stack_bytes)
 * (16-byte aligned, leaving at least EB_CORO_MIN_STACK_BYTES for frames once
 * ucontext's context is carved). Does not run it. Returns 0, -EINVAL (bad
 * backend or stack) or -errno from getcontext. */
int eb_coro_init(eb_coro *co, eb_coro_backend backend, void *stack_lo, size_t stack_bytes,
                 eb_coro_fn fn, void *ctx, uint64_t arg);

#define EB_CORO_MIN_STACK_BYTES 2048

/* Prepares `co` to run fn(ctx, arg) on run stack `rs` (COPY mode). Touches
 * neither the stack nor any buffer: its frames are made at its first resume.
 * 0 or -EINVAL. */
int eb_coro_init_copy(eb_coro *co, eb_coro_backend backend, eb_coro_run_stack *rs, eb_coro_fn fn,
                      void *ctx, uint64_t arg);

/* Runs `co` until it suspends or finishes. Must not be called on a finished
 * or running coroutine. 0; in COPY mode also -ENOMEM (no memory to save the
 * run stack's owner: nothing ran, both coroutines are as they were) or
 * -EBUSY (called from a coroutine of the same run stack). */
int eb_coro_resume(eb_coro *co);

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

/* A run stack of `bytes` (rounded up to a page; at least 16 KiB) plus a
 * guard page: 0, -EINVAL, -ENOMEM. */
int eb_coro_run_stack_create(size_t bytes, eb_coro_run_stack **out);
/* Unmaps the stack and every save buffer (of finished and unfinished
 * coroutines alike: none may be resumed afterwards). */
void eb_coro_run_stack_destroy(eb_coro_run_stack *rs);

typedef struct eb_coro_copy_stats {
    uint64_t saves;          /* a parked owner's frames copied out */
    uint64_t restores;       /* a coroutine's frames copied back in */
    uint64_t saved_bytes;    /* in all saves */
    uint64_t restored_bytes; /* in all restores */
    uint64_t max_frames;     /* the most bytes of frames one save copied */
    uint64_t buffers;        /* save buffers held now */
    uint64_t buffer_bytes;   /* their size, by size class */
    uint64_t peak_buffer_bytes;
    uint64_t arena_bytes; /* what the buffers' arena took from the kernel */
} eb_coro_copy_stats;

void eb_coro_run_stack_stats(const eb_coro_run_stack *rs, eb_coro_copy_stats *out);
/* Forgets every coroutine of the stack (none may be resumed afterwards) and
 * every save buffer, keeping the arena's memory to carve them again in the
 * same order: a kept run stack's next job finds its buffers resident. The
 * statistics restart (arena_bytes stays). */
void eb_coro_run_stack_reset(eb_coro_run_stack *rs);
/* The run stack's usable bytes (without its guard page). */
size_t eb_coro_run_stack_bytes(const eb_coro_run_stack *rs);

/* "separate" / "copy", and back: 0 or -EINVAL. */
const char *eb_coro_stack_mode_name(eb_coro_stack_mode mode);
int eb_coro_stack_mode_parse(const char *text, eb_coro_stack_mode *out);

/* Marks [lo, lo + bytes) as addressable again for AddressSanitizer before a
 * stack is reused (frames a coroutine never returned from stay poisoned).
 * A no-op without ASan. */
void eb_coro_stack_unpoison(void *lo, size_t bytes);

#endif
