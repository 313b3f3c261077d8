/* plan.c — building the plan: lists as text, expanded into points (plan.h). */
#include "plan.h"

#include "err.h"
#include "parse.h"
#include "suggest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 256

void eb_plan_init(eb_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    eb_settings_init(&plan->settings);
}

void eb_plan_free(eb_plan *plan)
{
    free(plan->points);
    free(plan->by_name);
    plan->points = NULL;
    plan->by_name = NULL;
    plan->count = plan->cap = plan->by_name_cap = 0;
}

/* A private copy of `text` split at commas; NULL text gives `fallback`. */
typedef struct list {
    char *copy;
    char *item[MAX_LIST];
    int count;
} list;

static int list_split(list *l, const char *text, const char *flag, char *why, size_t why_len)
{
    l->copy = strdup(text);
    if (l->copy == NULL) return eb_fail(why, why_len, -ENOMEM, "out of memory");
    l->count = eb_split_list(l->copy, l->item, MAX_LIST);
    if (l->count == -E2BIG)
        return eb_fail(why, why_len, -E2BIG, "%s: more than %d values in '%s'", flag, MAX_LIST,
                       text);
    if (l->count < 0)
        return eb_fail(why, why_len, -EINVAL,
                       "%s: '%s' has an empty value; give a comma-separated list like a,b", flag,
                       text);
    return 0;
}

static void list_free(list *l)
{
    free(l->copy);
    l->copy = NULL;
}

static void names_of_visible_workloads(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < eb_workload_count && used < len; i++) {
        if (eb_workloads[i]->hidden) continue;
        used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                                 eb_workloads[i]->name);
    }
}

static void names_of_executors(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < eb_executor_count && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                                 eb_executors[i]->name);
}

/* The workers entry of a list: a number, or WORKERS_AUTO. */
#define WORKERS_AUTO INT64_C(-1)

/* The workers a point of executor e runs: a bounded executor at most its
 * bound (and that for auto and 0), else auto is unbounded where allowed and
 * one per core otherwise. */
static unsigned resolve_workers(const eb_executor *e, int64_t given, unsigned cores)
{
    if (e->max_workers > 0 && (given == WORKERS_AUTO || given == 0 || given > e->max_workers))
        return e->max_workers;
    if (given == WORKERS_AUTO) return e->allows_unbounded ? 0 : cores;
    return (unsigned)given;
}

void eb_point_format_name(eb_point *p)
{
    char params[200] = "";
    size_t used = 0;
    for (size_t i = 0; i < p->workload->param_count && used < sizeof params; i++) {
        const eb_param_def *d = &p->workload->params[i];
        /* The first parameter is the workload's size and always named; the
         * others only when they differ from their default. */
        if (i > 0 && p->params[i] == d->default_value) continue;
        used += (size_t)snprintf(params + used, sizeof params - used, "/%s:%" PRId64, d->key,
                                 p->params[i]);
    }
    char pin[EB_CPUSET_MAX + 16];
    if (p->pin->from_list)
        snprintf(pin, sizeof pin, "%s=%s", p->pin->name, p->cpuset);
    else
        snprintf(pin, sizeof pin, "%s", p->pin->name);
    snprintf(p->name, sizeof p->name, "%s/exec:%s/tasks:%" PRIu64 "/workers:%u%s/pin:%s",
             p->workload->name, p->executor->name, p->tasks, p->workers, params, pin);
}

/* FNV-1a: the names' index needs a hash, nothing stronger. */
static size_t name_hash(const char *name)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (const unsigned char *c = (const unsigned char *)name; *c != '\0'; c++)
        h = (h ^ *c) * UINT64_C(1099511628211);
    return (size_t)h;
}

/* The slot of `name` in the index: where it is, or the empty slot it would take. */
static size_t name_slot(const eb_plan *plan, const char *name)
{
    size_t mask = plan->by_name_cap - 1, at = name_hash(name) & mask;
    while (plan->by_name[at] != 0 && strcmp(plan->points[plan->by_name[at] - 1].name, name) != 0)
        at = (at + 1) & mask;
    return at;
}

/* Keeps the index at most half full. Without it, deduplicating a plan of
 * 10,000 points compared names 50 million times. */
static int index_reserve(eb_plan *plan)
{
    if (2 * (plan->count + 1) <= plan->by_name_cap) return 0;
    size_t cap = plan->by_name_cap ? plan->by_name_cap * 2 : 64;
    size_t *slots = calloc(cap, sizeof *slots);
    if (slots == NULL) return -ENOMEM;
    free(plan->by_name);
    plan->by_name = slots;
    plan->by_name_cap = cap;
    for (size_t i = 0; i < plan->count; i++)
        plan->by_name[name_slot(plan, plan->points[i].name)] = i + 1;
    return 0;
}

static int plan_push(eb_plan *plan, const eb_point *p, char *why, size_t why_len)
{
    if (index_reserve(plan) != 0) return eb_fail(why, why_len, -ENOMEM, "out of memory");
    size_t slot = name_slot(plan, p->name);
    if (plan->by_name[slot] != 0) return 0; /* already planned */
    if (plan->count == EB_MAX_POINTS)
        return eb_fail(why, why_len, -E2BIG, "the plan has more than %d points; give shorter lists",
                       EB_MAX_POINTS);
    if (plan->count == plan->cap) {
        size_t cap = plan->cap ? plan->cap * 2 : 16;
        eb_point *grown = realloc(plan->points, cap * sizeof *grown);
        if (grown == NULL) return eb_fail(why, why_len, -ENOMEM, "out of memory");
        plan->points = grown;
        plan->cap = cap;
    }
    plan->points[plan->count++] = *p;
    plan->by_name[slot] = plan->count;
    return 0;
}

/* Everything a block resolves to before the cross product. */
typedef struct block_lists {
    const eb_workload *workloads[64];
    int workload_count;
    const eb_executor *executors[16];
    int executor_count;
    int64_t workers[MAX_LIST];
    int workers_count;
    int64_t tasks[MAX_LIST]; /* 0: the workload's default */
    int tasks_count;
    const eb_pin_policy *pins[16];
    int pin_count;
    const char *cpuset;
    /* params: per key given, its values */
    const char *param_key[EB_MAX_PARAMS * 4];
    list param_values[EB_MAX_PARAMS * 4];
    int param_count;
    const eb_executor *left_out[16]; /* executors given workers 0 they cannot run */
    int left_out_count;
} block_lists;

static int resolve_workloads(block_lists *b, const char *text, char *why, size_t why_len)
{
    char known[256];
    names_of_visible_workloads(known, sizeof known);
    if (text == NULL || strcmp(text, "all") == 0) {
        for (size_t i = 0; i < eb_workload_count; i++)
            if (!eb_workloads[i]->hidden) b->workloads[b->workload_count++] = eb_workloads[i];
        return 0;
    }
    list l = {0};
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

static int resolve_executors(block_lists *b, const char *text, char *why, size_t why_len)
{
    if (text == NULL || strcmp(text, "all") == 0) {
        for (size_t i = 0; i < eb_executor_count; i++)
            b->executors[b->executor_count++] = eb_executors[i];
        return 0;
    }
    char known[256];
    names_of_executors(known, sizeof known);
    list l = {0};
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
    list l = {0};
    int rc = list_split(&l, text, flag, why, why_len);
    for (int i = 0; rc == 0 && i < l.count; i++) {
        if (allow_auto && strcmp(l.item[i], "auto") == 0) {
            out[(*count)++] = WORKERS_AUTO;
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

/* Any policy by name, those that take a list (cpuset) included. */
static const eb_pin_policy *any_policy(const char *name)
{
    for (size_t i = 0; i < eb_pin_policy_count; i++)
        if (strcmp(eb_pin_policies[i]->name, name) == 0) return eb_pin_policies[i];
    return NULL;
}

static void names_of_pin_policies(char *buf, size_t len)
{
    size_t used = 0, n = 0, total = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < eb_pin_policy_count; i++)
        total += !eb_pin_policies[i]->from_list;
    for (size_t i = 0; i < eb_pin_policy_count && used < len; i++) {
        if (eb_pin_policies[i]->from_list) continue;
        const char *sep = ++n == 1 ? "" : n == total ? " or " : ", ";
        used += (size_t)snprintf(buf + used, len - used, "%s%s", sep, eb_pin_policies[i]->name);
    }
}

static int resolve_pins(block_lists *b, const char *pin, const char *cpuset,
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
    names_of_pin_policies(known, sizeof known);
    list l = {0};
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

/* Splits "key=v1,v2"; the key must be declared by a selected workload and
 * every value must fit each such workload's bounds. */
static int resolve_params(block_lists *b, const char *const *params, size_t count, char *why,
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
        list *l = &b->param_values[k];
        char flag[96];
        snprintf(flag, sizeof flag, "--param %.*s", (int)(eq - text), text);
        int rc = list_split(l, eq + 1, flag, why, why_len);
        b->param_count++; /* so the list is freed */
        if (rc != 0) return rc;
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(eq - text), text);
        size_t key_len = strlen(key);
        for (int j = 0; j < k; j++)
            if (strncmp(b->param_key[j], key, key_len) == 0 && b->param_key[j][key_len] == '=')
                return eb_fail(why, why_len, -EINVAL,
                               "--param %s is given twice; list its values once: %s=a,b", key, key);
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
static const list *param_values_for(const block_lists *b, const char *key)
{
    size_t len = strlen(key);
    for (int i = 0; i < b->param_count; i++) {
        const char *k = b->param_key[i];
        if (k != NULL && strncmp(k, key, len) == 0 && k[len] == '=') return &b->param_values[i];
    }
    return NULL;
}

static void note_left_out(block_lists *b, const eb_executor *e)
{
    for (int i = 0; i < b->left_out_count; i++)
        if (b->left_out[i] == e) return;
    if (b->left_out_count < (int)(sizeof b->left_out / sizeof *b->left_out))
        b->left_out[b->left_out_count++] = e;
}

static int expand(eb_plan *plan, block_lists *b, unsigned cores, char *why, size_t why_len)
{
    for (int wi = 0; wi < b->workload_count; wi++) {
        const eb_workload *w = b->workloads[wi];
        /* An odometer over the parameters' value lists. */
        const list *values[EB_MAX_PARAMS] = {0};
        int digit[EB_MAX_PARAMS] = {0};
        for (size_t p = 0; p < w->param_count; p++)
            values[p] = param_values_for(b, w->params[p].key);
        for (;;) {
            eb_point pt;
            memset(&pt, 0, sizeof pt);
            pt.workload = w;
            for (size_t p = 0; p < w->param_count; p++) {
                pt.params[p] = w->params[p].default_value;
                if (values[p] != NULL)
                    eb_parse_i64(values[p]->item[digit[p]], INT64_MIN, INT64_MAX, &pt.params[p]);
            }
            for (int ti = 0; ti < b->tasks_count; ti++) {
                pt.tasks = b->tasks[ti] != 0 ? (uint64_t)b->tasks[ti] : w->default_tasks;
                if (pt.tasks == 0) pt.tasks = 1;
                for (int ei = 0; ei < b->executor_count; ei++) {
                    pt.executor = b->executors[ei];
                    for (int ki = 0; ki < b->workers_count; ki++) {
                        pt.workers = resolve_workers(pt.executor, b->workers[ki], cores);
                        if (pt.workers == 0 && !pt.executor->allows_unbounded) {
                            note_left_out(b, pt.executor);
                            continue;
                        }
                        for (int pi = 0; pi < b->pin_count; pi++) {
                            pt.pin = b->pins[pi];
                            if (pt.pin->from_list)
                                snprintf(pt.cpuset, sizeof pt.cpuset, "%s", b->cpuset);
                            else
                                pt.cpuset[0] = '\0';
                            eb_point_format_name(&pt);
                            int rc = plan_push(plan, &pt, why, why_len);
                            if (rc != 0) return rc;
                        }
                    }
                }
            }
            /* next combination */
            size_t p = 0;
            for (; p < w->param_count; p++) {
                if (values[p] == NULL) continue;
                if (++digit[p] < values[p]->count) break;
                digit[p] = 0;
            }
            if (p == w->param_count) break;
        }
    }
    return 0;
}

int eb_plan_add_block(eb_plan *plan, const eb_plan_block *block, const eb_topology *topo,
                      FILE *notes, char *why, size_t why_len)
{
    block_lists *b = calloc(1, sizeof *b);
    if (b == NULL) return eb_fail(why, why_len, -ENOMEM, "out of memory");
    eb_topology_summary summary;
    eb_topology_summarize(topo, &summary);
    unsigned cores = summary.cores > 0 ? (unsigned)summary.cores : 1;

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
    size_t before = plan->count;
    if (rc == 0) rc = expand(plan, b, cores, why, why_len);
    if (rc == 0 && plan->count == before && before == 0)
        rc = eb_fail(
            why, why_len, -EINVAL,
            "the plan is empty: no executor can run these --workers; use e.g. --workers 1,2");
    for (int i = 0; rc == 0 && notes != NULL && i < b->left_out_count; i++)
        fprintf(notes,
                "execbench: note: leaving out %s with workers 0 (0 = unbounded is for executors "
                "that allow it, e.g. coroutine)\n",
                b->left_out[i]->name);
    for (int i = 0; i < b->param_count; i++)
        list_free(&b->param_values[i]);
    free(b);
    return rc;
}

int eb_plan_add_preset(eb_plan *plan, const eb_preset *preset, bool keep_repetitions,
                       const eb_topology *topo, FILE *notes, char *why, size_t why_len)
{
    for (size_t i = 0; i < preset->block_count; i++) {
        char reason[400];
        int rc = eb_plan_add_block(plan, &preset->blocks[i], topo, notes, reason, sizeof reason);
        if (rc != 0)
            return eb_fail(why, why_len, rc, "preset %s, block %zu: %s", preset->name, i + 1,
                           reason);
    }
    plan->preset = preset->name;
    if (!keep_repetitions && preset->repetitions > 0)
        plan->settings.repetitions = preset->repetitions;
    return 0;
}
