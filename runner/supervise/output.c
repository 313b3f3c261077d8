/* output.c — see output.h. */
#include "output.h"

#include "interrupt.h"
#include "err.h"
#include "parse.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_LINKS 40        /* as the kernel's own limit on a path's symbolic links */
#define MAX_SUFFIX 1000     /* "-2" .. "-1000" before a default name gives up */
#define READER_NOTE_MS 1000 /* a FIFO without a reader: say so after this long */
#define READER_POLL_MS 50

void eb_output_default_path(time_t t, char *buf, size_t len)
{
    char host[128] = "host";
    gethostname(host, sizeof host - 1);
    for (char *c = host; *c != '\0'; c++) /* a file name, whatever the host is called */
        if (*c == '/' || *c == ' ') *c = '_';
    struct tm tm;
    localtime_r(&t, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(buf, len, "results/%s-%s.json", host, stamp);
}

/* The directory part of `path` ("." when none) into buf. */
static void dir_of(const char *path, char *buf, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(buf, len, ".");
    else if (slash == path)
        snprintf(buf, len, "/");
    else
        snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

static int mkdir_p(const char *dir)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -errno;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -errno;
    struct stat st;
    if (stat(buf, &st) != 0) return -errno;
    return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* The descriptor a name means, as the shell reads it: "-", /dev/stdout,
 * /dev/stderr, /dev/fd/N, /proc/self/fd/N; -1 for any other name. */
static int named_fd(const char *path)
{
    if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0) return 1;
    if (strcmp(path, "/dev/stderr") == 0) return 2;
    static const char *const dirs[] = {"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        size_t len = strlen(dirs[i]);
        int64_t fd;
        if (strncmp(path, dirs[i], len) == 0 && eb_parse_i64(path + len, 0, INT32_MAX, &fd) == 0 &&
            path[len] != '+' && path[len] != '-')
            return (int)fd;
    }
    return -1;
}

/* A link in /proc names no path ("pipe:[1234]", "socket:[..]"): it is opened,
 * not followed. */
static bool in_procfs(const char *path)
{
    char dir[PATH_MAX];
    dir_of(path, dir, sizeof dir);
    struct statfs fs;
    return statfs(dir, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

int eb_output_resolve(const char *path, eb_output *out, char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    out->fd = named_fd(path);
    if (out->fd >= 0) {
        out->kind = EB_OUTPUT_FD;
        return 0;
    }
    char at[PATH_MAX];
    snprintf(at, sizeof at, "%s", path);
    for (int hops = 0; hops <= MAX_LINKS; hops++) {
        struct stat st;
        snprintf(out->file, sizeof out->file, "%s", at);
        /* missing (a new file) or unreachable (prepare says why): a file */
        if (lstat(at, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
            out->kind = EB_OUTPUT_FILE;
            return 0;
        }
        if (!S_ISLNK(st.st_mode) || in_procfs(at)) {
            out->kind = EB_OUTPUT_THROUGH;
            return 0;
        }
        char target[PATH_MAX];
        ssize_t n = readlink(at, target, sizeof target - 1);
        if (n < 0) {
            out->kind = EB_OUTPUT_FILE;
            return 0;
        }
        target[n] = '\0';
        if (target[0] == '/') {
            snprintf(at, sizeof at, "%s", target);
        } else {
            char dir[PATH_MAX];
            dir_of(out->file, dir, sizeof dir);
            if ((size_t)snprintf(at, sizeof at, "%s/%s", dir, target) >= sizeof at) break;
        }
    }
    return eb_fail(why, why_len, -ELOOP,
                   "--out %s: too many symbolic links (a loop?); name the file itself", path);
}

bool eb_output_shares_fd(const char *path, int fd)
{
    eb_output o;
    char why[200];
    if (eb_output_resolve(path, &o, why, sizeof why) != 0) return false;
    if (o.kind == EB_OUTPUT_FD && o.fd == fd) return true;
    struct stat a, b;
    if (fstat(fd, &b) != 0) return false;
    if (o.kind == EB_OUTPUT_FD ? fstat(o.fd, &a) != 0 : stat(o.file, &a) != 0) return false;
    /* /dev/null twice mixes nothing; a terminal, pipe or file twice does */
    if (S_ISCHR(a.st_mode) && !isatty(fd)) return false;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

const char *eb_output_display(const char *path)
{
    return strcmp(path, "-") == 0 ? "standard output" : path;
}

static int prepare_file(const char *path, const char *file, char *why, size_t why_len)
{
    char dir[4096];
    dir_of(file, dir, sizeof dir);
    struct stat st;
    if (stat(file, &st) == 0 && S_ISDIR(st.st_mode)) {
        return eb_fail(why, why_len, -EISDIR,
                       "--out %s is a directory; name a file, e.g. %s/run.json", path, path);
    }
    int rc = mkdir_p(dir);
    if (rc == 0 && access(dir, W_OK | X_OK) != 0) rc = -errno;
    /* The write at the end makes "<file>.tmp-<pid>" first: make it now (a
     * name too long, a read-only or full file system, a quota, root on a
     * directory it may not write: all found here, not after the run). */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", file, (long)getpid());
    int fd = rc == 0 ? open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666) : -1;
    if (rc == 0 && fd < 0) rc = -errno;
    if (fd >= 0) {
        if (write(fd, "{}\n", 3) != 3) rc = errno != 0 ? -errno : -EIO;
        close(fd);
        unlink(tmp);
    }
    if (rc != 0) {
        return eb_fail(
            why, why_len, rc, "cannot write results into %s/: %s; %schoose another --out", dir,
            eb_strerror(rc), rc == -ENOSPC || rc == -EDQUOT ? "free some space or " : "");
    }
    return 0;
}

int eb_output_prepare(const char *path, char *why, size_t why_len)
{
    eb_output o;
    int rc = eb_output_resolve(path, &o, why, why_len);
    if (rc != 0) return rc;
    switch (o.kind) {
    case EB_OUTPUT_FILE:
        return prepare_file(path, o.file, why, why_len);
    case EB_OUTPUT_FD: {
        int flags = fcntl(o.fd, F_GETFL);
        if (flags < 0)
            return eb_fail(why, why_len, -EBADF,
                           "--out %s: that descriptor is not open (%s); choose another --out",
                           eb_output_display(path), eb_strerror(-EBADF));
        if ((flags & O_ACCMODE) == O_RDONLY)
            return eb_fail(why, why_len, -EBADF,
                           "--out %s: that descriptor is open for reading only (%s); choose "
                           "another --out",
                           eb_output_display(path), eb_strerror(-EBADF));
        return 0;
    }
    case EB_OUTPUT_THROUGH:
        if (access(o.file, W_OK) != 0)
            return eb_fail(why, why_len, -errno,
                           "cannot write results to %s: %s; choose another --out", path,
                           strerror(errno));
        return 0;
    }
    return 0;
}

static int write_all(int fd, const char *text, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -errno;
        if (n == 0) return -EIO;
        done += (size_t)n;
    }
    return 0;
}

/* The text into "<file>.tmp-<pid>", on disk: 0 or -errno (nothing left behind). */
static int write_temporary(const char *file, const char *text, size_t len, char *tmp,
                           size_t tmp_len)
{
    snprintf(tmp, tmp_len, "%s.tmp-%ld", file, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) return -errno;
    int rc = write_all(fd, text, len);
    if (rc == 0 && fsync(fd) != 0) rc = -errno;
    if (close(fd) != 0 && rc == 0) rc = -errno;
    if (rc != 0) unlink(tmp);
    return rc;
}

/* A FIFO opens for writing only once a reader has it open: wait for one
 * without blocking, so a signal (Ctrl-C) still gives up and the caller
 * rescues the document. The descriptor, or -errno. */
static int open_fifo(const char *path)
{
    int seen = eb_interrupt_count();
    for (int waited_ms = 0;; waited_ms += READER_POLL_MS) {
        int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd >= 0) {
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
            return fd;
        }
        if (errno != ENXIO) return -errno;
        if (waited_ms == READER_NOTE_MS)
            fprintf(stderr,
                    "execbench: waiting for a reader of the FIFO %s (interrupt to save the "
                    "results elsewhere)\n",
                    path);
        if (eb_interrupt_count() != seen) return -EINTR;
        poll(NULL, 0, READER_POLL_MS);
    }
}

static int open_socket(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path) return -ENAMETOOLONG;
    memcpy(addr.sun_path, path, strlen(path) + 1);
    static const int types[] = {SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM};
    int rc = -EPROTOTYPE;
    for (size_t i = 0; i < sizeof types / sizeof *types && rc == -EPROTOTYPE; i++) {
        int fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);
        if (fd < 0) return -errno;
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) return fd;
        rc = -errno;
        close(fd);
    }
    return rc;
}

/* Writes through a device, FIFO or socket: 0 or -errno. */
static int write_through(const char *file, const char *text, size_t len)
{
    struct stat st;
    if (stat(file, &st) != 0) return -errno;
    int fd;
    if (S_ISFIFO(st.st_mode))
        fd = open_fifo(file);
    else if (S_ISSOCK(st.st_mode))
        fd = open_socket(file);
    else if ((fd = open(file, O_WRONLY | O_CLOEXEC | O_NOCTTY)) < 0)
        fd = -errno;
    if (fd < 0) return fd;
    int rc = write_all(fd, text, len);
    if (close(fd) != 0 && rc == 0) rc = -errno;
    return rc;
}

int eb_output_write(const char *text, size_t len, const char *path, char *why, size_t why_len)
{
    eb_output o;
    int rc = eb_output_resolve(path, &o, why, why_len);
    if (rc != 0) return rc;
    char tmp[PATH_MAX + 32];
    switch (o.kind) {
    case EB_OUTPUT_FILE:
        rc = write_temporary(o.file, text, len, tmp, sizeof tmp);
        if (rc == 0 && rename(tmp, o.file) != 0) {
            rc = -errno;
            unlink(tmp);
        }
        break;
    case EB_OUTPUT_FD:
        rc = write_all(o.fd, text, len);
        break;
    case EB_OUTPUT_THROUGH:
        rc = write_through(o.file, text, len);
        break;
    }
    if (rc != 0)
        eb_fail(why, why_len, rc, "could not write %s: %s", eb_output_display(path),
                eb_strerror(rc));
    return rc;
}

void eb_output_insert(const char *path, const char *insert, char *buf, size_t len)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash != NULL ? slash : path, '.');
    if (dot == NULL || dot == path || dot[-1] == '/') dot = path + strlen(path);
    snprintf(buf, len, "%.*s%s%s", (int)(dot - path), path, insert, dot);
}

int eb_output_write_new(const char *text, size_t len, const char *path, char *chosen,
                        size_t chosen_len, char *why, size_t why_len)
{
    char tmp[PATH_MAX + 32];
    int rc = write_temporary(path, text, len, tmp, sizeof tmp);
    snprintf(chosen, chosen_len, "%s", path);
    for (int k = 2; rc == 0; k++) {
        /* renameat2 refuses to replace; where a file system lacks it, link()
         * does the same (and the temporary name is removed after). */
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, chosen, RENAME_NOREPLACE) == 0) break;
        if (errno == EINVAL || errno == ENOSYS) {
            if (link(tmp, chosen) == 0) {
                unlink(tmp);
                break;
            }
        }
        if (errno != EEXIST || k > MAX_SUFFIX) {
            rc = -errno;
            unlink(tmp);
            break;
        }
        char suffix[16];
        snprintf(suffix, sizeof suffix, "-%d", k);
        eb_output_insert(path, suffix, chosen, chosen_len);
    }
    if (rc != 0) eb_fail(why, why_len, rc, "could not write %s: %s", chosen, eb_strerror(rc));
    return rc;
}

void eb_output_rescue_path(const char *path, char *buf, size_t len)
{
    const char *tmpdir = getenv("TMPDIR");
    if (tmpdir == NULL || tmpdir[0] != '/') tmpdir = "/tmp";
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    if (strcmp(path, "-") == 0 || *base == '\0') base = "stdout";
    size_t base_len = strlen(base);
    bool json = base_len >= 5 && strcmp(base + base_len - 5, ".json") == 0;
    snprintf(buf, len, "%s/execbench-rescued-%ld-%.*s%s", tmpdir, (long)getpid(), 200, base,
             json ? "" : ".json");
}
