/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_BZIMAGE_H
#define XEN_BZIMAGE_H

/*
 * Linux bzImage recognition (xen/common/bzimage.c): finds the compressed
 * kernel (an ELF vmlinux, gzip/xz/lz4/...) inside a bzImage, for a domain
 * builder that wants the ELF.
 *
 * The x86 boot protocol (Linux Documentation/arch/x86/boot.rst) puts a
 * setup header in the first sector: setup_sects at 0x1f1 (0 means 4),
 * boot_flag 0xaa55 at 0x1fe, "HdrS" at 0x202, the protocol version at
 * 0x206, loadflags at 0x211. From version 2.08, payload_offset (0x248)
 * and payload_length (0x24c) locate the compressed kernel within the
 * protected-mode part, which starts at (setup_sects + 1) * 512 in the
 * file. Linux appends the uncompressed length as a little-endian 32-bit
 * word to the payload (gzip's ISIZE is that word), so it is the last 4
 * bytes of the payload.
 *
 * The uncompressed data is vmlinux stripped (objcopy -R .comment -S) and,
 * for relocatable kernels (CONFIG_X86_NEED_RELOCS), followed by its
 * relocation table: the ELF image does not end where the data does.
 */

#include <xen/types.h>

/*
 * Parses image[0, len). On success returns 0 and sets *payload and
 * *payload_len to the compressed kernel (trailing size word included, as
 * decompress() expects) and *decompressed_size to that word. Errors, with
 * a static reason in *why (if not NULL):
 *   -ENOEXEC  not a bzImage (no boot sector flag or no "HdrS"): the
 *             caller may try another format, such as plain ELF;
 *   -EINVAL   a bzImage that cannot be used: boot protocol older than
 *             2.08, not loaded high (a zImage), payload outside the image
 *             or too short, a decompressed size of 0.
 * Reads nothing outside the image, whatever it holds.
 */
int bzimage_parse(const void *image, size_t len, const void **payload,
                  size_t *payload_len, size_t *decompressed_size,
                  const char **why);

#endif /* XEN_BZIMAGE_H */
