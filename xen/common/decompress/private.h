/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_COMMON_DECOMPRESS_PRIVATE_H
#define XEN_COMMON_DECOMPRESS_PRIVATE_H

/*
 * What the decoders of xen/common/decompress/ share: little-endian loads,
 * the checksums, and each format's entry point (called by decompress()
 * with the contract of xen/decompress.h, out_len and why always valid).
 *
 * The loads are unaligned and little-endian; the hypervisor is x86-only
 * and the host tests run on x86-64 (checked below), so they are plain
 * loads. __builtin_memcpy() of a constant size compiles to one move even
 * under -ffreestanding, which disables the implicit builtins.
 */
#include <xen/compiler.h>
#include <xen/types.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "the decompressors load little-endian words directly");

static inline uint16_t get_le16(const uint8_t *p)
{
    uint16_t v;

    __builtin_memcpy(&v, p, sizeof(v));
    return v;
}

static inline uint32_t get_le32(const uint8_t *p)
{
    uint32_t v;

    __builtin_memcpy(&v, p, sizeof(v));
    return v;
}

static inline uint64_t get_le64(const uint8_t *p)
{
    uint64_t v;

    __builtin_memcpy(&v, p, sizeof(v));
    return v;
}

static inline void copy8(uint8_t *dst, const uint8_t *src)
{
    uint64_t v;

    __builtin_memcpy(&v, src, sizeof(v));
    __builtin_memcpy(dst, &v, sizeof(v));
}

/*
 * Running checksums: start from 0 and feed the data in any number of
 * pieces; the value after the last piece is the checksum of the whole.
 * CRC32 is the IEEE 802.3 one of gzip and xz, CRC64 the ECMA-182 one of
 * xz, xxh32 is xxHash32 with seed 0 (one piece only) as LZ4 frames use.
 */
uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t len);
uint64_t crc64_update(uint64_t crc, const uint8_t *p, size_t len);
uint32_t xxh32(const uint8_t *p, size_t len);

/* In place, over a whole block: the x86 BCJ decoder of xz (bcj_x86.c). */
void bcj_x86_decode(uint8_t *buf, size_t len, uint32_t start_pos);

/*
 * LZMA2 (lzma2.c): one block's LZMA2 data in[0, in_len) into buf[0, room),
 * which is also its dictionary. Stops at the LZMA2 end mark; *in_used
 * says where that was, *out_len how much was written. The state holds the
 * LZMA probabilities (~29 KiB) and comes from xmalloc().
 */
struct lzma2_dec;
struct lzma2_dec *lzma2_alloc(void);
void lzma2_free(struct lzma2_dec *s);
int lzma2_decode(struct lzma2_dec *s, const uint8_t *in, size_t in_len,
                 size_t *in_used, uint8_t *buf, size_t room, size_t *out_len,
                 const char **why);

int gzip_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
                    size_t out_max, size_t *out_len, const char **why);
int xz_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
                  size_t out_max, size_t *out_len, const char **why);
int lz4_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
                   size_t out_max, size_t *out_len, const char **why);

#endif /* XEN_COMMON_DECOMPRESS_PRIVATE_H */
