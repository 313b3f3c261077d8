/* point_args.c — a point as the flags of `execbench --point` (plan.h): the
 * parent's side of the one channel by which a point process learns what to
 * run; the child parses them with the same CLI code as any user. The point
 * itself gives the plan flags; the settings table gives the rest. */
#include "plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* argv building: every string is owned by the array. */
typedef struct argv_builder {
    char **v;
    size_t n, cap;
    bool failed;
} argv_builder;

static void add_arg(argv_builder *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_arg(argv_builder *a, const char *fmt, ...)
{
    if (a->failed) return;
    if (a->n + 2 > a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 32;
        char **grown = realloc(a->v, cap * sizeof *grown);
        if (grown == NULL) {
            a->failed = true;
            return;
        }
        a->v = grown;
        a->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    int rc = vasprintf(&a->v[a->n], fmt, ap);
    va_end(ap);
    if (rc < 0) {
        a->failed = true;
        return;
    }
    a->v[++a->n] = NULL;
}

static int add_setting(void *arg, const char *text)
{
    argv_builder *a = arg;
    add_arg(a, "%s", text);
    return a->failed ? -ENOMEM : 0;
}

char **eb_point_args(const char *exe, const eb_point *p, const eb_settings *s)
{
    argv_builder a = {0};
    add_arg(&a, "%s", exe);
    add_arg(&a, "--point");
    /* interleaved: the point process stays alive and runs when told (protocol.h) */
    if (s->rounds.order == EB_ORDER_INTERLEAVED) add_arg(&a, "--serve");
    add_arg(&a, "--workload=%s", p->workload->name);
    add_arg(&a, "--executor=%s", p->executor->name);
    add_arg(&a, "--workers=%u", p->workers);
    add_arg(&a, "--tasks=%" PRIu64, p->tasks);
    if (p->pin->from_list)
        add_arg(&a, "--cpuset=%s", p->cpuset);
    else
        add_arg(&a, "--pin=%s", p->pin->name);
    for (size_t i = 0; i < p->workload->param_count; i++)
        add_arg(&a, "--param=%s=%" PRId64, p->workload->params[i].key, p->params[i]);
    if (p->gil_interval_us > 0) {
        add_arg(&a, "--gil=on");
        add_arg(&a, "--gil-interval-us=%" PRId64, p->gil_interval_us);
    }
    if (p->executor->coroutines)
        add_arg(&a, "--coro-stack=%s", eb_point_coro_stack_name(p->coro_stack));
    if (eb_settings_point_args(s, add_setting, &a) < 0) a.failed = true;
    if (a.failed) {
        eb_point_args_free(a.v);
        return NULL;
    }
    return a.v;
}

void eb_point_args_free(char **argv)
{
    if (argv == NULL) return;
    for (char **p = argv; *p != NULL; p++)
        free(*p);
    free(argv);
}
