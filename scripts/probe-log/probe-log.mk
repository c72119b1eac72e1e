# probe-log: the serial-log tool (check, diff, table, plot), its tests and
# its fuzz target. Included by the top Makefile.
#
#   make build/probe-log      the tool (C11, libc only; part of `make`)
#   make test-probe-log       unit tests + sanitizer build + fuzz corpus replay
#   make fuzz-probe-log       fuzz the parser for FUZZ_SECONDS (default 300)
#   make probe-log-plot       EPT vs no-EPT plot of the real nested logs, build/probe-log.d/sample.png
#   make probe-log-coverage   line coverage of the parser from the fuzz corpora

PL_DIR := scripts/probe-log
PL_OUT := $(BUILD)/probe-log.d
PL_TESTS := tests/probe-log
PL_SRCS := $(PL_DIR)/parse.c $(PL_DIR)/verify.c $(PL_DIR)/check.c $(PL_DIR)/escape.c \
	$(PL_DIR)/xalloc.c $(PL_DIR)/report.c $(PL_DIR)/main.c
PL_DEPS := $(PL_SRCS) $(wildcard $(PL_DIR)/*.h) \
	common/sdm-exit-reasons.def common/exitprobe-abi.h $(PL_DIR)/probe-log.mk
PL_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Icommon -I$(PL_DIR)
PL_SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
PL_FUZZ_CC := clang-14
FUZZ_SECONDS ?= 300

$(BUILD)/probe-log: $(PL_DEPS)
	@scripts/ensure-deps gcc libc6-dev
	@mkdir -p $(@D)
	$(CC) $(PL_CFLAGS) -o $@ $(PL_SRCS) -lm

# The same program with AddressSanitizer and UBSan, for the unit tests.
$(PL_OUT)/probe-log-asan: $(PL_DEPS)
	@scripts/ensure-deps gcc libc6-dev
	@mkdir -p $(@D)
	$(CC) $(PL_CFLAGS) -O1 $(PL_SANFLAGS) -o $@ $(PL_SRCS) -lm

# libFuzzer target: the parser and every command behind it.
$(PL_OUT)/fuzz-parser: $(PL_DEPS) $(PL_TESTS)/fuzz/fuzz-parser.c
	@scripts/ensure-deps clang-14 libclang-rt-14-dev
	@mkdir -p $(@D)
	$(PL_FUZZ_CC) $(filter-out -O2,$(PL_CFLAGS)) -O1 -g -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o $@ $(PL_TESTS)/fuzz/fuzz-parser.c \
		$(filter-out $(PL_DIR)/main.c,$(PL_SRCS)) -lm

.PHONY: test-probe-log fuzz-probe-log probe-log-plot
# A dependency that cannot be installed here (not root) turns its checks into
# SKIP lines; a build failure of the fuzz target is a FAIL.
test-probe-log: $(BUILD)/probe-log $(PL_OUT)/probe-log-asan
	@fuzz=$(PL_OUT)/fuzz-parser; \
	if ! scripts/ensure-deps clang-14 libclang-rt-14-dev; then fuzz=nodeps; \
	elif ! $(MAKE) --no-print-directory $$fuzz; then fuzz=buildfail; fi; \
	scripts/ensure-deps gnuplot-nox fonts-dejavu-core || export PL_NO_GNUPLOT=1; \
	$(PL_TESTS)/run-tests $(BUILD)/probe-log $(PL_OUT)/probe-log-asan $$fuzz

fuzz-probe-log: $(PL_OUT)/fuzz-parser
	@mkdir -p $(PL_OUT)/fuzz-work $(PL_OUT)/fuzz-artifacts
	nice -n 10 timeout $$(( $(FUZZ_SECONDS) + 60 )) $(PL_OUT)/fuzz-parser \
		-max_total_time=$(FUZZ_SECONDS) -max_len=32768 -print_final_stats=1 \
		-dict=$(PL_TESTS)/fuzz/probe-log.dict \
		-artifact_prefix=$(PL_OUT)/fuzz-artifacts/ \
		$(PL_OUT)/fuzz-work $(PL_TESTS)/fuzz/corpus
	@echo "fuzz-probe-log: new crashes (if any) are in $(PL_OUT)/fuzz-artifacts/; copy each into $(PL_TESTS)/fuzz/regressions/"

probe-log-plot: $(BUILD)/probe-log
	@scripts/ensure-deps gnuplot-nox fonts-dejavu-core
	$(BUILD)/probe-log plot --label=EPT --label=no-EPT -o $(PL_OUT)/sample.png \
		$(PL_TESTS)/logs/real-nested-ept.log $(PL_TESTS)/logs/real-nested-noept.log

ALL_TARGETS += $(BUILD)/probe-log
TEST_SUITES += test-probe-log
BENCH_TARGETS += fuzz-probe-log

# Line coverage of the parser and commands reached by the seed corpus, the
# regressions and the fuzzer's work corpus (if a fuzz run left one).
.PHONY: probe-log-coverage
probe-log-coverage: $(PL_DEPS) $(PL_TESTS)/fuzz/fuzz-parser.c
	@scripts/ensure-deps clang-14 libclang-rt-14-dev llvm-14
	@mkdir -p $(PL_OUT)/cov
	$(PL_FUZZ_CC) $(filter-out -O2,$(PL_CFLAGS)) -O0 -fsanitize=fuzzer \
		-fprofile-instr-generate -fcoverage-mapping -o $(PL_OUT)/cov/fuzz-cov \
		$(PL_TESTS)/fuzz/fuzz-parser.c $(filter-out $(PL_DIR)/main.c,$(PL_SRCS)) -lm
	rm -f $(PL_OUT)/cov/*.profraw
	LLVM_PROFILE_FILE=$(PL_OUT)/cov/%p.profraw $(PL_OUT)/cov/fuzz-cov -runs=0 \
		$(wildcard $(PL_OUT)/fuzz-work) $(PL_TESTS)/fuzz/corpus $(PL_TESTS)/fuzz/regressions \
		>$(PL_OUT)/cov/run.log 2>&1
	llvm-profdata-14 merge -o $(PL_OUT)/cov/all.profdata $(PL_OUT)/cov/*.profraw
	llvm-cov-14 report $(PL_OUT)/cov/fuzz-cov -instr-profile=$(PL_OUT)/cov/all.profdata \
		$(PL_DIR)/parse.c $(PL_DIR)/report.c
