/* sandbox.h — meet a real limit without touching the machine's: run
 * build/execbench under lowered resource limits, as an unused uid (root
 * bypasses RLIMIT_NPROC), in a PID namespace of its own with a small
 * kernel.pid_max, or give this test process a private tmpfs (full, read-only)
 * in a mount namespace of its own. What cannot be done here is said, so the
 * test can skip (exit 77) with the reason. */
#ifndef EB_TEST_SANDBOX_H
#define EB_TEST_SANDBOX_H

#include "execbench_process.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct eb_sandbox {
    uid_t uid;             /* != 0: run as this uid and gid (needs root) */
    uint64_t nproc;        /* != 0: RLIMIT_NPROC */
    uint64_t nofile;       /* != 0: RLIMIT_NOFILE */
    uint64_t as_bytes;     /* != 0: RLIMIT_AS */
    unsigned pid_max;      /* != 0: a new PID namespace with this kernel.pid_max (>= 301) */
    uint64_t memory_bytes; /* != 0: a memory cgroup of its own with this limit (removed
                            * after sandbox_run; cgroup v1, or v2 where the test's own
                            * cgroup delegates the memory controller) */
    const char *cwd;       /* where it runs (NULL: here) */
    const char *tmpdir;    /* TMPDIR for it (NULL: as inherited) */
} eb_sandbox;

/* Whether this sandbox can be made here: true, or false with the reason. */
bool sandbox_possible(const eb_sandbox *s, char *why, size_t len);

/* Starts execbench with `args` in the sandbox (finish with proc_finish; the
 * exit code is execbench's, or 128 + its signal). */
void sandbox_start(eb_proc *p, const char *const *args, const eb_sandbox *s);
int sandbox_run(eb_proc *p, const char *const *args, const eb_sandbox *s);

/* An unused uid for this test (no process has it), so that RLIMIT_NPROC
 * counts only what the test starts. */
uid_t sandbox_free_uid(void);

/* Moves this process into a private mount namespace and mounts a tmpfs with
 * `options` ("size=256k", "ro,size=64k"; "dev,size=64k" for one whose device
 * nodes open) on `dir`: true, or false with the reason. Only this process
 * and its children see it; it goes when they end. */
bool sandbox_private_tmpfs(const char *dir, const char *options, char *why, size_t len);

#endif
