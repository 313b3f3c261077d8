/* child.c — see child.h. */
#include "child.h"

#include "crash.h"
#include "err.h"
#include "interrupt.h"
#include "oslimits.h"
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

typedef struct stream {
    int fd;
    char *buf; /* stdout: grows; stderr: a tail; report: bounded */
    size_t len, cap;
    bool tail; /* keep the end, drop the beginning */
} stream;

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

static int spawn(const char *path, char *const argv[], int out_w, int err_w, int rep_w, int prog_w,
                 pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_w, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, err_w, STDERR_FILENO);
    posix_spawn_file_actions_adddup2(&fa, rep_w, EB_REPORT_FD);
    posix_spawn_file_actions_adddup2(&fa, prog_w, EB_PROGRESS_FD);
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

int eb_child_run(const char *path, char *const argv[], int64_t timeout_ns, eb_child_tick_fn tick,
                 void *tick_arg, eb_child_result *r)
{
    memset(r, 0, sizeof *r);
    r->oom_kills_before = r->oom_kills_after = eb_limits_oom_kills();
    int out_p[2] = {-1, -1}, err_p[2] = {-1, -1}, rep_p[2] = {-1, -1}, prog_p[2] = {-1, -1};
    int rc = make_pipe(out_p);
    if (rc == 0) rc = make_pipe(err_p);
    if (rc == 0) rc = make_pipe(rep_p);
    if (rc == 0) rc = make_pipe(prog_p);
    pid_t pid = -1;
    if (rc == 0) rc = spawn(path, argv, out_p[1], err_p[1], rep_p[1], prog_p[1], &pid);
    int *ends[] = {out_p, err_p, rep_p, prog_p};
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        if (ends[i][1] >= 0) close(ends[i][1]);
    if (rc != 0) {
        r->spawn_error = rc;
        eb_limits_why(rc, &(eb_limit_ask){.kind = 't'}, r->limit, sizeof r->limit);
        for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
            if (ends[i][0] >= 0) close(ends[i][0]);
        return rc;
    }

    stream out = {.fd = out_p[0], .cap = 65536};
    stream err = {.fd = err_p[0], .cap = sizeof r->err_tail, .tail = true};
    stream rep = {.fd = rep_p[0], .cap = sizeof r->report, .tail = false};
    char said_tail[2 * sizeof r->said];
    stream prog = {.fd = prog_p[0], .cap = sizeof said_tail, .tail = true, .buf = said_tail};
    out.buf = malloc(out.cap);
    err.buf = r->err_tail;
    rep.buf = r->report;
    bool overflow = false;
    if (out.buf == NULL) out.cap = 0;

    int pidfd = pidfd_open(pid, 0); /* -1 on old kernels: fall back to polling waitpid */
    int64_t start = eb_now_ns(), deadline = start + timeout_ns;
    int64_t kill_at = INT64_MAX, drain_until = INT64_MAX, next_tick = start + TICK_NS;
    bool killed = false;
    size_t report_len_at_timeout = 0;

    for (;;) {
        int64_t now = eb_now_ns();
        if (!r->reaped && !r->timed_out && now >= deadline) {
            r->timed_out = true;
            report_len_at_timeout = rep.len;
            kill(pid, EB_DESCRIBE_SIGNAL);
            kill_at = now + DESCRIBE_GRACE_NS;
        }
        if (!r->reaped && !killed && r->interrupted == 0 && eb_interrupted() != 0) {
            r->interrupted = eb_interrupted();
            kill_at = now;
        }
        if (r->timed_out && !killed &&
            memchr(r->report + report_len_at_timeout, '\n', rep.len - report_len_at_timeout) !=
                NULL)
            kill_at = now; /* it has described itself */
        if (!r->reaped && !killed && now >= kill_at) {
            kill(-pid, SIGKILL);
            killed = true;
        }
        if (!r->reaped) {
            int status = 0;
            bool exited = false;
            if (pidfd < 0) {
                pid_t w = waitpid(pid, &status, WNOHANG);
                exited = w == pid;
            } else {
                struct pollfd pp = {.fd = pidfd, .events = POLLIN};
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
                if (pidfd < 0) kill(-pid, SIGKILL);
                r->oom_kills_after = eb_limits_oom_kills();
                r->reaped = true;
                r->wait_status = status;
                r->wall_ns = eb_now_ns() - start;
                drain_until = eb_now_ns() + DRAIN_NS;
            }
        }
        bool open_streams = out.fd >= 0 || err.fd >= 0 || rep.fd >= 0 || prog.fd >= 0;
        if (r->reaped && (!open_streams || now >= drain_until)) break;

        struct pollfd fds[6];
        stream *owner[6];
        int n = 0;
        stream *streams[] = {&out, &err, &rep, &prog};
        for (int i = 0; i < 4; i++)
            if (streams[i]->fd >= 0) {
                fds[n] = (struct pollfd){.fd = streams[i]->fd, .events = POLLIN};
                owner[n++] = streams[i];
            }
        int first_extra = n;
        if (!r->reaped && pidfd >= 0) fds[n++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
        if (!r->reaped && eb_interrupt_fd() >= 0)
            fds[n++] = (struct pollfd){.fd = eb_interrupt_fd(), .events = POLLIN};

        int64_t wake = next_tick;
        if (!r->timed_out && deadline < wake) wake = deadline;
        if (kill_at < wake) wake = kill_at;
        if (drain_until < wake) wake = drain_until;
        if (pidfd < 0 && !r->reaped && now + 10000000 < wake) wake = now + 10000000;
        int64_t wait_ms = (wake - now + 999999) / 1000000;
        if (wait_ms < 0) wait_ms = 0;
        int ready = poll(fds, (nfds_t)n, (int)wait_ms);
        if (ready < 0 && errno != EINTR) break;
        for (int i = 0; i < first_extra && ready > 0; i++)
            if (fds[i].revents != 0) stream_read(owner[i], &overflow);
        last_whole_line(&prog, r->said, sizeof r->said);
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
    if (!r->reaped) { /* poll failed: do not leave it behind */
        kill(-pid, SIGKILL);
        while (waitpid(pid, &r->wait_status, 0) < 0 && errno == EINTR) {
        }
        r->reaped = true;
        r->wall_ns = eb_now_ns() - start;
    }
    if (out.fd >= 0) close(out.fd);
    if (err.fd >= 0) close(err.fd);
    if (rep.fd >= 0) close(rep.fd);
    if (prog.fd >= 0) close(prog.fd);
    if (pidfd >= 0) close(pidfd);
    if (overflow) {
        free(out.buf);
        out.buf = NULL;
        out.len = 0;
        snprintf(r->err_tail, sizeof r->err_tail, "printed more than %u MiB on stdout",
                 MAX_STDOUT >> 20);
    }
    r->out = out.buf;
    r->out_len = out.len;
    if (r->out != NULL) r->out[r->out_len] = '\0';
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
