/* settings_names.c — what the settings table's entries (settings.h) call:
 * the names --help gives, each from its registry (presets, workloads,
 * executors and their worker bounds, pin policies, coroutine backends), and
 * the checks of --preset and --micro's filter. */
#include "settings.h"

#include "coro.h"
#include "err.h"
#include "executor.h"
#include "pin.h"
#include "plan.h"
#include "registry.h"
#include "suggest.h"

#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Joins names as "a, b or c" (`last` between the last two), or "a,b" (sep ","). */
typedef struct joiner {
    char *buf;
    size_t len, used, count;
} joiner;

static void join(joiner *j, const char *name)
{
    if (j->used >= j->len) return;
    int n = snprintf(j->buf + j->used, j->len - j->used, "%s%s", j->count ? "\x1f" : "", name);
    if (n > 0) j->used += (size_t)n;
    j->count++;
}

/* The joined names with "sep" between them and "last" before the last one. */
static void join_end(joiner *j, const char *sep, const char *last)
{
    char *copy = strdup(j->buf);
    if (copy == NULL) return;
    size_t used = 0, k = 0;
    j->buf[0] = '\0';
    for (char *name = strtok(copy, "\x1f"); name != NULL && used < j->len;
         name = strtok(NULL, "\x1f"), k++) {
        const char *between = k == 0 ? "" : k + 1 == j->count ? last : sep;
        int n = snprintf(j->buf + used, j->len - used, "%s%s", between, name);
        if (n > 0) used += (size_t)n;
    }
    free(copy);
}

void eb_names_presets(char *buf, size_t len)
{
    joiner j = {buf, len, 0, 0};
    buf[0] = '\0';
    for (size_t i = 0; i < eb_preset_count; i++)
        join(&j, eb_presets[i].name);
    join_end(&j, ", ", " or ");
}

void eb_names_preset_repetitions(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < eb_preset_count && used < len; i++) {
        if (eb_presets[i].repetitions <= 0) continue;
        int n = snprintf(buf + used, len - used, "%s%s %d", used ? ", " : "", eb_presets[i].name,
                         eb_presets[i].repetitions);
        if (n > 0) used += (size_t)n;
    }
}

void eb_names_workloads(char *buf, size_t len)
{
    joiner j = {buf, len, 0, 0};
    buf[0] = '\0';
    for (size_t i = 0; i < eb_workload_count; i++)
        if (!eb_workloads[i]->hidden) join(&j, eb_workloads[i]->name);
    join_end(&j, ", ", ", ");
}

void eb_names_workload_tasks(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < eb_workload_count && used < len; i++) {
        if (eb_workloads[i]->hidden) continue;
        int n = snprintf(buf + used, len - used, "%s%s %" PRIu64, used ? ", " : "",
                         eb_workloads[i]->name, eb_workloads[i]->default_tasks);
        if (n > 0) used += (size_t)n;
    }
}

void eb_names_executors(char *buf, size_t len)
{
    joiner j = {buf, len, 0, 0};
    buf[0] = '\0';
    for (size_t i = 0; i < eb_executor_count; i++)
        join(&j, eb_executors[i]->name);
    join_end(&j, ", ", ", ");
}

/* What "auto" resolves to, from the executors' properties (plan.c). */
void eb_names_executor_workers(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < eb_executor_count && used < len; i++) {
        const eb_executor *e = eb_executors[i];
        int n = 0;
        if (e->max_workers > 0)
            n = snprintf(buf + used, len - used, "%u for %s, ", e->max_workers, e->name);
        else if (e->allows_unbounded)
            n = snprintf(buf + used, len - used, "0 = unbounded for %s, ", e->name);
        if (n > 0) used += (size_t)n;
    }
    if (used < len) snprintf(buf + used, len - used, "one per core otherwise");
    for (size_t i = 0; i < eb_executor_count; i++) {
        const eb_executor *e = eb_executors[i];
        size_t at = strlen(buf);
        if (e->max_workers > 0 && at < len)
            snprintf(buf + at, len - at, "; %s runs at most %u whatever the list says", e->name,
                     e->max_workers);
    }
}

void eb_names_pin_policies(char *buf, size_t len)
{
    joiner j = {buf, len, 0, 0};
    buf[0] = '\0';
    for (size_t i = 0; i < eb_pin_policy_count; i++)
        if (!eb_pin_policies[i]->from_list) join(&j, eb_pin_policies[i]->name);
    join_end(&j, ", ", " or ");
}

const char *eb_names_backend(size_t i)
{
    static const eb_coro_backend backends[] = {EB_CORO_FCONTEXT, EB_CORO_UCONTEXT};
    return i < sizeof backends / sizeof *backends ? eb_coro_backend_name(backends[i]) : NULL;
}

void eb_names_backends(char *buf, size_t len)
{
    joiner j = {buf, len, 0, 0};
    buf[0] = '\0';
    for (size_t i = 0; eb_names_backend(i) != NULL; i++)
        join(&j, eb_names_backend(i));
    join_end(&j, ", ", " or ");
}

int eb_check_preset(const char *value, char *why, size_t why_len)
{
    if (eb_preset_find(value) != NULL) return 0;
    eb_suggest s;
    eb_suggest_init(&s, value);
    for (size_t i = 0; i < eb_preset_count; i++)
        eb_suggest_consider(&s, eb_presets[i].name);
    char hint[160], names[160];
    eb_suggest_text(&s, "", hint, sizeof hint);
    eb_names_presets(names, sizeof names);
    return eb_fail(why, why_len, -EINVAL, "--preset: unknown preset '%s'%s; use %s", value, hint,
                   names);
}

/* --micro's filter is libbenchmark's --benchmark_filter: an extended regex,
 * "all", and a leading '-' for "all but". Checked here so a typo stops the
 * run before its first point, not after its last. */
int eb_check_micro_filter(const char *filter, char *why, size_t why_len)
{
    if (*filter == '\0')
        return eb_fail(why, why_len, -EINVAL,
                       "--micro=: the filter is empty; use --micro or --micro=REGEX");
    const char *re = filter[0] == '-' ? filter + 1 : filter;
    if (strcmp(re, "all") == 0) return 0;
    regex_t compiled;
    int rc = regcomp(&compiled, re, REG_EXTENDED | REG_NOSUB);
    if (rc == 0) {
        regfree(&compiled);
        return 0;
    }
    char error[200];
    regerror(rc, &compiled, error, sizeof error);
    return eb_fail(why, why_len, -EINVAL,
                   "--micro='%s' is not a POSIX extended regex: %s; fix the filter or give "
                   "--micro alone for every micro benchmark",
                   filter, error);
}
