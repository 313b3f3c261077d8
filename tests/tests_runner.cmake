# The runner: plan, CLI, pinning, merge, and build/execbench end to end.
add_library(eb_execbench_process STATIC execbench_process.c)
target_link_libraries(eb_execbench_process PUBLIC eb_test_main PkgConfig::JANSSON)

eb_add_c_test(test_plan
  SOURCES test_plan.c
  LIBS eb_runner)

eb_add_c_test(test_pin
  SOURCES test_pin.c
  LIBS eb_job_fixture PkgConfig::HWLOC)

eb_add_c_test(test_makespan
  SOURCES test_makespan.c
  LIBS eb_runner)

eb_add_c_test(test_merge
  SOURCES test_merge.c
  LIBS eb_runner eb_execbench_process)

# These run build/execbench, so they need it built.
eb_add_c_test(test_cli
  SOURCES test_cli.c
  LIBS eb_execbench_process)
add_dependencies(test_cli execbench)

eb_add_c_test(test_e2e
  SOURCES test_e2e.c
  LIBS eb_job_fixture eb_execbench_process)
add_dependencies(test_e2e execbench execbench-micro)

# Progress: its pieces, and build/execbench on a pseudo-terminal and a pipe.
eb_add_c_test(test_progress
  SOURCES test_progress.c
  LIBS eb_runner eb_execbench_process)
add_dependencies(test_progress execbench)
