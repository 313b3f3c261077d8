/* child.h — running one child program under supervision.
 *
 * The child gets its own process group, stdin from /dev/null, its stdout and
 * stderr captured, the report pipe as fd 3, the progress pipe as fd 4
 * (crash.h) and, when asked for, a command pipe as fd 5 (protocol.h: a point
 * kept alive across rounds). It is never waited
 * on forever: past the timeout it is asked to describe itself (SIGUSR1), then
 * its whole group is killed; an interrupt of the parent kills it at once; its
 * exit is watched through a pidfd, and once it has exited its group is killed
 * too, so no worker it left behind survives, and it is reaped. */
#ifndef EB_CHILD_H
#define EB_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct eb_child_result {
    char *out; /* all of stdout, NUL-terminated (malloc'd; may be NULL) */
    size_t out_len;
    char err_tail[4096]; /* the end of stderr, NUL-terminated */
    char report[1024];   /* what came through fd 3, NUL-terminated */
    char said[64];       /* the last whole line that came through fd 4 ("rep 3/10") */
    int wait_status;     /* waitpid's, when reaped */
    bool reaped;
    bool timed_out;
    int interrupted; /* the signal that interrupted the parent meanwhile, or 0 */
    int spawn_error; /* -errno when the child could not be started, or 0 */
    char limit[512]; /* then, the limit that refused it (oslimits.h), or "" */
    int64_t oom_kills_before, oom_kills_after; /* the machine's, around its life (ososlimits.h) */
    int64_t wall_ns;
} eb_child_result;

/* Called about 4 times a second while the child runs (may be NULL), with
 * what it last said on its progress pipe ("" before it said anything). */
typedef void (*eb_child_tick_fn)(void *arg, int64_t elapsed_ns, const char *said);

/* Runs `path` with `argv` (NULL-terminated) for at most `timeout_ns`.
 * Returns 0 when it ran (whatever its fate, in `r`), or -errno when it could
 * not be started. */
int eb_child_run(const char *path, char *const argv[], int64_t timeout_ns, eb_child_tick_fn tick,
                 void *tick_arg, eb_child_result *r);

/* ---- a child that lives on (served.h builds on it) ---------------------------- */

typedef struct eb_child_stream {
    int fd;
    char *buf; /* stdout: grows; stderr: a tail; report: bounded */
    size_t len, cap;
    bool tail; /* keep the end, drop the beginning */
} eb_child_stream;

typedef struct eb_child {
    int pid, pidfd;
    int command_fd; /* the write end of its fd 5, or -1 */
    eb_child_stream out, err, rep, prog;
    char said_tail[128];
    bool overflow, killed;
    int64_t start_ns, kill_at, drain_until;
    eb_child_result *r; /* its fate */
} eb_child;

/* Starts `path` (with a command pipe as its fd 5 when `command_pipe`): 0, or
 * -errno with r->spawn_error and r->limit set. */
int eb_child_start(const char *path, char *const argv[], bool command_pipe, eb_child *c,
                   eb_child_result *r);

/* Reads what the child says until it has exited and its pipes are drained or,
 * when `line_from` is not NULL, until its stdout holds a whole line beyond
 * offset *line_from (*line_from then gets the offset past it). Past
 * `timeout_ns` from now it is described and killed (r->timed_out); an
 * interrupt kills it. True when the line came; false when the child ended. */
bool eb_child_pump(eb_child *c, int64_t timeout_ns, size_t *line_from, eb_child_tick_fn tick,
                   void *tick_arg);

/* Kills what is left of it, reaps it, closes its pipes and hands its stdout
 * to r->out. */
void eb_child_finish(eb_child *c);
void eb_child_result_free(eb_child_result *r);

/* True when the child exited 0 and was neither timed out nor interrupted. */
bool eb_child_ok(const eb_child_result *r);
/* One line saying what went wrong ("timed out after 2 s (task 1 never
 * finished; ...)", "worker 0 killed by signal 11 (SIGSEGV) in task 1", ...). */
void eb_child_describe(const eb_child_result *r, int64_t timeout_ns, const char *what, char *buf,
                       size_t len);

/* Reaps any exited descendants handed to us as subreaper; waits up to
 * `wait_ns` for those still exiting. */
void eb_child_reap_orphans(int64_t wait_ns);

#endif
