/* server.h — the loopback HTTP/1.1 server execbench measures clients against.
 *
 * Built on libevent's evhttp. `GET /task/<i>` is answered after
 * eb_net_delay_ns(latency_us, jitter_pct, seed, i) with task i's body of
 * body_bytes (body.h); any other path is a 404, a bad index a 400, another
 * method evhttp's 501. The delay is a timer in the event loop (event_base_once on a
 * base with EVENT_BASE_FLAG_PRECISE_TIMER: a timerfd, not epoll's
 * milliseconds), never a sleep or a thread per request, so the server is never
 * the concurrency limit. Keep-alive is on (HTTP/1.1's default); a client that
 * sends `Connection: close` gets the server to close first, so the TIME_WAIT
 * lands on the server's side and the client's ephemeral ports stay free.
 *
 * eb_net_server_start forks a process that binds 127.0.0.1 on an ephemeral
 * port and reports it through a pipe once it listens (connections made after
 * start returns are queued by the kernel: no race). Optional: a cpuset, and
 * `threads` event loops sharing the port through SO_REUSEPORT (the kernel
 * spreads connections over them by hash). eb_net_server_stop sends SIGTERM,
 * reaps it and reports its CPU time (wait4's rusage) and the PU it ran on.
 *
 * Connections: evhttp 2.1 has no connection cap of its own; the limit is the
 * process's RLIMIT_NOFILE, whose soft limit the server raises to the hard one
 * (stats.fd_limit tells which applies), and the listen backlog (capped by
 * net.core.somaxconn). When accept fails for want of fds the listener pauses
 * for 10 ms (counted in stats.accept_errors) instead of spinning.
 *
 * Fault modes, for the tests of a client's error handling, apply to tasks
 * i >= fault_from_task. */
#ifndef EB_NET_SERVER_H
#define EB_NET_SERVER_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum eb_net_fault {
    EB_NET_FAULT_NONE = 0,
    EB_NET_FAULT_SILENT,     /* read the request, never answer */
    EB_NET_FAULT_TRUNCATE,   /* the full Content-Length, half the body, then close */
    EB_NET_FAULT_WRONG_BODY, /* 200 and the right length, one byte changed */
    EB_NET_FAULT_STATUS_500, /* 500 Internal Server Error, no body */
    EB_NET_FAULT_DIE,        /* the server process exits on reading the request */
} eb_net_fault;

#define EB_NET_SERVER_MAX_THREADS 64

typedef struct eb_net_server_config {
    int64_t latency_us;
    unsigned jitter_pct; /* 0 .. 100 */
    uint64_t body_bytes;
    uint64_t seed;
    unsigned threads;        /* event loops sharing the port; 0 or 1: one */
    const cpu_set_t *cpuset; /* NULL: not pinned */
    int backlog;             /* listen(2)'s; 0: 4096 (the kernel caps it at somaxconn) */
    eb_net_fault fault;
    uint64_t fault_from_task;
} eb_net_server_config;

/* Counters the server keeps in memory its parent can read while it runs. */
typedef struct eb_net_server_stats {
    uint64_t accepts;   /* connections */
    uint64_t requests;  /* requests read (any path) */
    uint64_t responses; /* /task responses sent or started (faults included) */
    uint64_t body_bytes_sent;
    uint64_t accept_errors; /* accept failed (EMFILE/ENFILE: out of fds) */
    uint64_t fd_limit;      /* RLIMIT_NOFILE's soft limit after raising it */
    int32_t last_pu;        /* the PU that handled the latest request (or that listened) */
    uint32_t threads;
    uint64_t accepts_by_thread[EB_NET_SERVER_MAX_THREADS];
} eb_net_server_stats;

typedef struct eb_net_server_exit {
    int64_t user_ns, sys_ns, cpu_ns; /* CPU time, all its threads */
    int status;                      /* wait4's status */
    bool stopped;                    /* ended by eb_net_server_stop's SIGTERM (not on its own) */
    int32_t pu;                      /* stats.last_pu at the end */
    eb_net_server_stats stats;       /* the final counters */
} eb_net_server_exit;

typedef struct eb_net_server eb_net_server;

/* latency 0, no jitter, 0 bytes, seed 0, one thread, not pinned. */
eb_net_server_config eb_net_server_default_config(void);

/* Forks the server; returns once it listens: 0, -EINVAL (a bad config),
 * or the child's error (-EMFILE, -EADDRINUSE, ...), -ECHILD if it died. */
int eb_net_server_start(const eb_net_server_config *config, eb_net_server **out);

uint16_t eb_net_server_port(const eb_net_server *s);
pid_t eb_net_server_pid(const eb_net_server *s);

/* A snapshot of the counters (the server keeps running). */
void eb_net_server_get_stats(const eb_net_server *s, eb_net_server_stats *out);

/* Its CPU time so far, all threads, in ns (the process's CPU-time clock:
 * differences of two readings time a stretch of its work), or -1 once it
 * has ended. */
int64_t eb_net_server_cpu_ns(const eb_net_server *s);

/* One line on its state, without reaping it: "the server (pid N) is
 * running (...)", "... exited with status 3", "... was killed by signal 9
 * (SIGKILL)", or that another wait reaped it. A server seen running is
 * looked at again for up to settle_ns: a client sees its connections close
 * while the dying process has not yet ended. snprintf's count. */
int eb_net_server_describe(const eb_net_server *s, int64_t settle_ns, char *buf, size_t len);

/* SIGTERM (SIGKILL if it has not ended 5 s later), reap, report, free.
 * 0 or -errno; `out` may be NULL. */
int eb_net_server_stop(eb_net_server *s, eb_net_server_exit *out);

/* Runs the server in the calling process (what the forked child of
 * eb_net_server_start runs) until SIGTERM or SIGINT, then returns 0 with
 * its other threads still running: the caller exits. Or -errno if setting up
 * failed. `stats` (may be NULL) is kept up to date; once listening (or
 * failing), an eb_net_ready is written to ready_fd if ready_fd >= 0. */
typedef struct eb_net_ready {
    int32_t error; /* 0, or -errno: setting up failed */
    uint16_t port;
    uint64_t fd_limit;
} eb_net_ready;
int eb_net_serve(const eb_net_server_config *config, int ready_fd, eb_net_server_stats *stats);

/* Raises RLIMIT_NOFILE's soft limit to its hard limit: 0, or -EMFILE when
 * the hard limit is below want_fds. *soft and *hard (may be NULL) get the
 * limits that apply afterwards. */
int eb_net_raise_fd_limit(uint64_t want_fds, uint64_t *soft, uint64_t *hard);

const char *eb_net_fault_name(eb_net_fault fault);
int eb_net_fault_parse(const char *text, eb_net_fault *out);

#endif
