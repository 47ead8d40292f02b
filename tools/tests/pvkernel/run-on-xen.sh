#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run-on-xen.sh [KERNEL [KERNEL_CMDLINE [XEN_CMDLINE]]]
# Boots the PV test kernel as dom0 of Debian's Xen 4.17 under QEMU TCG and
# prints the serial console. Xen's package is downloaded and unpacked into
# ~/.cache/xenon (never into the tree). QEMU exits when Xen powers off.
# dom0 gets two vCPUs pinned to the one CPU, so that the vCPU checks run
# and share that CPU; spec-ctrl=gds-mit=no keeps AVX, which Xen otherwise
# hides when it runs virtualised ("Mitigating GDS by disabling AVX").
# LOG names the console log (default: a new file in the cache directory,
# printed at the end).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$here/../../..
kernel=${1:-$here/build/pvkernel}
kcmd=${2:-}
xcmd=${3:-console=com1 com1=115200,8n1 dom0_mem=256M dom0_max_vcpus=2 dom0_vcpus_pin spec-ctrl=gds-mit=no loglvl=all guest_loglvl=all}
cache=${XENON_CACHE:-$HOME/.cache/xenon}
smp=${SMP:-1}

mkdir -p "$cache"
xen=$(ls "$cache"/xen417/boot/xen-4.17-amd64.gz 2>/dev/null || true)
if [ -z "$xen" ]; then
    (cd "$cache" && apt-get download xen-hypervisor-4.17-amd64)
    dpkg-deb -x "$cache"/xen-hypervisor-4.17-amd64_*.deb "$cache/xen417"
    xen=$cache/xen417/boot/xen-4.17-amd64.gz
fi

# Per run, so that runs in parallel do not share an ISO or a log.
iso=$(mktemp "$cache/pvkernel-on-xen.XXXXXX.iso")
trap 'rm -f "$iso"' EXIT
sh "$root/tools/scripts/mkiso.sh" "$xen" "$iso" "$xcmd" "$kernel" "$kcmd"
# Xen halts rather than powers off when dom0 does: end QEMU on that line.
log=${LOG:-$(mktemp "$cache/pvkernel-on-xen.XXXXXX.log")}
: > "$log"
timeout "${TIMEOUT:-300}" qemu-system-x86_64 -accel tcg \
    -cpu Haswell-noTSX-IBRS -m 1G -smp "$smp" -nographic -serial stdio \
    -monitor none -no-reboot -cdrom "$iso" > "$log" 2>&1 &
qemu=$!
tail -f "$log" --pid=$qemu &
tailer=$!
while kill -0 $qemu 2>/dev/null; do
    if grep -aq -e 'Dom0 halted' -e 'Domain 0 crashed' -e 'Resetting with ACPI' \
            -e 'Panic on CPU' "$log"; then
        sleep 2
        kill $qemu 2>/dev/null || true
        break
    fi
    sleep 1
done
wait $qemu 2>/dev/null || true
kill $tailer 2>/dev/null || true
echo "run-on-xen: log in $log" >&2
