/* run_ring.h — a scheduler's queue of ready coroutines that other threads
 * may steal from (Go's per-P run queue): one producer, many consumers.
 *
 * Only the owning thread pushes (at the tail). The owner pops from the head
 * and thieves take half of what is queued from the head, each claiming its
 * items with one compare-and-swap of the head, so no lock is ever taken and a
 * stolen coroutine's saved state, written before its push, is visible to the
 * thief (the push's release, the steal's acquire). The slots are atomics
 * because a thief whose claim fails may have read a slot the owner was
 * overwriting: it throws that read away, and the race is harmless. */
#ifndef EB_RUN_RING_H
#define EB_RUN_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EB_RUN_RING_SIZE 256u /* a power of two */

typedef struct eb_run_ring {
    _Alignas(64) _Atomic uint32_t head; /* next to take; advanced by CAS */
    _Alignas(64) _Atomic uint32_t tail; /* next free; written by the owner only */
    _Alignas(64) _Atomic(void *) slot[EB_RUN_RING_SIZE];
} eb_run_ring;

static inline void eb_run_ring_init(eb_run_ring *r)
{
    atomic_init(&r->head, 0);
    atomic_init(&r->tail, 0);
    for (uint32_t i = 0; i < EB_RUN_RING_SIZE; i++)
        atomic_init(&r->slot[i], NULL);
}

/* Items queued now (a snapshot for other threads). */
static inline uint32_t eb_run_ring_len(eb_run_ring *r)
{
    uint32_t h = atomic_load_explicit(&r->head, memory_order_acquire);
    uint32_t t = atomic_load_explicit(&r->tail, memory_order_acquire);
    return t - h;
}

/* Owner only: room for more pushes. */
static inline uint32_t eb_run_ring_room(eb_run_ring *r)
{
    uint32_t h = atomic_load_explicit(&r->head, memory_order_acquire);
    uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
    return EB_RUN_RING_SIZE - (t - h);
}

/* Owner only: false when full. */
static inline bool eb_run_ring_push(eb_run_ring *r, void *item)
{
    uint32_t h = atomic_load_explicit(&r->head, memory_order_acquire);
    uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
    if (t - h >= EB_RUN_RING_SIZE) return false;
    atomic_store_explicit(&r->slot[t % EB_RUN_RING_SIZE], item, memory_order_relaxed);
    atomic_store_explicit(&r->tail, t + 1, memory_order_release);
    return true;
}

/* Owner (or anyone): the oldest item, or NULL when empty. */
static inline void *eb_run_ring_pop(eb_run_ring *r)
{
    uint32_t h = atomic_load_explicit(&r->head, memory_order_acquire);
    for (;;) {
        uint32_t t = atomic_load_explicit(&r->tail, memory_order_acquire);
        if (t == h) return NULL;
        void *item = atomic_load_explicit(&r->slot[h % EB_RUN_RING_SIZE], memory_order_relaxed);
        if (atomic_compare_exchange_weak_explicit(&r->head, &h, h + 1, memory_order_acq_rel,
                                                  memory_order_acquire))
            return item;
    }
}

/* A thief: moves half (rounded up) of `victim`'s items into `into`, whose
 * owner must be the caller and which must have room for them (an empty ring
 * has room for any steal). Returns how many moved. */
static inline uint32_t eb_run_ring_steal(eb_run_ring *victim, eb_run_ring *into)
{
    uint32_t t_into = atomic_load_explicit(&into->tail, memory_order_relaxed);
    uint32_t room = eb_run_ring_room(into);
    for (;;) {
        uint32_t h = atomic_load_explicit(&victim->head, memory_order_acquire);
        uint32_t t = atomic_load_explicit(&victim->tail, memory_order_acquire);
        uint32_t n = t - h;
        if (n == 0) return 0;
        if (n > EB_RUN_RING_SIZE) continue; /* head and tail read at different moments */
        n -= n / 2;
        if (n > room) n = room;
        if (n == 0) return 0;
        for (uint32_t i = 0; i < n; i++) {
            void *item = atomic_load_explicit(&victim->slot[(h + i) % EB_RUN_RING_SIZE],
                                              memory_order_relaxed);
            atomic_store_explicit(&into->slot[(t_into + i) % EB_RUN_RING_SIZE], item,
                                  memory_order_relaxed);
        }
        if (atomic_compare_exchange_strong_explicit(&victim->head, &h, h + n, memory_order_acq_rel,
                                                    memory_order_acquire)) {
            atomic_store_explicit(&into->tail, t_into + n, memory_order_release);
            return n;
        }
    }
}

#endif
