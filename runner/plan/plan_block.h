/* plan_block.h — one block of the plan, resolved: its lists parsed and
 * checked against the registries (plan_block.c), before plan.c expands the
 * cross product. Private to runner/plan. */
#ifndef EB_PLAN_BLOCK_H
#define EB_PLAN_BLOCK_H

#include "plan.h"

#define EB_PLAN_MAX_LIST 256

/* The workers entry of a list: a number, or EB_WORKERS_AUTO. */
#define EB_WORKERS_AUTO INT64_C(-1)

/* A private copy of a comma-separated list, split. */
typedef struct eb_list {
    char *copy;
    char *item[EB_PLAN_MAX_LIST];
    int count;
} eb_list;

typedef struct eb_block_lists {
    const eb_workload *workloads[64];
    int workload_count;
    const eb_executor *executors[16];
    int executor_count;
    int64_t workers[EB_PLAN_MAX_LIST];
    int workers_count;
    int64_t tasks[EB_PLAN_MAX_LIST]; /* 0: the workload's default */
    int tasks_count;
    const eb_pin_policy *pins[16];
    int pin_count;
    const char *cpuset;
    int coro_stacks[4]; /* eb_point.coro_stack values */
    int coro_stack_count;
    /* params: per key given, its values */
    const char *param_key[EB_MAX_PARAMS * 4];
    eb_list param_values[EB_MAX_PARAMS * 4];
    int param_count;
    int64_t gils[EB_PLAN_MAX_LIST + 1]; /* 0: free threads; else a GIL's interval in us */
    int gil_count;
    const eb_executor *left_out[16]; /* executors given workers 0 they cannot run */
    int left_out_count;
    const eb_executor *left_out_gil[16]; /* executors given --gil on, whose one thread per
                                            process never waits for a GIL */
    int left_out_gil_count;
} eb_block_lists;

/* Resolves every list of the block into b (zeroed): 0, or a negative errno
 * with `why` naming the flag, the value and what to do. */
int eb_block_resolve(eb_block_lists *b, const eb_plan_block *block, const eb_topology *topo,
                     char *why, size_t why_len);
void eb_block_free(eb_block_lists *b);

/* The values --param gave for `key` (a list), or NULL. */
const eb_list *eb_block_param_values(const eb_block_lists *b, const char *key);

#endif
