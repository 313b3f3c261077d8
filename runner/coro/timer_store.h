/* timer_store.h — the scheduler's timer arrays: its heap and its ring, an
 * entry per coroutine it may hold each, in one mapping kept between
 * schedulers as the stack pool keeps its pools (stack_pool.c).
 *
 * Why kept: every run of a job makes a scheduler, and arrays made afresh
 * were faulted in again by every run (10,000,000 coroutines: a 240 MB ring,
 * 58,600 page faults per run, ~2 us each on this VM). A scheduler that takes
 * kept arrays finds the entries an earlier one touched resident, and says
 * how many (`reused`: 0 for fresh arrays, a cold start), for the document.
 * Never transparent huge pages (stack_pool.h: they cost far more cold than
 * they save warm). */
#ifndef EB_TIMER_STORE_H
#define EB_TIMER_STORE_H

#include <stddef.h>
#include <stdint.h>

typedef struct eb_timer_store {
    void *heap, *ring; /* [capacity] entries of entry_bytes each */
    uint64_t capacity; /* entries of each (more than asked when kept ones fit) */
    size_t entry_bytes;
    uint64_t reused; /* entries of both found resident, touched by an earlier user */
    /* how far the user touched each array (entries): kept with the arrays */
    uint64_t heap_touched, ring_touched;
    void *map;
    size_t map_bytes;
} eb_timer_store;

/* Arrays for `capacity` entries of `entry_bytes`: kept ones that fit (the
 * smallest), else a new NORESERVE mapping. 0, -EINVAL, -ENOMEM. */
int eb_timer_store_take(eb_timer_store *ts, uint64_t capacity, size_t entry_bytes);

/* Gives the arrays back, kept for the next take (up to EB_STACK_POOL_KEPT of
 * them; the oldest is unmapped beyond). Safe on a zeroed store. */
void eb_timer_store_give(eb_timer_store *ts);

/* Unmaps the kept arrays. */
void eb_timer_store_cache_clear(void);

#endif
