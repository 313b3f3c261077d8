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
  LIBS eb_job_fixture eb_execbench_process eb_runner)
add_dependencies(test_e2e execbench execbench-micro)

# Progress: its pieces, and build/execbench on a pseudo-terminal and a pipe.
eb_add_c_test(test_progress
  SOURCES test_progress.c
  LIBS eb_runner eb_execbench_process)
add_dependencies(test_progress execbench)

# Behaviour unchanged: build/execbench --preset quick writes a document of
# the shape of one the runner wrote before the results library took over
# (kept from commit 6a6026b): its rows, keys in the same order, the same
# value types; rows of what was added since (a workload, an executor, GIL
# points) may stand between them, with at least the keys of their kind
# (tests/check_doc_shape.py). New keys of the kept rows are additions: the
# kept document grows by them only through tests/fixtures/extend_kept_document.py,
# which refuses any other change (issue 13 added the rounds' keys so).
add_test(NAME results.the_quick_preset_document_keeps_its_names_keys_and_types
  COMMAND sh -c "py=$(${CMAKE_SOURCE_DIR}/tools/find-python.sh json) || { echo 'skipped: no Python 3' >&2; exit 77; }; d=$(mktemp -d /tmp/eb_shape_XXXXXX) && ${CMAKE_BINARY_DIR}/execbench --preset quick --quiet --out $d/quick.json && \"$py\" ${CMAKE_CURRENT_SOURCE_DIR}/check_doc_shape.py ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/quick-preset-6a6026b.json $d/quick.json; rc=$?; rm -rf $d; exit $rc")
set_tests_properties(results.the_quick_preset_document_keeps_its_names_keys_and_types PROPERTIES
  TIMEOUT 300 SKIP_RETURN_CODE 77)
