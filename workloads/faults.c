/* faults.c — fault injection: test.crash, test.hang, test.badresult,
 * test.signal, test.memory, test.fds, test.report.
 *
 * Every task does a little real work (a short sum of squares, verified like
 * cpu.sumsq) except task `at`, which segfaults, never returns, reports a
 * wrong sum or is killed by a signal; test.memory's task `at` touches a
 * block of memory (the OOM killer's prey in a small memory cgroup); test.fds holds file descriptors
 * open (EMFILE under enough concurrency) and test.report's point process prints a damaged report
 * (point.c). They exist so the tests can show that the runner contains each fault under every
 * executor; they are hidden from the presets and from the default workload list. */
#include "job.h"
#include "sumsq_kernel.h"
#include "wait.h"
#include "workload.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { PARAM_AT, PARAM_N };

static const eb_param_def fault_params[] = {
    [PARAM_AT] = {"at", 1, 0, INT64_C(100000000), "task", "the task that misbehaves"},
    [PARAM_N] = {"n", 1000, 1, INT64_C(100000000), "elements",
                 "every other task sums k*k for k < n + i"},
};

static uint64_t task_n(const eb_job *job, uint64_t task)
{
    return (uint64_t)job->params[PARAM_N] + task;
}

static bool injected(const eb_job *job, uint64_t task)
{
    return task == (uint64_t)job->params[PARAM_AT];
}

/* Checks the honest tasks; `faulty` says what task `at` should have done. */
static int fault_verify(const eb_job *job, char *why, size_t why_len, const char *faulty)
{
    if ((uint64_t)job->params[PARAM_AT] >= job->tasks) {
        snprintf(why, why_len, "%s: at=%lld is beyond the %llu %s, so nothing was injected",
                 job->workload->name, (long long)job->params[PARAM_AT],
                 (unsigned long long)job->tasks, job->tasks == 1 ? "task" : "tasks");
        return -1;
    }
    for (uint64_t t = 0; t < job->tasks; t++) {
        uint64_t want = (uint64_t)eb_sumsq_closed_form(task_n(job, t));
        if (injected(job, t) && faulty != NULL) {
            snprintf(why, why_len, "task %llu %s", (unsigned long long)t, faulty);
            return -1;
        }
        if (job->task_result[t] != want) {
            snprintf(why, why_len, "task %llu: sum of k*k for k < %llu is %llu, expected %llu",
                     (unsigned long long)t, (unsigned long long)task_n(job, t),
                     (unsigned long long)job->task_result[t], (unsigned long long)want);
            return -1;
        }
    }
    return 0;
}

/* test.crash: a page with no access rights, mapped in setup, written by task
 * `at` — a real SIGSEGV, not raise(), and no undefined behaviour for the
 * sanitizers to intercept first. */
static int crash_setup(eb_job *job)
{
    void *page =
        mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return -errno;
    job->workload_state = page;
    return 0;
}

static void crash_teardown(eb_job *job)
{
    if (job->workload_state != NULL) munmap(job->workload_state, (size_t)sysconf(_SC_PAGESIZE));
    job->workload_state = NULL;
}

static int crash_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    if (injected(job, task)) *(volatile uint64_t *)job->workload_state = task;
    *result = eb_sumsq(task_n(job, task));
    return 0;
}

static int crash_verify(const eb_job *job, char *why, size_t why_len)
{
    return fault_verify(job, why, why_len, "should have crashed but returned");
}

static int hang_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    if (injected(job, task))
        for (;;)
            eb_wait_ns(INT64_C(3600000000000)); /* a request that never answers */
    *result = eb_sumsq(task_n(job, task));
    return 0;
}

static int hang_verify(const eb_job *job, char *why, size_t why_len)
{
    return fault_verify(job, why, why_len, "should have hung but returned");
}

static int badresult_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    uint64_t sum = eb_sumsq(task_n(job, task));
    *result = injected(job, task) ? sum ^ 1 : sum;
    return 0;
}

static int badresult_verify(const eb_job *job, char *why, size_t why_len)
{
    return fault_verify(job, why, why_len, NULL);
}

#define FAULT_COMMON                                                                               \
    .kind = EB_WORK_CPU, .hidden = true, .params = fault_params,                                   \
    .param_count = sizeof fault_params / sizeof *fault_params, .default_tasks = 4

const eb_workload eb_workload_test_crash = {
    .name = "test.crash",
    .description = "fault injection: task `at` writes to an inaccessible page (SIGSEGV)",
    FAULT_COMMON,
    .setup = crash_setup,
    .run_task = crash_run_task,
    .verify = crash_verify,
    .teardown = crash_teardown,
};

const eb_workload eb_workload_test_hang = {
    .name = "test.hang",
    .description = "fault injection: task `at` waits forever (for --timeout)",
    FAULT_COMMON,
    .run_task = hang_run_task,
    .verify = hang_verify,
};

const eb_workload eb_workload_test_badresult = {
    .name = "test.badresult",
    .description = "fault injection: task `at` reports a wrong sum (for verification)",
    FAULT_COMMON,
    .run_task = badresult_run_task,
    .verify = badresult_verify,
};

/* test.signal: task `at` sends its own process the signal `signal` (SIGKILL
 * by default: what the OOM killer sends). */
enum { PARAM_SIGNAL = PARAM_N + 1 };

static const eb_param_def signal_params[] = {
    [PARAM_AT] = {"at", 1, 0, INT64_C(100000000), "task", "the task that is killed"},
    [PARAM_N] = {"n", 1000, 1, INT64_C(100000000), "elements",
                 "every other task sums k*k for k < n + i"},
    [PARAM_SIGNAL] = {"signal", SIGKILL, 1, 31, "", "the signal it sends its process"},
};

static int signal_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    if (injected(job, task)) kill(getpid(), (int)job->params[PARAM_SIGNAL]);
    *result = eb_sumsq(task_n(job, task));
    return 0;
}

static int signal_verify(const eb_job *job, char *why, size_t why_len)
{
    return fault_verify(job, why, why_len, "should have been killed but returned");
}

const eb_workload eb_workload_test_signal = {
    .name = "test.signal",
    .description = "fault injection: task `at` sends its process `signal` (SIGKILL, as the OOM "
                   "killer does)",
    .kind = EB_WORK_CPU,
    .hidden = true,
    .params = signal_params,
    .param_count = sizeof signal_params / sizeof *signal_params,
    .default_tasks = 4,
    .run_task = signal_run_task,
    .verify = signal_verify,
};

/* test.memory: task `at` maps `mib` MiB, writes every page (so all of it is
 * resident), unmaps it, then sums like the others: in a memory cgroup smaller
 * than that, the OOM killer ends its process. With room enough, it verifies. */
enum { PARAM_MIB = PARAM_N + 1 };

static const eb_param_def memory_params[] = {
    [PARAM_AT] = {"at", 1, 0, INT64_C(100000000), "task", "the task that touches the memory"},
    [PARAM_N] = {"n", 1000, 1, INT64_C(100000000), "elements", "every task sums k*k for k < n + i"},
    [PARAM_MIB] = {"mib", 256, 1, 65536, "MiB", "what task `at` maps and writes"},
};

static int memory_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    if (injected(job, task)) {
        size_t bytes = (size_t)job->params[PARAM_MIB] << 20;
        unsigned char *p =
            mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return -errno;
        long page = sysconf(_SC_PAGESIZE);
        for (size_t i = 0; i < bytes; i += (size_t)page)
            ((volatile unsigned char *)p)[i] = 1;
        munmap(p, bytes);
    }
    *result = eb_sumsq(task_n(job, task));
    return 0;
}

static int memory_verify(const eb_job *job, char *why, size_t why_len)
{
    return fault_verify(job, why, why_len, NULL);
}

const eb_workload eb_workload_test_memory = {
    .name = "test.memory",
    .description = "fault injection: task `at` writes `mib` MiB of fresh memory (the OOM killer's "
                   "prey in a small memory cgroup)",
    .kind = EB_WORK_CPU,
    .hidden = true,
    .params = memory_params,
    .param_count = sizeof memory_params / sizeof *memory_params,
    .default_tasks = 4,
    .run_task = memory_run_task,
    .verify = memory_verify,
};

/* test.fds: each task holds `fds` open files for `hold_us`, then closes them,
 * as a request holds its sockets: with enough tasks in flight the process
 * runs out of file descriptors (EMFILE). */
enum { PARAM_FDS, PARAM_HOLD_US };
#define MAX_FDS_PER_TASK 64

static const eb_param_def fds_params[] = {
    [PARAM_FDS] = {"fds", 1, 1, MAX_FDS_PER_TASK, "files", "files each task holds open"},
    [PARAM_HOLD_US] = {"hold_us", 1000, 0, INT64_C(60000000), "us",
                       "how long each task holds them (a wait)"},
};

static int fds_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    (void)task;
    int fds[MAX_FDS_PER_TASK];
    int64_t n = 0, want = job->params[PARAM_FDS];
    int rc = 0;
    for (; n < want; n++)
        if ((fds[n] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
            rc = -errno;
            break;
        }
    if (rc == 0) rc = eb_wait_ns(job->params[PARAM_HOLD_US] * 1000);
    for (int64_t i = 0; i < n; i++)
        close(fds[i]);
    *result = (uint64_t)n;
    return rc;
}

static int fds_verify(const eb_job *job, char *why, size_t why_len)
{
    for (uint64_t t = 0; t < job->tasks; t++)
        if (job->task_result[t] != (uint64_t)job->params[PARAM_FDS]) {
            snprintf(why, why_len, "task %llu held %llu %s, expected %lld", (unsigned long long)t,
                     (unsigned long long)job->task_result[t],
                     job->task_result[t] == 1 ? "file" : "files",
                     (long long)job->params[PARAM_FDS]);
            return -1;
        }
    return 0;
}

static int64_t fds_task_wait_ns(const eb_job *job)
{
    return job->params[PARAM_HOLD_US] * 1000;
}

const eb_workload eb_workload_test_fds = {
    .name = "test.fds",
    .description = "fault injection: each task holds `fds` open files for `hold_us` (EMFILE "
                   "when enough run at once)",
    .kind = EB_WORK_WAIT,
    .hidden = true,
    .params = fds_params,
    .param_count = sizeof fds_params / sizeof *fds_params,
    .default_tasks = 4,
    .run_task = fds_run_task,
    .verify = fds_verify,
    .task_wait_ns = fds_task_wait_ns,
};

/* test.report: honest tasks, but the point process damages the report it
 * prints for the parent, as `mode` says (report_damage): 1 garbage, 2 truncated
 * JSON, 3 nothing, 4 JSON that is not a results document, 5 rows named for
 * another point, 6 bytes that are not text, 7 no report but bytes that are
 * not text on stderr and exit status 5. */
enum { PARAM_MODE, PARAM_REPORT_N };

static const eb_param_def report_params[] = {
    [PARAM_MODE] = {"mode", 1, 1, 7, "", "how the report is damaged (see faults.c)"},
    [PARAM_REPORT_N] = {"n", 1000, 1, INT64_C(100000000), "elements",
                        "each task sums k*k for k < n + i"},
};

static int report_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    *result = eb_sumsq((uint64_t)job->params[PARAM_REPORT_N] + task);
    return 0;
}

static int report_verify(const eb_job *job, char *why, size_t why_len)
{
    for (uint64_t t = 0; t < job->tasks; t++) {
        uint64_t n = (uint64_t)job->params[PARAM_REPORT_N] + t;
        if (job->task_result[t] != (uint64_t)eb_sumsq_closed_form(n)) {
            snprintf(why, why_len, "task %llu: wrong sum of k*k for k < %llu",
                     (unsigned long long)t, (unsigned long long)n);
            return -1;
        }
    }
    return 0;
}

/* The report as `mode` damages it; the point process prints what is left. */
static void report_damage(const eb_job *job, char *text, size_t *len)
{
    static const char garbage[] = "execbench point: this is not JSON\n";
    static const char binary[] = {'{', '"', '\xff', '\xfe', '"', ':', 0, '\x80', '}'};
    switch (job->params[PARAM_MODE]) {
    case 1:
        memcpy(text, garbage, sizeof garbage - 1 < *len ? sizeof garbage - 1 : *len);
        *len = sizeof garbage - 1 < *len ? sizeof garbage - 1 : *len;
        break;
    case 2: { /* cut mid-document, as a point killed while writing would leave it */
        const char *rows = strstr(text, "\"benchmarks\"");
        const char *name = rows != NULL ? strstr(rows, "\"name\":\"") : NULL;
        *len = name != NULL ? (size_t)(name - text) + 15 : *len / 2; /* inside the name */
        break;
    }
    case 3:
        *len = 0;
        break;
    case 4:
        *len = (size_t)snprintf(text, *len, "{\"benchmarks\": 3}");
        break;
    case 5: /* the rows name another point */
        for (char *p = text; (p = strstr(p, "test.report/")) != NULL; p++)
            memcpy(p, "test.rep0rt", 11);
        break;
    case 6:
        if (*len >= sizeof binary) {
            memcpy(text, binary, sizeof binary);
            *len = sizeof binary;
        }
        break;
    case 7:
        fputs("execbench point: \xff\xfe not text\n", stderr);
        fflush(stderr);
        _exit(5);
    }
}

const eb_workload eb_workload_test_report = {
    .name = "test.report",
    .description = "fault injection: the point process prints a damaged report (`mode`)",
    .kind = EB_WORK_CPU,
    .hidden = true,
    .params = report_params,
    .param_count = sizeof report_params / sizeof *report_params,
    .default_tasks = 4,
    .run_task = report_run_task,
    .verify = report_verify,
    .damage_report = report_damage,
};
