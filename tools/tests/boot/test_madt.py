# SPDX-License-Identifier: GPL-2.0-only
"""Boot tests of the MADT, HPET table, IO-APIC and 8259 set-up.

QEMU's q35 describes exactly the CPUs given with -smp (the ones up to
maxcpus listed but disabled), one IO-APIC with 24 pins at 0xfec00000, an
HPET at 0xfed00000 and a pair of 8259s; the hypervisor must report just
that and its self-tests of the same must pass.
"""

import os
import re
import subprocess

import pytest

from qemu import ROOT, boot, make_iso

SELFTESTS = ["acpi-madt", "acpi-hpet", "io-apic", "i8259"]

SUMMARY = re.compile(r"^\(XEN\) selftest: (\d+) passed, (\d+) failed$", re.M)
MADT = re.compile(r"^\(XEN\) ACPI: MADT: (\d+) CPUs? \((\d+) enabled\), "
                  r"local APIC at (0x[0-9a-f]+), (\d+) IO-APICs?, "
                  r"(\d+) interrupt overrides?, (\d+) NMI entr(?:y|ies), "
                  r"(PC-AT PICs present|no PC-AT PICs)$", re.M)

# (firmware, QEMU -smp, CPUs listed, CPUs enabled)
CASES = [("bios", "1", 1, 1), ("bios", "4", 4, 4), ("efi", "2", 2, 2),
         ("bios", "2,maxcpus=4", 4, 2)]


@pytest.fixture(scope="session", autouse=True)
def built():
    subprocess.run(["make", "-C", os.path.join(ROOT, "xen")], check=True,
                   stdout=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def iso(tmp_path_factory):
    return make_iso(str(tmp_path_factory.mktemp("iso")),
                    "console=com1 selftest=%s" % ",".join(SELFTESTS))


@pytest.mark.parametrize("fw,smp,listed,enabled", CASES,
                         ids=["%s-smp%s" % (c[0], c[1]) for c in CASES])
def test_madt_describes_qemu(iso, fw, smp, listed, enabled):
    b = boot(iso, firmware=fw, smp=smp, mem="512M")
    assert b.exited and not b.timed_out, b

    found = MADT.findall(b.output)
    assert len(found) == 1, b
    cpus, en, lapic, ioapics, _, _, pics = found[0]
    assert (int(cpus), int(en)) == (listed, enabled), b
    assert lapic == "0xfee00000", b
    assert int(ioapics) == 1, b
    assert pics == "PC-AT PICs present", b

    # QEMU numbers its CPUs' APIC IDs from 0 with no gaps.
    ids = "0" if enabled == 1 else "0-%d" % (enabled - 1)
    assert b.count("(XEN) ACPI: MADT: APIC IDs %s\n" % ids) == 1, b
    if listed > enabled:
        assert re.search(r"^\(XEN\) ACPI: MADT: disabled APIC IDs %d-%d "
                         r"\(\d+ online capable\)$" % (enabled, listed - 1),
                         b.output, re.M), b
    else:
        assert not b.has("disabled APIC IDs"), b

    assert b.count("(XEN) IO-APIC 0: ID 0 at 0xfec00000, version 0x20, "
                   "GSI 0-23 (24 pins), all masked\n") == 1, b
    assert not b.has("(XEN) IO-APIC 1:"), b
    assert b.has("(XEN) ACPI: HPET 0 at 0xfed00000"), b
    assert b.has("(XEN) 8259: moved to vectors 0x20-0x2f, all 16 lines "
                 "masked\n"), b
    assert not b.has("MADT: malformed"), b

    for name in SELFTESTS:
        assert b.count("(XEN) selftest %s: PASS\n" % name) == 1, (name, b)
    found = SUMMARY.findall(b.output)
    assert found == [(str(len(SELFTESTS)), "0")], b
