# Executors and workloads, run in-process on the shared-memory job.
add_library(eb_job_fixture STATIC job_fixture.c)
target_link_libraries(eb_job_fixture PUBLIC eb_executors eb_test_main)

eb_add_c_test(test_executors
  SOURCES test_executors.c
  LIBS eb_job_fixture eb_results)
