/* test_faults.c — faults during a run, each contained in its point with a
 * precise message while the points before and after keep their results: a
 * worker or point process killed by SIGKILL (told apart from the OOM
 * killer) or another signal, a point process printing garbage, truncated or
 * misnamed reports, and the parent interrupted by SIGINT, SIGTERM or SIGHUP
 * (what finished written, the document marked, every process reaped: the
 * test is the subreaper, so an orphan or zombie left behind would become its
 * child and be seen). */
#include "doc_check.h"
#include "eb_test.h"
#include "execbench_process.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t oom_kills(void)
{
    FILE *f = fopen("/proc/vmstat", "r");
    if (f == NULL) return -1;
    char line[128];
    long long v = -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "oom_kill %lld", &v) == 1) break;
    fclose(f);
    return v;
}

/* What execbench must say of a SIGKILL (after `head`, a pattern): not the
 * OOM killer's when the machine had no OOM kill while the test ran. When it
 * had one (another test, or another session on this machine: the counter is
 * machine-wide), execbench, which reads the counter around the point alone,
 * may have seen it or not, so either cause is right. */
static void check_sigkill(json_t *doc, const char *prefix, const char *head, int64_t before,
                          int64_t after)
{
    static const char maybe[] = "sent from outside, maybe by the OOM killer*";
    static const char oom[] = "by the kernel's OOM killer*";
    static const char not_oom[] = "sent from outside, not by the OOM killer (no OOM kill on this "
                                  "machine meanwhile, /proc/vmstat oom_kill)";
    char want[400], other[400];
    snprintf(want, sizeof want, "%s %s", head, before < 0 ? maybe : after > before ? oom : not_oom);
    snprintf(other, sizeof other, "%s %s", head, not_oom);
    const char *msg = doc_point_error(doc, prefix);
    bool either = before >= 0 && after > before;
    EB_CHECKF(matches(msg, want) || (either && matches(msg, other)),
              "%s:\n  says:     %s\n  expected: %s%s%s", prefix, msg, want,
              either ? "\n  or:       " : "", either ? other : "");
}

/* A latency no other process on this machine carries: another session may be
 * running this very test, and its processes must be neither counted nor
 * killed here. 30 s and then some, unique while this test process lives. */
static void own_latency(char *buf, size_t len)
{
    snprintf(buf, len, "%d", 30000000 + (int)getpid());
}

EB_TEST(a_process_killed_by_sigkill_is_named_and_the_oom_killer_ruled_out)
{
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/sigkill.json", dir);
    /* task 2 kills its own process: the point process, or a worker process */
    const char *args[] = {"--workload",
                          "cpu.sumsq,test.signal,io.sleep",
                          "--executor",
                          "sequential,threaded,coroutine,multiprocess",
                          "--workers",
                          "2",
                          "--tasks",
                          "4",
                          "--param",
                          "n=1000",
                          "--param",
                          "at=2",
                          "--param",
                          "latency_us=1000",
                          "--repetitions",
                          "2",
                          "--quiet",
                          "--out",
                          out,
                          NULL};
    int64_t before = oom_kills();
    eb_proc p;
    int code = run_execbench(&p, args);
    int64_t after = oom_kills();
    EB_CHECKF(code == 1, "exit %d: %s", code, p.err);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    EB_CHECK(doc_point_count(doc) == 12);
    static const char *const executors[] = {"sequential", "threaded", "coroutine", "multiprocess"};
    for (size_t e = 0; e < 4; e++) {
        char prefix[128];
        snprintf(prefix, sizeof prefix, "cpu.sumsq/exec:%s/", executors[e]);
        check_ok(doc, prefix, 2);
        snprintf(prefix, sizeof prefix, "io.sleep/exec:%s/", executors[e]);
        check_ok(doc, prefix, 2);
        snprintf(prefix, sizeof prefix, "test.signal/exec:%s/", executors[e]);
        /* a worker process dies: its leader names it and the task */
        check_sigkill(doc, prefix,
                      e == 3 ? "worker * killed by signal 9 (SIGKILL) in task 2"
                             : "point process killed by signal 9 (SIGKILL)",
                      before, after);
    }
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

EB_TEST(a_process_killed_by_another_signal_is_named)
{
    const char *plan[] = {"--workload",
                          "test.signal,cpu.sumsq",
                          "--executor",
                          "threaded,multiprocess",
                          "--workers",
                          "2",
                          "--tasks",
                          "4",
                          "--param",
                          "signal=15",
                          "--param",
                          "n=1000",
                          "--repetitions",
                          "2",
                          NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &(eb_sandbox){0}, plan, 1, 4);
    check_error(doc, "test.signal/exec:threaded/", "point process killed by signal 15 (SIGTERM)");
    check_error(doc, "test.signal/exec:multiprocess/",
                "worker * killed by signal 15 (SIGTERM) in task 1");
    check_ok(doc, "cpu.sumsq/exec:threaded/", 2);
    check_ok(doc, "cpu.sumsq/exec:multiprocess/", 2);
    doc_run_end(&r);
}

/* The pids of processes whose command line contains `needle`, up to `cap`. */
static size_t processes_with(const char *needle, pid_t *pids, size_t cap)
{
    size_t n = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char path[300], cmd[4096];
        snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
        FILE *f = fopen(path, "r");
        if (f == NULL) continue;
        size_t len = fread(cmd, 1, sizeof cmd - 1, f);
        fclose(f);
        for (size_t k = 0; k < len; k++)
            if (cmd[k] == '\0') cmd[k] = ' ';
        cmd[len] = '\0';
        if (strstr(cmd, needle) != NULL && n < cap) pids[n++] = (pid_t)atoi(e->d_name);
    }
    if (d != NULL) closedir(d);
    return n;
}

static pid_t parent_of(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) return -1;
    int ppid = -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "PPid: %d", &ppid) == 1) break;
    fclose(f);
    return (pid_t)ppid;
}

/* Waits (up to 30 s) until `count` processes carry `needle`. */
static size_t wait_for_processes(const char *needle, size_t count, pid_t *pids, size_t cap)
{
    for (int i = 0; i < 600; i++) {
        size_t n = processes_with(needle, pids, cap);
        if (n >= count) return n;
        struct timespec pause = {0, 50000000};
        nanosleep(&pause, NULL);
    }
    return processes_with(needle, pids, cap);
}

/* After execbench is gone: nothing it started is left, alive or zombie. As
 * the subreaper this test would have inherited any such process. */
static void check_nothing_left(const char *needle)
{
    pid_t pids[16];
    size_t alive = processes_with(needle, pids, 16);
    EB_CHECKF(alive == 0, "%zu processes of the interrupted point are still alive (pid %d)", alive,
              alive ? (int)pids[0] : 0);
    int status;
    pid_t left = waitpid(-1, &status, WNOHANG);
    EB_CHECKF(left < 0 && errno == ECHILD,
              "a process was left to the subreaper (waitpid: %d, %s): an orphan or zombie",
              (int)left, left < 0 ? strerror(errno) : "a child");
    for (size_t i = 0; i < alive; i++)
        kill(pids[i], SIGKILL);
}

/* Whether worker process `pid` is inside a task: blocked in the wait's
 * clock_nanosleep. Killed before that (while pinning itself, freshly forked)
 * it dies "before it was ready", which is another message. */
static bool waiting_in_a_task(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) return false;
    long nr = -1;
    bool in_syscall = fscanf(f, "%ld", &nr) == 1;
    fclose(f);
    return in_syscall && nr == SYS_clock_nanosleep;
}

/* The processes did not show up: stop execbench (it ends its point on
 * SIGTERM) rather than leave them running past this test, then fail. */
static _Noreturn void stop_and_fail(eb_proc *p, const char *needle, size_t seen)
{
    kill(p->pid, SIGTERM);
    proc_finish(p);
    fprintf(stderr, "%s:%d: requirement failed: %zu processes carry %s\n", __FILE__, __LINE__, seen,
            needle);
    exit(1);
}

EB_TEST(a_worker_killed_from_outside_is_named_and_the_run_goes_on)
{
    EB_REQUIRE(prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL) == 0);
    char dir[64], out[128], latency[24], param[64], needle[64], point[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/killed.json", dir);
    /* a sum before, then a point whose workers wait 30 s, then a short wait */
    own_latency(latency, sizeof latency);
    snprintf(param, sizeof param, "latency_us=%s,1000", latency);
    snprintf(needle, sizeof needle, "latency_us=%s", latency);
    snprintf(point, sizeof point, "io.sleep/exec:multiprocess/tasks:4/workers:2/latency_us:%s/",
             latency);
    const char *args[] = {"--workload",
                          "cpu.sumsq,io.sleep",
                          "--executor",
                          "multiprocess",
                          "--workers",
                          "2",
                          "--tasks",
                          "4",
                          "--param",
                          "n=1000",
                          "--param",
                          param,
                          "--repetitions",
                          "2",
                          "--warmup",
                          "0",
                          "--timeout",
                          "100",
                          "--quiet",
                          "--out",
                          out,
                          NULL};
    int64_t before = oom_kills();
    eb_proc p;
    proc_start(&p, args);
    /* execbench (its own list holds the needle), the point process and its
     * two workers: kill a worker, as the OOM killer would */
    pid_t pids[8];
    size_t n = wait_for_processes(needle, 4, pids, 8);
    if (n != 4) stop_and_fail(&p, needle, n);
    pid_t victim = -1;
    for (int tries = 0; tries < 600 && victim < 0; tries++) {
        for (size_t i = 0; i < n && victim < 0; i++)
            if (pids[i] != p.pid && parent_of(pids[i]) != p.pid && waiting_in_a_task(pids[i]))
                victim = pids[i];
        if (victim < 0) nanosleep(&(struct timespec){0, 50000000}, NULL);
    }
    if (victim <= 0 || kill(victim, SIGKILL) != 0) stop_and_fail(&p, needle, n);
    int code = proc_finish(&p);
    int64_t after = oom_kills();
    EB_CHECKF(code == 1, "exit %d: %s", code, p.err);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    EB_CHECK(doc_point_count(doc) == 3);
    check_ok(doc, "cpu.sumsq/exec:multiprocess/", 2);
    check_ok(doc, "io.sleep/exec:multiprocess/tasks:4/workers:2/latency_us:1000/", 2);
    check_sigkill(doc, point, "worker * killed by signal 9 (SIGKILL) in task *", before, after);
    check_nothing_left(needle);
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

EB_TEST(the_oom_killer_is_named)
{
    /* A memory cgroup of 192 MiB for execbench and everything it starts: the
     * task that writes 512 MiB is what the OOM killer ends (the point process
     * under threads, the worker under processes); the points that write 1 MiB,
     * before and after, keep their results. */
    eb_sandbox s = {.memory_bytes = UINT64_C(192) << 20};
    char why[300];
    if (!sandbox_possible(&s, why, sizeof why)) EB_SKIP("%s", why);
#ifdef EB_SANITIZE_BUILD
    EB_SKIP("a sanitizer's shadow memory and quarantine make the OOM killer's choice of process "
            "unpredictable in a 192 MiB cgroup");
#endif
    const char *plan[] = {"--workload",
                          "test.memory",
                          "--executor",
                          "threaded,multiprocess",
                          "--workers",
                          "2",
                          "--tasks",
                          "4",
                          "--param",
                          "mib=1,512",
                          "--param",
                          "at=1",
                          "--repetitions",
                          "2",
                          "--warmup",
                          "0",
                          NULL};
    int64_t before = oom_kills();
    doc_run r;
    json_t *doc = doc_run_plan(&r, &s, plan, 1, 4);
    int64_t after = oom_kills();
    EB_CHECKF(after > before, "no OOM kill counted in /proc/vmstat (%lld -> %lld)",
              (long long)before, (long long)after);
    check_ok(doc, "test.memory/exec:threaded/tasks:4/workers:2/at:1/mib:1/", 2);
    check_ok(doc, "test.memory/exec:multiprocess/tasks:4/workers:2/at:1/mib:1/", 2);
    check_error(doc, "test.memory/exec:threaded/tasks:4/workers:2/at:1/mib:512/",
                "point process killed by signal 9 (SIGKILL) by the kernel's OOM killer*");
    check_error(doc, "test.memory/exec:multiprocess/tasks:4/workers:2/at:1/mib:512/",
                "worker * killed by signal 9 (SIGKILL) in task 1 by the kernel's OOM killer*");
    doc_run_end(&r);
}

EB_TEST(damaged_reports_become_error_rows)
{
    const char *plan[] = {"--workload",
                          "cpu.sumsq,test.report,io.sleep",
                          "--executor",
                          "sequential",
                          "--tasks",
                          "2",
                          "--param",
                          "mode=1,2,3,4,5,6,7",
                          "--param",
                          "n=1000",
                          "--param",
                          "latency_us=1000",
                          "--repetitions",
                          "2",
                          NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &(eb_sandbox){0}, plan, 1, 9);
    check_ok(doc, "cpu.sumsq/exec:sequential/", 2);
    check_ok(doc, "io.sleep/exec:sequential/", 2);
    static const char *const says[] = {
        "point process printed invalid JSON: line 1 column 9: '[' or '{' expected near "
        "'execbench'",
        "point process printed invalid JSON: line 1 column *: premature end of input near "
        "'\"test.re'",
        "point process printed nothing",
        "point process printed an unusable report: \"benchmarks\" is an integer, expected an "
        "array of runs",
        "point process reported a row named "
        "'test.rep0rt/exec:sequential/tasks:2/workers:1/mode:5/pin:compact/manual_time', not "
        "'test.report/exec:sequential/tasks:2/workers:1/mode:5/pin:compact/manual_time'",
        "point process printed invalid JSON: line 1 column 2: unable to decode byte 0xff near "
        "'\"'",
        "point process exited with status 5: execbench point: ?? not text",
    };
    for (int mode = 1; mode <= 7; mode++) {
        char prefix[128];
        snprintf(prefix, sizeof prefix, "test.report/exec:sequential/tasks:2/workers:1/mode:%d/",
                 mode);
        check_error(doc, prefix, says[mode - 1]);
    }
    doc_run_end(&r);
}

/* The parent is signalled while a point's three worker processes run. */
static void check_interrupt(int sig, const char *name)
{
    EB_REQUIRE(prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL) == 0);
    char dir[64], out[128], param[64], needle[64], latency[24];
    own_latency(latency, sizeof latency);
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/interrupted.json", dir);
    snprintf(param, sizeof param, "latency_us=1000,%s", latency);
    snprintf(needle, sizeof needle, "latency_us=%s", latency);
    const char *args[] = {
        "--workload", "io.sleep", "--executor", "multiprocess", "--workers",     "3",
        "--tasks",    "3",        "--param",    param,          "--repetitions", "2",
        "--warmup",   "0",        "--order",    "blocked",      "--out",         out,
        NULL};
    eb_proc p;
    proc_start(&p, args);
    pid_t pids[8];
    size_t n = wait_for_processes(needle, 4, pids, 8); /* the point and 3 workers */
    if (n != 4) stop_and_fail(&p, needle, n);
    kill(p.pid, sig);
    int code = proc_finish(&p);
    EB_CHECKF(code == 128 + sig, "exit %d: %s", code, p.err);
    char line[128];
    snprintf(line, sizeof line, "execbench: interrupted by %s: writing the 1 finished point\n",
             name);
    EB_CHECKF(strstr(p.err, line) != NULL, "stderr: %s", p.err);
    json_t *doc = load_json(out);
    EB_REQUIRE(doc != NULL);
    EB_CHECK(json_is_true(doc_execbench(doc, "interrupted")));
    EB_CHECK(strcmp(json_string_value(doc_execbench(doc, "interrupted_by")), name) == 0);
    EB_CHECK(json_integer_value(doc_execbench(doc, "points_run")) == 1);
    EB_CHECK(doc_point_count(doc) == 1);
    check_ok(doc, "io.sleep/exec:multiprocess/tasks:3/workers:3/latency_us:1000/", 2);
    check_nothing_left(needle);
    json_decref(doc);
    proc_free(&p);
    tmpdir_remove(dir);
}

EB_TEST(sigint_reaps_every_process_and_keeps_what_finished)
{
    check_interrupt(SIGINT, "SIGINT");
}

EB_TEST(sigterm_reaps_every_process_and_keeps_what_finished)
{
    check_interrupt(SIGTERM, "SIGTERM");
}

EB_TEST(sighup_reaps_every_process_and_keeps_what_finished)
{
    check_interrupt(SIGHUP, "SIGHUP");
}
