# SPDX-License-Identifier: GPL-2.0-only
"""make bench still runs: its boots, made by bench.py itself.

The figures are never asserted (docs/performance.md); what is asserted is
that the boots get through them and QEMU powers off by itself. Under
QEMU 10.0.2 an x2APIC timer read under -icount made QEMU abort a few
seconds in, and make bench was found broken only when someone ran it.
"""

import os
import re
import sys

import pytest

from qemu import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools", "scripts"))
import bench  # noqa: E402

FIGURE = re.compile(r"^\(XEN\) bench: .+\s\d+ instructions$", re.M)
CALIBRATE = re.compile(r"^\(XEN\) bench: calibrate (\d+) ticks per 1000 "
                       r"instructions, direct map 0 MiB$", re.M)
PV_CALIBRATE = re.compile(r"^pvbench: calibrate (\d+) ticks per 1000 "
                          r"instructions, in the guest$", re.M)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """Shared by the tests: the release build is made once."""
    return str(tmp_path_factory.mktemp("bench"))


def test_bench_boot_no_directmap(workdir):
    """The release build with no direct map on one CPU, the first boot of
    make bench (a whole bench boot takes about 15 s under TCG)."""
    b = bench.bench_boot(workdir, 0, smp=1)
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


def test_pv_bench_boot_no_directmap(workdir):
    """The PV section's boot of the same build: the test kernel as dom0
    times PV operations from inside (about 30 s under TCG)."""
    b = bench.pv_bench_boot(workdir, 0)
    results, notes = bench.pv_figures(b)
    assert bench.PV_FIRST in results, b
    # The guest's TSC counts instructions too (rdtsc is not trapped).
    assert PV_CALIBRATE.findall(b.output) == ["1000"], b
    # Every operation succeeded, each upcall came (bench.c's own checks).
    assert b.has("pvtest: ok bench"), b
    assert "calibrate" not in " ".join(results), b
    assert len(notes) == 1 and notes[0].startswith("L4 tree: "), b
    assert b.exited and b.status == 0, b
    assert b.has("(XEN) Hardware dom0 shut down: powering off"), b
