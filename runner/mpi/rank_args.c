/* rank_args.c — see rank_args.h. */
#include "rank_args.h"

#include "err.h"
#include "registry.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int number(const char *key, const char *text, int64_t min, int64_t *out, char *why,
                  size_t why_len)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min)
        return eb_fail(why, why_len, -EINVAL, "%s=%s is not a number >= %" PRId64, key, text, min);
    *out = v;
    return 0;
}

static int param(eb_rank_args *a, const char *text, char *why, size_t why_len)
{
    const char *eq = strchr(text, '=');
    size_t len = (size_t)(eq - text);
    for (size_t i = 0; i < a->workload->param_count; i++)
        if (strlen(a->workload->params[i].key) == len &&
            strncmp(a->workload->params[i].key, text, len) == 0)
            return number(a->workload->params[i].key, eq + 1, a->workload->params[i].min,
                          &a->params[i], why, why_len);
    return eb_fail(why, why_len, -EINVAL, "%s has no parameter '%.*s'", a->workload->name, (int)len,
                   text);
}

int eb_rank_args_parse(int argc, char **argv, eb_rank_args *a, char *why, size_t why_len)
{
    memset(a, 0, sizeof *a);
    a->executor = eb_executor_find("sequential");
    a->rank_workers = 1;
    a->pin = EB_PIN_NONE;
    int64_t v;
    int rc = 0;
    /* The workload first: its parameters are read against it. */
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "workload=", 9) == 0) a->workload = eb_workload_find(argv[i] + 9);
    if (a->workload == NULL)
        return eb_fail(why, why_len, -EINVAL, "no known workload= among the arguments");
    for (size_t i = 0; i < a->workload->param_count; i++)
        a->params[i] = a->workload->params[i].default_value;
    for (int i = 1; rc == 0 && i < argc; i++) {
        const char *arg = argv[i], *eq = strchr(arg, '=');
        if (eq == NULL) {
            rc = eb_fail(why, why_len, -EINVAL, "argument '%s' is not key=value", arg);
            continue;
        }
        const char *val = eq + 1;
        size_t klen = (size_t)(eq - arg);
#define KEY(k) (klen == strlen(k) && strncmp(arg, k, klen) == 0)
        if (KEY("workload")) {
        } else if (KEY("tasks")) {
            if ((rc = number("tasks", val, 1, &v, why, why_len)) == 0) a->tasks = (uint64_t)v;
        } else if (KEY("seed")) {
            if ((rc = number("seed", val, 0, &v, why, why_len)) == 0) a->seed = (uint64_t)v;
        } else if (KEY("workers")) {
            rc = number("workers", val, 0, &a->rank_workers, why, why_len);
        } else if (KEY("backend")) {
            rc = number("backend", val, 0, &a->coro_backend, why, why_len);
        } else if (KEY("claim")) {
            a->claim = strcmp(val, "static") == 0 ? EB_MPI_CLAIM_STATIC : EB_MPI_CLAIM_DYNAMIC;
        } else if (KEY("binding")) {
            a->binding = strcmp(val, "openmpi") == 0 ? EB_MPI_BIND_OPENMPI : EB_MPI_BIND_EXECBENCH;
        } else if (KEY("cpuset")) {
            a->cpuset = val[0] != '\0' ? val : NULL;
        } else if (KEY("pin")) {
            a->pin = eb_pin_policy_find(val);
            if (a->pin == NULL) rc = eb_fail(why, why_len, -EINVAL, "unknown pin policy '%s'", val);
        } else if (KEY("executor")) {
            a->executor = eb_executor_find(val);
            if (a->executor == NULL || a->executor->named_only || a->executor->absent != NULL ||
                a->executor->forks)
                rc = eb_fail(why, why_len, -EINVAL,
                             "--rank-executor %s cannot run a rank's share (use sequential, "
                             "threaded or coroutine)",
                             val);
        } else if (strncmp(arg, "param.", 6) == 0) {
            rc = param(a, arg + 6, why, why_len);
        } else {
            rc = eb_fail(why, why_len, -EINVAL, "unknown argument '%s'", arg);
        }
#undef KEY
    }
    if (rc == 0 && a->cpuset != NULL) a->pin = EB_PIN_CPUSET;
    if (rc == 0 && a->rank_workers == 0 && !a->executor->allows_unbounded)
        rc = eb_fail(why, why_len, -EINVAL,
                     "--rank-workers 0 (unbounded) needs a rank executor that allows it, not %s",
                     a->executor->name);
    if (rc == 0 && a->executor->max_workers > 0 &&
        (a->rank_workers == 0 || a->rank_workers > a->executor->max_workers))
        a->rank_workers = a->executor->max_workers;
    return rc;
}

int eb_rank_pin_plan(const eb_rank_args *a, int local_rank, int local_size, eb_topology **topo,
                     eb_pin_plan **pin, char *why, size_t why_len)
{
    *pin = NULL;
    if (a->binding == EB_MPI_BIND_OPENMPI || !a->pin->pins) return 0;
    int rc = eb_topology_load(topo);
    if (rc != 0) return eb_fail(why, why_len, rc, "could not load the topology: %s", strerror(-rc));
    /* Every worker of every rank on this host, in local-rank order: local
     * rank k takes the k-th slice of the policy's order. */
    unsigned per_rank = a->rank_workers > 0 ? (unsigned)a->rank_workers : 1;
    eb_pin_plan *node = NULL;
    rc = eb_pin_plan_create(*topo, a->pin, a->cpuset, per_rank * (unsigned)local_size, &node, why,
                            why_len);
    if (rc != 0) return rc;
    eb_pin_plan *mine = malloc(sizeof *mine + per_rank * sizeof(int));
    if (mine == NULL) {
        free(node);
        return eb_fail(why, why_len, -ENOMEM, "out of memory for a pin plan");
    }
    *mine = *node;
    mine->count = per_rank;
    for (unsigned i = 0; i < per_rank; i++)
        mine->pu_os_index[i] =
            node->pu_os_index[((unsigned)local_rank * per_rank + i) % node->count];
    free(node);
    *pin = mine;
    return 0;
}
