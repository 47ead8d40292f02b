# SPDX-License-Identifier: GPL-2.0-only
"""make bench's dom0 section: Debian's Linux as dom0, Xenon beside Xen 4.17.

The same kernel (Debian 12's stock 6.1) and the same busybox initramfs boot
as a 2-vCPU, 512 MiB PV dom0 under: Xenon's release build with no direct
map, the same with a full (64 GiB) direct map, and Debian's Xen 4.17
(xen-hypervisor-4.17-amd64, unpacked into the cache, never into the
tree), twice: as it comes, and with xpti=dom0=0. On this CPU model
(no RDCL_NO) Xen 4.17 isolates dom0's page tables from Xen's own against
Meltdown (XPTI, without PCID: a full TLB flush at every guest kernel/user
switch), which Xenon does not do; the second Xen column shows what that
costs, so that the comparison with Xenon can be read both ways. QEMU,
machine (q35), CPU model, firmware (BIOS), RAM, CPU count and kernel
command line are the same for all: only the ISO's hypervisor and its
command line differ.

These are wall-clock seconds under QEMU TCG, without -icount: the boots
go through firmware, GRUB and all of Linux, and -icount would make the
TSC, and so every guest clock, count instructions rather than time. So
the figures depend on the host and its load: they are taken round-robin
(one boot of each hypervisor per round), so that a change in load falls
on all of them alike, and the medians are what is compared.

The host stamps each serial line as it arrives. From those stamps:
  userspace   QEMU start to /init's first line (DOM0-BENCH-USERSPACE)
  firmware    QEMU start to the hypervisor's first "(XEN)" line (SeaBIOS,
              GRUB loading the ISO's files)
  hypervisor  the first "(XEN)" line to the first line of Linux's
              ("Linux version", which earlyprintk=xen prints from
              setup_arch, a few ms of guest work after dom0's first
              instruction); the same definition for both hypervisors
  linux       Linux's first line to /init's first line
Then /init runs tools/scripts/dom0-bench.c's workloads, which time
themselves with CLOCK_MONOTONIC inside dom0; their own checks (each
child exited 0, each page read back) must all have passed, and each
guest-measured time must agree with the host's stamps around it.
"""

import os
import pathlib
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests",
                                "boot"))
from qemu import ANSI, SCRIPTS, make_iso  # noqa: E402
from test_linux_dom0 import INIT_HEAD, fetch_guest, make_initrd  # noqa: E402

VCPUS = 2
DOM0 = "dom0_mem=512M dom0_max_vcpus=%d" % VCPUS
# The kernel's command line under every hypervisor. earlyprintk=xen: Linux's
# first line comes from setup_arch, not from when hvc0 is registered,
# much later, so that "hypervisor" ends near dom0's first instruction.
LINUX_CMDLINE = "console=hvc0 earlyprintk=xen"
# Xen: gds-mit=no keeps AVX, which Xen 4.17 otherwise hides when it sees
# itself virtualised (Xenon does not), so that Linux picks the same code
# (memcpy, crc, xor) under both.
XEN_CMDLINE = "console=com1 com1=115200,8n1 %s spec-ctrl=gds-mit=no" % DOM0
XENON_CMDLINE = "console=com1 %s" % DOM0

# Rounds of each workload. One boot with the workload stays well under two
# minutes under TCG on an idle host.
EXEC_N = 50
MMAP_N = 2
PARALLEL = 4
HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "dom0-bench.c")

# The helper goes in through mkinitramfs.sh's module list (its one way to
# add a file); /init copies it onto the PATH.
INIT = INIT_HEAD + r"""echo "DOM0-BENCH-USERSPACE"
cp /lib/modules/dom0-bench /bin/dom0-bench
echo "DOM0-BENCH-NPROC $(nproc)"
dom0-bench exec {exec_n}
dom0-bench mmap {mmap_n}
dom0-bench par {par} exec {exec_n}
dom0-bench par {par} mmap {mmap_n}
echo "DOM0-BENCH-END"
poweroff -f
"""

WORKLOAD = re.compile(r"^DOM0-BENCH (\S+) ([\d.]+) s ok (\d+)/(\d+)$")
PHASES = ("userspace", "firmware", "hypervisor", "linux")
PHASE_TITLES = {
    "userspace": "QEMU start to dom0 /init",
    "firmware": "  firmware, GRUB",
    "hypervisor": "  hypervisor boot",
    "linux": "  Linux to /init",
}
WORKLOAD_TITLES = {
    "exec": "fork+exec x%d" % EXEC_N,
    "mmap": "mmap 64 MiB x%d" % MMAP_N,
    "exec-x%d" % PARALLEL: "%d procs: fork+exec x%d" % (PARALLEL, EXEC_N),
    "mmap-x%d" % PARALLEL: "%d procs: mmap 64 MiB x%d" % (PARALLEL, MMAP_N),
}


def xen417():
    """Debian's Xen 4.17 hypervisor, fetched into the cache on first use
    the way tools/tests/pvkernel/run-on-xen.sh does."""
    cache = os.environ.get("XENON_CACHE",
                           os.path.expanduser("~/.cache/xenon"))
    gz = os.path.join(cache, "xen417", "boot", "xen-4.17-amd64.gz")
    if not os.path.exists(gz):
        os.makedirs(cache, exist_ok=True)
        subprocess.run(["apt-get", "download", "xen-hypervisor-4.17-amd64"],
                       cwd=cache, check=True)
        deb = sorted(p for p in os.listdir(cache)
                     if p.startswith("xen-hypervisor-4.17-amd64_"))[-1]
        subprocess.run(["dpkg-deb", "-x", os.path.join(cache, deb),
                        os.path.join(cache, "xen417")], check=True)
    return gz


def build_helper(workdir):
    """tools/scripts/dom0-bench.c, static (the initramfs has no
    libraries); its path."""
    helper = os.path.join(workdir, "dom0-bench")
    r = subprocess.run(["gcc", "-static", "-O2", "-o", helper, HELPER],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    if r.returncode:
        sys.exit("%s\nbench: cannot build the dom0 helper (gcc -static, "
                 "libc6-dev)" % r.stdout)
    return helper


def make_bench_guest(workdir, exec_n=EXEC_N, mmap_n=MMAP_N):
    """(kernel, initrd): Debian's kernel, and busybox with the helper."""
    kernel, busybox = fetch_guest()
    work = pathlib.Path(tempfile.mkdtemp(prefix="initrd-", dir=workdir))
    init = INIT.format(exec_n=exec_n, mmap_n=mmap_n, par=PARALLEL)
    return kernel, make_initrd(work, busybox, init,
                               modules=[build_helper(workdir)])


class TimedBoot:
    """A boot's serial lines, each with the host's seconds since QEMU
    started when its newline arrived."""

    def __init__(self, lines, ended, stderr):
        self.lines = lines      # [(seconds, text)]
        self.ended = ended      # why reading stopped
        self.stderr = stderr

    @property
    def output(self):
        return "\n".join(text for _, text in self.lines)

    def first(self, pred, after=0.0):
        """Seconds of the first line at or after after that pred accepts."""
        for t, text in self.lines:
            if t >= after and pred(text):
                return t
        return None

    def tail(self, n=60):
        return "\n".join(text for _, text in self.lines[-n:])


def timed_boot(iso, until, timeout=300, smp=VCPUS):
    """Boots iso as qemu.boot() does (run-qemu.sh: same machine, CPU model
    and firmware) and stops at a line containing until."""
    argv = ["sh", os.path.join(SCRIPTS, "run-qemu.sh"), "--iso", iso,
            "--batch", "--firmware", "bios", "--mem", "1G",
            "--smp", str(smp)]
    err = tempfile.TemporaryFile()
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err,
                            start_new_session=True)
    lines, partial, ended = [], b"", "timed out after %d s" % timeout
    try:
        while time.monotonic() < start + timeout:
            ready, _, _ = select.select([proc.stdout], [], [], 1.0)
            if not ready:
                continue
            data = os.read(proc.stdout.fileno(), 65536)
            now = time.monotonic() - start
            if not data:
                ended = "QEMU exited with status %s" % proc.wait()
                break
            *done, partial = (partial + data).split(b"\n")
            for raw in done:
                text = ANSI.sub("", raw.decode("utf-8", "replace")
                                .replace("\r", ""))
                lines.append((now, text))
                if until in text:
                    ended = None
            if ended is None:
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        err.close()
    return TimedBoot(lines, ended, stderr)


def measure(b, label, is_xen):
    """{figure: seconds} of one boot; exits, saying why, on a boot that
    did not get through or whose workload did not check out."""
    def fail(why):
        sys.exit("Last console output:\n%s\nbench: dom0 under %s: %s%s"
                 % (b.tail(), label, why,
                    "; QEMU stderr: " + b.stderr.strip()
                    if b.stderr.strip() else ""))

    if b.ended:
        fail("no DOM0-BENCH-END line (%s)" % b.ended)
    xen = b.first(lambda l: l.startswith("(XEN)"))
    linux = b.first(lambda l: "Linux version" in l, after=xen or 0)
    user = b.first(lambda l: l == "DOM0-BENCH-USERSPACE")
    if None in (xen, linux, user):
        fail("missing a boot marker: (XEN) at %s, Linux at %s, /init at %s"
             % (xen, linux, user))
    # Which hypervisor ran, from what it said, not from what was asked.
    if (" Xen version 4.17" in b.output) != is_xen:
        fail("the hypervisor is not the one asked for")
    if not b.first(lambda l: l == "DOM0-BENCH-NPROC %d" % VCPUS):
        fail("dom0 does not have %d vCPUs" % VCPUS)
    fig = {"userspace": user, "firmware": xen, "hypervisor": linux - xen,
           "linux": user - linux}
    prev = b.first(lambda l: l.startswith("DOM0-BENCH-NPROC"))
    for t, text in b.lines:
        m = WORKLOAD.match(text)
        if not m:
            continue
        name, secs, done, asked = m.group(1), float(m.group(2)), \
            int(m.group(3)), int(m.group(4))
        if done != asked:
            fail("workload %s: only %d of %d rounds checked out"
                 % (name, done, asked))
        # The guest's clock against the host's: the host's interval also
        # holds starting the helper and the console's lines, so a little
        # longer; a much shorter one, or much longer, is a broken clock.
        if not 0.5 * (t - prev) - 0.5 < secs <= (t - prev) + 0.5:
            fail("workload %s: %.3f s by dom0's clock but %.3f s by the "
                 "host's" % (name, secs, t - prev))
        prev = t
        fig[name] = secs
    missing = [n for n in WORKLOAD_TITLES if n not in fig]
    if missing:
        fail("no figures for %s" % ", ".join(missing))
    return fig


def configs(workdir, build):
    """[(label, xen.gz, hypervisor command line, is Xen)]: the columns.
    build(workdir, gb) is bench.py's release build."""
    return [("Xenon 0GiB", build(workdir, 0), XENON_CMDLINE, False),
            ("Xenon full", build(workdir, 64), XENON_CMDLINE, False),
            ("Xen 4.17", xen417(), XEN_CMDLINE, True),
            ("Xen noXPTI", xen417(), XEN_CMDLINE + " xpti=dom0=0", True)]


# (title, numerator column, denominator column) of the ratio columns.
RATIOS = (("0GiB/Xen", 0, 2), ("0GiB/noXPTI", 0, 3), ("0GiB/full", 0, 1))


def dom0_run(workdir, build, runs):
    """Every configuration booted runs times, round-robin; returns
    [(label, [figures of each run])]."""
    guest = make_bench_guest(workdir)
    cols = configs(workdir, build)
    isos = [make_iso(workdir, cmdline,
                     modules=[(guest[0], LINUX_CMDLINE),
                              (guest[1], "initrd")], xen_gz=gz)
            for _, gz, cmdline, _ in cols]
    results = [[] for _ in cols]
    for r in range(runs):
        for i, (label, _, _, is_xen) in enumerate(cols):
            b = timed_boot(isos[i], "DOM0-BENCH-END")
            results[i].append(measure(b, label, is_xen))
            print("dom0 bench: run %d/%d, %s: %s" % (
                r + 1, runs, label, ", ".join(
                    "%s %.2f" % kv for kv in results[i][-1].items())),
                  file=sys.stderr, flush=True)
    return [(cols[i][0], results[i]) for i in range(len(cols))]


def print_dom0(results):
    """Medians of each figure per configuration, and the ratios the
    issue's targets are about."""
    labels = [label for label, _ in results]
    med = [{k: statistics.median(f[k] for f in runs) for k in runs[0]}
           for _, runs in results]
    rows = [(PHASE_TITLES[p], p) for p in PHASES]
    rows += [(WORKLOAD_TITLES[w], w) for w in WORKLOAD_TITLES]
    width = max(len(t) for t, _ in rows)
    print("Linux 6.1 as PV dom0 (%d vCPUs, 512 MiB), seconds of QEMU TCG "
          "wall clock, q35, %d CPUs, 1 GiB, BIOS; median of %d boots"
          % (VCPUS, VCPUS, len(results[0][1])))
    print("%-*s  " % (width, "figure") +
          "  ".join("%10s" % l for l in labels) + "  " +
          "  ".join("%11s" % t for t, _, _ in RATIOS))
    for title, key in rows:
        print("%-*s  " % (width, title) +
              "  ".join("%10.2f" % m[key] for m in med) + "  " +
              "  ".join("%11s" % ("%.2f" % (med[a][key] / med[b][key])
                                  if med[b][key] else "-")
                        for _, a, b in RATIOS))
    print()
    print("Each boot, in order:")
    cells = [["/".join("%.1f" % f[key] for f in runs)
              for _, runs in results] for _, key in rows]
    cw = [max([len(l)] + [len(c[i]) for c in cells])
          for i, l in enumerate(labels)]
    print("%-*s  " % (width, "figure") +
          "  ".join("%*s" % (w, l) for w, l in zip(cw, labels)))
    for (title, _), row in zip(rows, cells):
        print("%-*s  " % (width, title) +
              "  ".join("%*s" % (w, c) for w, c in zip(cw, row)))
    print("load average at the end: %s" % " ".join(
        "%.2f" % v for v in os.getloadavg()))
