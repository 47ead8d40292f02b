# SPDX-License-Identifier: GPL-2.0-only
"""Debian's cloud kernel as an unprivileged PV domU, to its own userspace.

dom0 is Debian's stock kernel (as in test_linux_dom0.py); beside it, a
domU module line starts the kernel behind linux-image-cloud-amd64 (no
XEN_DOM0, an lz4 bzImage) with its own busybox initramfs, the module
after it marked domU-initrd. The domU's only console is its console
ring (hvc0), which the hypervisor drains into "(d1) " lines; it has no
xenstore. Its /init prints what Linux says of itself, then powers the
domain off: the domain is destroyed with every page back, and dom0,
waiting on its console, still answers a line typed at it afterwards.
"""

import os
import re
import subprocess

import pytest

from qemu import SCRIPTS, boot, make_iso
from test_linux_dom0 import INIT_HEAD, fetch_guest, make_initrd
from test_pv_domu import heap_sums

DOMU_INIT = INIT_HEAD + r"""echo "DOMU-INIT: pid $$ on $(cat /sys/hypervisor/type)"
echo "DOMU-CPUS: $(grep -c ^processor /proc/cpuinfo)"
echo "DOMU-UNAME: $(uname -r)"
echo "DOMU-CONSOLE: $(cat /sys/class/tty/console/active)"
echo "DOMU-MEM: $(grep MemTotal /proc/meminfo)"
echo "DOMU-DONE"
poweroff -f
"""

# dom0 waits for a line on its console: typed once the domU is gone.
DOM0_INIT = INIT_HEAD + r"""echo "DOM0-WAITING"
read line
echo "DOM0-GOT: $line"
poweroff -f
"""

DOMU_MEM_MIB = 256


def fetch_cloud_kernel():
    r = subprocess.run(["sh", os.path.join(SCRIPTS, "fetch-debian-guest.sh"),
                        "cloud"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    assert r.returncode == 0, r.stdout
    return r.stdout.split()[0]


@pytest.fixture(scope="module")
def guests(tmp_path_factory):
    kernel, busybox = fetch_guest()
    dom0_rd = make_initrd(tmp_path_factory.mktemp("dom0"), busybox, DOM0_INIT)
    domu_rd = make_initrd(tmp_path_factory.mktemp("domu"), busybox, DOMU_INIT)
    return kernel, dom0_rd, fetch_cloud_kernel(), domu_rd


def domu_lines(b, domid=1):
    """What domain domid printed, without its prefix."""
    prefix = "(d%d) " % domid
    return [l[len(prefix):] for l in b.output.splitlines()
            if l.startswith(prefix)]


def test_cloud_kernel_domu_reaches_userspace(tmp_path, guests):
    kernel, dom0_rd, cloud, domu_rd = guests
    release = re.search(r"vmlinuz-(.*)$", cloud).group(1)
    iso = make_iso(str(tmp_path), "console=com1 dom0_mem=512M "
                   "dom0_max_vcpus=1", modules=[
                       (kernel, "console=hvc0"),
                       (dom0_rd, "initrd"),
                       (cloud, "domU mem=%dM vcpus=1 -- console=hvc0"
                        % DOMU_MEM_MIB),
                       (domu_rd, "domU-initrd"),
                   ])
    # Typed once the domU is gone; dom0's tty holds it until read.
    b = boot(iso, smp=2, mem="1G", timeout=600,
             send=[("(XEN) d1 destroyed:", "alive\r")])
    (tmp_path / "serial.log").write_text(b.output)
    assert b.exited and not b.timed_out, b
    assert not b.has("FATAL TRAP"), b

    # Built from the cloud kernel and its initrd, beside dom0.
    assert re.search(r"^\(XEN\) d1 kernel: bzImage, lz4 payload, \d+ bytes "
                     r"-> \d+$", b.output, re.M), b
    assert b.has('(XEN) d1: domU, 1 vCPU, %d pages, command line '
                 '"console=hvc0", initrd;' % (DOMU_MEM_MIB << 8)), b
    assert re.search(r"^\(XEN\)  Console ring:  ", b.output, re.M), b

    # Its userspace, on its console ring, as an unprivileged Xen guest.
    lines = domu_lines(b)
    assert any(re.match(r"(\[ *[0-9.]+\] )?Linux version %s " %
                        re.escape(release), l) for l in lines), b
    assert "DOMU-INIT: pid 1 on xen" in lines, b
    assert "DOMU-CPUS: 1" in lines, b
    assert "DOMU-UNAME: %s" % release in lines, b
    console = [l.split()[1:] for l in lines if l.startswith("DOMU-CONSOLE:")]
    assert len(console) == 1 and "hvc0" in console[0], b
    mem = [l for l in lines if l.startswith("DOMU-MEM: ")]
    assert len(mem) == 1, b
    kib = int(re.search(r"(\d+) kB", mem[0]).group(1))
    assert DOMU_MEM_MIB * 1024 // 2 < kib <= DOMU_MEM_MIB * 1024, b
    assert "DOMU-DONE" in lines, b
    assert not any("Kernel panic" in l or "BUG:" in l or "Oops" in l
                   for l in lines), b
    # A tty's "\r\n" leaves no mark in the hypervisor's lines.
    assert not any(l.endswith("?") for l in lines if l.startswith("DOMU-")), b

    # Shut down, destroyed, every page back.
    assert b.has("(XEN) Domain 1 shutdown: poweroff"), b
    before, after, pages, back = heap_sums(b, 1)
    assert pages == back == DOMU_MEM_MIB << 8, b
    assert after == before, b

    # dom0 ran beside it and still answers after it is gone.
    assert re.search(r"^\[ *[0-9.]+\] Linux version ", b.output, re.M), b
    assert b.has("\nDOM0-WAITING"), b
    gone = b.output.index("(XEN) d1 destroyed:")
    assert b.output.find("DOM0-GOT: alive", gone) > 0, b
    assert b.has("(XEN) Hardware dom0 shut down: powering off"), b
