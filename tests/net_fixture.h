/* net_fixture.h — what the net tests share: a server started or the test
 * stops, and a raw blocking HTTP exchange independent of net/client.c. */
#ifndef EB_NET_FIXTURE_H
#define EB_NET_FIXTURE_H

#include "reactor.h"
#include "server.h"

#include <stddef.h>
#include <stdint.h>

/* Skips the test (exit 77, with the reason) where the kernel lacks or
 * forbids the reactor `kind` (io_uring); fails it if epoll cannot be made. */
void net_skip_without(eb_reactor_kind kind);

/* Starts a server with `config`, failing the test if it cannot. */
eb_net_server *net_start(const eb_net_server_config *config);

/* Sends `request` on a fresh blocking connection and reads until the server
 * closes it or `cap` bytes (10 s at most): the bytes read, or -errno. */
long raw_exchange(uint16_t port, const char *request, char *buf, size_t cap);

/* The status of a raw response ("HTTP/1.1 200 ..."), or -1. */
int raw_status(const char *response);

/* The body after the blank line, and its length, or NULL. */
const char *raw_body(const char *response, size_t len, size_t *body_len);

/* The value of a header, copied into out, or NULL. */
const char *raw_header(const char *response, const char *name, char *out, size_t cap);

#endif
