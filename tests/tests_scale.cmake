# Issue 16 (scale): the COPY stack mode and the up-front memory estimate.
# SERIAL: 100,000 parked coroutines and timer order under load.
eb_add_c_test(test_copy_stacks
  SOURCES test_copy_stacks.c
  LIBS eb_coro
  SERIAL)
