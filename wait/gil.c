/* gil.c — the GIL emulation (see gil.h). The algorithm follows CPython 3's
 * Python/ceval_gil.c: take_gil's timed wait and drop request, drop_gil's
 * forced switch, the eval breaker's drop-and-take. */
#include "gil.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct eb_gil {
    pthread_mutex_t mutex; /* guards locked and switch_number */
    pthread_cond_t cond;   /* signalled when the lock is dropped */
    bool locked;
    uint64_t switch_number; /* switches so far: a waiter asks only if none happened */
    /* Forced switching: the dropping thread waits on switch_cond until
     * last_holder names another thread. last_holder changes under
     * switch_mutex (and mutex); the dropper writes its own name without it. */
    pthread_mutex_t switch_mutex;
    pthread_cond_t switch_cond;
    _Atomic(const eb_gil_thread *) last_holder;
    int64_t interval_ns;
    bool force_switch;
    /* The eval breaker: set by a waiter, read by the holder at check points.
     * On a line of its own: every check point of the holder reads it. */
    _Alignas(64) _Atomic unsigned drop_request;
    _Alignas(64) _Atomic uint64_t drop_requests, handoffs, forced_waits, contended;
    _Atomic int64_t wait_ns;
};

int eb_gil_create(const eb_gil_config *config, eb_gil **out)
{
    *out = NULL;
    int64_t interval_us = config != NULL ? config->interval_us : 0;
    if (interval_us < 0) return -EINVAL;
    if (interval_us == 0) interval_us = EB_GIL_DEFAULT_INTERVAL_US;
    eb_gil *g = calloc(1, sizeof *g);
    if (g == NULL) return -ENOMEM;
    g->interval_ns = interval_us * 1000;
    g->force_switch = config == NULL || !config->no_force_switch;
    pthread_condattr_t attr;
    int rc = pthread_condattr_init(&attr);
    if (rc == 0) rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* as eb_now_ns */
    if (rc == 0) rc = pthread_cond_init(&g->cond, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0) {
        free(g);
        return -rc;
    }
    pthread_mutex_init(&g->mutex, NULL);
    pthread_mutex_init(&g->switch_mutex, NULL);
    pthread_cond_init(&g->switch_cond, NULL);
    *out = g;
    return 0;
}

void eb_gil_destroy(eb_gil *g)
{
    if (g == NULL) return;
    pthread_cond_destroy(&g->cond);
    pthread_mutex_destroy(&g->mutex);
    pthread_cond_destroy(&g->switch_cond);
    pthread_mutex_destroy(&g->switch_mutex);
    free(g);
}

int64_t eb_gil_interval_us(const eb_gil *g)
{
    return g->interval_ns / 1000;
}

void eb_gil_take(eb_gil_thread *self)
{
    eb_gil *g = self->gil;
    /* The wait counts from the first sign of contention: the mutex held by
     * another thread (a short hold, but its holder may be preempted, and a
     * futex wake-up across this VM's vCPUs takes ~47 us) or the lock held. */
    int64_t start = 0;
    if (pthread_mutex_trylock(&g->mutex) != 0) {
        start = eb_now_ns();
        pthread_mutex_lock(&g->mutex);
    }
    if (g->locked) {
        if (start == 0) start = eb_now_ns();
        atomic_fetch_add_explicit(&g->contended, 1, memory_order_relaxed);
        while (g->locked) {
            uint64_t saved_switch = g->switch_number;
            int64_t until = eb_now_ns() + g->interval_ns;
            struct timespec t = {(time_t)(until / 1000000000), (long)(until % 1000000000)};
            int rc = pthread_cond_timedwait(&g->cond, &g->mutex, &t);
            /* The interval passed and nobody switched meanwhile: ask the
             * holder to drop it at its next check point. */
            if (rc == ETIMEDOUT && g->locked && g->switch_number == saved_switch) {
                atomic_store_explicit(&g->drop_request, 1, memory_order_relaxed);
                atomic_fetch_add_explicit(&g->drop_requests, 1, memory_order_relaxed);
            }
        }
    }
    if (start != 0) {
        int64_t waited = eb_now_ns() - start;
        self->wait_ns += waited;
        atomic_fetch_add_explicit(&g->wait_ns, waited, memory_order_relaxed);
    }
    /* last_holder changes under switch_mutex, so a forced-switch wait in
     * eb_gil_drop cannot miss the change. */
    if (g->force_switch) pthread_mutex_lock(&g->switch_mutex);
    g->locked = true;
    if (atomic_load_explicit(&g->last_holder, memory_order_relaxed) != self) {
        atomic_store_explicit(&g->last_holder, self, memory_order_relaxed);
        g->switch_number++;
    }
    if (g->force_switch) {
        pthread_cond_signal(&g->switch_cond);
        pthread_mutex_unlock(&g->switch_mutex);
    }
    /* Whoever asked, the lock changed hands (or was free): the request is met. */
    atomic_store_explicit(&g->drop_request, 0, memory_order_relaxed);
    self->holding = true;
    pthread_mutex_unlock(&g->mutex);
}

/* Drops the lock; `forced_wait`: a live thread's drop, which waits for
 * another taker when a drop request is pending (FORCE_SWITCHING). */
static void drop(eb_gil_thread *self, bool forced_wait)
{
    eb_gil *g = self->gil;
    atomic_store_explicit(&g->last_holder, self, memory_order_relaxed);
    pthread_mutex_lock(&g->mutex);
    g->locked = false;
    self->holding = false;
    pthread_cond_signal(&g->cond);
    pthread_mutex_unlock(&g->mutex);
    if (!forced_wait || !g->force_switch ||
        atomic_load_explicit(&g->drop_request, memory_order_relaxed) == 0)
        return;
    pthread_mutex_lock(&g->switch_mutex);
    if (atomic_load_explicit(&g->last_holder, memory_order_relaxed) == self) {
        atomic_store_explicit(&g->drop_request, 0, memory_order_relaxed);
        atomic_fetch_add_explicit(&g->forced_waits, 1, memory_order_relaxed);
        /* CPython waits once; the loop only absorbs spurious wake-ups. The
         * requester is still in eb_gil_take, so a taker comes. */
        while (atomic_load_explicit(&g->last_holder, memory_order_relaxed) == self)
            pthread_cond_wait(&g->switch_cond, &g->switch_mutex);
    }
    pthread_mutex_unlock(&g->switch_mutex);
}

void eb_gil_drop(eb_gil_thread *self)
{
    drop(self, true);
}

/* The check point's slow path: CPython's eval breaker on a drop request. */
static void give_way(void *ctx)
{
    eb_gil_thread *self = ctx;
    if (!self->holding) return;
    eb_gil *g = self->gil;
    self->handoffs++;
    atomic_fetch_add_explicit(&g->handoffs, 1, memory_order_relaxed);
    drop(self, true);
    eb_gil_take(self);
}

static void release(void *ctx)
{
    eb_gil_thread *self = ctx;
    if (self->holding) drop(self, true);
}

static void reacquire(void *ctx)
{
    eb_gil_thread *self = ctx;
    if (!self->holding) eb_gil_take(self);
}

void eb_gil_attach(eb_gil *g, eb_gil_thread *self)
{
    *self = (eb_gil_thread){.gil = g};
    self->hook = (eb_check_hook){.request = &g->drop_request,
                                 .give_way = give_way,
                                 .release = release,
                                 .reacquire = reacquire,
                                 .ctx = self};
    eb_gil_take(self);
    self->previous_hook = eb_check_set_hook(&self->hook);
}

void eb_gil_detach(eb_gil_thread *self)
{
    eb_check_set_hook(self->previous_hook);
    if (self->holding) drop(self, false);
}

void eb_gil_get_stats(const eb_gil *g, eb_gil_stats *out)
{
    eb_gil *m = (eb_gil *)g; /* the mutex guards switch_number */
    pthread_mutex_lock(&m->mutex);
    out->switches = m->switch_number;
    pthread_mutex_unlock(&m->mutex);
    out->drop_requests = atomic_load(&m->drop_requests);
    out->handoffs = atomic_load(&m->handoffs);
    out->forced_waits = atomic_load(&m->forced_waits);
    out->contended = atomic_load(&m->contended);
    out->wait_ns = atomic_load(&m->wait_ns);
}

eb_gil_stats eb_gil_stats_since(const eb_gil_stats *before, const eb_gil_stats *now)
{
    return (eb_gil_stats){.switches = now->switches - before->switches,
                          .drop_requests = now->drop_requests - before->drop_requests,
                          .handoffs = now->handoffs - before->handoffs,
                          .forced_waits = now->forced_waits - before->forced_waits,
                          .contended = now->contended - before->contended,
                          .wait_ns = now->wait_ns - before->wait_ns};
}
