/* served.h — the parent's side of a point process kept alive and told when
 * to run (protocol.h), under the same supervision as any child (child.h):
 * its own process group, its stderr, report and progress pipes read, a
 * timeout per command (past it the point is asked to describe itself, then
 * killed), an interrupt kills it. */
#ifndef EB_SERVED_H
#define EB_SERVED_H

#include "child.h"

typedef struct eb_served {
    eb_child child;
    eb_child_result result; /* its fate, once it ended (eb_child_describe reads it) */
    size_t taken;           /* stdout bytes already handed out as replies */
    char *reply;            /* the last reply (malloc'd) */
    bool ended;             /* it exited or was killed: no more commands */
} eb_served;

/* Starts `path` with `argv` and a command pipe: 0, or -errno (s->result says
 * why, as eb_child_run's would). */
int eb_served_start(eb_served *s, const char *path, char *const argv[]);

/* Sends one command line and waits up to `timeout_ns` for the reply line: 0
 * with *reply (NUL-terminated, valid until the next call) and *len; -EPIPE
 * when the point ended instead (timed out, died, interrupted: s->result),
 * -ENOMEM. */
int eb_served_call(eb_served *s, const char *command, int64_t timeout_ns, eb_child_tick_fn tick,
                   void *tick_arg, const char **reply, size_t *len);

/* Ends the point: closes its command pipe (it exits 0), waits up to
 * `grace_ns` for it, then kills and reaps it. */
void eb_served_stop(eb_served *s, int64_t grace_ns);

/* Frees what the session holds (stop it first). */
void eb_served_free(eb_served *s);

#endif
