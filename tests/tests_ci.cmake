# Issue 17: a team's CI. The gate script, trend, export and plot.py trend on
# kept runner output (tests/fixtures/ci/), the orders of trend, and an
# installation that works without the source tree.
eb_add_c_test(test_trend_order
  SOURCES test_trend_order.c
  LIBS eb_compare)

foreach(case
    gate_passes_two_equal_runs
    gate_fails_a_slowdown_saying_why
    gate_fails_a_point_that_became_an_error_row
    gate_skips_without_base_results
    gate_writes_the_job_summary
    trend_flags_the_slowed_point_once
    trend_flags_no_single_odd_run
    trend_orders_by_date_not_by_name
    trend_counts_a_copy_once
    trend_orders_by_revision_in_the_history
    export_has_one_series_per_point_and_ratio
    export_refuses_an_interrupted_run)
  add_test(NAME test_ci.${case} COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_ci.sh ${case})
  set_tests_properties(test_ci.${case} PROPERTIES
    TIMEOUT 120 SKIP_RETURN_CODE 77
    ENVIRONMENT "EB_SOURCE_DIR=${CMAKE_SOURCE_DIR};EB_BUILD_DIR=${CMAKE_BINARY_DIR}")
endforeach()

# tools/plot.py trend over the same ten runs (skipped without matplotlib).
add_test(NAME test_plot.trend COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_plot.sh trend)
set_tests_properties(test_plot.trend PROPERTIES
  TIMEOUT 120 SKIP_RETURN_CODE 77
  ENVIRONMENT "EB_SOURCE_DIR=${CMAKE_SOURCE_DIR};EB_BUILD_DIR=${CMAKE_BINARY_DIR}")

# cmake --install into a scratch prefix: the commands run the quick preset
# from a folder outside the source tree, find their helpers (execbench-micro,
# the spawn target in libexec/) and each other, and have man pages.
add_test(NAME install.installed_commands_work_outside_the_source_tree
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_install.sh)
set_tests_properties(install.installed_commands_work_outside_the_source_tree PROPERTIES
  TIMEOUT 300 SKIP_RETURN_CODE 77
  ENVIRONMENT "EB_SOURCE_DIR=${CMAKE_SOURCE_DIR};EB_BUILD_DIR=${CMAKE_BINARY_DIR}")
