# SPDX-License-Identifier: GPL-2.0-only
"""Debian's stock Linux kernel as Xenon's PV dom0, to userspace.

The kernel is the package behind linux-image-amd64 (6.1, an xz bzImage
built with CONFIG_XEN_PV_DOM0), busybox comes from busybox-static; both
are fetched with apt-get download into a cache outside the tree
(tools/scripts/fetch-debian-guest.sh). The initramfs's /init mounts
proc, sys and devtmpfs, prints what the tests look for, forks, and
powers the machine off. One vCPU here; test_linux_smp.py boots more
with these helpers.
"""

import os
import re
import subprocess

import pytest

from qemu import ROOT, SCRIPTS, boot, build_variant, make_iso

# The start of every test /init: busybox's applets, proc, sys and dev.
INIT_HEAD = r"""#!/bin/busybox sh
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
"""

INIT = INIT_HEAD + r"""echo "XENON-INIT: running as pid $$"
echo "XENON-HYPERVISOR: $(cat /sys/hypervisor/type)"
echo "XENON-NPROC: $(nproc)"
echo "XENON-PCPUS: $(ls /sys/devices/system/xen_cpu | grep -c xen_cpu)"
for i in 1 2 3 4 5 6 7 8; do
    sh -c "echo XENON-CHILD \$\$ $i" &
done
wait
echo "XENON-MEM: $(grep MemTotal /proc/meminfo)"
echo "XENON-DONE"
poweroff -f
"""


def fetch_guest():
    """(kernel, busybox) from the cache, fetched on first use."""
    r = subprocess.run(["sh", os.path.join(SCRIPTS, "fetch-debian-guest.sh")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    # No skip: a test that cannot fetch its guest says so and fails.
    assert r.returncode == 0, r.stdout
    return r.stdout.split()[:2]


def make_initrd(work, busybox, init_text, modules=()):
    """An initramfs in directory work with init_text as /init and the
    kernel modules given in /lib/modules; its path."""
    init = work / "init"
    init.write_text(init_text)
    initrd = str(work / "initrd.gz")
    subprocess.run(["sh", os.path.join(SCRIPTS, "mkinitramfs.sh"), busybox,
                    str(init), initrd] + list(modules), check=True)
    return initrd


def make_guest(tmp_path_factory, init_text):
    """(kernel, initrd) with init_text as the initramfs's /init."""
    kernel, busybox = fetch_guest()
    return kernel, make_initrd(tmp_path_factory.mktemp("linux"), busybox,
                               init_text)


@pytest.fixture(scope="module")
def guest(tmp_path_factory):
    return make_guest(tmp_path_factory, INIT)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("linux-iso"))


@pytest.fixture(scope="module")
def full_directmap(tmp_path_factory):
    return build_variant(str(tmp_path_factory.mktemp("linux-dm-full")),
                         DIRECTMAP_SIZE_GB=64)


def boot_linux(workdir, guest, fw, xen_gz=None, extra="", vcpus=1, smp=2,
               linux_extra="", **boot_args):
    kernel, initrd = guest
    kwargs = {"xen_gz": xen_gz} if xen_gz else {}
    iso = make_iso(workdir, "console=com1 dom0_mem=512M dom0_max_vcpus=%d "
                   % vcpus + extra,
                   modules=[(kernel, ("console=hvc0 " + linux_extra).strip()),
                            (initrd, "initrd")], **kwargs)
    boot_args.setdefault("timeout", 300)
    boot_args.setdefault("mem", "1G")
    return boot(iso, firmware=fw, smp=smp, **boot_args)


def assert_userspace(b):
    assert b.exited and not b.timed_out, b
    assert re.search(r"^\(XEN\) dom0 kernel: bzImage, xz payload, \d+ bytes "
                     r"-> \d+$", b.output, re.M), b
    assert b.has("Linux version 6."), b
    assert b.has("XENON-INIT: running as pid 1"), b
    assert b.has("XENON-HYPERVISOR: xen"), b
    assert b.has("XENON-NPROC: 1"), b
    # The machine's CPUs as the hypervisor lists them (XENPF_get_cpuinfo),
    # not dom0's vCPUs: QEMU's two.
    assert b.has("XENON-PCPUS: 2"), b
    children = set(re.findall(r"^XENON-CHILD \d+ (\d)$", b.output, re.M))
    assert children == set("12345678"), b
    assert b.has("XENON-DONE"), b
    # ACPI on, on both firmwares: on UEFI Linux finds the RSDP through
    # the EFI configuration table the hypervisor passes on.
    assert b.has("ACPI: Interpreter enabled"), b
    assert not b.has("FATAL TRAP"), b
    assert not b.has("Kernel panic"), b


@pytest.mark.parametrize("fw", ["bios", "efi"])
def test_linux_dom0_to_userspace(workdir, guest, fw):
    """The default build: no direct map."""
    b = boot_linux(workdir, guest, fw)
    assert_userspace(b)
    assert b.has("no direct map)"), b


def test_linux_dom0_full_directmap(workdir, guest, full_directmap):
    b = boot_linux(workdir, guest, "bios", xen_gz=full_directmap)
    assert_userspace(b)
    assert not b.has("no direct map)"), b


def test_linux_dom0_on_the_guest_copy_walk(workdir, guest):
    """guest_copy_walk: every copy to and from dom0 takes the slow path
    (the software walk holding each table and the page), which otherwise
    only finishes copies that faulted; Linux reaches userspace on it."""
    b = boot_linux(workdir, guest, "bios", extra="guest_copy_walk")
    assert_userspace(b)
    assert not b.has("Unknown command line option"), b
