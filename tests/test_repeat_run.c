/* test_repeat_run.c — --repeat-run N: the whole plan N times in one
 * invocation, each run its own document (FILE-runK.json), the same points in
 * each, the parent's open files and memory recorded per run and not growing;
 * a run whose output fails stops the series. tools/soak.sh is the long form
 * (the quick preset 20 times, leftovers in /tmp and /dev/shm checked). */
#include "doc_check.h"
#include "eb_test.h"
#include "execbench_process.h"

#include <dirent.h>
#include <unistd.h>

static json_int_t usage(json_t *doc, const char *key)
{
    return json_integer_value(json_object_get(doc_execbench(doc, "parent_process"), key));
}

/* The point names of a document, in order, as one string. */
static void names(json_t *doc, char *buf, size_t len)
{
    buf[0] = '\0';
    size_t used = 0, i;
    json_t *row;
    json_array_foreach(json_object_get(doc, "benchmarks"), i, row)
    {
        const char *aggregate = json_string_value(json_object_get(row, "aggregate_name"));
        if (aggregate != NULL || used >= len) continue;
        used += (size_t)snprintf(buf + used, len - used, "%s;",
                                 json_string_value(json_object_get(row, "run_name")));
    }
}

EB_TEST(each_run_writes_its_own_document_with_the_same_points)
{
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/soak.json", dir);
    const char *args[] = {"--workload",
                          "cpu.sumsq,io.sleep",
                          "--executor",
                          "sequential,threaded,coroutine,multiprocess",
                          "--workers",
                          "2",
                          "--tasks",
                          "4",
                          "--param",
                          "n=1000",
                          "--param",
                          "latency_us=1000",
                          "--repetitions",
                          "2",
                          "--repeat-run",
                          "3",
                          "--out",
                          out,
                          NULL};
    eb_proc p;
    int code = run_execbench(&p, args);
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    char first[8192] = "", now[8192];
    json_int_t fds = -1;
    for (int k = 1; k <= 3; k++) {
        char path[160];
        snprintf(path, sizeof path, "%s/soak-run%d.json", dir, k);
        json_t *doc = load_json(path);
        EB_REQUIRE(doc != NULL);
        EB_CHECK(doc_point_count(doc) == 8);
        json_t *repeat = doc_execbench(doc, "repeat_run");
        EB_CHECK(json_integer_value(json_object_get(repeat, "index")) == k);
        EB_CHECK(json_integer_value(json_object_get(repeat, "of")) == 3);
        names(doc, now, sizeof now);
        if (k == 1) snprintf(first, sizeof first, "%s", now);
        EB_CHECKF(strcmp(now, first) == 0, "run %d measured other points:\n%s\n%s", k, now, first);
        /* what the parent holds open is the same before and after every run */
        json_int_t at_start = usage(doc, "fds_at_start"), at_end = usage(doc, "fds_at_end");
        EB_CHECKF(at_start >= 3 && at_end == at_start, "run %d: fds %lld -> %lld", k,
                  (long long)at_start, (long long)at_end);
        if (k == 1) fds = at_start;
        EB_CHECKF(at_start == fds, "run %d starts with %lld fds, run 1 with %lld", k,
                  (long long)at_start, (long long)fds);
        EB_CHECK(usage(doc, "rss_kib_at_start") > 0 && usage(doc, "rss_kib_at_end") > 0);
        json_decref(doc);
    }
    EB_CHECKF(matches(p.err, "*\nexecbench: 3 runs; parent process: * -> * open files, RSS * -> * "
                             "KiB\n"),
              "%s", p.err);
    const char *files[] = {"soak-run1.json", "soak-run2.json", "soak-run3.json"};
    DIR *d = opendir(dir);
    EB_REQUIRE(d != NULL);
    struct dirent *e;
    size_t count = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        bool known = false;
        for (size_t i = 0; i < 3; i++)
            known = known || strcmp(e->d_name, files[i]) == 0;
        EB_CHECKF(known, "unexpected %s", e->d_name);
        count++;
    }
    closedir(d);
    EB_CHECK(count == 3);
    proc_free(&p);
    tmpdir_remove(dir);
}

EB_TEST(default_paths_get_the_run_number_and_latest_the_last_run)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    EB_REQUIRE(chdir(dir) == 0);
    const char *args[] = {"--workload",    "cpu.sumsq", "--executor",   "sequential",
                          "--tasks",       "1",         "--param",      "n=1000",
                          "--repetitions", "1",         "--repeat-run", "2",
                          "--quiet",       NULL};
    eb_proc p;
    int code = run_execbench(&p, args);
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    DIR *d = opendir("results");
    EB_REQUIRE(d != NULL);
    int run1 = 0, run2 = 0, latest = 0, others = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (matches(e->d_name, "*-run1.json"))
            run1++;
        else if (matches(e->d_name, "*-run2.json"))
            run2++;
        else if (strcmp(e->d_name, "latest.json") == 0)
            latest++;
        else
            others++;
    }
    closedir(d);
    EB_CHECK(run1 == 1 && run2 == 1 && latest == 1 && others == 0);
    json_t *doc = load_json("results/latest.json");
    EB_REQUIRE(doc != NULL);
    EB_CHECK(json_integer_value(json_object_get(doc_execbench(doc, "repeat_run"), "index")) == 2);
    json_decref(doc);
    proc_free(&p);
    EB_CHECK(chdir("/") == 0);
    char results[128];
    snprintf(results, sizeof results, "%s/results", dir);
    tmpdir_remove(results);
    tmpdir_remove(dir);
}

EB_TEST(bad_repeat_counts_are_refused)
{
    static const char *const bad[] = {"0", "-1", "10001", "x", "1e3", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *args[] = {"--repeat-run", bad[i], NULL};
        eb_proc p;
        int code = run_execbench(&p, args);
        EB_CHECKF(code == 2, "--repeat-run %s: exit %d", bad[i], code);
        EB_CHECKF(count_lines(p.err) == 1 && matches(p.err, "execbench: --repeat-run: *"),
                  "--repeat-run %s: %s", bad[i], p.err);
        proc_free(&p);
    }
}
