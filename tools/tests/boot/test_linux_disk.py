# SPDX-License-Identifier: GPL-2.0-only
"""Debian's Linux as dom0 reads a block of a second disk with its own
driver, interrupts included, through MSI or MSI-X and through INTx.

The test writes a disk image of random bytes and picks a random block
of it; QEMU gets the image as a second disk, on q35's AHCI controller
(MSI) or as a virtio-blk device (MSI-X). dom0 boots with ACPI on, loads
the driver from its initramfs, reads that block with dd and prints its
sha256, which must be the one of the bytes the test wrote. Its
/proc/interrupts must then show the device's interrupts as PIRQs
(xen-pirq) that fired: the read completed on an interrupt, not by
polling.

- msi: the drivers' own choice. AHCI's one line must be an "msi" PIRQ,
  virtio's "msi-x" ones (map_pirq of type MSI_SEG: the hypervisor
  programmed the message), and the hypervisor's key 'i' must list
  messages of that very device (the PCI address dom0's sysfs gives)
  bound to dom0, with at least as many interrupts as dom0 counted for
  it (events may merge, never multiply).
- intx: pci=nomsi on Linux's command line; the controller's line must
  be a level "ioapic-level" PIRQ, and key 'i' must list its GSI, level,
  bound to dom0, with at least as many interrupts.
"""

import hashlib
import os
import re

import pytest

from test_linux_dom0 import (INIT_HEAD, boot_linux, fetch_guest,
                             make_initrd, workdir)  # noqa: F401

CTRL_A = "\x01"

SECTOR = 512
DISK_SECTORS = 2048     # 1 MiB

# Per bus: the QEMU device, the block device dom0 sees, the modules to
# load (with what they need), and the /proc/interrupts name of its line.
BUSES = {
    "ahci": ("ide-hd,drive=xdisk,bus=ide.1", "sda",
             ["ahci", "sd_mod"], r"ahci\["),
    "virtio": ("virtio-blk-pci,drive=xdisk", "vda",
               ["virtio_pci", "virtio_blk"], r"virtio\d"),
}

INIT = INIT_HEAD + r"""for m in {modules}; do
    insmod /lib/modules/$m.ko || echo "XENON-INSMOD-FAILED $m"
done
n=0
while [ ! -b /dev/{dev} ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n+1)); done
echo "XENON-SECTORS: $(cat /sys/block/{dev}/size)"
echo "XENON-BLOCK: $(dd if=/dev/{dev} bs={sector} skip={lba} count=1 | sha256sum)"
echo "XENON-PCI: $(readlink -f /sys/block/{dev}/device)"
sed 's/^/XENON-IRQ: /' /proc/interrupts
echo "XENON-DONE"
sleep 5
poweroff -f
"""


def module_dir(kernel):
    """The unpacked package's lib/modules/<version>/kernel."""
    top = os.path.join(os.path.dirname(os.path.dirname(kernel)), "lib",
                       "modules")
    (version,) = os.listdir(top)
    return os.path.join(top, version, "kernel")


def module_depends(path):
    """The modules path needs (its .modinfo "depends=" list)."""
    with open(path, "rb") as f:
        m = re.search(rb"\0depends=([^\0]*)\0", b"\0" + f.read())
    return [d for d in m.group(1).decode().split(",") if d] if m else []


def modules_in_order(kernel, wanted):
    """Paths of wanted and their dependencies, each after what it needs."""
    paths = {}
    for root, _, files in os.walk(module_dir(kernel)):
        for name in files:
            if name.endswith(".ko"):
                paths[name[:-3].replace("-", "_")] = os.path.join(root, name)
    order = []

    def visit(name):
        path = paths[name.replace("-", "_")]
        if path in order:
            return
        for dep in module_depends(path):
            visit(dep)
        order.append(path)

    for name in wanted:
        visit(name)
    return order


@pytest.fixture(scope="module")
def guest_parts():
    return fetch_guest()


def irq_lines(b, irq_name):
    """dom0's /proc/interrupts lines of the device: (number, counts per
    vCPU, text)."""
    head = re.search(r"^XENON-IRQ:((?:\s+CPU\d+)+)\s*$", b.output, re.M)
    assert head, b
    ncpu = len(head.group(1).split())
    out = []
    for line in b.output.splitlines():
        if line.startswith("XENON-IRQ: ") and re.search(irq_name, line):
            fields = line.split()
            out.append((int(fields[1].rstrip(":")),
                        [int(n) for n in fields[2:2 + ncpu]], line))
    return out


def pci_address(b):
    """The device's PCI address, from the block device's sysfs path."""
    got = re.search(r"^XENON-PCI: .*/(\w{4}:\w\w:\w\w\.\w)/", b.output,
                    re.M)
    assert got, b
    return got.group(1)


# (bus, mode): msi and intx on both buses; and virtio's request queues,
# one per vCPU of a 2-vCPU dom0 whose vCPUs are pinned (vCPU n on CPU
# n), whose messages must follow the vCPU Linux binds each to.
CASES = [(bus, mode) for bus in sorted(BUSES) for mode in ("msi", "intx")]
CASES.append(("virtio", "msi-2vcpus"))


@pytest.mark.parametrize("bus,mode", CASES)
def test_linux_reads_second_disk(workdir, guest_parts, tmp_path, bus, mode):
    device, dev, wanted, irq_name = BUSES[bus]
    kernel, busybox = guest_parts

    data = os.urandom(DISK_SECTORS * SECTOR)
    lba = 1 + int.from_bytes(os.urandom(2), "little") % (DISK_SECTORS - 1)
    block = data[lba * SECTOR:(lba + 1) * SECTOR]
    disk = tmp_path / "disk.img"
    disk.write_bytes(data)

    modules = modules_in_order(kernel, wanted)
    names = " ".join(os.path.basename(p)[:-3] for p in modules)
    initrd = make_initrd(tmp_path, busybox, INIT.format(
        modules=names, dev=dev, sector=SECTOR, lba=lba), modules)
    b = boot_linux(workdir, (kernel, initrd), "bios", qemu_args=[
        "-drive", "file=%s,format=raw,if=none,id=xdisk" % disk,
        "-device", device], send=[("XENON-DONE", CTRL_A * 3),
                                  ("Serial input to Xen", "i")],
        linux_extra="pci=nomsi" if mode == "intx" else "",
        **({"vcpus": 2, "extra": "dom0_vcpus_pin"}
           if mode == "msi-2vcpus" else {}))

    assert b.exited and not b.timed_out, b
    assert not b.has("XENON-INSMOD-FAILED"), b
    assert b.has("XENON-SECTORS: %d\n" % DISK_SECTORS), b
    assert not b.has("FATAL TRAP") and not b.has("Kernel panic"), b
    # Every interrupt had a handler: a vector the hypervisor gave out.
    assert not b.has("Unexpected interrupt"), b
    got = re.search(r"^XENON-BLOCK: ([0-9a-f]{64})  -$", b.output, re.M)
    assert got, b
    assert got.group(1) == hashlib.sha256(block).hexdigest(), \
        "block %d read back wrong\n%r" % (lba, b)

    irqs = irq_lines(b, irq_name)
    assert irqs, b
    total = sum(sum(counts) for _, counts, _ in irqs)
    assert total > 0, irqs
    assert all("xen-pirq" in text for _, _, text in irqs), irqs

    if mode == "intx":
        # The controller's line: a level-triggered INTx PIRQ, dom0's
        # Linux IRQ being the GSI.
        ((gsi, (count,), text),) = irqs
        assert "ioapic-level" in text, irqs
        xen = re.search(r"^\(XEN\)   GSI %d: vector 0x[0-9a-f]+, level, "
                        r"active \w+, (\d+) interrupts, \w+, APIC ID \d+, "
                        r"d0 port \d+" % gsi, b.output, re.M)
        assert xen, b
        assert int(xen.group(1)) >= count, (xen.group(0), irqs)
        assert not re.search(r"^\(XEN\)   MSI", b.output, re.M), b
        return

    # Messages: AHCI's single MSI, virtio's MSI-X vectors (config and
    # request queues), each a PIRQ the hypervisor programmed.
    kind = "msi" if bus == "ahci" else "msi-x"
    assert all(re.search(r"xen-pirq\s+-%s\s" % kind, text)
               for _, _, text in irqs), irqs
    assert not any("ioapic" in text for _, _, text in irqs), irqs
    bdf = pci_address(b)
    xen = re.findall(r"^\(XEN\)   %s %s(?: entry \d+)?: vector 0x[0-9a-f]+, "
                     r"CPU (\d+), (\d+) interrupts, d0 port \d+$"
                     % ("MSI-X" if kind == "msi-x" else "MSI",
                        re.escape(bdf)), b.output, re.M)
    assert len(xen) == len(irqs), (xen, irqs, b)
    assert sum(int(n) for _, n in xen) >= total, (xen, irqs)
    if mode != "msi-2vcpus":
        return

    # One request queue per vCPU, each bound by Linux to its own vCPU
    # (EVTCHNOP_bind_vcpu): its message now lands on that vCPU's CPU,
    # not where map_pirq first put it. Entries are in Linux's IRQ
    # order: config first, then the queues. A queue fires only if I/O
    # was submitted on its vCPU, so only those that fired are checked.
    queues = [(i, counts) for i, (_, counts, text) in enumerate(irqs)
              if "req." in text]
    assert len(queues) == 2, irqs
    fired = 0
    for i, counts in queues:
        on = [c for c, n in enumerate(counts) if n]
        if not on:
            continue
        assert len(on) == 1, irqs
        assert int(xen[i][0]) == on[0], (xen, irqs)
        fired += 1
    assert fired, irqs
