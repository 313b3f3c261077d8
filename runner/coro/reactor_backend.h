/* reactor_backend.h — what reactor.c asks of a backend (epoll, io_uring).
 * Private to runner/coro. A backend arms one-shot readiness waits named by a
 * 64-bit key and waits for them with a precise bound; reactor.c owns the
 * deadlines and drops keys it no longer expects. */
#ifndef EB_REACTOR_BACKEND_H
#define EB_REACTOR_BACKEND_H

#include <stdint.h>

typedef struct eb_reactor_backend {
    /* 0 or -errno; *impl is the backend's state */
    int (*create)(uint32_t capacity, unsigned flags, void **impl);
    void (*destroy)(void *impl);
    /* one-shot wait for events (EB_WAIT_*) on fd: 0, 1 (always ready: nothing
     * armed), or -errno */
    int (*arm)(void *impl, int fd, unsigned events, uint64_t key);
    /* withdraws an armed wait whose deadline passed (its key may still come
     * back from wait: reactor.c ignores it) */
    void (*disarm)(void *impl, int fd, uint64_t key);
    /* up to max (key, result) of ready waits, blocking until one or until_ns
     * (INT64_MAX: no bound; passed: no blocking); count, or -errno */
    int (*wait)(void *impl, int64_t until_ns, uint64_t *keys, int *results, uint32_t max);
} eb_reactor_backend;

extern const eb_reactor_backend eb_reactor_epoll;
extern const eb_reactor_backend eb_reactor_io_uring;

#endif
