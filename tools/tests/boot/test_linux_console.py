# SPDX-License-Identifier: GPL-2.0-only
"""Debian's Linux as dom0 at its shell: the shared serial line, shutdown.

The dom0 is `make run`'s (tools/scripts/mkdom0-linux.sh: Debian's kernel,
busybox's init with a shell on hvc0), booted as test_linux_dom0.py boots
its own. Each test types at the shell through QEMU's standard input and
checks what the hypervisor and dom0 printed, and how QEMU ended:
-no-reboot turns a reset into QEMU's exit, so that a poweroff, a reboot
and a crash all end the boot, each through its own path in the log, and
QEMU's QMP SHUTDOWN event says which it was (a power-off or a reset).
Each test leaves the whole serial log in its tmp_path (serial.log).
"""

import os
import re
import subprocess

import pytest

from qemu import ROOT, SCRIPTS
from test_console_keys import CENSUS, CTRL_A, KEYS, TO_XEN, pressed
from test_linux_dom0 import boot_linux, workdir  # noqa: F401 (fixture)

PROMPT = "dom0# "
TO_DOM0 = TO_XEN.replace("to Xen", "to DOM0")
S5_LINE = re.compile(r"^\(XEN\) ACPI: S5 via PM1a_CNT (0x[0-9a-f]+) "
                     r"SLP_TYP (\d+)$", re.M)
GUEST_RIP = re.compile(r"^\(XEN\) RIP:    e033:([0-9a-f]{16})  ", re.M)


@pytest.fixture(scope="module")
def dom0(tmp_path_factory):
    """(kernel, initrd) as `make run` makes them."""
    out = tmp_path_factory.mktemp("dom0-linux")
    r = subprocess.run(["sh", os.path.join(SCRIPTS, "mkdom0-linux.sh"),
                        str(out)], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    # No skip: a test that cannot fetch its guest says so and fails.
    assert r.returncode == 0, r.stdout
    kernel, initrd = r.stdout.split()[:2]
    return kernel, initrd


def run(workdir, dom0, tmp_path, send, extra="", fw="bios", **kwargs):
    # Slower than test_linux_dom0's boots: typing waits for the shell.
    kwargs.setdefault("timeout", 600)
    b = boot_linux(workdir, dom0, fw, extra=extra, send=send, **kwargs)
    (tmp_path / "serial.log").write_text(b.output)
    return b


def check_xen_prefix(b):
    """Every hypervisor line starts with the prefix, even when dom0's
    shell had left a prompt without a newline."""
    bad = [l for l in b.output.splitlines()
           if "(XEN) " in l and not l.startswith("(XEN) ")]
    assert not bad, (bad, b)


def check_no_failed_path(b):
    for text in ("had no effect", "Reset: triple fault", "power-off failed",
                 "values failed", "FATAL TRAP", "Panic on CPU"):
        assert not b.has(text), (text, b)


@pytest.mark.parametrize("fw", ["bios", "efi"])
def test_shell_input_and_debug_keys(workdir, dom0, tmp_path, fw):
    """Typed input reaches dom0's shell; Ctrl-A x3 hands the keys to the
    hypervisor and three more hand input back."""
    b = run(workdir, dom0, tmp_path, fw=fw, send=[
        (PROMPT, "echo XENON-$((6*7))\n"),
        ("XENON-42", CTRL_A * 3),
        # Queued in order: each key runs once the one before has printed.
        (TO_XEN, "hqm0r"),
        (pressed("r"), CTRL_A * 3),
        (TO_DOM0, "echo XENON-$((7*8))\n"),
    ], until="XENON-56\n")
    assert not b.exited and not b.timed_out, b
    check_xen_prefix(b)

    # At the end of boot, then the two switches.
    assert b.count(TO_DOM0) == 2 and b.count(TO_XEN) == 1, b
    keys = b.output[b.output.index(TO_XEN):b.output.rindex(TO_DOM0)]
    for key in "hqm0r":
        assert pressed(key) in keys, (key, b)
    # The keys went to the hypervisor only: had the shell seen "hqm0r",
    # the second command would have been "hqm0recho ...", echoed as typed
    # and not found.
    assert b.has("XENON-56") and not b.has("hqm0recho"), b
    assert not b.has(": not found"), b

    q = keys[keys.index(pressed("q")):keys.index(pressed("m"))]
    assert re.search(r"^\(XEN\) Domain 0 \(privileged\): tot_pages [1-9]",
                     q, re.M), q
    zero = keys[keys.index(pressed("0")):keys.index(pressed("r"))]
    assert re.search(r"^\(XEN\) d0v0 state \((kernel|user) mode\):$", zero,
                     re.M), zero
    assert len(CENSUS.findall(keys)) == 1, keys


@pytest.mark.parametrize("fw", ["bios", "efi"])
def test_poweroff(workdir, dom0, tmp_path, fw):
    """poweroff in dom0 goes through ACPI S5 with the values dom0
    computed, and QEMU powers off (not a reset, not a spinning halt)."""
    b = run(workdir, dom0, tmp_path, send=[(PROMPT, "poweroff\n")],
            fw=fw, qmp=True)
    assert b.exited and not b.timed_out, b
    assert b.status == 0, b
    assert b.shutdown_reasons() == ["guest-shutdown"], b
    check_xen_prefix(b)
    check_no_failed_path(b)
    assert b.has("ACPI: PM: Preparing to enter system sleep state S5"), b

    # dom0 asked for S5 with its own PM1 value: the sleep type the
    # hypervisor found in the DSDT, SLP_EN set.
    s5 = S5_LINE.search(b.output)
    assert s5, b
    # QEMU's FADT has no PM1b block.
    m = re.search(r"^\(XEN\) Powering off: ACPI S5 with dom0's PM1a_CNT "
                  r"(0x[0-9a-f]+)$", b.output, re.M)
    assert m, b
    val_a = int(m.group(1), 16)
    assert (val_a >> 10) & 7 == int(s5.group(2)), b
    assert val_a & 0x2000, b
    assert b.has("(XEN) Domain 0 shutdown: poweroff"), b
    assert not b.has("Rebooting"), b
    # Nothing after the power-off line: QEMU went off right there.
    assert b.output.rstrip().endswith(m.group(0)), b


@pytest.mark.parametrize("fw", ["bios", "efi"])
def test_reboot(workdir, dom0, tmp_path, fw):
    """reboot in dom0: SCHEDOP_shutdown(reboot), then the ACPI reset
    register, which QEMU (-no-reboot) turns into its exit."""
    b = run(workdir, dom0, tmp_path, send=[(PROMPT, "reboot\n")], fw=fw,
            qmp=True)
    assert b.exited and not b.timed_out, b
    assert b.shutdown_reasons() == ["guest-reset"], b
    check_xen_prefix(b)
    check_no_failed_path(b)
    assert b.has("reboot: Restarting system"), b
    assert b.has("(XEN) Domain 0 shutdown: reboot"), b
    assert b.has("(XEN) Hardware dom0 shut down (reboot): rebooting"), b
    assert b.has("(XEN) Rebooting\n(XEN) Reset: ACPI RESET_REG "), b
    assert not b.has("Powering off"), b


# Where Linux makes hypercalls: its hypercall page, or (6.1.120 on, as in
# Debian's kernel) the function that replaced it; each with the symbol
# after it, which ends it. Debian's System.map is a stub: the live kernel
# says (a PV kernel runs where it was linked, no KASLR).
CRASH = ("grep -A1 -E ' (hypercall_page|xen_hypercall_pv)$' /proc/kallsyms;"
         " echo c > /proc/sysrq-trigger\n")
HYPERCALL_CODE = re.compile(r"^([0-9a-f]{16}) [tT] (hypercall_page|"
                            r"xen_hypercall_pv)\n([0-9a-f]{16}) ", re.M)


def check_crash_report(b):
    """The crashed vCPU's registers, as it made the shutdown hypercall
    from Linux's panic path: its RIP is where Linux makes hypercalls."""
    assert b.has("Kernel panic - not syncing: sysrq triggered crash"), b
    assert b.has("(XEN) Domain 0 shutdown: crash"), b
    report = b.output[b.output.index("(XEN) Hardware dom0 crashed; its "
                                     "vCPUs:"):]
    assert re.search(r"^\(XEN\) d0v0 state \(kernel mode\):$", report,
                     re.M), b
    rip = GUEST_RIP.search(report)
    code = HYPERCALL_CODE.search(b.output)
    assert rip and code, b
    assert int(code.group(1), 16) <= int(rip.group(1), 16) < \
        int(code.group(3), 16), b
    assert re.search(r"^\(XEN\) Guest stack at [0-9a-f]{16}:$", report,
                     re.M), b


def test_panic_reboots(workdir, dom0, tmp_path):
    b = run(workdir, dom0, tmp_path, send=[(PROMPT, CRASH)], qmp=True)
    assert b.exited and not b.timed_out, b
    assert b.shutdown_reasons() == ["guest-reset"], b
    check_xen_prefix(b)
    check_crash_report(b)
    assert b.has("(XEN) Hardware dom0 crashed: rebooting\n"
                 "(XEN) Rebooting\n"), b


def test_panic_noreboot_halts(workdir, dom0, tmp_path):
    b = run(workdir, dom0, tmp_path, extra="noreboot",
            send=[(PROMPT, CRASH)],
            until="(XEN) System halted", qmp=True)
    assert not b.exited and not b.timed_out, b
    assert b.shutdown_reasons() == [], b
    check_crash_report(b)
    assert b.has("(XEN) Hardware dom0 crashed: halting (noreboot)\n"), b
    assert not b.has("Rebooting"), b


def test_make_run_without_network_or_cache(tmp_path):
    """`make run`'s Linux dom0 with an empty cache and no way to a
    mirror (apt's proxy pointed at a closed port): one line saying what
    is needed, and nothing built for the dom0."""
    env = dict(os.environ, XENON_CACHE=str(tmp_path / "cache"),
               http_proxy="http://127.0.0.1:9",
               https_proxy="http://127.0.0.1:9")
    r = subprocess.run(["make", "-s", "--no-print-directory", "iso",
                        "DOM0=linux", "LINUX_DOM0=" + str(tmp_path / "d")],
                       cwd=ROOT, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True,
                       timeout=300)
    assert r.returncode != 0, r
    ours = [l for l in r.stderr.splitlines() if not l.startswith("make")]
    assert len(ours) == 1, r.stderr
    assert ours[0].startswith("DOM0=linux: cannot "), r.stderr
    assert "Debian mirror" in ours[0] and "DOM0=pvtest" in ours[0], ours
    assert not os.path.exists(tmp_path / "d" / "initrd.gz"), r
