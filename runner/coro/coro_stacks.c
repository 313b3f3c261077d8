/* coro_stacks.c — see coro_stacks.h. */
#include "coro_stacks.h"

#include "timer_store.h"

#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

/* Control blocks populated per MADV_POPULATE_WRITE: 256 KiB at a time, as
 * the stack pool's slots (stack_pool.c). */
#define POPULATE_BYTES ((size_t)256 << 10)

/* Destroyed COPY homes are kept, as the stack pool keeps its pools
 * (stack_pool.c): a repeated job finds its control blocks, run stack and
 * buffer arena resident (the document says so: usage.reused_slots). */
typedef struct kept_home {
    eb_coro *records;
    size_t records_bytes;
    uint32_t capacity, populated;
    eb_coro_run_stack *run;
    size_t run_request;
} kept_home;

static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static kept_home kept[EB_STACK_POOL_KEPT]; /* oldest first */
static unsigned kept_count;

static void unmap_home(kept_home *h)
{
    eb_coro_run_stack_destroy(h->run);
    if (h->records != NULL) munmap(h->records, h->records_bytes);
}

/* The smallest kept home that fits, or false (kept ones too small for this
 * run stack are dropped: this one will supersede them). */
static bool reuse_home(eb_coro_stacks *cs, uint64_t max_coros, size_t run_request)
{
    kept_home found = {0}, drop[EB_STACK_POOL_KEPT];
    unsigned dropped = 0, best = EB_STACK_POOL_KEPT;
    pthread_mutex_lock(&kept_lock);
    for (unsigned i = 0; i < kept_count; i++)
        if (kept[i].run_request == run_request && kept[i].capacity >= max_coros &&
            (best == EB_STACK_POOL_KEPT || kept[i].capacity < kept[best].capacity))
            best = i;
    for (unsigned i = 0; i < kept_count;) {
        bool take = i == best,
             superseded = best == EB_STACK_POOL_KEPT && kept[i].run_request == run_request;
        if (!take && !superseded) {
            i++;
            continue;
        }
        if (take)
            found = kept[i];
        else
            drop[dropped++] = kept[i];
        for (unsigned j = i; j + 1 < kept_count; j++)
            kept[j] = kept[j + 1];
        kept_count--;
        if (take) best = EB_STACK_POOL_KEPT + 1; /* taken: drop nothing else */
    }
    pthread_mutex_unlock(&kept_lock);
    for (unsigned i = 0; i < dropped; i++)
        unmap_home(&drop[i]);
    if (found.run == NULL) return false;
    eb_coro_run_stack_reset(found.run);
    cs->records = found.records;
    cs->records_bytes = found.records_bytes;
    cs->capacity = found.capacity;
    cs->populated = cs->reused_records = found.populated;
    cs->run = found.run;
    cs->run_request = run_request;
    return true;
}

void eb_coro_stacks_cache_clear(void)
{
    eb_stack_pool_cache_clear();
    eb_timer_store_cache_clear();
    pthread_mutex_lock(&kept_lock);
    kept_home all[EB_STACK_POOL_KEPT];
    unsigned n = kept_count;
    for (unsigned i = 0; i < n; i++)
        all[i] = kept[i];
    kept_count = 0;
    pthread_mutex_unlock(&kept_lock);
    for (unsigned i = 0; i < n; i++)
        unmap_home(&all[i]);
}

eb_coro_stack_mode eb_coro_stacks_auto_mode(uint64_t max_coros)
{
    return eb_stack_pool_guards_fit(max_coros) ? EB_CORO_STACK_SEPARATE : EB_CORO_STACK_COPY;
}

int eb_coro_stacks_init(eb_coro_stacks *cs, const eb_coro_stacks_config *config)
{
    size_t record = config->record_bytes > sizeof(eb_coro) ? config->record_bytes : sizeof(eb_coro);
    *cs = (eb_coro_stacks){.mode = config->mode, .record_bytes = record};
    if (config->max_coros == 0 || config->max_coros > UINT32_MAX) return -EINVAL;
    switch (config->mode) {
    case EB_CORO_STACK_SEPARATE:
        return eb_stack_pool_init(&cs->pool, config->max_coros, config->stack_bytes, config->guard);
    case EB_CORO_STACK_COPY: {
        if (record > sizeof(eb_coro)) return -EINVAL;
        if (reuse_home(cs, config->max_coros, config->run_stack_bytes)) return 0;
        size_t bytes = (size_t)config->max_coros * sizeof(eb_coro);
        void *map = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (map == MAP_FAILED) return -errno;
        (void)madvise(map, bytes, MADV_NOHUGEPAGE); /* stack_pool.h: cold huge pages */
        int rc = eb_coro_run_stack_create(config->run_stack_bytes, &cs->run);
        if (rc != 0) {
            munmap(map, bytes);
            return rc;
        }
        cs->records = map;
        cs->records_bytes = bytes;
        cs->capacity = (uint32_t)config->max_coros;
        cs->run_request = config->run_stack_bytes;
        return 0;
    }
    }
    return -EINVAL;
}

void eb_coro_stacks_destroy(eb_coro_stacks *cs)
{
    if (cs->mode == EB_CORO_STACK_SEPARATE) {
        eb_stack_pool_destroy(&cs->pool);
    } else if (cs->run != NULL) {
        kept_home h = {.records = cs->records,
                       .records_bytes = cs->records_bytes,
                       .capacity = cs->capacity,
                       .populated = cs->populated,
                       .run = cs->run,
                       .run_request = cs->run_request},
                  oldest = {0};
        pthread_mutex_lock(&kept_lock);
        if (kept_count == EB_STACK_POOL_KEPT) {
            oldest = kept[0];
            for (unsigned i = 0; i + 1 < kept_count; i++)
                kept[i] = kept[i + 1];
            kept_count--;
        }
        kept[kept_count++] = h;
        pthread_mutex_unlock(&kept_lock);
        if (oldest.run != NULL) unmap_home(&oldest);
    }
    *cs = (eb_coro_stacks){0};
}

/* The control block of a new COPY coroutine: used once before any is reused
 * (as the stack pool's slots), freed ones last-in first-out. */
static eb_coro *take_record(eb_coro_stacks *cs)
{
    uint32_t index;
    if (cs->used < cs->capacity) {
        index = cs->used++;
        if (index >= cs->populated) {
            /* whole pages from the one holding this record, POPULATE_BYTES of them */
            size_t page = (size_t)sysconf(_SC_PAGESIZE);
            uintptr_t from = (uintptr_t)&cs->records[index] & ~(uintptr_t)(page - 1);
            uintptr_t end = (uintptr_t)cs->records + cs->records_bytes;
            size_t bytes = end - from < POPULATE_BYTES ? end - from : POPULATE_BYTES;
            if (madvise((void *)from, bytes, MADV_POPULATE_WRITE) == 0)
                cs->populated =
                    (uint32_t)(((from + bytes) - (uintptr_t)cs->records) / sizeof(eb_coro));
            else
                cs->populated = cs->capacity; /* left to page faults */
        }
    } else if (cs->free_head != 0) {
        index = cs->free_head - 1;
        cs->free_head = cs->records[index].slot; /* the free list's link while free */
    } else {
        return NULL;
    }
    cs->in_use++;
    cs->records[index].slot = index;
    return &cs->records[index];
}

int eb_coro_stacks_new(eb_coro_stacks *cs, eb_coro_backend backend, eb_coro_fn fn, void *ctx,
                       uint64_t arg, eb_coro **out)
{
    *out = NULL;
    if (cs->mode == EB_CORO_STACK_COPY) {
        eb_coro *co = take_record(cs);
        if (co == NULL) return -EAGAIN;
        uint32_t slot = co->slot;
        int rc = eb_coro_init_copy(co, backend, cs->run, fn, ctx, arg);
        co->slot = slot;
        if (rc != 0) {
            eb_coro_stacks_give(cs, co);
            return rc;
        }
        *out = co;
        return 0;
    }
    eb_stack stack;
    int rc = eb_stack_pool_take(&cs->pool, &stack);
    if (rc != 0) return rc;
    /* its control block sits at the top of its own stack: no other memory */
    char *top = (char *)stack.lo + stack.bytes;
    eb_coro *co = (eb_coro *)(((uintptr_t)top - cs->record_bytes) & ~(uintptr_t)63);
    rc = eb_coro_init(co, backend, stack.lo, (size_t)((char *)co - (char *)stack.lo), fn, ctx, arg);
    if (rc != 0) {
        eb_stack_pool_give(&cs->pool, stack.index);
        return rc;
    }
    co->slot = stack.index;
    *out = co;
    return 0;
}

int eb_coro_stacks_give(eb_coro_stacks *cs, eb_coro *co)
{
    if (cs->mode == EB_CORO_STACK_SEPARATE) return eb_stack_pool_give(&cs->pool, co->slot);
    uint32_t index = co->slot;
    cs->records[index].slot = cs->free_head;
    cs->free_head = index + 1;
    cs->in_use--;
    return 0;
}

void eb_coro_stacks_usage_get(const eb_coro_stacks *cs, eb_coro_stacks_usage *out)
{
    *out = (eb_coro_stacks_usage){0};
    if (cs->mode == EB_CORO_STACK_SEPARATE) {
        out->stack_bytes = cs->pool.stack_bytes;
        out->reused_slots = cs->pool.reused ? cs->pool.kept_carved : 0;
        return;
    }
    eb_coro_run_stack_stats(cs->run, &out->copy);
    out->stack_bytes = eb_coro_run_stack_bytes(cs->run);
    out->reused_slots = cs->reused_records;
    out->control_bytes = (uint64_t)cs->used * sizeof(eb_coro);
    out->buffer_bytes = out->copy.buffer_bytes;
    out->arena_bytes = out->copy.arena_bytes;
}
