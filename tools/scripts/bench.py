#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench: the memory-management benchmarks of two builds, side by side.

Builds release configurations with no direct map (CONFIG_DIRECTMAP_SIZE_GB
=0) and with a full one (64 GiB, above the RAM of the guest), boots each
under QEMU TCG with -icount shift=0 and the "bench" option, and prints one
table: instructions per operation (median of 51 batches of 32), for both
builds, and their ratio. With -icount the TSC counts instructions, so the
figures repeat exactly from run to run and do not depend on the host.
"""

import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests",
                                "boot"))
from qemu import boot, build_variant, make_iso  # noqa: E402

LINE = re.compile(r"^\(XEN\) bench: (.+?)\s+(\d+) instructions$", re.M)
CONFIGS = [("no direct map", 0), ("full direct map", 64)]


def run(workdir, label, gb):
    gz = build_variant(os.path.join(workdir, str(gb)), DIRECTMAP_SIZE_GB=gb,
                       DEBUG=False)
    iso = make_iso(workdir, "console=com1 bench", xen_gz=gz)
    b = boot(iso, mem="1G", icount=True, timeout=600)
    results = dict((name, int(n)) for name, n in LINE.findall(b.output))
    if not b.exited or not results:
        sys.exit("bench: the %s build did not finish:\n%s"
                 % (label, b.output[-3000:]))
    return results


def main():
    with tempfile.TemporaryDirectory() as workdir:
        for gb in (0, 64):
            os.makedirs(os.path.join(workdir, str(gb)))
        cols = [run(workdir, label, gb) for label, gb in CONFIGS]

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


if __name__ == "__main__":
    main()
