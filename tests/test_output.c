/* test_output.c — where the document goes, when that place fails: an --out
 * that cannot be written is found before the first point runs (exit 2, one
 * line, nothing measured), and a disk that fills up during the run leaves
 * the previous latest.json intact while the run's results go to TMPDIR, or
 * to stdout when that is full too. Full and read-only file systems are
 * private tmpfs mounts of this test process (a mount namespace of its own). */
#include "doc_check.h"
#include "eb_test.h"
#include "execbench_process.h"
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* A plan whose points would take seconds: none may start. */
#define SLOW_PLAN                                                                                  \
    "--workload", "io.sleep", "--executor", "sequential", "--tasks", "20", "--param",              \
        "latency_us=100000"

static void check_refused(const char *out, const eb_sandbox *s, const char *pattern)
{
    const char *args[] = {SLOW_PLAN, "--out", out, NULL};
    eb_proc p;
    int code = s != NULL ? sandbox_run(&p, args, s) : run_execbench(&p, args);
    EB_CHECKF(code == 2, "--out %s: exit %d: %s", out, code, p.err);
    EB_CHECKF(count_lines(p.err) == 1 && matches(p.err, pattern),
              "--out %s:\n  says:     %s  expected: %s", out, p.err, pattern);
    EB_CHECKF(p.out[0] == '\0', "printed: %s", p.out);
    struct stat st;
    EB_CHECKF(stat(out, &st) != 0, "%s was written", out);
    proc_free(&p);
}

/* Leaves `dir` with no directory entry but the given ones. */
static bool dir_holds_only(const char *dir, const char *const *names, size_t count)
{
    DIR *d = opendir(dir);
    if (d == NULL) return false;
    bool only = true;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        bool known = false;
        for (size_t i = 0; i < count; i++)
            known = known || strcmp(e->d_name, names[i]) == 0;
        if (!known) {
            fprintf(stderr, "%s holds %s\n", dir, e->d_name);
            only = false;
        }
    }
    closedir(d);
    return only;
}

EB_TEST(a_file_name_too_long_for_the_temporary_file)
{
    char dir[64], out[400];
    tmpdir_make(dir, sizeof dir);
    /* 255 bytes is a legal name, but not with ".tmp-<pid>" after it */
    char name[256];
    memset(name, 'a', 250);
    snprintf(name + 250, sizeof name - 250, ".json");
    snprintf(out, sizeof out, "%s/%s", dir, name);
    char pattern[200];
    snprintf(pattern, sizeof pattern,
             "execbench: cannot write results into %s/: File name too long; choose another "
             "--out\n",
             dir);
    check_refused(out, NULL, pattern);
    EB_CHECK(dir_holds_only(dir, NULL, 0));
    tmpdir_remove(dir);
}

EB_TEST(a_path_through_a_file)
{
    check_refused("/etc/passwd/run.json", NULL,
                  "execbench: cannot write results into /etc/passwd/: Not a directory; choose "
                  "another --out\n");
}

EB_TEST(a_directory_this_user_may_not_write)
{
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/run.json", dir);
    char pattern[200];
    snprintf(pattern, sizeof pattern,
             "execbench: cannot write results into %s/: Permission denied; choose another "
             "--out\n",
             dir);
    if (geteuid() == 0) {
        /* root may write anywhere: run as an unused uid */
        EB_REQUIRE(chmod(dir, 0755) == 0);
        eb_sandbox s = {.uid = sandbox_free_uid()};
        check_refused(out, &s, pattern);
    } else {
        EB_REQUIRE(chmod(dir, 0555) == 0);
        check_refused(out, NULL, pattern);
        EB_REQUIRE(chmod(dir, 0755) == 0);
    }
    tmpdir_remove(dir);
}

EB_TEST(a_read_only_file_system)
{
    char dir[64], out[128], why[300];
    tmpdir_make(dir, sizeof dir);
    if (!sandbox_private_tmpfs(dir, "ro,size=64k", why, sizeof why)) EB_SKIP("%s", why);
    snprintf(out, sizeof out, "%s/run.json", dir);
    char pattern[200];
    snprintf(pattern, sizeof pattern,
             "execbench: cannot write results into %s/: Read-only file system; choose another "
             "--out\n",
             dir);
    check_refused(out, NULL, pattern);
    EB_CHECK(umount(dir) == 0);
    tmpdir_remove(dir);
}

/* Writes `bytes` bytes into a new file `path`: true when all fit. */
static bool fill(const char *path, size_t bytes)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return false;
    char block[4096];
    memset(block, 'x', sizeof block);
    size_t done = 0;
    while (done < bytes) {
        size_t n = bytes - done < sizeof block ? bytes - done : sizeof block;
        ssize_t w = write(fd, block, n);
        if (w <= 0) break;
        done += (size_t)w;
    }
    close(fd);
    return done == bytes;
}

static size_t free_bytes(const char *dir)
{
    struct statvfs v;
    EB_REQUIRE(statvfs(dir, &v) == 0);
    return (size_t)v.f_bavail * v.f_bsize;
}

EB_TEST(a_full_file_system)
{
    char dir[64], out[128], filler[128], why[300];
    tmpdir_make(dir, sizeof dir);
    if (!sandbox_private_tmpfs(dir, "size=64k", why, sizeof why)) EB_SKIP("%s", why);
    snprintf(filler, sizeof filler, "%s/filler", dir);
    fill(filler, free_bytes(dir) + 4096); /* until it is full */
    EB_REQUIRE(free_bytes(dir) == 0);
    snprintf(out, sizeof out, "%s/run.json", dir);
    char pattern[200];
    snprintf(pattern, sizeof pattern,
             "execbench: cannot write results into %s/: No space left on device; free some "
             "space or choose another --out\n",
             dir);
    check_refused(out, NULL, pattern);
    EB_CHECK(umount(dir) == 0);
    tmpdir_remove(dir);
}

/* Four honest points whose document (~30 KiB) cannot fit in what is left. */
#define FOUR_POINTS                                                                                \
    "--workload", "cpu.sumsq,io.sleep", "--executor", "sequential,threaded", "--workers", "2",     \
        "--tasks", "2", "--param", "n=1000", "--param", "latency_us=1000", "--repetitions", "3",   \
        "--quiet"

static const char previous[] = "{\"context\": {}, \"benchmarks\": [], \"previous\": true}\n";

/* A tmpfs on `dir` holding results/latest.json and a filler that leaves two
 * pages: room for the check before the run, not for the document. */
static void full_results_dir(const char *dir)
{
    char why[300], path[200];
    if (!sandbox_private_tmpfs(dir, "size=512k", why, sizeof why)) EB_SKIP("%s", why);
    snprintf(path, sizeof path, "%s/results", dir);
    EB_REQUIRE(mkdir(path, 0755) == 0);
    snprintf(path, sizeof path, "%s/results/latest.json", dir);
    FILE *f = fopen(path, "w");
    EB_REQUIRE(f != NULL && fputs(previous, f) >= 0 && fclose(f) == 0);
    snprintf(path, sizeof path, "%s/filler", dir);
    EB_REQUIRE(fill(path, free_bytes(dir) - 8192));
    EB_REQUIRE(free_bytes(dir) == 8192);
}

static void check_previous_latest(const char *dir)
{
    char path[200], text[256] = "";
    snprintf(path, sizeof path, "%s/results/latest.json", dir);
    FILE *f = fopen(path, "r");
    EB_REQUIRE(f != NULL);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    EB_CHECKF(strcmp(text, previous) == 0, "latest.json now holds: %s", text);
    snprintf(path, sizeof path, "%s/results", dir);
    const char *only[] = {"latest.json"}; /* no temporary file left behind */
    EB_CHECK(dir_holds_only(path, only, 1));
}

static void check_four_points(json_t *doc)
{
    EB_REQUIRE(doc != NULL);
    EB_CHECK(doc_point_count(doc) == 4);
    static const char *const points[] = {"cpu.sumsq/exec:sequential/", "cpu.sumsq/exec:threaded/",
                                         "io.sleep/exec:sequential/", "io.sleep/exec:threaded/"};
    for (size_t i = 0; i < 4; i++) {
        char why[600];
        EB_CHECKF(doc_point_ok(doc, points[i], 3, why, sizeof why), "%s", why);
    }
    EB_CHECK(json_is_false(doc_execbench(doc, "interrupted")));
}

EB_TEST(disk_full_while_writing_keeps_latest_and_rescues_the_results)
{
    char dir[64], rescue_dir[64];
    tmpdir_make(dir, sizeof dir);
    tmpdir_make(rescue_dir, sizeof rescue_dir);
    full_results_dir(dir);
    const char *args[] = {FOUR_POINTS, NULL};
    eb_sandbox s = {.cwd = dir, .tmpdir = rescue_dir};
    eb_proc p;
    int code = sandbox_run(&p, args, &s);
    EB_CHECKF(code == 1, "exit %d: %s", code, p.err);
    char pattern[300];
    snprintf(pattern, sizeof pattern,
             "execbench: could not write results/*.json: No space left on device; the results "
             "are saved in %s/execbench-rescued-*.json instead\n",
             rescue_dir);
    EB_CHECKF(count_lines(p.err) == 1 && matches(p.err, pattern), "\n  says:     %s  expected: %s",
              p.err, pattern);
    const char *at = strstr(p.err, " saved in ");
    char rescued[256] = "";
    if (at != NULL) sscanf(at + 10, "%255s", rescued);
    json_t *doc = load_json(rescued);
    check_four_points(doc);
    json_decref(doc);
    check_previous_latest(dir);
    unlink(rescued);
    proc_free(&p);
    tmpdir_remove(rescue_dir);
    EB_CHECK(umount(dir) == 0);
    tmpdir_remove(dir);
}

EB_TEST(disk_and_tmpdir_full_while_writing_print_the_results)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    full_results_dir(dir);
    const char *args[] = {FOUR_POINTS, NULL};
    eb_sandbox s = {.cwd = dir, .tmpdir = dir}; /* the rescue has no room either */
    eb_proc p;
    int code = sandbox_run(&p, args, &s);
    EB_CHECKF(code == 1, "exit %d: %s", code, p.err);
    char pattern[300];
    snprintf(pattern, sizeof pattern,
             "execbench: could not write results/*.json: No space left on device; could not "
             "write %s/execbench-rescued-*.json: No space left on device too; the results follow "
             "on stdout\n",
             dir);
    EB_CHECKF(count_lines(p.err) == 1 && matches(p.err, pattern), "\n  says:     %s  expected: %s",
              p.err, pattern);
    json_error_t error;
    json_t *doc = json_loads(p.out, JSON_REJECT_DUPLICATES, &error);
    EB_CHECKF(doc != NULL, "stdout is not the document: %d:%d: %s", error.line, error.column,
              error.text);
    check_four_points(doc);
    json_decref(doc);
    check_previous_latest(dir);
    const char *left[] = {"results", "filler"};
    EB_CHECK(dir_holds_only(dir, left, 2));
    proc_free(&p);
    EB_CHECK(umount(dir) == 0);
    tmpdir_remove(dir);
}
