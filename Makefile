# exitprobe: top-level build. Each component keeps its rules in its own
# fragment; this file only ties them together.
#
#   make            build the probe kernel and the host-side tools
#   make run        boot the probe under QEMU and print its serial log
#   make test       everything CI runs (see README.md)
#   make e2e        the long end-to-end runs (Bochs + nested KVM)
#   make bench      speed measurements (never asserted in tests)

.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD := build
# Caches that outlive `make clean` and a fresh checkout (kernel trees,
# downloaded .debs, built L1 kernels), keyed by version inside.
CACHE ?= $(HOME)/.cache/exitprobe

# Fragments append to these.
ALL_TARGETS :=
TEST_SUITES :=
BENCH_TARGETS :=
E2E_TARGETS :=

include $(wildcard probe-os/probe.mk)
include $(wildcard host-patch/host-patch.mk)
include $(wildcard scripts/probe-log/probe-log.mk)
include $(wildcard tests/e2e/e2e.mk)
include $(wildcard exitstat/exitstat.mk)
include $(wildcard vmx-caps/vmx-caps.mk)

.PHONY: all test bench e2e clean deps
all: $(ALL_TARGETS)

test:
	@scripts/run-tests $(TEST_SUITES)

bench: $(BENCH_TARGETS)
e2e: $(E2E_TARGETS)

clean:
	rm -rf $(BUILD)

# Tests of the shared helper scripts (run-tests, ensure-deps, kernel-tree,
# bochs-run).
TEST_SUITES := test-scripts $(TEST_SUITES)
.PHONY: test-scripts
test-scripts:
	tests/scripts/run
