/* body.h — what the server sends for task i, and how both sides check it.
 *
 * One definition shared by the server (net/server.c), the client and any
 * verifier, so they cannot drift apart: task i's body is body_bytes bytes of
 * a counter-based stream keyed by (seed, i) (any offset can be produced on
 * its own, so the server writes straight into its output buffer and a
 * verifier never needs the bytes in one piece); its checksum is a 64-bit hash
 * of those bytes that can be fed in chunks of any size; its delay is
 * latency_us with a seeded jitter that depends only on (seed, i). */
#ifndef EB_NET_BODY_H
#define EB_NET_BODY_H

#include <stddef.h>
#include <stdint.h>

/* Writes bytes [offset, offset + len) of task i's body into out. */
void eb_net_body_fill(uint64_t seed, uint64_t task, uint64_t offset, void *out, size_t len);

/* A streaming checksum: the same value whatever the chunking. */
typedef struct eb_net_checksum {
    uint64_t h;
    uint64_t bytes;
    uint64_t tail; /* the bytes of an unfinished 8-byte word, little-endian */
} eb_net_checksum;

void eb_net_checksum_init(eb_net_checksum *c);
void eb_net_checksum_update(eb_net_checksum *c, const void *data, size_t len);
uint64_t eb_net_checksum_final(const eb_net_checksum *c);

/* The checksum of task i's whole body: what a correct response hashes to. */
uint64_t eb_net_body_checksum(uint64_t seed, uint64_t task, uint64_t body_bytes);

/* Task i's delay in ns: latency_us, moved by up to +-jitter_pct percent
 * (uniform, from (seed, i) alone; 0 <= jitter_pct <= 100). */
int64_t eb_net_delay_ns(int64_t latency_us, unsigned jitter_pct, uint64_t seed, uint64_t task);

#endif
