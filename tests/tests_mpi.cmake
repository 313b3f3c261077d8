# The mpi executor (issue 18), end to end through mpirun --oversubscribe on
# this machine; every case skips with its reason without Open MPI. SERIAL:
# one case compares two schedules' times.
eb_add_c_test(test_mpi
  SOURCES test_mpi.c
  LIBS eb_execbench_process
  TIMEOUT 180
  SERIAL)
