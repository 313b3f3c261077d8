/* body.c — the task bodies, their checksum and delays (body.h). */
#include "body.h"

#include <string.h>

/* SplitMix64's finaliser: a bijective mix, good enough to make every word of
 * every body differ, and a few cycles a word. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

#define GOLDEN 0x9e3779b97f4a7c15ULL

static uint64_t body_key(uint64_t seed, uint64_t task)
{
    return mix64(mix64(seed ^ 0x6e65742e68747470ULL /* "net.http" */) + task * GOLDEN);
}

static uint64_t body_word(uint64_t key, uint64_t index)
{
    return mix64(key + (index + 1) * GOLDEN);
}

void eb_net_body_fill(uint64_t seed, uint64_t task, uint64_t offset, void *out, size_t len)
{
    uint64_t key = body_key(seed, task);
    unsigned char *p = out;
    uint64_t index = offset / 8;
    unsigned skip = (unsigned)(offset % 8);
    while (len > 0) {
        uint64_t w = body_word(key, index++);
        unsigned char bytes[8];
        for (unsigned b = 0; b < 8; b++)
            bytes[b] = (unsigned char)(w >> (8 * b)); /* little-endian on any host */
        size_t n = 8 - skip < len ? 8 - skip : len;
        memcpy(p, bytes + skip, n);
        p += n;
        len -= n;
        skip = 0;
    }
}

/* ---- checksum: a multiply-xorshift over 8-byte little-endian words ---------- */

#define CHECK_MUL 0xff51afd7ed558ccdULL

void eb_net_checksum_init(eb_net_checksum *c)
{
    c->h = 0x636865636b73756dULL; /* "checksum" */
    c->bytes = 0;
    c->tail = 0;
}

static uint64_t absorb(uint64_t h, uint64_t w)
{
    h ^= w;
    h *= CHECK_MUL;
    return h ^ (h >> 29);
}

void eb_net_checksum_update(eb_net_checksum *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = c->h;
    unsigned filled = (unsigned)(c->bytes % 8);
    c->bytes += len;
    /* finish a word started by an earlier chunk */
    while (filled != 0 && len > 0) {
        c->tail |= (uint64_t)*p++ << (8 * filled);
        len--;
        if (++filled == 8) {
            h = absorb(h, c->tail);
            c->tail = 0;
            filled = 0;
        }
    }
    for (; len >= 8; len -= 8, p += 8) {
        uint64_t w = 0;
        for (unsigned b = 0; b < 8; b++)
            w |= (uint64_t)p[b] << (8 * b);
        h = absorb(h, w);
    }
    for (unsigned b = 0; b < len; b++)
        c->tail |= (uint64_t)p[b] << (8 * (filled + b));
    c->h = h;
}

uint64_t eb_net_checksum_final(const eb_net_checksum *c)
{
    uint64_t h = c->h;
    if (c->bytes % 8 != 0) h = absorb(h, c->tail);
    return mix64(h ^ c->bytes); /* the length counts: a short body never matches */
}

uint64_t eb_net_body_checksum(uint64_t seed, uint64_t task, uint64_t body_bytes)
{
    /* the body's words, hashed without writing them anywhere */
    uint64_t key = body_key(seed, task);
    eb_net_checksum c;
    eb_net_checksum_init(&c);
    uint64_t words = body_bytes / 8;
    uint64_t h = c.h;
    for (uint64_t i = 0; i < words; i++)
        h = absorb(h, body_word(key, i));
    c.h = h;
    c.bytes = words * 8;
    unsigned rest = (unsigned)(body_bytes % 8);
    if (rest != 0) {
        unsigned char last[8];
        eb_net_body_fill(seed, task, words * 8, last, rest);
        eb_net_checksum_update(&c, last, rest);
    }
    return eb_net_checksum_final(&c);
}

int64_t eb_net_delay_ns(int64_t latency_us, unsigned jitter_pct, uint64_t seed, uint64_t task)
{
    if (latency_us <= 0) return 0;
    int64_t base = latency_us * 1000;
    if (jitter_pct == 0) return base;
    if (jitter_pct > 100) jitter_pct = 100;
    /* u uniform in [-1, 1) from 53 bits of a hash of (seed, task) */
    uint64_t r = mix64(body_key(seed ^ 0x6a6974746572ULL /* "jitter" */, task));
    double u = (double)(r >> 11) / (double)(1ULL << 52) - 1.0;
    double delay = (double)base * (1.0 + u * (double)jitter_pct / 100.0);
    return delay < 0 ? 0 : (int64_t)delay;
}
