/* execbench_process.c — see execbench_process.h. */
#include "execbench_process.h"

#include "eb_test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

const char *execbench_path(void)
{
    static char path[4096];
    const char *dir = getenv("EB_BUILD_DIR");
    EB_REQUIRE(dir != NULL);
    snprintf(path, sizeof path, "%s/execbench", dir);
    return path;
}

static bool names(const char *const *args, const char *flag)
{
    size_t len = strlen(flag);
    for (size_t i = 0; args[i] != NULL; i++)
        if (strncmp(args[i], flag, len) == 0 && (args[i][len] == '\0' || args[i][len] == '='))
            return true;
    return false;
}

void execbench_argv(const char *const *args, const char **argv, size_t cap)
{
    /* first: the test's own flags after them keep their meaning (a flag
     * that lacks its value at the end still does) */
    size_t n = 0;
    argv[n++] = execbench_path();
    if (!names(args, "--target-ci")) {
        argv[n++] = "--target-ci";
        argv[n++] = "0";
    }
    if (!names(args, "--redo-limit")) {
        argv[n++] = "--redo-limit";
        argv[n++] = "0";
    }
    for (size_t i = 0; args[i] != NULL; i++) {
        EB_REQUIRE(n + 1 < cap);
        argv[n++] = args[i];
    }
    argv[n] = NULL;
}

void proc_start(eb_proc *p, const char *const *args)
{
    memset(p, 0, sizeof *p);
    const char *argv[72];
    execbench_argv(args, argv, sizeof argv / sizeof *argv);
    int out[2], err[2];
    EB_REQUIRE(pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    EB_REQUIRE(posix_spawn(&p->pid, argv[0], &fa, NULL, (char *const *)argv, environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(err[1]);
    p->out_fd = out[0];
    p->err_fd = err[0];
    p->out = calloc(1, 1);
    p->err = calloc(1, 1);
}

static void append(char **buf, const char *data, size_t n)
{
    size_t len = strlen(*buf);
    char *grown = realloc(*buf, len + n + 1);
    EB_REQUIRE(grown != NULL);
    memcpy(grown + len, data, n);
    grown[len + n] = '\0';
    *buf = grown;
}

/* One poll round over the open pipes, up to timeout_ms. */
static void pump(eb_proc *p, int timeout_ms)
{
    struct pollfd fds[2];
    int n = 0;
    if (p->out_fd >= 0) fds[n++] = (struct pollfd){.fd = p->out_fd, .events = POLLIN};
    if (p->err_fd >= 0) fds[n++] = (struct pollfd){.fd = p->err_fd, .events = POLLIN};
    if (n == 0) return;
    if (poll(fds, (nfds_t)n, timeout_ms) <= 0) return;
    for (int i = 0; i < n; i++) {
        if (fds[i].revents == 0) continue;
        char chunk[4096];
        ssize_t got = read(fds[i].fd, chunk, sizeof chunk);
        bool is_out = fds[i].fd == p->out_fd;
        if (got <= 0) {
            close(fds[i].fd);
            if (is_out)
                p->out_fd = -1;
            else
                p->err_fd = -1;
        } else {
            append(is_out ? &p->out : &p->err, chunk, (size_t)got);
        }
    }
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

bool proc_wait_stderr(eb_proc *p, const char *needle, double timeout_s)
{
    double end = now_s() + timeout_s;
    while (strstr(p->err, needle) == NULL) {
        if (now_s() >= end || (p->out_fd < 0 && p->err_fd < 0)) return false;
        pump(p, 50);
    }
    return true;
}

int proc_finish(eb_proc *p)
{
    while (p->out_fd >= 0 || p->err_fd >= 0)
        pump(p, 1000);
    while (waitpid(p->pid, &p->status, 0) < 0)
        EB_REQUIRE(errno == EINTR);
    return WIFEXITED(p->status) ? WEXITSTATUS(p->status) : 128 + WTERMSIG(p->status);
}

void proc_free(eb_proc *p)
{
    free(p->out);
    free(p->err);
    p->out = p->err = NULL;
}

int run_execbench(eb_proc *p, const char *const *args)
{
    proc_start(p, args);
    return proc_finish(p);
}

void tmpdir_make(char *buf, size_t len)
{
    snprintf(buf, len, "/tmp/execbench-test-XXXXXX");
    EB_REQUIRE(mkdtemp(buf) != NULL);
}

void tmpdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

json_t *load_json(const char *path)
{
    json_error_t error;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
    if (doc == NULL) fprintf(stderr, "%s:%d:%d: %s\n", path, error.line, error.column, error.text);
    return doc;
}

int count_lines(const char *text)
{
    int n = 0;
    for (const char *c = text; *c != '\0'; c++)
        if (*c == '\n') n++;
    size_t len = strlen(text);
    if (len > 0 && text[len - 1] != '\n') n++;
    return n;
}
