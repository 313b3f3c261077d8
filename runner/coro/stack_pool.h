/* stack_pool.h — coroutine stacks carved from ONE large mapping.
 *
 * One mmap(MAP_NORESERVE) per pool, not one per stack: the kernel caps a
 * process's mappings at vm.max_map_count (~65k), so a mapping per coroutine
 * could never reach 100,000 coroutines, and NORESERVE means a stack costs
 * only the pages it touches. Slots are handed out lazily (a never-used slot
 * costs nothing) and reused last-in first-out (a reused stack is warm). Like
 * glibc's cache of thread stacks, destroyed pools are kept (up to
 * EB_STACK_POOL_KEPT of them, whatever their size) and handed to the next
 * init that fits one: pool->reused says so, for the results document.
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
 * each stack is checked when the stack is given back.
 *
 * Never transparent huge pages (MADV_NOHUGEPAGE on every pool). Measured on
 * this VM (2 vCPUs under a hypervisor that takes freed memory back through
 * virtio-balloon free page reporting): a 2 MiB huge page faulted in cost
 * 4-7 ms when the host had to back it anew, 0.3 ms when the host still held
 * it, so starting 100,000 coroutines cold took 0.08-1.48 s with huge pages
 * against 0.14-0.16 s with 4 KiB pages, and 1,000,000 took 12.7-15 s against
 * 1.4-5.9 s (4 GiB of fresh 4 KiB pages: ~1.1-2.7 us each, more when the
 * host backs them anew); warm runs, the pool kept, were alike either way
 * (1.24-1.28 s for 1,000,000 x 1 s waits). Instead, an unguarded pool of
 * one-page slots asks the kernel to populate its slots 64 at a time
 * (MADV_POPULATE_WRITE, Linux >= 5.14) as they are first carved: one system
 * call instead of 64 page faults, ~1.1 us per page instead of ~1.8.
 */
#ifndef EB_STACK_POOL_H
#define EB_STACK_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum eb_stack_guard {
    EB_STACK_GUARD_AUTO = 0, /* the rule above */
    EB_STACK_GUARD_ON,       /* guard every slot (fails with -ENOMEM if the kernel refuses) */
    EB_STACK_GUARD_OFF,      /* no guards: canaries */
} eb_stack_guard;

typedef struct eb_stack {
    void *lo;     /* lowest usable address, page aligned */
    size_t bytes; /* usable bytes above lo (the guard page is below lo) */
    uint32_t index;
} eb_stack;

typedef struct eb_stack_pool {
    char *map; /* the one mapping */
    size_t map_bytes;
    char *base;        /* slot 0 */
    size_t slot_bytes; /* guard page (if any) + stack */
    size_t stack_bytes;
    uint32_t slots;    /* this pool's limit */
    uint32_t capacity; /* slots the mapping holds (more when reused from the cache) */
    uint32_t carved;   /* slots whose guard or canary is in place: a prefix */
    uint32_t used;     /* slots handed out at least once since init: a prefix */
    uint32_t in_use;
    uint32_t free_head; /* 1 + index of the first free slot, 0 when none */
    uint32_t populated; /* slots populated ahead of use (a prefix) */
    bool guarded;
    bool populate;          /* one-page unguarded slots: populate them in chunks */
    bool mprotect_guards;   /* the kernel lacks MADV_GUARD_INSTALL */
    bool reused;            /* taken from the kept pools */
    uint32_t kept_carved;   /* when reused: the slots already carved (resident) then */
    unsigned *valgrind_ids; /* under valgrind: each carved slot's stack registration */
} eb_stack_pool;

/* The guard rule: whether 8 x slots <= vm.max_map_count. */
bool eb_stack_pool_guards_fit(uint64_t slots);

/* Reserves `slots` stacks of `stack_bytes` (rounded up to a page; at least one
 * page). 0, -EINVAL (0 slots, more than UINT32_MAX), -ENOMEM (no address space). */
int eb_stack_pool_init(eb_stack_pool *pool, uint64_t slots, size_t stack_bytes,
                       eb_stack_guard guard);
/* Returns the stacks: the pool is kept for the next init that fits it (the
 * oldest kept one is unmapped when EB_STACK_POOL_KEPT are kept already). */
void eb_stack_pool_destroy(eb_stack_pool *pool);

/* How many destroyed pools are kept at most: one per scheduler of a
 * multi-threaded executor, so each finds its own stacks again. */
#define EB_STACK_POOL_KEPT 16

/* Unmaps the kept pools. */
void eb_stack_pool_cache_clear(void);

/* The kept pools' mappings, in bytes (reserved address space, not resident). */
size_t eb_stack_pool_kept_bytes(void);

/* Hands out a stack: 0; -EAGAIN when all slots are in use; -errno when the
 * kernel refused a guard page. */
int eb_stack_pool_take(eb_stack_pool *pool, eb_stack *out);

/* Gives stack `index` back: 0, or -EFAULT when its canary shows the stack
 * overflowed (the memory below it may be corrupt: the caller should stop). */
int eb_stack_pool_give(eb_stack_pool *pool, uint32_t index);

#endif
