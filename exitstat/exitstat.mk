# exitstat: the leaves from inside a Linux guest. Included by the top Makefile.
#
#   make build/exitstat        static x86-64 binary (part of `make`)
#   make build/exitstat-i386   static i386 binary (needs gcc-multilib)
#   make test-exitstat         unit tests on a fake host (ASan/UBSan) + the
#                              real binaries on this machine
#   make l2-initramfs          the Linux L2 guest's initramfs for the e2e
#                              run: build/exitstat.d/l2-initramfs.cpio

ES_DIR := exitstat
ES_OUT := $(BUILD)/exitstat.d
ES_TESTS := tests/exitstat
# Everything but main.c: the tests link the same code to a fake host.
ES_LIB_SRCS := $(ES_DIR)/args.c $(ES_DIR)/detect.c $(ES_DIR)/exitstat.c \
	$(ES_DIR)/help.c $(ES_DIR)/host-linux.c $(ES_DIR)/output.c \
	$(ES_DIR)/reasons.c $(ES_DIR)/snapshot.c
ES_DEPS := $(ES_LIB_SRCS) $(ES_DIR)/main.c $(wildcard $(ES_DIR)/*.h) \
	common/sdm-exit-reasons.def common/exitprobe-abi.h $(ES_DIR)/exitstat.mk
ES_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Icommon -I$(ES_DIR)
ES_SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

$(BUILD)/exitstat: $(ES_DEPS)
	@scripts/ensure-deps gcc libc6-dev
	@mkdir -p $(@D)
	nice -n 10 $(CC) $(ES_CFLAGS) -static -o $@ $(ES_LIB_SRCS) $(ES_DIR)/main.c

$(BUILD)/exitstat-i386: $(ES_DEPS)
	@scripts/ensure-deps gcc-multilib
	@mkdir -p $(@D)
	nice -n 10 $(CC) $(ES_CFLAGS) -m32 -static -o $@ $(ES_LIB_SRCS) $(ES_DIR)/main.c

$(ES_OUT)/exitstat-fake: $(ES_DEPS) $(ES_TESTS)/fake-host.c
	@scripts/ensure-deps gcc libc6-dev
	@mkdir -p $(@D)
	nice -n 10 $(CC) $(ES_CFLAGS) -O1 $(ES_SANFLAGS) -o $@ $(ES_LIB_SRCS) $(ES_TESTS)/fake-host.c

# /init (scripts/e2e/l2-init.c) + /bin/exitstat; see docs/exitstat.md for
# how the e2e run boots it.
$(ES_OUT)/l2-initramfs.cpio: $(BUILD)/exitstat scripts/e2e/l2-init.c scripts/e2e/make-l2-initramfs
	@mkdir -p $(@D)
	nice -n 10 scripts/e2e/make-l2-initramfs $@ $(BUILD)/exitstat

.PHONY: l2-initramfs
l2-initramfs: $(ES_OUT)/l2-initramfs.cpio

.PHONY: test-exitstat
# The i386 build is optional: not installable here means SKIP, a failed
# build with the package present means FAIL.
test-exitstat: $(BUILD)/exitstat $(ES_OUT)/exitstat-fake $(ES_OUT)/l2-initramfs.cpio
	@i386=$(BUILD)/exitstat-i386; \
	if ! scripts/ensure-deps gcc-multilib >/dev/null 2>&1; then i386=nodeps; \
	elif ! $(MAKE) --no-print-directory $$i386; then i386=buildfail; fi; \
	scripts/ensure-deps python3; \
	python3 $(ES_TESTS)/run-tests.py --fake $(ES_OUT)/exitstat-fake \
		--real $(BUILD)/exitstat --i386 $$i386 \
		--l2-initramfs $(ES_OUT)/l2-initramfs.cpio

ALL_TARGETS += $(BUILD)/exitstat
TEST_SUITES += test-exitstat
