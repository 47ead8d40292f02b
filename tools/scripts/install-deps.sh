#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# install-deps.sh PACKAGE... : installs the Debian packages that are
# missing, as root through apt-get. On Debian 12 (bookworm) QEMU comes from
# bookworm-backports, added on the mirror the machine's apt sources
# already use: bookworm's QEMU 7.2 cannot emulate x2APIC under TCG.
set -eu

missing=""
for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
            grep -q 'install ok installed'; then
        missing="$missing $pkg"
    fi
done

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")

# True if the installed QEMU is older than 8 (no x2APIC under TCG).
qemu_too_old() {
    command -v qemu-system-x86_64 >/dev/null 2>&1 || return 0
    major=$(qemu-system-x86_64 --version |
            sed -n 's/^QEMU emulator version \([0-9]*\).*/\1/p')
    [ "${major:-0}" -lt 8 ]
}

want_qemu=no
case " $* " in
*" qemu-system-x86 "*) qemu_too_old && want_qemu=yes ;;
esac

[ -z "$missing" ] && [ "$want_qemu" = no ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing Debian packages:$missing" >&2
    echo "install-deps: run as root, or install them with apt-get" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_get() { apt-get -q -y -o Dpkg::Use-Pty=0 "$@"; }

backports=""
if [ "$want_qemu" = yes ] && [ "$codename" = bookworm ]; then
    backports=bookworm-backports
    if ! grep -rqs "$backports" /etc/apt/sources.list /etc/apt/sources.list.d; then
        # The first Debian archive URI the machine already uses.
        mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\/\{0,1\}\)$/\1/p' \
                     /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
        [ -n "$mirror" ] || mirror=$(sed -n \
            's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\/debian\/\{0,1\}\)[[:space:]]\{1,\}bookworm[[:space:]].*/\2/p' \
            /etc/apt/sources.list 2>/dev/null | head -n 1)
        if [ -z "$mirror" ]; then
            echo "install-deps: cannot find the Debian mirror in the apt sources" >&2
            exit 1
        fi
        echo "install-deps: adding $backports on $mirror"
        printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
            "$mirror" "$backports" > /etc/apt/sources.list.d/xenon-backports.sources
    fi
fi

apt_get update
if [ -n "$backports" ]; then
    apt_get install -t "$backports" qemu-system-x86
fi
if [ -n "$missing" ]; then
    # shellcheck disable=SC2086
    apt_get install $missing
fi
