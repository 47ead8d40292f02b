# SPDX-License-Identifier: GPL-2.0-only
"""A domU's share of the serial line (console_domu_rate=RATE[,BURST]).

The PV test kernel as a domU floods its console (check-console.c): 500
numbered 32-byte lines through its console ring, then 500 through
console_io. Over its rate the ring is drained no faster than the rate,
the writer waiting for room: every ring line arrives, whole and in order,
and the flood takes the time the rate says. console_io lines over the
rate are dropped whole and counted by the hypervisor: printed plus
dropped is everything sent. dom0 beside it is not held back.
"""

import os
import re
import subprocess

import pytest

from qemu import ROOT, boot, make_iso

PVK = os.path.join(ROOT, "tools", "tests", "pvkernel")
KERNEL = os.path.join(PVK, "build", "pvkernel")
LINES = 500
LINE = 32
FLOOD = LINES * LINE
RING_TIME = re.compile(r"^\(d1\) pvtest: console ring: (\d+) bytes in "
                       r"(\d+) ms$", re.M)
DROPPED = re.compile(r"^\(XEN\) d1: (\d+) bytes of console output dropped "
                     r"over console_domu_rate$", re.M)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    r = subprocess.run(["make", "-s", "-C", PVK], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    assert r.returncode == 0, r.stdout
    return str(tmp_path_factory.mktemp("console-share"))


def flood(workdir, rate_arg):
    cmdline = "console=com1" + (" " + rate_arg if rate_arg else "")
    iso = make_iso(workdir, cmdline, modules=[
        (KERNEL, "loop only=xen_version"),
        (KERNEL, "domU mem=32M -- only=console_share console_flood=%d"
         % FLOOD)])
    b = boot(iso, smp=2, timeout=300, until="(XEN) d1 destroyed")
    assert not b.timed_out, b
    assert not b.has("FATAL TRAP"), b
    assert b.has("\n(d1) pvtest: 1 passed, 0 failed"), b
    assert re.search(r"^pvtest: \d+ passed, 0 failed", b.output, re.M), b
    return b


def numbered(b, kind):
    """The numbers of domU lines of kind, each checked whole."""
    got = []
    for m in re.finditer(r"^\(d1\) %s (\d{5}) (.*)$" % kind, b.output,
                         re.M):
        assert m.group(2) == "." * (LINE - 12), m.group(0)
        got.append(int(m.group(1)))
    return got


def ring_ms(b):
    m = RING_TIME.search(b.output)
    assert m and int(m.group(1)) == FLOOD, b
    return int(m.group(2))


def test_over_its_rate_the_ring_waits_and_console_io_drops(workdir):
    rate = burst = 4000
    b = flood(workdir, "console_domu_rate=%d,%d" % (rate, burst))
    # Nothing of the ring is lost, and it took what the rate allows.
    assert numbered(b, "ring") == list(range(LINES)), b
    least_ms = (FLOOD - burst) * 1000 // rate
    assert ring_ms(b) >= least_ms * 0.95, b
    # console_io: whole lines or none, in order; the rest counted.
    cio = numbered(b, "cio ")
    assert cio == sorted(cio) and len(set(cio)) == len(cio), b
    dropped = sum(int(n) for n in DROPPED.findall(b.output))
    assert dropped > 0 and dropped % LINE == 0, b
    assert len(cio) * LINE + dropped == FLOOD, b
    # What got through is about a burst (plus what the rate refilled
    # while the calls were made).
    assert len(cio) * LINE <= burst + rate, b


def test_without_a_limit_nothing_waits_or_drops(workdir):
    b = flood(workdir, "console_domu_rate=0")
    assert numbered(b, "ring") == list(range(LINES)), b
    assert numbered(b, "cio ") == list(range(LINES)), b
    assert not DROPPED.search(b.output), b
    # Far less than a second: nothing held the ring back.
    assert ring_ms(b) < 1000, b


def test_default_burst_takes_the_flood_whole(workdir):
    """16 000 bytes fit the default burst (65536): no wait, no loss."""
    b = flood(workdir, None)
    assert numbered(b, "ring") == list(range(LINES)), b
    assert numbered(b, "cio ") == list(range(LINES)), b
    assert not DROPPED.search(b.output), b
    assert ring_ms(b) < 1000, b


@pytest.mark.parametrize("bad", ["x", "4096,", "4096,100", "4096,1,2"])
def test_bad_rate_is_reported_and_the_default_kept(workdir, bad):
    iso = make_iso(workdir, "console=com1 console_domu_rate=" + bad,
                   modules=[(KERNEL, "only=xen_version")])
    b = boot(iso, timeout=120)
    assert b.exited and not b.timed_out, b
    assert b.has("(XEN) Bad value for command line option "
                 "'console_domu_rate': '%s' (default kept)" % bad), b
