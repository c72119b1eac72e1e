# vmx-caps: what this CPU's VMX can do (the capability MSRs, decoded), as a
# userspace command and as a kernel module. Included by the top Makefile.
#
#   make build/vmx-caps       the command (part of `make`)
#   make build/vmx-caps-static  the same, linked -static, for the e2e L1
#                             initramfs (scripts/e2e/make-initramfs)
#   make vmx-caps-module      host-patch/vmx-caps-module/ for KVER (default:
#                             the Debian kernel the host-patch tests use);
#                             `make` builds it too when the headers can be had
#   make test-vmx-caps        decoder unit tests on recorded MSRs, CLI error
#                             paths, --json, --kvm, the module build
#   make record-vmx-msrs      boot tests/vmx-caps/msr-recorder.asm under Bochs
#                             per CPU model and rewrite tests/vmx-caps/msrs/
#                             (slow, CPU-heavy; not part of `make test`)

VC_DIR := vmx-caps
VC_OUT := $(BUILD)/vmx-caps.d
VC_TESTS := tests/vmx-caps
VC_MODELS := corei7_skylake_x corei7_haswell_4770

VC_SRCS := $(VC_DIR)/decode.c $(VC_DIR)/cpu.c $(VC_DIR)/files.c $(VC_DIR)/main.c
VC_DEPS := $(VC_SRCS) $(VC_DIR)/decode.h $(VC_DIR)/sources.h \
	common/sdm-exit-reasons.def common/vmx-controls.def $(VC_DIR)/vmx-caps.mk
VC_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Icommon -I$(VC_DIR)
VC_SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

ALL_TARGETS += $(BUILD)/vmx-caps
TEST_SUITES += test-vmx-caps

$(BUILD)/vmx-caps: $(VC_DEPS)
	@scripts/ensure-deps gcc libc6-dev
	@mkdir -p $(@D)
	$(CC) $(VC_CFLAGS) -o $@ $(VC_SRCS)

# Linked statically: the e2e L1 initramfs has no libc of its own (it holds
# only the libraries QEMU needs), and the binary must run there unchanged.
$(BUILD)/vmx-caps-static: $(VC_DEPS)
	@scripts/ensure-deps gcc libc6-dev
	@mkdir -p $(@D)
	$(CC) $(VC_CFLAGS) -static -o $@ $(VC_SRCS)

# The same program with AddressSanitizer and UBSan, for the tests.
$(VC_OUT)/vmx-caps-asan: $(VC_DEPS)
	@scripts/ensure-deps gcc libc6-dev
	@mkdir -p $(@D)
	$(CC) $(VC_CFLAGS) -O1 $(VC_SANFLAGS) -o $@ $(VC_SRCS)

$(VC_OUT)/unit: $(VC_TESTS)/unit.c $(VC_DEPS)
	@scripts/ensure-deps gcc libc6-dev
	@mkdir -p $(@D)
	$(CC) $(VC_CFLAGS) -O1 $(VC_SANFLAGS) -o $@ $< $(filter-out $(VC_DIR)/main.c,$(VC_SRCS))

.PHONY: test-vmx-caps vmx-caps-module
# The ASan/UBSan build of the command runs every report and error path.
test-vmx-caps: $(BUILD)/vmx-caps $(VC_OUT)/vmx-caps-asan $(VC_OUT)/unit
	@scripts/ensure-deps python3 binutils kmod util-linux
	@CACHE='$(CACHE)' $(VC_TESTS)/run-tests $(VC_OUT)/vmx-caps-asan $(VC_OUT)/unit 6.1 6.12

vmx-caps-module:
	@CACHE='$(CACHE)' host-patch/vmx-caps-module/build $(KVER)

# `make` builds the module too, when kernel headers can be had: from the
# cache without network, else fetched by scripts/host-modules (as root, on
# a Debian machine). Where they cannot (no network and nothing cached, not
# root, no such Debian kernel), `make` says so in one SKIP line and goes
# on: the command is what `make` must deliver. A skip leaves no stamp, so
# the next `make` tries again; a build that fails with headers present
# fails `make`. The stamp keeps a no-op `make` from re-running kbuild.
VC_MODULE_DEPS := host-patch/vmx-caps-module/Kbuild host-patch/vmx-caps-module/vmx_caps_mod.c \
	host-patch/vmx-caps-module/build $(VC_DIR)/decode.c $(VC_DIR)/decode.h \
	common/sdm-exit-reasons.def common/vmx-controls.def
VC_MODULE_STAMP := $(VC_OUT)/module-$(or $(KVER),default).stamp
ALL_TARGETS += $(VC_MODULE_STAMP)

$(VC_MODULE_STAMP): $(VC_MODULE_DEPS)
	@mkdir -p $(@D)
	@log=$(VC_OUT)/module-build.log; : >"$$log"; \
	kver='$(KVER)'; \
	if [ -z "$$kver" ] && ! kver=$$(scripts/host-modules --kver-for 6.1 2>>"$$log"); then \
		echo "SKIP: vmx-caps-module: no Debian 6.1 kernel release to build for ($$(tail -n 1 "$$log")); the command is built"; \
	elif ! HEADERS_ONLY=1 CACHE='$(CACHE)' scripts/host-modules "$$kver" >/dev/null 2>>"$$log"; then \
		echo "SKIP: vmx-caps-module: kernel headers for $$kver cannot be had ($$(grep '^host-modules: ' "$$log" | grep -v ' fetching ' | tail -n 1); log: $$log); the command is built, make vmx-caps-module retries"; \
	elif CACHE='$(CACHE)' nice -n 10 host-patch/vmx-caps-module/build "$$kver" >>"$$log" 2>&1; then \
		tail -n 1 "$$log"; touch $@; \
	else \
		tail -n 15 "$$log"; echo "vmx-caps-module: build for $$kver failed (log: $$log)" >&2; exit 1; \
	fi

# --- the MSR recorder (a bare multiboot guest for Bochs) ---------------------
$(VC_OUT)/msr-recorder.elf: $(VC_TESTS)/msr-recorder.asm
	@scripts/ensure-deps nasm binutils >&2
	@mkdir -p $(@D)
	nasm -f elf32 -o $(VC_OUT)/msr-recorder.o $<
	ld -m elf_i386 -n -Ttext=0x100000 -e _start --no-warn-rwx-segments \
		-o $@ $(VC_OUT)/msr-recorder.o

$(VC_OUT)/msr-recorder.iso: $(VC_OUT)/msr-recorder.elf
	@scripts/ensure-deps grub-pc-bin grub-common xorriso mtools >&2
	rm -rf $(VC_OUT)/iso
	mkdir -p $(VC_OUT)/iso/boot/grub
	cp $< $(VC_OUT)/iso/boot/msr-recorder.elf
	printf '%s\n' 'set timeout=0' 'menuentry "msr-recorder" {' \
		'	multiboot /boot/msr-recorder.elf' '	boot' '}' \
		>$(VC_OUT)/iso/boot/grub/grub.cfg
	grub-mkrescue -d /usr/lib/grub/i386-pc -o $@ $(VC_OUT)/iso \
		>$(VC_OUT)/grub-mkrescue.log 2>&1 || { cat $(VC_OUT)/grub-mkrescue.log; exit 1; }

.PHONY: record-vmx-msrs
record-vmx-msrs: $(VC_OUT)/msr-recorder.iso
	$(VC_TESTS)/record-vmx-msrs $< $(VC_TESTS)/msrs $(VC_MODELS)
