/* rank_args.h — what execbench-mpi-rank is told (key=value words that the
 * mpi executor writes, runner/executors/mpi.c) and its pin plan. */
#ifndef EB_RANK_ARGS_H
#define EB_RANK_ARGS_H

#include "executor.h"
#include "mpi_config.h"
#include "pin.h"

#include <stddef.h>
#include <stdint.h>

typedef struct eb_rank_args {
    const eb_workload *workload;
    int64_t params[EB_MAX_PARAMS];
    uint64_t tasks, seed;
    const eb_executor *executor; /* what runs this rank's share */
    int64_t rank_workers;        /* its workers; 0: unbounded */
    eb_mpi_claim claim;
    eb_mpi_binding binding;
    const eb_pin_policy *pin;
    const char *cpuset;
    int64_t coro_backend;
} eb_rank_args;

/* 0, or -EINVAL with `why`. */
int eb_rank_args_parse(int argc, char **argv, eb_rank_args *a, char *why, size_t why_len);

/* This local rank's share of a pin plan for every worker of every rank on
 * this host (local_size x its workers), per the policy: *pin stays NULL
 * when nothing is pinned (no policy, or Open MPI binds). 0 or -errno. */
int eb_rank_pin_plan(const eb_rank_args *a, int local_rank, int local_size, eb_topology **topo,
                     eb_pin_plan **pin, char *why, size_t why_len);

#endif
