# Real network I/O (issue 14): the histogram, eb_wait_fd, the loopback
# server and the HTTP client, the coroutine scheduler's reactors.
add_library(eb_net_fixture STATIC net_fixture.c)
target_link_libraries(eb_net_fixture PUBLIC eb_net_server eb_coro eb_test_main)

eb_add_c_test(test_hist
  SOURCES test_hist.c
  LIBS eb_hist)

eb_add_c_test(test_wait_fd
  SOURCES test_wait_fd.c
  LIBS eb_workloads Threads::Threads)

eb_add_c_test(test_net_server
  SOURCES test_net_server.c
  LIBS eb_net_fixture eb_workloads)

eb_add_c_test(test_net_client
  SOURCES test_net_client.c
  LIBS eb_net_fixture eb_net_client Threads::Threads)

eb_add_c_test(test_reactor
  SOURCES test_reactor.c
  LIBS eb_coro eb_net_server)

eb_add_c_test(test_net_coro
  SOURCES test_net_coro.c
  LIBS eb_net_fixture eb_net_client eb_coro)
# 10,000 connections each: alone, so the fds and the CPU are theirs.
set_tests_properties(test_net_coro.epoll_ten_thousand_concurrent_keepalive_connections_complete
  test_net_coro.io_uring_ten_thousand_concurrent_keepalive_connections_complete
  PROPERTIES RUN_SERIAL TRUE)
if(EXECBENCH_SANITIZE MATCHES "thread")
  set_property(TEST test_net_coro.epoll_ten_thousand_concurrent_keepalive_connections_complete
    test_net_coro.io_uring_ten_thousand_concurrent_keepalive_connections_complete
    APPEND PROPERTY ENVIRONMENT "EB_TEST_SKIP=ThreadSanitizer: 10,000 live coroutines are \
10,000 fibers, beyond its limit of 8,128 threads")
endif()

# epoll against io_uring against blocking threads, side by side (a figure,
# not a test: the smoke run below only keeps it working).
add_executable(net_reactor_bench net_reactor_bench.c)
target_link_libraries(net_reactor_bench PRIVATE eb_net_server eb_net_client eb_coro)
set_target_properties(net_reactor_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
add_test(NAME net_reactor_bench.runs COMMAND net_reactor_bench --coros 20 --requests 20 --threads 4)
