/* sched_timers.c — a scheduler's parked coroutines in deadline order: a
 * 4-ary min-heap, and a ring for those parked in deadline order (see
 * sched_internal.h). */
#include "sched_internal.h"

#include <errno.h>

int eb_sched_timers_take(eb_sched *s, uint64_t capacity)
{
    if (s->heap_len > 0 || s->ring_len > 0) return -EBUSY; /* only while none is parked */
    eb_timer_store_give(&s->timers);
    s->heap = s->ring = NULL;
    int rc = eb_timer_store_take(&s->timers, capacity, sizeof(timer));
    if (rc != 0) return rc;
    s->heap = s->timers.heap;
    s->ring = s->timers.ring;
    s->timer_cap = (size_t)capacity;
    s->ring_head = 0;
    s->stats.timers_reused = s->timers.reused;
    return 0;
}

/* ---- the timer heap ---------------------------------------------------- */

/* Four children per node (as Go's timers): half the levels of a binary heap,
 * and a node's children share a cache line or two. */
#define ARITY 4

static bool earlier(const timer *a, const timer *b)
{
    return a->deadline_ns < b->deadline_ns || (a->deadline_ns == b->deadline_ns && a->seq < b->seq);
}

static void heap_push(eb_sched *s, timer t)
{
    size_t i = s->heap_len++;
    if (s->heap_len > s->timers.heap_touched) s->timers.heap_touched = s->heap_len;
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!earlier(&t, &s->heap[parent])) break;
        s->heap[i] = s->heap[parent];
        i = parent;
    }
    s->heap[i] = t;
}

static eb_coro *heap_pop(eb_sched *s)
{
    eb_coro *top = s->heap[0].co;
    timer last = s->heap[--s->heap_len];
    size_t i = 0, n = s->heap_len;
    for (;;) {
        size_t first = ARITY * i + 1, best = first;
        if (first >= n) break;
        for (size_t c = first + 1; c < first + ARITY && c < n; c++)
            if (earlier(&s->heap[c], &s->heap[best])) best = c;
        if (!earlier(&s->heap[best], &last)) break;
        s->heap[i] = s->heap[best];
        i = best;
    }
    if (n > 0) s->heap[i] = last;
    return top;
}

/* ---- timers: the heap, and a ring for those parked in deadline order ---- */

/* When every task waits as long (io.sleep at scale), each timer parked has
 * the latest deadline yet: such a timer goes to the end of a ring, in order
 * by construction, pushed and popped in O(1) and in sequence; only the
 * others go to the heap. With 10,000,000 parked, the heap's pop (12 levels
 * of a 240 MB array) made the wake-ups fall behind their deadlines. The
 * earliest timer is the earlier of the ring's head and the heap's top. */
/* Ring position head + i (i <= capacity): a compare, not a 64-bit division
 * (tens of cycles, three per parked coroutine). */
static size_t ring_wrap(const eb_sched *s, size_t i)
{
    return i >= s->timer_cap ? i - s->timer_cap : i;
}

void eb_sched_timer_push(eb_sched *s, timer t)
{
    if (s->ring_len == 0 || !earlier(&t, &s->ring[ring_wrap(s, s->ring_head + s->ring_len - 1)])) {
        size_t at = ring_wrap(s, s->ring_head + s->ring_len++);
        s->ring[at] = t;
        if (at >= s->timers.ring_touched) s->timers.ring_touched = at + 1;
        return;
    }
    heap_push(s, t);
}

const timer *eb_sched_timer_first(const eb_sched *s)
{
    if (s->ring_len == 0) return s->heap_len > 0 ? &s->heap[0] : NULL;
    const timer *r = &s->ring[s->ring_head];
    return s->heap_len > 0 && earlier(&s->heap[0], r) ? &s->heap[0] : r;
}

eb_coro *eb_sched_timer_pop(eb_sched *s)
{
    if (s->ring_len == 0 || (s->heap_len > 0 && earlier(&s->heap[0], &s->ring[s->ring_head])))
        return heap_pop(s);
    eb_coro *co = s->ring[s->ring_head].co;
    s->ring_head = ring_wrap(s, s->ring_head + 1);
    s->ring_len--;
    return co;
}

/* A coroutine parked long ago is out of the cache: one at a time, each cost
 * a few misses in a row, and 100,000 wake-ups could not keep up with their
 * deadlines. */
size_t eb_sched_pop_due(eb_sched *s, int64_t now, uint64_t round)
{
    size_t n = 0;
    const timer *t;
    while (n < WAKE_BATCH && (t = eb_sched_timer_first(s)) != NULL && t->deadline_ns <= now &&
           t->seq < round) {
        s->due[n] = eb_sched_timer_pop(s);
        __builtin_prefetch(s->due[n++]);
    }
    for (size_t i = 0; i < n; i++)
        eb_coro_stacks_prefetch(&s->stacks, s->due[i]);
    return n;
}

void eb_sched_warm_due(const eb_sched *s, int64_t until)
{
    size_t n = s->ring_len < WARM_MAX ? s->ring_len : WARM_MAX;
    for (size_t i = 0; i < n; i++) {
        const timer *t = &s->ring[ring_wrap(s, s->ring_head + i)];
        if (t->deadline_ns > until) break;
        eb_coro_stacks_prefetch(&s->stacks, t->co); /* reads the control block */
    }
    if (s->heap_len > 0) eb_coro_stacks_prefetch(&s->stacks, s->heap[0].co);
}
