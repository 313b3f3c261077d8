/* server.c — the loopback HTTP/1.1 server on libevent's evhttp (server.h). */
#include "server.h"

#include "body.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_BACKLOG 4096
#define IDLE_TIMEOUT_S 3600 /* evhttp closes a connection idle this long */
#define ACCEPT_PAUSE_US 10000
#define READY_TIMEOUT_MS 10000
#define STOP_GRACE_NS 5000000000LL

struct serve_state;

/* One event loop: thread 0 is the process's main thread. */
typedef struct server_thread {
    struct serve_state *state;
    unsigned index;
    struct event_base *base;
    struct evhttp *http;
    struct evconnlistener *listener;
    struct event *resume_accept;
    pthread_t tid;
} server_thread;

typedef struct serve_state {
    eb_net_server_config config;
    eb_net_server_stats *stats;
    unsigned threads;
    server_thread thread[EB_NET_SERVER_MAX_THREADS];
} serve_state;

static _Thread_local server_thread *self;

#define COUNT(field, n) __atomic_fetch_add(&st->stats->field, (n), __ATOMIC_RELAXED)

/* ---- requests ------------------------------------------------------------- */

enum { PATH_TASK, PATH_NOT_FOUND, PATH_BAD_TASK };

/* "/task/<decimal>", nothing after it */
static int parse_path(const char *uri, uint64_t *task)
{
    static const char prefix[] = "/task/";
    if (uri == NULL || strncmp(uri, prefix, sizeof prefix - 1) != 0) return PATH_NOT_FOUND;
    const char *p = uri + sizeof prefix - 1;
    if (*p == '\0') return PATH_BAD_TASK;
    uint64_t v = 0;
    for (; *p != '\0'; p++) {
        if (*p < '0' || *p > '9') return PATH_BAD_TASK;
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10) return PATH_BAD_TASK;
        v = v * 10 + d;
    }
    *task = v;
    return PATH_TASK;
}

static bool faulty(const serve_state *st, uint64_t task)
{
    return st->config.fault != EB_NET_FAULT_NONE && task >= st->config.fault_from_task;
}

static void respond(struct evhttp_request *req)
{
    serve_state *st = self->state;
    uint64_t task = 0;
    parse_path(evhttp_request_get_uri(req), &task); /* checked when it arrived */
    eb_net_fault fault = faulty(st, task) ? st->config.fault : EB_NET_FAULT_NONE;
    COUNT(responses, 1);
    if (fault == EB_NET_FAULT_STATUS_500) {
        evhttp_send_reply(req, 500, "Internal Server Error", NULL);
        return;
    }
    uint64_t n = st->config.body_bytes;
    uint64_t sent = fault == EB_NET_FAULT_TRUNCATE ? n / 2 : n;
    struct evbuffer *out = evhttp_request_get_output_buffer(req);
    struct evkeyvalq *headers = evhttp_request_get_output_headers(req);
    evhttp_add_header(headers, "Content-Type", "application/octet-stream");
    if (sent > 0) {
        /* written in place: no copy of the body */
        struct evbuffer_iovec v;
        if (evbuffer_reserve_space(out, (ev_ssize_t)sent, &v, 1) != 1) {
            evhttp_send_error(req, 500, "out of memory");
            return;
        }
        eb_net_body_fill(st->config.seed, task, 0, v.iov_base, sent);
        if (fault == EB_NET_FAULT_WRONG_BODY) ((unsigned char *)v.iov_base)[sent / 2] ^= 0x5a;
        v.iov_len = sent;
        evbuffer_commit_space(out, &v, 1);
    } else if (fault == EB_NET_FAULT_WRONG_BODY) {
        evbuffer_add(out, "?", 1); /* an empty body made wrong: one byte too many */
    }
    COUNT(body_bytes_sent, sent);
    if (fault == EB_NET_FAULT_TRUNCATE) {
        /* announce all of it, send half, close once that is written */
        char length[24];
        snprintf(length, sizeof length, "%llu", (unsigned long long)n);
        evhttp_add_header(headers, "Content-Length", length);
        evhttp_add_header(headers, "Connection", "close");
        evhttp_send_reply_start(req, 200, "OK");
        evhttp_send_reply_end(req);
        return;
    }
    evhttp_send_reply(req, 200, "OK", NULL);
}

static void on_delay_done(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    respond(arg);
}

static void on_request(struct evhttp_request *req, void *arg)
{
    server_thread *t = arg;
    serve_state *st = t->state;
    COUNT(requests, 1);
    __atomic_store_n(&st->stats->last_pu, sched_getcpu(), __ATOMIC_RELAXED);
    uint64_t task;
    switch (parse_path(evhttp_request_get_uri(req), &task)) {
    case PATH_NOT_FOUND:
        evhttp_send_error(req, HTTP_NOTFOUND, NULL);
        return;
    case PATH_BAD_TASK:
        evhttp_send_error(req, HTTP_BADREQUEST, "task index expected");
        return;
    default:
        break;
    }
    if (faulty(st, task) && st->config.fault == EB_NET_FAULT_DIE) _exit(3);
    if (faulty(st, task) && st->config.fault == EB_NET_FAULT_SILENT) return; /* never answered */
    int64_t delay =
        eb_net_delay_ns(st->config.latency_us, st->config.jitter_pct, st->config.seed, task);
    if (delay == 0) {
        respond(req);
        return;
    }
    /* a timer in this loop; evhttp keeps req alive until it is answered (a
     * client that leaves first detaches it, and the reply then frees it) */
    int64_t us = (delay + 999) / 1000; /* libevent's timers count microseconds: never early */
    struct timeval tv = {(time_t)(us / 1000000), (suseconds_t)(us % 1000000)};
    if (event_base_once(t->base, -1, EV_TIMEOUT, on_delay_done, req, &tv) != 0)
        evhttp_send_error(req, 500, "no timer");
}

/* ---- connections ------------------------------------------------------------ */

/* evhttp asks for each accepted connection's bufferevent: the accept count. */
static struct bufferevent *on_new_connection(struct event_base *base, void *arg)
{
    server_thread *t = arg;
    serve_state *st = t->state;
    COUNT(accepts, 1);
    COUNT(accepts_by_thread[t->index], 1);
    return bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
}

static void on_resume_accept(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    server_thread *t = arg;
    evconnlistener_enable(t->listener);
}

/* Out of fds, the pending connection stays and the listener would spin on
 * it: pause accepting instead, and let connections close meanwhile. */
static void on_accept_error(struct evconnlistener *listener, void *arg)
{
    /* arg is evhttp's (evhttp_bind_listener set the listener's callbacks'
     * argument to its struct evhttp): the loop is this thread's */
    (void)arg;
    server_thread *t = self;
    serve_state *st = t->state;
    COUNT(accept_errors, 1);
    evconnlistener_disable(listener);
    struct timeval pause = {0, ACCEPT_PAUSE_US};
    evtimer_add(t->resume_accept, &pause);
}

static int listen_socket(const serve_state *st, uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    int one = 1;
    struct sockaddr_in addr = {
        .sin_family = AF_INET, .sin_port = htons(*port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    /* TCP_NODELAY is inherited by accepted sockets: a response's last
     * segment never waits for an ACK */
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0 ||
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(fd, st->config.backlog > 0 ? st->config.backlog : DEFAULT_BACKLOG) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        int err = -errno;
        close(fd);
        return err;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

static int thread_setup(serve_state *st, server_thread *t, uint16_t *port)
{
    struct event_config *cfg = event_config_new();
    if (cfg == NULL) return -ENOMEM;
    /* precise timers (a timerfd): epoll_wait's milliseconds would add up to
     * 1 ms to every delay. No cached time: libevent arms the timerfd with the
     * next delay counted from the time its last wait returned, so every
     * callback run since (160 requests read in one turn) made the timer fire
     * that much later (README, net.http, has the figures). No locks: each
     * base has one thread. */
    event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER | EVENT_BASE_FLAG_NO_CACHE_TIME |
                                   EVENT_BASE_FLAG_NOLOCK);
    t->base = event_base_new_with_config(cfg);
    event_config_free(cfg);
    if (t->base == NULL) return -ENOMEM;
    t->http = evhttp_new(t->base);
    t->resume_accept = evtimer_new(t->base, on_resume_accept, t);
    if (t->http == NULL || t->resume_accept == NULL) return -ENOMEM;
    evhttp_set_gencb(t->http, on_request, t);
    evhttp_set_bevcb(t->http, on_new_connection, t);
    evhttp_set_allowed_methods(t->http, EVHTTP_REQ_GET);
    evhttp_set_timeout(t->http, IDLE_TIMEOUT_S);
    int fd = listen_socket(st, port);
    if (fd < 0) return fd;
    t->listener = evconnlistener_new(t->base, NULL, NULL, LEV_OPT_CLOSE_ON_FREE, 0, fd);
    if (t->listener == NULL) {
        close(fd);
        return -ENOMEM;
    }
    if (evhttp_bind_listener(t->http, t->listener) == NULL) return -ENOMEM;
    evconnlistener_set_error_cb(t->listener, on_accept_error);
    return 0;
}

static void *thread_main(void *arg)
{
    self = arg;
    event_base_dispatch(self->base);
    return NULL;
}

static void on_stop_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)sig;
    (void)what;
    event_base_loopbreak(arg);
}

int eb_net_raise_fd_limit(uint64_t want_fds, uint64_t *soft, uint64_t *hard)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return -errno;
    if (rl.rlim_cur < rl.rlim_max) {
        struct rlimit raised = {rl.rlim_max, rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
    }
    if (soft != NULL) *soft = rl.rlim_cur;
    if (hard != NULL) *hard = rl.rlim_max;
    return rl.rlim_cur < want_fds ? -EMFILE : 0;
}

static void report_ready(int ready_fd, int32_t error, uint16_t port, uint64_t fd_limit)
{
    if (ready_fd < 0) return;
    eb_net_ready r = {.error = error, .port = port, .fd_limit = fd_limit};
    ssize_t n;
    while ((n = write(ready_fd, &r, sizeof r)) < 0 && errno == EINTR) {
    }
}

int eb_net_serve(const eb_net_server_config *config, int ready_fd, eb_net_server_stats *stats)
{
    eb_net_server_stats local;
    if (stats == NULL) stats = &local;
    memset(stats, 0, sizeof *stats);
    unsigned threads = config->threads == 0 ? 1 : config->threads;
    if (threads > EB_NET_SERVER_MAX_THREADS || config->jitter_pct > 100 || config->latency_us < 0) {
        report_ready(ready_fd, -EINVAL, 0, 0);
        return -EINVAL;
    }
    serve_state *st = calloc(1, sizeof *st);
    if (st == NULL) {
        report_ready(ready_fd, -ENOMEM, 0, 0);
        return -ENOMEM;
    }
    st->config = *config;
    st->config.cpuset = NULL; /* applied here; the pointer is the caller's */
    st->stats = stats;
    st->threads = threads;
    stats->threads = threads;
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); /* delays end on time, not 50 us later */
    int rc = 0;
    if (config->cpuset != NULL && sched_setaffinity(0, sizeof *config->cpuset, config->cpuset) != 0)
        rc = -errno;
    uint64_t fd_limit = 0;
    eb_net_raise_fd_limit(0, &fd_limit, NULL);
    stats->fd_limit = fd_limit;
    uint16_t port = 0;
    for (unsigned i = 0; rc == 0 && i < threads; i++) {
        st->thread[i].state = st;
        st->thread[i].index = i;
        rc = thread_setup(st, &st->thread[i], &port);
    }
    struct event *stop[2] = {NULL, NULL};
    if (rc == 0) {
        stop[0] = evsignal_new(st->thread[0].base, SIGTERM, on_stop_signal, st->thread[0].base);
        stop[1] = evsignal_new(st->thread[0].base, SIGINT, on_stop_signal, st->thread[0].base);
        if (stop[0] == NULL || stop[1] == NULL || evsignal_add(stop[0], NULL) != 0 ||
            evsignal_add(stop[1], NULL) != 0)
            rc = -ENOMEM;
    }
    __atomic_store_n(&stats->last_pu, sched_getcpu(), __ATOMIC_RELAXED);
    for (unsigned i = 1; rc == 0 && i < threads; i++)
        rc = -pthread_create(&st->thread[i].tid, NULL, thread_main, &st->thread[i]);
    report_ready(ready_fd, rc, port, fd_limit);
    if (rc != 0) return rc; /* the process exits: what was set up goes with it */
    self = &st->thread[0];
    event_base_dispatch(st->thread[0].base);
    /* the other loops run on until the process exits, as the caller does now */
    return 0;
}

/* ---- the forked server ---------------------------------------------------------- */

struct eb_net_server {
    pid_t pid;
    uint16_t port;
    eb_net_server_stats *stats; /* shared with the child */
};

eb_net_server_config eb_net_server_default_config(void)
{
    return (eb_net_server_config){.threads = 1};
}

static _Noreturn void child_main(const eb_net_server_config *config, int ready_fd,
                                 eb_net_server_stats *stats, pid_t parent)
{
    /* die with the thread that started it, never outlive the run */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    /* keep only stdio and the ready pipe: an inherited pipe's write end would
     * keep its reader from ever seeing end-of-file */
    if (ready_fd != 3) {
        if (dup2(ready_fd, 3) < 0) _exit(1);
        ready_fd = 3;
    }
    close_range(4, ~0U, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL); /* the forking thread's mask is inherited */
    signal(SIGPIPE, SIG_IGN);              /* a client gone mid-write is an error, not a kill */
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    int rc = eb_net_serve(config, ready_fd, stats);
    _exit(rc == 0 ? 0 : 1);
}

static int read_ready(int fd, eb_net_ready *r)
{
    size_t got = 0;
    while (got < sizeof *r) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = poll(&p, 1, READY_TIMEOUT_MS);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n == 0 ? -ETIMEDOUT : -errno;
        ssize_t k = read(fd, (char *)r + got, sizeof *r - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return k == 0 ? -ECHILD : -errno; /* end of file: it died */
        got += (size_t)k;
    }
    return 0;
}

static int64_t tv_ns(struct timeval tv)
{
    return (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000;
}

static int reap(pid_t pid, bool nohang, int *status, struct rusage *ru)
{
    for (;;) {
        pid_t r = wait4(pid, status, nohang ? WNOHANG : 0, ru);
        if (r == pid) return 1;
        if (r == 0) return 0;
        if (errno != EINTR) return -errno;
    }
}

int eb_net_server_start(const eb_net_server_config *config, eb_net_server **out)
{
    *out = NULL;
    if (config->threads > EB_NET_SERVER_MAX_THREADS || config->jitter_pct > 100 ||
        config->latency_us < 0)
        return -EINVAL;
    /* The server's handle is made after the fork: a forked server would
     * otherwise hold a copy it never frees (valgrind counts it lost). */
    eb_net_server_stats *stats =
        mmap(NULL, sizeof *stats, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (stats == MAP_FAILED) return -ENOMEM;
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
        int err = -errno;
        munmap(stats, sizeof *stats);
        return err;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        child_main(config, p[1], stats, parent);
    }
    int err = pid < 0 ? -errno : 0;
    close(p[1]);
    eb_net_ready ready = {0};
    if (err == 0) err = read_ready(p[0], &ready);
    close(p[0]);
    if (err == 0) err = ready.error;
    eb_net_server *s = err == 0 ? calloc(1, sizeof *s) : NULL;
    if (err == 0 && s == NULL) err = -ENOMEM;
    if (err != 0) {
        if (pid > 0) {
            int status;
            kill(pid, SIGKILL);
            reap(pid, false, &status, NULL);
        }
        munmap(stats, sizeof *stats);
        return err;
    }
    s->stats = stats;
    s->pid = pid;
    s->port = ready.port;
    *out = s;
    return 0;
}

uint16_t eb_net_server_port(const eb_net_server *s)
{
    return s->port;
}

pid_t eb_net_server_pid(const eb_net_server *s)
{
    return s->pid;
}

void eb_net_server_get_stats(const eb_net_server *s, eb_net_server_stats *out)
{
    /* counters written by the child with relaxed atomics: read them alike */
    const eb_net_server_stats *in = s->stats;
    memset(out, 0, sizeof *out);
    out->accepts = __atomic_load_n(&in->accepts, __ATOMIC_RELAXED);
    out->requests = __atomic_load_n(&in->requests, __ATOMIC_RELAXED);
    out->responses = __atomic_load_n(&in->responses, __ATOMIC_RELAXED);
    out->body_bytes_sent = __atomic_load_n(&in->body_bytes_sent, __ATOMIC_RELAXED);
    out->accept_errors = __atomic_load_n(&in->accept_errors, __ATOMIC_RELAXED);
    out->fd_limit = __atomic_load_n(&in->fd_limit, __ATOMIC_RELAXED);
    out->last_pu = __atomic_load_n(&in->last_pu, __ATOMIC_RELAXED);
    out->threads = __atomic_load_n(&in->threads, __ATOMIC_RELAXED);
    for (unsigned i = 0; i < EB_NET_SERVER_MAX_THREADS; i++)
        out->accepts_by_thread[i] = __atomic_load_n(&in->accepts_by_thread[i], __ATOMIC_RELAXED);
}

int64_t eb_net_server_cpu_ns(const eb_net_server *s)
{
    /* the process's CPU-time clock: every thread's, to the nanosecond, read
     * from outside while it runs (rusage comes only at its end) */
    clockid_t clock;
    struct timespec t;
    if (clock_getcpuclockid(s->pid, &clock) != 0 || clock_gettime(clock, &t) != 0) return -1;
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int eb_net_server_describe(const eb_net_server *s, int64_t settle_ns, char *buf, size_t len)
{
    siginfo_t info;
    int rc;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    int64_t until = (int64_t)t.tv_sec * 1000000000 + t.tv_nsec + settle_ns;
    for (;;) {
        memset(&info, 0, sizeof info);
        /* WNOWAIT: look without reaping, so eb_net_server_stop still can */
        rc = waitid(P_PID, (id_t)s->pid, &info, WEXITED | WNOHANG | WNOWAIT);
        if (rc != 0 && errno == EINTR) continue;
        if (rc != 0 || info.si_pid == s->pid) break;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((int64_t)t.tv_sec * 1000000000 + t.tv_nsec >= until) break;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    if (rc != 0 && errno == ECHILD)
        return snprintf(buf, len, "the server (pid %d) is gone: another wait reaped it",
                        (int)s->pid);
    if (rc == 0 && info.si_pid == s->pid) {
        if (info.si_code == CLD_EXITED)
            return snprintf(buf, len, "the server (pid %d) exited with status %d", (int)s->pid,
                            info.si_status);
        const char *abbrev = sigabbrev_np(info.si_status);
        return snprintf(buf, len, "the server (pid %d) was killed by signal %d (SIG%s)",
                        (int)s->pid, info.si_status, abbrev != NULL ? abbrev : "?");
    }
    eb_net_server_stats st;
    eb_net_server_get_stats(s, &st);
    if (st.accept_errors > 0)
        return snprintf(buf, len,
                        "the server (pid %d) is running, but %llu of its accepts failed for "
                        "want of file descriptors (its limit: %llu)",
                        (int)s->pid, (unsigned long long)st.accept_errors,
                        (unsigned long long)st.fd_limit);
    return snprintf(buf, len, "the server (pid %d) is running (%llu requests read, %llu answered)",
                    (int)s->pid, (unsigned long long)st.requests, (unsigned long long)st.responses);
}

int eb_net_server_stop(eb_net_server *s, eb_net_server_exit *out)
{
    int status = 0;
    struct rusage ru = {0};
    bool stopped = false;
    int rc = reap(s->pid, true, &status, &ru); /* ended on its own (a fault, a kill)? */
    if (rc == 0) {
        stopped = true;
        kill(s->pid, SIGTERM);
        int64_t give_up = 0;
        struct timespec tick = {0, 1000000};
        while ((rc = reap(s->pid, true, &status, &ru)) == 0) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            int64_t now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
            if (give_up == 0) give_up = now_ns + STOP_GRACE_NS;
            if (now_ns >= give_up) {
                kill(s->pid, SIGKILL);
                rc = reap(s->pid, false, &status, &ru);
                break;
            }
            nanosleep(&tick, NULL);
        }
    }
    if (out != NULL) {
        memset(out, 0, sizeof *out);
        out->user_ns = tv_ns(ru.ru_utime);
        out->sys_ns = tv_ns(ru.ru_stime);
        out->cpu_ns = out->user_ns + out->sys_ns;
        out->status = status;
        out->stopped = stopped && ((WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
                                   (WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM));
        eb_net_server_get_stats(s, &out->stats);
        out->pu = out->stats.last_pu;
    }
    munmap(s->stats, sizeof *s->stats);
    free(s);
    return rc < 0 ? rc : 0;
}

static const char *const fault_names[] = {
    [EB_NET_FAULT_NONE] = "none",
    [EB_NET_FAULT_SILENT] = "silent",
    [EB_NET_FAULT_TRUNCATE] = "truncate",
    [EB_NET_FAULT_WRONG_BODY] = "wrong-body",
    [EB_NET_FAULT_STATUS_500] = "status-500",
    [EB_NET_FAULT_DIE] = "die",
};

const char *eb_net_fault_name(eb_net_fault fault)
{
    return (unsigned)fault < sizeof fault_names / sizeof *fault_names ? fault_names[fault] : "?";
}

int eb_net_fault_parse(const char *text, eb_net_fault *out)
{
    for (unsigned f = 0; f < sizeof fault_names / sizeof *fault_names; f++)
        if (strcmp(text, fault_names[f]) == 0) {
            *out = (eb_net_fault)f;
            return 0;
        }
    return -EINVAL;
}
