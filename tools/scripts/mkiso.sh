#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# mkiso.sh [--before GRUB_COMMANDS] XEN_GZ OUT_ISO CMDLINE
#          [MODULE_FILE MODULE_CMDLINE]...
# Makes one ISO that boots on BIOS (grub-pc-bin) and UEFI
# (grub-efi-amd64-bin): GRUB2 loads XEN_GZ with multiboot2 and each module
# with module2. --before runs GRUB commands first, for tests that need the
# machine in a state firmware could have left it in (e.g. wrmsr).
set -eu

before=""
if [ "${1:-}" = --before ]; then
    before=$2
    shift 2
fi
[ $# -ge 3 ] || { echo "usage: $0 [--before CMDS] XEN_GZ OUT_ISO CMDLINE [MODULE ARGS]..." >&2; exit 2; }
xen=$1 out=$2 cmdline=$3
shift 3
[ -f "$xen" ] || { echo "mkiso: no such file: $xen" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$xen" "$stage/boot/xen.gz"

modules=""
n=0
while [ $# -ge 2 ]; do
    cp "$1" "$stage/boot/module$n"
    modules="$modules
    module2 /boot/module$n $2"
    n=$((n + 1))
    shift 2
done

cat > "$stage/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_output serial
terminal_input serial
menuentry "Xenon" {
    $before
    multiboot2 /boot/xen.gz $cmdline$modules
    boot
}
CFG

mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out" "$stage" >"$stage.log" 2>&1 || {
    cat "$stage.log" >&2
    rm -f "$stage.log"
    exit 1
}
rm -f "$stage.log"
