# probe-os/probe.mk: probe.elf (the guest kernel), its ISO, `make run` and
# the probe's test suites. Included by the top Makefile.

PROBE_BUILD := $(BUILD)/probe
PROBE_ELF := $(BUILD)/probe.elf
PROBE_ISO := $(BUILD)/probe.iso
# Packages the probe needs to build and boot (scripts/ensure-deps).
PROBE_DEPS := nasm gcc binutils make qemu-system-x86 grub-pc-bin grub-common xorriso mtools python3

PROBE_C := fmt cmdline sdm scentab task scenhooks serial trap report leaf hostctr measure verdict hostset tscfreq apic apicmode hostdet main
PROBE_ASM := boot/entry.asm probe-os/loops.asm probe-os/apicloops.asm
PROBE_OBJS := $(PROBE_C:%=$(PROBE_BUILD)/%.o) \
	$(PROBE_BUILD)/entry.o $(PROBE_BUILD)/loops.o $(PROBE_BUILD)/apicloops.o
PROBE_HDRS := $(wildcard probe-os/*.h) common/exitprobe-abi.h common/sdm-exit-reasons.def

# The image's size bound, checked here and by test-probe-boot: it guards
# against bloat only (the hard limit is the image plus .bss ending below
# PAGING_PROBE_BASE, 2 MiB). 64 KiB since probe 1.0: its ~70 scenario rows,
# their loops and the host-setting detection took it past 40 KiB (43,048
# bytes with the non-APIC rows and the format 2 code, before the APIC rows).
PROBE_MAX_BYTES := 65536

PROBE_CC ?= gcc
# CPU baseline: i486. The probe must run far enough on any x86 to say what
# the CPU lacks (no TSC: a FAIL line) instead of faulting on an instruction
# the compiler chose (CMOV is i686); instructions of later CPUs appear only
# in assembly and inline asm, behind CPUID checks.
PROBE_CFLAGS := -m32 -march=i486 -std=gnu11 -O2 -g0 -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -mgeneral-regs-only \
	-fno-omit-frame-pointer -fcf-protection=none
PROBE_LDFLAGS := -m elf_i386 -s -nostdlib -z noexecstack --no-warn-rwx-segments

.PHONY: probe-deps iso run test-probe-unit test-probe-boot
ALL_TARGETS += $(PROBE_ELF)
TEST_SUITES += test-probe-unit test-probe-boot

probe-deps:
	@scripts/ensure-deps $(PROBE_DEPS)

# The compilers, once per build tree (a fresh CI machine may lack nasm).
$(PROBE_BUILD)/.tools:
	@mkdir -p $(@D)
	@scripts/ensure-deps nasm gcc binutils
	@touch $@

$(PROBE_BUILD)/%.o: probe-os/%.c $(PROBE_HDRS) probe-os/probe.mk | $(PROBE_BUILD)/.tools
	@mkdir -p $(@D)
	$(PROBE_CC) $(PROBE_CFLAGS) -c $< -o $@

$(PROBE_BUILD)/entry.o: boot/entry.asm | $(PROBE_BUILD)/.tools
	@mkdir -p $(@D)
	nasm -f elf32 -o $@ $<

$(PROBE_BUILD)/loops.o $(PROBE_BUILD)/apicloops.o: $(PROBE_BUILD)/%.o: probe-os/%.asm probe-os/loop.inc | $(PROBE_BUILD)/.tools
	@mkdir -p $(@D)
	nasm -f elf32 -I probe-os/ -o $@ $<

$(PROBE_ELF): $(PROBE_OBJS) boot/linker.ld
	ld $(PROBE_LDFLAGS) -T boot/linker.ld -o $@ $(PROBE_OBJS)
	@size=$$(stat -c %s $@); echo "probe.elf: $$size bytes"; \
	if [ $$size -gt $(PROBE_MAX_BYTES) ]; then echo "probe.elf is over $(PROBE_MAX_BYTES) bytes" >&2; rm -f $@; exit 1; fi

iso: $(PROBE_ISO)
$(PROBE_ISO): $(PROBE_ELF) boot/grub.cfg
	@scripts/ensure-deps grub-pc-bin grub-common xorriso mtools
	rm -rf $(PROBE_BUILD)/iso
	mkdir -p $(PROBE_BUILD)/iso/boot/grub
	cp $(PROBE_ELF) $(PROBE_BUILD)/iso/boot/probe.elf
	cp boot/grub.cfg $(PROBE_BUILD)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(PROBE_BUILD)/iso 2>$(PROBE_BUILD)/grub-mkrescue.log || \
		{ cat $(PROBE_BUILD)/grub-mkrescue.log >&2; exit 1; }

# make run [ACCEL=kvm|tcg] [APPEND="iters=N samples=N"] [REQUIRE_PATCHED=1]
# make exits 2 for every failed recipe: the probe's own status (run-probe's
# 0/1/2/77) is in make's "Error N" line and in run-probe's last line; CI
# jobs that branch on it call scripts/run-probe directly (docs/ci.md).
run:
	@scripts/ensure-deps $(PROBE_DEPS)
	@$(MAKE) --no-print-directory $(PROBE_ELF) >/dev/null
	@scripts/run-probe $(if $(ACCEL),--accel $(ACCEL)) $(if $(APPEND),--append "$(APPEND)") \
		$(if $(REQUIRE_PATCHED),--require-patched) $(PROBE_ELF)

test-probe-unit:
	@scripts/ensure-deps gcc libc6-dev
	@tests/probe/unit-tests $(PROBE_BUILD)/unit

test-probe-boot:
	@scripts/ensure-deps $(PROBE_DEPS) bochs bochsbios vgabios
	@$(MAKE) --no-print-directory $(PROBE_ELF) $(PROBE_ISO) $(BUILD)/probe-log >/dev/null
	@PROBE_MAX_BYTES=$(PROBE_MAX_BYTES) tests/probe/boot-tests $(PROBE_BUILD)/boot-tests
