# SPDX-License-Identifier: GPL-2.0-only
"""Debian's Linux as dom0 under load: the census while it runs, and the
heap when it is gone.

dom0's /init runs a fixed number of rounds, each forking and executing
busybox many times while three processes at once map, fill and unmap
192 MiB each (dd's buffer: 576 MiB touched per round, through a 512 MiB
dom0, so Linux recycles its own frames all along). Meanwhile the test
takes the serial input to the hypervisor and asks for the mapping census
(key `m`) three times. Each census must find no guest frame mapped in
the hypervisor beyond the registered vcpu_info pages, no free frame
mapped and nothing unexpected, and (debug builds) a growing count of
returns to the guest that found every mapcache slot free; a slot held on
the way back to a guest would have stopped the machine.

At the end dom0 powers off: the hypervisor destroys it before the
power-off, and the heap's settled count afterwards (free frames plus its
own page-table pages) must equal the count from before dom0 was built,
exactly. Each test leaves the serial log in its tmp_path.
"""

import re

import pytest

from qemu import build_variant
from test_console_keys import CTRL_A, TO_XEN, pressed
from test_linux_dom0 import (INIT_HEAD, boot_linux, make_guest,  # noqa: F401
                             workdir)

ROUNDS = 6
INIT_STRESS = INIT_HEAD + r"""echo "XENON-STRESS-START"
n=0
while [ $n -lt %d ]; do
    n=$((n + 1))
    for p in 1 2 3; do
        dd if=/dev/zero of=/dev/null bs=96M count=2 2>/dev/null &
    done
    j=0
    while [ $j -lt 40 ]; do
        /bin/busybox true || echo "XENON-EXEC-FAILED"
        j=$((j + 1))
    done
    wait
    echo "XENON-ROUND $n"
done
echo "XENON-STRESS-DONE $n"
poweroff -f
""" % ROUNDS

CENSUS = re.compile(r"^\(XEN\) mm-audit: RAM frames mapped by class: (.*) "
                    r"guest=(\d+) shared=(\d+) nonram=\d+ tables=\d+ "
                    r"roots=\d+ free-mapped=(\d+) unexpected=(\d+)$", re.M)
EXITS = re.compile(r"^\(XEN\) mm-audit: (\d+) returns to a guest so far, "
                   r"each with every mapcache slot free$", re.M)
DESTROYED = re.compile(r"^\(XEN\) d0 destroyed: (\d+) pages back; heap after "
                       r"it: (\d+) free \+ (\d+) hypervisor page tables$",
                       re.M)
BEFORE = re.compile(r"^\(XEN\) Heap before dom0 was built: (\d+) free \+ "
                    r"(\d+) hypervisor page tables$", re.M)


@pytest.fixture(scope="module")
def guest(tmp_path_factory):
    return make_guest(tmp_path_factory, INIT_STRESS)


@pytest.fixture(scope="module")
def directmap_1g(tmp_path_factory):
    return build_variant(str(tmp_path_factory.mktemp("linux-dm-1g")),
                         DIRECTMAP_SIZE_GB=1)


def stress(workdir, guest, tmp_path, vcpus, **kwargs):
    keys = [("XENON-ROUND 1\n", CTRL_A * 3), (TO_XEN, "m"),
            ("XENON-ROUND 3\n", "m"), ("XENON-ROUND 5\n", "m")]
    b = boot_linux(workdir, guest, "bios", vcpus=vcpus, send=keys,
                   timeout=900, **kwargs)
    (tmp_path / "serial.log").write_text(b.output)
    return b


def check_census(b, vcpus):
    censuses = CENSUS.findall(b.output)
    assert len(censuses) == 3, b
    for classes, guest, shared, free_mapped, unexpected in censuses:
        counts = dict(kv.split("=") for kv in classes.split())
        # Linux registers a vcpu_info per vCPU, each a page of its own.
        assert int(counts["vcpuinfo"]) == vcpus, classes
        assert guest == "0" and free_mapped == "0" and unexpected == "0", b
        # shared_info, which dom0 maps: a xenheap page, counted as such.
        assert int(shared) >= 1, b
    exits = [int(n) for n in EXITS.findall(b.output)]
    assert len(exits) == 3, b
    # The workload makes hundreds of thousands of trips through the
    # hypervisor; each census finds more of them checked.
    assert exits[0] > 1000 and exits[0] < exits[1] < exits[2], exits
    assert b.count(pressed("m")) == 3, b


def check_heap_back(b):
    gone = DESTROYED.search(b.output)
    before = BEFORE.search(b.output)
    assert gone and before, b
    pages, free, tables = (int(x) for x in gone.groups())
    free0, tables0 = (int(x) for x in before.groups())
    # dom0 had 512 MiB, less what Linux ballooned out at boot.
    assert pages > 100000, b
    assert free + tables == free0 + tables0, (free, tables, free0, tables0)


def check_stress_done(b, vcpus):
    assert b.exited and not b.timed_out, b
    assert b.has("XENON-STRESS-DONE %d" % ROUNDS), b
    assert not b.has("XENON-EXEC-FAILED"), b
    for bad in ("FATAL TRAP", "Panic on CPU", "Kernel panic", "Oops",
                "BUG:", "mm-audit: unexpected"):
        assert not b.has(bad), (bad, b)
    assert b.has("(XEN) Domain 0 shutdown: poweroff"), b
    assert b.has("(XEN) Hardware dom0 shut down: powering off"), b
    if vcpus > 1:
        assert b.has("smp: Brought up 1 node, %d CPUs" % vcpus), b


@pytest.mark.parametrize("vcpus", [1, 2])
def test_linux_stress_census_heap(workdir, guest, tmp_path, vcpus):
    """The default build (no direct map)."""
    b = stress(workdir, guest, tmp_path, vcpus)
    check_stress_done(b, vcpus)
    check_census(b, vcpus)
    check_heap_back(b)


def test_linux_stress_directmap_1g(workdir, guest, tmp_path, directmap_1g):
    """A 1 GiB direct map on a 2 GiB machine: frames below 1 GiB are
    reached through it, the rest through the mapcache."""
    b = stress(workdir, guest, tmp_path, 2, xen_gz=directmap_1g, mem="2G")
    check_stress_done(b, 2)
    assert b.has("CONFIG_DIRECTMAP_SIZE_GB=1, limit 1024 MiB,"), b
    check_census(b, 2)
    check_heap_back(b)
