/* test_memory_fit.c — the up-front memory estimate (runner/memory_fit.h):
 * per-unit figures in line with what was measured, limits read from a fake
 * cgroup v1 and v2 tree and from the process itself, each limit refusing a
 * point with what would fit, and the verdict agreeing with reality: under
 * RLIMIT_AS the stack pool's mapping fails exactly where the estimate says,
 * and through the runner in a memory cgroup (under RLIMIT_AS: test_limits)
 * the points it accepts run while the one it refuses is an error row, never
 * started; under RLIMIT_AS the count a refusal says would fit runs. */
#include "doc_check.h"
#include "eb_test.h"
#include "memory_fit.h"
#include "sandbox.h"
#include "stack_pool.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB ((uint64_t)1 << 20)
#define GIB ((uint64_t)1 << 30)

static eb_fit_estimate estimate(eb_fit_point p)
{
    eb_fit_estimate e;
    eb_fit_estimate_point(&p, &e);
    return e;
}

static eb_mem_available nothing_limited(void)
{
    return (eb_mem_available){.cgroup_limit = EB_FIT_UNLIMITED,
                              .cgroup_usage = EB_FIT_UNLIMITED,
                              .rlimit_as = EB_FIT_UNLIMITED,
                              .rlimit_data = EB_FIT_UNLIMITED,
                              .mem_available = 20 * GIB,
                              .mem_total = 24 * GIB,
                              .commit_limit = 12 * GIB,
                              .committed = 1 * GIB};
}

/* The figures measured here (memory_fit.h), per unit, job arrays included. */
EB_TEST(per_unit_figures_are_the_measured_ones)
{
    uint64_t n = 1000000;
    eb_fit_estimate sep = estimate((eb_fit_point){.executor = EB_FIT_COROUTINE, .tasks = n});
    eb_fit_estimate copy =
        estimate((eb_fit_point){.executor = EB_FIT_COROUTINE, .tasks = n, .copy_stacks = true});
    eb_fit_estimate ucopy = estimate((eb_fit_point){
        .executor = EB_FIT_COROUTINE, .tasks = n, .copy_stacks = true, .ucontext = true});
    eb_fit_estimate threads =
        estimate((eb_fit_point){.executor = EB_FIT_THREADED, .workers = 1000, .tasks = 1000});
    eb_fit_estimate procs =
        estimate((eb_fit_point){.executor = EB_FIT_MULTIPROCESS, .workers = 200, .tasks = 200});
    /* measured: 4,152-4,298 B; 547-613 B; 1,580 B; ~33 KiB; ~152 KiB */
    double sep_each = (double)(sep.resident_bytes - sep.fixed_bytes) / (double)n;
    double copy_each = (double)(copy.resident_bytes - copy.fixed_bytes) / (double)n;
    double ucopy_each = (double)(ucopy.resident_bytes - ucopy.fixed_bytes) / (double)n;
    EB_CHECKF(sep_each >= 4100 && sep_each <= 4400, "separate stacks: %.0f B each", sep_each);
    EB_CHECKF(copy_each >= 540 && copy_each <= 650, "copied stacks: %.0f B each", copy_each);
    EB_CHECKF(ucopy_each >= 1450 && ucopy_each <= 1650, "copied ucontext: %.0f B each", ucopy_each);
    EB_CHECKF(threads.unit_bytes >= 30 * 1024 && threads.unit_bytes <= 36 * 1024,
              "a thread: %" PRIu64 " B", threads.unit_bytes);
    EB_CHECKF(procs.unit_bytes >= 140 * 1024 && procs.unit_bytes <= 170 * 1024,
              "a process: %" PRIu64 " B", procs.unit_bytes);
    EB_CHECK(sep.units == n && copy.units == n && threads.units == 1000 && procs.units == 200);
    /* 10,000,000 copied coroutines fit this machine's 24 GiB; separate ones do not */
    eb_fit_estimate ten = estimate(
        (eb_fit_point){.executor = EB_FIT_COROUTINE, .tasks = 10 * n, .copy_stacks = true});
    EB_CHECKF(ten.resident_bytes < 8 * GIB, "10M copied: %" PRIu64 " B", ten.resident_bytes);
    /* bounded coroutines: only the ones in flight hold stacks */
    eb_fit_estimate bounded =
        estimate((eb_fit_point){.executor = EB_FIT_COROUTINE, .workers = 100, .tasks = n});
    EB_CHECK(bounded.units == 100 && bounded.resident_bytes < sep.resident_bytes / 10);
    /* small pools get guarded 64 KiB stacks: address space, not residence */
    eb_fit_estimate guarded = estimate((eb_fit_point){.executor = EB_FIT_COROUTINE, .tasks = 1000});
    EB_CHECK(guarded.address_per_unit >= 64 * 1024 && guarded.unit_bytes < 8192);
    /* hybrid: its workers are threads, and every one of the tasks in flight
     * is a coroutine (it was counted as one per thread: 100,000 separate
     * stacks estimated at 9.6 MB, 500 MB resident) */
    eb_fit_estimate hybrid = estimate(
        (eb_fit_point){.executor = EB_FIT_HYBRID, .workers = 2, .tasks = n, .copy_stacks = true});
    EB_CHECKF(hybrid.units == n && hybrid.resident_bytes >= copy.resident_bytes,
              "hybrid: %" PRIu64 " units, %" PRIu64 " B", hybrid.units, hybrid.resident_bytes);
}

static void write_text(const char *dir, const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *s = strchr(path + strlen(dir) + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    EB_REQUIRE(f != NULL);
    fputs(text, f);
    fclose(f);
}

static void fake_meminfo(const char *root, int overcommit)
{
    write_text(root, "proc/meminfo",
               "MemTotal:       24684084 kB\nMemFree:        23617432 kB\n"
               "MemAvailable:   20000000 kB\nCommitLimit:     4000000 kB\n"
               "Committed_AS:    1000000 kB\n");
    char mode[8];
    snprintf(mode, sizeof mode, "%d\n", overcommit);
    write_text(root, "proc/sys/vm/overcommit_memory", mode);
}

EB_TEST(a_cgroup_v2_limit_is_the_tightest_ancestors)
{
    char root[64];
    tmpdir_make(root, sizeof root);
    write_text(root, "proc/self/cgroup", "0::/outer/inner\n");
    write_text(root, "proc/self/mounts",
               "sysfs /sys sysfs rw 0 0\ncgroup2 /sys/fs/cgroup cgroup2 rw,nosuid 0 0\n");
    write_text(root, "sys/fs/cgroup/outer/memory.max", "1073741824\n");
    write_text(root, "sys/fs/cgroup/outer/memory.current", "104857600\n");
    write_text(root, "sys/fs/cgroup/outer/inner/memory.max", "max\n");
    write_text(root, "sys/fs/cgroup/outer/inner/memory.current", "52428800\n");
    fake_meminfo(root, 0);
    eb_mem_available a;
    EB_REQUIRE(eb_mem_available_read(root, &a) == 0);
    EB_CHECKF(a.cgroup_version == 2 && a.cgroup_limit == GIB && a.cgroup_usage == 100 * MIB,
              "v%d limit %" PRIu64 " usage %" PRIu64, a.cgroup_version, a.cgroup_limit,
              a.cgroup_usage);
    EB_CHECKF(strstr(a.cgroup_dir, "/sys/fs/cgroup/outer") != NULL &&
                  strstr(a.cgroup_dir, "inner") == NULL,
              "the limit's cgroup: %s", a.cgroup_dir);
    EB_CHECK(a.mem_available == (uint64_t)20000000 * 1024 &&
             a.commit_limit == (uint64_t)4000000 * 1024);
    /* an inner limit tighter than the outer one wins */
    write_text(root, "sys/fs/cgroup/outer/inner/memory.max", "209715200\n");
    EB_REQUIRE(eb_mem_available_read(root, &a) == 0);
    EB_CHECKF(a.cgroup_limit == 200 * MIB && strstr(a.cgroup_dir, "inner") != NULL,
              "limit %" PRIu64 " at %s", a.cgroup_limit, a.cgroup_dir);
    tmpdir_remove(root);
}

EB_TEST(a_cgroup_v1_memory_limit_is_read)
{
    char root[64];
    tmpdir_make(root, sizeof root);
    write_text(root, "proc/self/cgroup", "5:cpu,cpuacct:/\n4:memory:/box\n0::/\n");
    write_text(root, "proc/self/mounts",
               "cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n"
               "cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0\n");
    write_text(root, "sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    write_text(root, "sys/fs/cgroup/memory/memory.usage_in_bytes", "999999999\n");
    write_text(root, "sys/fs/cgroup/memory/box/memory.limit_in_bytes", "2147483648\n");
    write_text(root, "sys/fs/cgroup/memory/box/memory.usage_in_bytes", "1048576\n");
    fake_meminfo(root, 0);
    eb_mem_available a;
    EB_REQUIRE(eb_mem_available_read(root, &a) == 0);
    EB_CHECKF(a.cgroup_version == 1 && a.cgroup_limit == 2 * GIB && a.cgroup_usage == MIB,
              "v%d limit %" PRIu64 " usage %" PRIu64, a.cgroup_version, a.cgroup_limit,
              a.cgroup_usage);
    /* 2,000,000 coroutines in 2 GiB (the OOM kill): refused, with what fits */
    eb_fit_point p = {.executor = EB_FIT_COROUTINE, .tasks = 2000000};
    eb_fit_estimate e = estimate(p);
    eb_fit_verdict v;
    eb_fit_check(&p, &e, &a, &v);
    EB_CHECKF(!v.fits && v.limit == EB_FIT_CGROUP, "fits %d, limit %s", v.fits,
              eb_fit_limit_name(v.limit));
    EB_CHECKF(v.max_tasks > 450000 && v.max_tasks < 520000, "at most %" PRIu64 " tasks",
              v.max_tasks);
    char line[600];
    eb_fit_describe(&p, &e, &a, &v, line, sizeof line);
    char want[64];
    snprintf(want, sizeof want, "at most %" PRIu64 " tasks fit", v.max_tasks);
    EB_CHECKF(strstr(line, "2000000 coroutines (separate stacks)") != NULL &&
                  strstr(line, "memory cgroup") != NULL && strstr(line, "/box") != NULL &&
                  strstr(line, want) != NULL,
              "%s", line);
    /* copied stacks: the same 2,000,000 fit */
    p.copy_stacks = true;
    e = estimate(p);
    eb_fit_check(&p, &e, &a, &v);
    EB_CHECKF(v.fits && v.limit == EB_FIT_CGROUP, "copied: fits %d (%s)", v.fits,
              eb_fit_limit_name(v.limit));
    tmpdir_remove(root);
}

/* Strict overcommit counts NORESERVE mappings; the heuristic mode does not. */
EB_TEST(strict_overcommit_counts_every_stack_reserved)
{
    eb_mem_available a = nothing_limited();
    a.overcommit_mode = 2;
    a.commit_limit = 3 * GIB;
    a.committed = 1 * GIB;
    eb_fit_point p = {.executor = EB_FIT_COROUTINE, .tasks = 1000000};
    eb_fit_estimate e = estimate(p);
    eb_fit_verdict v;
    eb_fit_check(&p, &e, &a, &v);
    EB_CHECKF(!v.fits && v.limit == EB_FIT_COMMIT && v.room == 2 * GIB,
              "mode 2: fits %d limit %s room %" PRIu64, v.fits, eb_fit_limit_name(v.limit), v.room);
    EB_CHECK(v.max_tasks > 0 && v.max_tasks < 1000000);
    a.overcommit_mode = 0;
    eb_fit_check(&p, &e, &a, &v);
    EB_CHECKF(v.fits, "mode 0 counts no NORESERVE mapping: %s", eb_fit_limit_name(v.limit));
}

/* What the check says would fit does fit, and one more does not. */
EB_TEST(what_would_fit_is_the_largest_that_fits)
{
    eb_mem_available a = nothing_limited();
    a.mem_available = 1 * GIB;
    const eb_fit_point points[] = {
        {.executor = EB_FIT_COROUTINE, .tasks = 1000000},
        {.executor = EB_FIT_COROUTINE, .tasks = 5000000, .copy_stacks = true},
        {.executor = EB_FIT_THREADED, .workers = 100000, .tasks = 100000},
        {.executor = EB_FIT_MULTIPROCESS, .workers = 50000, .tasks = 1000000},
    };
    for (size_t i = 0; i < sizeof points / sizeof *points; i++) {
        eb_fit_point p = points[i];
        eb_fit_estimate e = estimate(p);
        eb_fit_verdict v;
        eb_fit_check(&p, &e, &a, &v);
        EB_CHECKF(!v.fits && v.limit == EB_FIT_RAM && v.max_units > 0, "point %zu: fits %d %s", i,
                  v.fits, eb_fit_limit_name(v.limit));
        eb_fit_point at = p, over = p;
        bool by_tasks = v.max_tasks != 0;
        if (by_tasks) {
            at.tasks = v.max_units;
            over.tasks = v.max_units + 1;
            if (at.workers > at.tasks) at.workers = at.tasks;
        } else {
            at.workers = v.max_units;
            over.workers = v.max_units + 1;
        }
        eb_fit_estimate ea = estimate(at), eo = estimate(over);
        EB_CHECKF(ea.resident_bytes <= a.mem_available && eo.resident_bytes > a.mem_available,
                  "point %zu: %" PRIu64 " units need %" PRIu64 ", one more %" PRIu64, i,
                  v.max_units, ea.resident_bytes, eo.resident_bytes);
    }
}

/* This process's own limits: RLIMIT_AS as set, a cgroup found where one is
 * mounted, MemAvailable below MemTotal. */
EB_TEST(this_process_limits_are_read)
{
    pid_t child = fork();
    EB_REQUIRE(child >= 0);
    if (child == 0) {
        struct rlimit r;
        getrlimit(RLIMIT_AS, &r);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
        /* (sanitizers reserve terabytes of address space: left as it is there) */
        r.rlim_cur = r.rlim_max == RLIM_INFINITY || r.rlim_max > 64 * GIB ? 64 * GIB : r.rlim_max;
        if (setrlimit(RLIMIT_AS, &r) != 0) _exit(2);
#endif
        eb_mem_available a;
        if (eb_mem_available_read(NULL, &a) != 0) _exit(3);
        if (a.rlimit_as != (r.rlim_cur == RLIM_INFINITY ? EB_FIT_UNLIMITED : (uint64_t)r.rlim_cur))
            _exit(4);
        if (a.mem_total == 0 || a.mem_available == 0 || a.mem_available > a.mem_total) _exit(5);
        if (a.overcommit_mode < 0 || a.overcommit_mode > 2) _exit(6);
        /* this test program's own files: mapped, and far below its address space's limit */
        if (a.program_bytes == 0 || a.program_bytes > GIB) _exit(8);
        if (a.cgroup_version != 0 && a.cgroup_limit != EB_FIT_UNLIMITED && a.cgroup_dir[0] == '\0')
            _exit(7);
        _exit(0);
    }
    int status;
    EB_REQUIRE(waitpid(child, &status, 0) == child);
    EB_CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
}

/* Under RLIMIT_AS the stack pool's one mapping fails where the estimate says
 * the point stops fitting: the largest count it accepts maps, and the count
 * it refuses (four times as many) does not. */
EB_TEST(under_rlimit_as_the_refused_pool_cannot_map_and_the_accepted_one_can)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    EB_SKIP("sanitizers reserve terabytes of address space: RLIMIT_AS cannot be lowered");
#endif
    pid_t child = fork();
    EB_REQUIRE(child >= 0);
    if (child == 0) {
        struct rlimit r = {(rlim_t)(2 * GIB), RLIM_INFINITY};
        struct rlimit old;
        getrlimit(RLIMIT_AS, &old);
        r.rlim_max = old.rlim_max;
        if (setrlimit(RLIMIT_AS, &r) != 0) _exit(2);
        eb_mem_available a;
        if (eb_mem_available_read(NULL, &a) != 0) _exit(3);
        eb_fit_point p = {.executor = EB_FIT_COROUTINE, .tasks = 2000000};
        eb_fit_estimate e;
        eb_fit_estimate_point(&p, &e);
        eb_fit_verdict v;
        eb_fit_check(&p, &e, &a, &v);
        if (v.fits || v.limit != EB_FIT_RLIMIT_AS) _exit(4);
        if (v.max_tasks < 300000 || v.max_tasks > 520000) _exit(5);
        /* the refused count cannot map its stacks here; the accepted one can */
        eb_stack_pool pool;
        if (eb_stack_pool_init(&pool, p.tasks, 4096, EB_STACK_GUARD_OFF) != -ENOMEM) _exit(6);
        if (eb_stack_pool_init(&pool, v.max_tasks, 4096, EB_STACK_GUARD_OFF) != 0) _exit(7);
        eb_stack_pool_destroy(&pool);
        _exit(0);
    }
    int status;
    EB_REQUIRE(waitpid(child, &status, 0) == child);
    EB_CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "child exit %d (4: not refused by RLIMIT_AS; 5: what fits is off; 6: the refused "
              "pool mapped; 7: the accepted pool did not)",
              WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
}

/* Through the runner under RLIMIT_AS (256 MiB): 1,000,000 coroutines with
 * separate stacks are refused before they start, with the estimate and how
 * many would fit; that many then run to the end under the same limit (the
 * point process maps the program's libraries too: ~44 MiB here, once left
 * out of the estimate, so the count it named failed to map its stacks). */
EB_TEST(under_rlimit_as_the_refusal_names_a_count_that_runs)
{
#ifdef EB_SANITIZE_BUILD
    EB_SKIP("a sanitizer's shadow memory reserves terabytes of address space: RLIMIT_AS cannot "
            "be lowered under it");
#endif
    eb_sandbox s = {.as_bytes = 256 * MIB};
    const char *plan[] = {
        "--workload",    "io.sleep", "--executor",   "coroutine", "--workers", "0",
        "--tasks",       "1000000",  "--coro-stack", "separate",  "--param",   "latency_us=1000",
        "--repetitions", "1",        "--warmup",     "0",         NULL};
    const char *prefix = "io.sleep/exec:coroutine/stack:separate/";
    doc_run r;
    json_t *doc = doc_run_plan(&r, &s, plan, 1, 1);
    const char *err = doc_point_error(doc, prefix);
    EB_CHECKF(matches(err, "refused before it started: 1000000 coroutines (separate stacks) need "
                           "~3.* GiB (4.0 KiB each + * MiB) against RLIMIT_AS, which leaves 256.0 "
                           "MiB: at most * tasks fit (--tasks); copied stacks (--coro-stack "
                           "copy) take less"),
              "the refusal says: %s", err);
    const char *at = strstr(err, "at most ");
    unsigned long long fit = 0;
    EB_REQUIRE(at != NULL && sscanf(at, "at most %llu tasks", &fit) == 1);
    EB_CHECKF(fit > 10000 && fit < 65536, "at most %llu tasks fit 256 MiB", fit);
    doc_run_end(&r);

    char tasks[32];
    snprintf(tasks, sizeof tasks, "%llu", fit);
    plan[7] = tasks;
    doc = doc_run_plan(&r, &s, plan, 0, 1);
    char point[96];
    snprintf(point, sizeof point, "%stasks:%s/", prefix, tasks);
    check_ok(doc, point, 1);
    doc_run_end(&r);
}

/* In a 128 MiB memory cgroup: the estimate accepts 10,000 coroutines with
 * separate stacks and 100,000 with copied ones (--coro-stack), and refuses
 * 100,000 with separate stacks; run for real, the accepted points complete
 * and the refused one is an error row with the estimate and what would fit,
 * never started (before phase B it was killed for memory halfway). */
EB_TEST(in_a_memory_cgroup_the_verdicts_match_what_happens)
{
    const uint64_t limit = 128 * MIB;
    eb_sandbox s = {.memory_bytes = limit};
    char why[300];
    if (!sandbox_possible(&s, why, sizeof why)) EB_SKIP("%s", why);
#ifdef EB_SANITIZE_BUILD
    EB_SKIP("sanitizer shadow memory and quarantine are not in the estimate");
#endif
    /* the runner's own process shares the cgroup: ~2 MiB charged */
    eb_mem_available a = nothing_limited();
    a.cgroup_limit = limit;
    a.cgroup_usage = 2 * MIB;
    struct {
        uint64_t tasks;
        bool copy;
    } cases[] = {{10000, false}, {100000, true}, {100000, false}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        eb_fit_point p = {
            .executor = EB_FIT_COROUTINE, .tasks = cases[i].tasks, .copy_stacks = cases[i].copy};
        eb_fit_estimate e = estimate(p);
        eb_fit_verdict v;
        eb_fit_check(&p, &e, &a, &v);
        char tasks[32];
        snprintf(tasks, sizeof tasks, "%" PRIu64, cases[i].tasks);
        const char *mode = cases[i].copy ? "copy" : "separate";
        const char *plan[] = {"--workload",
                              "io.sleep",
                              "--executor",
                              "coroutine",
                              "--workers",
                              "0",
                              "--tasks",
                              tasks,
                              "--coro-stack",
                              mode,
                              "--param",
                              "latency_us=200000",
                              "--repetitions",
                              "1",
                              "--warmup",
                              "0",
                              NULL};
        doc_run r;
        json_t *doc = doc_run_plan(&r, &s, plan, v.fits ? 0 : 1, 1);
        char prefix[64];
        snprintf(prefix, sizeof prefix, "io.sleep/exec:coroutine/stack:%s/", mode);
        const char *err = doc_point_error(doc, prefix);
        bool ran = err[0] == '\0';
        EB_CHECKF(ran == v.fits,
                  "%s coroutines, %s stacks: the estimate says %s (%" PRIu64 " B against %" PRIu64
                  "), the run %s%s",
                  tasks, mode, v.fits ? "fits" : "does not fit", v.need, v.room,
                  ran ? "completed" : "failed: ", err);
        if (!v.fits) {
            char want[400];
            snprintf(want, sizeof want,
                     "refused before it started: %s coroutines (separate stacks) need ~* against "
                     "the memory cgroup's limit (*), which leaves *: at most * tasks fit "
                     "(--tasks); copied stacks (--coro-stack copy) take less",
                     tasks);
            EB_CHECKF(matches(err, want), "the refusal says: %s", err);
        }
        json_t *rows[8];
        size_t n = doc_point_rows(doc, prefix, rows, 8);
        EB_CHECKF(n > 0 && json_integer_value(json_object_get(rows[0], "memory_estimate_bytes")) ==
                               (json_int_t)e.resident_bytes,
                  "%s: memory_estimate_bytes is the estimate's %" PRIu64, prefix, e.resident_bytes);
        doc_run_end(&r);
    }
}
