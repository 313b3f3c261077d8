/* child.c — see child.h. */
#include "child.h"

#include "crash.h"
#include "err.h"
#include "interrupt.h"
#include "oslimits.h"
#include "protocol.h"
#include "wait.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_STDOUT (256u << 20)
#define DESCRIBE_GRACE_NS INT64_C(500000000) /* for the child to say where it is stuck */
#define DRAIN_NS INT64_C(1000000000)         /* for its pipes to close after it is gone */
#define TICK_NS INT64_C(250000000)

typedef eb_child_stream stream;

static void stream_read(stream *s, bool *overflow)
{
    char chunk[16384];
    for (;;) {
        ssize_t n = read(s->fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) {
            close(s->fd);
            s->fd = -1;
            return;
        }
        size_t got = (size_t)n;
        if (s->tail) {
            if (got >= s->cap - 1) {
                memcpy(s->buf, chunk + got - (s->cap - 1), s->cap - 1);
                s->len = s->cap - 1;
            } else {
                if (s->len + got > s->cap - 1) {
                    size_t drop = s->len + got - (s->cap - 1);
                    memmove(s->buf, s->buf + drop, s->len - drop);
                    s->len -= drop;
                }
                memcpy(s->buf + s->len, chunk, got);
                s->len += got;
            }
        } else {
            if (s->len + got + 1 > s->cap) {
                size_t cap = s->cap;
                while (s->len + got + 1 > cap)
                    cap *= 2;
                char *grown = cap <= MAX_STDOUT ? realloc(s->buf, cap) : NULL;
                if (grown == NULL) {
                    *overflow = true;
                    continue; /* keep reading so the child is not blocked; drop the rest */
                }
                s->buf = grown;
                s->cap = cap;
            }
            memcpy(s->buf + s->len, chunk, got);
            s->len += got;
        }
        s->buf[s->len] = '\0';
    }
}

/* The last whole line of a tail stream into buf (left as it was when the
 * stream holds none yet). */
static void last_whole_line(const stream *s, char *buf, size_t len)
{
    size_t end = s->len;
    while (end > 0 && s->buf[end - 1] != '\n')
        end--;
    if (end == 0) return;
    size_t start = end - 1;
    while (start > 0 && s->buf[start - 1] != '\n')
        start--;
    snprintf(buf, len, "%.*s", (int)(end - 1 - start), s->buf + start);
}

static int make_pipe(int fds[2])
{
    if (pipe2(fds, O_CLOEXEC) != 0) return -errno;
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    return 0;
}

static int spawn(const char *path, char *const argv[], const int ends[5], pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    static const int targets[5] = {STDOUT_FILENO, STDERR_FILENO, EB_REPORT_FD, EB_PROGRESS_FD,
                                   EB_COMMAND_FD};
    for (int i = 0; i < 5; i++)
        if (ends[i] >= 0) posix_spawn_file_actions_adddup2(&fa, ends[i], targets[i]);
    /* Its own process group, so a timeout or an interrupt kills the point and
     * every worker it forked with one kill(-pgid). */
    sigset_t empty, defaults;
    sigemptyset(&empty);
    sigfillset(&defaults);
    sigdelset(&defaults, SIGKILL);
    sigdelset(&defaults, SIGSTOP);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &empty);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    extern char **environ;
    int rc = posix_spawn(pid, path, &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return -rc;
}

int eb_child_start(const char *path, char *const argv[], bool command_pipe, eb_child *c,
                   eb_child_result *r)
{
    memset(c, 0, sizeof *c);
    memset(r, 0, sizeof *r);
    c->r = r;
    c->pid = c->pidfd = c->command_fd = -1;
    r->oom_kills_before = r->oom_kills_after = eb_limits_oom_kills();
    /* stdout, stderr, report, progress: the child writes; commands: it reads */
    int p[5][2] = {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}};
    int rc = 0;
    for (int i = 0; rc == 0 && i < 4; i++)
        rc = make_pipe(p[i]);
    if (rc == 0 && command_pipe && pipe2(p[4], O_CLOEXEC) != 0) rc = -errno;
    pid_t pid = -1;
    if (rc == 0) {
        int ends[5] = {p[0][1], p[1][1], p[2][1], p[3][1], p[4][0]};
        rc = spawn(path, argv, ends, &pid);
    }
    for (int i = 0; i < 4; i++)
        if (p[i][1] >= 0) close(p[i][1]);
    if (p[4][0] >= 0) close(p[4][0]);
    if (rc != 0) {
        r->spawn_error = rc;
        eb_limits_why(rc, &(eb_limit_ask){.kind = 't'}, r->limit, sizeof r->limit);
        for (int i = 0; i < 4; i++)
            if (p[i][0] >= 0) close(p[i][0]);
        if (p[4][1] >= 0) close(p[4][1]);
        return rc;
    }
    c->pid = pid;
    c->command_fd = p[4][1];
    c->out = (stream){.fd = p[0][0], .cap = 65536};
    c->err = (stream){.fd = p[1][0], .cap = sizeof r->err_tail, .tail = true, .buf = r->err_tail};
    c->rep = (stream){.fd = p[2][0], .cap = sizeof r->report, .buf = r->report};
    c->prog =
        (stream){.fd = p[3][0], .cap = sizeof c->said_tail, .tail = true, .buf = c->said_tail};
    c->out.buf = malloc(c->out.cap);
    if (c->out.buf == NULL) c->out.cap = 0;
    c->pidfd = pidfd_open(pid, 0); /* -1 on old kernels: fall back to polling waitpid */
    c->start_ns = eb_now_ns();
    c->kill_at = c->drain_until = INT64_MAX;
    return 0;
}

/* A whole line in stdout beyond *from: its end moves *from past it. */
static bool line_beyond(const eb_child *c, size_t *from)
{
    if (from == NULL || c->out.buf == NULL || *from >= c->out.len) return false;
    const char *nl = memchr(c->out.buf + *from, '\n', c->out.len - *from);
    if (nl == NULL) return false;
    *from = (size_t)(nl - c->out.buf) + 1;
    return true;
}

bool eb_child_pump(eb_child *c, int64_t timeout_ns, size_t *line_from, eb_child_tick_fn tick,
                   void *tick_arg)
{
    eb_child_result *r = c->r;
    int64_t start = eb_now_ns(), deadline = start + timeout_ns, next_tick = start + TICK_NS;
    size_t report_len_at_timeout = 0;
    pid_t pid = c->pid;

    for (;;) {
        if (line_beyond(c, line_from)) return true;
        int64_t now = eb_now_ns();
        if (!r->reaped && !r->timed_out && now >= deadline) {
            r->timed_out = true;
            report_len_at_timeout = c->rep.len;
            kill(pid, EB_DESCRIBE_SIGNAL);
            c->kill_at = now + DESCRIBE_GRACE_NS;
        }
        if (!r->reaped && !c->killed && r->interrupted == 0 && eb_interrupted() != 0) {
            r->interrupted = eb_interrupted();
            c->kill_at = now;
        }
        if (r->timed_out && !c->killed &&
            memchr(r->report + report_len_at_timeout, '\n', c->rep.len - report_len_at_timeout) !=
                NULL)
            c->kill_at = now; /* it has described itself */
        if (!r->reaped && !c->killed && now >= c->kill_at) {
            kill(-pid, SIGKILL);
            c->killed = true;
        }
        if (!r->reaped) {
            int status = 0;
            bool exited = false;
            if (c->pidfd < 0) {
                pid_t w = waitpid(pid, &status, WNOHANG);
                exited = w == pid;
            } else {
                struct pollfd pp = {.fd = c->pidfd, .events = POLLIN};
                if (poll(&pp, 1, 0) > 0) {
                    /* It has exited but is not reaped, so its pid (= the group's
                     * id) cannot be reused: kill what it left in the group. */
                    kill(-pid, SIGKILL);
                    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
                    }
                    exited = true;
                }
            }
            if (exited) {
                if (c->pidfd < 0) kill(-pid, SIGKILL);
                r->oom_kills_after = eb_limits_oom_kills();
                r->reaped = true;
                r->wait_status = status;
                r->wall_ns = eb_now_ns() - c->start_ns;
                c->drain_until = eb_now_ns() + DRAIN_NS;
            }
        }
        stream *streams[] = {&c->out, &c->err, &c->rep, &c->prog};
        bool open_streams = false;
        for (int i = 0; i < 4; i++)
            open_streams |= streams[i]->fd >= 0;
        if (r->reaped && (!open_streams || now >= c->drain_until)) return false;

        struct pollfd fds[6];
        stream *owner[6];
        int n = 0;
        for (int i = 0; i < 4; i++)
            if (streams[i]->fd >= 0) {
                fds[n] = (struct pollfd){.fd = streams[i]->fd, .events = POLLIN};
                owner[n++] = streams[i];
            }
        int first_extra = n;
        if (!r->reaped && c->pidfd >= 0)
            fds[n++] = (struct pollfd){.fd = c->pidfd, .events = POLLIN};
        if (!r->reaped && eb_interrupt_fd() >= 0)
            fds[n++] = (struct pollfd){.fd = eb_interrupt_fd(), .events = POLLIN};

        int64_t wake = next_tick;
        if (!r->timed_out && deadline < wake) wake = deadline;
        if (c->kill_at < wake) wake = c->kill_at;
        if (c->drain_until < wake) wake = c->drain_until;
        if (c->pidfd < 0 && !r->reaped && now + 10000000 < wake) wake = now + 10000000;
        int64_t wait_ms = (wake - now + 999999) / 1000000;
        if (wait_ms < 0) wait_ms = 0;
        int ready = poll(fds, (nfds_t)n, (int)wait_ms);
        if (ready < 0 && errno != EINTR) return false;
        for (int i = 0; i < first_extra && ready > 0; i++)
            if (fds[i].revents != 0) stream_read(owner[i], &c->overflow);
        last_whole_line(&c->prog, r->said, sizeof r->said);
        for (int i = first_extra; i < n && ready > 0; i++)
            if (fds[i].fd == eb_interrupt_fd() && fds[i].revents != 0) {
                char drain[16];
                while (read(fds[i].fd, drain, sizeof drain) > 0) {
                }
            }
        now = eb_now_ns();
        if (now >= next_tick) {
            if (tick != NULL && !r->reaped) tick(tick_arg, now - start, r->said);
            next_tick = now + TICK_NS;
        }
    }
}

void eb_child_finish(eb_child *c)
{
    eb_child_result *r = c->r;
    if (c->command_fd >= 0) close(c->command_fd);
    c->command_fd = -1;
    if (!r->reaped && c->pid > 0) { /* do not leave it behind */
        kill(-c->pid, SIGKILL);
        while (waitpid(c->pid, &r->wait_status, 0) < 0 && errno == EINTR) {
        }
        r->reaped = true;
        r->wall_ns = eb_now_ns() - c->start_ns;
    }
    stream *streams[] = {&c->out, &c->err, &c->rep, &c->prog};
    for (int i = 0; i < 4; i++)
        if (streams[i]->fd >= 0) close(streams[i]->fd);
    if (c->pidfd >= 0) close(c->pidfd);
    c->pidfd = -1;
    if (c->overflow) {
        free(c->out.buf);
        c->out.buf = NULL;
        c->out.len = 0;
        snprintf(r->err_tail, sizeof r->err_tail, "printed more than %u MiB on stdout",
                 MAX_STDOUT >> 20);
    }
    r->out = c->out.buf;
    r->out_len = c->out.len;
    if (r->out != NULL) r->out[r->out_len] = '\0';
    c->out.buf = NULL;
}

int eb_child_run(const char *path, char *const argv[], int64_t timeout_ns, eb_child_tick_fn tick,
                 void *tick_arg, eb_child_result *r)
{
    eb_child c;
    int rc = eb_child_start(path, argv, false, &c, r);
    if (rc != 0) return rc;
    eb_child_pump(&c, timeout_ns, NULL, tick, tick_arg);
    eb_child_finish(&c);
    return 0;
}

void eb_child_result_free(eb_child_result *r)
{
    free(r->out);
    r->out = NULL;
    r->out_len = 0;
}

bool eb_child_ok(const eb_child_result *r)
{
    return r->spawn_error == 0 && !r->timed_out && r->interrupted == 0 && r->reaped &&
           WIFEXITED(r->wait_status) && WEXITSTATUS(r->wait_status) == 0;
}

/* The last non-empty line of `text` into buf. */
static void last_line(const char *text, char *buf, size_t len)
{
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
        n--;
    size_t start = n;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    snprintf(buf, len, "%.*s", (int)(n - start), text + start);
}

static void first_line(const char *text, char *buf, size_t len)
{
    size_t n = strcspn(text, "\n");
    snprintf(buf, len, "%.*s", (int)n, text);
}

void eb_child_describe(const eb_child_result *r, int64_t timeout_ns, const char *what, char *buf,
                       size_t len)
{
    char report[sizeof r->report], err[512];
    last_line(r->report, report, sizeof report);
    last_line(r->err_tail, err, sizeof err);
    if (r->spawn_error != 0) {
        snprintf(buf, len, "could not start the %s: %s%s%s", what, eb_strerror(r->spawn_error),
                 r->limit[0] ? ": " : "", r->limit);
    } else if (r->interrupted != 0) {
        const char *abbrev = sigabbrev_np(r->interrupted);
        snprintf(buf, len, "interrupted by SIG%s before it finished", abbrev ? abbrev : "?");
    } else if (r->timed_out) {
        char described[sizeof r->report];
        first_line(report, described, sizeof described);
        if (described[0] != '\0')
            snprintf(buf, len, "timed out after %g s (%s)", (double)timeout_ns / 1e9, described);
        else
            snprintf(buf, len, "timed out after %g s", (double)timeout_ns / 1e9);
    } else if (WIFSIGNALED(r->wait_status)) {
        int sig = WTERMSIG(r->wait_status);
        const char *abbrev = sigabbrev_np(sig);
        char by[300] = "";
        if (sig == SIGKILL) {
            by[0] = ' ';
            eb_limits_explain_kill(r->oom_kills_before, r->oom_kills_after, by + 1, sizeof by - 1);
        }
        if (report[0] != '\0')
            snprintf(buf, len, "%s", report);
        else
            snprintf(buf, len, "%s killed by signal %d (SIG%s)%s", what, sig, abbrev ? abbrev : "?",
                     by);
    } else if (WIFEXITED(r->wait_status) && WEXITSTATUS(r->wait_status) != 0) {
        int code = WEXITSTATUS(r->wait_status);
        if (report[0] != '\0')
            snprintf(buf, len, "%s", report);
        else if (err[0] != '\0')
            snprintf(buf, len, "%s exited with status %d: %s", what, code, err);
        else
            snprintf(buf, len, "%s exited with status %d", what, code);
    } else {
        snprintf(buf, len, "%s", "");
    }
}

void eb_child_reap_orphans(int64_t wait_ns)
{
    int64_t until = eb_now_ns() + wait_ns;
    for (;;) {
        pid_t w = waitpid(-1, NULL, WNOHANG);
        if (w > 0) continue;
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 || eb_now_ns() >= until) return; /* ECHILD: none left */
        struct timespec pause = {0, 5000000};
        nanosleep(&pause, NULL);
    }
}
