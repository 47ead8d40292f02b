#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# mkinitramfs.sh BUSYBOX INIT_SCRIPT OUT [MODULE.ko...]
# A gzip'd newc cpio with busybox as /bin/busybox and INIT_SCRIPT as
# /init (which should start with #!/bin/busybox sh and run
# "/bin/busybox --install -s" before using applets). Kernel modules
# given go into /lib/modules, flat, for /init to insmod.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 BUSYBOX INIT_SCRIPT OUT [MODULE.ko...]" >&2; exit 2; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
cp "$1" "$root/bin/busybox"
cp "$2" "$root/init"
chmod +x "$root/init" "$root/bin/busybox"
out=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
shift 3
if [ $# -gt 0 ]; then
    mkdir -p "$root/lib/modules"
    cp "$@" "$root/lib/modules/"
fi
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -9) > "$out"
