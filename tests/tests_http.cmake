# net.http through the runner (issue 14): every executor and keepalive mode,
# the server's faults as error rows, 10,000 concurrent connections, a
# connection per request for 100,000 requests, file-descriptor limits, the
# server's settings; each under the epoll and the io_uring reactor.
eb_add_c_test(test_net_http
  SOURCES test_net_http.c
  LIBS eb_reliability_support eb_net_fixture eb_wait
  TIMEOUT 300)
add_dependencies(test_net_http execbench)
# 10,000 connections, or 100,000 in a row: alone, so the fds, the ports and
# the CPU are theirs.
set_tests_properties(
  test_net_http.epoll_ten_thousand_concurrent_keepalive_connections_complete_without_an_error_row
  test_net_http.io_uring_ten_thousand_concurrent_keepalive_connections_complete_without_an_error_row
  test_net_http.epoll_a_connection_per_request_survives_100000_requests
  test_net_http.io_uring_a_connection_per_request_survives_100000_requests
  PROPERTIES RUN_SERIAL TRUE)
if(EXECBENCH_SANITIZE MATCHES "thread")
  set_property(TEST
    test_net_http.epoll_ten_thousand_concurrent_keepalive_connections_complete_without_an_error_row
    test_net_http.io_uring_ten_thousand_concurrent_keepalive_connections_complete_without_an_error_row
    APPEND PROPERTY ENVIRONMENT "EB_TEST_SKIP=ThreadSanitizer: 10,000 live coroutines are \
10,000 fibers, beyond its limit of 8,128 threads")
endif()

# tools/wrk-httpd.sh, the outside reference: wrk against execbench-httpd
# says its requests per second and the server's CPU per request (skipped
# where wrk is not installed: tools/install-deps.sh wrk).
add_test(NAME wrk_httpd.reports_requests_per_second_and_the_servers_cpu
  COMMAND sh -c "command -v wrk >/dev/null || { echo 'skipped: wrk is not installed (tools/install-deps.sh wrk)' >&2; exit 77; }; out=$(${CMAKE_SOURCE_DIR}/tools/wrk-httpd.sh --build ${CMAKE_BINARY_DIR} -d 1 -c 10) || exit 1; echo \"$out\"; echo \"$out\" | grep -q '^requests/s: [1-9]' && echo \"$out\" | grep -q '^server CPU per request: [0-9.]* us'")
set_tests_properties(wrk_httpd.reports_requests_per_second_and_the_servers_cpu PROPERTIES
  SKIP_RETURN_CODE 77 TIMEOUT 60)

# tools/net-floor.sh, the floor under net.http (test_net_floor.sh says what
# each case checks).
foreach(case shapes wrong_body)
  add_test(NAME test_net_floor.${case} COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_net_floor.sh ${case})
  set_tests_properties(test_net_floor.${case} PROPERTIES TIMEOUT 60
    ENVIRONMENT "EB_SOURCE_DIR=${CMAKE_SOURCE_DIR};EB_BUILD_DIR=${CMAKE_BINARY_DIR}")
endforeach()
