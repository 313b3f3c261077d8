/* coro_stacks.h — where one scheduler's coroutines live, in either stack mode
 * (coro.h's eb_coro_stack_mode):
 *  - SEPARATE: each in a slot of a stack pool (stack_pool.h), its control
 *    block at the top of its own stack;
 *  - COPY: the control blocks in one array (a NORESERVE mapping, populated
 *    as it is used), the frames on the scheduler thread's one run stack and,
 *    while parked, in a save buffer sized to them.
 * The scheduler asks for a new coroutine and gives it back once it has
 * finished; either way its slot (eb_coro.slot) is below max_coros, so per-slot
 * arrays (the scheduler's fd results, the executor's lanes) work alike.
 *
 * Memory per parked coroutine, measured with io.sleep (fcontext): SEPARATE a
 * 4 KiB page (the pool's slot); COPY a control block (sizeof(eb_coro), 144
 * bytes) plus a save buffer of the 64-byte class above its frames (352
 * bytes of frames: a 384-byte buffer). */
#ifndef EB_CORO_STACKS_H
#define EB_CORO_STACKS_H

#include "coro.h"
#include "stack_pool.h"

#include <stdint.h>

typedef struct eb_coro_stacks_config {
    eb_coro_stack_mode mode;
    uint64_t max_coros;     /* most alive at once, 1..UINT32_MAX */
    size_t stack_bytes;     /* SEPARATE: per coroutine, its control block included */
    eb_stack_guard guard;   /* SEPARATE */
    size_t run_stack_bytes; /* COPY: the shared stack (coro.h bounds it) */
    /* SEPARATE: the room for the owner's record of a coroutine at the top of
     * its stack, the eb_coro first (0: the eb_coro alone); the scheduler's
     * groups keep where a coroutine's stack belongs there. COPY keeps bare
     * control blocks in one array: more than an eb_coro is -EINVAL there. */
    size_t record_bytes;
} eb_coro_stacks_config;

typedef struct eb_coro_stacks {
    eb_coro_stack_mode mode;
    eb_stack_pool pool;     /* SEPARATE */
    eb_coro_run_stack *run; /* COPY */
    eb_coro *records;       /* COPY: [capacity] control blocks */
    size_t records_bytes;
    uint32_t capacity;
    uint32_t used;      /* records handed out at least once: a prefix */
    uint32_t populated; /* records populated ahead of use: a prefix */
    uint32_t in_use;
    uint32_t free_head;      /* 1 + index of the first free record, 0 when none */
    size_t record_bytes;     /* SEPARATE: the config's, at least sizeof(eb_coro) */
    uint32_t reused_records; /* COPY: control blocks found resident in a kept home */
    size_t run_request;      /* COPY: the run stack size asked for */
} eb_coro_stacks;

/* The mode for max_coros coroutines when none is asked for (the runner's
 * --coro-stack auto): SEPARATE while every stack gets its guard page
 * (stack_pool.h's rule, 8 x coroutines <= vm.max_map_count: 8,191 with the
 * default 65,530), COPY beyond, where separate stacks would be unguarded
 * one-page stacks with a canary. There COPY keeps a real guard page (below
 * its one run stack) in a seventh of the memory, and on this 2-core VM
 * started and woke 1,000,000 io.sleep coroutines at 1.17-1.19x their ideal
 * warm and 1.30-1.32x cold against 1.39-1.40x and 2.5-4.7x (100,000: 1.18-
 * 1.23x and 1.34-1.42x against 1.45-1.50x and 2.4-2.9x). Below it SEPARATE
 * keeps a switch free of copies whatever a task's frames hold. */
eb_coro_stack_mode eb_coro_stacks_auto_mode(uint64_t max_coros);

/* 0, -EINVAL (bad mode or count), -ENOMEM (no address space). */
int eb_coro_stacks_init(eb_coro_stacks *cs, const eb_coro_stacks_config *config);
/* Gives everything back: kept for the next init that fits (a SEPARATE pool by
 * stack_pool.c; a COPY home, its control blocks, run stack and buffer arena,
 * here, up to EB_STACK_POOL_KEPT of them), so that a repeated job finds its
 * memory resident. */
void eb_coro_stacks_destroy(eb_coro_stacks *cs);

/* Unmaps everything kept, in both modes, and the schedulers' kept timer
 * arrays (timer_store.h): the next job starts cold. */
void eb_coro_stacks_cache_clear(void);

/* A new coroutine for fn(ctx, arg), not yet run, its slot set (SEPARATE: the
 * first record_bytes at the top of its stack are the caller's, from *out on): 0 and *out;
 * -EAGAIN when max_coros are alive; -errno when the kernel refused a guard
 * page (SEPARATE) or init failed. */
int eb_coro_stacks_new(eb_coro_stacks *cs, eb_coro_backend backend, eb_coro_fn fn, void *ctx,
                       uint64_t arg, eb_coro **out);

/* Gives back the place of a coroutine that finished (or never ran): 0, or
 * -EFAULT when its canary shows it overflowed its stack (SEPARATE, unguarded:
 * the memory below it may be corrupt, the caller should stop). */
int eb_coro_stacks_give(eb_coro_stacks *cs, eb_coro *co);

/* Fetches the cache lines resuming a parked `co` touches first: a coroutine
 * parked long ago is out of the cache (scheduler.c's pop_due). */
static inline void eb_coro_stacks_prefetch(const eb_coro_stacks *cs, const eb_coro *co)
{
    if (cs->mode == EB_CORO_STACK_COPY) {
        const char *p = co->saved, *end = co->saved + co->saved_bytes;
        for (; p < end && p < co->saved + 1024; p += 64)
            __builtin_prefetch(p);
        return;
    }
    const char *from = co->self, *to = (const char *)co;
    if (from < to && to - from <= 1024)
        for (const char *p = from; p < to; p += 64)
            __builtin_prefetch(p);
    if (!cs->pool.guarded) /* the canary, checked when it finishes */
        __builtin_prefetch((const char *)co->stack_lo - 16);
}

/* The size of the stack a coroutine of this config runs on (SEPARATE: its
 * own; COPY: the shared one) and the bytes of memory it holds now. */
typedef struct eb_coro_stacks_usage {
    uint64_t stack_bytes;    /* SEPARATE: each slot's stack; COPY: the run stack */
    uint64_t control_bytes;  /* COPY: control blocks handed out at least once */
    uint64_t buffer_bytes;   /* COPY: save buffers held now */
    uint64_t arena_bytes;    /* COPY: what the buffers' arena mapped */
    uint64_t reused_slots;   /* slots (SEPARATE) or control blocks (COPY) found
                                resident, kept from an earlier job: a warm run */
    eb_coro_copy_stats copy; /* COPY: saves, restores, bytes */
} eb_coro_stacks_usage;

void eb_coro_stacks_usage_get(const eb_coro_stacks *cs, eb_coro_stacks_usage *out);

#endif
