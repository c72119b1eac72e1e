# vmx-caps: what this CPU's VMX can do (the capability MSRs, decoded), as a
# userspace command and as a kernel module. Included by the top Makefile.
#
#   make build/vmx-caps       the command (part of `make`)
#   make vmx-caps-module      host-patch/vmx-caps-module/ for KVER (default:
#                             the Debian kernel the host-patch tests use)
#   make test-vmx-caps        decoder unit tests on recorded MSRs, CLI error
#                             paths, --json, --kvm, the module build
#   make record-vmx-msrs      boot tests/vmx-caps/msr-recorder.asm under Bochs
#                             per CPU model and rewrite tests/vmx-caps/msrs/
#                             (slow, CPU-heavy; not part of `make test`)

VC_DIR := vmx-caps
VC_OUT := $(BUILD)/vmx-caps.d
VC_TESTS := tests/vmx-caps
VC_MODELS := corei7_skylake_x corei7_haswell_4770

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
