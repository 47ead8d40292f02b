# SPDX-License-Identifier: GPL-2.0-only
"""Boot tests (milestone M1): the hypervisor under QEMU, BIOS and OVMF.

Each test boots a real ISO made with grub-mkrescue and asserts on what the
hypervisor printed on COM1, and on how QEMU ended.
"""

import os
import re
import subprocess

import pytest

from qemu import ROOT, boot, make_iso

FIRMWARES = ["bios", "efi"]

# Self-tests that a plain "selftest" must run, each exactly once.
M1_SELFTESTS = ["cmdline", "vsnprintf", "memmap", "extable", "acpi-tables",
                "image-mapping", "pagetables", "mapcache", "heap", "xenheap",
                "vmap", "xmalloc", "apic-mode", "acpi-madt", "acpi-hpet",
                "io-apic", "i8259", "page-info", "l4-slots", "fixmap",
                "pv-domain", "mm-audit-negative", "mm-audit"]

# What mm-audit-negative plants and the reason the audit must give; the
# trampoline's plant needs an AP trampoline, which one CPU does not set up.
AUDIT_PLANTS = {
    "mapcache-leak": "mapcache slot not in use",
    "vmap-unallocated": "vmap address in no allocation",
    "vmap-unmapped": "vunmap()ed range, waiting for the purge, still mapped",
    "vmap-freed-frame": "free heap frame mapped",
    "xenheap-domheap-frame": "xenheap region maps a frame not marked "
                             "xenheap",
    "xenheap-alias": "xenheap page mapped away from its page_to_virt()",
    "directmap-alias": "direct map entry not RAM at its own offset below "
                       "the direct map's end",
    "frametable-hole": "frame table outside its populated chunks",
    "tracking-hole": "tracking array outside its populated pages",
    "bootmap-ram": "RAM in the bootmap window",
    "exec-data": "executable outside the image's text",
    "outside-regions": "mapped outside every region",
    "m2p-hole": "M2P outside the table pages it made",
    "table-xenheap": "page-table page from the xenheap",
}
PLANT = re.compile(r'^\(XEN\) mm-audit-negative: (\S+): frame 0x[0-9a-f]+ '
                   r'at 0x[0-9a-f]+: "(.*)", unexpected=1$', re.M)

SUMMARY = re.compile(r"^\(XEN\) selftest: (\d+) passed, (\d+) failed$", re.M)
PT_1G_SKIPPED = "(XEN) selftest pagetables: 1 GiB paths skipped: "
PT_1G_RAN = re.compile(r"^\(XEN\) selftest pagetables: 1 GiB leaf over mfn "
                       r"(0x[0-9a-f]+) mapped, split to 4 KiB, merged back, "
                       r"unmapped$", re.M)
RAM_LINE = re.compile(r"^\(XEN\)  ([0-9a-f]{16}) - ([0-9a-f]{16}) \(RAM\)$",
                      re.M)


@pytest.fixture(scope="session", autouse=True)
def built():
    subprocess.run(["make", "-C", os.path.join(ROOT, "xen")], check=True,
                   stdout=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("iso"))


@pytest.fixture(scope="session")
def dummy_module(workdir):
    path = os.path.join(workdir, "dummy.bin")
    with open(path, "wb") as f:
        f.write(bytes(range(256)) * 20)  # 5120 bytes: not a page multiple
    return path


def summary(b):
    found = SUMMARY.findall(b.output)
    assert len(found) == 1, b
    return int(found[0][0]), int(found[0][1])


@pytest.fixture(scope="session")
def full_boots(workdir, dummy_module):
    """One "selftest" boot per firmware, with a module, shared by tests."""
    iso = make_iso(workdir, "console=com1 selftest",
                   [(dummy_module, "dummy.bin arg=1")])
    return {fw: boot(iso, firmware=fw, mem="1G") for fw in FIRMWARES}


@pytest.mark.parametrize("fw", FIRMWARES)
def test_selftests_pass_and_power_off(full_boots, fw):
    b = full_boots[fw]
    assert b.exited and not b.timed_out, b
    for name in M1_SELFTESTS:
        assert b.count("(XEN) selftest %s: PASS\n" % name) == 1, (name, b)
    passed, failed = summary(b)
    assert failed == 0, b
    assert passed == len(re.findall(r"^\(XEN\) selftest \S+: PASS$",
                                    b.output, re.M)), b
    assert b.has("(XEN) Powering off"), b
    # The audit ran last and found nothing mapped that should not be.
    assert b.output.index("selftest mm-audit:") > max(
        b.output.index("selftest %s:" % n) for n in M1_SELFTESTS
        if n != "mm-audit"), b
    assert re.search(r"^\(XEN\) mm-audit: .* directmap=0 .* unexpected=0$",
                     b.output, re.M), b
    # The tests' CPU model has no 1 GiB pages, and the test says so.
    assert b.count(PT_1G_SKIPPED + "CPU lacks pdpe1gb\n") == 1, b
    assert not PT_1G_RAN.search(b.output), b


@pytest.mark.parametrize("fw", FIRMWARES)
def test_audit_names_each_planted_stray(full_boots, fw):
    """Each stray mapping mm-audit-negative plants is the one thing the
    audit finds, and it gives the right reason."""
    b = full_boots[fw]
    assert dict(PLANT.findall(b.output)) == AUDIT_PLANTS, b
    assert len(PLANT.findall(b.output)) == len(AUDIT_PLANTS), b
    assert b.has("(XEN) mm-audit-negative: trampoline-stray: skipped: no AP "
                 "trampoline\n"), b


@pytest.mark.parametrize("fw", FIRMWARES)
def test_banner_and_firmware(full_boots, fw):
    b = full_boots[fw]
    assert re.search(r"^\(XEN\) Xenon \d+\.\d+ \((debug|release) build\), "
                     r"x86-64, %s$" % ("UEFI" if fw == "efi" else "BIOS"),
                     b.output, re.M), b
    assert b.has("(XEN) Boot loader: GRUB"), b


@pytest.mark.parametrize("fw", FIRMWARES)
def test_every_hypervisor_line_is_prefixed(full_boots, fw):
    b = full_boots[fw]
    start = b.output.index("(XEN) Xenon ")
    for line in b.output[start:].splitlines():
        if line:
            assert line.startswith("(XEN) "), repr(line)


@pytest.mark.parametrize("fw", FIRMWARES)
def test_module_listed_with_cmdline(full_boots, dummy_module, fw):
    b = full_boots[fw]
    size = os.path.getsize(dummy_module)
    assert b.has("(XEN) Modules: 1\n"), b
    m = re.search(r"^\(XEN\)  Module 0: (0x[0-9a-f]+)-(0x[0-9a-f]+) "
                  r"\((\d+) bytes\) '([^']*)'$", b.output, re.M)
    assert m, b
    assert int(m.group(2), 16) - int(m.group(1), 16) == size
    assert int(m.group(3)) == size
    assert m.group(4) == "dummy.bin arg=1"


@pytest.mark.parametrize("mem", ["4G", "1G"])
def test_pagetables_1g_paths(workdir, mem):
    """With pdpe1gb, which TCG offers on request, the pagetables self-test
    maps a 1 GiB leaf, splits it to 4 KiB and merges it back, over a 1 GiB
    block it took from the heap: RAM it owns, never an MMIO hole. At 4 GiB
    QEMU gives [4 GiB, 6 GiB) of RAM, whose first GiB is free (the boot's
    own allocations are at the top); at 1 GiB no aligned GiB is free, and
    the test says it skipped the 1 GiB paths rather than failing."""
    b = boot(make_iso(workdir, "console=com1 selftest=pagetables,mm-audit"),
             cpu="Haswell-noTSX-IBRS,+pdpe1gb", mem=mem)
    assert b.exited and b.status == 0, b
    assert summary(b) == (2, 0), b
    assert b.has("(XEN) selftest pagetables: PASS\n"), b
    assert re.search(r"^\(XEN\) mm-audit: .* unexpected=0$", b.output,
                     re.M), b
    ran = PT_1G_RAN.findall(b.output)
    if mem == "1G":
        assert not ran, b
        assert b.count(PT_1G_SKIPPED + "no free 1 GiB block in the heap\n") \
            == 1, b
        return
    assert len(ran) == 1 and not b.has(PT_1G_SKIPPED), b
    start = int(ran[0], 16) << 12
    assert start % (1 << 30) == 0, b
    assert any(int(s, 16) <= start and start + (1 << 30) - 1 <= int(e, 16)
               for s, e in RAM_LINE.findall(b.output)), b


def total_ram_mib(b):
    m = re.search(r"^\(XEN\) Total RAM: (\d+) MiB \((\d+) bytes\)$",
                  b.output, re.M)
    assert m, b
    return int(m.group(2)) / (1 << 20)


@pytest.mark.parametrize("fw,mem_mib", [("bios", 1024), ("efi", 1024),
                                        ("bios", 128), ("bios", 6144),
                                        ("efi", 6144)])
def test_total_ram_matches_qemu(workdir, fw, mem_mib, full_boots):
    """The sanitised map's RAM is QEMU's -m less what firmware keeps.

    SeaBIOS keeps under 1 MiB (below 1 MiB plus a few pages at the top of
    low RAM); OVMF keeps more for its runtime services and ACPI tables,
    bounded here at 32 MiB.
    """
    if mem_mib == 1024:
        b = full_boots[fw]
    else:
        b = boot(make_iso(workdir, "console=com1 selftest=memmap"),
                 firmware=fw, mem="%dM" % mem_mib)
        assert b.exited and b.has("(XEN) selftest memmap: PASS"), b
    ram = total_ram_mib(b)
    slack = 32 if fw == "efi" else 2
    assert mem_mib - slack <= ram <= mem_mib, (ram, b)


@pytest.mark.parametrize("fw", FIRMWARES)
def test_fatal_trap_report(workdir, fw):
    b = boot(make_iso(workdir, "console=com1 selftest=fatal-trap"),
             firmware=fw)
    assert b.exited and not b.timed_out, b
    out = b.output
    assert re.search(r"^\(XEN\) .*FATAL TRAP: vector = 1[34] ", out, re.M), b
    for reg in ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
                "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
                "cr0", "cr2", "cr3", "cr4"]:
        assert re.search(r"\b%s:\s*[0-9a-f]{16}\b" % reg, out), (reg, b)
    frames = re.findall(r"^\(XEN\) +\[<(ffff82d0[0-9a-f]{8})>\] .*?"
                        r"([A-Za-z_][\w.]*)\+0x[0-9a-f]+/0x[0-9a-f]+$",
                        out, re.M)
    names = [name for _, name in frames]
    assert "selftest_fatal_trap" in names, b
    assert "selftest_run" in names, b
    assert b.has("Rebooting"), b
    assert not SUMMARY.search(out), b


def test_noreboot_halts_after_panic(workdir):
    b = boot(make_iso(workdir, "console=com1 noreboot selftest=fatal-trap"),
             until="('noreboot' specified)", timeout=90)
    assert b.has("FATAL TRAP"), b
    assert b.has("(XEN) Manual reset required ('noreboot' specified)"), b
    assert not b.has("Rebooting"), b


def test_malformed_and_unknown_options(workdir):
    b = boot(make_iso(workdir, "console=com1 loglvl=bogus com1=fast "
                      "frobnicate=1 frobnicate selftest=cmdline"))
    assert b.exited, b
    assert b.count("Bad value for command line option 'loglvl': 'bogus' "
                   "(default kept)") == 1, b
    assert b.count("Bad value for command line option 'com1': 'fast' "
                   "(default kept)") == 1, b
    assert b.count("Unknown command line option 'frobnicate'") == 1, b
    assert summary(b) == (1, 0), b


def test_com1_options(workdir):
    b = boot(make_iso(workdir, "console=com1 com1=115200,8n1,0x3f8 "
                      "selftest=cmdline"))
    assert b.exited and summary(b) == (1, 0), b
    assert not b.has("option 'com1'"), b


def test_loglvl_filters(workdir):
    b = boot(make_iso(workdir, "console=com1 loglvl=warning nosuchopt "
                      "selftest=cmdline"))
    assert b.exited, b
    assert b.has("Unknown command line option 'nosuchopt'"), b
    assert not b.has("(XEN) Xenon "), b     # info: filtered out


def test_unknown_selftest_fails(workdir):
    b = boot(make_iso(workdir, "console=com1 selftest=memmap,nosuch"))
    assert b.exited, b
    assert b.has("(XEN) selftest nosuch: FAIL: no such test"), b
    assert summary(b) == (1, 1), b


def test_no_dom0_kernel_halts(workdir):
    """Without a module there is nothing to run: one clear line, a halt."""
    b = boot(make_iso(workdir, "console=com1"), until="halting",
             timeout=90)
    assert not b.timed_out, b
    assert b.has("(XEN) No dom0 kernel (the first multiboot2 module that "
                 "is not a domU): no dom0 to run; halting"), b
    assert not SUMMARY.search(b.output), b


def test_no_long_mode_message(workdir):
    """A 32-bit-only CPU gets a message on COM1 before any C code runs."""
    b = boot(make_iso(workdir, "console=com1 selftest"), cpu="qemu32",
             until="halting.", timeout=90)
    assert b.has("(XEN) ERR: this CPU does not support 64-bit long mode; "
                 "halting."), b


def test_warn_continues_and_bug_panics(workdir):
    """WARN_ON reports file:line and carries on; BUG_ON reports and panics."""
    with open(os.path.join(ROOT, "xen", "common", "bug.c")) as f:
        src = f.read().splitlines()
    warn_line = 1 + next(i for i, l in enumerate(src) if "WARN_ON(yes)" in l)
    bug_line = 1 + next(i for i, l in enumerate(src) if "BUG_ON(yes)" in l)
    b = boot(make_iso(workdir, "console=com1 selftest=fatal-bug"))
    assert b.exited and not b.timed_out, b
    out = b.output
    warn = "(XEN) Xen WARN at common/bug.c:%d\n" % warn_line
    bug = "(XEN) Xen BUG at common/bug.c:%d\n" % bug_line
    assert warn in out and bug in out, b
    assert out.index(warn) < out.index(bug), b
    assert re.search(r"\] selftest_fatal_bug\+0x", out), b
    assert b.has("Panic on CPU 0:\n(XEN) Xen BUG at common/bug.c:%d"
                 % bug_line), b
    assert not SUMMARY.search(out), b


def test_mapcache_exhaustion_names_holders(workdir):
    b = boot(make_iso(workdir, "console=com1 selftest=fatal-mapcache"))
    assert b.exited and not b.timed_out, b
    holders = re.findall(r"^\(XEN\) mapcache slot (\d+) held by (\S+)$",
                         b.output, re.M)
    assert len(holders) == 32, b
    assert all(h.startswith("selftest_fatal_mapcache+0x") for _, h in holders), b
    assert b.has("Panic on CPU 0:\n(XEN) mapcache: all 32 slots of CPU0 in use"), b


def test_va_of_unmapped_frame_is_caught(workdir):
    b = boot(make_iso(workdir, "console=com1 selftest=fatal-va"))
    assert b.exited and not b.timed_out, b
    assert re.search(r"mfn_to_virt\(0x[0-9a-f]+\) from selftest_fatal_va\+0x"
                     r"[0-9a-f]+/0x[0-9a-f]+: frame has no permanent mapping",
                     b.output), b
