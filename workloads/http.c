/* http.c — net.http: real requests over loopback. Task i sends `GET /task/i`
 * to an HTTP/1.1 server the point starts in setup (net/server.h: a forked
 * process, stopped by teardown) and reads the whole response through
 * wait.h; verify checks every status against 200 and every body against
 * task i's checksum (net/body.h: the server and the verifier derive both
 * from (seed, i)).
 *
 * Sessions. worker_init makes the worker's session, a `_Thread_local`: a
 * thread or a process has its own (the articles' thread-local session and
 * Pool initializer); the coroutine executor's coroutines share their
 * thread's, a pool from which each task in flight takes a connection of
 * its own and to which it gives it back (aiohttp's connector: at most one
 * connection per task in flight, reused across tasks). `keepalive`:
 *  0  a new connection per request, sent with `Connection: close`: the
 *     server closes first, so the TIME_WAIT is the server's, on its one
 *     listening port, and the client's ephemeral ports are never held;
 *  1  worker_init opens the session's connection inside the timed run and
 *     the session lasts the run (run_end closes it): what a script that
 *     makes its pool and sessions pays;
 *  2  the connections (one per task that can be in flight) are opened in
 *     setup, before any run, and every run's sessions take them: a warm
 *     client, whose runs open none.
 *
 * What a run measured goes to the row (run_end): each session counts its
 * requests, connections and bytes and records each request's latency
 * (from the call to the last byte, connecting included) in a histogram of
 * its own, in one shared mapping, so threads and forked workers alike
 * write theirs and the point merges them; the server's CPU time over the
 * run (its CPU-time clock) and its PU.
 *
 * A request that fails (the connection reset or closed early, a truncated
 * or malformed response, no response before its deadline) fails its task;
 * the first failure is kept in the shared mapping and run_end adds it, with
 * the server's state, to the error row. A complete response with another
 * status or a wrong body is verify's to report. test.http is the same
 * workload with the server's fault modes (net/server.h), for the tests. */
#include "body.h"
#include "client.h"
#include "hist.h"
#include "job_run.h"
#include "server.h"
#include "wait.h"
#include "workload.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum {
    PARAM_LATENCY_US,
    PARAM_BODY_BYTES,
    PARAM_KEEPALIVE,
    PARAM_JITTER_PCT,
    PARAM_TIMEOUT_MS,
    PARAM_FAULT,    /* test.http only */
    PARAM_FAULT_AT, /* test.http only */
};

enum { KEEPALIVE_NONE, KEEPALIVE_RUN, KEEPALIVE_WARM };

static const eb_param_def http_params[] = {
    [PARAM_LATENCY_US] = {"latency_us", 10000, 0, INT64_C(60000000), "us",
                          "the server answers each request after this long (a timer)"},
    [PARAM_BODY_BYTES] = {"body_bytes", 1024, 0, INT64_C(67108864), "bytes",
                          "each response's body"},
    [PARAM_KEEPALIVE] = {"keepalive", 1, 0, 2, "",
                         "0 a connection per request; 1 a session per worker opened in "
                         "worker_init each run; 2 connections opened before the runs"},
    [PARAM_JITTER_PCT] = {"jitter_pct", 0, 0, 100, "%",
                          "each delay drawn uniformly within +/- this percentage (seeded)"},
    [PARAM_TIMEOUT_MS] = {"timeout_ms", 10000, 1, INT64_C(3600000), "ms",
                          "a request fails when its response takes this much longer than "
                          "its delay"},
    [PARAM_FAULT] = {"fault", 0, 0, EB_NET_FAULT_DIE, "",
                     "the server's fault from task `at` on: 0 none, 1 silent, 2 truncate, "
                     "3 wrong-body, 4 status-500, 5 die"},
    [PARAM_FAULT_AT] = {"at", 1, 0, INT64_C(100000000), "task", "the first task with the fault"},
};
#define HTTP_PARAMS (PARAM_TIMEOUT_MS + 1)

/* A session's counters and latencies, in the shared mapping. */
typedef struct session_slot {
    eb_hist latency;
    _Alignas(64) uint64_t requests;
    uint64_t connections;
    uint64_t bytes_received;
} session_slot;

/* The shared mapping's head; the slots and the replies follow it. */
typedef struct http_shared {
    _Atomic uint32_t sessions;  /* made this run: the next one's slot */
    _Atomic uint32_t warm_next; /* keepalive 2: the next warm connection to take */
    _Atomic int failed;         /* the first failed request is in `failure` */
    bool failure_in_session;    /* it failed opening a session's connection */
    eb_http_response failure;
} http_shared;

typedef struct conn_node {
    eb_http_conn conn;
    struct conn_node *next_idle;
    struct conn_node *next_owned; /* made by its session (not a warm one) */
} conn_node;

typedef struct http_session {
    session_slot *slot;
    conn_node *idle;  /* open (or closed by the server) and held by no task */
    conn_node *owned; /* to close and free at the end of the run */
} http_session;

typedef struct http_state {
    eb_net_server *server;
    uint16_t port;
    int keepalive;
    uint64_t body_bytes;
    int64_t timeout_ns; /* beyond the longest delay */
    http_shared *shared;
    session_slot *slots;
    uint64_t *reply; /* [tasks] (status << 48) | body bytes; 0: none */
    size_t shared_bytes;
    uint32_t max_sessions;
    uint32_t prev_sessions;  /* made by the last run: the slots to clear */
    http_session **sessions; /* [max_sessions] this process's, for run_end */
    conn_node *warm;         /* [warm_count] keepalive 2 */
    uint32_t warm_count;
    int64_t server_cpu_at_begin;
    eb_hist merged;
} http_state;

static _Thread_local http_session *current;

/* The calling thread's session, read afresh: a coroutine of the hybrid
 * executor may resume on another thread after its request waited, and the
 * compiler may keep a thread-local's address from before a call (the same
 * as net/client.c's receive buffer). Not inlined, so the address is taken
 * on the thread that calls. */
__attribute__((noinline)) static http_session *session_here(void)
{
    return current;
}

#define REPLY_BYTES_MASK ((UINT64_C(1) << 48) - 1)
#define SETTLE_NS INT64_C(200000000) /* for a dying server to end (run_end) */

/* Connections in use at once, at most: one per worker (a thread's or a
 * process's session holds one; a pool of W coroutines, up to W), or one
 * per task when the coroutines are unbounded. Hybrid's scheduler threads
 * each open one for their session before their first task, while another
 * thread's coroutines may already hold theirs: one more per thread. */
static uint64_t most_connections(const eb_job *job)
{
    return (job->workers > 0 ? job->workers : job->tasks) + job->threads;
}

static int64_t deadline(const http_state *st, const eb_job *job)
{
    int64_t latency = job->params[PARAM_LATENCY_US] * 1000;
    int64_t longest = latency + latency * job->params[PARAM_JITTER_PCT] / 100;
    return eb_now_ns() + longest + st->timeout_ns;
}

/* Keeps the run's first failure (threads and processes race for it). */
static void note_failure(http_state *st, const eb_http_response *r, bool in_session)
{
    int none = 0;
    if (atomic_compare_exchange_strong(&st->shared->failed, &none, 1)) {
        st->shared->failure = *r;
        st->shared->failure_in_session = in_session;
    }
}

/* A connection for the session: a warm one while they last, else a new
 * node that connects at its first request. NULL: out of memory. */
static conn_node *new_conn(http_state *st, http_session *s)
{
    if (st->keepalive == KEEPALIVE_WARM) {
        uint32_t k = atomic_fetch_add(&st->shared->warm_next, 1);
        if (k < st->warm_count) return &st->warm[k];
    }
    conn_node *n = calloc(1, sizeof *n);
    if (n == NULL) return NULL;
    eb_http_conn_init(&n->conn, st->port, true);
    n->next_owned = s->owned;
    s->owned = n;
    return n;
}

static int http_worker_init(eb_job *job, unsigned worker)
{
    (void)worker;
    http_state *st = job->workload_state;
    uint32_t k = atomic_fetch_add(&st->shared->sessions, 1);
    if (k >= st->max_sessions) return -EOVERFLOW; /* never: one per worker */
    http_session *s = calloc(1, sizeof *s);
    if (s == NULL) return -ENOMEM;
    s->slot = &st->slots[k];
    st->sessions[k] = s;
    current = s;
    if (st->keepalive == KEEPALIVE_NONE) return 0;
    conn_node *n = new_conn(st, s);
    if (n == NULL) return -ENOMEM;
    n->next_idle = s->idle;
    s->idle = n;
    if (n->conn.fd >= 0) return 0; /* a warm one */
    eb_http_response r;
    int rc = eb_http_conn_open(&n->conn, deadline(st, job), &r);
    if (rc != 0) {
        note_failure(st, &r, true);
        return rc;
    }
    s->slot->connections++;
    return 0;
}

/* Small frames only: under the coroutine executor this runs on a stack of
 * a few KiB (the client formats its request by hand for the same reason). */
static int http_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    http_state *st = job->workload_state;
    http_session *s = session_here();
    if (s == NULL) return -EINVAL; /* no worker_init on this thread: never */
    eb_http_conn single;
    conn_node *n = NULL;
    eb_http_conn *c = &single;
    if (st->keepalive == KEEPALIVE_NONE) {
        eb_http_conn_init(&single, st->port, false);
    } else {
        n = s->idle;
        if (n != NULL)
            s->idle = n->next_idle;
        else if ((n = new_conn(st, s)) == NULL)
            return -ENOMEM;
        c = &n->conn;
    }
    uint64_t connects = c->connects;
    eb_http_response r;
    int64_t start = eb_now_ns();
    int rc = eb_http_get_task(c, task, deadline(st, job), &r);
    int64_t took = eb_now_ns() - start;
    s = session_here(); /* the thread it ended on (hybrid): its pool and counters */
    s->slot->connections += c->connects - connects;
    if (n != NULL) { /* back to the pool, open or not: a closed one reconnects */
        n->next_idle = s->idle;
        s->idle = n;
    } else {
        eb_http_conn_close(&single);
    }
    if (rc != 0 && r.failure != EB_HTTP_BAD_STATUS) {
        note_failure(st, &r, false);
        return rc;
    }
    /* complete: its status and body are verify's to judge */
    *result = r.checksum;
    st->reply[task] = (uint64_t)r.status << 48 | (r.body_bytes & REPLY_BYTES_MASK);
    s->slot->requests++;
    s->slot->bytes_received += r.bytes_received;
    eb_hist_record(&s->slot->latency, took);
    return 0;
}

static int http_verify(const eb_job *job, char *why, size_t why_len)
{
    const http_state *st = job->workload_state;
    for (uint64_t t = 0; t < job->tasks; t++) {
        uint64_t reply = st->reply[t];
        int status = (int)(reply >> 48);
        uint64_t bytes = reply & REPLY_BYTES_MASK;
        if (reply == 0) {
            snprintf(why, why_len, "task %llu: GET /task/%llu got no response",
                     (unsigned long long)t, (unsigned long long)t);
            return -1;
        }
        if (status != 200) {
            snprintf(why, why_len, "task %llu: GET /task/%llu answered status %d, expected 200",
                     (unsigned long long)t, (unsigned long long)t, status);
            return -1;
        }
        uint64_t want = eb_net_body_checksum(job->seed, t, st->body_bytes);
        if (bytes != st->body_bytes || job->task_result[t] != want) {
            snprintf(why, why_len,
                     "task %llu: GET /task/%llu: wrong body: %llu bytes with checksum %016llx, "
                     "expected %llu bytes with checksum %016llx",
                     (unsigned long long)t, (unsigned long long)t, (unsigned long long)bytes,
                     (unsigned long long)job->task_result[t], (unsigned long long)st->body_bytes,
                     (unsigned long long)want);
            return -1;
        }
    }
    return 0;
}

static int64_t http_task_wait_ns(const eb_job *job)
{
    return job->params[PARAM_LATENCY_US] * 1000;
}

/* ---- the point's side: the server, the runs --------------------------------- */

static void close_session(http_session *s)
{
    for (conn_node *n = s->owned, *next; n != NULL; n = next) {
        next = n->next_owned;
        eb_http_conn_close(&n->conn);
        free(n);
    }
    free(s);
}

static void http_teardown(eb_job *job)
{
    http_state *st = job->workload_state;
    if (st == NULL) return;
    for (uint32_t k = 0; st->sessions != NULL && k < st->max_sessions; k++)
        if (st->sessions[k] != NULL) close_session(st->sessions[k]);
    for (uint32_t k = 0; k < st->warm_count; k++)
        eb_http_conn_close(&st->warm[k].conn);
    free(st->warm);
    free(st->sessions);
    if (st->shared != NULL) munmap(st->shared, st->shared_bytes);
    if (st->server != NULL) eb_net_server_stop(st->server, NULL);
    free(st);
    job->workload_state = NULL;
}

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

static int http_setup(eb_job *job)
{
    http_state *st = calloc(1, sizeof *st);
    if (st == NULL) return -ENOMEM;
    job->workload_state = st;
    st->keepalive = (int)job->params[PARAM_KEEPALIVE];
    st->body_bytes = (uint64_t)job->params[PARAM_BODY_BYTES];
    st->timeout_ns = job->params[PARAM_TIMEOUT_MS] * 1000000;
    /* a session per worker (thread, process, a coroutine executor's one
     * thread) or per scheduler thread (hybrid) */
    st->max_sessions = job->workers > job->threads ? job->workers : job->threads;
    if (st->max_sessions == 0) st->max_sessions = 1;
    st->server_cpu_at_begin = -1;
    /* every connection is a file descriptor: take the hard limit (the
     * server, a process of its own, does the same with its own) */
    eb_net_raise_fd_limit(0, NULL, NULL);

    eb_net_server_config config = eb_net_server_default_config();
    config.latency_us = job->params[PARAM_LATENCY_US];
    config.jitter_pct = (unsigned)job->params[PARAM_JITTER_PCT];
    config.body_bytes = st->body_bytes;
    config.seed = job->seed;
    config.threads = job->server_threads;
    config.cpuset = job->server_cpuset;
    if (job->workload->param_count > PARAM_FAULT_AT) { /* test.http */
        config.fault = (eb_net_fault)job->params[PARAM_FAULT];
        config.fault_from_task = (uint64_t)job->params[PARAM_FAULT_AT];
    }
    int rc = eb_net_server_start(&config, &st->server);
    if (rc != 0) {
        st->server = NULL;
        http_teardown(job);
        return rc;
    }
    st->port = eb_net_server_port(st->server);

    /* head | slots | replies, one mapping shared with forked workers */
    size_t head = round_up(sizeof(http_shared), 64);
    size_t slots = round_up((size_t)st->max_sessions * sizeof(session_slot), 64);
    st->shared_bytes = head + slots + (size_t)job->tasks * sizeof(uint64_t);
    void *base = mmap(NULL, st->shared_bytes, PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    st->sessions = calloc(st->max_sessions, sizeof *st->sessions);
    if (base == MAP_FAILED || st->sessions == NULL) {
        rc = base == MAP_FAILED ? -errno : -ENOMEM;
        if (base != MAP_FAILED) munmap(base, st->shared_bytes);
        http_teardown(job);
        return rc;
    }
    st->shared = base;
    st->slots = (session_slot *)((char *)base + head);
    st->reply = (uint64_t *)((char *)base + head + slots);

    if (st->keepalive == KEEPALIVE_WARM) {
        uint64_t n = most_connections(job);
        st->warm = calloc(n, sizeof *st->warm);
        if (st->warm == NULL) rc = -ENOMEM;
        for (uint64_t k = 0; rc == 0 && k < n; k++) {
            eb_http_conn_init(&st->warm[k].conn, st->port, true);
            st->warm_count++;
            eb_http_response r;
            rc = eb_http_conn_open(&st->warm[k].conn, deadline(st, job), &r);
        }
        if (rc != 0) {
            http_teardown(job);
            return rc;
        }
    }
    return 0;
}

static int http_run_begin(eb_job *job)
{
    http_state *st = job->workload_state;
    http_shared *sh = st->shared;
    for (uint32_t k = 0; k < st->prev_sessions; k++) {
        session_slot *slot = &st->slots[k];
        eb_hist_clear(&slot->latency);
        slot->requests = slot->connections = slot->bytes_received = 0;
    }
    atomic_store(&sh->sessions, 0);
    atomic_store(&sh->warm_next, 0);
    atomic_store(&sh->failed, 0);
    memset(st->reply, 0, (size_t)job->tasks * sizeof *st->reply);
    st->server_cpu_at_begin = eb_net_server_cpu_ns(st->server);
    return 0;
}

/* "<what failed>; <the server's state>", after out->error. */
static void add_failure(http_state *st, eb_job_result *out)
{
    char described[400], what[480], server[200];
    eb_http_describe(&st->shared->failure, described, sizeof described);
    const char *tail = strstr(described, ": ");
    if (st->shared->failure_in_session && tail != NULL) /* no request: not "GET /task/0 on" */
        snprintf(what, sizeof what, "opening the session's connection to 127.0.0.1:%u: %s",
                 (unsigned)st->port, tail + 2);
    else
        snprintf(what, sizeof what, "%s", described);
    /* a closed or refused connection may be a server that is ending: let
     * it end before saying so */
    eb_http_failure how = st->shared->failure.failure;
    bool dying =
        how == EB_HTTP_CLOSED_EARLY || how == EB_HTTP_TRUNCATED || how == EB_HTTP_CONNECT_FAILED;
    eb_net_server_describe(st->server, dying ? SETTLE_NS : 0, server, sizeof server);
    size_t used = strlen(out->error);
    snprintf(out->error + used, sizeof out->error - used, ": %s; %s", what, server);
}

static void http_run_end(eb_job *job, eb_job_result *out)
{
    http_state *st = job->workload_state;
    uint32_t sessions = atomic_load(&st->shared->sessions);
    if (sessions > st->max_sessions) sessions = st->max_sessions;
    eb_workload_figures *f = &out->workload;
    eb_hist_clear(&st->merged);
    for (uint32_t k = 0; k < sessions; k++) {
        const session_slot *slot = &st->slots[k];
        eb_hist_merge(&st->merged, &slot->latency);
        f->requests += slot->requests;
        f->connections += slot->connections;
        f->bytes_received += slot->bytes_received;
        /* this process's sessions (threads, coroutines): a worker process's
         * went with it */
        if (st->sessions[k] != NULL) close_session(st->sessions[k]);
        st->sessions[k] = NULL;
    }
    current = NULL;
    st->prev_sessions = sessions;
    f->latency_p50_ns = eb_hist_quantile(&st->merged, 0.5);
    f->latency_p99_ns = eb_hist_quantile(&st->merged, 0.99);
    f->latency_p999_ns = eb_hist_quantile(&st->merged, 0.999);
    int64_t cpu = eb_net_server_cpu_ns(st->server);
    f->server_cpu_ns =
        cpu >= 0 && st->server_cpu_at_begin >= 0 ? cpu - st->server_cpu_at_begin : -1;
    eb_net_server_stats stats;
    eb_net_server_get_stats(st->server, &stats);
    f->server_pu = stats.last_pu;
    f->present = true;
    if (out->status != 0 && atomic_load(&st->shared->failed)) add_failure(st, out);
}

#define HTTP_COMMON                                                                                \
    .kind = EB_WORK_WAIT, .params = http_params, .default_tasks = 160, .setup = http_setup,        \
    .worker_init = http_worker_init, .run_task = http_run_task, .verify = http_verify,             \
    .task_wait_ns = http_task_wait_ns, .run_begin = http_run_begin, .run_end = http_run_end,       \
    .teardown = http_teardown

const eb_workload eb_workload_net_http = {
    .name = "net.http",
    .description = "real I/O: task i sends GET /task/i to a loopback HTTP/1.1 server that "
                   "answers after `latency_us` (the articles' downloads, on sockets)",
    .param_count = HTTP_PARAMS,
    HTTP_COMMON,
};

const eb_workload eb_workload_test_http = {
    .name = "test.http",
    .description = "fault injection: net.http against a server that, from task `at` on, "
                   "misbehaves as `fault` says",
    .hidden = true,
    .param_count = sizeof http_params / sizeof *http_params,
    HTTP_COMMON,
};
