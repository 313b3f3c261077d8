# Reliability (issue 7): resource limits met for real, faults during a run,
# unwritable and full outputs, repeated runs; the fuzz corpora replayed.
add_library(eb_reliability_support STATIC sandbox.c doc_check.c)
target_link_libraries(eb_reliability_support PUBLIC eb_execbench_process)

eb_add_c_test(test_limits
  SOURCES test_limits.c
  LIBS eb_reliability_support eb_runner)
add_dependencies(test_limits execbench)

eb_add_c_test(test_faults
  SOURCES test_faults.c
  LIBS eb_reliability_support)
add_dependencies(test_faults execbench)

eb_add_c_test(test_output
  SOURCES test_output.c
  LIBS eb_reliability_support)
add_dependencies(test_output execbench)

eb_add_c_test(test_repeat_run
  SOURCES test_repeat_run.c
  LIBS eb_reliability_support)
add_dependencies(test_repeat_run execbench)

# The command-line fuzz target's corpus, replayed without libFuzzer.
eb_add_c_test(test_cli_corpus
  SOURCES test_cli_corpus.c ${CMAKE_SOURCE_DIR}/runner/fuzz/fuzz_cli.c
  LIBS eb_runner)
target_include_directories(test_cli_corpus PRIVATE ${CMAKE_SOURCE_DIR}/runner)
