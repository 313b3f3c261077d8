# Issue 16 (scale): the COPY stack mode and the up-front memory estimate.
# SERIAL: 100,000 parked coroutines and timer order under load.
eb_add_c_test(test_copy_stacks
  SOURCES test_copy_stacks.c
  LIBS eb_coro
  SERIAL)

# The up-front memory estimate (runner/core/memory_fit.c, memory_available.c).
eb_add_c_test(test_memory_fit
  SOURCES test_memory_fit.c
  LIBS eb_core eb_coro eb_reliability_support)
add_dependencies(test_memory_fit execbench)
# The cgroup case makes an OOM kill: not while other tests count them.
set_tests_properties(test_memory_fit.in_a_memory_cgroup_the_verdicts_match_what_happens
  PROPERTIES RESOURCE_LOCK vmstat_oom_kill)

# The document's keys on coroutine stacks, what each run found kept, and the
# up-front memory estimate, from build/execbench (runner/point, runner/run.c).
eb_add_c_test(test_scale_keys
  SOURCES test_scale_keys.c
  LIBS eb_reliability_support)
add_dependencies(test_scale_keys execbench)
