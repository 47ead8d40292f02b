/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The .xz container (the .xz file format specification of XZ Utils):
 *
 *   stream header   magic, flags (the check type), CRC32
 *   blocks          header (sizes, filter chain, CRC32), LZMA2 data,
 *                   padding to 4 bytes, check of the uncompressed data
 *   index           (unpadded size, uncompressed size) of every block
 *   stream footer   CRC32, backward size (of the index), flags, magic
 *
 * Filter chains: LZMA2 alone, or the x86 BCJ filter before it (what
 * Linux's xz_wrap.sh makes for x86 kernels). BCJ runs over the block once
 * LZMA2 has written all of it, in place.
 *
 * The index is compared with the blocks actually decoded through their
 * count and a CRC32 over the (unpadded, uncompressed) size pairs, so no
 * per-block list is kept.
 */
#include <xen/errno.h>
#include <xen/string.h>

#include "private.h"

#define CHECK_NONE    0
#define CHECK_CRC32   1
#define CHECK_CRC64   4
#define CHECK_SHA256  10

#define FILTER_X86    0x04
#define FILTER_LZMA2  0x21

#define FAIL(e, msg) do { *why = "xz: " msg; return -(e); } while ( 0 )

static const uint8_t header_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };

/* Blocks, or index records: how many, and a digest of their sizes. */
struct size_digest {
    uint64_t count;
    uint32_t crc;
};

static void digest_add(struct size_digest *d, uint64_t unpadded,
                       uint64_t usize)
{
    uint8_t rec[16];

    __builtin_memcpy(rec, &unpadded, 8);
    __builtin_memcpy(rec + 8, &usize, 8);
    d->crc = crc32_update(d->crc, rec, sizeof(rec));
    d->count++;
}

/*
 * A variable-length integer: 7 bits a byte, low bits first, at most 9
 * bytes, no superfluous zero byte at the end. False if malformed or if it
 * does not end before end.
 */
static bool read_vli(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
    const uint8_t *p = *pp;
    unsigned int i;

    *v = 0;
    for ( i = 0; i < 9; i++ )
    {
        uint8_t b;

        if ( p == end )
            return false;
        b = *p++;
        *v |= (uint64_t)(b & 0x7f) << (7 * i);
        if ( !(b & 0x80) )
        {
            if ( i && !b )
                return false;
            *pp = p;
            return true;
        }
    }

    return false;
}

struct block_header {
    size_t size;                /* of the header */
    uint64_t csize, usize;      /* ~0 when not given */
    bool x86;
    uint32_t x86_start;
};

static int parse_block_header(const uint8_t *p, const uint8_t *end,
                              struct block_header *h, const char **why)
{
    const uint8_t *q, *hend;
    unsigned int flags, nfilters, i;

    h->size = ((size_t)p[0] + 1) * 4;
    if ( h->size > (size_t)(end - p) )
        FAIL(EINVAL, "truncated input");
    hend = p + h->size - 4;
    if ( crc32_update(0, p, h->size - 4) != get_le32(hend) )
        FAIL(EINVAL, "block header CRC32 mismatch");

    flags = p[1];
    if ( flags & 0x3c )
        FAIL(EINVAL, "reserved block flags set");
    nfilters = (flags & 3) + 1;
    q = p + 2;
    h->csize = h->usize = ~0ull;
    if ( (flags & 0x40) && (!read_vli(&q, hend, &h->csize) || !h->csize) )
        FAIL(EINVAL, "bad compressed size in block header");
    if ( (flags & 0x80) && !read_vli(&q, hend, &h->usize) )
        FAIL(EINVAL, "bad uncompressed size in block header");

    h->x86 = false;
    h->x86_start = 0;
    for ( i = 0; i < nfilters; i++ )
    {
        uint64_t id, psize;

        if ( !read_vli(&q, hend, &id) || !read_vli(&q, hend, &psize) ||
             psize > (uint64_t)(hend - q) )
            FAIL(EINVAL, "bad filter flags in block header");

        if ( i == nfilters - 1 )
        {
            if ( id != FILTER_LZMA2 )
                FAIL(EINVAL, "last filter is not LZMA2");
            /* The dictionary size does not matter: the output is it. */
            if ( psize != 1 || (q[0] & 0xc0) || q[0] > 40 )
                FAIL(EINVAL, "bad LZMA2 filter properties");
        }
        else if ( id == FILTER_X86 && !h->x86 )
        {
            h->x86 = true;
            if ( psize == 4 )
                h->x86_start = get_le32(q);
            else if ( psize )
                FAIL(EINVAL, "bad x86 BCJ filter properties");
        }
        else if ( id == FILTER_LZMA2 )
            FAIL(EINVAL, "LZMA2 is not the last filter");
        else if ( id == 0x03 )
            FAIL(EINVAL, "unsupported filter: delta");
        else if ( id >= 0x05 && id <= 0x0b )
            FAIL(EINVAL, "unsupported filter: a BCJ for another CPU");
        else
            FAIL(EINVAL, "unsupported filter");
        q += psize;
    }

    while ( q < hend )
        if ( *q++ )
            FAIL(EINVAL, "non-zero block header padding");

    return 0;
}

static int decode_block(struct lzma2_dec *s, const uint8_t **pp,
                        const uint8_t *end, unsigned int check,
                        uint8_t *out, size_t out_max, size_t *opos,
                        struct size_digest *blocks, const char **why)
{
    const uint8_t *p = *pp;
    struct block_header h;
    size_t used, ulen, avail, check_size, pad;
    uint8_t *buf = out + *opos;
    int rc;

    rc = parse_block_header(p, end, &h, why);
    if ( rc )
        return rc;
    p += h.size;

    avail = end - p;
    if ( h.csize != ~0ull )
    {
        if ( h.csize > avail )
            FAIL(EINVAL, "truncated input");
        avail = h.csize;
    }
    rc = lzma2_decode(s, p, avail, &used, buf, out_max - *opos, &ulen, why);
    if ( rc )
        return rc;
    if ( h.csize != ~0ull && used != h.csize )
        FAIL(EINVAL, "block compressed size mismatch");
    if ( h.usize != ~0ull && ulen != h.usize )
        FAIL(EINVAL, "block uncompressed size mismatch");
    p += used;

    if ( h.x86 )
        bcj_x86_decode(buf, ulen, h.x86_start);

    pad = (4 - (used & 3)) & 3;
    check_size = check == CHECK_NONE ? 0 : check == CHECK_CRC32 ? 4 : 8;
    if ( (size_t)(end - p) < pad + check_size )
        FAIL(EINVAL, "truncated input");
    for ( ; pad; pad-- )
        if ( *p++ )
            FAIL(EINVAL, "non-zero block padding");

    if ( check == CHECK_CRC32 && get_le32(p) != crc32_update(0, buf, ulen) )
        FAIL(EINVAL, "CRC32 mismatch");
    if ( check == CHECK_CRC64 && get_le64(p) != crc64_update(0, buf, ulen) )
        FAIL(EINVAL, "CRC64 mismatch");
    p += check_size;

    digest_add(blocks, h.size + used + check_size, ulen);
    *opos += ulen;
    *pp = p;

    return 0;
}

/* The index, from its indicator byte; *pp is left after its CRC32. */
static int check_index(const uint8_t **pp, const uint8_t *end,
                       const struct size_digest *blocks, const char **why)
{
    const uint8_t *start = *pp, *p = start + 1;
    struct size_digest records = { 0, 0 };
    uint64_t n, i;

    if ( !read_vli(&p, end, &n) )
        FAIL(EINVAL, "truncated or corrupt index");
    if ( n != blocks->count )
        FAIL(EINVAL, "index does not match the blocks");
    for ( i = 0; i < n; i++ )
    {
        uint64_t unpadded, usize;

        if ( !read_vli(&p, end, &unpadded) || !read_vli(&p, end, &usize) )
            FAIL(EINVAL, "truncated or corrupt index");
        digest_add(&records, unpadded, usize);
    }
    if ( records.crc != blocks->crc )
        FAIL(EINVAL, "index does not match the blocks");

    while ( (p - start) & 3 )
    {
        if ( p == end )
            FAIL(EINVAL, "truncated input");
        if ( *p++ )
            FAIL(EINVAL, "non-zero index padding");
    }
    if ( end - p < 4 )
        FAIL(EINVAL, "truncated input");
    if ( get_le32(p) != crc32_update(0, start, p - start) )
        FAIL(EINVAL, "index CRC32 mismatch");
    *pp = p + 4;

    return 0;
}

int xz_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
                  size_t out_max, size_t *out_len, const char **why)
{
    const uint8_t *p, *index, *end = in + in_len;
    struct size_digest blocks = { 0, 0 };
    struct lzma2_dec *s = NULL;
    unsigned int check;
    size_t opos = 0;
    int rc = 0;

    if ( in_len < 12 )
        FAIL(EINVAL, "truncated input");
    if ( memcmp(in, header_magic, sizeof(header_magic)) )
        FAIL(EINVAL, "bad magic");
    if ( crc32_update(0, in + 6, 2) != get_le32(in + 8) )
        FAIL(EINVAL, "stream header CRC32 mismatch");
    if ( in[6] || (in[7] & 0xf0) )
        FAIL(EINVAL, "unsupported stream flags");
    check = in[7];
    if ( check == CHECK_SHA256 )
        FAIL(EINVAL, "SHA-256 check not supported");
    if ( check != CHECK_NONE && check != CHECK_CRC32 && check != CHECK_CRC64 )
        FAIL(EINVAL, "unsupported check type");
    p = in + 12;

    /* Blocks, up to the index indicator. */
    while ( p != end && *p )
    {
        if ( !s && !(s = lzma2_alloc()) )
            FAIL(ENOMEM, "out of memory");
        rc = decode_block(s, &p, end, check, out, out_max, &opos, &blocks,
                          why);
        if ( rc )
            break;
    }
    lzma2_free(s);
    if ( rc )
        return rc;
    if ( p == end )
        FAIL(EINVAL, "truncated input");

    index = p;
    rc = check_index(&p, end, &blocks, why);
    if ( rc )
        return rc;

    if ( end - p < 12 )
        FAIL(EINVAL, "truncated input");
    if ( crc32_update(0, p + 4, 6) != get_le32(p) )
        FAIL(EINVAL, "stream footer CRC32 mismatch");
    if ( ((uint64_t)get_le32(p + 4) + 1) * 4 != (uint64_t)(p - index) )
        FAIL(EINVAL, "backward size does not match the index");
    if ( memcmp(p + 8, in + 6, 2) )
        FAIL(EINVAL, "stream footer flags differ from the header");
    if ( p[10] != 'Y' || p[11] != 'Z' )
        FAIL(EINVAL, "bad stream footer magic");

    *out_len = opos;
    return 0;
}
