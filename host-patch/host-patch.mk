# host-patch: the KVM (VMX) exit-statistics patch series, its userspace
# unit tests, and patched kvm.ko/kvm-intel.ko for installed Debian kernels.
#
#   make host-modules [KVER=6.1.0-56-amd64]   build/host/KVER/kvm{,-intel}.ko
#   make host-dkms-src                        build/dkms/exitprobe-kvm-VER/
#   make test-host-patch-unit                 logic file against shims
#   make test-host-patch-series               apply + checkpatch + SDM table
#   make test-host-modules                    module builds for 6.1 and 6.12
#   make test-host-kvm-swap                   kvm-swap decisions, fake sysfs
#   make test-host-dkms                       dkms add/build/install/remove
#   make bench-host-modules                   time both module builds
#   make check-host-patch-bisect              every series prefix builds (slow)

HP_BUILD := $(BUILD)/host-patch
HP_SRC := host-patch/src/exit_stats.c host-patch/src/exit_stats.h
HP_SHIM_SRC := $(wildcard tests/host-patch/shim/*.c)
HP_SHIM := $(HP_SHIM_SRC) $(wildcard tests/host-patch/shim/*/*.h)
HP_UNIT_DEPS := tests/host-patch/unit.c $(HP_SRC) $(HP_SHIM) \
	common/sdm-exit-reasons.def common/vmx-controls.def common/exitprobe-abi.h
HP_CFLAGS := -O2 -g -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
	-Itests/host-patch/shim -pthread
HP_LINES := 6.1 6.12
# The scripts keep their downloads and trees under $(CACHE).
HP_ENV := CACHE='$(CACHE)'

ALL_TARGETS += $(HP_BUILD)/unit
TEST_SUITES += test-host-patch-unit test-host-patch-series test-host-modules \
	test-host-kvm-swap test-host-dkms
BENCH_TARGETS += bench-host-modules bench-exit-path-code

$(HP_BUILD)/unit: $(HP_UNIT_DEPS)
	@mkdir -p $(@D)
	$(CC) $(HP_CFLAGS) -o $@ $< $(HP_SHIM_SRC)

# The same tests with AddressSanitizer and UBSan (bounds, overflow, UB);
# that binary leaves the exhaustive 2^32 ecx sweep to the plain one (both
# run the sampled sweep).
$(HP_BUILD)/unit-san: $(HP_UNIT_DEPS)
	@mkdir -p $(@D)
	$(CC) $(HP_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(HP_SHIM_SRC)

.PHONY: host-modules host-dkms-src test-host-patch-unit test-host-patch-series \
	test-host-modules test-host-kvm-swap test-host-dkms bench-host-modules \
	check-host-patch-bisect

host-modules:
	@$(HP_ENV) scripts/host-modules $(KVER)

test-host-patch-unit: $(HP_BUILD)/unit $(HP_BUILD)/unit-san
	@$(HP_BUILD)/unit
	@$(HP_BUILD)/unit-san --quick | sed 's/^\(PASS\|FAIL\|SKIP\): /\1: asan-ubsan-/'; \
		exit $${PIPESTATUS[0]}

test-host-patch-series:
	@scripts/ensure-deps patch git perl python3
	@$(HP_ENV) tests/host-patch/check-series $(HP_LINES)

test-host-modules:
	@$(HP_ENV) tests/host-patch/check-modules $(HP_LINES)

test-host-kvm-swap:
	@$(HP_ENV) tests/host-patch/check-kvm-swap

check-host-patch-bisect:
	@$(HP_ENV) tests/host-patch/check-bisect $(HP_LINES)

test-host-dkms:
	@$(HP_ENV) tests/host-patch/check-dkms

# A full build from the cached headers and tree (build dir removed), then a
# rebuild with nothing changed.
bench-host-modules:
	@mkdir -p $(HP_BUILD)
	@for line in $(HP_LINES); do \
		kver=$$($(HP_ENV) scripts/host-modules --kver-for $$line) || exit 1; \
		rm -rf $(BUILD)/host/$$kver/src; \
		for kind in full-build rebuild; do \
			start=$$(date +%s.%N); \
			$(HP_ENV) nice -n 10 scripts/host-modules $$kver >$(HP_BUILD)/bench-$$kver.log 2>&1 || \
				{ echo "bench-host-modules: $$kver failed, see $(HP_BUILD)/bench-$$kver.log"; exit 1; }; \
			end=$$(date +%s.%N); \
			echo "bench-host-modules: $$kver: $$kind $$(echo "$$end - $$start" | bc) s wall, $$(nproc) CPUs, JOBS=$${JOBS:-2}, load $$(cut -d' ' -f1 /proc/loadavg)"; \
		done; \
	done

host-dkms-src:
	@host-patch/dkms/make-dkms-src $(BUILD)/dkms

# What the series adds to the functions every exit runs through: objdump of
# vmx.o built with the whole series against vmx.o built with only the x86
# patches (which do not touch vmx.c), for the 6.1 headers.
.PHONY: bench-exit-path-code
bench-exit-path-code:
	@kver=$$($(HP_ENV) scripts/host-modules --kver-for 6.1) || exit 1; \
	stock=$(HP_BUILD)/bench-stock-series; rm -rf $$stock; mkdir -p $$stock; \
	cp host-patch/linux-6.1/0001-*.patch host-patch/linux-6.1/0002-*.patch $$stock/; \
	$(HP_ENV) OUT=$(CURDIR)/$(HP_BUILD)/bench-stock-$$kver SERIES_DIR=$(CURDIR)/$$stock \
		nice -n 10 scripts/host-modules $$kver >$(HP_BUILD)/bench-stock.log 2>&1 || \
		{ echo "bench-exit-path-code: stock build failed, see $(HP_BUILD)/bench-stock.log"; exit 1; }; \
	$(HP_ENV) nice -n 10 scripts/host-modules $$kver >$(HP_BUILD)/bench-patched.log 2>&1 || \
		{ echo "bench-exit-path-code: patched build failed, see $(HP_BUILD)/bench-patched.log"; exit 1; }; \
	echo "exit path code, $$kver (objdump of vmx.o; static counts):"; \
	tests/host-patch/exit-path-cost \
		$(HP_BUILD)/bench-stock-$$kver/src/arch/x86/kvm/vmx/vmx.o \
		$(BUILD)/host/$$kver/src/arch/x86/kvm/vmx/vmx.o
