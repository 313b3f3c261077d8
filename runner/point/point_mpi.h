/* point_mpi_config.h — the mpi executor's options (mpi_config.h), from the settings the
 * point process was given (--mpi-*, --rank-*, and the point's pin). */
#ifndef EB_POINT_MPI_H
#define EB_POINT_MPI_H

#include "mpi_config.h"
#include "plan.h"

void eb_point_mpi_config(const eb_point *p, const eb_settings *s, eb_mpi_config *out);

#endif
