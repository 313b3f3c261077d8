/* child.h — running one child program under supervision.
 *
 * The child gets its own process group, stdin from /dev/null, its stdout and
 * stderr captured, the report pipe as fd 3 and the progress pipe as fd 4
 * (crash.h). It is never waited
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
