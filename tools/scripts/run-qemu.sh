#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run-qemu.sh --iso ISO [--firmware bios|efi] [--mem SIZE] [--smp N]
#             [--accel tcg|kvm] [--cpu MODEL] [--gdb] [--batch] [--icount]
#             [--qmp SOCKET] [-- QEMU_ARG...]
# Boots ISO under QEMU with the serial console on standard I/O. QEMU ends
# by itself on power-off, and on reset (-no-reboot). --batch leaves out
# the monitor, for tests; --gdb waits for gdb on port 1234; --icount runs
# with -icount shift=0 (the TSC counts instructions: repeatable timings);
# --qmp listens for a QMP client on the Unix socket SOCKET (QEMU does not
# wait for one), for tests that need QEMU's own word on how it ended.
# Arguments after -- go to QEMU as they are (extra disks, say).
set -eu

iso="" firmware=bios mem=1G smp=1 accel=tcg cpu=Haswell-noTSX-IBRS
gdb=no batch=no icount=no qmp=""
while [ $# -gt 0 ]; do
    case "$1" in
    --iso) iso=$2; shift ;;
    --firmware) firmware=$2; shift ;;
    --mem) mem=$2; shift ;;
    --smp) smp=$2; shift ;;
    --accel) accel=$2; shift ;;
    --cpu) cpu=$2; shift ;;
    --gdb) gdb=yes ;;
    --batch) batch=yes ;;
    --icount) icount=yes ;;
    --qmp) qmp=$2; shift ;;
    --) shift; break ;;
    *) echo "run-qemu: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
[ -f "$iso" ] || { echo "run-qemu: no ISO ($iso); run 'make iso'" >&2; exit 1; }

case "$accel" in
tcg|kvm) ;;
*) echo "run-qemu: ACCEL must be tcg or kvm" >&2; exit 2 ;;
esac

# What is left in "$@" are the extra QEMU arguments: they stay at the end.
set -- -machine q35 -accel "$accel" -cpu "$cpu" -m "$mem" -smp "$smp" \
       -display none -no-reboot -cdrom "$iso" -boot d "$@"

case "$firmware" in
bios) ;;
efi)
    code=/usr/share/OVMF/OVMF_CODE_4M.fd
    vars=/usr/share/OVMF/OVMF_VARS_4M.fd
    [ -f "$code" ] || { echo "run-qemu: OVMF not installed ($code)" >&2; exit 1; }
    varcopy=$(mktemp)
    trap 'rm -f "$varcopy"' EXIT
    cp "$vars" "$varcopy"
    set -- "$@" -drive if=pflash,format=raw,unit=0,readonly=on,file="$code" \
                -drive if=pflash,format=raw,unit=1,file="$varcopy"
    ;;
*) echo "run-qemu: FIRMWARE must be bios or efi" >&2; exit 2 ;;
esac

if [ "$batch" = yes ]; then
    set -- "$@" -serial stdio -monitor none
else
    set -- "$@" -serial mon:stdio
    echo "run-qemu: Ctrl-A X quits QEMU" >&2
fi
[ "$gdb" = yes ] && set -- "$@" -s -S
[ "$icount" = yes ] && set -- "$@" -icount shift=0
[ -n "$qmp" ] && set -- "$@" -qmp "unix:$qmp,server=on,wait=off"

# Not exec: the EXIT trap must remove the OVMF variables copy.
qemu-system-x86_64 "$@"
