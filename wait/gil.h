/* gil.h — an emulation of CPython 3's global interpreter lock, as
 * Python/ceval_gil.c has it, for threads that run execbench's C workloads.
 *
 * One lock: a flag guarded by a mutex, its changes signalled on a condition
 * variable. A thread that wants it and finds it held waits on the condition
 * for the switch interval (CPython's sys.getswitchinterval(), 5 ms); when that
 * wait times out and no switch happened meanwhile, it sets the drop request
 * (CPython's eval breaker). The holder looks at the request at its next check
 * point (wait.h's eb_check_point, called by CPU workloads every few
 * microseconds of work, as CPython checks on the eval loop's back edges),
 * drops the lock and, with forced switching (CPython's FORCE_SWITCHING, on by
 * default), waits until another thread has taken it before it asks for it
 * again: without that, the dropping thread, still running, usually wins the
 * lock straight back on a multi-core machine. Waits (wait.h) release the lock
 * while they block and take it back after.
 *
 * A thread takes part with eb_gil_attach (which takes the lock and installs
 * the check-point hook for the thread) and leaves with eb_gil_detach. The
 * threaded and hybrid executors attach each of their threads when the job
 * carries a GIL (job.h's gil); a process has its own, as in CPython, so a
 * multiprocess job needs none. */
#ifndef EB_GIL_H
#define EB_GIL_H

#include "wait.h"

#include <stdbool.h>
#include <stdint.h>

/* CPython's default switch interval, in microseconds. */
#define EB_GIL_DEFAULT_INTERVAL_US 5000

typedef struct eb_gil eb_gil;

typedef struct eb_gil_config {
    int64_t interval_us;  /* the switch interval (>= 1); 0: EB_GIL_DEFAULT_INTERVAL_US */
    bool no_force_switch; /* leave out FORCE_SWITCHING (CPython always has it) */
} eb_gil_config;

/* What a GIL counted since it was created (eb_gil_stats_since for a job). */
typedef struct eb_gil_stats {
    uint64_t switches;      /* the lock went to a thread other than its last holder */
    uint64_t drop_requests; /* a waiter's interval ran out with no switch: it asked */
    uint64_t handoffs;      /* a holder dropped the lock at a check point, at request */
    uint64_t forced_waits;  /* ... and then waited until another thread took it */
    uint64_t contended;     /* takes that found the lock held and had to wait */
    int64_t wait_ns; /* time spent waiting to take it (its mutex included), summed over threads */
} eb_gil_stats;

/* One thread's part: what it holds, its hook, its own wait. Owned by the
 * thread's caller (on its stack or in an array); read-only outside gil.c. */
typedef struct eb_gil_thread {
    eb_gil *gil;
    eb_check_hook hook;
    const eb_check_hook *previous_hook;
    bool holding;
    int64_t wait_ns;   /* this thread's time waiting to take the lock */
    uint64_t handoffs; /* this thread's drops at request */
} eb_gil_thread;

/* 0, -EINVAL (interval < 0), -ENOMEM, or a pthread error as -errno. */
int eb_gil_create(const eb_gil_config *config, eb_gil **out);
void eb_gil_destroy(eb_gil *gil);

int64_t eb_gil_interval_us(const eb_gil *gil);

/* Joins `gil` from the calling thread: takes the lock (waiting for it as any
 * take does) and installs the check-point hook. */
void eb_gil_attach(eb_gil *gil, eb_gil_thread *self);
/* Drops the lock for good (no forced-switch wait: the thread is leaving, as
 * CPython's last drop of a thread) and restores the previous hook. */
void eb_gil_detach(eb_gil_thread *self);

/* Takes / drops the lock explicitly (the hook does this at check points and
 * around waits). eb_gil_drop waits for another taker when a drop request is
 * pending (FORCE_SWITCHING), as every drop by a live thread does in CPython. */
void eb_gil_take(eb_gil_thread *self);
void eb_gil_drop(eb_gil_thread *self);

/* The counts so far. */
void eb_gil_get_stats(const eb_gil *gil, eb_gil_stats *out);
/* now - before, field by field (a job's share of the counts). */
eb_gil_stats eb_gil_stats_since(const eb_gil_stats *before, const eb_gil_stats *now);

#endif
