# SPDX-License-Identifier: GPL-2.0-only
#
# Top-level entry points. `make` builds the hypervisor; `make run` boots it
# under QEMU; `make test` runs every test. run and test install missing
# Debian packages themselves (as root, through apt-get).

include Config.mk

FIRMWARE ?= bios
MEM      ?= 1G
SMP      ?= 2
ACCEL    ?= tcg
# What runs as dom0: linux (Debian's stock kernel, fetched and cached on
# first use, with a busybox shell on hvc0), pvtest (Xenon's PV test
# kernel), or none (the hypervisor alone; add selftest to CMDLINE for its
# self-tests). DOM0_KERNEL and DOM0_INITRD boot other files instead.
DOM0      ?= linux
DOM0_ARGS ?= $(DOM0_ARGS_$(DOM0))
CMDLINE   ?= console=com1 $(CMDLINE_$(DOM0))
LINUX_DOM0 := build/dom0-linux
# dom0 gets a vCPU per CPU (SMP), as Xen does by default.
CMDLINE_linux      := dom0_mem=512M
DOM0_ARGS_linux    := console=hvc0
DOM0_KERNEL_linux  := $(LINUX_DOM0)/vmlinuz
DOM0_INITRD_linux  := $(LINUX_DOM0)/initrd.gz
DOM0_KERNEL_pvtest := tools/tests/pvkernel/build/pvkernel
DOM0_KERNEL ?= $(DOM0_KERNEL_$(DOM0))
DOM0_INITRD ?= $(DOM0_INITRD_$(DOM0))

# The PV test kernel is a dom0 for the boot tests: built with the tree.
.PHONY: all xen pvkernel clean distclean deps deps-test run debug iso test unit-test \
        bench fuzz format

all: xen pvkernel

xen:
	$(MAKE) -C xen

pvkernel:
	$(MAKE) -C tools/tests/pvkernel

deps:
	sh tools/scripts/install-deps.sh $(DEPS_BUILD) $(DEPS_RUN)

deps-test:
	sh tools/scripts/install-deps.sh $(DEPS_BUILD) $(DEPS_RUN) $(DEPS_TEST)

iso: xen pvkernel
	@case "$(DOM0)" in linux|pvtest|none) ;; \
	*) echo "DOM0=$(DOM0): unknown (linux, pvtest or none)" >&2; exit 1 ;; esac
	@if [ "$(DOM0)" = linux ] && \
	    { [ "$(DOM0_KERNEL)" = "$(DOM0_KERNEL_linux)" ] || \
	      [ "$(DOM0_INITRD)" = "$(DOM0_INITRD_linux)" ]; }; then \
	    sh tools/scripts/mkdom0-linux.sh $(LINUX_DOM0) >/dev/null; fi
	sh tools/scripts/mkiso.sh xen/xen.gz build/xenon.iso "$(CMDLINE)" \
	    $(if $(filter-out none,$(DOM0)),$(DOM0_KERNEL) "$(DOM0_ARGS)" \
	         $(if $(DOM0_INITRD),$(DOM0_INITRD) initrd))

run: deps
	@$(MAKE) --no-print-directory iso
	sh tools/scripts/run-qemu.sh --iso build/xenon.iso --firmware $(FIRMWARE) \
	    --mem $(MEM) --smp $(SMP) --accel $(ACCEL)

debug: deps
	$(MAKE) iso
	@echo "QEMU waits for gdb: gdb xen/xen-syms -ex 'target remote :1234'"
	sh tools/scripts/run-qemu.sh --iso build/xenon.iso --firmware $(FIRMWARE) \
	    --mem $(MEM) --smp $(SMP) --accel $(ACCEL) --gdb

unit-test:
	$(MAKE) -C tools/tests/unit check

test: deps-test
	$(MAKE) xen pvkernel
	$(PYTHON) -m pytest -ra tools/tests

# Benchmarks are measured, never asserted: see docs/performance.md.
# SECTIONS=mm,pv,dom0 picks sections (default all); BENCH_RUNS=N boots
# each hypervisor N times in the dom0 section (default 3).
bench: deps-test
	$(PYTHON) tools/scripts/bench.py $(if $(SECTIONS),--sections $(SECTIONS)) \
	    $(if $(BENCH_RUNS),--runs $(BENCH_RUNS))

# The PV test kernel's fuzz mode, a long run (FUZZ_CALLS, FUZZ_SEED).
fuzz: deps-test
	$(MAKE) xen pvkernel
	$(PYTHON) tools/scripts/fuzz.py

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	$(MAKE) -C xen clean
	$(MAKE) -C tools/tests/unit clean
	$(MAKE) -C tools/tests/pvkernel clean
	rm -rf build

distclean: clean
	$(MAKE) -C xen distclean
