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
#include "reactor.h"
#include "registry.h"
#include "suggest.h"

#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text appended to buf, printf-style, never past its end. */
typedef struct text {
    char *buf;
    size_t len, used;
} text;

__attribute__((format(printf, 2, 3))) static void add(text *t, const char *fmt, ...)
{
    if (t->used >= t->len) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->used, t->len - t->used, fmt, ap);
    va_end(ap);
    if (n > 0) t->used += (size_t)n;
}

/* "a, b or c": `last` before the last of n names, ", " between the others. */
static void join(char *buf, size_t len, const char *const *names, size_t n, const char *last)
{
    text t = {buf, len, 0};
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        add(&t, "%s%s", i == 0 ? "" : i + 1 == n ? last : ", ", names[i]);
}

#define MAX_NAMES 64

void eb_names_presets(char *buf, size_t len)
{
    const char *names[MAX_NAMES];
    size_t n = 0;
    for (size_t i = 0; i < eb_preset_count && n < MAX_NAMES; i++)
        names[n++] = eb_presets[i].name;
    join(buf, len, names, n, " or ");
}

void eb_names_preset_repetitions(char *buf, size_t len)
{
    text t = {buf, len, 0};
    buf[0] = '\0';
    for (size_t i = 0; i < eb_preset_count; i++)
        if (eb_presets[i].repetitions > 0)
            add(&t, "%s%s %d", t.used ? ", " : "", eb_presets[i].name, eb_presets[i].repetitions);
}

void eb_names_workloads(char *buf, size_t len)
{
    const char *names[MAX_NAMES];
    size_t n = 0;
    for (size_t i = 0; i < eb_workload_count && n < MAX_NAMES; i++)
        if (!eb_workloads[i]->hidden) names[n++] = eb_workloads[i]->name;
    join(buf, len, names, n, ", ");
}

void eb_names_workload_tasks(char *buf, size_t len)
{
    text t = {buf, len, 0};
    buf[0] = '\0';
    for (size_t i = 0; i < eb_workload_count; i++)
        if (!eb_workloads[i]->hidden)
            add(&t, "%s%s %" PRIu64, t.used ? ", " : "", eb_workloads[i]->name,
                eb_workloads[i]->default_tasks);
}

void eb_names_executors(char *buf, size_t len)
{
    const char *names[MAX_NAMES];
    size_t n = 0;
    for (size_t i = 0; i < eb_executor_count && n < MAX_NAMES; i++)
        names[n++] = eb_executors[i]->name;
    join(buf, len, names, n, ", ");
}

/* What "auto" resolves to, from the executors' properties (plan.c). */
void eb_names_executor_workers(char *buf, size_t len)
{
    text t = {buf, len, 0};
    buf[0] = '\0';
    for (size_t i = 0; i < eb_executor_count; i++) {
        const eb_executor *e = eb_executors[i];
        if (e->max_workers > 0)
            add(&t, "%u for %s, ", e->max_workers, e->name);
        else if (e->allows_unbounded)
            add(&t, "0 = unbounded for %s, ", e->name);
    }
    add(&t, "one per core otherwise");
    for (size_t i = 0; i < eb_executor_count; i++)
        if (eb_executors[i]->max_workers > 0)
            add(&t, "; %s runs at most %u whatever the list says", eb_executors[i]->name,
                eb_executors[i]->max_workers);
}

void eb_names_pin_policies(char *buf, size_t len)
{
    const char *names[MAX_NAMES];
    size_t n = 0;
    for (size_t i = 0; i < eb_pin_policy_count && n < MAX_NAMES; i++)
        if (!eb_pin_policies[i]->from_list) names[n++] = eb_pin_policies[i]->name;
    join(buf, len, names, n, " or ");
}

const char *eb_names_backend(size_t i)
{
    static const eb_coro_backend backends[] = {EB_CORO_FCONTEXT, EB_CORO_UCONTEXT};
    return i < sizeof backends / sizeof *backends ? eb_coro_backend_name(backends[i]) : NULL;
}

/* "a, b or c": every name of a choice setting (settings.h: .choice). */
static void choice_names(const char *(*choice)(size_t), char *buf, size_t len)
{
    const char *names[MAX_NAMES];
    size_t n = 0;
    for (size_t i = 0; choice(i) != NULL && n < MAX_NAMES; i++)
        names[n++] = choice(i);
    join(buf, len, names, n, " or ");
}

void eb_names_backends(char *buf, size_t len)
{
    choice_names(eb_names_backend, buf, len);
}

const char *eb_names_reactor(size_t i)
{
    static const eb_reactor_kind kinds[] = {EB_REACTOR_EPOLL, EB_REACTOR_IO_URING};
    return i < sizeof kinds / sizeof *kinds ? eb_reactor_kind_name(kinds[i]) : NULL;
}

void eb_names_reactors(char *buf, size_t len)
{
    choice_names(eb_names_reactor, buf, len);
}

int eb_check_server_cpuset(const char *value, char *why, size_t why_len)
{
    /* the form here; the CPUs themselves against the machine with the plan */
    if (strlen(value) >= EB_CPUSET_MAX)
        return eb_fail(why, why_len, -E2BIG, "--server-cpuset: '%.40s...' is too long a list",
                       value);
    if (value[strspn(value, "0123456789,-")] != '\0')
        return eb_fail(why, why_len, -EINVAL,
                       "--server-cpuset: '%s' is not a list of CPUs; write it as 1, 0-1 or 0,2",
                       value);
    return 0;
}

void eb_names_coro_stacks(char *buf, size_t len)
{
    const char *names[] = {eb_point_coro_stack_name(EB_JOB_CORO_STACK_AUTO),
                           eb_point_coro_stack_name(EB_CORO_STACK_SEPARATE),
                           eb_point_coro_stack_name(EB_CORO_STACK_COPY)};
    join(buf, len, names, sizeof names / sizeof *names, " or ");
}

const char *eb_names_order(size_t i)
{
    static const char *const orders[] = {
        [EB_ORDER_INTERLEAVED] = "interleaved", [EB_ORDER_BLOCKED] = "blocked"};
    return i < sizeof orders / sizeof *orders ? orders[i] : NULL;
}

void eb_names_orders(char *buf, size_t len)
{
    choice_names(eb_names_order, buf, len);
}

const char *eb_names_spawn(size_t i)
{
    static const char *const spawns[] = {"timed", "apart"};
    return i < sizeof spawns / sizeof *spawns ? spawns[i] : NULL;
}

void eb_names_spawns(char *buf, size_t len)
{
    choice_names(eb_names_spawn, buf, len);
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
