# SPDX-License-Identifier: GPL-2.0-only
"""Serial console input: the Ctrl-A switch and the debug keys.

Each test boots the hypervisor with no dom0 kernel, so that it idles
with input going to the hypervisor, then types on COM1 through QEMU's
standard input (qemu.boot's send=) and checks what each key printed,
in order. The last key, R, reboots, and -no-reboot turns the reset into
QEMU's exit: the boot ends by itself.
"""

import os
import re
import subprocess

import pytest

from qemu import ROOT, boot, make_iso

CTRL_A = "\x01"
TO_XEN = ("(XEN) *** Serial input to Xen (type 'CTRL-a' three times to "
          "switch input)")
KEYS = {
    "0": "dump dom0's registers",
    "R": "reboot the machine",
    "h": "show this list of keys",
    "m": "run the mapping audit and print its census",
    "q": "dump every domain and vCPU, with guest registers",
    "r": "dump the run queues",
}
CENSUS = re.compile(r"^\(XEN\) mm-audit: RAM frames mapped by class: .* "
                    r"roots=\d+ free-mapped=\d+ unexpected=(\d+)$", re.M)


@pytest.fixture(scope="module", autouse=True)
def built():
    subprocess.run(["make", "-C", os.path.join(ROOT, "xen")], check=True,
                   stdout=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("iso"))


def after(b, marker):
    """The output from marker (which must be there, once) on."""
    assert b.count(marker) == 1, (marker, b)
    return b.output[b.output.index(marker):]


def pressed(key):
    return "(XEN) '%s' pressed -> %s\n" % (key, KEYS[key])


def check_key_list(b):
    text = after(b, pressed("h"))
    for key, desc in KEYS.items():
        line = "(XEN)  key '%s' (ascii '%02x') => %s\n" % (key, ord(key), desc)
        assert line in text, (line, b)


@pytest.mark.parametrize("firmware", ["bios", "efi"])
def test_switch_and_keys_through_irq(workdir, firmware):
    """COM1's IRQ routed through the IO-APIC; every built-in key."""
    b = boot(make_iso(workdir, "console=com1"), firmware=firmware, smp=2,
             timeout=120, send=[
                 (TO_XEN, CTRL_A * 3),
                 (TO_XEN, "h"),
                 ("ascii '72') => " + KEYS["r"], "m"),
                 (" unexpected=", "r"),
                 ("(XEN) CPU1: running", "q"),
                 ("d32767v1: ", "0"),
                 ("(XEN) No dom0", "R"),
             ])
    assert b.exited and not b.timed_out, b
    assert re.search(r"^\(XEN\) COM1: input through IRQ 4 \(GSI \d+, "
                     r"vector 0x30\) on CPU0$", b.output, re.M), b

    # At the end of boot, then after the three Ctrl-As: with no dom0 the
    # switch has nowhere else to go.
    assert b.count(TO_XEN) == 2, b
    assert "DOM0" not in b.output, b
    check_key_list(b)

    census = CENSUS.findall(after(b, pressed("m")))
    assert census == ["0"], b

    runq = after(b, pressed("r"))
    for cpu in (0, 1):
        assert re.search(r"^\(XEN\) CPU%d: running d\d+v\d+; queue:" % cpu,
                         runq, re.M), b

    dump = after(b, pressed("q"))
    assert re.search(r"^\(XEN\) Domain 32767 \(idle\): tot_pages 0, ", dump,
                     re.M), b
    for cpu in (0, 1):
        assert re.search(r"^\(XEN\)   d32767v%d: running on CPU%d, "
                         r"pause_flags 0, pause_count 0$" % (cpu, cpu),
                         dump, re.M), b

    assert "(XEN) No dom0\n" in after(b, pressed("0")), b
    assert "(XEN) Rebooting\n" in after(b, pressed("R")), b


def test_polled_input_and_interrupted_switch(workdir):
    """IRQ 0 asks for polling; two Ctrl-As and another key are keys."""
    b = boot(make_iso(workdir, "console=com1 com1=115200,8n1,0x3f8,0"),
             timeout=120, send=[
                 (TO_XEN, CTRL_A * 2 + "x"),
                 ("(XEN) 'x' (ascii '78'): no such key", CTRL_A * 3),
                 (TO_XEN, "h"),
                 ("ascii '72') => " + KEYS["r"], "R"),
             ])
    assert b.exited and not b.timed_out, b
    assert ("(XEN) COM1: input polled every 10 ms (IRQ 0 asked for)"
            in b.output), b

    # The interrupted run reached the keys as typed, in order.
    held = "(XEN) ascii '01': no such key; 'h' lists them\n"
    text = after(b, TO_XEN + "\n" + held)
    assert text.startswith(TO_XEN + "\n" + held * 2 +
                           "(XEN) 'x' (ascii '78'): no such key; "
                           "'h' lists them\n" + TO_XEN + "\n"), b
    assert b.count(TO_XEN) == 2, b
    check_key_list(b)
    assert "(XEN) Rebooting\n" in after(b, pressed("R")), b


@pytest.mark.parametrize("method,line", [
    ("a", "(XEN) Reset: ACPI RESET_REG 0xcf9 <- 0xf\n"),
    ("k", "(XEN) Reset: keyboard controller pulse\n"),
    ("p", "(XEN) Reset: PCI reset control 0xcf9\n"),
    ("t", "(XEN) Reset: triple fault\n"),
])
def test_reboot_methods(workdir, method, line):
    """reboot= picks where the reset starts; each way resets QEMU's q35
    by itself (QEMU exits under -no-reboot), so no later one is tried."""
    b = boot(make_iso(workdir, "console=com1 reboot=" + method),
             timeout=120, send=[(TO_XEN, "R")], qmp=True)
    assert b.exited and not b.timed_out, b
    assert b.shutdown_reasons() == ["guest-reset"], b
    text = after(b, "(XEN) Rebooting\n")
    assert text.startswith("(XEN) Rebooting\n" + line), b
    assert b.count("(XEN) Reset: ") == 1, b
    assert "no effect" not in text, b
