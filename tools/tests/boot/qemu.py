# SPDX-License-Identifier: GPL-2.0-only
"""Builds GRUB2 ISOs of the hypervisor and boots them under QEMU.

A boot reads the serial console until QEMU exits by itself (power-off, or
reset under -no-reboot), until an awaited line appears (then QEMU is
killed: used for boots that are meant to stay up), or until the timeout,
which is a failure the caller sees. QEMU's own stderr and exit status are
kept, so that a failure can say why QEMU stopped.

A boot can also type on the serial console: each (text, data) pair of
send= waits for its text to appear, then writes data to QEMU's standard
input, which -serial stdio feeds to COM1.

With qmp=True a boot also listens to QEMU's QMP events, so that a test
can tell how QEMU ended: a SHUTDOWN event's reason is "guest-shutdown"
for an ACPI power-off, "guest-reset" for a reset under -no-reboot.
"""

import hashlib
import json
import os
import re
import select
import shutil
import socket
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SCRIPTS = os.path.join(ROOT, "tools", "scripts")
XEN_GZ = os.path.join(ROOT, "xen", "xen.gz")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_checked(cwd, *argv):
    """Runs a command; on failure the assertion shows its output."""
    r = subprocess.run(argv, cwd=cwd, text=True, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    assert r.returncode == 0, "%s failed:\n%s" % (" ".join(argv), r.stdout)
    return r


def scratch_tree(dest):
    """A clean copy of xen/ (and Config.mk) under dest; returns its xen/."""
    shutil.copy(os.path.join(ROOT, "Config.mk"), dest)
    xen = os.path.join(dest, "xen")
    shutil.copytree(os.path.join(ROOT, "xen"), xen, symlinks=True)
    run_checked(xen, "make", "-s", "distclean")
    return xen


def build_variant(dest, **config):
    """Builds xen/ in a scratch copy with Kconfig symbols set; xen.gz path."""
    xen = scratch_tree(dest)
    run_checked(xen, "make", "-s", "defconfig")
    for name, value in config.items():
        if isinstance(value, bool):
            run_checked(xen, "kconfig-tweak", "--file", ".config",
                        "--enable" if value else "--disable", name)
        else:
            run_checked(xen, "kconfig-tweak", "--file", ".config",
                        "--set-val", name, str(value))
    run_checked(xen, "make", "-s", "olddefconfig")
    run_checked(xen, "make", "-s")
    return os.path.join(xen, "xen.gz")


class Boot:
    def __init__(self, output, exited, timed_out, seconds, status=None,
                 stderr="", events=None):
        self.output = output
        self.exited = exited        # QEMU ended by itself
        self.timed_out = timed_out  # neither exit nor awaited line in time
        self.seconds = seconds
        self.status = status        # exit status if exited, else None
        self.stderr = stderr        # what QEMU itself said
        self.events = events        # QMP events (dicts), if asked for

    @property
    def xen_lines(self):
        return [l for l in self.output.splitlines() if l.startswith("(XEN) ")]

    def has(self, text):
        return text in self.output

    def count(self, text):
        return self.output.count(text)

    def shutdown_reasons(self):
        """The reasons of QEMU's SHUTDOWN events, in order."""
        return [e.get("data", {}).get("reason") for e in self.events or ()
                if e.get("event") == "SHUTDOWN"]

    @property
    def how_it_ended(self):
        """One line for failure messages: QEMU's exit status, a kill, or
        the timeout, then everything QEMU wrote on stderr."""
        if self.exited:
            how = "QEMU exited with status %s" % self.status
        elif self.timed_out:
            how = "timed out after %.0f s; QEMU killed" % self.seconds
        else:
            how = "awaited line seen; QEMU killed"
        if self.events is not None:
            how += "; QMP shutdown reasons %s" % self.shutdown_reasons()
        return how + (", stderr:\n" + self.stderr.rstrip()
                      if self.stderr.strip() else ", nothing on stderr")

    def __repr__(self):
        return "Boot(exited=%s, timed_out=%s, status=%s)\n%s\n%s" % (
            self.exited, self.timed_out, self.status, self.how_it_ended,
            self.output[-4000:])


def make_iso(workdir, cmdline, modules=(), xen_gz=XEN_GZ, grub_before=""):
    """ISO for (xen.gz, cmdline, modules), cached by content in workdir.
    grub_before: GRUB commands run before the hypervisor is loaded."""
    key = hashlib.sha256()
    with open(xen_gz, "rb") as f:
        key.update(f.read())
    key.update(cmdline.encode())
    for path, args in modules:
        # The content, not only the name: a rebuilt kernel is a new ISO.
        with open(path, "rb") as f:
            key.update(f.read())
        key.update(path.encode() + b"\0" + args.encode())
    if grub_before:
        key.update(b"\0before\0" + grub_before.encode())
    iso = os.path.join(workdir, "xenon-%s.iso" % key.hexdigest()[:16])
    if not os.path.exists(iso):
        argv = ["sh", os.path.join(SCRIPTS, "mkiso.sh")]
        if grub_before:
            argv += ["--before", grub_before]
        argv += [xen_gz, iso, cmdline]
        for path, args in modules:
            argv += [path, args]
        subprocess.run(argv, check=True)
    return iso


class _QmpEvents:
    """A QMP client that only collects events. QEMU listens without
    waiting, so the socket appears a moment after QEMU starts: poll()
    connects once it can, and negotiates capabilities."""

    def __init__(self, path):
        self.path = path
        self.sock = None
        self.buf = b""
        self.events = []

    def poll(self):
        if self.sock is None and os.path.exists(self.path):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.path)
            except OSError:
                s.close()
                return
            s.sendall(b'{"execute": "qmp_capabilities"}\n')
            self.sock = s

    def read(self, block=False):
        """What is waiting; everything until QEMU closes if block."""
        if self.sock is None:
            return
        self.sock.settimeout(2.0 if block else 0.0)
        while True:
            try:
                data = self.sock.recv(65536)
            except (BlockingIOError, socket.timeout):
                break
            except OSError:
                data = b""
            if not data:
                break
            self.buf += data
        *lines, self.buf = self.buf.split(b"\n")
        for line in lines:
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if "event" in msg:
                self.events.append(msg)

    def close(self):
        if self.sock is not None:
            self.sock.close()


# Every boot's serial output since the current test began (conftest.py
# writes them out when the test fails).
SERIAL_LOGS = []


def _all_found(text, wanted, start):
    """The end of the last of wanted (a text or a tuple of texts) found
    in text after start, or -1 while one is still missing."""
    end = start
    for w in (wanted,) if isinstance(wanted, str) else wanted:
        at = text.find(w, start)
        if at < 0:
            return -1
        end = max(end, at + len(w))
    return end


def boot(iso, firmware="bios", mem="1G", smp=1, cpu=None, timeout=120,
         until=None, icount=False, send=(), qemu_args=(), qmp=False):
    """Boots iso; see the module docstring for when it stops.

    qemu_args: more QEMU arguments, as they are (a second disk, say).

    send: (text, data) pairs, taken in order. Each waits for text in the
    output after the point where the previous pair's text was found (so
    the same line can be awaited twice), then writes data (str or bytes)
    to the serial input. text may be a tuple of texts, awaited in any
    order (two guests' lines, say): the pair waits for all of them. until, if given, counts only once every pair has
    been sent, and likewise only after the last pair's text.

    qmp: collect QEMU's QMP events into the result's events."""
    argv = ["sh", os.path.join(SCRIPTS, "run-qemu.sh"), "--iso", iso,
            "--batch", "--firmware", firmware, "--mem", str(mem),
            "--smp", str(smp)]
    if cpu:
        argv += ["--cpu", cpu]
    if icount:
        argv += ["--icount"]
    qmp_dir = tempfile.mkdtemp(prefix="xenon-qmp-") if qmp else None
    events = _QmpEvents(os.path.join(qmp_dir, "qmp.sock")) if qmp else None
    if qmp:
        argv += ["--qmp", events.path]
    # Last: everything after "--" goes to QEMU as it is.
    if qemu_args:
        argv += ["--"] + list(qemu_args)
    start = time.monotonic()
    # A file, not a pipe: nobody reads stderr while the boot runs, and a
    # full pipe would stall QEMU.
    err = tempfile.TemporaryFile()
    steps = list(send)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err,
                            stdin=subprocess.PIPE if steps else None,
                            start_new_session=True)
    chunks = []
    exited = timed_out = False
    seen = 0    # output before this offset has answered an earlier step
    try:
        while True:
            left = start + timeout - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            if events:
                events.poll()
            watch = [proc.stdout] + ([events.sock] if events and events.sock
                                     else [])
            ready, _, _ = select.select(watch, [], [], min(left, 1.0))
            if events and events.sock in ready:
                events.read()
            if proc.stdout in ready:
                data = os.read(proc.stdout.fileno(), 65536)
                if not data:
                    proc.wait()
                    exited = True
                    break
                chunks.append(data)
                # QEMU's serial output has \r\n line ends; texts use \n.
                text = b"".join(chunks).decode("utf-8", "replace").replace(
                    "\r", "")
                while steps:
                    end = _all_found(text, steps[0][0], seen)
                    if end < 0:
                        break
                    seen = end
                    data = steps.pop(0)[1]
                    try:
                        proc.stdin.write(data.encode()
                                         if isinstance(data, str) else data)
                        proc.stdin.flush()
                    except BrokenPipeError:
                        pass    # QEMU is gone: the next read says so
                if until and not steps and until in text[seen:]:
                    break
    finally:
        if events:
            # QEMU sent SHUTDOWN before exiting: it is still in the socket.
            events.read(block=exited)
            events.close()
            shutil.rmtree(qmp_dir, ignore_errors=True)
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait()
        if proc.stdin:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        err.close()
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r", "")
    SERIAL_LOGS.append((iso, ANSI.sub("", text)))
    return Boot(ANSI.sub("", text), exited, timed_out,
                time.monotonic() - start,
                status=proc.returncode if exited else None, stderr=stderr,
                events=events.events if events else None)
