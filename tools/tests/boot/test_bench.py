# SPDX-License-Identifier: GPL-2.0-only
"""make bench still runs: one of its boots, made by bench.py itself.

The figures are never asserted (docs/performance.md); what is asserted is
that the boot gets through them and QEMU powers off by itself. Under
QEMU 10.0.2 an x2APIC timer read under -icount made QEMU abort a few
seconds in, and make bench was found broken only when someone ran it.
"""

import os
import re
import sys

from qemu import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools", "scripts"))
import bench  # noqa: E402

FIGURE = re.compile(r"^\(XEN\) bench: .+\s\d+ instructions$", re.M)
CALIBRATE = re.compile(r"^\(XEN\) bench: calibrate (\d+) ticks per 1000 "
                       r"instructions, direct map 0 MiB$", re.M)


def test_bench_boot_no_directmap(tmp_path):
    """The release build with no direct map on one CPU, the first boot of
    make bench (a whole bench boot takes about 15 s under TCG)."""
    b = bench.bench_boot(str(tmp_path), 0, smp=1)
    assert FIGURE.search(b.output), b
    assert b.exited and b.status == 0, b
    assert b.has("(XEN) Powering off"), b
    # What the bench's method rests on, not a timing: with -icount the
    # TSC counts instructions one to one.
    assert CALIBRATE.findall(b.output) == ["1000"], b
    # bench.py runs the APIC in xAPIC mode (see bench.CMDLINE).
    assert b.has("(XEN) Local APIC: xAPIC mode"), b
    results, _ = bench.figures(b, 1)
    assert "map_domain_page+unmap (hot)" in results, b
