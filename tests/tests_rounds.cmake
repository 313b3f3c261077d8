# Interleaved rounds (issue 13): the order from the seed, pairing, the
# intervals against numpy's (tests/fixtures/intervals/, made by its
# make_intervals.py), the stopping rule, disturbance with a hog on the machine
# (tests/hog.c), aggregates as libbenchmark computes them, the document's keys.
add_executable(hog hog.c)
set_target_properties(hog PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)

eb_add_c_test(test_rounds
  SOURCES test_rounds.c
  LIBS eb_runner eb_execbench_process
  TIMEOUT 300)
add_dependencies(test_rounds execbench hog)
# The hog test wants the CPUs to itself for its few seconds.
set_tests_properties(test_rounds.a_hog_on_the_machine_is_detected_and_its_rounds_redone
  PROPERTIES RUN_SERIAL TRUE)
