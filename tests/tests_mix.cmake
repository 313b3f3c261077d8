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

# Issue 15's measurement driver, not a test (tests/mix_measure.c says how to
# run it), and the reference it measures the check point against: cpu.sumsq's
# kernel built without check points, under other names.
add_library(eb_sumsq_unchecked STATIC ${CMAKE_SOURCE_DIR}/workloads/sumsq_kernel.c)
target_include_directories(eb_sumsq_unchecked PRIVATE ${CMAKE_SOURCE_DIR}/workloads)
target_compile_options(eb_sumsq_unchecked PRIVATE -falign-loops=64) # as workloads/ builds it
target_compile_definitions(eb_sumsq_unchecked PRIVATE EB_SUMSQ_NO_CHECK_POINTS
  eb_sumsq=eb_sumsq_unchecked eb_sumsq_closed_form=eb_sumsq_closed_form_unchecked
  eb_sumsq_verify=eb_sumsq_verify_unchecked)
add_executable(mix_measure mix_measure.c)
target_link_libraries(mix_measure PRIVATE eb_runner eb_sumsq_unchecked m)
set_target_properties(mix_measure PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
