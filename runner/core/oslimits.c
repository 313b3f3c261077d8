/* oslimits.c — see oslimits.h. The values come from getrlimit and /proc, read by
 * hand: no library gathers them (prlimit(1) and sysctl(8) are programs). */
#include "oslimits.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define RESERVED_PIDS 300 /* the kernel's, include/linux/pid.h */
#define CAP_SYS_ADMIN_BIT 21
#define CAP_SYS_RESOURCE_BIT 24

#ifdef __GLIBC__
typedef __rlimit_resource_t rlimit_resource; /* glibc's getrlimit takes its enum */
#else
typedef int rlimit_resource;
#endif

static uint64_t rlimit_soft(rlimit_resource resource, uint64_t *hard)
{
    struct rlimit r;
    if (getrlimit(resource, &r) != 0) {
        if (hard != NULL) *hard = EB_LIMIT_UNKNOWN;
        return EB_LIMIT_UNKNOWN;
    }
    if (hard != NULL) *hard = r.rlim_max == RLIM_INFINITY ? EB_LIMIT_NONE : (uint64_t)r.rlim_max;
    return r.rlim_cur == RLIM_INFINITY ? EB_LIMIT_NONE : (uint64_t)r.rlim_cur;
}

/* The first number in a small file; "max" is no limit. */
static uint64_t read_number(const char *path)
{
    FILE *f = fopen(path, "re");
    if (f == NULL) return EB_LIMIT_UNKNOWN;
    char buf[64] = "";
    bool ok = fgets(buf, sizeof buf, f) != NULL;
    fclose(f);
    if (!ok) return EB_LIMIT_UNKNOWN;
    if (strncmp(buf, "max", 3) == 0) return EB_LIMIT_NONE;
    char *end;
    unsigned long long v = strtoull(buf, &end, 10);
    return end == buf ? EB_LIMIT_UNKNOWN : (uint64_t)v;
}

/* "Key<sep> <number>" lines of a /proc file (status, meminfo: ':', vmstat:
 * ' '), in `unit` multiples. */
static uint64_t field(const char *path, const char *key, char sep, uint64_t unit)
{
    FILE *f = fopen(path, "re");
    if (f == NULL) return EB_LIMIT_UNKNOWN;
    char line[256];
    size_t n = strlen(key);
    uint64_t v = EB_LIMIT_UNKNOWN;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, n) != 0 || line[n] != sep) continue;
        unsigned long long x;
        if (sscanf(line + n + 1, "%llu", &x) == 1) v = (uint64_t)x * unit;
        break;
    }
    fclose(f);
    return v;
}

static uint64_t status_field(const char *path, const char *key, uint64_t unit)
{
    return field(path, key, ':', unit);
}

static bool has_capability(int bit)
{
    FILE *f = fopen("/proc/self/status", "re");
    if (f == NULL) return false;
    char line[256];
    unsigned long long caps = 0;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "CapEff: %llx", &caps) == 1) break;
    fclose(f);
    return (caps >> bit) & 1;
}

/* Every process in /proc (this PID namespace's when /proc is its own):
 * their tasks, and those of `uid`. */
static void count_tasks(uint64_t uid, uint64_t *all, uint64_t *of_uid)
{
    DIR *d = opendir("/proc");
    if (d == NULL) {
        *all = *of_uid = EB_LIMIT_UNKNOWN;
        return;
    }
    *all = *of_uid = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char path[300];
        snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
        uint64_t owner = status_field(path, "Uid", 1);
        uint64_t threads = status_field(path, "Threads", 1);
        if (threads == EB_LIMIT_UNKNOWN) threads = 1; /* a zombie still holds its PID */
        *all += threads;
        if (owner == uid) *of_uid += threads;
    }
    closedir(d);
}

static uint64_t count_lines(const char *path)
{
    FILE *f = fopen(path, "re");
    if (f == NULL) return EB_LIMIT_UNKNOWN;
    uint64_t n = 0;
    int c;
    while ((c = getc(f)) != EOF)
        if (c == '\n') n++;
    fclose(f);
    return n;
}

/* The tightest pids.max on the way from our cgroup up to the root, v1 or v2. */
static void read_cgroup_pids(eb_limits *l)
{
    l->cgroup_pids_max = l->cgroup_pids_current = EB_LIMIT_NONE;
    l->cgroup_pids_path[0] = '\0';
    FILE *f = fopen("/proc/self/cgroup", "re");
    if (f == NULL) return;
    char line[512], base[64] = "", path[400] = "";
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        char *controllers = strchr(line, ':');
        char *rel = controllers ? strchr(controllers + 1, ':') : NULL;
        if (rel == NULL) continue;
        *rel++ = '\0';
        controllers++;
        bool v1_pids = strcmp(controllers, "pids") == 0 || strstr(controllers, ",pids") != NULL ||
                       strncmp(controllers, "pids,", 5) == 0;
        if (v1_pids) {
            snprintf(base, sizeof base, "/sys/fs/cgroup/pids");
            snprintf(path, sizeof path, "%s", rel);
            break;
        }
        if (controllers[0] == '\0' && base[0] == '\0') { /* v2: where pids.max lives */
            snprintf(base, sizeof base, "%s",
                     access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0
                         ? "/sys/fs/cgroup"
                         : "/sys/fs/cgroup/unified");
            snprintf(path, sizeof path, "%s", rel);
        }
    }
    fclose(f);
    if (base[0] == '\0') return;
    uint64_t best_room = EB_LIMIT_NONE;
    for (;;) {
        char dir[600], file[700];
        snprintf(dir, sizeof dir, "%s%s", base, strcmp(path, "/") == 0 ? "" : path);
        snprintf(file, sizeof file, "%s/pids.max", dir);
        uint64_t max = read_number(file);
        snprintf(file, sizeof file, "%s/pids.current", dir);
        uint64_t current = read_number(file);
        if (max != EB_LIMIT_NONE && max != EB_LIMIT_UNKNOWN && current != EB_LIMIT_UNKNOWN) {
            uint64_t room = current >= max ? 0 : max - current;
            if (room < best_room) {
                best_room = room;
                l->cgroup_pids_max = max;
                l->cgroup_pids_current = current;
                snprintf(l->cgroup_pids_path, sizeof l->cgroup_pids_path, "%s", dir);
            }
        }
        char *slash = strrchr(path, '/');
        if (slash == NULL || strcmp(path, "/") == 0 || path[0] == '\0') break;
        if (slash == path)
            path[1] = '\0';
        else
            *slash = '\0';
    }
}

void eb_limits_read(eb_limits *l)
{
    memset(l, 0, sizeof *l);
    l->uid = (uint64_t)getuid();
    l->nproc = rlimit_soft(RLIMIT_NPROC, NULL);
    l->nproc_exempt =
        l->uid == 0 || has_capability(CAP_SYS_ADMIN_BIT) || has_capability(CAP_SYS_RESOURCE_BIT);
    count_tasks(l->uid, &l->pids_in_use, &l->user_tasks);
    l->threads_max = read_number("/proc/sys/kernel/threads-max");
    l->threads_now = EB_LIMIT_UNKNOWN;
    FILE *f = fopen("/proc/loadavg", "re");
    if (f != NULL) {
        unsigned long long total;
        if (fscanf(f, "%*f %*f %*f %*u/%llu", &total) == 1) l->threads_now = (uint64_t)total;
        fclose(f);
    }
    l->pid_max = read_number("/proc/sys/kernel/pid_max");
    read_cgroup_pids(l);

    l->as_limit = rlimit_soft(RLIMIT_AS, NULL);
    l->data_limit = rlimit_soft(RLIMIT_DATA, NULL);
    l->as_used = status_field("/proc/self/status", "VmSize", 1024);
    l->data_used = status_field("/proc/self/status", "VmData", 1024);
    l->map_count_max = read_number("/proc/sys/vm/max_map_count");
    l->map_count = count_lines("/proc/self/maps");
    uint64_t overcommit = read_number("/proc/sys/vm/overcommit_memory");
    l->overcommit = overcommit <= 2 ? (int)overcommit : -1;
    l->commit_limit = status_field("/proc/meminfo", "CommitLimit", 1024);
    l->committed = status_field("/proc/meminfo", "Committed_AS", 1024);
    l->mem_available = status_field("/proc/meminfo", "MemAvailable", 1024);

    l->nofile = rlimit_soft(RLIMIT_NOFILE, &l->nofile_hard);
    l->file_max = l->files_open = EB_LIMIT_UNKNOWN;
    f = fopen("/proc/sys/fs/file-nr", "re");
    if (f != NULL) {
        unsigned long long open, unused, max;
        if (fscanf(f, "%llu %llu %llu", &open, &unused, &max) == 3) {
            l->files_open = (uint64_t)(open - unused);
            l->file_max = (uint64_t)max;
        }
        fclose(f);
    }
}

static bool known(uint64_t v)
{
    return v != EB_LIMIT_NONE && v != EB_LIMIT_UNKNOWN;
}

/* Within 2% (and 2) of the limit: a count taken just after a refusal may
 * already have dropped by the few that exited meanwhile. */
static bool near(uint64_t used, uint64_t max)
{
    return known(used) && known(max) && used + max / 50 + 2 >= max;
}

/* "; raise it (HOW) or ADVICE" */
static void raise_hint(char *buf, size_t len, const char *how, const char *advice)
{
    size_t used = strlen(buf);
    if (used >= len) return;
    if (advice != NULL && advice[0] != '\0')
        snprintf(buf + used, len - used, "; raise it (%s) or %s", how, advice);
    else
        snprintf(buf + used, len - used, "; raise it (%s)", how);
}

/* A value for a list: "unlimited", "unknown" or the number. */
static const char *value(uint64_t v, char *buf, size_t len)
{
    if (v == EB_LIMIT_NONE) return "unlimited";
    if (v == EB_LIMIT_UNKNOWN) return "unknown";
    snprintf(buf, len, "%" PRIu64, v);
    return buf;
}

static uint64_t mib(uint64_t bytes)
{
    return known(bytes) ? bytes >> 20 : bytes;
}

static bool memory_limit(const eb_limits *l, uint64_t bytes, uint64_t maps, const char *advice,
                         char *buf, size_t len)
{
    if (known(l->as_limit) && known(l->as_used) && l->as_used + bytes > l->as_limit) {
        snprintf(buf, len,
                 "RLIMIT_AS (ulimit -v) is %" PRIu64 " MiB of address space, %" PRIu64
                 " MiB mapped already and %" PRIu64 " MiB more asked",
                 mib(l->as_limit), mib(l->as_used), mib(bytes));
        raise_hint(buf, len, "ulimit -v", advice);
        return true;
    }
    if (known(l->data_limit) && known(l->data_used) && l->data_used + bytes > l->data_limit) {
        snprintf(buf, len,
                 "RLIMIT_DATA (ulimit -d) is %" PRIu64 " MiB of private writable memory, %" PRIu64
                 " MiB mapped already and %" PRIu64 " MiB more asked",
                 mib(l->data_limit), mib(l->data_used), mib(bytes));
        raise_hint(buf, len, "ulimit -d", advice);
        return true;
    }
    if (known(l->map_count_max) && known(l->map_count) &&
        (l->map_count + maps > l->map_count_max || near(l->map_count, l->map_count_max))) {
        snprintf(buf, len,
                 "vm.max_map_count is %" PRIu64 " mappings per process, this one has %" PRIu64
                 " and asked for %" PRIu64 " more",
                 l->map_count_max, l->map_count, maps);
        raise_hint(buf, len, "sysctl vm.max_map_count", advice);
        return true;
    }
    if (l->overcommit == 2 && known(l->commit_limit) && known(l->committed) &&
        l->committed + bytes > l->commit_limit) {
        snprintf(buf, len,
                 "vm.overcommit_memory is 2 (no overcommit): CommitLimit is %" PRIu64
                 " MiB, %" PRIu64 " MiB committed and %" PRIu64 " MiB more asked",
                 mib(l->commit_limit), mib(l->committed), mib(bytes));
        raise_hint(buf, len, "sysctl vm.overcommit_memory=0 or more swap", advice);
        return true;
    }
    return false;
}

void eb_limits_explain_memory(const eb_limits *l, uint64_t bytes, uint64_t maps, const char *advice,
                              char *buf, size_t len)
{
    if (memory_limit(l, bytes, maps, advice, buf, len)) return;
    char a[24], d[24], m[24], o[24];
    snprintf(buf, len,
             "no limit looks exhausted (RLIMIT_AS %s, RLIMIT_DATA %s, vm.max_map_count %s with "
             "%" PRIu64 " mappings, vm.overcommit_memory %d) for %" PRIu64
             " MiB more: the machine is short of memory (MemAvailable %s MiB)",
             value(l->as_limit, a, sizeof a), value(l->data_limit, d, sizeof d),
             value(l->map_count_max, m, sizeof m), known(l->map_count) ? l->map_count : 0,
             l->overcommit, mib(bytes), value(mib(l->mem_available), o, sizeof o));
    if (advice != NULL && advice[0] != '\0') {
        size_t used = strlen(buf);
        if (used < len) snprintf(buf + used, len - used, "; %s", advice);
    }
}

void eb_limits_explain_tasks(const eb_limits *l, uint64_t task_bytes, const char *advice, char *buf,
                             size_t len)
{
    if (near(l->cgroup_pids_current, l->cgroup_pids_max)) {
        snprintf(buf, len, "the cgroup's pids.max is %" PRIu64 " (%s), %" PRIu64 " in use",
                 l->cgroup_pids_max, l->cgroup_pids_path, l->cgroup_pids_current);
        raise_hint(buf, len, "its pids.max, e.g. TasksMax= or docker --pids-limit", advice);
        return;
    }
    if (!l->nproc_exempt && known(l->nproc) &&
        (near(l->user_tasks, l->nproc) || l->user_tasks == EB_LIMIT_UNKNOWN)) {
        char has[48] = "";
        if (known(l->user_tasks)) snprintf(has, sizeof has, ", which has %" PRIu64, l->user_tasks);
        snprintf(buf, len, "RLIMIT_NPROC (ulimit -u) is %" PRIu64 " %s for uid %" PRIu64 "%s",
                 l->nproc, l->nproc == 1 ? "thread or process" : "threads and processes", l->uid,
                 has);
        raise_hint(buf, len, "ulimit -u", advice);
        return;
    }
    if (near(l->threads_now, l->threads_max)) {
        snprintf(buf, len, "kernel.threads-max is %" PRIu64 " %s on the machine, %" PRIu64 " exist",
                 l->threads_max, l->threads_max == 1 ? "thread" : "threads", l->threads_now);
        raise_hint(buf, len, "sysctl kernel.threads-max", advice);
        return;
    }
    /* Once PIDs wrap around, the kernel hands out only those from
     * RESERVED_PIDS (300) up: that range may be what ran out. */
    bool wrapped = known(l->pids_in_use) && near(l->pids_in_use + RESERVED_PIDS, l->pid_max);
    if (near(l->pids_in_use, l->pid_max) || wrapped) {
        snprintf(buf, len,
                 "kernel.pid_max is %" PRIu64 " in this PID namespace, %" PRIu64 " PIDs in use%s",
                 l->pid_max, l->pids_in_use,
                 near(l->pids_in_use, l->pid_max)
                     ? ""
                     : " (once they wrap around, PIDs below 300 are not handed out again)");
        raise_hint(buf, len, "sysctl kernel.pid_max", advice);
        return;
    }
    /* glibc maps each thread's stack (two mappings with its guard): a refused
     * mapping also reads as EAGAIN. */
    if (memory_limit(l, task_bytes, task_bytes > 0 ? 2 : 0, advice, buf, len)) return;
    char n[24], t[24], p[24];
    snprintf(buf, len,
             "no limit looks exhausted (RLIMIT_NPROC %s%s with %" PRIu64
             " of this user's, kernel.threads-max %s with %" PRIu64
             " in use, kernel.pid_max %s with %" PRIu64 " in use)",
             value(l->nproc, n, sizeof n), l->nproc_exempt ? " not applied to this user" : "",
             known(l->user_tasks) ? l->user_tasks : 0, value(l->threads_max, t, sizeof t),
             known(l->threads_now) ? l->threads_now : 0, value(l->pid_max, p, sizeof p),
             known(l->pids_in_use) ? l->pids_in_use : 0);
    if (advice != NULL && advice[0] != '\0') {
        size_t used = strlen(buf);
        if (used < len) snprintf(buf + used, len - used, "; %s", advice);
    }
}

void eb_limits_explain_files(const eb_limits *l, int err, const char *advice, char *buf, size_t len)
{
    char v[24], h[24];
    if (err == ENFILE) {
        snprintf(buf, len, "fs.file-max is %s open files on the machine, %s open",
                 value(l->file_max, v, sizeof v), value(l->files_open, h, sizeof h));
        raise_hint(buf, len, "sysctl fs.file-max", advice);
        return;
    }
    snprintf(buf, len, "RLIMIT_NOFILE (ulimit -n) is %s open files per process (hard limit %s)",
             value(l->nofile, v, sizeof v), value(l->nofile_hard, h, sizeof h));
    raise_hint(buf, len, "ulimit -n", advice);
}

void eb_limits_why(int err, const eb_limit_ask *ask, char *buf, size_t len)
{
    if (len > 0) buf[0] = '\0';
    if (err >= 0) return;
    err = -err;
    bool files = err == EMFILE || err == ENFILE;
    if (!files && (ask->kind == 'f' || (err != EAGAIN && err != ENOMEM))) return;
    eb_limits *l = malloc(sizeof *l);
    if (l == NULL) return;
    eb_limits_read(l);
    if (files)
        eb_limits_explain_files(l, err, ask->advice, buf, len);
    else if (ask->kind == 't')
        eb_limits_explain_tasks(l, ask->bytes, ask->advice, buf, len);
    else
        eb_limits_explain_memory(l, ask->bytes, ask->maps, ask->advice, buf, len);
    free(l);
}

int64_t eb_limits_oom_kills(void)
{
    uint64_t v = field("/proc/vmstat", "oom_kill", ' ', 1);
    return v == EB_LIMIT_UNKNOWN ? -1 : (int64_t)v;
}

void eb_limits_explain_kill(int64_t oom_before, int64_t oom_after, char *buf, size_t len)
{
    if (oom_before < 0 || oom_after < 0)
        snprintf(buf, len,
                 "sent from outside, maybe by the OOM killer (this kernel does not count OOM "
                 "kills in /proc/vmstat; see dmesg)");
    else if (oom_after > oom_before)
        snprintf(buf, len,
                 "by the kernel's OOM killer (%" PRId64 " OOM kill%s on this machine meanwhile, "
                 "/proc/vmstat oom_kill): it ran out of memory; use a smaller --tasks or "
                 "--workers, or free memory",
                 oom_after - oom_before, oom_after - oom_before == 1 ? "" : "s");
    else
        snprintf(buf, len,
                 "sent from outside, not by the OOM killer (no OOM kill on this machine "
                 "meanwhile, /proc/vmstat oom_kill)");
}

void eb_self_usage_read(eb_self_usage *u)
{
    u->fds = -1;
    DIR *d = opendir("/proc/self/fd");
    if (d != NULL) {
        int64_t n = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            if (e->d_name[0] != '.') n++;
        closedir(d);
        u->fds = n - 1; /* the directory's own descriptor */
    }
    uint64_t rss = status_field("/proc/self/status", "VmRSS", 1);
    u->rss_kib = rss == EB_LIMIT_UNKNOWN ? -1 : (int64_t)rss;
}
