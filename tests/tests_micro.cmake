# execbench-micro: each family verifies its work when run from the real binary.
# SERIAL: the families start threads and processes, pin, and sleep.
eb_add_c_test(test_micro
  SOURCES test_micro.c
  LIBS eb_micro PkgConfig::JANSSON
  SERIAL)
add_dependencies(test_micro execbench-micro execbench-spawn-target)
