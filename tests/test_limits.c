/* test_limits.c — resource limits met for real: each is lowered for
 * build/execbench alone (a uid of its own, a PID namespace of its own, its
 * own rlimits), a point runs into it, and that point's error row names the
 * limit, its value and what to change while the points before and after it
 * keep their results. Limits that are machine-wide and cannot be lowered
 * for one process skip with the reason; the explanation of every limit is
 * also checked with made-up values (explain_*). */
#include "doc_check.h"
#include "eb_test.h"
#include "execbench_process.h"
#include "oslimits.h"
#include "sandbox.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void skip_unless_possible(const eb_sandbox *s)
{
    char why[300];
    if (!sandbox_possible(s, why, sizeof why)) EB_SKIP("%s", why);
}

EB_TEST(threads_and_processes_beyond_rlimit_nproc)
{
    /* 24 tasks for the uid: execbench, the point process, 8 workers (under
     * ThreadSanitizer each process has a thread of its own more) and some to
     * spare. The waits (20 ms) keep 64 threads alive long enough to meet it. */
    eb_sandbox s = {.uid = sandbox_free_uid(), .nproc = 24};
    skip_unless_possible(&s);
    const char *plan[] = {"--workload",
                          "io.sleep",
                          "--executor",
                          "coroutine,threaded,multiprocess",
                          "--workers",
                          "64,8",
                          "--tasks",
                          "64",
                          "--param",
                          "latency_us=20000",
                          "--repetitions",
                          "2",
                          "--warmup",
                          "0",
                          NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &s, plan, 1, 6);
    check_ok(doc, "io.sleep/exec:coroutine/tasks:64/workers:64/", 2);
    check_ok(doc, "io.sleep/exec:coroutine/tasks:64/workers:8/", 2);
    check_ok(doc, "io.sleep/exec:threaded/tasks:64/workers:8/", 2);
    check_ok(doc, "io.sleep/exec:multiprocess/tasks:64/workers:8/", 2);
    char pattern[400];
    snprintf(pattern, sizeof pattern,
             "could not create thread * of 64: Resource temporarily unavailable: RLIMIT_NPROC "
             "(ulimit -u) is 24 threads and processes for uid %u, which has 2?; raise it (ulimit "
             "-u) or use a smaller --workers",
             (unsigned)s.uid);
    check_error(doc, "io.sleep/exec:threaded/tasks:64/workers:64/", pattern);
    snprintf(pattern, sizeof pattern,
             "could not fork worker * of 64: Resource temporarily unavailable: RLIMIT_NPROC "
             "(ulimit -u) is 24 threads and processes for uid %u, which has 2?; raise it (ulimit "
             "-u) or use a smaller --workers",
             (unsigned)s.uid);
    check_error(doc, "io.sleep/exec:multiprocess/tasks:64/workers:64/", pattern);
    doc_run_end(&r);
}

EB_TEST(a_thread_pool_whose_tasks_end_at_once_still_meets_rlimit_nproc)
{
    /* Tasks that end as soon as they start (sums of 1 element): ca9cc32's threads
     * exited as soon as the queue was empty, so on a busy machine a pool of
     * 64 either never met the limit of 24, or met it and then, by the time
     * the limit was read, looked far from it ("no limit looks exhausted").
     * Every thread of the pool now lives until the last one is created. */
    eb_sandbox s = {.uid = sandbox_free_uid(), .nproc = 24};
    skip_unless_possible(&s);
    const char *plan[] = {"--workload",    "cpu.sumsq", "--executor", "threaded", "--workers", "64",
                          "--tasks",       "64",        "--param",    "n=1",      "--warmup",  "0",
                          "--repetitions", "2",         NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &s, plan, 1, 1);
    char pattern[400];
    snprintf(pattern, sizeof pattern,
             "could not create thread * of 64: Resource temporarily unavailable: RLIMIT_NPROC "
             "(ulimit -u) is 24 threads and processes for uid %u, which has 2?; raise it (ulimit "
             "-u) or use a smaller --workers",
             (unsigned)s.uid);
    check_error(doc, "cpu.sumsq/exec:threaded/tasks:64/workers:64/", pattern);
    doc_run_end(&r);
}

EB_TEST(the_point_process_beyond_rlimit_nproc)
{
    /* 1: execbench itself is the uid's one task, so no point process can start */
    eb_sandbox s = {.uid = sandbox_free_uid(), .nproc = 1};
    skip_unless_possible(&s);
    const char *plan[] = {"--workload", "cpu.sumsq", "--executor", "sequential,threaded",
                          "--tasks",    "2",         NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &s, plan, 1, 2);
    char pattern[400];
    snprintf(pattern, sizeof pattern,
             "could not start the point process: Resource temporarily unavailable: "
             "RLIMIT_NPROC (ulimit -u) is 1 thread or process for uid %u, which has 1; "
             "raise it (ulimit -u)",
             (unsigned)s.uid);
    check_error(doc, "cpu.sumsq/exec:sequential/", pattern);
    check_error(doc, "cpu.sumsq/exec:threaded/", pattern);
    doc_run_end(&r);
}

EB_TEST(threads_beyond_pid_max)
{
    /* 1000 PIDs in a namespace of its own: 2000 threads waiting 300 ms meet
     * it (the wait outlasts creating 1000 threads, even under ThreadSanitizer);
     * 2000 coroutines on one thread, before and after, do not. */
    eb_sandbox s = {.pid_max = 1000};
    skip_unless_possible(&s);
    const char *plan[] = {
        "--workload", "io.sleep", "--executor", "coroutine,threaded",       "--workers",     "2000",
        "--tasks",    "2000",     "--param",    "latency_us=300000,400000", "--repetitions", "2",
        "--warmup",   "0",        NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &s, plan, 1, 4);
    check_ok(doc, "io.sleep/exec:coroutine/tasks:2000/workers:2000/latency_us:300000/", 2);
    check_ok(doc, "io.sleep/exec:coroutine/tasks:2000/workers:2000/latency_us:400000/", 2);
    const char *pattern = "could not create thread * of 2000: Resource temporarily unavailable: "
                          "kernel.pid_max is 1000 in this PID namespace, * PIDs in use*; raise it "
                          "(sysctl kernel.pid_max) or use a smaller --workers";
    check_error(doc, "io.sleep/exec:threaded/tasks:2000/workers:2000/latency_us:300000/", pattern);
    check_error(doc, "io.sleep/exec:threaded/tasks:2000/workers:2000/latency_us:400000/", pattern);
    doc_run_end(&r);
}

EB_TEST(processes_beyond_pid_max)
{
    /* 500 worker processes need 500 PIDs at once (the leader reaps them after
     * forking them all) */
    eb_sandbox s = {.pid_max = 400};
    skip_unless_possible(&s);
    const char *plan[] = {
        "--workload", "io.sleep", "--executor", "coroutine,multiprocess", "--workers",     "500,4",
        "--tasks",    "8",        "--param",    "latency_us=1000",        "--repetitions", "2",
        "--warmup",   "0",        NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &s, plan, 1, 4);
    check_ok(doc, "io.sleep/exec:coroutine/tasks:8/workers:500/", 2);
    check_ok(doc, "io.sleep/exec:coroutine/tasks:8/workers:4/", 2);
    check_ok(doc, "io.sleep/exec:multiprocess/tasks:8/workers:4/", 2);
    check_error(doc, "io.sleep/exec:multiprocess/tasks:8/workers:500/",
                "could not fork worker * of 500: Resource temporarily unavailable: "
                "kernel.pid_max is 400 in this PID namespace, * PIDs in use*; raise it (sysctl "
                "kernel.pid_max) or use a smaller --workers");
    doc_run_end(&r);
}

EB_TEST(threads_beyond_threads_max)
{
    EB_SKIP("kernel.threads-max is one value for the whole machine (no namespace has its own): "
            "lowering it would starve every other process here; explain_tasks_threads_max "
            "checks the message");
}

EB_TEST(coroutine_stacks_beyond_rlimit_as)
{
#ifdef EB_SANITIZE_BUILD
    EB_SKIP("a sanitizer's shadow memory reserves terabytes of address space: RLIMIT_AS cannot "
            "be lowered under it");
#endif
    eb_sandbox s = {.as_bytes = UINT64_C(2) << 30};
    /* 1,000,000 coroutines with separate stacks need 4 GiB; 100 and 50 need
     * little. The point that cannot fit is refused before it starts, with
     * the estimate and what would fit (runner/plan/point_memory.h); the run
     * goes on past it. */
    const char *plan[] = {"--workload",
                          "io.sleep",
                          "--executor",
                          "coroutine",
                          "--tasks",
                          "100,1000000,50",
                          "--coro-stack",
                          "separate",
                          "--param",
                          "latency_us=1000",
                          "--repetitions",
                          "2",
                          "--warmup",
                          "0",
                          NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &s, plan, 1, 3);
    check_ok(doc, "io.sleep/exec:coroutine/stack:separate/tasks:100/", 2);
    check_ok(doc, "io.sleep/exec:coroutine/stack:separate/tasks:50/", 2);
    const char *refused = "io.sleep/exec:coroutine/stack:separate/tasks:1000000/";
    check_error(doc, refused,
                "refused before it started: 1000000 coroutines (separate stacks) need ~3.* GiB "
                "(4.0 KiB each + *) against RLIMIT_AS, which leaves 2.0 GiB: at most * tasks fit "
                "(--tasks); copied stacks (--coro-stack copy) take less");
    /* the estimate is in the row, as keys */
    json_t *rows[4];
    EB_REQUIRE(doc_point_rows(doc, refused, rows, 4) == 1);
    const char *limit = json_string_value(json_object_get(rows[0], "memory_limit"));
    EB_CHECKF(limit != NULL && strcmp(limit, "RLIMIT_AS") == 0, "memory_limit %s", limit);
    EB_CHECK(json_integer_value(json_object_get(rows[0], "memory_room_bytes")) ==
             (json_int_t)(UINT64_C(2) << 30));
    EB_CHECK(json_integer_value(json_object_get(rows[0], "memory_need_bytes")) >
             (json_int_t)(UINT64_C(2) << 30));
    EB_CHECK(json_integer_value(json_object_get(rows[0], "memory_estimate_bytes")) >
             (json_int_t)(UINT64_C(1000000) * 4096));
    doc_run_end(&r);
}

EB_TEST(coroutine_stacks_beyond_max_map_count)
{
    EB_SKIP("vm.max_map_count is one value for the whole machine, and the stack pool puts guard "
            "pages only where they take at most an eighth of it: it cannot be met without "
            "lowering it for every process here; explain_memory_max_map_count checks the "
            "message");
}

EB_TEST(files_beyond_rlimit_nofile_in_a_task)
{
    eb_sandbox s = {.nofile = 64};
    /* 100 tasks each holding a file: one at a time, 100 at once, 2 at once */
    const char *plan[] = {"--workload",
                          "test.fds",
                          "--executor",
                          "sequential,coroutine,threaded",
                          "--workers",
                          "auto",
                          "--tasks",
                          "100",
                          "--param",
                          "hold_us=2000",
                          "--repetitions",
                          "2",
                          "--warmup",
                          "0",
                          NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &s, plan, 1, 3);
    check_ok(doc, "test.fds/exec:sequential/", 2);
    check_ok(doc, "test.fds/exec:threaded/", 2);
    check_error(doc, "test.fds/exec:coroutine/",
                "coroutine *: task * failed: Too many open files: RLIMIT_NOFILE (ulimit -n) is 64 "
                "open files per process (hard limit 64); raise it (ulimit -n) or run fewer tasks "
                "at once (--workers)");
    doc_run_end(&r);
}

EB_TEST(files_beyond_rlimit_nofile_in_the_parent)
{
    /* 8: the parent cannot open the pipes to any point process */
    eb_sandbox s = {.nofile = 8};
    const char *plan[] = {"--workload", "cpu.sumsq", "--executor", "sequential,threaded",
                          "--tasks",    "2",         NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &s, plan, 1, 2);
    const char *pattern = "could not start the point process: Too many open files: "
                          "RLIMIT_NOFILE (ulimit -n) is 8 open files per process (hard limit 8); "
                          "raise it (ulimit -n)";
    check_error(doc, "cpu.sumsq/exec:sequential/", pattern);
    check_error(doc, "cpu.sumsq/exec:threaded/", pattern);
    doc_run_end(&r);
}

/* ---- the explanations, with made-up values ------------------------------ */

/* Plenty of everything: no limit near. */
static eb_limits roomy(void)
{
    eb_limits l = {
        .nproc = 100000,
        .uid = 1000,
        .user_tasks = 50,
        .threads_max = 200000,
        .threads_now = 300,
        .pid_max = 4194304,
        .pids_in_use = 300,
        .cgroup_pids_max = EB_LIMIT_NONE,
        .cgroup_pids_current = EB_LIMIT_NONE,
        .as_limit = EB_LIMIT_NONE,
        .as_used = 100u << 20,
        .data_limit = EB_LIMIT_NONE,
        .data_used = 50u << 20,
        .map_count_max = 65530,
        .map_count = 200,
        .overcommit = 0,
        .commit_limit = UINT64_C(12) << 30,
        .committed = UINT64_C(2) << 30,
        .mem_available = UINT64_C(20) << 30,
        .nofile = 1024,
        .nofile_hard = 4096,
        .file_max = 1000000,
        .files_open = 5000,
    };
    return l;
}

static void check_text(const char *got, const char *want)
{
    EB_CHECKF(strcmp(got, want) == 0, "\n  got:  %s\n  want: %s", got, want);
}

EB_TEST(explain_tasks_rlimit_nproc)
{
    eb_limits l = roomy();
    l.nproc = 40;
    l.user_tasks = 40;
    char buf[600];
    eb_limits_explain_tasks(&l, 0, "use a smaller --workers", buf, sizeof buf);
    check_text(buf, "RLIMIT_NPROC (ulimit -u) is 40 threads and processes for uid 1000, which "
                    "has 40; raise it (ulimit -u) or use a smaller --workers");
    l.nproc_exempt = true; /* root: the kernel does not apply it, so it is not blamed */
    eb_limits_explain_tasks(&l, 0, "use a smaller --workers", buf, sizeof buf);
    EB_CHECKF(strncmp(buf, "no limit looks exhausted (RLIMIT_NPROC 40 not applied", 53) == 0, "%s",
              buf);
}

EB_TEST(explain_tasks_threads_max)
{
    eb_limits l = roomy();
    l.threads_max = 10000;
    l.threads_now = 9990;
    char buf[600];
    eb_limits_explain_tasks(&l, 0, "use a smaller --workers", buf, sizeof buf);
    check_text(buf, "kernel.threads-max is 10000 threads on the machine, 9990 exist; raise it "
                    "(sysctl kernel.threads-max) or use a smaller --workers");
}

EB_TEST(explain_tasks_pid_max)
{
    eb_limits l = roomy();
    l.pid_max = 400;
    l.pids_in_use = 399;
    char buf[600];
    eb_limits_explain_tasks(&l, 0, NULL, buf, sizeof buf);
    check_text(buf, "kernel.pid_max is 400 in this PID namespace, 399 PIDs in use; raise it "
                    "(sysctl kernel.pid_max)");
    l.pids_in_use = 95; /* short of it by the 300 PIDs never handed out again */
    eb_limits_explain_tasks(&l, 0, NULL, buf, sizeof buf);
    check_text(buf, "kernel.pid_max is 400 in this PID namespace, 95 PIDs in use (once they "
                    "wrap around, PIDs below 300 are not handed out again); raise it (sysctl "
                    "kernel.pid_max)");
}

EB_TEST(explain_tasks_cgroup_pids_max)
{
    eb_limits l = roomy();
    l.cgroup_pids_max = 64;
    l.cgroup_pids_current = 64;
    snprintf(l.cgroup_pids_path, sizeof l.cgroup_pids_path, "/sys/fs/cgroup/ci");
    char buf[600];
    eb_limits_explain_tasks(&l, 0, "use a smaller --workers", buf, sizeof buf);
    check_text(buf, "the cgroup's pids.max is 64 (/sys/fs/cgroup/ci), 64 in use; raise it (its "
                    "pids.max, e.g. TasksMax= or docker --pids-limit) or use a smaller --workers");
}

EB_TEST(explain_tasks_thread_stacks_and_nothing_exhausted)
{
    eb_limits l = roomy();
    l.as_limit = 200u << 20; /* a thread's stack does not fit any more */
    l.as_used = 199u << 20;
    char buf[600];
    eb_limits_explain_tasks(&l, 2u << 20, "use a smaller --workers", buf, sizeof buf);
    check_text(buf, "RLIMIT_AS (ulimit -v) is 200 MiB of address space, 199 MiB mapped already and "
                    "2 MiB more asked; raise it (ulimit -v) or use a smaller --workers");
    l = roomy();
    eb_limits_explain_tasks(&l, 0, "use a smaller --workers", buf, sizeof buf);
    check_text(buf, "no limit looks exhausted (RLIMIT_NPROC 100000 with 50 of this user's, "
                    "kernel.threads-max 200000 with 300 in use, kernel.pid_max 4194304 with 300 "
                    "in use); use a smaller --workers");
}

EB_TEST(explain_memory_rlimits)
{
    eb_limits l = roomy();
    l.data_limit = 1u << 30;
    char buf[600];
    eb_limits_explain_memory(&l, UINT64_C(4) << 30, 1, "run fewer", buf, sizeof buf);
    check_text(buf, "RLIMIT_DATA (ulimit -d) is 1024 MiB of private writable memory, 50 MiB mapped "
                    "already and 4096 MiB more asked; raise it (ulimit -d) or run fewer");
}

EB_TEST(explain_memory_max_map_count)
{
    eb_limits l = roomy();
    l.map_count = 65529;
    char buf[600];
    eb_limits_explain_memory(&l, 0, 2, "run fewer coroutines at once (--workers)", buf, sizeof buf);
    check_text(buf, "vm.max_map_count is 65530 mappings per process, this one has 65529 and asked "
                    "for 2 more; raise it (sysctl vm.max_map_count) or run fewer coroutines at "
                    "once (--workers)");
}

EB_TEST(explain_memory_overcommit_and_nothing_exhausted)
{
    eb_limits l = roomy();
    l.overcommit = 2;
    char buf[700];
    eb_limits_explain_memory(&l, UINT64_C(11) << 30, 1, NULL, buf, sizeof buf);
    check_text(buf, "vm.overcommit_memory is 2 (no overcommit): CommitLimit is 12288 MiB, 2048 MiB "
                    "committed and 11264 MiB more asked; raise it (sysctl "
                    "vm.overcommit_memory=0 or more swap)");
    l = roomy();
    eb_limits_explain_memory(&l, 1u << 30, 1, "run fewer", buf, sizeof buf);
    check_text(buf, "no limit looks exhausted (RLIMIT_AS unlimited, RLIMIT_DATA unlimited, "
                    "vm.max_map_count 65530 with 200 mappings, vm.overcommit_memory 0) for 1024 "
                    "MiB more: the machine is short of memory (MemAvailable 20480 MiB); run fewer");
}

EB_TEST(explain_files)
{
    eb_limits l = roomy();
    char buf[600];
    eb_limits_explain_files(&l, EMFILE, "run fewer tasks at once (--workers)", buf, sizeof buf);
    check_text(buf, "RLIMIT_NOFILE (ulimit -n) is 1024 open files per process (hard limit 4096); "
                    "raise it (ulimit -n) or run fewer tasks at once (--workers)");
    eb_limits_explain_files(&l, ENFILE, NULL, buf, sizeof buf);
    check_text(buf, "fs.file-max is 1000000 open files on the machine, 5000 open; raise it (sysctl "
                    "fs.file-max)");
}

EB_TEST(explain_kill)
{
    char buf[400];
    eb_limits_explain_kill(3, 4, buf, sizeof buf);
    check_text(buf, "by the kernel's OOM killer (1 OOM kill on this machine meanwhile, "
                    "/proc/vmstat oom_kill): it ran out of memory; use a smaller --tasks or "
                    "--workers, or free memory");
    eb_limits_explain_kill(3, 3, buf, sizeof buf);
    check_text(buf, "sent from outside, not by the OOM killer (no OOM kill on this machine "
                    "meanwhile, /proc/vmstat oom_kill)");
    eb_limits_explain_kill(-1, -1, buf, sizeof buf);
    EB_CHECK(strstr(buf, "see dmesg") != NULL);
}

EB_TEST(why_reads_this_machine)
{
    /* the real reading: errnos no limit causes give nothing; the others a line */
    char buf[600];
    eb_limits_why(-EINVAL, &(eb_limit_ask){.kind = 't'}, buf, sizeof buf);
    EB_CHECK(buf[0] == '\0');
    eb_limits_why(-EAGAIN, &(eb_limit_ask){.kind = 'f'}, buf, sizeof buf);
    EB_CHECK(buf[0] == '\0');
    eb_limits_why(-EMFILE, &(eb_limit_ask){.kind = 't'}, buf, sizeof buf);
    EB_CHECKF(strncmp(buf, "RLIMIT_NOFILE (ulimit -n) is ", 29) == 0, "%s", buf);
    /* one error convention: a negative errno; a positive one is no error */
    eb_limits_why(EMFILE, &(eb_limit_ask){.kind = 't'}, buf, sizeof buf);
    EB_CHECK(buf[0] == '\0');
    eb_limits_why(-EAGAIN, &(eb_limit_ask){.kind = 't', .advice = "x"}, buf, sizeof buf);
    EB_CHECKF(buf[0] != '\0' && strchr(buf, '\n') == NULL, "%s", buf);
    eb_limits l;
    eb_limits_read(&l);
    EB_CHECK(l.pid_max != EB_LIMIT_UNKNOWN && l.pids_in_use > 0 && l.map_count > 0);
    EB_CHECK(l.threads_now != EB_LIMIT_UNKNOWN && l.threads_max != EB_LIMIT_UNKNOWN);
    eb_self_usage u;
    eb_self_usage_read(&u);
    EB_CHECK(u.fds >= 3 && u.rss_kib > 0);
}
