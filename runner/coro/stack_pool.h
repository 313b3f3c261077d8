/* stack_pool.h — coroutine stacks carved from ONE large mapping.
 *
 * One mmap(MAP_NORESERVE) per pool, not one per stack: the kernel caps a
 * process's mappings at vm.max_map_count (~65k), so a mapping per coroutine
 * could never reach 100,000 coroutines, and NORESERVE means a stack costs
 * only the pages it touches. Slots are handed out lazily (a never-used slot
 * costs nothing) and reused last-in first-out (a reused stack is warm). Like
 * glibc's cache of thread stacks, one pool of up to 40 MiB is kept when
 * destroyed and handed to the next init that fits it.
 *
 * Guard rule (EB_STACK_GUARD_AUTO): every slot gets a guard page below its
 * stack when 8 x slots <= vm.max_map_count. An mprotect'ed guard splits the
 * mapping (2 mappings per slot), so the guards then take at most a quarter of
 * the kernel's limit and leave the rest to the process (reading
 * /proc/self/maps for the exact count would cost ~50 us of every job's start).
 * The guard is a MADV_GUARD_INSTALL marker where the kernel has it (Linux >=
 * 6.13: no extra mapping, about a third of mprotect's cost), else an mprotect'ed
 * PROT_NONE page; either way one system call per slot, paid when the slot is
 * first used. Larger pools get no guards; instead a canary at the bottom of
 * each stack is checked when the stack is given back, and the pool asks for
 * transparent huge pages (MADV_HUGEPAGE): with 100,000 small stacks the
 * first-touch page faults dominate start-up (measured here: ~1.7 us per 4 KiB
 * page fault, ~0.2 us per 4 KiB inside a 2 MiB huge page), at the price that
 * resident memory is then the whole slot, not just its touched pages. */
#ifndef EB_STACK_POOL_H
#define EB_STACK_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum eb_stack_guard {
    EB_STACK_GUARD_AUTO = 0, /* the rule above */
    EB_STACK_GUARD_ON,       /* guard every slot (fails with -ENOMEM if the kernel refuses) */
    EB_STACK_GUARD_OFF,      /* no guards: canaries, huge pages for large pools */
} eb_stack_guard;

typedef struct eb_stack {
    void *lo;     /* lowest usable address, page aligned */
    size_t bytes; /* usable bytes above lo (the guard page is below lo) */
    uint32_t index;
} eb_stack;

typedef struct eb_stack_pool {
    char *map; /* the one mapping */
    size_t map_bytes;
    char *base;        /* slot 0 (base may be aligned inside map for huge pages) */
    size_t slot_bytes; /* guard page (if any) + stack */
    size_t stack_bytes;
    uint32_t slots;    /* this pool's limit */
    uint32_t capacity; /* slots the mapping holds (more when reused from the cache) */
    uint32_t carved;   /* slots whose guard or canary is in place: a prefix */
    uint32_t used;     /* slots handed out at least once since init: a prefix */
    uint32_t in_use;
    uint32_t free_head; /* 1 + index of the first free slot, 0 when none */
    bool guarded;
    bool huge_pages;
    bool mprotect_guards;   /* the kernel lacks MADV_GUARD_INSTALL */
    unsigned *valgrind_ids; /* under valgrind: each carved slot's stack registration */
} eb_stack_pool;

/* The guard rule: whether 8 x slots <= vm.max_map_count. */
bool eb_stack_pool_guards_fit(uint64_t slots);

/* Reserves `slots` stacks of `stack_bytes` (rounded up to a page; at least one
 * page). 0, -EINVAL (0 slots, more than UINT32_MAX), -ENOMEM (no address space). */
int eb_stack_pool_init(eb_stack_pool *pool, uint64_t slots, size_t stack_bytes,
                       eb_stack_guard guard);
/* Returns the stacks; one pool of up to 40 MiB is kept for the next init
 * that fits it (see stack_pool.c), the rest is unmapped. */
void eb_stack_pool_destroy(eb_stack_pool *pool);

/* Unmaps the kept pool, if any. */
void eb_stack_pool_cache_clear(void);

/* Hands out a stack: 0; -EAGAIN when all slots are in use; -errno when the
 * kernel refused a guard page. */
int eb_stack_pool_take(eb_stack_pool *pool, eb_stack *out);

/* Gives stack `index` back: 0, or -EFAULT when its canary shows the stack
 * overflowed (the memory below it may be corrupt: the caller should stop). */
int eb_stack_pool_give(eb_stack_pool *pool, uint32_t index);

#endif
