/* output.c — see output.h. */
#include "output.h"

#include "parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int eb_output_prepare(const char *path, char *why, size_t why_len)
{
    char dir[4096];
    dir_of(path, dir, sizeof dir);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(why, why_len, "--out %s is a directory; name a file, e.g. %s/run.json", path,
                 path);
        eb_one_line(why);
        return -EISDIR;
    }
    int rc = mkdir_p(dir);
    if (rc == 0 && access(dir, W_OK | X_OK) != 0) rc = -errno;
    /* The write at the end makes "<path>.tmp-<pid>" first: make it now (a
     * name too long, a read-only or full file system, a quota, root on a
     * directory it may not write: all found here, not after the run). */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    int fd = rc == 0 ? open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666) : -1;
    if (rc == 0 && fd < 0) rc = -errno;
    if (fd >= 0) {
        if (write(fd, "{}\n", 3) != 3) rc = errno != 0 ? -errno : -EIO;
        close(fd);
        unlink(tmp);
    }
    if (rc != 0) {
        snprintf(why, why_len, "cannot write results into %s/: %s; %schoose another --out", dir,
                 strerror(-rc), rc == -ENOSPC || rc == -EDQUOT ? "free some space or " : "");
        eb_one_line(why);
        return rc;
    }
    return 0;
}

void eb_output_rescue_path(const char *path, char *buf, size_t len)
{
    const char *tmpdir = getenv("TMPDIR");
    if (tmpdir == NULL || tmpdir[0] != '/') tmpdir = "/tmp";
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    snprintf(buf, len, "%s/execbench-rescued-%ld-%.*s", tmpdir, (long)getpid(), 200, base);
}

int eb_output_write(json_t *doc, const char *path, char *why, size_t why_len)
{
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    if (text == NULL) {
        snprintf(why, why_len, "could not serialise the document (out of memory?)");
        return -ENOMEM;
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    int rc = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) rc = -errno;
    size_t len = strlen(text), done = 0;
    while (rc == 0 && done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            rc = -errno;
        else
            done += (size_t)n;
    }
    if (rc == 0 && write(fd, "\n", 1) != 1) rc = -EIO;
    if (rc == 0 && fsync(fd) != 0) rc = -errno;
    if (fd >= 0 && close(fd) != 0 && rc == 0) rc = -errno;
    if (rc == 0 && rename(tmp, path) != 0) rc = -errno;
    if (rc != 0) {
        unlink(tmp);
        snprintf(why, why_len, "could not write %s: %s", path, strerror(-rc));
    }
    free(text);
    return rc;
}
