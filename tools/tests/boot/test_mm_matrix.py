# SPDX-License-Identifier: GPL-2.0-only
"""Milestone M2 boot matrix: direct-map size x RAM size x firmware.

Three builds (CONFIG_DIRECTMAP_SIZE_GB = 0, 1, and 64, which is above the
top of RAM of every machine here, so "full") boot with RAM from 128 MiB
to 16 GiB (6 GiB and 16 GiB put RAM above 4 GiB). Every self-test must
pass, and the mapping audit must find nothing unexpected and exactly the
direct map the configuration asks for.
"""

import re

import pytest

from qemu import boot, build_variant, make_iso

DIRECTMAP_GB = {"none": 0, "1g": 1, "full": 64}
SUMMARY = re.compile(r"^\(XEN\) selftest: (\d+) passed, (\d+) failed$", re.M)
AUDIT = re.compile(r"^\(XEN\) mm-audit: .* directmap=(\d+) .* "
                   r"free-mapped=(\d+) unexpected=(\d+)$", re.M)
RAM_LINE = re.compile(r"^\(XEN\)  ([0-9a-f]{16}) - ([0-9a-f]{16}) \(RAM\)$",
                      re.M)

MATRIX = [(dm, fw, mem) for dm in DIRECTMAP_GB
          for mem in ["128M", "1G", "6G", "16G"] for fw in ["bios"]]
MATRIX += [(dm, "efi", mem) for dm in ["none", "full"] for mem in ["1G", "6G"]]


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    return {dm: build_variant(str(tmp_path_factory.mktemp("dm-" + dm)),
                              DIRECTMAP_SIZE_GB=gb)
            for dm, gb in DIRECTMAP_GB.items()}


@pytest.fixture(scope="module")
def isos(builds, tmp_path_factory):
    work = str(tmp_path_factory.mktemp("mm-iso"))
    return {dm: make_iso(work, "console=com1 selftest", xen_gz=gz)
            for dm, gz in builds.items()}


def ram_frames_below(output, limit):
    """Whole RAM frames below limit bytes, from the printed memory map."""
    frames = 0
    for s, e in RAM_LINE.findall(output):
        start = (int(s, 16) + 4095) // 4096
        end = min(int(e, 16) + 1, limit) // 4096
        frames += max(0, end - start)
    return frames


@pytest.mark.parametrize("dm,fw,mem", MATRIX)
def test_mm_selftests_and_audit(isos, dm, fw, mem):
    b = boot(isos[dm], firmware=fw, mem=mem, timeout=240)
    assert b.exited and not b.timed_out, b
    m = SUMMARY.search(b.output)
    assert m and int(m.group(2)) == 0 and int(m.group(1)) >= 12, b
    for name in ["heap", "xenheap", "vmap", "xmalloc", "mapcache",
                 "pagetables", "mm-audit-negative", "mm-audit"]:
        assert "(XEN) selftest %s: PASS\n" % name in b.output, (name, b)

    a = AUDIT.search(b.output)
    assert a, b
    directmapped, free_mapped, unexpected = map(int, a.groups())
    assert unexpected == 0, b
    limit = DIRECTMAP_GB[dm] << 30
    assert directmapped == ram_frames_below(b.output, limit), b
    if dm == "none":
        assert free_mapped == 0, b
        assert "(no direct map)" in b.output, b


@pytest.fixture(scope="module")
def full_build_iso(builds, tmp_path_factory):
    work = str(tmp_path_factory.mktemp("dm-opt"))
    return lambda cmdline: make_iso(work, cmdline, xen_gz=builds["full"])


def test_directmap_option_lowers(full_build_iso):
    b = boot(full_build_iso("console=com1 directmap=512M selftest=mm-audit"),
             mem="2G")
    assert b.exited, b
    assert "limit 512 MiB" in b.output, b
    directmapped = int(AUDIT.search(b.output).group(1))
    assert directmapped == ram_frames_below(b.output, 512 << 20), b


def test_directmap_option_cannot_raise(isos, tmp_path_factory, builds):
    work = str(tmp_path_factory.mktemp("dm-raise"))
    b = boot(make_iso(work, "console=com1 directmap=8G selftest=mm-audit",
                      xen_gz=builds["1g"]), mem="2G")
    assert b.exited, b
    assert "may only lower it; keeping 1 GiB" in b.output, b
    assert "limit 1024 MiB" in b.output, b


def test_directmap_option_malformed(full_build_iso):
    b = boot(full_build_iso("console=com1 directmap=lots selftest=mm-audit"),
             mem="1G")
    assert b.exited, b
    assert ("Bad value for command line option 'directmap': 'lots' "
            "(default kept)") in b.output, b
    assert "limit 65536 MiB" in b.output, b


def test_too_little_ram_panics_clearly(isos):
    b = boot(isos["none"], mem="12M")
    assert b.exited and not b.timed_out, b
    assert re.search(r"Not enough memory: \d+ KiB free after boot, Xenon "
                     r"needs at least \d+ MiB", b.output), b
    assert not SUMMARY.search(b.output), b


def test_xenheap_block_straddling_the_direct_map_end(builds, tmp_path):
    """directmap=1001M ends the direct map inside an order-9 buddy block
    (frame 0x3e900): the xenheap self-test takes that block, which must be
    mapped through vmap with every page round-tripping to that address
    (before the fix, its lower pages came back as direct-map aliases)."""
    iso = make_iso(str(tmp_path), "console=com1 directmap=1001M "
                   "selftest=xenheap,mm-audit", xen_gz=builds["1g"])
    b = boot(iso, mem="1G", timeout=240)
    assert b.exited and not b.timed_out, b
    assert re.search(r"^\(XEN\) xenheap: order-9 block 0x3e800-0x3e9ff "
                     r"straddles the direct map's end 0x3e900: mapped at "
                     r"0xffff83[0-9a-f]+, every page round-trips$",
                     b.output, re.M), b
    assert b.has("(XEN) selftest: 2 passed, 0 failed"), b
