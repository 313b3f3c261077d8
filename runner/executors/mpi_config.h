/* mpi_config.h — the mpi executor's options (mpi.c) and what its rank program
 * (runner/mpi, execbench-mpi-rank) is told.
 *
 * The point fills an eb_mpi_config from the settings (--mpi-*, --rank-*) and
 * hands it to the executor through job->executor_config; the executor turns
 * it into mpirun's command line and the rank program's arguments. */
#ifndef EB_MPI_H
#define EB_MPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How ranks take tasks: a fetch-and-add on a window at rank 0 (the analog of
 * the shared-memory counter), or rank r's contiguous block of them. */
typedef enum eb_mpi_claim { EB_MPI_CLAIM_DYNAMIC = 0, EB_MPI_CLAIM_STATIC = 1 } eb_mpi_claim;
/* Who binds ranks: execbench per --pin through hwloc, per local rank (mpirun
 * --bind-to none), or Open MPI's own binding (mpirun's default or --mpi-args). */
typedef enum eb_mpi_binding { EB_MPI_BIND_EXECBENCH = 0, EB_MPI_BIND_OPENMPI = 1 } eb_mpi_binding;

typedef struct eb_mpi_config {
    const char *hostfile;      /* --mpi-hostfile, or NULL */
    const char *hosts;         /* --mpi-hosts, or NULL */
    const char *extra_args;    /* --mpi-args: more mpirun arguments, split at blanks */
    const char *rank_executor; /* --rank-executor: what runs a rank's share */
    int64_t rank_workers;      /* --rank-workers: its workers (0: unbounded) */
    eb_mpi_claim claim;
    eb_mpi_binding binding;
    const char *pin;      /* the point's pin policy's name, for the ranks */
    const char *cpuset;   /* its --cpuset list, or NULL */
    int64_t coro_backend; /* an eb_coro_backend, for coroutine ranks */
} eb_mpi_config;

/* The names of the choices, for the settings table (NULL past the last). */
const char *eb_mpi_claim_name(size_t i);
const char *eb_mpi_binding_name(size_t i);

/* The rank program, found beside the running program or in the build
 * folder: its path, or NULL when this build has none. */
const char *eb_mpi_rank_program(void);

/* Lines rank 0 prints for the executor on its stdout (mpirun forwards it). */
#define EB_MPI_LINE "eb-mpi"

#endif
