# SPDX-License-Identifier: GPL-2.0-only
"""make bench still runs: its boots, made by bench.py itself.

The figures are never asserted (docs/performance.md); what is asserted is
that the boots get through them and QEMU powers off by itself. Under
QEMU 10.0.2 an x2APIC timer read under -icount made QEMU abort a few
seconds in, and make bench was found broken only when someone ran it.
"""

import os
import re
import resource
import subprocess
import sys

import pytest

from qemu import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools", "scripts"))
import bench  # noqa: E402
import bench_dom0  # noqa: E402

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


# The dom0 section (bench_dom0.py) boots Linux nine times and takes many
# minutes: make test does not run it. What is tested here, in a second,
# is what its figures rest on: the helper's own checks, and that the
# parser refuses a boot whose workload or clock did not check out.


@pytest.fixture(scope="module")
def helper(workdir):
    return bench_dom0.build_helper(workdir)


def helper_line(argv, limit_as=None):
    """(the helper's DOM0-BENCH match, its exit status)."""
    def limit():
        if limit_as:
            resource.setrlimit(resource.RLIMIT_AS, (limit_as, limit_as))
    r = subprocess.run(argv, stdout=subprocess.PIPE, text=True,
                       preexec_fn=limit)
    return bench_dom0.WORKLOAD.match(r.stdout.strip()), r.returncode


def test_dom0_helper_counts_its_work(helper):
    for argv, name, asked in (([helper, "exec", "5"], "exec", 5),
                              ([helper, "mmap", "1"], "mmap", 1),
                              ([helper, "par", "2", "exec", "3"],
                               "exec-x2", 6)):
        m, status = helper_line(argv)
        assert m and m.group(1) == name, argv
        assert int(m.group(3)) == int(m.group(4)) == asked, m.group(0)
        assert status == 0


def test_dom0_helper_reports_failed_rounds(helper):
    # 32 MiB of address space: no 64 MiB mapping can succeed.
    m, status = helper_line([helper, "mmap", "2"], limit_as=32 << 20)
    assert m and (m.group(3), m.group(4)) == ("0", "2"), m
    assert status == 1


def fake_boot(workload, xen_banner=False, end=True):
    """A TimedBoot as bench_dom0.timed_boot() would make it: (host
    seconds, line) pairs, the workload lines given as (seconds, text)."""
    lines = [(1.0, "SeaBIOS"), (2.0, "(XEN) Xenon 0.1 (release build)")]
    if xen_banner:
        lines.append((2.0, "(XEN) Xen version 4.17.7 (Debian)"))
    lines += [(7.5, "[    0.000000] Linux version 6.1.0-57-amd64"),
              (18.0, "DOM0-BENCH-USERSPACE"),
              (18.5, "DOM0-BENCH-NPROC %d" % bench_dom0.VCPUS)]
    lines += workload
    if end:
        lines.append((lines[-1][0] + 0.1, "DOM0-BENCH-END"))
    return bench_dom0.TimedBoot(lines, None if end else "timed out", "")


GOOD = [(20.0, "DOM0-BENCH exec 1.400 s ok 50/50"),
        (23.0, "DOM0-BENCH mmap 2.900 s ok 2/2"),
        (28.0, "DOM0-BENCH exec-x4 4.800 s ok 200/200"),
        (38.0, "DOM0-BENCH mmap-x4 9.700 s ok 8/8")]


def test_dom0_measure_reads_the_stamps():
    fig = bench_dom0.measure(fake_boot(GOOD), "Xenon", False)
    assert fig["userspace"] == 18.0
    assert fig["firmware"] == 2.0
    assert fig["hypervisor"] == 5.5
    assert fig["linux"] == 10.5
    assert fig["mmap-x4"] == 9.7


@pytest.mark.parametrize("boot, why", [
    (fake_boot(GOOD[:1] + [(23.0, "DOM0-BENCH mmap 2.900 s ok 1/2")]
               + GOOD[2:]), "only 1 of 2 rounds"),
    # 9 s by dom0's clock in a 3 s host interval: a broken guest clock.
    (fake_boot(GOOD[:1] + [(23.0, "DOM0-BENCH mmap 9.000 s ok 2/2")]
               + GOOD[2:]), "by dom0's clock"),
    (fake_boot(GOOD[:3]), "no figures for mmap-x4"),
    (fake_boot(GOOD, end=False), "no DOM0-BENCH-END"),
    (fake_boot(GOOD, xen_banner=True), "not the one asked for"),
])
def test_dom0_measure_refuses(boot, why):
    with pytest.raises(SystemExit, match=why):
        bench_dom0.measure(boot, "Xenon", False)
