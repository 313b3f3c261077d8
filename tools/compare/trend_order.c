/* trend_order.c — see trend_order.h. */
#include "trend_order.h"

#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static bool is_hex(const char *s, size_t n)
{
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i])) return false;
    return true;
}

bool eb_version_revision(const char *version, char *buf, size_t len)
{
    buf[0] = '\0';
    const char *at = strstr(version, "(git ");
    if (at == NULL) return false;
    at += 5;
    size_t n = strcspn(at, ")");
    char describe[128];
    if (n == 0 || n >= sizeof describe) return false;
    memcpy(describe, at, n);
    describe[n] = '\0';
    /* git describe --always --dirty: "abc1234", "abc1234-dirty", "v1.0-3-gabc1234". */
    size_t dlen = strlen(describe);
    if (dlen > 6 && strcmp(describe + dlen - 6, "-dirty") == 0) describe[dlen -= 6] = '\0';
    const char *hash = describe;
    const char *g = strrchr(describe, '-');
    if (g != NULL && g[1] == 'g' && is_hex(g + 2, strlen(g + 2))) hash = g + 2;
    if (!is_hex(hash, strlen(hash)) || strlen(hash) < 4) return false;
    snprintf(buf, len, "%s", hash);
    return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's algorithm). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool eb_parse_date(const char *text, double *out)
{
    int y, mo, d, h, mi, s, used = 0;
    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) != 6 ||
        used != 19 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return false;
    const char *p = text + used;
    double frac = 0.0;
    if (*p == '.') {
        char *end;
        frac = strtod(p, &end);
        p = end;
    }
    long offset = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh = 0, om = 0, n = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) != 2 &&
            sscanf(p + 1, "%2d%2d%n", &oh, &om, &n) != 2)
            return false;
        offset = (*p == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
        p += 1 + n;
    }
    if (*p != '\0') return false;
    *out = (double)(days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + s - offset) + frac;
    return true;
}

/* git's history of repo's HEAD, newest first: the full hashes, one a line. */
static int git_history(const char *repo, char **text, char *why, size_t why_len)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return eb_fail(why, why_len, -errno, "pipe: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    char *argv[] = {"git", "-C", (char *)repo, "rev-list", "--topo-order", "HEAD", NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return eb_fail(why, why_len, -EINVAL,
                       "--order revision runs git, which cannot be started (%s); install git, or "
                       "order by date",
                       strerror(rc));
    }
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    ssize_t got = 0;
    while (buf != NULL && (got = read(fds[0], buf + len, cap - len - 1)) > 0) {
        len += (size_t)got;
        if (cap - len < 4096) {
            char *grown = realloc(buf, cap *= 2);
            if (grown == NULL) free(buf);
            buf = grown;
        }
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (buf == NULL) return eb_fail(why, why_len, -ENOMEM, "out of memory");
    buf[len] = '\0';
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(buf);
        return eb_fail(why, why_len, -EINVAL,
                       "--order revision: git rev-list HEAD failed in %s; give --repo the "
                       "repository the documents were built from, or order by date",
                       repo);
    }
    *text = buf;
    return 0;
}

/* Position of the commit starting with `rev` in the history, counted from
 * the oldest; -1 when it is not there. */
static long history_position(const char *history, size_t commits, const char *rev)
{
    size_t n = strlen(rev), line = 0;
    for (const char *p = history; *p; line++) {
        if (strncmp(p, rev, n) == 0) return (long)(commits - 1 - line);
        const char *nl = strchr(p, '\n');
        if (nl == NULL) break;
        p = nl + 1;
    }
    return -1;
}

typedef struct sort_key {
    size_t doc;
    double primary, date;
    const char *path;
} sort_key;

static int cmp_key(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    if (x->primary != y->primary) return x->primary < y->primary ? -1 : 1;
    if (x->date != y->date) return x->date < y->date ? -1 : 1;
    int c = strcmp(x->path, y->path);
    return c != 0 ? c : (x->doc > y->doc) - (x->doc < y->doc);
}

int eb_trend_sort(const eb_results_doc *docs, size_t *order, size_t n, eb_trend_order how,
                  const char *repo, char *why, size_t why_len)
{
    if (how == EB_TREND_AS_GIVEN) return 0;
    sort_key *keys = calloc(n ? n : 1, sizeof *keys);
    char *history = NULL;
    size_t commits = 0;
    int rc = 0;
    if (keys == NULL) return eb_fail(why, why_len, -ENOMEM, "out of memory");
    if (how == EB_TREND_BY_REVISION) {
        if ((rc = git_history(repo ? repo : ".", &history, why, why_len)) != 0) goto out;
        for (const char *p = history; *p; p++)
            commits += *p == '\n';
    }
    for (size_t i = 0; i < n; i++) {
        const eb_results_doc *doc = &docs[order[i]];
        keys[i].doc = order[i];
        keys[i].path = doc->path;
        bool dated = eb_parse_date(doc->date, &keys[i].date);
        if (how == EB_TREND_BY_DATE && !dated) {
            rc = eb_fail(why, why_len, -EINVAL,
                         "%s: context.date '%s' is no date to order by; give the files in their "
                         "order with --order given",
                         doc->path, doc->date);
            goto out;
        }
        if (!dated) keys[i].date = 0.0;
        keys[i].primary = keys[i].date;
        if (how == EB_TREND_BY_REVISION) {
            char rev[64];
            if (!eb_version_revision(doc->version, rev, sizeof rev)) {
                rc = eb_fail(why, why_len, -EINVAL,
                             "%s: its version '%s' names no git revision; order by date, or "
                             "give the files in their order with --order given",
                             doc->path, doc->version);
                goto out;
            }
            long at = history_position(history, commits, rev);
            if (at < 0) {
                rc = eb_fail(why, why_len, -EINVAL,
                             "%s: revision %s is not in the history of HEAD in %s; give --repo "
                             "the repository that built it, or order by date",
                             doc->path, rev, repo ? repo : ".");
                goto out;
            }
            keys[i].primary = (double)at;
        }
    }
    qsort(keys, n, sizeof *keys, cmp_key);
    for (size_t i = 0; i < n; i++)
        order[i] = keys[i].doc;
out:
    free(history);
    free(keys);
    return rc;
}
