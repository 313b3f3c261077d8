# Installation (cmake --install, make install PREFIX=..., and the .deb of
# cmake/package.cmake), in GNUInstallDirs' places:
#   bin/        execbench, execbench-micro, execbench-compare, execbench-httpd,
#               execbench-plot (tools/plot.py)
#   libexec/execbench/  execbench-spawn-target (run by execbench-micro, typed by no one)
#   share/man/man1/     a page per command, made from its --help by help2man
#   share/doc/execbench/  README.md, the results format
# Every program finds the others from its own path (lib/base/helpers.h) and
# execbench-plot finds execbench-compare beside itself: no source tree needed.

install(TARGETS execbench execbench-micro execbench-compare execbench-httpd
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS execbench-spawn-target
        RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/execbench)

# The plot command: tools/plot.py with the interpreter that has matplotlib.
set(EXECBENCH_PLOT_PYTHON "/usr/bin/python3" CACHE STRING
    "The Python 3 (with matplotlib) the installed execbench-plot runs with")
set(EB_PLOT_SCRIPT ${CMAKE_BINARY_DIR}/execbench-plot)
add_custom_command(OUTPUT ${EB_PLOT_SCRIPT}
  COMMAND ${CMAKE_COMMAND} -DIN=${CMAKE_SOURCE_DIR}/tools/plot.py -DOUT=${EB_PLOT_SCRIPT}
          -DPYTHON=${EXECBENCH_PLOT_PYTHON} -P ${CMAKE_SOURCE_DIR}/cmake/plot_script.cmake
  DEPENDS ${CMAKE_SOURCE_DIR}/tools/plot.py ${CMAKE_SOURCE_DIR}/cmake/plot_script.cmake
  COMMENT "" VERBATIM)
add_custom_target(eb_plot_script ALL DEPENDS ${EB_PLOT_SCRIPT})
install(PROGRAMS ${EB_PLOT_SCRIPT} DESTINATION ${CMAKE_INSTALL_BINDIR})

install(FILES README.md docs/results-format.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Man pages from --help (Debian: help2man, tools/install-deps.sh package).
# Without help2man the build says so once and installs none; make install
# and make package install it first.
find_program(HELP2MAN help2man)
find_program(GZIP gzip)
if(HELP2MAN AND GZIP)
  set(EB_MAN_DIR ${CMAKE_BINARY_DIR}/man)
  set(EB_MAN_PAGES)
  # command | its target (what must be built first) | help2man --name
  foreach(page
      "execbench|execbench|run workloads under executors and write a Google Benchmark JSON document"
      "execbench-micro|execbench-micro|the costs behind execbench's results, each beside its floor"
      "execbench-compare|execbench-compare|summaries, diffs, trends and dashboard exports of results documents"
      "execbench-httpd|execbench-httpd|the loopback HTTP/1.1 server of execbench, on its own"
      "execbench-plot|eb_plot_script|charts from execbench results documents")
    string(REPLACE "|" ";" fields "${page}")
    list(GET fields 0 cmd)
    list(GET fields 1 target)
    list(GET fields 2 name)
    if(cmd STREQUAL "execbench-plot")
      set(program ${EB_PLOT_SCRIPT})
    else()
      set(program $<TARGET_FILE:${target}>)
    endif()
    # help2man asks --version of the programs that have it; the others (the
    # server, the script) are given the project's version.
    set(version_flag)
    if(cmd STREQUAL "execbench-httpd" OR cmd STREQUAL "execbench-plot")
      set(version_flag --version-string=${PROJECT_VERSION})
    endif()
    set(out ${EB_MAN_DIR}/${cmd}.1)
    add_custom_command(OUTPUT ${out}.gz
      COMMAND ${CMAKE_COMMAND} -E make_directory ${EB_MAN_DIR}
      COMMAND ${CMAKE_COMMAND} -E env NO_COLOR=1 ${HELP2MAN} --no-info --no-discard-stderr
              --name=${name} ${version_flag} --output=${out} ${program}
      COMMAND ${GZIP} -9nf ${out}
      DEPENDS ${target} ${program}
      COMMENT "" VERBATIM)
    list(APPEND EB_MAN_PAGES ${out}.gz)
  endforeach()
  add_custom_target(eb_man_pages ALL DEPENDS ${EB_MAN_PAGES})
  install(FILES ${EB_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man pages (tools/install-deps.sh package installs it)")
endif()
