# Mixed work (issue 15): the GIL emulation, the hybrid executor and its
# scheduler groups, the ideal of mixed work, their micro benchmarks.
# SERIAL: they compare waits and hand-offs with the clock.
eb_add_c_test(test_gil
  SOURCES test_gil.c
  LIBS eb_job_fixture
  SERIAL)

eb_add_c_test(test_hybrid
  SOURCES test_hybrid.c
  LIBS eb_job_fixture
  SERIAL)

eb_add_c_test(test_makespan_mix
  SOURCES test_makespan_mix.c
  LIBS eb_runner m)

# Issue 15's measurement driver, not a test (tests/mix_measure.c says how to
# run it), and the reference it measures the check point against: cpu.sumsq's
# kernel built without check points, under other names.
add_library(eb_sumsq_unchecked STATIC sumsq_unchecked.c)
target_link_libraries(eb_sumsq_unchecked PRIVATE eb_workloads)
target_compile_options(eb_sumsq_unchecked PRIVATE -falign-loops=64) # as workloads/ builds it
set_property(TARGET eb_sumsq_unchecked PROPERTY INTERPROCEDURAL_OPTIMIZATION OFF) # as workloads/
add_executable(mix_measure mix_measure.c)
target_link_libraries(mix_measure PRIVATE eb_runner eb_sumsq_unchecked m)
set_target_properties(mix_measure PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)

# The crossover and seeds presets' plans, GIL points, the mixed ideal in a
# document, and the GIL reaching a real point's job.
eb_add_c_test(test_crossover
  SOURCES test_crossover.c
  LIBS eb_runner eb_execbench_process m)
add_dependencies(test_crossover execbench)

# tools/plot.py draws crossover.png from a small crossover run (skipped, exit
# 77, where no Python 3 has matplotlib).
add_test(NAME test_plot.crossover COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_plot.sh crossover)
set_tests_properties(test_plot.crossover PROPERTIES
  TIMEOUT 120 SKIP_RETURN_CODE 77
  ENVIRONMENT "EB_SOURCE_DIR=${CMAKE_SOURCE_DIR};EB_BUILD_DIR=${CMAKE_BINARY_DIR}")
