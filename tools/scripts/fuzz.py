#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make fuzz: the PV test kernel's fuzz mode, a long run.

Boots the hypervisor (BIOS, 2 CPUs, dom0_max_vcpus=2) with the PV test
kernel as dom0 and fuzz=N (default 1000000; FUZZ_CALLS and FUZZ_SEED
override) under QEMU TCG, and says how it ended: the kernel's summary
line, whether its memory stayed intact, whether every check after the
fuzz passed, any hypervisor panic, and how long it took. The serial log
is kept (build/fuzz.log) so that a crash can be replayed: the last
progress line bounds the failing call, and fuzz_log=K on the kernel's
command line prints each call from the K-th on.

The hypervisor runs with loglvl=info: at debug level it logs every
failing hypercall, which is most of them.
"""

import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests",
                                "boot"))
from qemu import ROOT, boot, make_iso  # noqa: E402

KERNEL = os.path.join(ROOT, "tools", "tests", "pvkernel", "build", "pvkernel")
CMDLINE = "console=com1 loglvl=info dom0_max_vcpus=2"
SUMMARY = re.compile(r"^pvtest: fuzz: (\d+) calls, (\d+) returned 0, "
                     r"(\d+) errors$", re.M)
CHECKS = re.compile(r"^pvtest: (\d+) passed, (\d+) failed", re.M)
PROGRESS = re.compile(r"^pvtest: fuzz: (\d+)/(\d+) calls$", re.M)
HYPERVISOR_DOWN = ("Panic on CPU", "FATAL TRAP", "Assertion", "BUG at")


def fuzz_boot(workdir, calls, seed, smp=2, timeout=None, extra=""):
    """One boot with fuzz=calls; returns the Boot."""
    args = "fuzz=%d fuzz_seed=%s %s" % (calls, seed, extra)
    iso = make_iso(workdir, CMDLINE, modules=[(KERNEL, args.strip())])
    # About 2000 calls a second under TCG; plenty of margin, and a floor
    # for the boot itself and the checks.
    if timeout is None:
        timeout = 120 + calls // 200
    return boot(iso, smp=smp, timeout=timeout)


def verdict(b):
    """(ok, lines): what a fuzz boot says about the hypervisor."""
    lines = []
    ok = b.exited and not b.timed_out
    m = SUMMARY.search(b.output)
    if m:
        lines.append("summary: %s calls, %s returned 0, %s errors"
                     % m.groups())
    else:
        ok = False
        progress = PROGRESS.findall(b.output)
        lines.append("no summary line; last progress: %s"
                     % ("%s/%s calls" % progress[-1] if progress else
                        "none"))
    bad = [line for line in b.output.splitlines()
           if line.startswith("pvtest: FAIL") or
           any(s in line for s in HYPERVISOR_DOWN)]
    if bad:
        ok = False
        lines += bad[:20]
    if "pvtest: fuzz: kernel memory intact" not in b.output:
        ok = False
    c = CHECKS.search(b.output)
    if not c or int(c.group(2)):
        ok = False
    lines.append("checks after the fuzz: %s" %
                 ("%s passed, %s failed" % c.groups() if c else "none"))
    lines.append(b.how_it_ended.splitlines()[0])
    return ok, lines


def main():
    calls = int(os.environ.get("FUZZ_CALLS", "1000000"))
    seed = os.environ.get("FUZZ_SEED", "1")
    workdir = os.path.join(ROOT, "build", "fuzz")
    os.makedirs(workdir, exist_ok=True)
    print("make fuzz: %d calls, seed %s (TCG)"
          % (calls, seed), flush=True)
    start = time.monotonic()
    b = fuzz_boot(workdir, calls, seed)
    took = time.monotonic() - start
    with open(os.path.join(ROOT, "build", "fuzz.log"), "w") as f:
        f.write(b.output)
    ok, lines = verdict(b)
    for line in lines:
        print("  " + line)
    print("make fuzz: %s in %.0f s (%.0f calls/s); log in build/fuzz.log"
          % ("passed" if ok else "FAILED", took, calls / took))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
