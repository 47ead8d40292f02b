#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench: the memory-management benchmarks of two builds, side by side.

Builds release configurations with no direct map (CONFIG_DIRECTMAP_SIZE_GB
=0) and with a full one (64 GiB, above the RAM of the guest), boots each
under QEMU TCG with -icount shift=0 and the "bench" option, and prints one
table: instructions per operation (median of 51 batches of 32), for both
builds, and their ratio. Then the no-direct-map build again at 2 and 4
CPUs, for a second table of the shootdown costs at 1, 2 and 4 CPUs.
Last, the PV section: each build boots the PV test kernel as dom0 with
"bench" on its command line (tools/tests/pvkernel/bench.c), which times
hypercalls and the like from inside the guest; a third table compares
the builds. With -icount the TSC counts instructions, so the figures
repeat exactly from run to run and do not depend on the host.

The dom0 section (bench_dom0.py) is the exception: Debian's Linux as
dom0 under both builds and under Xen 4.17, timed in wall-clock seconds,
several boots each (--runs). --sections picks sections (mm: the
hypervisor's own operations and shootdowns; pv; dom0).

Everything is built in a temporary directory (the hypervisor in scratch
copies of xen/, the test kernel with its build directory there): nothing
is written into the tree.

tools/tests/boot/test_bench.py boots the first of these through
bench_boot() and the PV one through pv_bench_boot(), so that make test
catches a bench that no longer runs.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests",
                                "boot"))
from qemu import ROOT, boot, build_variant, make_iso  # noqa: E402

import bench_dom0  # noqa: E402

LINE = re.compile(r"^\(XEN\) bench: (.+?)\s+(\d+) instructions$", re.M)
SMP_LINE = re.compile(r"^\(XEN\) bench: (.+?)\s+(\d+) instructions "
                      r"\((\d+) CPUs\)$", re.M)
PV_LINE = re.compile(r"^pvbench: (.+?)\s+(\d+) instructions$", re.M)
PV_TREE = re.compile(r"^pvbench: (L4 tree: .+)$", re.M)
PV_FIRST = "null hypercall (xen_version)"
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
# The PV section: the hypervisor boots dom0 as usual (its own "bench"
# would power off first); the test kernel gets "bench".
PV_CMDLINE = "console=com1 x2apic=0"
PVKERNEL = os.path.join(ROOT, "tools", "tests", "pvkernel")


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


def build_pvkernel(workdir):
    """The PV test kernel, built under workdir (its make's B= build
    directory there, not in the tree)."""
    dest = os.path.join(workdir, "pvkernel")
    kernel = os.path.join(dest, "pvkernel")
    if not os.path.exists(kernel):
        r = subprocess.run(["make", "-s", "-j2", "-C", PVKERNEL,
                            "B=" + dest, kernel],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        if r.returncode:
            sys.exit("%s\nbench: the PV test kernel did not build" % r.stdout)
    return kernel


def pv_bench_boot(workdir, gb, until=None):
    """One PV bench boot: the gb GiB direct-map build with the test kernel
    as dom0 timing PV operations. until: stop at that text (see boot())."""
    iso = make_iso(workdir, PV_CMDLINE, xen_gz=build(workdir, gb),
                   modules=[(build_pvkernel(workdir), "bench")])
    return boot(iso, mem="1G", smp=1, icount=True, timeout=900,
                until=until)


def pv_figures(b):
    """The PV section of one boot: ({operation: instructions}, notes)."""
    return (dict((name, int(n)) for name, n in PV_LINE.findall(b.output)),
            PV_TREE.findall(b.output))


def pv_run(workdir, label, gb):
    b = pv_bench_boot(workdir, gb)
    results, notes = pv_figures(b)
    if (not b.exited or b.status != 0 or not results or
            not b.has("pvtest: ok bench")):
        sys.exit("Last console output:\n%s\nbench: the PV bench under the %s "
                 "build did not finish: %s"
                 % (b.output[-3000:], label, b.how_it_ended))
    return results, notes


def print_ratios(title, cols):
    """A table of two columns (CONFIGS order) and their ratio."""
    names = list(cols[0])
    width = max(len(n) for n in names)
    print(title)
    print("%-*s  %13s  %15s  %6s" % (width, "operation", CONFIGS[0][0],
                                      CONFIGS[1][0], "ratio"))
    for n in names:
        a, b = cols[0][n], cols[1].get(n, 0)
        print("%-*s  %13d  %15d  %6s" % (width, n, a, b,
                                          "%.2f" % (a / b) if b else "-"))


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


SECTIONS = ("mm", "pv", "dom0")


def parse_args(argv):
    ap = argparse.ArgumentParser(description="make bench: see "
                                 "docs/performance.md")
    ap.add_argument("--sections", default=",".join(SECTIONS),
                    help="comma-separated, of %s (default: all)"
                    % ", ".join(SECTIONS))
    ap.add_argument("--runs", type=int, default=3,
                    help="boots of each hypervisor in the dom0 section, "
                    "whose figures are wall-clock times (default 3)")
    args = ap.parse_args(argv)
    args.sections = [s for s in args.sections.split(",") if s]
    unknown = [s for s in args.sections if s not in SECTIONS]
    if unknown or args.runs < 1:
        ap.error("unknown section %s" % ", ".join(unknown) if unknown
                 else "--runs must be at least 1")
    return args


def mm_section(workdir):
    runs = [run(workdir, label, gb) for label, gb in CONFIGS]
    cols = [r[0] for r in runs]
    smp_cols = [runs[0][1]] + [run(workdir, CONFIGS[0][0], 0, smp)[1]
                               for smp in SMP_COUNTS[1:]]

    print_ratios("Instructions per operation, release builds, QEMU TCG "
                 "-icount shift=0, 1 GiB, 1 CPU", cols)

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
    print()


def pv_section(workdir):
    pv_runs = [pv_run(workdir, label, gb) for label, gb in CONFIGS]
    print_ratios("PV guest operations: instructions per operation, timed by "
                 "the PV test kernel as dom0, 1 vCPU", [r[0] for r in pv_runs])
    for note in pv_runs[0][1]:
        print(note)
    print()


def main(argv=None):
    args = parse_args(argv)
    # A kill ends the bench through sys.exit: the boot's QEMU is killed
    # and the scratch directory removed on the way out.
    signal.signal(signal.SIGTERM, lambda sig, frame: sys.exit(1))
    with tempfile.TemporaryDirectory() as workdir:
        # Each section prints its table as soon as it has it: the dom0
        # one alone takes minutes.
        if "mm" in args.sections:
            mm_section(workdir)
        if "pv" in args.sections:
            pv_section(workdir)
        if "dom0" in args.sections:
            bench_dom0.print_dom0(bench_dom0.dom0_run(workdir, build,
                                                      args.runs))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
