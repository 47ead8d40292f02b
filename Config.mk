# SPDX-License-Identifier: GPL-2.0-only
# Toolchain and flags shared by every part of the tree.

CROSS_COMPILE ?=
CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
NM      := $(CROSS_COMPILE)nm
OBJCOPY := $(CROSS_COMPILE)objcopy
HOSTCC  ?= gcc
PYTHON  ?= /usr/bin/python3

# Debian packages the build, run and test targets need. tools/scripts/
# install-deps.sh installs whichever are missing.
DEPS_BUILD := gcc make binutils kconfig-frontends-nox gzip xz-utils lz4 \
              python3
DEPS_RUN   := qemu-system-x86 ovmf grub-pc-bin grub-efi-amd64-bin \
              grub-common xorriso mtools cpio
DEPS_TEST  := python3-pytest gzip xz-utils lz4 cpio
