/* client.h — an HTTP/1.1 client for `GET /task/<i>` on 127.0.0.1, written
 * once for every executor: it never blocks by itself but waits through
 * eb_wait_fd (wait/wait.h), so under threads and processes it blocks in
 * ppoll and under coroutines it parks on the scheduler's reactor.
 *
 * Non-blocking sockets with TCP_NODELAY; responses are parsed by Debian's
 * http-parser (nodejs/http-parser 2.9), never by hand, and their bodies
 * hashed as they arrive (body.h's checksum), so a body of any size needs no
 * buffer of its own: received bytes pass through one buffer per thread, which
 * coroutines share safely because a coroutine only switches while waiting,
 * when it holds no unparsed bytes. With keepalive a connection serves request
 * after request (reconnecting only when the server asked to close); without,
 * each request opens a connection and sends `Connection: close`, so the
 * server closes first and the TIME_WAIT is its own, not one of the client's
 * ephemeral ports: the client waits for the server's end of file before
 * closing its side (closing at once after the response, it would often
 * close first and keep the TIME_WAIT itself). A failed request closes its
 * connection.
 *
 * Every failure is named (eb_http_failure) and described in one line
 * (eb_http_describe). */
#ifndef EB_NET_CLIENT_H
#define EB_NET_CLIENT_H

#include <http_parser.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum eb_http_failure {
    EB_HTTP_OK = 0,
    EB_HTTP_CONNECT_FAILED, /* connect(2) failed: sys_errno (ECONNREFUSED: no server) */
    EB_HTTP_TIMED_OUT,      /* the deadline passed before the response was complete */
    EB_HTTP_CLOSED_EARLY,   /* the connection closed or reset before any byte of a response */
    EB_HTTP_TRUNCATED,      /* closed or reset in the middle of the response */
    EB_HTTP_MALFORMED,      /* http-parser rejected the response: parser_errno */
    EB_HTTP_IO_ERROR,       /* send/recv/socket failed otherwise: sys_errno */
    EB_HTTP_BAD_STATUS,     /* a status other than 200 */
    EB_HTTP_WRONG_BODY,     /* the body's length or checksum is not task i's */
} eb_http_failure;

typedef struct eb_http_response {
    uint64_t task;
    uint16_t port;
    int status;              /* the HTTP status, 0 before the headers */
    int64_t content_length;  /* announced, -1 when none */
    uint64_t body_bytes;     /* received */
    uint64_t checksum;       /* body.h's checksum of the received body */
    uint64_t bytes_received; /* the whole response, headers included */
    bool reused;             /* sent on a connection kept from an earlier request */
    eb_http_failure failure;
    int sys_errno;                /* EB_HTTP_CONNECT_FAILED / IO_ERROR / CLOSED / TRUNCATED */
    enum http_errno parser_errno; /* EB_HTTP_MALFORMED */
    int64_t waited_ns;            /* EB_HTTP_TIMED_OUT: from the call to the deadline */
    uint64_t extra_bytes;         /* EB_HTTP_MALFORMED: bytes after a complete response */
    uint64_t expected_checksum;   /* EB_HTTP_WRONG_BODY */
    uint64_t expected_bytes;      /* EB_HTTP_WRONG_BODY */
} eb_http_response;

/* One connection (or, without keepalive, one at a time). */
typedef struct eb_http_conn {
    int fd; /* -1: not connected */
    uint16_t port;
    bool keepalive;
    uint64_t connects; /* connections opened */
    uint64_t requests; /* requests sent */
    http_parser parser;
    char *scratch; /* what recv reads into while the connection is open (client.c) */
} eb_http_conn;

void eb_http_conn_init(eb_http_conn *c, uint16_t port, bool keepalive);

/* Closes the connection if one is open (a later request opens another). */
void eb_http_conn_close(eb_http_conn *c);

/* Opens the connection now (closing one already open), before deadline_ns:
 * a session made ready before its first request. 0, or connect's -errno
 * with r->failure saying what (r->task is 0: no request was sent). */
int eb_http_conn_open(eb_http_conn *c, int64_t deadline_ns, eb_http_response *r);

/* Sends `GET /task/<task>` and reads the whole response, connecting first if
 * needed, all before deadline_ns (EB_WAIT_FOREVER: none). Fills *r. Returns
 * 0 for a complete 200 response; otherwise r->failure says what and the
 * return value is -ECONNREFUSED (or connect's -errno), -ETIMEDOUT,
 * -ECONNRESET (closed early), -EPIPE (truncated), -EPROTO (malformed),
 * -EREMOTEIO (not 200) or send/recv's -errno. The body is not checked here
 * (eb_http_check_body: the expected checksum costs as much as the body). */
int eb_http_get_task(eb_http_conn *c, uint64_t task, int64_t deadline_ns, eb_http_response *r);

/* Checks a 200 response's body against task r->task's for (seed,
 * body_bytes): 0, or -EBADMSG with r->failure = EB_HTTP_WRONG_BODY. */
int eb_http_check_body(eb_http_response *r, uint64_t seed, uint64_t body_bytes);

/* One line for a failure, e.g. "GET /task/7 on 127.0.0.1:41234: the
 * connection closed after 512 of 1024 body bytes (response truncated)".
 * Returns snprintf's count. */
int eb_http_describe(const eb_http_response *r, char *buf, size_t len);

const char *eb_http_failure_name(eb_http_failure failure);

#endif
