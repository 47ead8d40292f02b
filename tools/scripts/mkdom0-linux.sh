#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# mkdom0-linux.sh OUTDIR
# The Linux dom0 of `make run`: Debian's stock kernel and an initramfs of
# busybox-static with tools/scripts/dom0-init as /init, fetched into the
# cache on first use (tools/scripts/fetch-debian-guest.sh). Leaves
# OUTDIR/vmlinuz (a link into the cache) and OUTDIR/initrd.gz. On failure
# says in one line what is missing and how to get it.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out"

if ! got=$(sh "$here/fetch-debian-guest.sh" 2>&1); then
    # fetch-debian-guest.sh's own line says which step failed.
    why=$(printf '%s\n' "$got" | tail -1 | sed 's/^fetch-debian-guest: //')
    echo "DOM0=linux: $why; it needs Debian's kernel and busybox-static" \
         "from a Debian mirror once (then cached), or use DOM0=pvtest" >&2
    exit 1
fi
kernel=$(printf '%s\n' "$got" | sed -n 1p)
busybox=$(printf '%s\n' "$got" | sed -n 2p)

ln -sf "$kernel" "$out/vmlinuz"
init=$here/dom0-init
# Rebuilt when busybox or the init script changed since.
if [ ! -f "$out/initrd.gz" ] || [ "$init" -nt "$out/initrd.gz" ] ||
   [ "$busybox" -nt "$out/initrd.gz" ]; then
    sh "$here/mkinitramfs.sh" "$busybox" "$init" "$out/initrd.gz.tmp"
    mv "$out/initrd.gz.tmp" "$out/initrd.gz"
fi
echo "$out/vmlinuz"
echo "$out/initrd.gz"
