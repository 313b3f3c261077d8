/* memory_fit.h — will a plan point fit in the memory this process may use?
 *
 * Before a point starts, eb_fit_estimate_point says what it will need and
 * eb_mem_available_read what the machine and this process's limits allow;
 * eb_fit_check compares them, limit by limit, and says the tightest one and
 * how many tasks (or workers) would fit it, so that a point that cannot fit
 * is refused up front with figures, not killed halfway (issue 16).
 *
 * The per-unit figures are measurements of this code on Linux x86-64 (the
 * cgroup's charge over a run of N units, user and kernel memory, divided by
 * N, with the job's per-task arrays):
 *   coroutine, separate stacks  4,152-4,298 B (a 4 KiB stack page, its page
 *                               table share, the timer heap's 24 B)
 *   coroutine, copied stacks      547-613 B with fcontext, 1,580 B with
 *                               ucontext (a control block, the frames' save
 *                               buffer: 352 / 1,296 bytes for io.sleep)
 *   thread                       ~33 KiB (8 KiB of stack and TLS touched,
 *                               ~24 KiB of kernel stack and task structures)
 *   process                     ~152 KiB (page tables, kernel structures and
 *                               the pages a forked worker dirties)
 * and the point process itself ~5 MiB resident, ~1 MiB of anonymous address
 * space besides its files (the program and its libraries: program_bytes).
 * A workload whose tasks hold more (deeper frames, buffers) needs more: the
 * caller can say so (eb_fit_point.frame_bytes, extra_task_bytes).
 *
 * Self-contained (libc only): no runner headers, so it can sit wherever the
 * runner's layout puts it. */
#ifndef EB_MEMORY_FIT_H
#define EB_MEMORY_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Tasks in flight at once with `workers` (threads, processes or coroutines):
 * W, or every task when unbounded (0) or when W exceeds the tasks. The plan,
 * this estimate and the coroutine executors all count them so. */
static inline uint64_t eb_in_flight(uint64_t tasks, uint64_t workers)
{
    return workers == 0 || workers > tasks ? tasks : workers;
}

typedef enum eb_fit_executor {
    EB_FIT_SEQUENTIAL = 0,
    EB_FIT_THREADED,
    EB_FIT_COROUTINE,
    EB_FIT_MULTIPROCESS,
    EB_FIT_HYBRID, /* `workers` threads, each with coroutines: `tasks` coroutines in all */
} eb_fit_executor;

typedef struct eb_fit_point {
    eb_fit_executor executor;
    uint64_t workers; /* in flight; 0: unbounded (coroutine): every task at once */
    uint64_t tasks;
    bool copy_stacks;          /* coroutines: one copied run stack per thread */
    bool ucontext;             /* coroutines: the ucontext backend (larger frames) */
    uint64_t frame_bytes;      /* copied stacks: a parked task's frames (0: io.sleep's) */
    uint64_t stack_bytes;      /* separate stacks: each coroutine's (0: the runner's rule) */
    uint64_t extra_task_bytes; /* what each task in flight holds besides its stack */
} eb_fit_point;

/* What a point will need, in bytes. */
typedef struct eb_fit_estimate {
    uint64_t units;            /* coroutines, threads or processes alive at once */
    uint64_t unit_bytes;       /* resident (and charged to the cgroup) per unit */
    uint64_t fixed_bytes;      /* the point process and what does not grow with units */
    uint64_t resident_bytes;   /* fixed + units x unit: the cgroup's and RAM's view */
    uint64_t address_bytes;    /* the point process's address space (RLIMIT_AS) */
    uint64_t data_bytes;       /* its private writable mappings (RLIMIT_DATA) */
    uint64_t commit_bytes;     /* what strict overcommit (mode 2) counts */
    uint64_t address_per_unit; /* how address_bytes grows per unit (what would fit) */
    uint64_t data_per_unit;
    uint64_t commit_per_unit;
} eb_fit_estimate;

void eb_fit_estimate_point(const eb_fit_point *p, eb_fit_estimate *out);

#define EB_FIT_UNLIMITED UINT64_MAX

/* What this process may use (EB_FIT_UNLIMITED where there is no limit). */
typedef struct eb_mem_available {
    int cgroup_version;     /* 1, 2, or 0: no memory cgroup found */
    char cgroup_dir[512];   /* the tightest cgroup on the way to the root */
    uint64_t cgroup_limit;  /* its memory.max / memory.limit_in_bytes */
    uint64_t cgroup_usage;  /* its memory.current / memory.usage_in_bytes */
    uint64_t rlimit_as;     /* RLIMIT_AS, soft */
    uint64_t rlimit_data;   /* RLIMIT_DATA, soft */
    int overcommit_mode;    /* vm.overcommit_memory: 0 heuristic, 1 always, 2 strict */
    uint64_t commit_limit;  /* CommitLimit */
    uint64_t committed;     /* Committed_AS */
    uint64_t mem_available; /* MemAvailable */
    uint64_t mem_total;     /* MemTotal */
    uint64_t program_bytes; /* the address space this program's files take, mapped here
                             * (the executable and its libraries, /proc/self/maps): a point
                             * process is this program again and maps them too, before any
                             * unit (44 MiB for execbench on Debian 12: hwloc brings libxml2
                             * and ICU's 30 MiB of data); 0 when unread */
} eb_mem_available;

/* Reads the limits of the calling process: /proc/self/cgroup and the
 * cgroup files (v2, or v1's memory hierarchy; every ancestor's limit
 * counts), getrlimit, /proc/sys/vm/overcommit_memory, /proc/self/maps,
 * /proc/meminfo. `root` prefixes every path read ("" or NULL: the real ones; a test's fake tree
 * otherwise: the rlimits are still the process's own). 0, or -errno when
 * /proc/meminfo cannot be read (the rest is then unknown). */
int eb_mem_available_read(const char *root, eb_mem_available *out);

/* The first number in the file at `path` ("max" is EB_FIT_UNLIMITED), or
 * `fallback` when it cannot be read. */
uint64_t eb_fit_read_u64(const char *path, uint64_t fallback);

typedef enum eb_fit_limit {
    EB_FIT_NONE = 0, /* fits every limit */
    EB_FIT_CGROUP,   /* the memory cgroup's room: limit - usage */
    EB_FIT_RAM,      /* MemAvailable */
    EB_FIT_COMMIT,   /* CommitLimit - Committed_AS, strict overcommit only */
    EB_FIT_RLIMIT_AS,
    EB_FIT_RLIMIT_DATA,
} eb_fit_limit;

typedef struct eb_fit_verdict {
    bool fits;
    eb_fit_limit limit; /* the tightest limit: the one exceeded, or the one with the
                           least room to spare when everything fits */
    uint64_t need;      /* what the point needs against that limit */
    uint64_t room;      /* what that limit leaves */
    uint64_t max_units; /* refused: the most units that fit every limit (searched with
                           the estimate itself); when it fits: the units asked for */
    uint64_t max_tasks; /* the same as a --tasks when the units grow with the tasks
                           (unbounded coroutines, workers >= tasks), else 0 (then
                           max_units is a --workers) */
} eb_fit_verdict;

void eb_fit_check(const eb_fit_point *p, const eb_fit_estimate *e, const eb_mem_available *a,
                  eb_fit_verdict *out);

/* "RLIMIT_AS", "the memory cgroup's limit", ... */
const char *eb_fit_limit_name(eb_fit_limit limit);

/* One line for an error row: what the point needs, what the limit leaves,
 * and what would fit, e.g. "1000000 coroutines (separate stacks) need ~3.9
 * GiB (4152 B each + 5.3 MiB), the memory cgroup
 * (/sys/fs/cgroup/memory/x) leaves 1.9 GiB: at most 480000 fit". Returns the
 * snprintf length. */
int eb_fit_describe(const eb_fit_point *p, const eb_fit_estimate *e, const eb_mem_available *a,
                    const eb_fit_verdict *v, char *buf, size_t len);

#endif
