/* mpi_lines.h — what the mpi executor (mpi.c) reads from mpirun: rank 0's
 * EB_MPI_LINE lines on stdout, into the job's arrays and the result, and
 * mpirun's stderr, for the one line that says why a job failed. */
#ifndef EB_MPI_LINES_H
#define EB_MPI_LINES_H

#include "job_run.h"

typedef struct eb_mpi_reader eb_mpi_reader;

eb_mpi_reader *eb_mpi_reader_new(eb_job *job); /* NULL: out of memory */
void eb_mpi_reader_free(eb_mpi_reader *rd);
/* Reads what fd (which: 0 stdout, 1 stderr) has now: 1, or 0 at its end. */
int eb_mpi_reader_feed(eb_mpi_reader *rd, int which, int fd);
/* After mpirun ended with wait status `status`: the times rank 0 gave (the
 * job between barriers, the launch until every rank was up) into out, or
 * the failure, said precisely (which rank, host, signal; mpirun's reason). */
void eb_mpi_reader_finish(eb_mpi_reader *rd, int status, eb_job_result *out);

#endif
