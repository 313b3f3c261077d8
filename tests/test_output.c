/* test_output.c — where the document goes, when that place fails: an --out
 * that cannot be written is found before the first point runs (exit 2, one
 * line, nothing measured), and a disk that fills up during the run leaves
 * the previous latest.json intact while the run's results go to TMPDIR, or
 * to stdout when that is full too. What --out names is written as what it
 * is: a link's target replaced, a device, FIFO or socket written through,
 * stdout given the document alone. Default names never collide, and an
 * interrupted run leaves latest.json whole. Full and read-only file systems,
 * and the /dev the device tests use, are private tmpfs mounts of this test
 * process (a mount namespace of its own). */
#include "doc_check.h"
#include "eb_test.h"
#include "execbench_process.h"
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
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

/* ---- what --out names: devices, FIFOs, sockets, links, descriptors ---- */

/* One quick point: its document is a few KiB. */
#define ONE_POINT                                                                                  \
    "--workload", "cpu.sumsq", "--executor", "sequential", "--tasks", "1", "--param", "n=1000",    \
        "--repetitions", "1", "--warmup", "0"

/* A private /dev for this test process (a tmpfs in a mount namespace of its
 * own) holding what execbench and these tests use: null, full, zero,
 * urandom and the stdin/stdout/stderr/fd links. The machine's /dev is never
 * at risk, even from an execbench that would replace what --out names. */
static void private_dev(void)
{
    char why[300];
    if (!sandbox_private_tmpfs("/dev", "dev,size=64k,mode=755", why, sizeof why))
        EB_SKIP("%s", why);
    static const struct {
        const char *name;
        unsigned minor;
    } nodes[] = {{"/dev/null", 3}, {"/dev/zero", 5}, {"/dev/full", 7}, {"/dev/urandom", 9}};
    for (size_t i = 0; i < sizeof nodes / sizeof *nodes; i++) {
        if (mknod(nodes[i].name, S_IFCHR | 0666, makedev(1, nodes[i].minor)) != 0)
            EB_SKIP("cannot make %s here: %s", nodes[i].name, strerror(errno));
        EB_REQUIRE(chmod(nodes[i].name, 0666) == 0);
    }
    EB_REQUIRE(symlink("/proc/self/fd", "/dev/fd") == 0);
    EB_REQUIRE(symlink("/proc/self/fd/0", "/dev/stdin") == 0);
    EB_REQUIRE(symlink("/proc/self/fd/1", "/dev/stdout") == 0);
    EB_REQUIRE(symlink("/proc/self/fd/2", "/dev/stderr") == 0);
}

static bool is_char_device(const char *path, unsigned minor)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
           minor(st.st_rdev) == minor;
}

static bool is_link_to(const char *path, const char *target)
{
    char got[256];
    ssize_t n = readlink(path, got, sizeof got - 1);
    if (n < 0) return false;
    got[n] = '\0';
    return strcmp(got, target) == 0;
}

/* As root the document was renamed onto the device node: /dev/null became a
 * regular file holding the JSON. */
EB_TEST(out_dev_null_discards_the_document_and_leaves_the_device)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    private_dev();
    eb_sandbox s = {.cwd = dir};
    eb_proc p;
    int code = sandbox_run(&p, (const char *[]){ONE_POINT, "--out", "/dev/null", NULL}, &s);
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    EB_CHECKF(strstr(p.err, "execbench: results written to /dev/null\n") != NULL, "%s", p.err);
    EB_CHECK(is_char_device("/dev/null", 3));
    EB_CHECK(dir_holds_only(
        "/dev",
        (const char *[]){"null", "zero", "full", "urandom", "fd", "stdin", "stdout", "stderr"},
        8)); /* no temporary file beside it */
    EB_CHECK(dir_holds_only(dir, NULL, 0));
    proc_free(&p);
    tmpdir_remove(dir);
}

EB_TEST(out_dev_full_reports_a_full_disk_and_rescues_the_results)
{
    char dir[64], rescue_dir[64];
    tmpdir_make(dir, sizeof dir);
    tmpdir_make(rescue_dir, sizeof rescue_dir);
    private_dev();
    eb_sandbox s = {.cwd = dir, .tmpdir = rescue_dir};
    eb_proc p;
    int code = sandbox_run(&p, (const char *[]){ONE_POINT, "--out", "/dev/full", NULL}, &s);
    EB_CHECKF(code == 1, "exit %d: %s", code, p.err);
    char pattern[300];
    snprintf(pattern, sizeof pattern,
             "*execbench: could not write /dev/full: No space left on device; the results are "
             "saved in %s/execbench-rescued-*-full.json instead\n",
             rescue_dir);
    EB_CHECKF(matches(p.err, pattern), "\n  says:     %s  expected: %s", p.err, pattern);
    const char *at = strstr(p.err, " saved in ");
    char rescued[256] = "";
    if (at != NULL) sscanf(at + 10, "%255s", rescued);
    json_t *doc = load_json(rescued);
    EB_CHECK(doc != NULL && doc_point_count(doc) == 1);
    json_decref(doc);
    EB_CHECK(is_char_device("/dev/full", 7));
    unlink(rescued);
    proc_free(&p);
    tmpdir_remove(rescue_dir);
    tmpdir_remove(dir);
}

/* "-" was a file named "-", /dev/stdout a symbolic link replaced by a
 * regular file; and the console table went to stdout, after the document. */
EB_TEST(out_to_stdout_prints_only_the_document_there_and_the_table_on_stderr)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    private_dev();
    static const char *const names[] = {"-", "/dev/stdout", "/dev/fd/1"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        eb_sandbox s = {.cwd = dir};
        eb_proc p;
        int code = sandbox_run(&p, (const char *[]){ONE_POINT, "--out", names[i], NULL}, &s);
        EB_CHECKF(code == 0, "--out %s: exit %d: %s", names[i], code, p.err);
        json_error_t error;
        json_t *doc = json_loads(p.out, JSON_REJECT_DUPLICATES, &error);
        EB_CHECKF(doc != NULL, "--out %s: stdout is not the document alone: %d:%d: %s\n%s",
                  names[i], error.line, error.column, error.text, p.out);
        EB_CHECK(doc == NULL || doc_point_count(doc) == 1);
        json_decref(doc);
        EB_CHECKF(strstr(p.err, "\ncpu.sumsq (tasks 1, pin compact, n=1000)\n  executor") != NULL,
                  "--out %s: no table on "
                  "stderr: %s",
                  names[i], p.err);
        EB_CHECKF(strstr(p.err, "results written to ") != NULL, "%s", p.err);
        proc_free(&p);
    }
    /* --repeat-run: each run's document in turn, not "--run1" files */
    eb_sandbox s = {.cwd = dir};
    eb_proc p;
    int code =
        sandbox_run(&p, (const char *[]){ONE_POINT, "--repeat-run", "2", "--out", "-", NULL}, &s);
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    json_error_t error;
    json_t *first = json_loads(p.out, JSON_DISABLE_EOF_CHECK, &error);
    EB_REQUIRE(first != NULL);
    json_t *second = json_loads(p.out + error.position, 0, &error);
    EB_CHECKF(second != NULL, "the second document: %s", error.text);
    EB_CHECK(json_integer_value(json_object_get(doc_execbench(first, "repeat_run"), "index")) == 1);
    EB_CHECK(json_integer_value(json_object_get(doc_execbench(second, "repeat_run"), "index")) ==
             2);
    json_decref(first);
    json_decref(second);
    proc_free(&p);
    EB_CHECK(is_link_to("/dev/stdout", "/proc/self/fd/1"));
    EB_CHECK(dir_holds_only(dir, NULL, 0)); /* no file named "-" */
    tmpdir_remove(dir);
}

/* Copies what comes through `fifo` into `copy`, in a child: its pid. */
static pid_t fifo_reader(const char *fifo, const char *copy)
{
    pid_t pid = fork();
    EB_REQUIRE(pid >= 0);
    if (pid > 0) return pid;
    int in = open(fifo, O_RDONLY), out = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0) _exit(1);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) _exit(1);
    _exit(n == 0 ? 0 : 1);
}

/* A FIFO was replaced by a regular file: its reader got nothing. */
EB_TEST(out_to_a_fifo_feeds_its_reader_and_leaves_the_fifo)
{
    char dir[64], fifo[128], copy[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(fifo, sizeof fifo, "%s/results.fifo", dir);
    snprintf(copy, sizeof copy, "%s/copy.json", dir);
    EB_REQUIRE(mkfifo(fifo, 0644) == 0);
    pid_t reader = fifo_reader(fifo, copy);
    eb_proc p;
    int code = run_execbench(&p, (const char *[]){ONE_POINT, "--quiet", "--out", fifo, NULL});
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    struct stat st;
    bool still_fifo = stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode);
    EB_CHECK(still_fifo);
    if (!still_fifo) kill(reader, SIGKILL); /* it waits on the FIFO that went */
    int status = 0;
    EB_REQUIRE(waitpid(reader, &status, 0) == reader);
    EB_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    json_t *doc = load_json(copy);
    EB_CHECK(doc != NULL && doc_point_count(doc) == 1);
    json_decref(doc);
    EB_CHECK(dir_holds_only(dir, (const char *[]){"results.fifo", "copy.json"}, 2));
    proc_free(&p);
    tmpdir_remove(dir);
}

/* A listening unix socket: what one connection sends goes into `copy`. */
static pid_t socket_reader(const char *path, const char *copy)
{
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    EB_REQUIRE(listener >= 0 && bind(listener, (struct sockaddr *)&addr, sizeof addr) == 0 &&
               listen(listener, 1) == 0);
    pid_t pid = fork();
    EB_REQUIRE(pid >= 0);
    if (pid > 0) {
        close(listener);
        return pid;
    }
    int in = accept(listener, NULL, NULL), out = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0) _exit(1);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) _exit(1);
    _exit(n == 0 ? 0 : 1);
}

EB_TEST(out_to_a_socket_writes_through_it)
{
    char dir[64], sock[128], copy[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(sock, sizeof sock, "%s/results.sock", dir);
    snprintf(copy, sizeof copy, "%s/copy.json", dir);
    pid_t reader = socket_reader(sock, copy);
    eb_proc p;
    int code = run_execbench(&p, (const char *[]){ONE_POINT, "--quiet", "--out", sock, NULL});
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    struct stat st;
    bool still_socket = stat(sock, &st) == 0 && S_ISSOCK(st.st_mode);
    EB_CHECK(still_socket);
    if (!still_socket) kill(reader, SIGKILL);
    int status = 0;
    EB_REQUIRE(waitpid(reader, &status, 0) == reader);
    json_t *doc = load_json(copy);
    EB_CHECK(doc != NULL && doc_point_count(doc) == 1);
    json_decref(doc);
    proc_free(&p);
    unlink(sock);
    tmpdir_remove(dir);
}

/* A symbolic link was replaced by a regular file; its target kept the old
 * document. */
EB_TEST(out_through_a_symlink_replaces_its_target_and_keeps_the_link)
{
    char dir[64], sub[96], target[128], link_path[128], dangling[128], created[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(sub, sizeof sub, "%s/kept", dir);
    EB_REQUIRE(mkdir(sub, 0755) == 0);
    snprintf(target, sizeof target, "%s/run.json", sub);
    FILE *f = fopen(target, "w");
    EB_REQUIRE(f != NULL && fputs(previous, f) >= 0 && fclose(f) == 0);
    snprintf(link_path, sizeof link_path, "%s/latest-link.json", dir);
    EB_REQUIRE(symlink("kept/run.json", link_path) == 0); /* relative to the link's folder */
    eb_proc p;
    int code = run_execbench(&p, (const char *[]){ONE_POINT, "--quiet", "--out", link_path, NULL});
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    EB_CHECK(is_link_to(link_path, "kept/run.json"));
    json_t *doc = load_json(target);
    EB_CHECK(doc != NULL && doc_point_count(doc) == 1);
    json_decref(doc);
    EB_CHECK(dir_holds_only(sub, (const char *[]){"run.json"}, 1)); /* no temporary file left */
    proc_free(&p);

    /* a link to a file not there yet: the file is made where it points */
    snprintf(dangling, sizeof dangling, "%s/new-link.json", dir);
    snprintf(created, sizeof created, "%s/new.json", sub);
    EB_REQUIRE(symlink(created, dangling) == 0);
    code = run_execbench(&p, (const char *[]){ONE_POINT, "--quiet", "--out", dangling, NULL});
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    EB_CHECK(is_link_to(dangling, created));
    doc = load_json(created);
    EB_CHECK(doc != NULL && doc_point_count(doc) == 1);
    json_decref(doc);
    proc_free(&p);

    /* a loop of links is refused before any point runs */
    char loop[128];
    snprintf(loop, sizeof loop, "%s/loop.json", dir);
    EB_REQUIRE(symlink("loop.json", loop) == 0);
    check_refused(loop, NULL,
                  "execbench: --out */loop.json: too many symbolic links (a loop?); "
                  "name the file itself\n");
    unlink(loop);
    unlink(dangling);
    unlink(link_path);
    tmpdir_remove(sub);
    tmpdir_remove(dir);
}

/* ---- default names: never two runs in one file, latest.json whole ---- */

/* results/<host>-<stamp>.json for time t, as execbench names it. */
static void stamped_name(time_t t, const char *suffix, char *buf, size_t len)
{
    char host[128] = "host";
    gethostname(host, sizeof host - 1);
    for (char *c = host; *c != '\0'; c++)
        if (*c == '/' || *c == ' ') *c = '_';
    struct tm tm;
    localtime_r(&t, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(buf, len, "results/%s-%s%s.json", host, stamp, suffix);
}

static bool file_holds(const char *path, const char *text)
{
    char got[512] = "";
    FILE *f = fopen(path, "r");
    if (f == NULL) return false;
    size_t n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    got[n] = '\0';
    return strcmp(got, text) == 0;
}

/* A run started in the second of an earlier run's file replaced it. Here
 * every name the run could take in the next seconds already exists: it must
 * take "-2" and leave them all as they were. */
EB_TEST(a_default_name_that_exists_is_never_replaced)
{
    char dir[64], path[256];
    tmpdir_make(dir, sizeof dir);
    EB_REQUIRE(chdir(dir) == 0 && mkdir("results", 0755) == 0);
    time_t now = time(NULL);
    enum { SPAN = 30 };
    for (int k = -1; k < SPAN; k++) {
        stamped_name(now + k, "", path, sizeof path);
        FILE *f = fopen(path, "w");
        EB_REQUIRE(f != NULL && fputs("an earlier run\n", f) >= 0 && fclose(f) == 0);
    }
    eb_proc p;
    int code = run_execbench(&p, (const char *[]){ONE_POINT, NULL});
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    EB_REQUIRE(time(NULL) < now + SPAN);
    int kept = 0, taken = 0;
    for (int k = -1; k < SPAN; k++) {
        stamped_name(now + k, "", path, sizeof path);
        kept += file_holds(path, "an earlier run\n");
        stamped_name(now + k, "-2", path, sizeof path);
        json_t *doc = access(path, F_OK) == 0 ? load_json(path) : NULL;
        if (doc != NULL && doc_point_count(doc) == 1) {
            taken++;
            char said[300];
            snprintf(said, sizeof said, "execbench: results written to %s\n", path);
            EB_CHECKF(strstr(p.err, said) != NULL, "wanted '%s' in: %s", said, p.err);
        }
        json_decref(doc);
    }
    EB_CHECKF(kept == SPAN + 1, "%d of %d earlier files kept", kept, SPAN + 1);
    EB_CHECKF(taken == 1, "%d documents under a -2 name", taken);
    proc_free(&p);
    EB_CHECK(chdir("/") == 0);
    char results[128];
    snprintf(results, sizeof results, "%s/results", dir);
    tmpdir_remove(results);
    tmpdir_remove(dir);
}

/* Three quick runs in a loop left one file. Started together, just after a
 * second begins, they share their stamp: each must keep its own document. */
EB_TEST(runs_started_in_the_same_second_each_keep_their_document)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    EB_REQUIRE(chdir(dir) == 0);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct timespec wait = {0, 1000000000L - now.tv_nsec + 20000000L};
    if (wait.tv_nsec >= 1000000000L) {
        wait.tv_sec++;
        wait.tv_nsec -= 1000000000L;
    }
    nanosleep(&wait, NULL);
    enum { RUNS = 3 };
    eb_proc p[RUNS];
    for (int i = 0; i < RUNS; i++)
        proc_start(&p[i], (const char *[]){ONE_POINT, NULL});
    for (int i = 0; i < RUNS; i++)
        EB_CHECKF(proc_finish(&p[i]) == 0, "run %d: %s", i, p[i].err);
    DIR *d = opendir("results");
    EB_REQUIRE(d != NULL);
    int documents = 0, latest = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[400];
        snprintf(path, sizeof path, "results/%s", e->d_name);
        json_t *doc = load_json(path);
        EB_CHECKF(doc != NULL && doc_point_count(doc) == 1, "%s", path);
        json_decref(doc);
        if (strcmp(e->d_name, "latest.json") == 0)
            latest++;
        else
            documents++;
    }
    closedir(d);
    EB_CHECKF(documents == RUNS && latest == 1, "%d documents, %d latest.json", documents, latest);
    for (int i = 0; i < RUNS; i++)
        proc_free(&p[i]);
    EB_CHECK(chdir("/") == 0);
    char results[128];
    snprintf(results, sizeof results, "%s/results", dir);
    tmpdir_remove(results);
    tmpdir_remove(dir);
}

/* True once a process's command line holds `needle` (within `timeout_s`). */
static bool wait_for_process(const char *needle, double timeout_s)
{
    for (double waited = 0; waited < timeout_s; waited += 0.02) {
        DIR *d = opendir("/proc");
        struct dirent *e;
        bool found = false;
        while (d != NULL && !found && (e = readdir(d)) != NULL) {
            if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
            char path[300], cmd[4096];
            snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
            FILE *f = fopen(path, "r");
            if (f == NULL) continue;
            size_t n = fread(cmd, 1, sizeof cmd - 1, f);
            fclose(f);
            for (size_t k = 0; k < n; k++)
                if (cmd[k] == '\0') cmd[k] = ' ';
            cmd[n] = '\0';
            found = strstr(cmd, needle) != NULL && strstr(cmd, "--point") != NULL;
        }
        if (d != NULL) closedir(d);
        if (found) return true;
        struct timespec pause = {0, 20000000};
        nanosleep(&pause, NULL);
    }
    return false;
}

/* An interrupted run with no point finished replaced a whole run's
 * latest.json. The point process exists only once the parent handles
 * SIGINT: then it is sent. */
EB_TEST(an_interrupted_run_leaves_latest_json_to_the_last_whole_run)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    EB_REQUIRE(chdir(dir) == 0);
    eb_proc p;
    EB_REQUIRE(run_execbench(&p, (const char *[]){ONE_POINT, "--quiet", NULL}) == 0);
    proc_free(&p);
    json_t *whole = load_json("results/latest.json");
    EB_REQUIRE(whole != NULL);

    /* a point that would wait 30 s, interrupted while it runs */
    proc_start(&p, (const char *[]){"--workload", "io.sleep", "--executor", "sequential", "--tasks",
                                    "1", "--param", "latency_us=30000021", "--repetitions", "1",
                                    "--warmup", "0", NULL});
    EB_REQUIRE(wait_for_process("latency_us=30000021", 30));
    kill(p.pid, SIGINT);
    int code = proc_finish(&p);
    EB_CHECKF(code == 128 + SIGINT, "exit %d: %s", code, p.err);
    json_t *latest = load_json("results/latest.json");
    EB_CHECKF(latest != NULL && json_equal(latest, whole), "latest.json is not the whole run");
    json_t *interrupted = load_json("results/latest-interrupted.json");
    EB_REQUIRE(interrupted != NULL);
    EB_CHECK(json_is_true(doc_execbench(interrupted, "interrupted")));
    EB_CHECKF(matches(p.err, "*execbench: this run is incomplete, so results/latest.json still "
                             "holds the last whole run; this one is in results/*.json and "
                             "results/latest-interrupted.json\n"),
              "%s", p.err);
    json_decref(interrupted);
    json_decref(latest);
    json_decref(whole);
    proc_free(&p);
    EB_CHECK(chdir("/") == 0);
    char results[128];
    snprintf(results, sizeof results, "%s/results", dir);
    tmpdir_remove(results);
    tmpdir_remove(dir);
}
