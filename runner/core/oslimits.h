/* oslimits.h — which limit a refused thread, process, mapping or file
 * descriptor ran into, in words.
 *
 * errno alone ("Resource temporarily unavailable") does not say which of
 * several limits was reached. eb_limits_read notes every limit that can cause
 * such a refusal and how much of it is in use; the eb_limits_explain_*
 * functions name the one that is exhausted, with its value and what to
 * change, or list them all when none clearly is. They run only after a
 * failure (reading costs a scan of /proc), never inside a timed job, and the
 * explaining functions only format: the tests feed them made-up values. */
#ifndef EB_OSLIMITS_H
#define EB_OSLIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EB_LIMIT_NONE UINT64_MAX /* no limit (RLIM_INFINITY, "max") */
#define EB_LIMIT_UNKNOWN (UINT64_MAX - 1)

typedef struct eb_limits {
    /* threads and processes: each one is a task the kernel counts */
    uint64_t nproc;       /* RLIMIT_NPROC, soft */
    bool nproc_exempt;    /* root or CAP_SYS_RESOURCE/CAP_SYS_ADMIN: not applied */
    uint64_t uid;         /* the real uid RLIMIT_NPROC counts for */
    uint64_t user_tasks;  /* that uid's tasks now */
    uint64_t threads_max; /* kernel.threads-max */
    uint64_t threads_now; /* every task on the machine (/proc/loadavg) */
    uint64_t pid_max;     /* kernel.pid_max of this PID namespace */
    uint64_t pids_in_use; /* tasks in this PID namespace (/proc) */
    uint64_t cgroup_pids_max, cgroup_pids_current; /* the tightest pids.max above us */
    char cgroup_pids_path[600];
    /* memory */
    uint64_t as_limit, as_used;        /* RLIMIT_AS, VmSize (bytes) */
    uint64_t data_limit, data_used;    /* RLIMIT_DATA, VmData (bytes) */
    uint64_t map_count_max, map_count; /* vm.max_map_count, this process's mappings */
    int overcommit;                    /* vm.overcommit_memory */
    uint64_t commit_limit, committed;  /* CommitLimit, Committed_AS (bytes) */
    uint64_t mem_available;            /* MemAvailable (bytes) */
    /* files */
    uint64_t nofile, nofile_hard;  /* RLIMIT_NOFILE */
    uint64_t file_max, files_open; /* fs.file-max, fs.file-nr */
} eb_limits;

/* Reads every limit and its use now (what cannot be read is EB_LIMIT_UNKNOWN):
 * call it at once after the refusal, while the tasks that count still run. */
void eb_limits_read(eb_limits *l);

/* A thread or process could not be created (EAGAIN, ENOMEM): which limit,
 * its value and its use, then "; raise it (how) or <advice>" (advice e.g.
 * "use a smaller --workers"). `task_bytes`: the memory a new one maps (a
 * thread's stack; 0 for a process). One line, no trailing period. */
void eb_limits_explain_tasks(const eb_limits *l, uint64_t task_bytes, const char *advice, char *buf,
                             size_t len);

/* `bytes` of address space in `maps` new mappings could not be had (ENOMEM). */
void eb_limits_explain_memory(const eb_limits *l, uint64_t bytes, uint64_t maps, const char *advice,
                              char *buf, size_t len);

/* A file descriptor could not be had: EMFILE (this process's limit) or
 * ENFILE (the machine's). */
void eb_limits_explain_files(const eb_limits *l, int err, const char *advice, char *buf,
                             size_t len);

/* What was asked for when the kernel refused. */
typedef struct eb_limit_ask {
    char kind;          /* 't' a thread or process, 'm' memory, 'f' a file descriptor */
    uint64_t bytes;     /* 'm': the size; 't': a thread's stack (0 for a process) */
    uint64_t maps;      /* 'm': new mappings */
    const char *advice; /* what else to do, e.g. "use a smaller --workers" (may be NULL) */
} eb_limit_ask;

/* Reads the limits and explains `err` (a negative errno). Writes
 * "" when `err` is not one a limit causes for that kind (EAGAIN or ENOMEM for
 * 't' and 'm', EMFILE or ENFILE for any). */
void eb_limits_why(int err, const eb_limit_ask *ask, char *buf, size_t len);

/* OOM kills on the machine so far (/proc/vmstat oom_kill: the kernel counts
 * every kill, a cgroup's included), or -1 where the kernel does not say. */
int64_t eb_limits_oom_kills(void);

/* What a SIGKILL means, given the OOM kill counts before and after the
 * killed process ran: "by the kernel's OOM killer (...)" or "sent from
 * outside, not by the OOM killer (...)" (no dmesg needed). */
void eb_limits_explain_kill(int64_t oom_before, int64_t oom_after, char *buf, size_t len);

/* This process's use now: open file descriptors and resident memory, what
 * a long run (--repeat-run) must not grow; -1 where it cannot be read. */
typedef struct eb_self_usage {
    int64_t fds;
    int64_t rss_kib;
} eb_self_usage;

void eb_self_usage_read(eb_self_usage *u);

#endif
