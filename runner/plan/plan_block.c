/* plan_block.c — one block of the plan resolved (plan_block.h): every list
 * split, every name found in its registry (with the closest one suggested
 * when not), every number within its bounds. */
#include "plan_block.h"

#include "err.h"
#include "parse.h"
#include "gil.h"
#include "suggest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* `text` copied into l and split at commas: 0, or -errno with `why`. */
static int list_split(eb_list *l, const char *text, const char *flag, char *why, size_t why_len)
{
    l->copy = strdup(text);
    if (l->copy == NULL) return eb_fail(why, why_len, -ENOMEM, "out of memory");
    l->count = eb_split_list(l->copy, l->item, EB_PLAN_MAX_LIST);
    if (l->count == -E2BIG)
        return eb_fail(why, why_len, -E2BIG, "%s: more than %d values in '%s'", flag,
                       EB_PLAN_MAX_LIST, text);
    if (l->count < 0)
        return eb_fail(why, why_len, -EINVAL,
                       "%s: '%s' has an empty value; give a comma-separated eb_list like a,b", flag,
                       text);
    return 0;
}

static void list_free(eb_list *l)
{
    free(l->copy);
    l->copy = NULL;
}

static int resolve_workloads(eb_block_lists *b, const char *text, char *why, size_t why_len)
{
    char known[256];
    eb_names_workloads(known, sizeof known);
    if (text == NULL || strcmp(text, "all") == 0) {
        for (size_t i = 0; i < eb_workload_count; i++)
            if (!eb_workloads[i]->hidden) b->workloads[b->workload_count++] = eb_workloads[i];
        return 0;
    }
    eb_list l = {0};
    int rc = list_split(&l, text, "--workload", why, why_len);
    for (int i = 0; rc == 0 && i < l.count; i++) {
        const eb_workload *w = eb_workload_find(l.item[i]);
        if (w == NULL) {
            eb_suggest s;
            eb_suggest_init(&s, l.item[i]);
            for (size_t k = 0; k < eb_workload_count; k++)
                eb_suggest_consider(&s, eb_workloads[k]->name);
            char hint[160];
            eb_suggest_text(&s, "", hint, sizeof hint);
            rc = eb_fail(why, why_len, -EINVAL, "--workload: unknown workload '%s'%s; known: %s",
                         l.item[i], hint, known);
        } else if (b->workload_count == (int)(sizeof b->workloads / sizeof *b->workloads))
            rc = eb_fail(why, why_len, -E2BIG, "--workload: too many workloads");
        else
            b->workloads[b->workload_count++] = w;
    }
    list_free(&l);
    return rc;
}

static int resolve_executors(eb_block_lists *b, const char *text, char *why, size_t why_len)
{
    if (text == NULL || strcmp(text, "all") == 0) {
        for (size_t i = 0; i < eb_executor_count; i++)
            if (!eb_executors[i]->named_only && eb_executors[i]->absent == NULL)
                b->executors[b->executor_count++] = eb_executors[i];
        return 0;
    }
    char known[256];
    eb_names_executors(known, sizeof known);
    eb_list l = {0};
    int rc = list_split(&l, text, "--executor", why, why_len);
    for (int i = 0; rc == 0 && i < l.count; i++) {
        const eb_executor *e = eb_executor_find(l.item[i]);
        if (e == NULL) {
            eb_suggest s;
            eb_suggest_init(&s, l.item[i]);
            for (size_t k = 0; k < eb_executor_count; k++)
                eb_suggest_consider(&s, eb_executors[k]->name);
            char hint[160];
            eb_suggest_text(&s, "", hint, sizeof hint);
            rc = eb_fail(why, why_len, -EINVAL, "--executor: unknown executor '%s'%s; known: %s",
                         l.item[i], hint, known);
        } else if (e->absent != NULL) {
            rc = eb_fail(why, why_len, -EINVAL, "--executor: %s is %s", e->name, e->absent);
        } else if (b->executor_count == (int)(sizeof b->executors / sizeof *b->executors))
            rc = eb_fail(why, why_len, -E2BIG, "--executor: too many executors");
        else
            b->executors[b->executor_count++] = e;
    }
    list_free(&l);
    return rc;
}

static int resolve_numbers(int64_t *out, int *count, const char *text, const char *flag,
                           int64_t min, int64_t max, bool allow_auto, char *why, size_t why_len)
{
    eb_list l = {0};
    int rc = list_split(&l, text, flag, why, why_len);
    for (int i = 0; rc == 0 && i < l.count; i++) {
        if (allow_auto && strcmp(l.item[i], "auto") == 0) {
            out[(*count)++] = EB_WORKERS_AUTO;
            continue;
        }
        int prc = eb_parse_i64(l.item[i], min, max, &out[*count]);
        if (prc == -EINVAL)
            rc = eb_fail(why, why_len, -EINVAL, "%s: '%s' is not a whole number%s; use e.g. %s %s",
                         flag, l.item[i], allow_auto ? " or auto" : "", flag,
                         allow_auto ? "1,2,4" : "20");
        else if (prc == -ERANGE)
            rc = eb_fail(why, why_len, -ERANGE,
                         "%s: %s is out of range; use %" PRId64 " to %" PRId64, flag, l.item[i],
                         min, max);
        else
            (*count)++;
    }
    list_free(&l);
    return rc;
}

/* Any policy by name, those that take a eb_list (cpuset) included. */
static const eb_pin_policy *any_policy(const char *name)
{
    for (size_t i = 0; i < eb_pin_policy_count; i++)
        if (strcmp(eb_pin_policies[i]->name, name) == 0) return eb_pin_policies[i];
    return NULL;
}

static int resolve_pins(eb_block_lists *b, const char *pin, const char *cpuset,
                        const eb_topology *topo, char *why, size_t why_len)
{
    if (cpuset != NULL) {
        const eb_pin_policy *named = pin != NULL ? any_policy(pin) : NULL;
        if (pin != NULL && (named == NULL || !named->from_list))
            return eb_fail(why, why_len, -EINVAL,
                           "--cpuset pins to the CPUs it lists; drop --pin %s or --cpuset", pin);
        if (strlen(cpuset) >= EB_CPUSET_MAX)
            return eb_fail(why, why_len, -E2BIG, "--cpuset: '%.40s...' is too long", cpuset);
        eb_pin_plan *probe = NULL;
        char reason[200] = "";
        int rc = eb_pin_plan_create(topo, EB_PIN_CPUSET, cpuset, 1, &probe, reason, sizeof reason);
        free(probe);
        if (rc != 0) return eb_fail(why, why_len, rc, "--cpuset: %s", reason);
        b->pins[b->pin_count++] = EB_PIN_CPUSET;
        b->cpuset = cpuset;
        return 0;
    }
    if (pin == NULL) {
        b->pins[b->pin_count++] = EB_PIN_DEFAULT;
        return 0;
    }
    char known[160];
    eb_names_pin_policies(known, sizeof known);
    eb_list l = {0};
    int rc = list_split(&l, pin, "--pin", why, why_len);
    for (int i = 0; rc == 0 && i < l.count; i++) {
        const eb_pin_policy *p = any_policy(l.item[i]);
        if (p != NULL && p->from_list)
            rc = eb_fail(why, why_len, -EINVAL, "--pin %s needs the CPUs: use --cpuset LIST",
                         p->name);
        else if (p == NULL) {
            eb_suggest s;
            eb_suggest_init(&s, l.item[i]);
            for (size_t k = 0; k < eb_pin_policy_count; k++)
                if (!eb_pin_policies[k]->from_list)
                    eb_suggest_consider(&s, eb_pin_policies[k]->name);
            char hint[160];
            eb_suggest_text(&s, "", hint, sizeof hint);
            rc = eb_fail(why, why_len, -EINVAL, "--pin: unknown policy '%s'%s; use %s", l.item[i],
                         hint, known);
        } else if (b->pin_count == (int)(sizeof b->pins / sizeof *b->pins))
            rc = eb_fail(why, why_len, -E2BIG, "--pin: too many policies");
        else
            b->pins[b->pin_count++] = p;
    }
    list_free(&l);
    return rc;
}

static int resolve_coro_stacks(eb_block_lists *b, const char *text, char *why, size_t why_len)
{
    if (text == NULL) {
        b->coro_stacks[b->coro_stack_count++] = EB_JOB_CORO_STACK_AUTO;
        return 0;
    }
    char known[80];
    eb_names_coro_stacks(known, sizeof known);
    eb_list l = {0};
    int rc = list_split(&l, text, "--coro-stack", why, why_len);
    for (int i = 0; rc == 0 && i < l.count; i++) {
        int mode;
        if (eb_point_coro_stack_parse(l.item[i], &mode) != 0)
            rc = eb_fail(why, why_len, -EINVAL, "--coro-stack: unknown mode '%s'; use %s",
                         l.item[i], known);
        else if (b->coro_stack_count == (int)(sizeof b->coro_stacks / sizeof *b->coro_stacks))
            rc = eb_fail(why, why_len, -E2BIG, "--coro-stack: give each mode once");
        else
            b->coro_stacks[b->coro_stack_count++] = mode;
    }
    list_free(&l);
    return rc;
}

/* Splits "key=v1,v2"; the key must be declared by a selected workload and
 * every value must fit each such workload's bounds. */
static int resolve_params(eb_block_lists *b, const char *const *params, size_t count, char *why,
                          size_t why_len)
{
    for (size_t i = 0; i < count; i++) {
        const char *text = params[i];
        const char *eq = strchr(text, '=');
        if (eq == NULL || eq == text)
            return eb_fail(why, why_len, -EINVAL, "--param: '%s' is not KEY=VALUE, e.g. n=5000000",
                           text);
        if (b->param_count == (int)(sizeof b->param_key / sizeof *b->param_key))
            return eb_fail(why, why_len, -E2BIG, "--param: too many parameters");
        int k = b->param_count;
        eb_list *l = &b->param_values[k];
        char flag[96];
        snprintf(flag, sizeof flag, "--param %.*s", (int)(eq - text), text);
        int rc = list_split(l, eq + 1, flag, why, why_len);
        b->param_count++; /* so the eb_list is freed */
        if (rc != 0) return rc;
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(eq - text), text);
        size_t key_len = strlen(key);
        for (int j = 0; j < k; j++)
            if (strncmp(b->param_key[j], key, key_len) == 0 && b->param_key[j][key_len] == '=')
                return eb_fail(why, why_len, -EINVAL,
                               "--param %s is given twice; eb_list its values once: %s=a,b", key,
                               key);
        bool declared = false;
        for (int w = 0; w < b->workload_count; w++) {
            const eb_workload *wl = b->workloads[w];
            int index = eb_workload_param_index(wl, key);
            if (index < 0) continue;
            declared = true;
            const eb_param_def *d = &wl->params[index];
            for (int v = 0; v < l->count; v++) {
                int64_t value;
                int prc = eb_parse_i64(l->item[v], d->min, d->max, &value);
                if (prc == -EINVAL)
                    return eb_fail(why, why_len, -EINVAL,
                                   "--param %s: '%s' is not a whole number (%s, in %s)", key,
                                   l->item[v], d->help, d->unit);
                if (prc == -ERANGE)
                    return eb_fail(why, why_len, -ERANGE,
                                   "--param %s: %s is out of range for %s; use %" PRId64
                                   " to %" PRId64 " (%s)",
                                   key, l->item[v], wl->name, d->min, d->max, d->unit);
            }
        }
        if (!declared) {
            char known[256] = "", hint[160];
            size_t used = 0;
            eb_suggest s;
            eb_suggest_init(&s, key);
            for (int w = 0; w < b->workload_count; w++)
                for (size_t p = 0; p < b->workloads[w]->param_count; p++) {
                    eb_suggest_consider(&s, b->workloads[w]->params[p].key);
                    if (used < sizeof known)
                        used += (size_t)snprintf(known + used, sizeof known - used, "%s%s %s",
                                                 used ? ", " : "", b->workloads[w]->name,
                                                 b->workloads[w]->params[p].key);
                }
            eb_suggest_text(&s, "", hint, sizeof hint);
            return eb_fail(why, why_len, -EINVAL,
                           "--param: no selected workload has a parameter '%s'%s; known: %s", key,
                           hint, known);
        }
        b->param_key[k] = text; /* compared up to '=' below */
    }
    return 0;
}

/* The values --param gave for `key` (a list), or NULL. */
const eb_list *eb_block_param_values(const eb_block_lists *b, const char *key)
{
    size_t len = strlen(key);
    for (int i = 0; i < b->param_count; i++) {
        const char *k = b->param_key[i];
        if (k != NULL && strncmp(k, key, len) == 0 && k[len] == '=') return &b->param_values[i];
    }
    return NULL;
}

/* --gil off,on and --gil-interval-us: 0 for off, each interval for on. */
static int resolve_gil(eb_block_lists *b, const char *gil, const char *intervals, char *why,
                       size_t why_len)
{
    bool off = gil == NULL, on = false;
    eb_list l = {0};
    int rc = gil != NULL ? list_split(&l, gil, "--gil", why, why_len) : 0;
    for (int i = 0; rc == 0 && i < l.count; i++) {
        if (strcmp(l.item[i], "off") == 0)
            off = true;
        else if (strcmp(l.item[i], "on") == 0)
            on = true;
        else
            rc = eb_fail(why, why_len, -EINVAL,
                         "--gil: '%s' is neither off nor on; use e.g. --gil off,on", l.item[i]);
    }
    list_free(&l);
    if (rc != 0) return rc;
    if (off) b->gils[b->gil_count++] = 0;
    if (!on) {
        if (intervals != NULL)
            return eb_fail(why, why_len, -EINVAL,
                           "--gil-interval-us is the switch interval of a GIL; add --gil on");
        return 0;
    }
    if (intervals == NULL) {
        b->gils[b->gil_count++] = EB_GIL_DEFAULT_INTERVAL_US;
        return 0;
    }
    return resolve_numbers(b->gils, &b->gil_count, intervals, "--gil-interval-us", 1,
                           EB_MAX_GIL_INTERVAL_US, false, why, why_len);
}

int eb_block_resolve(eb_block_lists *b, const eb_plan_block *block, const eb_topology *topo,
                     char *why, size_t why_len)
{
    int rc = resolve_workloads(b, block->workloads, why, why_len);
    if (rc == 0) rc = resolve_executors(b, block->executors, why, why_len);
    if (rc == 0)
        rc =
            resolve_numbers(b->workers, &b->workers_count, block->workers ? block->workers : "auto",
                            "--workers", 0, EB_MAX_WORKERS, true, why, why_len);
    if (rc == 0 && block->tasks != NULL)
        rc = resolve_numbers(b->tasks, &b->tasks_count, block->tasks, "--tasks", 1, EB_MAX_TASKS,
                             false, why, why_len);
    else if (rc == 0)
        b->tasks[b->tasks_count++] = 0;
    if (rc == 0) rc = resolve_pins(b, block->pin, block->cpuset, topo, why, why_len);
    if (rc == 0) rc = resolve_params(b, block->params, block->param_count, why, why_len);
    if (rc == 0) rc = resolve_gil(b, block->gil, block->gil_interval_us, why, why_len);
    if (rc == 0) rc = resolve_coro_stacks(b, block->coro_stacks, why, why_len);
    return rc;
}

void eb_block_free(eb_block_lists *b)
{
    for (int i = 0; i < b->param_count; i++)
        list_free(&b->param_values[i]);
}
