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
CMDLINE  ?= console=com1
# What runs as dom0: pvtest (Xenon's PV test kernel), or none (the
# hypervisor alone; add selftest to CMDLINE for its self-tests).
DOM0      ?= pvtest
DOM0_ARGS ?=
DOM0_KERNEL_pvtest := tools/tests/pvkernel/build/pvkernel
DOM0_KERNEL := $(DOM0_KERNEL_$(DOM0))

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
	@if [ "$(DOM0)" != none ] && [ -z "$(DOM0_KERNEL)" ]; then \
	    echo "DOM0=$(DOM0): unknown (pvtest or none)" >&2; exit 1; fi
	sh tools/scripts/mkiso.sh xen/xen.gz build/xenon.iso "$(CMDLINE)" \
	    $(if $(DOM0_KERNEL),$(DOM0_KERNEL) "$(DOM0_ARGS)")

run: deps
	$(MAKE) iso
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
bench: deps-test
	$(PYTHON) tools/scripts/bench.py

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
