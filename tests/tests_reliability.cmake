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
# The OOM test makes an OOM kill; the SIGKILL tests expect none meanwhile
# (/proc/vmstat oom_kill is machine-wide): never at the same time.
set_tests_properties(
  test_faults.the_oom_killer_is_named
  test_faults.a_process_killed_by_sigkill_is_named_and_the_oom_killer_ruled_out
  test_faults.a_worker_killed_from_outside_is_named_and_the_run_goes_on
  PROPERTIES RESOURCE_LOCK vmstat_oom_kill)

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
  SOURCES test_cli_corpus.c
  LIBS eb_fuzz_cli)

# The cases a ThreadSanitizer build cannot run, each skipped (exit 77) with
# its reason through EB_TEST_SKIP (eb_test_main.c). Deferred to the end of the
# directory: the other parts' tests are defined after this file.
#   - a coroutine is a TSan fiber, and creating one costs ~0.7 ms and ~60 KiB
#     here (reused once finished, runner/coro/coro.c);
#   - TSan delivers a signal only when the thread next enters one of its
#     interceptors, on the stack running then.
set(EB_TSAN_SKIPS
  "test_scheduler.runs_100000_coroutines_at_once|100,000 live coroutines are 100,000 ThreadSanitizer fibers at ~0.7 ms and ~60 KiB each: minutes and ~6 GiB"
  "test_micro.memory_family_counts_live_units|its 100,000 live coroutines are 100,000 ThreadSanitizer fibers at ~0.7 ms and ~60 KiB each"
  "test_scheduler.timers_wake_in_deadline_order_never_early|asserts the thread slept after starting 64 coroutines within 5 ms, but each new coroutine is a ThreadSanitizer fiber costing ~0.7 ms"
  "test_scheduler.thousands_of_timers_with_ties_wake_in_order|asserts thousands of coroutines park before a deadline set for an uninstrumented start, but each new one is a ThreadSanitizer fiber costing ~0.7 ms"
  "test_scheduler.waits_overlap_and_the_thread_sleeps|asserts CPU under half the wall time, but ThreadSanitizer fiber creation (~0.7 ms each) is CPU"
  "test_coroutine_executor.sleeps_overlap|asserts over 100 waits overlap, but starting each coroutine (a new ThreadSanitizer fiber) takes ~0.7 ms, longer than the waits"
  "test_scheduler.signals_with_an_alternate_stack_are_not_delayed|ThreadSanitizer defers a signal to its next interceptor call and runs the handler on the stack running then, not on the alternate stack: the test's claim does not hold under it"
  "test_e2e.faults_are_contained_under_every_executor|its test.hang point needs the SIGUSR1 self-description, which ThreadSanitizer defers until the thread enters one of its interceptors: a task blocked in clock_nanosleep never does"
  "test_reactor.epoll_the_thread_sleeps_while_coroutines_wait_on_fds|asserts the thread's CPU under a quarter of ~150 ms of wall time, but its 51 coroutines are ThreadSanitizer fibers at ~0.7-1 ms of CPU each, 36-50 ms: at the threshold (seen failing at 47-49 ms)"
  "test_reactor.epoll_timerfd_the_thread_sleeps_while_coroutines_wait_on_fds|asserts the thread's CPU under a quarter of ~150 ms of wall time, but its 51 coroutines are ThreadSanitizer fibers at ~0.7-1 ms of CPU each, 36-50 ms: at the threshold (seen failing at 47-49 ms)"
  "test_reactor.io_uring_the_thread_sleeps_while_coroutines_wait_on_fds|asserts the thread's CPU under a quarter of ~150 ms of wall time, but its 51 coroutines are ThreadSanitizer fibers at ~0.7-1 ms of CPU each, 36-50 ms: at the threshold (seen failing at 47-49 ms)"
  "test_e2e.counts_agree_with_their_nouns_in_execbench_messages|its test.hang point's message needs the SIGUSR1 self-description, which ThreadSanitizer defers until the thread enters one of its interceptors: a task blocked in clock_nanosleep never does (it failed so on main too)"
  "test_output.disk_and_tmpdir_full_while_writing_print_the_results|ThreadSanitizer's runtime writes a scratch file into TMPDIR when a program starts, which fills the full TMPDIR before execbench runs"
)
function(eb_tsan_skip_cases)
  foreach(entry ${EB_TSAN_SKIPS})
    string(FIND "${entry}" "|" bar)
    string(SUBSTRING "${entry}" 0 ${bar} name)
    math(EXPR start "${bar} + 1")
    string(SUBSTRING "${entry}" ${start} -1 reason)
    if(NOT TEST ${name})
      message(FATAL_ERROR "EB_TSAN_SKIPS names ${name}, which is no test")
    endif()
    set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT "EB_TEST_SKIP=ThreadSanitizer: ${reason}")
  endforeach()
endfunction()
if(EXECBENCH_SANITIZE MATCHES "thread")
  cmake_language(DEFER CALL eb_tsan_skip_cases)
endif()
