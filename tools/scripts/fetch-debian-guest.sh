#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# fetch-debian-guest.sh
# Makes sure Debian's stock kernel (the package behind linux-image-amd64)
# and busybox-static are downloaded and unpacked in the cache
# (${XENON_CACHE:-~/.cache/xenon}/debian; never in the tree), then prints
# two lines: the kernel (the bzImage) and the static busybox. With the
# argument "cloud" the kernel is the one behind linux-image-cloud-amd64
# (no XEN_DOM0: a PV domU only, lz4 payload). Downloads
# with apt-get download, so only the machine's Debian mirror is needed;
# with neither network nor cache it fails with one line saying so.
set -eu

# The cached package's name; the stock one's ends in a digit, not "cloud".
flavour=amd64
deb_glob='linux-image-[0-9]*[0-9]-amd64_*.deb'
if [ "${1:-}" = cloud ]; then
    flavour=cloud-amd64
    deb_glob='linux-image-[0-9]*-cloud-amd64_*.deb'
fi

cache=${XENON_CACHE:-$HOME/.cache/xenon}/debian
mkdir -p "$cache"
cd "$cache"

fail() { echo "fetch-debian-guest: $*" >&2; exit 1; }

# linux-image-$flavour is a metapackage: its one dependency is the kernel.
resolve() {
    apt-cache depends linux-image-$flavour 2>/dev/null |
        sed -n "s/^  Depends: \\(linux-image-[0-9].*-$flavour\\)\$/\\1/p" | head -1
}
pkg=$(resolve)
# A fresh machine may have no package lists yet.
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ] && ! ls $deb_glob >/dev/null 2>&1; then
    apt-get update -q >/dev/null 2>&1 || true
    pkg=$(resolve)
fi
if [ -z "$pkg" ]; then
    pkg=$(ls $deb_glob 2>/dev/null | head -1 | sed 's/_.*//')
fi
[ -n "$pkg" ] || fail "cannot resolve linux-image-$flavour (apt-get update?) and no cached kernel"

get() {
    ls "$1"_*.deb >/dev/null 2>&1 && return 0
    apt-get download "$1" >/dev/null 2>&1 ||
        fail "cannot download $1 (no network, no cache in $cache)"
}
get "$pkg"
get busybox-static

kdir=$cache/$pkg
if [ ! -d "$kdir" ]; then
    rm -rf "$kdir.tmp"
    dpkg-deb -x "$(ls "$pkg"_*.deb | head -1)" "$kdir.tmp"
    mv "$kdir.tmp" "$kdir"
fi
if [ ! -d "$cache/busybox" ]; then
    rm -rf "$cache/busybox.tmp"
    dpkg-deb -x "$(ls busybox-static_*.deb | head -1)" "$cache/busybox.tmp"
    mv "$cache/busybox.tmp" "$cache/busybox"
fi

kernel=$(ls "$kdir"/boot/vmlinuz-* | head -1)
[ -f "$kernel" ] || fail "no vmlinuz in $pkg"
echo "$kernel"
echo "$cache/busybox/bin/busybox"
