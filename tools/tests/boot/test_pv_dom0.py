# SPDX-License-Identifier: GPL-2.0-only
"""Milestone M4: Xenon's own PV test kernel as dom0.

The kernel (tools/tests/pvkernel) runs its checks through the Xen PV ABI
and ends with "pvtest: N passed, M failed" and a poweroff shutdown, which
the hypervisor turns into an ACPI power-off: QEMU must exit by itself.
Every configuration must pass every check. Bad dom0 images must each
give one clear line and a clean halt, never a trap in the hypervisor.
"""

import os
import re
import subprocess

import pytest

from qemu import ROOT, boot, build_variant, make_iso

PVK = os.path.join(ROOT, "tools", "tests", "pvkernel")
BUILD = os.path.join(PVK, "build")
PVSUMMARY = re.compile(r"^pvtest: (\d+) passed, (\d+) failed", re.M)
NO_DOM0 = "Could not build dom0: no dom0 to run; halting"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("pv-iso"))


@pytest.fixture(scope="module")
def kernels():
    r = subprocess.run(["make", "-s", "-C", PVK], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    assert r.returncode == 0, r.stdout
    return lambda name: os.path.join(BUILD, name)


@pytest.fixture(scope="module")
def full_directmap(tmp_path_factory):
    return build_variant(str(tmp_path_factory.mktemp("pv-dm-full")),
                         DIRECTMAP_SIZE_GB=64)


def assert_all_passed(b, at_least=30):
    assert b.exited and not b.timed_out, b
    m = PVSUMMARY.search(b.output)
    assert m, b
    # The failing checks' own lines first: the boot's repr is cut short.
    fails = re.findall(r"^pvtest: FAIL .*$", b.output, re.M)
    assert not fails, "\n".join(fails)
    assert int(m.group(2)) == 0 and int(m.group(1)) >= at_least, b
    assert b.has("(XEN) Domain 0 shutdown: poweroff"), b
    assert b.has("(XEN) Hardware dom0 shut down: powering off"), b
    assert not b.has("FATAL TRAP"), b


CONFIGS = [
    # (id, firmware, smp, hypervisor options)
    ("bios-smp2", "bios", 2, ""),
    ("efi-smp2", "efi", 2, ""),
    ("bios-smp1", "bios", 1, ""),
    ("bios-smp4-vcpus4", "bios", 4, "dom0_max_vcpus=4"),
    ("bios-smp4-vcpus1", "bios", 4, "dom0_max_vcpus=1"),
    ("bios-smp1-pinned2", "bios", 1, "dom0_max_vcpus=2 dom0_vcpus_pin"),
    ("bios-xapic", "bios", 2, "x2apic=0"),
    # Room for 16 MiB more: the reservation checks reach max_pages.
    ("bios-dom0-mem-max", "bios", 1, "dom0_mem=64M,max:80M"),
    # Every guest copy through the software walk (guest-access.c).
    ("bios-smp2-copy-walk", "bios", 2, "guest_copy_walk"),
]


@pytest.mark.parametrize("fw,smp,opts", [c[1:] for c in CONFIGS],
                         ids=[c[0] for c in CONFIGS])
def test_pvtest_dom0(workdir, kernels, fw, smp, opts):
    iso = make_iso(workdir, "console=com1 " + opts,
                   modules=[(kernels("pvkernel"), "")])
    b = boot(iso, firmware=fw, smp=smp, timeout=180)
    assert_all_passed(b)
    vcpus = re.search(r"dom0: (\d+) vCPUs?", b.output)
    assert vcpus, b
    want = {"": smp, "dom0_max_vcpus=4": 4, "dom0_max_vcpus=1": 1}
    if opts in want:
        assert int(vcpus.group(1)) == want[opts], b


@pytest.mark.parametrize("fw", ["bios", "efi"])
def test_pvtest_dom0_full_directmap(workdir, kernels, full_directmap, fw):
    iso = make_iso(workdir, "console=com1", xen_gz=full_directmap,
                   modules=[(kernels("pvkernel"), "")])
    b = boot(iso, firmware=fw, smp=2, timeout=180)
    assert_all_passed(b)
    assert not b.has("no direct map)"), b


def test_pvtest_virt_base_zero(workdir, kernels):
    iso = make_iso(workdir, "console=com1",
                   modules=[(kernels("pvkernel-vb0"), "")])
    b = boot(iso, smp=2, timeout=180)
    assert_all_passed(b)
    assert b.has("pvtest: Xenon PV test kernel, VIRT_BASE 0x0"), b


@pytest.mark.parametrize("fmt,name", [("gz", "gzip"), ("xz", "xz"),
                                      ("lz4", "lz4")])
def test_pvtest_bzimage(workdir, kernels, fmt, name):
    """The kernel wrapped as a Linux bzImage wraps vmlinux: recognised,
    its payload decompressed by our own decompressors, then run."""
    iso = make_iso(workdir, "console=com1",
                   modules=[(kernels("pvkernel.%s.bzimage" % fmt), "")])
    b = boot(iso, smp=2, timeout=180)
    assert_all_passed(b)
    assert re.search(r"^\(XEN\) dom0 kernel: bzImage, %s payload, \d+ bytes "
                     r"-> \d+$" % name, b.output, re.M), b


def test_pvtest_init_p2m(workdir, kernels):
    """A kernel with an INIT_P2M note gets its p2m list there, mapped by
    page tables of its own in frames after the boot region."""
    iso = make_iso(workdir, "console=com1",
                   modules=[(kernels("pvkernel-p2m"), "")])
    b = boot(iso, smp=2, timeout=180)
    assert_all_passed(b)
    assert re.search(r"^\(XEN\)  Phys-Mach map: 0000018000000000->"
                     r"[0-9a-f]{16} \(INIT_P2M, its own page tables\)$",
                     b.output, re.M), b


@pytest.mark.parametrize("kernel", ["pvkernel", "pvkernel-p2m"])
def test_pvtest_initrd(workdir, kernels, kernel):
    """The second module is dom0's initrd: mapped after the kernel, or
    (MOD_START_PFN, the p2m variant) given as a pfn; the test kernel reads
    its first line either way."""
    rd = os.path.join(workdir, "initrd")
    with open(rd, "wb") as f:
        f.write(b"Xenon initrd test\n" + bytes(range(256)) * 1200)
    iso = make_iso(workdir, "console=com1",
                   modules=[(kernels(kernel), ""), (rd, "initrd")])
    b = boot(iso, smp=2, timeout=180)
    assert_all_passed(b)
    assert b.has("pvtest: ok start_info_initrd"), b
    assert b.has("pvtest: info: initrd of 307218 bytes at "), b


def test_dom0_layout_is_reported(workdir, kernels):
    iso = make_iso(workdir, "console=com1 dom0_mem=256M",
                   modules=[(kernels("pvkernel"), "")])
    b = boot(iso, smp=2, timeout=180)
    assert_all_passed(b)
    assert b.has("(XEN) Dom0 has maximum 65536 PAGES (256 MiB)"), b
    for region in ["Loaded kernel:", "Phys-Mach map:", "Start info:",
                   "Page tables:", "Boot stack:", "TOTAL:"]:
        assert b.has("(XEN)  " + region), b


def test_dom0_mem_larger_than_ram_is_clamped(workdir, kernels):
    iso = make_iso(workdir, "console=com1 dom0_mem=64G",
                   modules=[(kernels("pvkernel"), "")])
    b = boot(iso, smp=1, timeout=180)
    assert_all_passed(b)
    assert re.search(r"\(XEN\) dom0_mem: 65536 MiB asked, only \d+ MiB "
                     r"available: clamped", b.output), b


def test_dom0_crash_reports_and_reboots(workdir, kernels):
    iso = make_iso(workdir, "console=com1",
                   modules=[(kernels("pvkernel"), "crash")])
    b = boot(iso, smp=2, timeout=180)
    assert b.exited and not b.timed_out, b
    assert b.has("pvtest: crashing on purpose"), b
    assert b.has("(XEN) Domain 0 crashed"), b
    assert re.search(r"^\(XEN\) RIP:    e03[03]:[0-9a-f]{16}", b.output,
                     re.M), b
    assert b.has("(XEN) rax: "), b
    assert b.has("(XEN) Guest stack at "), b
    assert b.has("(XEN) Hardware dom0 crashed: rebooting"), b
    assert not b.has("FATAL TRAP"), b


def test_dom0_crash_noreboot_halts(workdir, kernels):
    iso = make_iso(workdir, "console=com1 noreboot",
                   modules=[(kernels("pvkernel"), "crash")])
    b = boot(iso, smp=1, timeout=120, until="halting (noreboot)")
    assert not b.timed_out, b
    assert b.has("(XEN) Hardware dom0 crashed: halting (noreboot)"), b


BAD = [
    ("bad-not-elf", "dom0 kernel: not an ELF image"),
    ("bad-elf32", "dom0 kernel: 32-bit ELF"),
    ("bad-no-notes", "dom0 kernel: not a Xen PV kernel"),
    ("bad-feature", "dom0 kernel requires feature supervisor_mode_kernel"),
    ("bad-truncated-xz.bzimage", "dom0 kernel: cannot decompress the "
                                 "bzImage payload: xz: truncated input"),
]


@pytest.mark.parametrize("image,line", BAD, ids=[b[0] for b in BAD])
def test_bad_dom0_image(workdir, kernels, image, line):
    iso = make_iso(workdir, "console=com1", modules=[(kernels(image), "")])
    b = boot(iso, smp=1, timeout=120, until="halting")
    assert not b.timed_out, b
    assert b.has("(XEN) " + line), b
    assert b.has("(XEN) " + NO_DOM0), b
    assert not b.has("FATAL TRAP"), b
    assert not PVSUMMARY.search(b.output), b


CTRL_A = "\x01"
TO_XEN = ("(XEN) *** Serial input to Xen (type 'CTRL-a' three times to "
          "switch input)")
CENSUS = re.compile(r"^\(XEN\) mm-audit: RAM frames mapped by class: .* "
                    r"mapcache=(\d+) .* vcpuinfo=(\d+) .* guest=(\d+) "
                    r"shared=(\d+) .* unexpected=(\d+)$", re.M)


@pytest.mark.parametrize("fw", ["bios", "efi"])
def test_census_while_dom0_idles(workdir, kernels, fw):
    """dom0 has run every check (two vCPUs: the racing ones too) and
    idles; the debug keys then show it, and the mapping census finds none
    of its frames mapped at rest in the hypervisor but the vcpu_info it
    registered (its own class), no mapcache slot held, and only
    shared_info shared. The page audit accounts for every reference count
    of its pages (with two grants of its own left mapped: grant_hold), and
    its long batches were preempted and resumed."""
    iso = make_iso(workdir, "console=com1 dom0_max_vcpus=2",
                   modules=[(kernels("pvkernel"), "grant_hold loop")])
    b = boot(iso, firmware=fw, smp=2, timeout=240, send=[
        ("pvtest: idle (loop)", CTRL_A * 3),
        (TO_XEN, "m"),
        (" unexpected=", "a"),
        ("page audit:", "q"),
        ("(XEN) Domain 0", "0"),
        ("d0v0 state", "R"),
    ])
    assert b.exited and not b.timed_out, b
    m = PVSUMMARY.search(b.output)
    assert m and int(m.group(2)) == 0, b
    census = CENSUS.findall(b.output)
    assert len(census) == 1, b
    mapcache, vcpuinfo, guest, shared, unexpected = map(int, census[0])
    assert unexpected == 0, b
    # The audit itself holds the slots it walks with; no guest frame but
    # the one vcpu_info the last check registered.
    assert vcpuinfo == 1, b
    assert guest == 0, b
    # dom0's shared_info and the frames of its grant table (check-grant.c
    # grows it to NR_FRAMES, 4).
    assert shared == 1 + 4, b
    assert mapcache <= 4, b
    audit = re.findall(r"^\(XEN\) d0: page audit: (\d+) pages, (\d+) live "
                       r"tables, (\d+) pinned, (\d+) mismatches", b.output,
                       re.M)
    assert len(audit) == 1, b
    pages, tables, pinned, mismatches = map(int, audit[0])
    assert mismatches == 0 and tables >= 4 and pages > 1000, b
    cont = re.search(r"^\(XEN\) Domain 0 \(privileged\): tot_pages \d+.*"
                     r"continuations (\d+)", b.output, re.M)
    assert cont and int(cont.group(1)) >= 2, b
    assert b.has("(XEN) d0v0 state (kernel mode):"), b
    assert not b.has("FATAL TRAP"), b
