/* point_mpi.c — see point_mpi.h. */
#include "point_mpi.h"

void eb_point_mpi_config(const eb_point *p, const eb_settings *s, eb_mpi_config *out)
{
    *out = (eb_mpi_config){
        .hostfile = s->mpi_hostfile,
        .hosts = s->mpi_hosts,
        .extra_args = s->mpi_args,
        .rank_executor = s->rank_executor != NULL ? s->rank_executor : "sequential",
        .rank_workers = s->rank_workers,
        .claim = (eb_mpi_claim)s->mpi_claim,
        .binding = (eb_mpi_binding)s->mpi_binding,
        .pin = p->pin->from_list ? NULL : p->pin->name,
        .cpuset = p->pin->from_list ? p->cpuset : NULL,
        .coro_backend = s->coro_backend,
    };
}
