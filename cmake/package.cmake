# make package: a Debian package of what cmake/install.cmake installs, under
# /usr (CPack's DEB generator). Its dependencies are the Debian packages of
# the shared libraries the programs link, as dpkg-shlibdeps derives them from
# the binaries (libhwloc15, libjansson4, libbenchmark1debian, libboost-context1.74.0,
# liburing2, libevent-2.1-7, ...: dpkg-dev provides it, tools/install-deps.sh
# package installs it), and what the plot command runs with:
# python3-matplotlib.
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "execbench")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "execbench <execbench@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "which execution model wins: threads, coroutines, processes, measured")
# The summary is the first line of the package's description; this, the rest.
set(CPACK_PACKAGE_DESCRIPTION "execbench runs CPU-bound and I/O-bound work under sequential, \
threaded, coroutine and multiprocess executors, each worker pinned through hwloc, and writes \
Google Benchmark JSON; execbench-compare summarises, diffs, trends and exports it for \
dashboards, execbench-plot draws it.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # execbench_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3, python3-matplotlib")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "man-db")
# The package holds what the programs need and nothing of the build tree.
set(CPACK_STRIP_FILES ON)
include(CPack)
