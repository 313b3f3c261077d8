# execbench — the front door.
#   make            build everything into build/
#   make test       install what is missing, build with -Werror, run every test (ctest)
#   make test MPI=1 the same, with Open MPI installed first (the mpi executor; without
#                   it the executor is absent and its tests skip, each saying why)
#   make test SANITIZE=address,undefined   the same in build-address-undefined/ with sanitizers
#   make test-sanitize                     shorthand for the line above
#   make bench      build and run the suite (preset default + execbench-micro), results in
#                   results/; PRESET=quick and BENCH_ARGS="--repetitions 3" change it
#   make plot       charts from results/latest.json into results/latest/ (RESULTS=file.json,
#                   CHARTS=folder); make bench draws only a document its run wrote
#   make fuzz       build the libFuzzer targets with clang and run each FUZZ_SECONDS (60)
#                   from its committed corpus (fuzz_cli, fuzz_results_doc)
#   make memcheck   valgrind memcheck of one quick run, every process (build-memcheck/)
#   make soak       the quick preset SOAK_RUNS (20) times: same points, no fd, RSS
#                   or /tmp growth (tools/soak.sh)
#   make check-deep everything above that checks: test, both sanitizer builds,
#                   memcheck, soak, and fuzz for DEEP_FUZZ_SECONDS (300) per target
#   make install    build, then install under PREFIX (/usr/local): the programs,
#                   execbench-plot, man pages (cmake --install; DESTDIR works too)
#   make package    build, then a Debian package in $(BUILD)/: execbench_<version>_<arch>.deb
#                   (CPack; its dependencies from dpkg-shlibdeps)
#   make clean      remove the build folders
SHELL := /bin/bash
SANITIZE ?=
BUILD_TYPE ?= Release
WERROR ?= ON
CMAKE_ARGS ?=
ifeq ($(SANITIZE),)
BUILD ?= build
else
BUILD ?= build-$(subst $(comma),-,$(SANITIZE))
endif
comma := ,
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PRESET ?= default
BENCH_ARGS ?=
RESULTS ?= results/latest.json
# where make plot (tools/plot.py --out) puts the charts of $(RESULTS), and their names
CHARTS ?= $(basename $(RESULTS))
CHART_FILES = $(foreach f,overview scaling overheads scale,$(CHARTS)/$(f).png $(CHARTS)/$(f).svg)
PLOT_ARGS ?=
FUZZ_SECONDS ?= 60
DEEP_FUZZ_SECONDS ?= 300
SOAK_RUNS ?= 20
PREFIX ?= /usr/local

.PHONY: all build deps test test-sanitize bench micro plot fuzz fuzz-build memcheck soak \
    check-deep install package clean

all: build

deps:
	@tools/install-deps.sh build $(if $(filter 1 ON on yes,$(MPI)),mpi)

# With MPI=1 Open MPI may have been installed since the build folder was
# configured: forget what an earlier configure did not find, so it is searched again.
MPI_RESEARCH = $(if $(filter 1 ON on yes,$(MPI)),-U 'MPI_*')

build: deps
	@mkdir -p $(BUILD)
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DEXECBENCH_WERROR=$(WERROR) \
	    -DEXECBENCH_SANITIZE=$(SANITIZE) $(MPI_RESEARCH) $(CMAKE_ARGS) >$(BUILD)/configure.log 2>&1 \
	    || { cat $(BUILD)/configure.log; exit 1; }
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@tools/install-deps.sh plot lint
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-sanitize:
	@$(MAKE) --no-print-directory test SANITIZE=address,undefined

# The runner's status is make bench's. The charts are drawn only from a
# document this run wrote: the runner replaces $(RESULTS) by a rename, so its
# device, inode and mtime change; compared before and after, they tell this
# run's document from an earlier one (however coarse the clock). When this run
# wrote none (exit 2: a bad flag), the charts are left as they are and a line
# says they are not this run's; when plot.py cannot draw it (every point
# failed), its message shows and the earlier run's charts are removed, since
# they no longer match $(RESULTS). An interrupted run (130, 143) draws nothing.
bench: build
	@mkdir -p results
	@id() { stat -L -c '%d %i %y' "$(RESULTS)" 2>/dev/null; }; \
	before=$$(id); status=0; \
	$(BUILD)/execbench --preset $(PRESET) --micro $(BENCH_ARGS) || status=$$?; \
	after=$$(id); \
	if [ $$status -eq 130 ] || [ $$status -eq 143 ]; then exit $$status; fi; \
	if [ -z "$$after" ] || [ "$$after" = "$$before" ]; then \
	    echo "make bench: this run wrote no $(RESULTS) (execbench exit $$status), so no charts were drawn; any in $(CHARTS)/ are an earlier run's (with --out in BENCH_ARGS, draw that file: make plot RESULTS=FILE)" >&2; \
	elif ! $(MAKE) --no-print-directory plot; then \
	    rm -f $(CHART_FILES); \
	    echo "make bench: this run's $(RESULTS) could not be drawn (see above), so the earlier run's charts were removed from $(CHARTS)/; draw an earlier document with make plot RESULTS=FILE" >&2; \
	fi; \
	exit $$status

# The python3 first on PATH may lack Debian's python3-matplotlib (a pyenv, a
# venv): tools/find-python.sh picks an interpreter that can import it. plot.py
# draws the figures execbench-compare gives it (this build's).
plot:
	@tools/install-deps.sh plot
	@py=$$(tools/find-python.sh matplotlib) || { echo "make plot: no Python 3 here can import matplotlib; install python3-matplotlib (tools/install-deps.sh plot) or set PYTHON=/path/to/python3" >&2; exit 1; }; \
	test -f "$(RESULTS)" || { echo "make plot: $(RESULTS) not found; run make bench first, or make plot RESULTS=file.json" >&2; exit 1; }; \
	"$$py" tools/plot.py --compare $(BUILD)/execbench-compare --out "$(CHARTS)" $(PLOT_ARGS) "$(RESULTS)"

# libFuzzer needs clang; the targets build in build-fuzz/ with ASan + UBSan and
# run from the committed corpus for FUZZ_SECONDS each, new inputs going to
# fuzz-out/<target>/ (ignored by git); a finding stops with its input in
# fuzz-out/<target>/artifacts/.
#   fuzz_cli          the command line: flags, --param, plans, presets (runner/plan/fuzz/)
#   fuzz_results_doc  the results reader shared with execbench-compare (tools/compare/fuzz/)
FUZZ_FLAGS = -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
CLI_CORPUS = runner/plan/fuzz/corpus/seeds runner/plan/fuzz/corpus/fuzzed \
    runner/plan/fuzz/corpus/regressions
DOC_CORPUS = tools/compare/fuzz/corpus/seeds tools/compare/fuzz/corpus/mutated \
    tools/compare/fuzz/corpus/truncated tools/compare/fuzz/corpus/json \
    tools/compare/fuzz/corpus/regressions tools/compare/fuzz/corpus/fuzzed

fuzz: fuzz-build
	@mkdir -p fuzz-out/cli/corpus fuzz-out/cli/artifacts fuzz-out/results_doc/corpus \
	    fuzz-out/results_doc/artifacts
	build-fuzz/fuzz_cli $(FUZZ_FLAGS) -dict=runner/plan/fuzz/cli.dict \
	    -artifact_prefix=fuzz-out/cli/artifacts/ fuzz-out/cli/corpus $(CLI_CORPUS)
	build-fuzz/fuzz_results_doc $(FUZZ_FLAGS) -artifact_prefix=fuzz-out/results_doc/artifacts/ \
	    fuzz-out/results_doc/corpus $(DOC_CORPUS)

fuzz-build:
	@tools/install-deps.sh build fuzz
	@mkdir -p build-fuzz
	@CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DEXECBENCH_FUZZ=ON -DEXECBENCH_SANITIZE=address,undefined $(CMAKE_ARGS) \
	    >build-fuzz/configure.log 2>&1 || { cat build-fuzz/configure.log; exit 1; }
	@cmake --build build-fuzz -j $(JOBS) --target fuzz_cli fuzz_results_doc

# valgrind needs its own build: RelWithDebInfo for line numbers, and configured
# after valgrind's headers are installed (coroutine stacks are registered).
memcheck:
	@tools/install-deps.sh build check
	@mkdir -p build-memcheck
	@cmake -S . -B build-memcheck -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEXECBENCH_WERROR=$(WERROR) \
	    $(CMAKE_ARGS) >build-memcheck/configure.log 2>&1 || { cat build-memcheck/configure.log; exit 1; }
	@cmake --build build-memcheck -j $(JOBS) --target execbench
	tools/memcheck.sh build-memcheck

soak: build
	tools/soak.sh $(BUILD) $(SOAK_RUNS)

check-deep:
	$(MAKE) --no-print-directory test
	$(MAKE) --no-print-directory test SANITIZE=address,undefined
	$(MAKE) --no-print-directory test SANITIZE=thread
	$(MAKE) --no-print-directory memcheck
	$(MAKE) --no-print-directory soak
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(DEEP_FUZZ_SECONDS)

# The man pages are part of the build (help2man is in install-deps.sh's build
# group); the package's dependencies come from dpkg-shlibdeps (dpkg-dev).
install: build
	cmake --install $(BUILD) --prefix "$(PREFIX)"

package: build
	@tools/install-deps.sh package
	cd $(BUILD) && cpack -G DEB
	@ls $(BUILD)/execbench_*.deb

clean:
	rm -rf build build-*
