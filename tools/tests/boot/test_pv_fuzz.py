# SPDX-License-Identifier: GPL-2.0-only
"""The PV test kernel's fuzz mode, a short run (make fuzz is the long one).

20 000 random hypercalls (tools/tests/pvkernel/fuzz.c) as dom0 on two
vCPUs, then every normal check; the hypervisor must still answer a debug
key over serial, print no panic, BUG or assertion, and the kernel must
find its own memory intact. Two seeds, so that a change to the pools is
less likely to hide what one seed found.
"""

import os
import re
import subprocess
import sys

import pytest

from qemu import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools", "scripts"))
import fuzz  # noqa: E402

PVK = os.path.join(ROOT, "tools", "tests", "pvkernel")
CTRL_A = "\x01"
TO_XEN = ("(XEN) *** Serial input to Xen (type 'CTRL-a' three times to "
          "switch input)")
CALLS = 20000


@pytest.fixture(scope="module", autouse=True)
def built():
    for d in (os.path.join(ROOT, "xen"), PVK):
        r = subprocess.run(["make", "-s", "-C", d], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True)
        assert r.returncode == 0, r.stdout


@pytest.mark.parametrize("seed", ["1", "0x5eed"])
def test_short_fuzz_leaves_hypervisor_alive(tmp_path, seed):
    from qemu import boot, make_iso
    iso = make_iso(str(tmp_path), fuzz.CMDLINE, modules=[
        (fuzz.KERNEL, "fuzz=%d fuzz_seed=%s loop" % (CALLS, seed))])
    # The kernel idles after the checks (loop); then the 'r' key must be
    # answered by the hypervisor, and 'R' reboots (QEMU exits).
    b = boot(iso, smp=2, timeout=240, send=[
        ("pvtest: idle (loop)", CTRL_A * 3),
        (TO_XEN, "r"),
        ("(XEN) CPU1: running", "R"),
    ])
    assert b.exited and not b.timed_out, b
    for bad in fuzz.HYPERVISOR_DOWN:
        assert bad not in b.output, b
    assert "pvtest: FAIL" not in b.output, b
    assert b.has("pvtest: fuzz: %d calls, seed %#x" % (CALLS, int(seed, 0))), b
    assert b.has("pvtest: fuzz: kernel memory intact (text "), b
    m = fuzz.SUMMARY.search(b.output)
    assert m and int(m.group(1)) == CALLS, b
    # Some calls must succeed and many must fail: a fuzzer whose calls
    # all fail at the first check of their arguments tests little.
    assert int(m.group(2)) > CALLS // 20 and int(m.group(3)) > CALLS // 4, b
    c = fuzz.CHECKS.search(b.output)
    assert c and int(c.group(2)) == 0 and int(c.group(1)) >= 60, b
    assert re.search(r"^\(XEN\) CPU0: running d", b.output, re.M), b
    assert b.has("(XEN) Rebooting"), b
