# execbench-compare and tools/plot.py: statistics, the reader, the command line
# against golden files and every bad-input class, a hostile-input corpus, plots.
eb_add_c_test(test_compare_stats
  SOURCES test_compare_stats.c
  LIBS eb_results)

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

# What the reports say: plan documents, marks beyond a bound, interrupted runs,
# numeric columns, singular and plural.
eb_add_c_test(test_compare_reports
  SOURCES test_compare_reports.c
  LIBS eb_compare_run PkgConfig::JANSSON)
add_dependencies(test_compare_reports execbench-compare)

# Hostile input: every file of the committed corpus, each run checked.
eb_add_c_test(test_compare_corpus
  SOURCES test_compare_corpus.c
  LIBS eb_compare_run
  TIMEOUT 600)
add_dependencies(test_compare_corpus execbench-compare)

# tools/plot.py: skipped (exit 77) where no Python 3 has matplotlib.
foreach(case figures plain bad bound interrupted limit scale)
  add_test(NAME test_plot.${case} COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_plot.sh ${case})
  set_tests_properties(test_plot.${case} PROPERTIES
    TIMEOUT 120 SKIP_RETURN_CODE 77
    ENVIRONMENT "EB_SOURCE_DIR=${CMAKE_SOURCE_DIR};EB_BUILD_DIR=${CMAKE_BINARY_DIR}")
endforeach()

# The U test against scipy itself (what compare.py calls): skipped without scipy.
add_test(NAME test_compare_scipy.utest_matches_scipy
  COMMAND sh -c "py=$(${CMAKE_SOURCE_DIR}/tools/find-python.sh scipy) || { echo 'skipped: no Python 3 with scipy' >&2; exit 77; }; exec \"$py\" ${CMAKE_CURRENT_SOURCE_DIR}/check_utest_scipy.py ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR}")
set_tests_properties(test_compare_scipy.utest_matches_scipy PROPERTIES
  TIMEOUT 120 SKIP_RETURN_CODE 77)

# A figure beyond its physical bound (lib/report/bound.h): the rule, the
# causes, and the runner's console table marking it.
eb_add_c_test(test_bound
  SOURCES test_bound.c
  LIBS eb_runner)

# What build/execbench writes (a plan from flags, an interrupted run, --repeat-run)
# through execbench-compare summary and diff and tools/plot.py.
eb_add_c_test(test_compare_workflow
  SOURCES test_compare_workflow.c
  LIBS eb_execbench_process)
add_dependencies(test_compare_workflow execbench execbench-compare)
