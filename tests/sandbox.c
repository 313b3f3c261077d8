/* sandbox.c — see sandbox.h. */
#include "sandbox.h"

#include "eb_test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* kernel.pid_max is per PID namespace since Linux 6.14; before, writing it
 * inside a namespace would change the whole machine's: never try there. */
static bool pid_max_per_namespace(void)
{
    struct utsname u;
    int major = 0, minor = 0;
    if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2) return false;
    return major > 6 || (major == 6 && minor >= 14);
}

/* The memory cgroup this test process is in, as a directory, and the file
 * that sets a child's limit: cgroup v1's memory hierarchy, or cgroup v2 when
 * this cgroup hands the memory controller to its children. False, with the
 * reason, when neither. */
static bool memory_cgroup_base(char *dir, size_t len, const char **limit_file, char *why,
                               size_t wlen)
{
    char line[512], v1_path[256] = "", v2_path[256] = "";
    bool v1 = false, v2 = false;
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (f == NULL) {
        snprintf(why, wlen, "no /proc/self/cgroup");
        return false;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        char *controllers = strchr(line, ':');
        char *path = controllers != NULL ? strchr(controllers + 1, ':') : NULL;
        if (path == NULL) continue;
        *path++ = '\0';
        controllers++;
        if (controllers[0] == '\0') {
            v2 = snprintf(v2_path, sizeof v2_path, "%s", path) < (int)sizeof v2_path;
        } else {
            for (char *c = strtok(controllers, ","); c != NULL; c = strtok(NULL, ","))
                if (strcmp(c, "memory") == 0)
                    v1 = snprintf(v1_path, sizeof v1_path, "%s", path) < (int)sizeof v1_path;
        }
    }
    fclose(f);
    f = fopen("/proc/self/mounts", "r");
    if (f == NULL) {
        snprintf(why, wlen, "no /proc/self/mounts");
        return false;
    }
    bool found = false;
    char mnt[256], type[64], options[512];
    while (!found && fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "%*s %255s %63s %511s", mnt, type, options) != 3) continue;
        bool has_memory = strstr(options, "memory") != NULL;
        if (v1 && strcmp(type, "cgroup") == 0 && has_memory) {
            snprintf(dir, len, "%s%s", mnt, v1_path);
            *limit_file = "memory.limit_in_bytes";
            found = true;
        } else if (!v1 && v2 && strcmp(type, "cgroup2") == 0) {
            snprintf(dir, len, "%s%s", mnt, v2_path);
            char control[600], text[256] = "";
            snprintf(control, sizeof control, "%s/cgroup.subtree_control", dir);
            FILE *c = fopen(control, "r");
            if (c != NULL) {
                if (fgets(text, sizeof text, c) == NULL) text[0] = '\0';
                fclose(c);
            }
            if (strstr(text, "memory") == NULL) {
                fclose(f);
                snprintf(why, wlen,
                         "this test's cgroup (%s) does not delegate the memory controller to "
                         "its children",
                         dir);
                return false;
            }
            *limit_file = "memory.max";
            found = true;
        }
    }
    fclose(f);
    if (!found) snprintf(why, wlen, "no memory cgroup hierarchy is mounted");
    return found;
}

/* The sandbox's own memory cgroup: <this test's memory cgroup>/eb-sandbox-<pid>. */
static bool memory_cgroup_dir(char *dir, size_t len, const char **limit_file, char *why,
                              size_t wlen)
{
    char base[400];
    if (!memory_cgroup_base(base, sizeof base, limit_file, why, wlen)) return false;
    snprintf(dir, len, "%s/eb-sandbox-%d", base, (int)getpid());
    return true;
}

bool sandbox_possible(const eb_sandbox *s, char *why, size_t len)
{
    if (s->memory_bytes != 0) {
        char dir[512];
        const char *limit_file;
        if (!memory_cgroup_dir(dir, sizeof dir, &limit_file, why, len)) return false;
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            snprintf(why, len, "cannot make a memory cgroup of its own (%s): %s", dir,
                     strerror(errno));
            return false;
        }
        /* a cgroup made is not yet a limit set: try the limit too */
        char path[700], value[32];
        snprintf(path, sizeof path, "%s/%s", dir, limit_file);
        snprintf(value, sizeof value, "%llu", (unsigned long long)s->memory_bytes);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        bool set = fd >= 0 && write(fd, value, strlen(value)) == (ssize_t)strlen(value);
        int err = errno;
        if (fd >= 0) close(fd);
        rmdir(dir);
        if (!set) {
            snprintf(why, len, "cannot set a memory limit on a cgroup of its own (%s): %s", path,
                     strerror(err));
            return false;
        }
    }
    if ((s->uid != 0 || s->pid_max != 0) && geteuid() != 0) {
        snprintf(why, len, "%s needs root, and this test runs as uid %d",
                 s->uid != 0 ? "running execbench as an unused uid (root bypasses RLIMIT_NPROC)"
                             : "a PID namespace of its own",
                 (int)geteuid());
        return false;
    }
    if (s->pid_max != 0 && !pid_max_per_namespace()) {
        snprintf(why, len,
                 "kernel.pid_max is per PID namespace only since Linux 6.14; lowering it here "
                 "would lower it for the whole machine");
        return false;
    }
    return true;
}

static bool uid_in_use(uid_t uid)
{
    DIR *d = opendir("/proc");
    if (d == NULL) return true;
    bool used = false;
    struct dirent *e;
    while (!used && (e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char path[300], line[256];
        snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
        FILE *f = fopen(path, "r");
        if (f == NULL) continue;
        while (fgets(line, sizeof line, f) != NULL) {
            unsigned real, eff;
            if (sscanf(line, "Uid: %u %u", &real, &eff) == 2) {
                used = real == uid || eff == uid;
                break;
            }
        }
        fclose(f);
    }
    closedir(d);
    return used;
}

uid_t sandbox_free_uid(void)
{
    for (uid_t uid = (uid_t)(3000000 + getpid() % 100000);; uid += 100000)
        if (!uid_in_use(uid)) return uid;
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        fprintf(stderr, "sandbox: cannot write %s: %s\n", path, strerror(errno));
        _exit(120);
    }
    close(fd);
}

static void set_limit(int resource, uint64_t value, const char *name)
{
    struct rlimit r = {(rlim_t)value, (rlim_t)value};
    if (setrlimit(resource, &r) != 0) {
        fprintf(stderr, "sandbox: setrlimit %s: %s\n", name, strerror(errno));
        _exit(121);
    }
}

/* Waits for `pid` and exits as it did (a signal's death as 128 + it). */
static _Noreturn void exit_as(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) _exit(122);
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

/* The last step in the child: limits, the uid, then execbench. */
static _Noreturn void exec_limited(const char *const *argv, const eb_sandbox *s)
{
    if (s->nofile != 0) set_limit(RLIMIT_NOFILE, s->nofile, "RLIMIT_NOFILE");
    if (s->as_bytes != 0) set_limit(RLIMIT_AS, s->as_bytes, "RLIMIT_AS");
    if (s->nproc != 0) set_limit(RLIMIT_NPROC, s->nproc, "RLIMIT_NPROC");
    if (s->uid != 0 &&
        (setgroups(0, NULL) != 0 || setgid((gid_t)s->uid) != 0 || setuid(s->uid) != 0)) {
        fprintf(stderr, "sandbox: cannot become uid %u: %s\n", (unsigned)s->uid, strerror(errno));
        _exit(123);
    }
    execv(argv[0], (char *const *)argv);
    fprintf(stderr, "sandbox: exec %s: %s\n", argv[0], strerror(errno));
    _exit(124);
}

void sandbox_start(eb_proc *p, const char *const *args, const eb_sandbox *s)
{
    memset(p, 0, sizeof *p);
    char cgroup[512] = "", procs[600] = "";
    if (s->memory_bytes != 0) { /* made here, joined by the child before it runs execbench */
        const char *limit_file;
        char why[300], path[600], value[32];
        EB_REQUIRE(memory_cgroup_dir(cgroup, sizeof cgroup, &limit_file, why, sizeof why));
        EB_REQUIRE(mkdir(cgroup, 0755) == 0 || errno == EEXIST);
        snprintf(path, sizeof path, "%s/%s", cgroup, limit_file);
        snprintf(value, sizeof value, "%llu", (unsigned long long)s->memory_bytes);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        EB_REQUIRE(fd >= 0 && write(fd, value, strlen(value)) == (ssize_t)strlen(value));
        close(fd);
        snprintf(procs, sizeof procs, "%s/cgroup.procs", cgroup);
    }
    const char *argv[72];
    execbench_argv(args, argv, sizeof argv / sizeof *argv);
    int out[2], err[2];
    EB_REQUIRE(pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0);
    fflush(NULL);
    p->pid = fork();
    EB_REQUIRE(p->pid >= 0);
    if (p->pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        signal(SIGPIPE, SIG_DFL);
        if (s->cwd != NULL && chdir(s->cwd) != 0) _exit(125);
        if (s->tmpdir != NULL) setenv("TMPDIR", s->tmpdir, 1);
        if (procs[0] != '\0') {
            char pid[24];
            snprintf(pid, sizeof pid, "%d", (int)getpid());
            write_file(procs, pid);
        }
        if (s->pid_max == 0) exec_limited(argv, s);
        /* A PID namespace: its first process (PID 1) mounts its own /proc,
         * sets the namespace's pid_max and runs execbench as PID 2. */
        if (unshare(CLONE_NEWPID | CLONE_NEWNS) != 0) {
            fprintf(stderr, "sandbox: unshare: %s\n", strerror(errno));
            _exit(126);
        }
        pid_t init = fork();
        if (init < 0) _exit(127);
        if (init > 0) exit_as(init);
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
            mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
            fprintf(stderr, "sandbox: mounting /proc: %s\n", strerror(errno));
            _exit(127);
        }
        char value[32];
        snprintf(value, sizeof value, "%u", s->pid_max);
        write_file("/proc/sys/kernel/pid_max", value);
        pid_t child = fork();
        if (child < 0) _exit(127);
        if (child == 0) exec_limited(argv, s);
        exit_as(child);
    }
    close(out[1]);
    close(err[1]);
    p->out_fd = out[0];
    p->err_fd = err[0];
    p->out = calloc(1, 1);
    p->err = calloc(1, 1);
}

int sandbox_run(eb_proc *p, const char *const *args, const eb_sandbox *s)
{
    sandbox_start(p, args, s);
    int code = proc_finish(p);
    if (s->memory_bytes != 0) { /* empty once every process in it is reaped */
        char dir[512], why[300];
        const char *limit_file;
        if (memory_cgroup_dir(dir, sizeof dir, &limit_file, why, sizeof why))
            for (int tries = 0; rmdir(dir) != 0 && errno == EBUSY && tries < 100; tries++)
                usleep(10000);
    }
    return code;
}

bool sandbox_private_tmpfs(const char *dir, const char *options, char *why, size_t len)
{
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (unshare(CLONE_NEWNS) != 0) {
        /* not root: a user namespace of our own may mount a tmpfs */
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
            snprintf(why, len, "no mount namespace of our own (unshare: %s)", strerror(errno));
            return false;
        }
        char map[64];
        int fd = open("/proc/self/setgroups", O_WRONLY);
        if (fd >= 0) { /* older kernels lack the file */
            ssize_t ignored = write(fd, "deny", 4);
            (void)ignored;
            close(fd);
        }
        snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
        fd = open("/proc/self/uid_map", O_WRONLY);
        bool ok = fd >= 0 && write(fd, map, strlen(map)) == (ssize_t)strlen(map);
        if (fd >= 0) close(fd);
        snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
        fd = open("/proc/self/gid_map", O_WRONLY);
        ok = ok && fd >= 0 && write(fd, map, strlen(map)) == (ssize_t)strlen(map);
        if (fd >= 0) close(fd);
        if (!ok) {
            snprintf(why, len, "cannot map our uid into a user namespace: %s", strerror(errno));
            return false;
        }
    }
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        snprintf(why, len, "cannot make the mounts private: %s", strerror(errno));
        return false;
    }
    unsigned long flags = MS_NOSUID | MS_NODEV;
    if (strncmp(options, "ro,", 3) == 0) {
        flags |= MS_RDONLY;
        options += 3;
    }
    if (strncmp(options, "dev,", 4) == 0) { /* device nodes made on it work */
        flags &= ~(unsigned long)MS_NODEV;
        options += 4;
    }
    if (mount("tmpfs", dir, "tmpfs", flags, options) != 0) {
        snprintf(why, len, "cannot mount a tmpfs (%s) on %s: %s", options, dir, strerror(errno));
        return false;
    }
    return true;
}
