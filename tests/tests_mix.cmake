# Mixed work (issue 15): the GIL emulation, the hybrid executor and its
# scheduler groups, the ideal of mixed work, their micro benchmarks.
# SERIAL: they compare waits and hand-offs with the clock.
eb_add_c_test(test_gil
  SOURCES test_gil.c
  LIBS eb_job_fixture eb_gil
  SERIAL)

eb_add_c_test(test_hybrid
  SOURCES test_hybrid.c
  LIBS eb_job_fixture
  SERIAL)

eb_add_c_test(test_makespan_mix
  SOURCES test_makespan_mix.c
  LIBS eb_runner m)
