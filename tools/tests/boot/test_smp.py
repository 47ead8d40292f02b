# SPDX-License-Identifier: GPL-2.0-only
"""SMP boot tests: CPU counts, APIC modes, nosmp/maxcpus=, direct-map
builds, OVMF, and the panic that stops the other CPUs.

Every boot goes through smp_boot(), which caches by its arguments, so a
configuration that two tests need boots once; parse() turns a log into
the facts the tests assert on.

The default CPU model (Haswell-noTSX-IBRS) has x2APIC under QEMU 10, so
the xAPIC path is only exercised where a test asks for "-x2apic".
"""

import os
import re
import subprocess
import threading

import pytest

from qemu import ROOT, XEN_GZ, boot, build_variant, make_iso

CPU = "Haswell-noTSX-IBRS"
APIC_CPUS = {"x2APIC": CPU + ",+x2apic", "xAPIC": CPU + ",-x2apic"}

# Self-tests that a plain "selftest" must pass, each exactly once: the
# M1/M2 ones unchanged with every CPU online, and the concurrent SMP ones.
SELFTESTS = ["cmdline", "vsnprintf", "memmap", "extable", "acpi-tables",
             "image-mapping", "pagetables", "mapcache", "heap", "xenheap",
             "vmap", "xmalloc", "apic-mode", "locks", "smp-mm-stress",
             "smp-pt-stress", "timers", "tlb-shootdown", "page-info",
             "l4-slots", "fixmap", "mm-audit-negative", "mm-audit"]

SUMMARY = re.compile(r"^\(XEN\) selftest: (\d+) passed, (\d+) failed$", re.M)
BROUGHT_UP = re.compile(r"^\(XEN\) Brought up (\d+) CPUs$", re.M)
APIC_LINE = re.compile(r"^\(XEN\) Local APIC: (xAPIC|x2APIC) mode, boot CPU "
                       r"APIC ID (\d+), version 0x[0-9a-f]+$", re.M)
IGNORED = re.compile(r"^\(XEN\) SMP: (\d+) more CPUs? ignored \((.*)\)$",
                     re.M)
PASS = re.compile(r"^\(XEN\) selftest (\S+): PASS$", re.M)
FAIL = re.compile(r"^\(XEN\) selftest (\S+): FAIL: (.*)$", re.M)
AUDIT = re.compile(r"^\(XEN\) mm-audit: .* directmap=(\d+) .* "
                   r"unexpected=(\d+)$", re.M)
AUDIT_ROOTS = re.compile(r"^\(XEN\) mm-audit: .* roots=(\d+) .*$", re.M)
PLANTED = re.compile(r"^\(XEN\) mm-audit-negative: (\S+): frame ", re.M)
STOPPED = re.compile(r"^\(XEN\) CPU(\d+) stopped by the panic, it was at "
                     r"(\S+):\n\(XEN\) Xen call trace:$", re.M)


@pytest.fixture(scope="module", autouse=True)
def built():
    subprocess.run(["make", "-C", os.path.join(ROOT, "xen")], check=True,
                   stdout=subprocess.DEVNULL)


class Log:
    """What one boot printed, reduced to the facts the tests check."""

    def __init__(self, b):
        self.boot = b
        out = b.output
        self.cpus = [int(n) for n in BROUGHT_UP.findall(out)]
        self.apic = APIC_LINE.findall(out)
        self.summary = [(int(p), int(f)) for p, f in SUMMARY.findall(out)]
        self.passed = PASS.findall(out)
        self.failed = FAIL.findall(out)
        self.ignored = [(int(n), why) for n, why in IGNORED.findall(out)]
        self.audit = [(int(d), int(u)) for d, u in AUDIT.findall(out)]
        self.audit_roots = [int(n) for n in AUDIT_ROOTS.findall(out)]
        self.planted = PLANTED.findall(out)

    def __repr__(self):
        return repr(self.boot)

    @property
    def brought_up(self):
        assert len(self.cpus) == 1, self
        return self.cpus[0]

    @property
    def apic_mode(self):
        assert len(self.apic) == 1, self
        return self.apic[0][0]

    def assert_all_selftests_pass(self, names=SELFTESTS):
        """A plain "selftest" boot: powered off, nothing failed, and at
        least the known tests passed, each once."""
        b = self.boot
        assert b.exited and not b.timed_out, self
        assert not self.failed, (self.failed, self)
        assert len(self.summary) == 1, self
        passed, failed = self.summary[0]
        assert failed == 0, self
        assert passed == len(self.passed) >= len(names), self
        for name in names:
            assert self.passed.count(name) == 1, (name, self)
        assert b.has("(XEN) Powering off"), self


@pytest.fixture(scope="module")
def smp_boot(tmp_path_factory):
    """smp_boot(cmdline, smp, cpu=CPU, firmware="bios", xen_gz=XEN_GZ,
    timeout=240, grub_before="") -> Log, one boot per distinct set of
    arguments."""
    work = str(tmp_path_factory.mktemp("smp-iso"))
    cache = {}

    def run(cmdline, smp, cpu=CPU, firmware="bios", xen_gz=XEN_GZ,
            timeout=240, grub_before=""):
        key = (cmdline, smp, cpu, firmware, xen_gz, grub_before)
        if key not in cache:
            iso = make_iso(work, "console=com1 " + cmdline, xen_gz=xen_gz,
                           grub_before=grub_before)
            cache[key] = Log(boot(iso, firmware=firmware, mem="1G", smp=smp,
                                  cpu=cpu, timeout=timeout))
        return cache[key]

    return run


# TCG runs every vCPU on the two host cores: 8 is slow when they are busy.
@pytest.mark.parametrize("smp", [1, 2, 4, 8])
def test_all_cpus_come_up_and_selftests_pass(smp_boot, smp):
    log = smp_boot("selftest", smp, timeout=600 if smp == 8 else 240)
    assert log.brought_up == smp, log
    assert not log.ignored, log
    assert not log.boot.has("did not answer"), log
    log.assert_all_selftests_pass()
    assert log.audit and log.audit[0][1] == 0, log
    # The AP trampoline's tables are a root the audit walks, and plants in.
    assert log.audit_roots == [2 if smp > 1 else 1], log
    assert ("trampoline-stray" in log.planted) == (smp > 1), log


def test_parallel_stress_runs_finish(tmp_path):
    """Three 4-CPU boots of the all-CPU mm stress at once, so that the
    vCPUs of each are descheduled at random points by the host: every run
    must finish with its tests passed. Before the lock wait loops served
    shootdowns, a CPU holding the page-table lock waited forever for the
    acknowledgement of CPUs spinning on that lock (the boot hung)."""
    tests = "smp-mm-stress,smp-pt-stress,tlb-shootdown,mm-audit"
    iso = make_iso(str(tmp_path), "console=com1 selftest=" + tests)
    logs = [None] * 3

    def one(i):
        logs[i] = Log(boot(iso, mem="1G", smp=4, cpu=CPU, timeout=900))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for log in logs:
        log.assert_all_selftests_pass(tests.split(","))


@pytest.mark.parametrize("mode", ["x2APIC", "xAPIC"])
def test_apic_mode(smp_boot, mode):
    """The mode the CPU model offers is the one the hypervisor runs in,
    and the apic-mode self-test confirms it from each CPU's own state.

    If QEMU ever ignored "+x2apic" (as 7.2 did), the hypervisor would
    report xAPIC mode and this test fails."""
    log = smp_boot("selftest", 4, cpu=APIC_CPUS[mode])
    assert log.apic_mode == mode, log
    assert log.apic[0][1] == "0", log     # QEMU numbers the BSP 0
    assert log.brought_up == 4, log
    log.assert_all_selftests_pass()


X2APIC_NOT_USED = "(XEN) Local APIC: x2APIC offered, not used (x2apic=0)\n"
X2APIC_KEPT = ("(XEN) Local APIC: firmware left x2APIC mode enabled; "
               "x2apic=0 ignored\n")
# GRUB plays firmware that hands over in x2APIC mode: EXTD (bit 10) set in
# IA32_APIC_BASE, with EN, BSP and QEMU's base address as they were.
FIRMWARE_X2APIC = "insmod wrmsr; wrmsr 0x1b 0xfee00d00"


@pytest.mark.parametrize("option,mode", [("x2apic=0", "xAPIC"),
                                         ("no-x2apic", "xAPIC"),
                                         ("x2apic=1", "x2APIC")])
def test_x2apic_option(smp_boot, option, mode):
    """On a CPU that offers x2APIC, x2apic=0 keeps every CPU in xAPIC mode
    and the log says why; apic-mode confirms it from each CPU's MSRs."""
    log = smp_boot("%s selftest=apic-mode" % option, 2,
                   cpu=APIC_CPUS["x2APIC"])
    assert log.apic_mode == mode, log
    assert log.boot.count(X2APIC_NOT_USED) == (mode == "xAPIC"), log
    assert not log.boot.has(X2APIC_KEPT), log
    assert log.brought_up == 2, log
    assert log.boot.exited and log.summary == [(1, 0)], log
    assert log.passed == ["apic-mode"], log


@pytest.mark.parametrize("option", ["", "x2apic=0"])
def test_firmware_x2apic_is_kept(smp_boot, option):
    """A boot loader that already switched the APIC to x2APIC: the
    hypervisor stays in x2APIC mode on every CPU, and x2apic=0 is reported
    as ignored rather than honoured."""
    log = smp_boot("%s selftest=apic-mode" % option, 2,
                   cpu=APIC_CPUS["x2APIC"], grub_before=FIRMWARE_X2APIC)
    assert log.apic_mode == "x2APIC", log
    assert log.boot.count(X2APIC_KEPT) == (option == "x2apic=0"), log
    assert not log.boot.has(X2APIC_NOT_USED), log
    assert log.brought_up == 2, log
    assert log.boot.exited and log.summary == [(1, 0)], log
    assert log.passed == ["apic-mode"], log


@pytest.mark.parametrize("option,cpus,why", [("nosmp", 1, "nosmp"),
                                             ("maxcpus=2", 2, "maxcpus="),
                                             ("maxcpus=1", 1, "maxcpus=")])
def test_fewer_cpus_allowed(smp_boot, option, cpus, why):
    log = smp_boot("%s selftest=apic-mode" % option, 4)
    assert log.brought_up == cpus, log
    assert log.ignored == [(4 - cpus, why)], log
    # No AP is started, so no trampoline is needed with one CPU.
    assert log.boot.has("(XEN) SMP: AP trampoline at ") == (cpus > 1), log
    assert log.boot.exited and log.summary == [(1, 0)], log
    assert log.passed == ["apic-mode"], log


@pytest.fixture(scope="module")
def full_directmap_gz(tmp_path_factory):
    """A build that direct-maps all RAM of these machines (64 GiB)."""
    return build_variant(str(tmp_path_factory.mktemp("smp-dm-full")),
                         DIRECTMAP_SIZE_GB=64)


@pytest.mark.parametrize("dm", ["none", "full"])
def test_directmap_builds(smp_boot, request, dm):
    xen_gz = XEN_GZ if dm == "none" else \
        request.getfixturevalue("full_directmap_gz")
    log = smp_boot("selftest", 4, xen_gz=xen_gz)
    assert log.brought_up == 4, log
    log.assert_all_selftests_pass()
    assert len(log.audit) == 1, log
    directmapped, unexpected = log.audit[0]
    assert unexpected == 0, log
    assert (directmapped > 0) == (dm == "full"), log


def test_ovmf(smp_boot):
    log = smp_boot("selftest", 4, firmware="efi", timeout=300)
    assert log.boot.has("x86-64, UEFI\n"), log
    assert log.brought_up == 4, log
    log.assert_all_selftests_pass()


@pytest.mark.parametrize("mode", ["x2APIC", "xAPIC"])
def test_panic_stops_other_cpus(smp_boot, mode):
    """The other CPUs spin with interrupts off; the panic's NMIs stop each
    one, and each reports that it was in the spin."""
    log = smp_boot("selftest=fatal-smp-panic", 4, cpu=APIC_CPUS[mode])
    b = log.boot
    assert log.apic_mode == mode, log
    assert log.brought_up == 4, log
    assert b.exited and not b.timed_out, log      # the reboot ended QEMU
    assert b.has("Panic on CPU 0:\n(XEN) selftest: deliberate panic with "
                 "4 CPUs online\n"), log
    stopped = STOPPED.findall(b.output)
    assert sorted(int(cpu) for cpu, _ in stopped) == [1, 2, 3], log
    for _, where in stopped:
        assert re.fullmatch(r"fatal_smp_panic_spin\+0x[0-9a-f]+/0x[0-9a-f]+",
                            where), (where, log)
    assert b.count("stopped by the panic") == 3, log
    assert not b.has("did not stop"), log
    # The reports come after the panic message, and the reboot after them.
    panic_at = b.output.index("Panic on CPU 0:")
    assert all(b.output.index("CPU%s stopped" % c) > panic_at
               for c, _ in stopped), log
    assert b.output.rindex("stopped by the panic") < \
        b.output.index("Rebooting"), log
    assert not log.summary, log


TSC_LINE = re.compile(r"^\(XEN\) TSC: \d+\.\d{3} MHz \(calibrated against "
                      r"the (HPET|PIT)\)$", re.M)


@pytest.mark.parametrize("option, source", [("", "HPET"),
                                            ("clocksource=pit", "PIT"),
                                            ("clocksource=bogus", "HPET")])
def test_tsc_reference_and_timers(smp_boot, option, source):
    """q35 has an HPET, so it is the default reference; clocksource=pit
    forces the PIT; a bad value is reported and the default kept. The
    timers self-test (all CPUs, order, never early) passes either way."""
    log = smp_boot("%s selftest=timers" % option, 2)
    assert TSC_LINE.findall(log.boot.output) == [source], log
    assert log.passed == ["timers"] and log.summary == [(1, 0)], log
    assert log.boot.has("clocksource=bogus: unknown") == \
        (option == "clocksource=bogus"), log


def test_cpus_beyond_nr_cpus_are_ignored(smp_boot, tmp_path_factory):
    """A build for 2 CPUs on a 4-CPU machine brings up 2 and says why the
    other 2 are left out."""
    gz = build_variant(str(tmp_path_factory.mktemp("smp-nr2")),
                       NR_CPUS=2)
    log = smp_boot("selftest=apic-mode,locks", 4, xen_gz=gz)
    assert log.brought_up == 2, log
    assert log.ignored == [(2, "beyond CONFIG_NR_CPUS")], log
    assert sorted(log.passed) == ["apic-mode", "locks"], log
    assert log.summary == [(2, 0)], log


@pytest.mark.parametrize("test, message", [
    ("fatal-lock-recursion", r"CPU0 takes lock (0x[0-9a-f]+) it already "
                             r"holds"),
    ("fatal-lock-irq", r"lock (0x[0-9a-f]+) taken with interrupts off, but "
                       r"before with interrupts on"),
])
def test_debug_lock_checks(smp_boot, test, message):
    """Debug builds catch a CPU taking a lock it holds, and a lock taken
    both with interrupts on and off, naming the lock, and BUG."""
    log = smp_boot("selftest=%s" % test, 2)
    out = log.boot.output
    assert log.boot.exited and not log.boot.timed_out, log
    assert re.search(r"^\(XEN\) %s$" % message, out, re.M), log
    assert re.search(r"^\(XEN\) Xen BUG at common/spinlock\.c:\d+$", out,
                     re.M), log
    assert "selftest_%s+0x" % test.replace("-", "_") in out, log
    assert log.boot.has("Panic on CPU 0:"), log
    assert not log.summary, log
