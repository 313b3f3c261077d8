/* test_compare_workflow.c — what build/execbench really writes goes through
 * build/execbench-compare summary and diff and tools/plot.py, as a new user
 * takes it: the README's plan from flags (its context says "preset": null),
 * a run interrupted by SIGINT after its first point (flagged at the top of
 * each), and the documents of --repeat-run 2. The plot steps need a Python 3
 * with matplotlib; without one the case is skipped after its compare steps. */
#include "eb_test.h"
#include "execbench_process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The README's example plan (README.md, "The two commands" and "Presets"). */
#define README_PLAN                                                                                \
    "--workload", "cpu.sumsq", "--executor", "sequential", "--param", "n=1000", "--repetitions", "3"

typedef struct cmd_result {
    int status; /* exit status, or 128 + signal */
    char *out, *err;
} cmd_result;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    EB_REQUIRE(f != NULL);
    char *buf = NULL;
    size_t len = 0;
    char chunk[8192];
    for (size_t got; (got = fread(chunk, 1, sizeof chunk, f)) > 0; len += got) {
        buf = realloc(buf, len + got + 1);
        EB_REQUIRE(buf != NULL);
        memcpy(buf + len, chunk, got);
    }
    fclose(f);
    if (buf == NULL) buf = calloc(1, 1);
    buf[len] = '\0';
    return buf;
}

/* Runs argv (argv[0] a path) with stdout and stderr captured through files in dir. */
static void run_cmd(const char *dir, const char *const *argv, cmd_result *r)
{
    char out[256], err[256];
    snprintf(out, sizeof out, "%s/.stdout", dir);
    snprintf(err, sizeof err, "%s/.stderr", dir);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    EB_REQUIRE(posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        EB_REQUIRE(errno == EINTR);
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r->out = slurp(out);
    r->err = slurp(err);
    unlink(out);
    unlink(err);
}

static void cmd_free(cmd_result *r)
{
    free(r->out);
    free(r->err);
}

static const char *compare_path(void)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/execbench-compare", getenv("EB_BUILD_DIR"));
    return path;
}

/* A Python 3 that has matplotlib (tools/find-python.sh), or NULL. */
static const char *plot_python(void)
{
    static char path[4096];
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "'%s/tools/find-python.sh' matplotlib", getenv("EB_SOURCE_DIR"));
    FILE *p = popen(cmd, "r");
    if (p == NULL) return NULL;
    bool found = fgets(path, sizeof path, p) != NULL;
    int status = pclose(p);
    if (!found || status != 0) return NULL;
    path[strcspn(path, "\n")] = '\0';
    return path;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void run_execbench_ok(const char *const *args)
{
    eb_proc p;
    int code = run_execbench(&p, args);
    EB_REQUIRE(code == 0 || (fprintf(stderr, "execbench exited %d: %s\n", code, p.err), false));
    proc_free(&p);
}

/* summary FILE: exit 0, silent stderr, the point in a table, and `top` (when
 * not NULL) in the lines before the first table. */
static void check_summary(const char *dir, const char *file, const char *top)
{
    const char *argv[] = {compare_path(), "summary", file, NULL};
    cmd_result r;
    run_cmd(dir, argv, &r);
    EB_CHECKF(r.status == 0, "summary %s: exit %d: %s", file, r.status, r.err);
    EB_CHECKF(r.err[0] == '\0', "summary %s: stderr: %s", file, r.err);
    EB_CHECKF(strstr(r.out, "cpu.sumsq") != NULL && strstr(r.out, "sequential") != NULL,
              "summary %s:\n%s", file, r.out);
    if (top != NULL) {
        const char *table = strstr(r.out, "\n\n");
        const char *at = strstr(r.out, top);
        EB_CHECKF(at != NULL && table != NULL && at < table,
                  "summary %s: \"%s\" is not at the top:\n%s", file, top, r.out);
    }
    cmd_free(&r);
}

/* diff OLD NEW: exit 0, silent stderr, the README's point compared, and `top`
 * (when not NULL) before the table. */
static void check_diff(const char *dir, const char *old, const char *new, const char *top)
{
    const char *argv[] = {compare_path(), "diff", old, new, NULL};
    cmd_result r;
    run_cmd(dir, argv, &r);
    EB_CHECKF(r.status == 0, "diff %s %s: exit %d: %s", old, new, r.status, r.err);
    EB_CHECKF(r.err[0] == '\0', "diff %s %s: stderr: %s", old, new, r.err);
    EB_CHECKF(strstr(r.out, "cpu.sumsq/exec:sequential/tasks:20/workers:1/n:1000/pin:compact/") !=
                      NULL &&
                  strstr(r.out, "geomean (1 benchmark)") != NULL,
              "diff %s %s:\n%s", old, new, r.out);
    /* execbench's documents: its own flag for more repetitions */
    EB_CHECKF(strstr(r.out, "--benchmark_repetitions") == NULL &&
                  strstr(r.out, "(execbench --repetitions)") != NULL,
              "diff %s %s:\n%s", old, new, r.out);
    if (top != NULL) {
        const char *table = strstr(r.out, "diff: old -> new");
        const char *at = strstr(r.out, top);
        EB_CHECKF(at != NULL && table != NULL && at < table,
                  "diff %s %s: \"%s\" is not at the top:\n%s", old, new, top, r.out);
    }
    cmd_free(&r);
}

/* tools/plot.py FILE --out DIR/plots-NAME: exit 0, three PNGs, and `says` (when
 * not NULL) on stderr, else a silent stderr. */
static void check_plot(const char *dir, const char *py, const char *file, const char *says)
{
    char script[4096], out[256], compare[4096];
    snprintf(script, sizeof script, "%s/tools/plot.py", getenv("EB_SOURCE_DIR"));
    snprintf(out, sizeof out, "%s/plots-%s", dir, strrchr(file, '/') + 1);
    /* plot.py draws what this build's execbench-compare computes */
    snprintf(compare, sizeof compare, "%s/execbench-compare", getenv("EB_BUILD_DIR"));
    const char *argv[] = {py, script, "--compare", compare, "--out", out, file, NULL};
    cmd_result r;
    run_cmd(dir, argv, &r);
    EB_CHECKF(r.status == 0, "plot.py %s: exit %d: %s", file, r.status, r.err);
    if (says != NULL)
        EB_CHECKF(strstr(r.err, says) != NULL, "plot.py %s: stderr: %s", file, r.err);
    else
        EB_CHECKF(r.err[0] == '\0', "plot.py %s: stderr: %s", file, r.err);
    for (const char *const *name = (const char *const[]){"overview", "scaling", "overheads", NULL};
         *name != NULL; name++) {
        char png[320];
        snprintf(png, sizeof png, "%s/%s.png", out, *name);
        struct stat st;
        EB_CHECKF(stat(png, &st) == 0 && st.st_size > 2048, "plot.py %s: no %s", file, png);
    }
    cmd_free(&r);
}

/* The plot steps, or a skip when no Python here has matplotlib (after the
 * compare steps, whose failures still fail the case). */
static const char *python_or_skip(void)
{
    const char *py = plot_python();
    if (py == NULL && eb_test_failures == 0)
        EB_SKIP("no Python 3 with matplotlib (install python3-matplotlib): plot.py steps left out");
    return py;
}

EB_TEST(the_readme_plan_goes_through_summary_diff_and_plot)
{
    char dir[64], p[128], p2[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(p, sizeof p, "%s/p.json", dir);
    snprintf(p2, sizeof p2, "%s/p2.json", dir);
    run_execbench_ok((const char *const[]){README_PLAN, "--out", p, NULL});
    run_execbench_ok((const char *const[]){README_PLAN, "--quiet", "--out", p2, NULL});
    check_summary(dir, p, NULL);
    check_diff(dir, p, p2, NULL);
    const char *py = python_or_skip();
    if (py != NULL) check_plot(dir, py, p, NULL);
    remove_tree(dir);
}

/* The parent of process pid, or -1. */
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

/* How many children of `parent` carry needle in their command line (the point
 * process). Children only: another test, in this tree or another, may run the
 * same plan at the same time. The needle must be in the point's own arguments:
 * between fork and exec a child still shows its parent's command line. */
static size_t children_with(pid_t parent, const char *needle)
{
    size_t n = 0;
    DIR *d = opendir("/proc");
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        pid_t pid = (pid_t)atoi(e->d_name);
        if (parent_of(pid) != parent) continue;
        char path[300], cmd[4096];
        snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
        FILE *f = fopen(path, "r");
        if (f == NULL) continue;
        size_t len = fread(cmd, 1, sizeof cmd - 1, f);
        fclose(f);
        for (size_t k = 0; k < len; k++)
            if (cmd[k] == '\0') cmd[k] = ' ';
        cmd[len] = '\0';
        n += strstr(cmd, needle) != NULL;
    }
    if (d != NULL) closedir(d);
    return n;
}

EB_TEST(an_interrupted_run_is_flagged_at_the_top_of_summary_diff_and_plot)
{
    char dir[64], p[128], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(p, sizeof p, "%s/p.json", dir);
    snprintf(out, sizeof out, "%s/interrupted.json", dir);
    run_execbench_ok((const char *const[]){README_PLAN, "--quiet", "--out", p, NULL});
    /* The README's point, then 160 waits of 30 s each: SIGINT once that one started. */
    const char *long_wait = "latency_us=30000031";
    const char *plan[] = {"--workload",
                          "cpu.sumsq,io.sleep",
                          "--executor",
                          "sequential",
                          "--param",
                          "n=1000",
                          "--param",
                          long_wait,
                          "--repetitions",
                          "3",
                          "--warmup",
                          "0",
                          "--order",
                          "blocked",
                          "--out",
                          out,
                          NULL};
    eb_proc proc;
    proc_start(&proc, plan);
    bool started = false;
    for (int i = 0; i < 600 && !started; i++) {
        started = children_with(proc.pid, "--point --workload=io.sleep") > 0;
        if (!started) nanosleep(&(struct timespec){0, 50000000}, NULL);
    }
    kill(proc.pid, SIGINT); /* also when it never started: execbench reaps what it began */
    if (!started) proc_finish(&proc);
    EB_REQUIRE(started);
    int code = proc_finish(&proc);
    EB_CHECKF(code == 128 + SIGINT, "execbench exited %d: %s", code, proc.err);
    proc_free(&proc);

    const char *says = "interrupted by SIGINT after 1 of 2 points";
    check_summary(dir, out, says);
    check_diff(dir, p, out, says);
    const char *py = python_or_skip();
    if (py != NULL) check_plot(dir, py, out, says);
    remove_tree(dir);
}

EB_TEST(repeat_run_documents_go_through_summary_diff_and_plot)
{
    char dir[64], out[128], run1[128], run2[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/r.json", dir);
    snprintf(run1, sizeof run1, "%s/r-run1.json", dir);
    snprintf(run2, sizeof run2, "%s/r-run2.json", dir);
    run_execbench_ok(
        (const char *const[]){README_PLAN, "--repeat-run", "2", "--quiet", "--out", out, NULL});
    check_summary(dir, run1, "run 1 of 2");
    check_summary(dir, run2, "run 2 of 2");
    check_diff(dir, run1, run2, NULL);
    const char *py = python_or_skip();
    if (py != NULL) {
        check_plot(dir, py, run1, NULL);
        check_plot(dir, py, run2, NULL);
    }
    remove_tree(dir);
}
