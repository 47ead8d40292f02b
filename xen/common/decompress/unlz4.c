/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * LZ4: the block format, carried by either the standard frame (magic
 * 0x184D2204) or the legacy frame (magic 0x184C2102) that `lz4 -l`
 * writes and Linux uses for its lz4 kernels.
 *
 * A block is a run of sequences: a token (literal count in the high
 * nibble, match length - 4 in the low one, 15 meaning "more bytes follow,
 * each added until one is not 255"), the literals, a 16-bit offset and
 * the rest of the match length. The last sequence has literals only.
 *
 * Copies are done 8 bytes at a time whenever the margin to the end of the
 * output (and, for literals, of the input) allows overshooting; otherwise
 * byte by byte. Nothing is allocated.
 */
#include <xen/errno.h>
#include <xen/string.h>

#include "private.h"

#define LZ4_MAGIC          0x184d2204u
#define LZ4_LEGACY_MAGIC   0x184c2102u
#define LEGACY_BLOCK_MAX   (8u << 20)

#define FAIL(e, msg) do { *why = "lz4: " msg; return -(e); } while ( 0 )

/* Reads a length continuation: bytes added until one is not 255. */
static inline bool read_more(const uint8_t **pp, const uint8_t *end,
                             size_t *len)
{
    const uint8_t *p = *pp;
    uint8_t b;

    do {
        if ( p == end )
            return false;
        b = *p++;
        *len += b;
    } while ( b == 255 );
    *pp = p;

    return true;
}

/*
 * Decodes the block in[0, in_len) to out + *pos, where matches may reach
 * back to out + win_start. Advances *pos.
 */
static int lz4_block(const uint8_t *in, size_t in_len, uint8_t *out,
                     size_t win_start, size_t *pos, size_t out_max,
                     const char **why)
{
    const uint8_t *ip = in, *iend = in + in_len;
    uint8_t *op = out + *pos, *oend = out + out_max;
    const uint8_t *win = out + win_start;

    for ( ; ; )
    {
        unsigned int token;
        size_t lit, len, off;
        const uint8_t *src;

        if ( ip == iend )
            FAIL(EINVAL, "truncated block");
        token = *ip++;

        lit = token >> 4;
        if ( lit == 15 && !read_more(&ip, iend, &lit) )
            FAIL(EINVAL, "truncated block");
        if ( lit > (size_t)(iend - ip) )
            FAIL(EINVAL, "literals overrun block");
        if ( lit > (size_t)(oend - op) )
            FAIL(ENOSPC, "block overruns output");
        if ( lit <= 16 && iend - ip >= 16 && oend - op >= 16 )
        {
            copy8(op, ip);
            copy8(op + 8, ip + 8);
        }
        else
            memcpy(op, ip, lit);
        op += lit;
        ip += lit;

        /* The last sequence ends the block after its literals. */
        if ( ip == iend )
            break;

        if ( iend - ip < 2 )
            FAIL(EINVAL, "truncated block");
        off = get_le16(ip);
        ip += 2;
        len = token & 15;
        if ( len == 15 && !read_more(&ip, iend, &len) )
            FAIL(EINVAL, "truncated block");
        len += 4;

        if ( off == 0 || off > (size_t)(op - win) )
            FAIL(EINVAL, "match offset out of range");
        if ( len > (size_t)(oend - op) )
            FAIL(ENOSPC, "block overruns output");

        src = op - off;
        if ( off >= 8 && (size_t)(oend - op) >= len + 8 )
        {
            uint8_t *stop = op + len;

            do {
                copy8(op, src);
                op += 8;
                src += 8;
            } while ( op < stop );
            op = stop;
        }
        else
            while ( len-- )
                *op++ = *src++;
    }

    *pos = op - out;
    return 0;
}

static int lz4_legacy(const uint8_t *in, size_t in_len, uint8_t *out,
                      size_t out_max, size_t *out_len, const char **why)
{
    const uint8_t *p = in + 4, *end = in + in_len;
    size_t pos = 0;

    while ( p != end )
    {
        size_t bsize, start = pos;
        int rc;

        if ( end - p < 4 )
            FAIL(EINVAL, "truncated input");
        bsize = get_le32(p);
        /*
         * The frame has no end mark. Linux follows it with the
         * decompressed size as a 32-bit word: a last word that matches
         * ends the frame. A repeated magic starts a concatenated frame.
         */
        if ( end - p == 4 && bsize == (uint32_t)pos )
            break;
        p += 4;
        if ( bsize == LZ4_LEGACY_MAGIC )
            continue;
        if ( bsize > (size_t)(end - p) )
            FAIL(EINVAL, "truncated input");
        if ( bsize == 0 )
            FAIL(EINVAL, "empty legacy block");

        rc = lz4_block(p, bsize, out, start, &pos,
                       out_max - start > LEGACY_BLOCK_MAX ?
                       start + LEGACY_BLOCK_MAX : out_max, why);
        if ( rc == -ENOSPC && out_max - start > LEGACY_BLOCK_MAX )
            FAIL(EINVAL, "legacy block larger than 8 MiB");
        if ( rc )
            return rc;
        p += bsize;
    }

    *out_len = pos;
    return 0;
}

static int lz4_frame(const uint8_t *in, size_t in_len, uint8_t *out,
                     size_t out_max, size_t *out_len, const char **why)
{
    const uint8_t *p = in + 4, *end = in + in_len;
    unsigned int flg, bd, desc_len;
    size_t pos = 0, block_max;
    uint64_t content_size = 0;
    bool independent, block_sum, content_sum, has_size;

    if ( end - p < 3 )
        FAIL(EINVAL, "truncated input");
    flg = p[0];
    bd = p[1];
    if ( (flg >> 6) != 1 )
        FAIL(EINVAL, "unsupported frame version");
    if ( (flg & 0x02) || (bd & 0x8f) )
        FAIL(EINVAL, "reserved frame descriptor bits set");
    if ( flg & 0x01 )
        FAIL(EINVAL, "frames with a dictionary ID are not supported");
    if ( ((bd >> 4) & 7) < 4 )
        FAIL(EINVAL, "invalid block maximum size");
    independent = flg & 0x20;
    block_sum = flg & 0x10;
    has_size = flg & 0x08;
    content_sum = flg & 0x04;
    block_max = 1u << (8 + 2 * ((bd >> 4) & 7));

    desc_len = 2 + (has_size ? 8 : 0);
    if ( end - p < desc_len + 1 )
        FAIL(EINVAL, "truncated input");
    if ( has_size )
        content_size = get_le64(p + 2);
    if ( p[desc_len] != ((xxh32(p, desc_len) >> 8) & 0xff) )
        FAIL(EINVAL, "frame header checksum mismatch");
    p += desc_len + 1;

    for ( ; ; )
    {
        uint32_t word;
        size_t bsize, start = pos;

        if ( end - p < 4 )
            FAIL(EINVAL, "truncated input");
        word = get_le32(p);
        p += 4;
        if ( word == 0 )
            break;                        /* end mark */
        bsize = word & 0x7fffffffu;
        if ( bsize > block_max )
            FAIL(EINVAL, "block larger than the frame's maximum");
        if ( bsize + (block_sum ? 4 : 0) > (size_t)(end - p) )
            FAIL(EINVAL, "truncated input");
        if ( block_sum && get_le32(p + bsize) != xxh32(p, bsize) )
            FAIL(EINVAL, "block checksum mismatch");

        if ( word & 0x80000000u )
        {
            if ( bsize > out_max - pos )
                FAIL(ENOSPC, "block overruns output");
            memcpy(out + pos, p, bsize);
            pos += bsize;
        }
        else
        {
            /* Linked blocks may refer back to any earlier output. */
            size_t limit = out_max - pos > block_max ? pos + block_max
                                                      : out_max;
            int rc = lz4_block(p, bsize, out, independent ? start : 0, &pos,
                               limit, why);

            if ( rc == -ENOSPC && limit != out_max )
                FAIL(EINVAL, "block decodes beyond the frame's maximum");
            if ( rc )
                return rc;
        }
        p += bsize + (block_sum ? 4 : 0);
    }

    if ( has_size && content_size != pos )
        FAIL(EINVAL, "content size mismatch");
    if ( content_sum )
    {
        if ( end - p < 4 )
            FAIL(EINVAL, "truncated input");
        if ( get_le32(p) != xxh32(out, pos) )
            FAIL(EINVAL, "content checksum mismatch");
    }

    *out_len = pos;
    return 0;
}

int lz4_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
                   size_t out_max, size_t *out_len, const char **why)
{
    uint32_t magic;

    if ( in_len < 4 )
        FAIL(EINVAL, "truncated input");
    magic = get_le32(in);
    if ( magic == LZ4_LEGACY_MAGIC )
        return lz4_legacy(in, in_len, out, out_max, out_len, why);
    if ( magic == LZ4_MAGIC )
        return lz4_frame(in, in_len, out, out_max, out_len, why);

    FAIL(EINVAL, "bad magic");
}
