/* memory_available.c — what this process may use: its memory cgroup (v1 or
 * v2, every ancestor), RLIMIT_AS / RLIMIT_DATA, strict overcommit and
 * MemAvailable (memory_fit.h). */
#include "memory_fit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define KIB ((uint64_t)1 << 10)

uint64_t eb_fit_read_u64(const char *path, uint64_t fallback)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) return fallback;
    char buf[64];
    uint64_t v = fallback;
    if (fgets(buf, sizeof buf, f) != NULL) {
        if (strncmp(buf, "max", 3) == 0) {
            v = EB_FIT_UNLIMITED;
        } else {
            char *end;
            errno = 0;
            unsigned long long x = strtoull(buf, &end, 10);
            if (end != buf && errno == 0) v = (uint64_t)x;
        }
    }
    fclose(f);
    return v;
}

static void path_in(char *out, size_t len, const char *root, const char *path)
{
    snprintf(out, len, "%s%s", root != NULL ? root : "", path);
}

static uint64_t rlimit_soft(int resource)
{
    struct rlimit r;
    if (getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return EB_FIT_UNLIMITED;
    return (uint64_t)r.rlim_cur;
}

/* v1's "no limit" is a page-rounded LONG_MAX; anything that large is none. */
static uint64_t as_limit(uint64_t v)
{
    return v >= ((uint64_t)1 << 62) ? EB_FIT_UNLIMITED : v;
}

/* Finds this process's memory cgroup: its directory (under `root`) and
 * version, v1's memory hierarchy first (as tests/sandbox.c), else v2. The
 * mount's own directory is returned in `top` (the walk up stops there). */
static int find_cgroup(const char *root, char *dir, size_t len, char *top, size_t top_len)
{
    char path[600], line[1024], v1_path[512] = "", v2_path[512] = "";
    bool v1 = false, v2 = false;
    path_in(path, sizeof path, root, "/proc/self/cgroup");
    FILE *f = fopen(path, "r");
    if (f == NULL) return 0;
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        char *controllers = strchr(line, ':');
        char *cg = controllers != NULL ? strchr(controllers + 1, ':') : NULL;
        if (cg == NULL) continue;
        *cg++ = '\0';
        controllers++;
        if (controllers[0] == '\0') {
            v2 = snprintf(v2_path, sizeof v2_path, "%s", cg) < (int)sizeof v2_path;
        } else {
            for (char *save = NULL, *c = strtok_r(controllers, ",", &save); c != NULL;
                 c = strtok_r(NULL, ",", &save))
                if (strcmp(c, "memory") == 0)
                    v1 = snprintf(v1_path, sizeof v1_path, "%s", cg) < (int)sizeof v1_path;
        }
    }
    fclose(f);
    path_in(path, sizeof path, root, "/proc/self/mounts");
    f = fopen(path, "r");
    if (f == NULL) return 0;
    int version = 0;
    char mnt[512], type[64], options[512];
    while (version == 0 && fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "%*s %511s %63s %511s", mnt, type, options) != 3) continue;
        bool memory = false;
        char *save = NULL;
        for (char *o = strtok_r(options, ",", &save); o != NULL; o = strtok_r(NULL, ",", &save))
            memory = memory || strcmp(o, "memory") == 0;
        if (v1 && strcmp(type, "cgroup") == 0 && memory) {
            version = 1;
            snprintf(dir, len, "%s%s%s", root != NULL ? root : "", mnt, v1_path);
        } else if (!v1 && v2 && strcmp(type, "cgroup2") == 0) {
            version = 2;
            snprintf(dir, len, "%s%s%s", root != NULL ? root : "", mnt, v2_path);
        }
        if (version != 0) snprintf(top, top_len, "%s%s", root != NULL ? root : "", mnt);
    }
    fclose(f);
    /* "/a/b/" and "/" from the path part: no trailing slash */
    size_t n = strlen(dir);
    while (version != 0 && n > 1 && dir[n - 1] == '/')
        dir[--n] = '\0';
    return version;
}

/* Walks from the process's cgroup up to the hierarchy's root: the ancestor
 * with the least room (limit - usage) sets the limit. */
static void read_cgroup(const char *root, eb_mem_available *out)
{
    char dir[512], top[512];
    out->cgroup_version = find_cgroup(root, dir, sizeof dir, top, sizeof top);
    out->cgroup_limit = out->cgroup_usage = EB_FIT_UNLIMITED;
    if (out->cgroup_version == 0) return;
    const char *limit_file = out->cgroup_version == 1 ? "memory.limit_in_bytes" : "memory.max";
    const char *usage_file = out->cgroup_version == 1 ? "memory.usage_in_bytes" : "memory.current";
    uint64_t best_room = EB_FIT_UNLIMITED;
    size_t top_len = strlen(top);
    for (;;) {
        char path[700];
        snprintf(path, sizeof path, "%s/%s", dir, limit_file);
        uint64_t limit = as_limit(eb_fit_read_u64(path, EB_FIT_UNLIMITED));
        snprintf(path, sizeof path, "%s/%s", dir, usage_file);
        uint64_t usage = eb_fit_read_u64(path, 0);
        if (limit != EB_FIT_UNLIMITED) {
            uint64_t room = limit > usage ? limit - usage : 0;
            if (room < best_room) {
                best_room = room;
                out->cgroup_limit = limit;
                out->cgroup_usage = usage;
                snprintf(out->cgroup_dir, sizeof out->cgroup_dir, "%s", dir);
            }
        }
        char *slash = strrchr(dir, '/');
        if (slash == NULL || strlen(dir) <= top_len) break;
        *slash = '\0';
        if (strlen(dir) < top_len) break;
    }
}

static void read_meminfo(FILE *f, eb_mem_available *out)
{
    char line[256];
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long long kib;
        char key[64];
        if (sscanf(line, "%63[^:]: %llu", key, &kib) != 2) continue;
        uint64_t bytes = (uint64_t)kib * KIB;
        if (strcmp(key, "MemTotal") == 0)
            out->mem_total = bytes;
        else if (strcmp(key, "MemAvailable") == 0)
            out->mem_available = bytes;
        else if (strcmp(key, "CommitLimit") == 0)
            out->commit_limit = bytes;
        else if (strcmp(key, "Committed_AS") == 0)
            out->committed = bytes;
    }
}

/* The bytes of the file-backed mappings in the maps file at `path` (an
 * inode, not a deleted shared-memory object): the program and its
 * libraries, which the next exec of it maps again. */
static uint64_t program_mapped(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) return 0;
    char line[1200];
    uint64_t total = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long long start, end, inode;
        int name = 0;
        if (sscanf(line, "%llx-%llx %*s %*s %*s %llu %n", &start, &end, &inode, &name) < 3)
            continue;
        if (inode == 0 || end <= start || line[name] != '/' || strstr(line, " (deleted)") != NULL)
            continue;
        total += (uint64_t)(end - start);
    }
    fclose(f);
    return total;
}

int eb_mem_available_read(const char *root, eb_mem_available *out)
{
    *out = (eb_mem_available){0};
    out->rlimit_as = rlimit_soft(RLIMIT_AS);
    out->rlimit_data = rlimit_soft(RLIMIT_DATA);
    read_cgroup(root, out);
    char path[600];
    path_in(path, sizeof path, root, "/proc/sys/vm/overcommit_memory");
    out->overcommit_mode = (int)eb_fit_read_u64(path, 0);
    path_in(path, sizeof path, root, "/proc/self/maps");
    out->program_bytes = program_mapped(path);
    path_in(path, sizeof path, root, "/proc/meminfo");
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        out->mem_available = out->mem_total = EB_FIT_UNLIMITED;
        out->commit_limit = EB_FIT_UNLIMITED;
        return -errno;
    }
    read_meminfo(f, out);
    fclose(f);
    return 0;
}
