/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_DECOMPRESS_H
#define XEN_DECOMPRESS_H

/*
 * Whole-buffer decompression of gzip, xz and lz4 data
 * (xen/common/decompress/), for kernels and ramdisks handed to the
 * hypervisor by the boot loader.
 *
 * Single call: the whole compressed input is in memory and the output is
 * one flat buffer, so the output itself is the deflate window and the
 * LZMA2 dictionary; nothing of the size of a window is allocated.
 *
 * Safety contract: whatever the input (truncated, corrupt, hostile),
 * decompress() reads nothing outside [in, in + in_len), writes nothing
 * outside [out, out + out_max), terminates, and either succeeds or returns
 * an error. Bytes of out beyond the reported length, and all of out on
 * failure, hold unspecified data.
 *
 * Only the first stream (gzip member, xz stream, lz4 frame) is decoded;
 * whatever follows it is ignored, because Linux appends the uncompressed
 * size as a 32-bit word after the stream (see xen/bzimage.h). The lz4
 * legacy frame has no end marker: it ends where the input ends, or at a
 * last 4-byte word equal to the decoded length (that same size word).
 *
 * Verified: gzip: header, CRC32 and ISIZE. xz: header and footer flags and
 * CRCs, block header CRC32, the declared block sizes, the block check
 * (none, CRC32 or CRC64; SHA-256 and reserved check types are refused),
 * the index against the blocks decoded, the backward size. lz4 frame:
 * header checksum, block checksums, content size and content checksum
 * (xxHash32) when the frame carries them. LZ4 legacy blocks carry no
 * checksum at all.
 *
 * Memory: xz takes ~29 KiB for the LZMA probabilities and gzip ~12 KiB
 * for its Huffman tables, both from xmalloc() and freed before return:
 * the 32 KiB hypervisor stack could not hold them. lz4 allocates nothing.
 * Stack use of every decoder is below 1 KiB.
 *
 * Context: any CPU, not interrupt context (xmalloc); a call runs for as
 * long as the data takes, with no preemption point (it is meant for boot
 * and domain building). Reentrant: there is no mutable static state.
 */

#include <xen/types.h>

enum compression {
    COMP_NONE,  /* no magic we know: the data is taken as it is */
    COMP_GZIP,  /* RFC 1952 gzip member, deflate (RFC 1951) */
    COMP_XZ,    /* .xz stream: LZMA2, optionally behind the x86 BCJ filter */
    COMP_LZ4,   /* LZ4 frame (0x184D2204) or legacy frame (0x184C2102) */
    /* Recognised by their magic so that a caller can say why it fails: */
    COMP_BZIP2,
    COMP_LZMA,  /* the old .lzma ("LZMA alone") format */
    COMP_LZO,   /* lzop */
    COMP_ZSTD,
};

/*
 * The format of the data by its magic number. COMP_NONE if it is none of
 * the above (or len is too short to tell). The LZMA-alone format has no
 * magic; it is guessed from its usual header (props 0x5d, dictionary a
 * power of two), as Linux does for its lzma kernels.
 */
enum compression compression_detect(const void *in, size_t len);

/* "gzip", "xz", "lz4", ...; "none" for COMP_NONE. Never NULL. */
const char *compression_name(enum compression c);

/*
 * Decompresses in[0, in_len) as format c into out[0, out_max) and stores
 * the decompressed length in *out_len. Returns 0, or:
 *   -EINVAL  corrupt, truncated or unsupported input (a bad checksum too);
 *            also for COMP_NONE and the recognised-only formats,
 *   -ENOSPC  the output does not fit in out_max bytes,
 *   -ENOMEM  the decoder's state could not be allocated.
 * On failure *why (if why is not NULL) points to a short static reason,
 * such as "xz: truncated input", fit to be printed on a line of its own;
 * on success it is left alone. out may be NULL only if out_max is 0.
 */
int decompress(enum compression c, const void *in, size_t in_len,
               void *out, size_t out_max, size_t *out_len, const char **why);

#endif /* XEN_DECOMPRESS_H */
