# Coroutines, their stack pool, the scheduler and the coroutine executor.
eb_add_c_test(test_coro
  SOURCES test_coro.c
  LIBS eb_coro)

eb_add_c_test(test_stack_pool
  SOURCES test_stack_pool.c
  LIBS eb_coro)

# SERIAL: overlap and CPU-versus-wall ratios, and 100,000 coroutines' memory.
eb_add_c_test(test_scheduler
  SOURCES test_scheduler.c
  LIBS eb_coro Threads::Threads
  SERIAL)

eb_add_c_test(test_coroutine_executor
  SOURCES test_coroutine_executor.c
  LIBS eb_job_fixture
  SERIAL)
