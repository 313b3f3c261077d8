# execbench-compare and tools/plot.py: statistics, the reader, the command line
# against golden files and every bad-input class, a hostile-input corpus, plots.
eb_add_c_test(test_compare_stats
  SOURCES test_compare_stats.c
  LIBS eb_compare)

eb_add_c_test(test_results_doc
  SOURCES test_results_doc.c
  LIBS eb_results)

# The command line runs the built program; ctest must build it first.
add_library(eb_compare_run STATIC compare_run.c)
target_link_libraries(eb_compare_run PUBLIC eb_test_main util)

eb_add_c_test(test_compare_cli
  SOURCES test_compare_cli.c
  LIBS eb_compare_run)
add_dependencies(test_compare_cli execbench-compare)

# Hostile input: every file of the committed corpus, each run checked.
eb_add_c_test(test_compare_corpus
  SOURCES test_compare_corpus.c
  LIBS eb_compare_run
  TIMEOUT 600)
add_dependencies(test_compare_corpus execbench-compare)

