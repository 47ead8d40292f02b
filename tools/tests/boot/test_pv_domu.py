# SPDX-License-Identifier: GPL-2.0-only
"""Milestone M5: a second PV domain at boot (a "domU" module).

The PV test kernel runs twice: as dom0 (its first module) and as an
unprivileged domU (a module whose command line starts with "domU"). The
domU's console lines come out prefixed "(d1) ", its checks all pass with
a domU's answers (refusals where dom0 would be allowed), it shuts down
and is destroyed while dom0 runs on, and the heap's settled count after
its destruction equals the one before it was built. Bad domU lines each
cost one line and that domU only.
"""

import os
import re
import subprocess

import pytest

from qemu import ROOT, boot, build_variant, make_iso

PVK = os.path.join(ROOT, "tools", "tests", "pvkernel")
BUILD = os.path.join(PVK, "build")
DOM0_SUMMARY = re.compile(r"^pvtest: (\d+) passed, (\d+) failed", re.M)
BUILT = re.compile(r"^\(XEN\) d(\d+): domU, (\d+) vCPUs?, (\d+) pages, "
                   r"command line \"[^\"]*\"(?:, initrd)?; heap before it: "
                   r"(\d+) free \+ (\d+) hypervisor page tables; starting "
                   r"it$", re.M)
DESTROYED = re.compile(r"^\(XEN\) d(\d+) destroyed: (\d+) pages back; heap "
                       r"after it: (\d+) free \+ (\d+) hypervisor page "
                       r"tables$", re.M)
CTRL_A = "\x01"
# dom0's own lines are unprefixed; it says this once its checks are done.
DOM0_IDLE = "\npvtest: idle (loop)"
TO_XEN = ("(XEN) *** Serial input to Xen (type 'CTRL-a' three times to "
          "switch input)")
DOMU_CHECKS = ["domu_map_foreign_frames_refused", "domu_foreign_domain_refused",
               "domu_ptwr_foreign_frame_bounced",
               "domu_privileged_calls_refused", "domu_io_ports_refused",
               "domu_console_ring_never_a_page_table"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("domu-iso"))


@pytest.fixture(scope="module")
def kernels():
    r = subprocess.run(["make", "-s", "-C", PVK], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    assert r.returncode == 0, r.stdout
    return lambda name: os.path.join(BUILD, name)


@pytest.fixture(scope="module")
def full_directmap(tmp_path_factory):
    return build_variant(str(tmp_path_factory.mktemp("domu-dm-full")),
                         DIRECTMAP_SIZE_GB=64)


def domu_summary(b, domid):
    m = re.search(r"^\(d%d\) pvtest: (\d+) passed, (\d+) failed" % domid,
                  b.output, re.M)
    assert m, b
    fails = re.findall(r"^\(d%d\) pvtest: FAIL .*$" % domid, b.output, re.M)
    assert int(m.group(2)) == len(fails), b
    assert not fails, "\n".join(fails)
    return int(m.group(1)), int(m.group(2))


def heap_sums(b, domid):
    """The settled heap count before domid was built and after it died."""
    built = [m for m in BUILT.finditer(b.output) if int(m.group(1)) == domid]
    gone = [m for m in DESTROYED.finditer(b.output)
            if int(m.group(1)) == domid]
    assert len(built) == 1 and len(gone) == 1, b
    before = int(built[0].group(4)) + int(built[0].group(5))
    after = int(gone[0].group(3)) + int(gone[0].group(4))
    return before, after, int(built[0].group(3)), int(gone[0].group(2))


CONFIGS = [
    # (id, firmware, CPUs)
    ("bios-smp2", "bios", 2),
    ("efi-smp2", "efi", 2),
    ("bios-smp1", "bios", 1),
    ("bios-smp4", "bios", 4),
]


@pytest.mark.parametrize("fw,smp", [c[1:] for c in CONFIGS],
                         ids=[c[0] for c in CONFIGS])
def test_domu_runs_beside_dom0_and_is_destroyed(workdir, kernels, fw, smp):
    """dom0 runs a few checks and idles; the domU runs every check as a
    domU, shuts down and is destroyed with every page back; dom0 still
    answers a debug key afterwards."""
    iso = make_iso(workdir, "console=com1",
                   modules=[(kernels("pvkernel"), "loop only=xen_version"),
                            (kernels("pvkernel"),
                             "domU mem=32M vcpus=2 -- peer=0")])
    b = boot(iso, firmware=fw, smp=smp, timeout=300,
             until="(XEN) Domain 0 (privileged)", send=[
                 (("(XEN) d1 destroyed:", DOM0_IDLE), CTRL_A * 3),
                 (TO_XEN, "q"),
             ])
    assert not b.timed_out, b
    assert not b.has("FATAL TRAP"), b

    # dom0: its own run, unprefixed, then idle.
    m = DOM0_SUMMARY.search(b.output)
    assert m and int(m.group(2)) == 0 and int(m.group(1)) >= 4, b
    assert b.has("\npvtest: running as dom0, peer domain 1\n"), b
    assert b.has("\npvtest: idle (loop)"), b

    # The domU: prefixed lines, every check passed, its own checks run.
    assert b.has("\n(d1) pvtest: running as a domU, peer domain 0\n"), b
    passed, failed = domu_summary(b, 1)
    assert failed == 0 and passed >= 60, b
    for name in DOMU_CHECKS:
        assert b.has("\n(d1) pvtest: ok %s\n" % name), b
    assert not re.search(r"^pvtest: ok domu_", b.output, re.M), b

    # Shut down, reported, destroyed with exact counts.
    assert b.has("(XEN) Domain 1 shutdown: poweroff"), b
    before, after, pages, back = heap_sums(b, 1)
    assert pages == 8192 and back == pages, b
    assert after == before, b
    assert b.output.index("Domain 1 shutdown") < \
        b.output.index("d1 destroyed"), b
    # dom0 lives on, and the domain list no longer has d1.
    tail = b.output[b.output.index("d1 destroyed"):]
    assert "(XEN) Domain 0 (privileged)" in tail, b
    assert "(XEN) Domain 1" not in tail.split("(XEN) Domain 0 (privileged)")[1]


def test_dom0_powers_off_while_a_domu_runs(workdir, kernels):
    """dom0 runs every check beside an idling domU, then powers the
    machine off: the domU does not keep it up."""
    iso = make_iso(workdir, "console=com1",
                   modules=[(kernels("pvkernel"), ""),
                            (kernels("pvkernel"), "domU mem=32M -- loop")])
    b = boot(iso, smp=2, timeout=300)
    assert b.exited and not b.timed_out, b
    m = DOM0_SUMMARY.search(b.output)
    assert m and int(m.group(2)) == 0 and int(m.group(1)) >= 60, b
    assert b.has("(XEN) Hardware dom0 shut down: powering off"), b
    assert not b.has("d1 destroyed"), b
    assert not b.has("FATAL TRAP"), b


def test_bad_domu_lines_cost_only_that_domu(workdir, kernels):
    """Each bad domU gets one line; the good ones, before and after them,
    are built with their module-order ids; a crashing domU is reported
    and destroyed like one that shuts down."""
    pvk = kernels("pvkernel")
    iso = make_iso(workdir, "console=com1", modules=[
        (pvk, "domU mem=16Q"),                        # d1
        (pvk, "loop only=xen_version"),               # dom0
        (pvk, "domU mem=16M vcpus=0"),                # d2
        (pvk, "domU mem=64G"),                        # d3
        (pvk, "domU mem=16M -- only=domu"),           # d4
        (kernels("bad-not-elf"), "domU mem=16M"),     # d5
        (pvk, "domU mem=16M -- only=xen_version crash"),  # d6
        (pvk, "domU mem=16M vcpus=1"),                # d7: no "--"
        (pvk, "domU mem=16M -- only=xen_version"),    # d8
        (pvk, "domU-initrd x"),                       # d8's, bad
        (pvk, "domU-initrd"),                         # follows no kernel
    ])
    # d7 runs every check: by its end the quick d4 and d6 are long gone.
    b = boot(iso, smp=2, timeout=300, until=" hypervisor page tables\n",
             send=[("(XEN) d7 destroyed:", "")])
    assert not b.timed_out, b
    assert not b.has("FATAL TRAP"), b
    assert b.has('(XEN) d1: bad domU line (module 0): bad size in '
                 '"mem=16Q"; booting on without it'), b
    assert b.has('(XEN) d2: bad domU line (module 2): bad vCPU count in '
                 '"vcpus=0" (1 to 32); booting on without it'), b
    assert re.search(r"^\(XEN\) d3: not enough memory: 65536 MiB asked, \d+ "
                     r"MiB left for domUs \(dom0 keeps 64 MiB\); booting on "
                     r"without it$", b.output, re.M), b
    assert b.has("(XEN) d5 kernel: not an ELF image"), b
    assert b.has("(XEN) d5: not built; booting on without it"), b
    assert b.has('(XEN) d8: bad domU-initrd line (module 9): unexpected '
                 '"x" after domU-initrd (it takes no options); booting on '
                 'without it'), b
    assert b.has("(XEN) module 10: a domU-initrd must follow its domU's "
                 "kernel module; ignored"), b
    for bad in (1, 2, 3, 5, 8):
        assert not b.has("(d%d) " % bad), b
        assert not b.has("d%d destroyed" % bad), b

    # dom0 is the first module that is not a domU.
    assert b.has("\npvtest: running as dom0, peer domain 1\n"), b
    passed, failed = domu_summary(b, 4)
    assert failed == 0 and passed == len(DOMU_CHECKS), b
    assert b.has("(XEN) Domain 4 shutdown: poweroff"), b
    assert b.has("(XEN) Domain 6 crashed"), b
    assert b.has("(XEN) d6v0 state"), b
    assert b.has("(XEN) Domain 6 shutdown: crash"), b
    # No "--": an empty command line, every check, then shut down.
    assert b.has('(XEN) d7: domU, 1 vCPU, 4096 pages, command line ""'), b
    passed, failed = domu_summary(b, 7)
    assert failed == 0 and passed >= 60, b
    for domid in (4, 6, 7):
        pages, back = heap_sums(b, domid)[2:]
        assert back == pages == 4096, b


CENSUS = re.compile(r"^\(XEN\) mm-audit: RAM frames mapped by class: .* "
                    r"mapcache=(\d+) .* vcpuinfo=(\d+) .* guest=(\d+) "
                    r"shared=(\d+) .* unexpected=(\d+)$", re.M)
AUDIT = re.compile(r"^\(XEN\) d(\d+): page audit: (\d+) pages, (\d+) live "
                   r"tables, (\d+) pinned, (\d+) mismatches$", re.M)


@pytest.mark.parametrize("fw", ["bios", "efi"])
def test_pair_grants_events_and_census(workdir, kernels, fw):
    """dom0 and a domU grant each other a page and map it from the other
    side, and bind an interdomain event channel each way (check-pair.c).
    Then, with both idle, the mapping census finds no guest frame mapped
    in the hypervisor at rest but their shared xenheap pages, and the
    page audit accounts for every reference count of both domains."""
    iso = make_iso(workdir, "console=com1 dom0_max_vcpus=2",
                   modules=[(kernels("pvkernel"), "pair only=pair loop"),
                            (kernels("pvkernel"),
                             "domU mem=32M vcpus=2 -- pair only=pair loop")])
    b = boot(iso, firmware=fw, smp=2, timeout=240, send=[
        (("(d1) pvtest: idle (loop)", DOM0_IDLE), CTRL_A * 3),
        (TO_XEN, "q"),
        ("(XEN) Domain 1", "m"),
        (" unexpected=", "a"),
        ("(XEN) d1: page audit:", "R"),
    ])
    assert not b.timed_out, b
    assert not b.has("FATAL TRAP"), b
    assert b.has("\npvtest: ok pair_grants_and_events\n"), b
    assert b.has("\n(d1) pvtest: ok pair_grants_and_events\n"), b
    assert b.has("\npvtest: 1 passed, 0 failed"), b
    assert b.has("\n(d1) pvtest: 1 passed, 0 failed"), b
    census_at = b.output.index("mm-audit: RAM frames mapped by class")
    assert b.output.index("\npvtest: idle (loop)") < census_at, b

    census = CENSUS.findall(b.output)
    assert len(census) == 1, b
    mapcache, vcpuinfo, guest, shared, unexpected = map(int, census[0])
    assert unexpected == 0 and guest == 0 and vcpuinfo == 0, b
    # Shared xenheap pages: each domain's shared_info and the one frame of
    # its grant table.
    assert shared == 4, b
    assert mapcache <= 4, b

    audit = {int(m[0]): list(map(int, m[1:])) for m in AUDIT.findall(b.output)}
    assert set(audit) == {0, 1}, b
    for domid, (pages, tables, pinned, mismatches) in audit.items():
        assert mismatches == 0 and tables >= 4 and pages > 1000, b


def test_granter_dies_while_dom0_maps_its_page(workdir, kernels):
    """The domU grants dom0 a page and shuts down while dom0 still maps
    it. Its frames go back to the heap (exactly), so dom0's mapping is
    taken back first: dom0's next read through it faults, its handle is
    gone, and the page audit of dom0 still accounts for every count."""
    iso = make_iso(workdir, "console=com1",
                   modules=[(kernels("pvkernel"),
                             "pair_die only=pair_granter loop"),
                            (kernels("pvkernel"),
                             "domU mem=32M -- pair_die only=pair_granter")])
    b = boot(iso, smp=2, timeout=240, send=[
        (DOM0_IDLE, CTRL_A * 3),
        (TO_XEN, "a"),
        ("(XEN) d0: page audit:", "R"),
    ])
    assert not b.timed_out, b
    assert not b.has("FATAL TRAP"), b
    assert b.has("\npvtest: ok pair_granter_dies_while_mapped\n"), b
    assert b.has("(XEN) d1: 1 grant mapping(s) of its frames taken back "
                 "from other domains"), b
    # Every page of d1 back; the heap short only by the maptrack pages
    # dom0 grew meanwhile (they stay dom0's).
    before, after, pages, back = heap_sums(b, 1)
    grown = len(re.findall(r"^\(XEN\) d0: grant maptrack grows to",
                           b.output, re.M))
    assert back == pages and grown >= 1 and after == before - grown, b
    audit = AUDIT.findall(b.output)
    assert len(audit) == 1 and audit[0][0] == "0" and audit[0][4] == "0", b


def test_pair_with_full_directmap(workdir, kernels, full_directmap):
    """The pair checks and a domU's whole run with a full direct map, the
    other end of CONFIG_DIRECTMAP_SIZE_GB: the same answers, and every
    page of the domU back at its destruction."""
    iso = make_iso(workdir, "console=com1 dom0_max_vcpus=2",
                   xen_gz=full_directmap,
                   # dom0 only pairs, then idles: its own allocations
                   # would race the domU's checks of freed frames' M2P.
                   modules=[(kernels("pvkernel"), "pair only=pair loop"),
                            (kernels("pvkernel"),
                             "domU mem=32M vcpus=2 -- pair")])
    b = boot(iso, smp=2, timeout=300, send=[
        (("(XEN) d1 destroyed:", DOM0_IDLE), CTRL_A * 3),
        (TO_XEN, "R"),
    ])
    assert not b.timed_out, b
    assert not b.has("FATAL TRAP"), b
    assert not b.has("no direct map)"), b
    assert b.has("\npvtest: 1 passed, 0 failed"), b
    passed, failed = domu_summary(b, 1)
    assert failed == 0 and passed >= 60, b
    assert b.has("\npvtest: ok pair_grants_and_events\n"), b
    assert b.has("\n(d1) pvtest: ok pair_grants_and_events\n"), b
    # Every page back (dom0 runs its own checks meanwhile, so the heap
    # totals move with them: the exact comparison is in the tests above).
    _, _, pages, back = heap_sums(b, 1)
    assert back == pages, b
