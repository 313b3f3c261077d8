/* point_mpi.c — see point_mpi.h. */
#include "point_mpi.h"

void eb_point_mpi_config(const eb_point *p, const eb_settings *s, eb_mpi_config *out)
{
    *out = (eb_mpi_config){
        .hostfile = s->mpi.hostfile,
        .hosts = s->mpi.hosts,
        .extra_args = s->mpi.args,
        .rank_executor = s->mpi.rank_executor != NULL ? s->mpi.rank_executor : "sequential",
        .rank_workers = s->mpi.rank_workers,
        .claim = (eb_mpi_claim)s->mpi.claim,
        .binding = (eb_mpi_binding)s->mpi.binding,
        .pin = p->pin->from_list ? NULL : p->pin->name,
        .cpuset = p->pin->from_list ? p->cpuset : NULL,
        .coro_backend = s->coro_backend,
    };
}
