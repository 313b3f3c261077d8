/* helpers.c — see helpers.h. */
#include "helpers.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The libexec folder relative to the bin folder ("../libexec/execbench"): set
 * by the build from GNUInstallDirs, so a prefix chosen at install time moves
 * both together. */
#ifndef EB_LIBEXEC_FROM_BIN
#define EB_LIBEXEC_FROM_BIN "../libexec/execbench"
#endif

static int self_dir(char *buf, size_t len)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return n < 0 ? -errno : -ENOENT;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash == NULL) return -ENOENT;
    *slash = '\0';
    if ((size_t)snprintf(buf, len, "%s", self) >= len) return -ENAMETOOLONG;
    return 0;
}

int eb_helper_path(const char *name, char *buf, size_t len)
{
    char dir[PATH_MAX], installed[PATH_MAX + 64];
    int rc = self_dir(dir, sizeof dir);
    if (rc != 0) return rc;
    if ((size_t)snprintf(buf, len, "%s/%s", dir, name) >= len) return -ENAMETOOLONG;
    if (access(buf, X_OK) == 0) return 0;
    if ((size_t)snprintf(installed, sizeof installed, "%s/%s/%s", dir, EB_LIBEXEC_FROM_BIN, name) <
            sizeof installed &&
        access(installed, X_OK) == 0) {
        if ((size_t)snprintf(buf, len, "%s", installed) >= len) return -ENAMETOOLONG;
        return 0;
    }
    return -ENOENT;
}
