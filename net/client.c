/* client.c — GET /task/<i> over loopback through eb_wait_fd (client.h). */
#include "client.h"

#include "body.h"
#include "decimal.h"
#include "wait.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Received bytes are parsed and hashed at once: one buffer per connection,
 * taken at its first request and given back when it closes. Not one per
 * thread: the request waits (eb_wait_fd) between reads, and a coroutine may
 * resume on another thread after a wait (the hybrid executor) while the
 * compiler keeps a thread-local address from before it. Not on the stack: a
 * coroutine's may be 4 KiB. */
#define SCRATCH_BYTES 16384

typedef struct parse_state {
    eb_http_response *r;
    eb_net_checksum sum;
    bool complete;
} parse_state;

static int on_headers_complete(http_parser *p)
{
    parse_state *ps = p->data;
    ps->r->status = (int)p->status_code;
    ps->r->content_length = p->content_length == ULLONG_MAX ? -1 : (int64_t)p->content_length;
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
    parse_state *ps = p->data;
    eb_net_checksum_update(&ps->sum, at, len);
    ps->r->body_bytes += len;
    return 0;
}

static int on_message_complete(http_parser *p)
{
    parse_state *ps = p->data;
    ps->complete = true;
    http_parser_pause(p, 1); /* one response per call: what follows is not ours */
    return 0;
}

static const http_parser_settings settings = {
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

void eb_http_conn_init(eb_http_conn *c, uint16_t port, bool keepalive)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    c->port = port;
    c->keepalive = keepalive;
}

void eb_http_conn_close(eb_http_conn *c)
{
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    free(c->scratch);
    c->scratch = NULL;
}

static int fail(eb_http_conn *c, eb_http_response *r, eb_http_failure failure, int sys_errno,
                int rc)
{
    r->failure = failure;
    r->sys_errno = sys_errno;
    eb_http_conn_close(c); /* its state is unknown: never reuse it */
    return rc;
}

static int open_connection(eb_http_conn *c, int64_t deadline_ns, eb_http_response *r)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail(c, r, EB_HTTP_CONNECT_FAILED, errno, -errno);
    c->fd = fd;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* requests go out at once */
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons(c->port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        if (errno != EINPROGRESS) return fail(c, r, EB_HTTP_CONNECT_FAILED, errno, -errno);
        int rc = eb_wait_fd(fd, EB_WAIT_WRITABLE, deadline_ns);
        if (rc == -ETIMEDOUT) return fail(c, r, EB_HTTP_TIMED_OUT, 0, rc);
        if (rc != 0) return fail(c, r, EB_HTTP_CONNECT_FAILED, -rc, rc);
        int err = 0;
        socklen_t len = sizeof err;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
        if (err != 0) return fail(c, r, EB_HTTP_CONNECT_FAILED, err, -err);
    }
    c->connects++;
    return 0;
}

int eb_http_conn_open(eb_http_conn *c, int64_t deadline_ns, eb_http_response *r)
{
    memset(r, 0, sizeof *r);
    r->port = c->port;
    r->content_length = -1;
    eb_http_conn_close(c);
    int rc = open_connection(c, deadline_ns, r);
    if (r->failure == EB_HTTP_TIMED_OUT) r->waited_ns = 0;
    return rc;
}

static char *put_text(char *p, const char *text)
{
    size_t n = strlen(text);
    memcpy(p, text, n);
    return p + n;
}

/* By hand: snprintf's frames would not fit a small coroutine stack. */
static size_t format_request(char *buf, uint64_t task, uint16_t port, bool keepalive)
{
    char *p = put_text(buf, "GET /task/");
    p = eb_put_decimal(p, task);
    p = put_text(p, " HTTP/1.1\r\nHost: 127.0.0.1:");
    p = eb_put_decimal(p, port);
    p = put_text(p, keepalive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
    return (size_t)(p - buf);
}

static int send_request(eb_http_conn *c, const char *buf, size_t len, int64_t deadline_ns,
                        eb_http_response *r)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(c->fd, buf + off, len - off, MSG_NOSIGNAL);
        if (n >= 0) {
            off += (size_t)n;
            continue;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int rc = eb_wait_fd(c->fd, EB_WAIT_WRITABLE, deadline_ns);
            if (rc == -ETIMEDOUT) return fail(c, r, EB_HTTP_TIMED_OUT, 0, rc);
            if (rc != 0) return fail(c, r, EB_HTTP_IO_ERROR, -rc, rc);
            continue;
        }
        if (errno == EPIPE || errno == ECONNRESET) /* a kept connection the server dropped */
            return fail(c, r, EB_HTTP_CLOSED_EARLY, errno, -ECONNRESET);
        return fail(c, r, EB_HTTP_IO_ERROR, errno, -errno);
    }
    return 0;
}

/* The connection ended (end of file, or reset: sys_errno) before the
 * response was complete. */
static int ended_early(eb_http_conn *c, eb_http_response *r, int sys_errno)
{
    if (r->bytes_received == 0) return fail(c, r, EB_HTTP_CLOSED_EARLY, sys_errno, -ECONNRESET);
    return fail(c, r, EB_HTTP_TRUNCATED, sys_errno, -EPIPE);
}

/* A connection that ends with this response: the server closes it once
 * the response is written, so wait for that end of file before closing
 * here. Whoever closes first keeps the TIME_WAIT: this way it is the
 * server's, on its one port, never one of the client's ephemeral ports
 * (closing at once, the client would often win the race). A server that
 * does not close by the deadline is closed on anyway. 0, or -EPROTO for
 * bytes after the response. */
static int await_close(eb_http_conn *c, int64_t deadline_ns, eb_http_response *r)
{
    for (;;) {
        ssize_t n = recv(c->fd, c->scratch, SCRATCH_BYTES, 0);
        if (n == 0) return 0;
        if (n > 0) {
            r->extra_bytes += (uint64_t)n;
            return fail(c, r, EB_HTTP_MALFORMED, 0, -EPROTO);
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return 0; /* reset: it is gone too */
        if (eb_wait_fd(c->fd, EB_WAIT_READABLE, deadline_ns) != 0) return 0;
    }
}

int eb_http_get_task(eb_http_conn *c, uint64_t task, int64_t deadline_ns, eb_http_response *r)
{
    memset(r, 0, sizeof *r);
    r->task = task;
    r->port = c->port;
    r->content_length = -1;
    int64_t start_ns = eb_now_ns();
    r->reused = c->fd >= 0;
    int rc;
    if (c->fd < 0 && (rc = open_connection(c, deadline_ns, r)) != 0) goto out;
    char request[96];
    size_t len = format_request(request, task, c->port, c->keepalive);
    if ((rc = send_request(c, request, len, deadline_ns, r)) != 0) goto out;
    c->requests++;

    if (c->scratch == NULL && (c->scratch = malloc(SCRATCH_BYTES)) == NULL) {
        rc = fail(c, r, EB_HTTP_IO_ERROR, ENOMEM, -ENOMEM);
        goto out;
    }
    char *scratch = c->scratch;
    parse_state ps = {.r = r};
    eb_net_checksum_init(&ps.sum);
    http_parser_init(&c->parser, HTTP_RESPONSE);
    c->parser.data = &ps;
    while (!ps.complete) {
        ssize_t n = recv(c->fd, scratch, SCRATCH_BYTES, 0);
        if (n > 0) {
            r->bytes_received += (uint64_t)n;
            size_t used = http_parser_execute(&c->parser, &settings, scratch, (size_t)n);
            if (ps.complete && used < (size_t)n) {
                r->extra_bytes = (uint64_t)n - used;
                rc = fail(c, r, EB_HTTP_MALFORMED, 0, -EPROTO);
                goto out;
            }
            enum http_errno e = HTTP_PARSER_ERRNO(&c->parser);
            if (!ps.complete && e != HPE_OK) {
                r->parser_errno = e;
                rc = fail(c, r, EB_HTTP_MALFORMED, 0, -EPROTO);
                goto out;
            }
        } else if (n == 0) {
            /* a body without a length ends with the connection: the parser decides */
            http_parser_execute(&c->parser, &settings, NULL, 0);
            if (ps.complete) {
                eb_http_conn_close(c);
                break;
            }
            rc = ended_early(c, r, 0);
            goto out;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            rc = eb_wait_fd(c->fd, EB_WAIT_READABLE, deadline_ns);
            if (rc == -ETIMEDOUT) {
                rc = fail(c, r, EB_HTTP_TIMED_OUT, 0, rc);
                goto out;
            }
            if (rc != 0) {
                rc = fail(c, r, EB_HTTP_IO_ERROR, -rc, rc);
                goto out;
            }
        } else if (errno == ECONNRESET) {
            rc = ended_early(c, r, errno);
            goto out;
        } else if (errno != EINTR) {
            rc = fail(c, r, EB_HTTP_IO_ERROR, errno, -errno);
            goto out;
        }
    }
    r->checksum = eb_net_checksum_final(&ps.sum);
    if (c->fd >= 0 && (!c->keepalive || !http_should_keep_alive(&c->parser))) {
        if ((rc = await_close(c, deadline_ns, r)) != 0) goto out;
        eb_http_conn_close(c);
    }
    if (r->status != 200) {
        rc = fail(c, r, EB_HTTP_BAD_STATUS, 0, -EREMOTEIO);
        goto out;
    }
    return 0;
out:
    if (r->failure == EB_HTTP_TIMED_OUT) r->waited_ns = deadline_ns - start_ns;
    return rc;
}

int eb_http_check_body(eb_http_response *r, uint64_t seed, uint64_t body_bytes)
{
    if (r->failure != EB_HTTP_OK) return -EINVAL;
    if (r->status != 200) {
        r->failure = EB_HTTP_BAD_STATUS;
        return -EREMOTEIO;
    }
    uint64_t expected = eb_net_body_checksum(seed, r->task, body_bytes);
    if (r->body_bytes == body_bytes && r->checksum == expected) return 0;
    r->failure = EB_HTTP_WRONG_BODY;
    r->expected_checksum = expected;
    r->expected_bytes = body_bytes;
    return -EBADMSG;
}

static const char *const failure_names[] = {
    [EB_HTTP_OK] = "ok",
    [EB_HTTP_CONNECT_FAILED] = "connect-failed",
    [EB_HTTP_TIMED_OUT] = "timed-out",
    [EB_HTTP_CLOSED_EARLY] = "closed-early",
    [EB_HTTP_TRUNCATED] = "truncated",
    [EB_HTTP_MALFORMED] = "malformed",
    [EB_HTTP_IO_ERROR] = "io-error",
    [EB_HTTP_BAD_STATUS] = "bad-status",
    [EB_HTTP_WRONG_BODY] = "wrong-body",
};

const char *eb_http_failure_name(eb_http_failure failure)
{
    return (unsigned)failure < sizeof failure_names / sizeof *failure_names ? failure_names[failure]
                                                                            : "?";
}

int eb_http_describe(const eb_http_response *r, char *buf, size_t len)
{
    char what[200];
    switch (r->failure) {
    case EB_HTTP_OK:
        snprintf(what, sizeof what, "status %d, %llu body bytes", r->status,
                 (unsigned long long)r->body_bytes);
        break;
    case EB_HTTP_CONNECT_FAILED:
        snprintf(what, sizeof what, "cannot connect: %s%s", strerror(r->sys_errno),
                 r->sys_errno == ECONNREFUSED ? " (no server listening: did it stop or die?)"
                 : r->sys_errno == EMFILE || r->sys_errno == ENFILE
                     ? " (out of file descriptors: raise the limit, ulimit -n)"
                 : r->sys_errno == EADDRNOTAVAIL ? " (out of local ports: TIME_WAIT?)"
                                                 : "");
        break;
    case EB_HTTP_TIMED_OUT:
        snprintf(what, sizeof what,
                 "no complete response within %.1f ms (%llu bytes received): the server "
                 "stopped answering",
                 (double)r->waited_ns / 1e6, (unsigned long long)r->bytes_received);
        break;
    case EB_HTTP_CLOSED_EARLY:
        snprintf(what, sizeof what,
                 "the connection %s before any response: did the server die or close it?",
                 r->sys_errno == ECONNRESET ? "was reset" : "closed");
        break;
    case EB_HTTP_TRUNCATED:
        if (r->content_length >= 0)
            snprintf(what, sizeof what,
                     "the connection %s after %llu of %lld body bytes (response truncated)",
                     r->sys_errno == ECONNRESET ? "was reset" : "closed",
                     (unsigned long long)r->body_bytes, (long long)r->content_length);
        else
            snprintf(what, sizeof what,
                     "the connection %s after %llu bytes, in the response's headers "
                     "(response truncated)",
                     r->sys_errno == ECONNRESET ? "was reset" : "closed",
                     (unsigned long long)r->bytes_received);
        break;
    case EB_HTTP_MALFORMED:
        if (r->extra_bytes > 0)
            snprintf(what, sizeof what, "malformed response: %llu bytes after its end",
                     (unsigned long long)r->extra_bytes);
        else
            snprintf(what, sizeof what, "malformed response: %s (http-parser: %s)",
                     http_errno_description(r->parser_errno), http_errno_name(r->parser_errno));
        break;
    case EB_HTTP_IO_ERROR:
        snprintf(what, sizeof what, "%s", strerror(r->sys_errno));
        break;
    case EB_HTTP_BAD_STATUS:
        snprintf(what, sizeof what, "status %d, expected 200", r->status);
        break;
    case EB_HTTP_WRONG_BODY:
        snprintf(what, sizeof what,
                 "wrong body: %llu bytes with checksum %016llx, expected %llu bytes with "
                 "checksum %016llx",
                 (unsigned long long)r->body_bytes, (unsigned long long)r->checksum,
                 (unsigned long long)r->expected_bytes, (unsigned long long)r->expected_checksum);
        break;
    default:
        snprintf(what, sizeof what, "unknown failure %d", (int)r->failure);
        break;
    }
    return snprintf(buf, len, "GET /task/%llu on 127.0.0.1:%u: %s", (unsigned long long)r->task,
                    (unsigned)r->port, what);
}
