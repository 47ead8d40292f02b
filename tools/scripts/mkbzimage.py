#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Wrap a file the way a Linux x86 bzImage wraps vmlinux.

    mkbzimage.py {gzip|xz|lz4|none} IN_ELF OUT

The input is compressed by the host tool with the options of Linux's
build (scripts/Makefile.lib, scripts/xz_wrap.sh):

    gzip   gzip -n -f -9                 (gzip's ISIZE is the size word)
    xz     xz --check=crc32 --x86 --lzma2=dict=32MiB --threads=1
    lz4    lz4 -l -9                     (the legacy frame)
    none   the file as it is

then, but for gzip, the uncompressed size is appended as a 32-bit
little-endian word (size_append), and the result becomes the payload of
the protected-mode part, behind a boot sector and one setup sector that
hold a boot protocol 2.15 setup header.

Setup header fields set (Documentation/arch/x86/boot.rst), others zero:
    setup_sects 1; syssize (16-byte units of the protected-mode part);
    vid_mode 0xffff; boot_flag 0xaa55; jump (EB xx, past the header);
    header "HdrS"; version 0x020f; kernel_version (a string in the setup
    sector); loadflags LOADED_HIGH; setup_move_size 0x8000; code32_start
    0x100000; initrd_addr_max 0x7fffffff; kernel_alignment 2 MiB;
    relocatable_kernel 1; min_alignment 21; xloadflags XLF_KERNEL_64 |
    XLF_CAN_BE_LOADED_ABOVE_4G; cmdline_size 2047; payload_offset and
    payload_length; pref_address 16 MiB; init_size (uncompressed size
    plus payload, page-rounded). kernel_info_offset is 0: no kernel_info.

The protected-mode part is 512 bytes of HLT (where Linux has its
decompressor) followed by the payload, so payload_offset is not 0.
"""
import struct
import subprocess
import sys

COMMANDS = {
    "gzip": ["gzip", "-n", "-f", "-9"],
    "xz": ["xz", "--check=crc32", "--x86", "--lzma2=dict=32MiB",
           "--threads=1"],
    "lz4": ["lz4", "-l", "-9", "-", "-"],
    "none": None,
}

SETUP_SECTS = 1
STUB = b"\xf4" * 512
VERSION_STRING = b"Xenon mkbzimage test kernel\0"
VERSION_AT = 0x300


def compress(kind, data, cut=0):
    cmd = COMMANDS[kind]
    if cmd is None:
        payload = data
    else:
        try:
            payload = subprocess.run(cmd, input=data, stdout=subprocess.PIPE,
                                     check=True).stdout
        except FileNotFoundError:
            sys.exit(f"mkbzimage: {cmd[0]} is not installed")
        except subprocess.CalledProcessError as e:
            sys.exit(f"mkbzimage: {' '.join(cmd)} failed ({e.returncode})")
    # A damaged image for tests: the stream loses its last `cut` bytes,
    # the header and the size word stay consistent.
    if cut:
        payload = payload[:-cut]
    if kind != "gzip" or cut:
        payload += struct.pack("<I", len(data) & 0xffffffff)
    return payload


def build(kind, data, cut=0):
    payload = compress(kind, data, cut)
    pm = STUB + payload
    pm += b"\0" * (-len(pm) % 16)

    setup = bytearray((SETUP_SECTS + 1) * 512)

    def put(off, fmt, value):
        struct.pack_into("<" + fmt, setup, off, value)

    put(0x1f1, "B", SETUP_SECTS)
    put(0x1f4, "I", len(pm) // 16)                 # syssize
    put(0x1fa, "H", 0xffff)                        # vid_mode: normal
    put(0x1fe, "H", 0xaa55)                        # boot_flag
    setup[0x200:0x202] = bytes([0xeb, 0x26c - 0x202])
    setup[0x202:0x206] = b"HdrS"
    put(0x206, "H", 0x020f)                        # version 2.15
    put(0x20e, "H", VERSION_AT - 0x200)            # kernel_version
    put(0x211, "B", 0x01)                          # loadflags: LOADED_HIGH
    put(0x212, "H", 0x8000)                        # setup_move_size
    put(0x214, "I", 0x100000)                      # code32_start
    put(0x22c, "I", 0x7fffffff)                    # initrd_addr_max
    put(0x230, "I", 0x200000)                      # kernel_alignment
    put(0x234, "B", 1)                             # relocatable_kernel
    put(0x235, "B", 21)                            # min_alignment
    put(0x236, "H", 0x0003)                        # xloadflags
    put(0x238, "I", 2047)                          # cmdline_size
    put(0x248, "I", len(STUB))                     # payload_offset
    put(0x24c, "I", len(payload))                  # payload_length
    put(0x258, "Q", 0x1000000)                     # pref_address
    put(0x260, "I", (len(data) + len(payload) + 0xfff) & ~0xfff)
    setup[VERSION_AT:VERSION_AT + len(VERSION_STRING)] = VERSION_STRING

    return bytes(setup) + pm


def main(argv):
    cut = 0
    if len(argv) > 2 and argv[1] == "--cut":
        cut = int(argv[2])
        argv = argv[:1] + argv[3:]
    if len(argv) != 4 or argv[1] not in COMMANDS:
        sys.exit(f"usage: {argv[0]} [--cut N] "
                 f"{{{'|'.join(COMMANDS)}}} IN_ELF OUT")
    with open(argv[2], "rb") as f:
        data = f.read()
    image = build(argv[1], data, cut)
    with open(argv[3], "wb") as f:
        f.write(image)


if __name__ == "__main__":
    main(sys.argv)
