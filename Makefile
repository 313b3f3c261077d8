# execbench — the front door.
#   make            build everything into build/
#   make test       install what is missing, build with -Werror, run every test (ctest)
#   make test SANITIZE=address,undefined   the same in build-address,undefined/ with sanitizers
#   make test-sanitize                     shorthand for the line above
#   make bench      build and run the suite (preset default + execbench-micro), results in
#                   results/; PRESET=quick and BENCH_ARGS="--repetitions 3" change it
#   make plot       charts from results/latest.json into results/latest/
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

.PHONY: all build deps test test-sanitize bench micro plot clean

all: build

deps:
	@tools/install-deps.sh build

build: deps
	@mkdir -p $(BUILD)
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DEXECBENCH_WERROR=$(WERROR) \
	    -DEXECBENCH_SANITIZE=$(SANITIZE) $(CMAKE_ARGS) >$(BUILD)/configure.log 2>&1 \
	    || { cat $(BUILD)/configure.log; exit 1; }
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@tools/install-deps.sh plot
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-sanitize:
	@$(MAKE) --no-print-directory test SANITIZE=address,undefined

# The runner's status is make bench's; the plot follows when that target can run.
bench: build
	@mkdir -p results
	@status=0; $(BUILD)/execbench --preset $(PRESET) --micro $(BENCH_ARGS) || status=$$?; \
	if [ $$status -ne 130 ] && [ $$status -ne 143 ]; then \
	    $(MAKE) --no-print-directory plot 2>/dev/null || true; fi; \
	exit $$status

plot:
	@tools/install-deps.sh plot
	@echo "make plot: not yet available"

clean:
	rm -rf build build-*
