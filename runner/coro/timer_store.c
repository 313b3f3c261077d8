/* timer_store.c — see timer_store.h. */
#include "timer_store.h"

#include "stack_pool.h" /* EB_STACK_POOL_KEPT: one kept store per scheduler, as pools */

#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>

static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static eb_timer_store kept[EB_STACK_POOL_KEPT]; /* oldest first */
static unsigned kept_count;

static void drop_at(unsigned i)
{
    for (unsigned j = i; j + 1 < kept_count; j++)
        kept[j] = kept[j + 1];
    kept[--kept_count] = (eb_timer_store){0};
}

int eb_timer_store_take(eb_timer_store *ts, uint64_t capacity, size_t entry_bytes)
{
    *ts = (eb_timer_store){0};
    if (capacity == 0 || entry_bytes == 0 || capacity > SIZE_MAX / 4 / entry_bytes) return -EINVAL;
    pthread_mutex_lock(&kept_lock);
    unsigned best = kept_count;
    for (unsigned i = 0; i < kept_count; i++)
        if (kept[i].entry_bytes == entry_bytes && kept[i].capacity >= capacity &&
            (best == kept_count || kept[i].capacity < kept[best].capacity))
            best = i;
    eb_timer_store smaller[EB_STACK_POOL_KEPT];
    unsigned dropped = 0;
    if (best < kept_count) {
        *ts = kept[best];
        drop_at(best);
    } else {
        /* a miss: kept arrays of these entries are too small, and these will
         * supersede them (their resident pages go now, not at exit) */
        for (unsigned i = 0; i < kept_count;)
            if (kept[i].entry_bytes == entry_bytes) {
                smaller[dropped++] = kept[i];
                drop_at(i);
            } else {
                i++;
            }
    }
    pthread_mutex_unlock(&kept_lock);
    for (unsigned i = 0; i < dropped; i++)
        munmap(smaller[i].map, smaller[i].map_bytes);
    if (ts->map != NULL) {
        ts->reused = ts->heap_touched + ts->ring_touched;
        return 0;
    }
    size_t bytes = 2 * (size_t)capacity * entry_bytes;
    void *map = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map == MAP_FAILED) return -errno;
    (void)madvise(map, bytes, MADV_NOHUGEPAGE);
    *ts = (eb_timer_store){
        .heap = map,
        .ring = (char *)map + (size_t)capacity * entry_bytes,
        .capacity = capacity,
        .entry_bytes = entry_bytes,
        .map = map,
        .map_bytes = bytes,
    };
    return 0;
}

void eb_timer_store_give(eb_timer_store *ts)
{
    if (ts->map == NULL) return;
    eb_timer_store oldest = {0};
    pthread_mutex_lock(&kept_lock);
    if (kept_count == EB_STACK_POOL_KEPT) {
        oldest = kept[0];
        drop_at(0);
    }
    kept[kept_count++] = *ts;
    pthread_mutex_unlock(&kept_lock);
    if (oldest.map != NULL) munmap(oldest.map, oldest.map_bytes);
    *ts = (eb_timer_store){0};
}

void eb_timer_store_cache_clear(void)
{
    eb_timer_store all[EB_STACK_POOL_KEPT];
    pthread_mutex_lock(&kept_lock);
    unsigned n = kept_count;
    for (unsigned i = 0; i < n; i++)
        all[i] = kept[i];
    kept_count = 0;
    pthread_mutex_unlock(&kept_lock);
    for (unsigned i = 0; i < n; i++)
        munmap(all[i].map, all[i].map_bytes);
}
