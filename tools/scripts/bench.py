#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench: the memory-management benchmarks of two builds, side by side.

Builds release configurations with no direct map (CONFIG_DIRECTMAP_SIZE_GB
=0) and with a full one (64 GiB, above the RAM of the guest), boots each
under QEMU TCG with -icount shift=0 and the "bench" option, and prints one
table: instructions per operation (median of 51 batches of 32), for both
builds, and their ratio. Then the no-direct-map build again at 2 and 4
CPUs, for a second table of the shootdown costs at 1, 2 and 4 CPUs. With
-icount the TSC counts instructions, so the figures repeat exactly from
run to run and do not depend on the host.

tools/tests/boot/test_bench.py boots one of these through bench_boot(),
so that make test catches a bench that no longer runs.
"""

import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests",
                                "boot"))
from qemu import boot, build_variant, make_iso  # noqa: E402

LINE = re.compile(r"^\(XEN\) bench: (.+?)\s+(\d+) instructions$", re.M)
SMP_LINE = re.compile(r"^\(XEN\) bench: (.+?)\s+(\d+) instructions "
                      r"\((\d+) CPUs\)$", re.M)
SMP_COUNTS = (1, 2, 4)
BUILT = {}  # direct-map size -> xen.gz, so each build is made once
CONFIGS = [("no direct map", 0), ("full direct map", 64)]

# xAPIC mode, through the hypervisor's x2apic=0: under -icount QEMU (10.0.2
# at least) aborts with "Bad icount read" as soon as the hypervisor reads
# the x2APIC timer's count, because it does not translate RDMSR as an I/O
# instruction, and only those may read the instruction-counted clock. The
# xAPIC registers are MMIO, which it does treat as I/O. The boot option
# rather than the CPU flag -x2apic: the CPU model, and so every feature
# the hypervisor picks up from CPUID, stays the one the boot tests use.
CMDLINE = "console=com1 x2apic=0 bench"


def build(workdir, gb):
    """The release build with a gb GiB direct map, made once per workdir
    (which must exist)."""
    if (workdir, gb) not in BUILT:
        dest = os.path.join(workdir, str(gb))
        os.makedirs(dest, exist_ok=True)
        BUILT[workdir, gb] = build_variant(dest, DIRECTMAP_SIZE_GB=gb,
                                           DEBUG=False)
    return BUILT[workdir, gb]


def bench_boot(workdir, gb, smp=1):
    """One bench boot of the gb GiB direct-map build, as make bench does it."""
    iso = make_iso(workdir, CMDLINE, xen_gz=build(workdir, gb))
    return boot(iso, mem="1G", smp=smp, icount=True, timeout=600 * smp)


def figures(b, smp):
    """The bench lines of one boot: (single-CPU table, SMP table)."""
    results = dict((name, int(n)) for name, n in LINE.findall(b.output))
    smp_results = dict((name, int(n)) for name, n, cpus
                       in SMP_LINE.findall(b.output) if int(cpus) == smp)
    return results, smp_results


def run(workdir, label, gb, smp=1):
    b = bench_boot(workdir, gb, smp)
    results, smp_results = figures(b, smp)
    if not b.exited or b.status != 0 or not results:
        # The reason last, where the terminal leaves it in view.
        sys.exit("Last console output:\n%s\nbench: the %s build (%d CPUs) "
                 "did not finish: %s"
                 % (b.output[-3000:], label, smp, b.how_it_ended))
    return results, smp_results


def main():
    with tempfile.TemporaryDirectory() as workdir:
        runs = [run(workdir, label, gb) for label, gb in CONFIGS]
        cols = [r[0] for r in runs]
        smp_cols = [runs[0][1]] + [run(workdir, CONFIGS[0][0], 0, smp)[1]
                                   for smp in SMP_COUNTS[1:]]

    names = list(cols[0])
    width = max(len(n) for n in names)
    print("Instructions per operation, release builds, QEMU TCG -icount "
          "shift=0, 1 GiB, 1 CPU")
    print("%-*s  %13s  %15s  %6s" % (width, "operation", CONFIGS[0][0],
                                      CONFIGS[1][0], "ratio"))
    for n in names:
        a, b = cols[0][n], cols[1].get(n, 0)
        print("%-*s  %13d  %15d  %6s" % (width, n, a, b,
                                          "%.2f" % (a / b) if b else "-"))

    names = []
    for col in smp_cols:
        names += [n for n in col if n not in names]
    width = max(len(n) for n in names)
    print()
    print("Shootdowns: instructions per operation, all vCPUs counted, "
          "no direct map, -icount shift=0")
    print("%-*s  " % (width, "operation") +
          "  ".join("%7s" % ("%d CPU%s" % (c, "s" if c > 1 else ""))
                    for c in SMP_COUNTS))
    for n in names:
        print("%-*s  " % (width, n) +
              "  ".join("%7s" % col.get(n, "-") for col in smp_cols))


if __name__ == "__main__":
    main()
