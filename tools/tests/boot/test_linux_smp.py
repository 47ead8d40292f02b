# SPDX-License-Identifier: GPL-2.0-only
"""Debian's Linux 6.1 as an SMP PV dom0: every vCPU up and doing work.

The guest and the boot come from test_linux_dom0.py. Here dom0 gets as
many vCPUs as QEMU has CPUs, and /init, once it has checked nproc,
starts two busybox shells a vCPU, each counting in a loop, and waits
for them all. Around the workload it prints each CPU's user ticks
(/proc/stat); each worker says which CPU it was on when it finished
(/proc/<pid>/stat, field 39). The tests want every CPU's user time to
have grown: each vCPU was up, took its share of the runnable shells,
got its timer ticks and the IPIs that the scheduler sent it.
"""

import re

import pytest

from test_linux_dom0 import INIT_HEAD, boot_linux, make_guest, workdir  # noqa: F401

# One user tick is 10 ms (USER_HZ 100); a worker counts for about a
# second under TCG, so each CPU should see tens of ticks. The bar is low:
# it is about whether a CPU worked at all, not how fast.
MIN_USER_TICKS = 10

INIT = INIT_HEAD + r"""echo "XENON-INIT: running as pid $$"
echo "XENON-NPROC: $(nproc)"
user_ticks() {
    grep '^cpu[0-9]' /proc/stat | while read cpu user nice rest; do
        echo "XENON-$1: $cpu $((user + nice))"
    done
}
user_ticks BEFORE
n=$(($(nproc) * 2))
i=0
while [ $i -lt $n ]; do
    i=$((i + 1))
    sh -c 'k=0; while [ $k -lt 20000 ]; do k=$((k + 1)); done
           set -- $(cat /proc/$$/stat)
           echo "XENON-WORKER '$i' cpu ${39}"' &
done
wait
user_ticks AFTER
echo "XENON-DONE"
poweroff -f
"""


@pytest.fixture(scope="module")
def smp_guest(tmp_path_factory):
    return make_guest(tmp_path_factory, INIT)


def ticks(b, when):
    """{cpu number: user ticks} from the XENON-<when> lines."""
    return {int(c): int(t) for c, t in
            re.findall(r"^XENON-%s: cpu(\d+) (\d+)$" % when, b.output, re.M)}


def assert_smp_userspace(b, vcpus):
    assert b.exited and not b.timed_out, b
    assert b.has("smp: Brought up 1 node, %d CPUs" % vcpus), b
    assert b.has("XENON-INIT: running as pid 1"), b
    assert b.has("XENON-NPROC: %d" % vcpus), b
    assert b.has("XENON-DONE"), b
    assert not b.has("FATAL TRAP"), b
    assert not b.has("Kernel panic"), b
    assert not re.search(r"\bOops\b|general protection fault|BUG:",
                         b.output), b

    workers = dict(re.findall(r"^XENON-WORKER (\d+) cpu (\d+)$", b.output,
                              re.M))
    assert sorted(map(int, workers)) == list(range(1, 2 * vcpus + 1)), b

    before, after = ticks(b, "BEFORE"), ticks(b, "AFTER")
    assert sorted(before) == sorted(after) == list(range(vcpus)), b
    grown = {cpu: after[cpu] - before[cpu] for cpu in before}
    idle = [cpu for cpu, n in grown.items() if n < MIN_USER_TICKS]
    assert not idle, ("CPUs %s did (almost) no user work: ticks %s, "
                      "workers finished on %s" % (idle, grown, workers))
    return grown, workers


@pytest.mark.parametrize("vcpus", [2, 4])
def test_linux_smp_dom0(workdir, smp_guest, vcpus):
    b = boot_linux(workdir, smp_guest, "bios", vcpus=vcpus, smp=vcpus)
    grown, workers = assert_smp_userspace(b, vcpus)
    print("user ticks per CPU %s, workers ended on CPUs %s, %.0f s" %
          (grown, sorted(workers.values()), b.seconds))
