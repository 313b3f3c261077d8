/* reactor.c — the reactor's front end: one wait per fd, the fd waits'
 * deadlines, and the dispatch to a backend (reactor_epoll.c,
 * reactor_uring.c). See reactor.h. */
#include "reactor.h"

#include "reactor_backend.h"
#include "wait.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Ready waits taken from the backend per call. */
#define BATCH 256

/* The wait on one fd, indexed by fd. */
typedef struct fd_wait {
    void *token;
    uint32_t gen; /* names the armed wait: a key from an older wait is stale */
    bool armed;
    bool has_deadline;
} fd_wait;

/* A deadline heap entry; stale once its wait has finished (fd ready first). */
typedef struct deadline {
    int64_t ns;
    uint32_t fd;
    uint32_t gen;
} deadline;

struct eb_reactor {
    const eb_reactor_backend *backend;
    void *impl;
    fd_wait *fds;
    uint32_t fds_len;
    deadline *heap; /* binary min-heap by ns */
    uint32_t heap_len, heap_cap;
    uint32_t heap_stale; /* entries whose wait has finished */
    uint32_t waiting;
    uint32_t next_gen;
    uint64_t keys[BATCH];
    int results[BATCH];
};

static uint64_t key_of(int fd, uint32_t gen)
{
    return (uint64_t)gen << 32 | (uint32_t)fd;
}

/* ---- the deadline heap ------------------------------------------------------ */

static void heap_sift_up(deadline *h, uint32_t i)
{
    deadline d = h[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (h[parent].ns <= d.ns) break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = d;
}

static void heap_sift_down(deadline *h, uint32_t n, uint32_t i)
{
    deadline d = h[i];
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && h[child + 1].ns < h[child].ns) child++;
        if (d.ns <= h[child].ns) break;
        h[i] = h[child];
        i = child;
    }
    h[i] = d;
}

/* Room for one more entry: 0 or -ENOMEM. */
static int heap_reserve(eb_reactor *r)
{
    if (r->heap_len < r->heap_cap) return 0;
    uint32_t cap = r->heap_cap ? 2 * r->heap_cap : 64;
    deadline *h = realloc(r->heap, (size_t)cap * sizeof *h);
    if (h == NULL) return -ENOMEM;
    r->heap = h;
    r->heap_cap = cap;
    return 0;
}

static void heap_push(eb_reactor *r, deadline d)
{
    r->heap[r->heap_len] = d;
    heap_sift_up(r->heap, r->heap_len++);
}

static void heap_pop(eb_reactor *r)
{
    r->heap[0] = r->heap[--r->heap_len];
    if (r->heap_len > 0) heap_sift_down(r->heap, r->heap_len, 0);
}

static bool live(const eb_reactor *r, deadline d)
{
    return r->fds[d.fd].armed && r->fds[d.fd].gen == d.gen;
}

/* Drops the stale entries: when they outnumber the live ones, so the heap
 * stays within twice the waits plus a little, whatever the deadlines. */
static void heap_compact(eb_reactor *r)
{
    if (r->heap_stale <= 64 || r->heap_stale <= r->heap_len / 2) return;
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->heap_len; i++)
        if (live(r, r->heap[i])) r->heap[n++] = r->heap[i];
    r->heap_len = n;
    r->heap_stale = 0;
    for (uint32_t i = n / 2; i-- > 0;)
        heap_sift_down(r->heap, n, i);
}

/* ---- waits -------------------------------------------------------------------- */

static int grow_fds(eb_reactor *r, int fd)
{
    if ((uint32_t)fd < r->fds_len) return 0;
    uint32_t len = r->fds_len ? r->fds_len : 1024;
    while (len <= (uint32_t)fd)
        len *= 2;
    fd_wait *fds = realloc(r->fds, (size_t)len * sizeof *fds);
    if (fds == NULL) return -ENOMEM;
    memset(fds + r->fds_len, 0, (size_t)(len - r->fds_len) * sizeof *fds);
    r->fds = fds;
    r->fds_len = len;
    return 0;
}

int eb_reactor_add(eb_reactor *r, int fd, unsigned events, int64_t deadline_ns, void *token)
{
    if (fd < 0) return -EBADF;
    if ((events & (EB_WAIT_READABLE | EB_WAIT_WRITABLE)) == 0) return -EINVAL;
    int rc = grow_fds(r, fd);
    if (rc != 0) return rc;
    fd_wait *w = &r->fds[fd];
    if (w->armed) return -EBUSY;
    bool has_deadline = deadline_ns != EB_WAIT_FOREVER;
    if (has_deadline && deadline_ns <= eb_now_ns()) {
        /* nothing to wait for: one look, as the blocking default does */
        rc = eb_wait_fd_blocking(fd, events, deadline_ns);
        return rc == 0 ? 1 : rc;
    }
    if (has_deadline && (rc = heap_reserve(r)) != 0) return rc; /* before arming */
    uint32_t gen = ++r->next_gen;
    if (gen == 0) gen = ++r->next_gen;
    rc = r->backend->arm(r->impl, fd, events, key_of(fd, gen));
    if (rc != 0) return rc; /* 1: always ready; or an error */
    *w = (fd_wait){.token = token, .gen = gen, .armed = true, .has_deadline = has_deadline};
    if (has_deadline) heap_push(r, (deadline){deadline_ns, (uint32_t)fd, gen});
    r->waiting++;
    return 0;
}

uint32_t eb_reactor_waiting(const eb_reactor *r)
{
    return r->waiting;
}

/* Hands back the waits whose deadline is <= now, earliest first. */
static uint32_t expire(eb_reactor *r, int64_t now, eb_reactor_event *out, uint32_t n, uint32_t max)
{
    while (n < max && r->heap_len > 0) {
        deadline d = r->heap[0];
        if (!live(r, d)) {
            heap_pop(r);
            r->heap_stale--;
            continue;
        }
        if (d.ns > now) break;
        heap_pop(r);
        fd_wait *w = &r->fds[d.fd];
        r->backend->disarm(r->impl, (int)d.fd, key_of((int)d.fd, d.gen));
        w->armed = false;
        r->waiting--;
        out[n++] = (eb_reactor_event){w->token, -ETIMEDOUT};
    }
    return n;
}

int eb_reactor_poll(eb_reactor *r, int64_t until_ns, eb_reactor_event *out, uint32_t max)
{
    if (max > BATCH) max = BATCH;
    if (max == 0) return 0;
    uint32_t n = 0;
    /* until something finishes or the bound passes: a wake-up by stale
     * completions (io_uring's withdrawn polls) or a signal waits on */
    for (;;) {
        n = expire(r, eb_now_ns(), out, 0, max);
        /* the bound: the caller's, the earliest fd deadline (expire left the
         * top live), or no blocking at all when something already finished */
        int64_t bound = until_ns;
        if (n > 0)
            bound = INT64_MIN;
        else if (r->heap_len > 0 && r->heap[0].ns < bound)
            bound = r->heap[0].ns;
        int got = n < max ? r->backend->wait(r->impl, bound, r->keys, r->results, max - n) : 0;
        if (got < 0) {
            if (n > 0) break;
            return got;
        }
        for (int i = 0; i < got; i++) {
            uint32_t fd = (uint32_t)r->keys[i];
            uint32_t gen = (uint32_t)(r->keys[i] >> 32);
            if (fd >= r->fds_len) continue;
            fd_wait *w = &r->fds[fd];
            if (!w->armed || w->gen != gen) continue; /* withdrawn after its deadline */
            w->armed = false;
            r->waiting--;
            if (w->has_deadline) r->heap_stale++;
            out[n++] = (eb_reactor_event){w->token, r->results[i]};
        }
        if (n == 0) n = expire(r, eb_now_ns(), out, 0, max); /* woken by an fd deadline */
        if (n > 0 || until_ns == INT64_MIN || eb_now_ns() >= until_ns) break;
    }
    heap_compact(r);
    return (int)n;
}

/* ---- life cycle ------------------------------------------------------------- */

int eb_reactor_create(const eb_reactor_config *config, eb_reactor **out)
{
    *out = NULL;
    const eb_reactor_backend *backend;
    switch (config->kind) {
    case EB_REACTOR_EPOLL:
        backend = &eb_reactor_epoll;
        break;
    case EB_REACTOR_IO_URING:
        backend = &eb_reactor_io_uring;
        break;
    default:
        return -EINVAL;
    }
    if (config->capacity == 0) return -EINVAL;
    eb_reactor *r = calloc(1, sizeof *r);
    if (r == NULL) return -ENOMEM;
    r->backend = backend;
    int rc = backend->create(config->capacity, config->flags, &r->impl);
    if (rc != 0) {
        free(r);
        return rc;
    }
    *out = r;
    return 0;
}

void eb_reactor_destroy(eb_reactor *r)
{
    if (r == NULL) return;
    r->backend->destroy(r->impl);
    free(r->fds);
    free(r->heap);
    free(r);
}

static const char *const kind_names[] = {
    [EB_REACTOR_EPOLL] = "epoll", [EB_REACTOR_IO_URING] = "io_uring"};

const char *eb_reactor_kind_name(eb_reactor_kind kind)
{
    return (unsigned)kind < sizeof kind_names / sizeof *kind_names ? kind_names[kind] : "?";
}

int eb_reactor_kind_parse(const char *text, eb_reactor_kind *out)
{
    for (unsigned k = 0; k < sizeof kind_names / sizeof *kind_names; k++)
        if (strcmp(text, kind_names[k]) == 0) {
            *out = (eb_reactor_kind)k;
            return 0;
        }
    return -EINVAL;
}
