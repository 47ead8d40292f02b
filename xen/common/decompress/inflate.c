/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gzip (RFC 1952) and the deflate data it carries (RFC 1951), decoded in
 * one call into a flat buffer that serves as its own window.
 *
 * Huffman codes are decoded by table: a primary table indexed by the next
 * ROOT bits of input, whose entries give the symbol and its length, or for
 * longer codes a link to a subtable indexed by the bits that follow.
 * Input is consumed through a 64-bit bit buffer refilled a word at a time,
 * with enough bits at the top of each step for a whole length/distance
 * pair (at most 48 bits), so the inner loop refills once per symbol.
 *
 * Reading past the input is never done: near its end the bit buffer is
 * filled with zero bytes that are counted, and consuming one of them is
 * "truncated input".
 */
#include <xen/errno.h>
#include <xen/string.h>
#include <xen/xmalloc.h>

#include "private.h"

#define MAX_BITS      15    /* longest deflate code */
#define LIT_ROOT      10
#define DIST_ROOT     8
#define CLEN_ROOT     7     /* code-length codes are at most 7 bits */
/*
 * Primary table plus the largest total of subtables that a complete or
 * incomplete code can need with these roots (at most 286 literal/length
 * and 30 distance symbols); huff_build() checks the bound anyway.
 */
#define LIT_TABLE     2048
#define DIST_TABLE    1024
#define CLEN_TABLE    (1u << CLEN_ROOT)

/* A table entry: */
#define E_SYM_MASK    0xffffu        /* symbol, or subtable offset */
#define E_LEN_SHIFT   16             /* bits to consume, 0: invalid code */
#define E_SUB_SHIFT   20             /* for a link: subtable index bits */
#define E_LINK        (1u << 24)

struct inflate_state {
    uint32_t lit[LIT_TABLE];
    uint32_t dist[DIST_TABLE];
    uint32_t clen[CLEN_TABLE];
    uint8_t lens[288 + 32];
};

struct bitreader {
    const uint8_t *p, *end;
    uint64_t buf;          /* bits above cnt may hold upcoming input */
    unsigned int cnt;      /* valid bits in buf */
    unsigned int pad;      /* zero bytes counted in cnt beyond the input */
};

/*
 * Builds the table of the canonical code given by lens[0, n) (RFC 1951
 * 3.2.2). Over-subscribed codes fail; incomplete ones are accepted and
 * their unused bit patterns left invalid, which decoding reports.
 */
static int huff_build(uint32_t *t, unsigned int size, unsigned int root,
                      const uint8_t *lens, unsigned int n)
{
    uint16_t count[MAX_BITS + 1] = { 0 }, offs[MAX_BITS + 2];
    uint16_t sorted[288];
    unsigned int len, sym, maxlen = 0, next = 1u << root, idx = 0;
    unsigned int prefix = ~0u, sub_base = 0, sub_bits = 0, code = 0;
    int left = 1;

    for ( sym = 0; sym < n; sym++ )
        count[lens[sym]]++;
    count[0] = 0;
    for ( len = 1; len <= MAX_BITS; len++ )
    {
        left = (left << 1) - count[len];
        if ( left < 0 )
            return -1;
        if ( count[len] )
            maxlen = len;
    }

    offs[1] = 0;
    for ( len = 1; len <= MAX_BITS; len++ )
        offs[len + 1] = offs[len] + count[len];
    for ( sym = 0; sym < n; sym++ )
        if ( lens[sym] )
            sorted[offs[lens[sym]]++] = sym;

    memset(t, 0, sizeof(*t) << root);

    for ( len = 1; len <= maxlen; len++, code <<= 1 )
    {
        unsigned int k;

        for ( k = 0; k < count[len]; k++, code++ )
        {
            unsigned int rev = 0, i, b;

            sym = sorted[idx++];
            /* The first bit of a code on the wire is its most significant. */
            for ( b = 0; b < len; b++ )
                rev |= ((code >> b) & 1) << (len - 1 - b);

            if ( len <= root )
            {
                for ( i = rev; i < (1u << root); i += 1u << len )
                    t[i] = sym | (len << E_LEN_SHIFT);
                continue;
            }

            if ( (rev & ((1u << root) - 1)) != prefix )
            {
                /*
                 * A new subtable. Canonical codes sharing a prefix are
                 * consecutive, so the codes not yet placed fill it in
                 * order: it needs to be only as deep as the level at
                 * which they would exhaust its slots.
                 */
                unsigned int l = len, rem = count[len] - k;
                int avail;

                sub_bits = len - root;
                avail = 1 << sub_bits;
                while ( l < maxlen )
                {
                    avail -= rem;
                    if ( avail <= 0 )
                        break;
                    rem = count[++l];
                    sub_bits++;
                    avail <<= 1;
                }
                if ( next + (1u << sub_bits) > size )
                    return -1;
                sub_base = next;
                next += 1u << sub_bits;
                memset(t + sub_base, 0, sizeof(*t) << sub_bits);
                prefix = rev & ((1u << root) - 1);
                t[prefix] = E_LINK | sub_base | (root << E_LEN_SHIFT) |
                            (sub_bits << E_SUB_SHIFT);
            }
            for ( i = rev >> root; i < (1u << sub_bits);
                  i += 1u << (len - root) )
                t[sub_base + i] = sym | ((len - root) << E_LEN_SHIFT);
        }
    }

    return 0;
}

/* Ensures at least 56 bits in the buffer. False if padding was consumed. */
static bool refill_slow(struct bitreader *br)
{
    if ( br->pad * 8 > br->cnt )
        return false;
    while ( br->cnt <= 56 )
    {
        if ( br->p < br->end )
            br->buf |= (uint64_t)*br->p++ << br->cnt;
        else
        {
            /* Clear whatever a word load left above cnt. */
            br->buf &= (1ull << br->cnt) - 1;
            br->pad++;
        }
        br->cnt += 8;
    }

    return true;
}

static inline bool refill(struct bitreader *br)
{
    if ( likely(br->end - br->p >= 8) )
    {
        br->buf |= get_le64(br->p) << br->cnt;
        br->p += (63 - br->cnt) >> 3;
        br->cnt |= 56;
        return true;
    }

    return refill_slow(br);
}

static inline unsigned int getbits(struct bitreader *br, unsigned int n)
{
    unsigned int v = br->buf & ((1ull << n) - 1);

    br->buf >>= n;
    br->cnt -= n;
    return v;
}

/* Decodes one symbol; needs MAX_BITS bits in the buffer. -1 if invalid. */
static inline int decode_sym(struct bitreader *br, const uint32_t *t,
                             unsigned int root)
{
    uint32_t e = t[br->buf & ((1u << root) - 1)];
    unsigned int n;

    if ( e & E_LINK )
    {
        br->buf >>= root;
        br->cnt -= root;
        e = t[(e & E_SYM_MASK) +
              (br->buf & ((1u << ((e >> E_SUB_SHIFT) & 0xf)) - 1))];
    }
    n = (e >> E_LEN_SHIFT) & 0xf;
    if ( unlikely(!n) )
        return -1;
    br->buf >>= n;
    br->cnt -= n;

    return e & E_SYM_MASK;
}

/*
 * Byte position of the next unread input, after dropping the bits up to
 * the next byte boundary; NULL if the stream ran into the padding.
 */
static const uint8_t *byte_align(struct bitreader *br)
{
    unsigned int whole = (br->cnt & ~7u) / 8;

    if ( br->pad > whole )
        return NULL;

    return br->p - (whole - br->pad);
}

static const uint16_t len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const uint8_t len_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};
static const uint16_t dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
    16385, 24577,
};
static const uint8_t dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
};

/* Order in which the code-length code lengths are sent (RFC 1951 3.2.7). */
static const uint8_t clen_order[19] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
};

#define FAIL(e, msg) do { *why = "gzip: " msg; return -(e); } while ( 0 )

static int read_dynamic_tables(struct inflate_state *s, struct bitreader *br,
                               const char **why)
{
    unsigned int nlit, ndist, nclen, i, n;

    if ( !refill(br) )
        FAIL(EINVAL, "truncated input");
    nlit = getbits(br, 5) + 257;
    ndist = getbits(br, 5) + 1;
    nclen = getbits(br, 4) + 4;
    if ( nlit > 286 || ndist > 30 )
        FAIL(EINVAL, "bad dynamic block header");

    memset(s->lens, 0, 19);
    for ( i = 0; i < nclen; i++ )
    {
        if ( br->cnt < 3 && !refill(br) )
            FAIL(EINVAL, "truncated input");
        s->lens[clen_order[i]] = getbits(br, 3);
    }
    if ( huff_build(s->clen, CLEN_TABLE, CLEN_ROOT, s->lens, 19) )
        FAIL(EINVAL, "bad code length code");

    for ( n = 0; n < nlit + ndist; )
    {
        unsigned int rep;
        uint8_t val;
        int sym;

        /* 7 bits of code and 7 of repeat count. */
        if ( br->cnt < 14 && !refill(br) )
            FAIL(EINVAL, "truncated input");
        sym = decode_sym(br, s->clen, CLEN_ROOT);
        if ( sym < 0 )
            FAIL(EINVAL, "invalid code length code");
        if ( sym < 16 )
        {
            s->lens[n++] = sym;
            continue;
        }
        if ( sym == 16 )
        {
            if ( !n )
                FAIL(EINVAL, "length repeat with no previous length");
            val = s->lens[n - 1];
            rep = 3 + getbits(br, 2);
        }
        else if ( sym == 17 )
        {
            val = 0;
            rep = 3 + getbits(br, 3);
        }
        else
        {
            val = 0;
            rep = 11 + getbits(br, 7);
        }
        if ( rep > nlit + ndist - n )
            FAIL(EINVAL, "code lengths overrun");
        while ( rep-- )
            s->lens[n++] = val;
    }

    if ( !s->lens[256] )
        FAIL(EINVAL, "no end-of-block code");
    if ( huff_build(s->lit, LIT_TABLE, LIT_ROOT, s->lens, nlit) )
        FAIL(EINVAL, "bad literal/length code");
    if ( huff_build(s->dist, DIST_TABLE, DIST_ROOT, s->lens + nlit, ndist) )
        FAIL(EINVAL, "bad distance code");

    return 0;
}

static void fixed_tables(struct inflate_state *s)
{
    unsigned int i;

    for ( i = 0; i < 288; i++ )
        s->lens[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    for ( i = 288; i < 288 + 30; i++ )
        s->lens[i] = 5;
    /* Fixed codes are complete and within the table sizes. */
    huff_build(s->lit, LIT_TABLE, LIT_ROOT, s->lens, 288);
    huff_build(s->dist, DIST_TABLE, DIST_ROOT, s->lens + 288, 30);
}

/* One Huffman-coded block, up to and including its end-of-block code. */
static int inflate_codes(struct inflate_state *s, struct bitreader *br,
                         uint8_t *out, uint8_t **opp, uint8_t *oend,
                         const char **why)
{
    uint8_t *op = *opp;

    for ( ; ; )
    {
        unsigned int len, dist;
        const uint8_t *src;
        int sym;

        if ( br->cnt < 48 && unlikely(!refill(br)) )
            FAIL(EINVAL, "truncated input");

        sym = decode_sym(br, s->lit, LIT_ROOT);
        if ( sym < 256 )
        {
            if ( unlikely(sym < 0) )
                FAIL(EINVAL, "invalid literal/length code");
            if ( unlikely(op == oend) )
                FAIL(ENOSPC, "output does not fit");
            *op++ = sym;
            continue;
        }
        if ( sym == 256 )
            break;
        sym -= 257;
        if ( unlikely(sym >= 29) )
            FAIL(EINVAL, "invalid length symbol");
        len = len_base[sym] + getbits(br, len_extra[sym]);

        sym = decode_sym(br, s->dist, DIST_ROOT);
        if ( unlikely(sym < 0 || sym >= 30) )
            FAIL(EINVAL, "invalid distance code");
        dist = dist_base[sym] + getbits(br, dist_extra[sym]);

        if ( unlikely(dist > op - out) )
            FAIL(EINVAL, "distance too far back");
        if ( unlikely(len > oend - op) )
            FAIL(ENOSPC, "output does not fit");

        src = op - dist;
        if ( dist >= 8 && oend - op >= len + 8 )
        {
            /* May write up to 7 bytes past the match, all inside out. */
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

    *opp = op;
    return 0;
}

static int inflate(struct inflate_state *s, const uint8_t **inp,
                   const uint8_t *iend, uint8_t *out, size_t out_max,
                   size_t *out_len, const char **why)
{
    struct bitreader br = { .p = *inp, .end = iend };
    uint8_t *op = out, *oend = out + out_max;
    bool last;

    do {
        unsigned int type;
        int rc;

        if ( !refill(&br) )
            FAIL(EINVAL, "truncated input");
        last = getbits(&br, 1);
        type = getbits(&br, 2);

        if ( type == 0 )
        {
            const uint8_t *p = byte_align(&br);
            unsigned int len;

            if ( !p || iend - p < 4 )
                FAIL(EINVAL, "truncated input");
            len = get_le16(p);
            if ( (len ^ get_le16(p + 2)) != 0xffff )
                FAIL(EINVAL, "stored block length check failed");
            p += 4;
            if ( len > iend - p )
                FAIL(EINVAL, "truncated input");
            if ( len > oend - op )
                FAIL(ENOSPC, "output does not fit");
            memcpy(op, p, len);
            op += len;
            br = (struct bitreader){ .p = p + len, .end = iend };
            continue;
        }

        if ( type == 1 )
            fixed_tables(s);
        else if ( type == 2 )
        {
            rc = read_dynamic_tables(s, &br, why);
            if ( rc )
                return rc;
        }
        else
            FAIL(EINVAL, "invalid block type");

        rc = inflate_codes(s, &br, out, &op, oend, why);
        if ( rc )
            return rc;
    } while ( !last );

    *inp = byte_align(&br);
    if ( !*inp )
        FAIL(EINVAL, "truncated input");
    *out_len = op - out;

    return 0;
}

int gzip_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
                    size_t out_max, size_t *out_len, const char **why)
{
    const uint8_t *p = in, *end = in + in_len;
    struct inflate_state *s;
    unsigned int flags;
    size_t len;
    int rc;

    if ( in_len < 10 )
        FAIL(EINVAL, "truncated input");
    if ( in[0] != 0x1f || in[1] != 0x8b )
        FAIL(EINVAL, "bad magic");
    if ( in[2] != 8 )
        FAIL(EINVAL, "compression method is not deflate");
    flags = in[3];
    if ( flags & 0xe0 )
        FAIL(EINVAL, "reserved header flags set");
    p += 10;

    if ( flags & 0x04 )                   /* FEXTRA */
    {
        if ( end - p < 2 || end - p - 2 < get_le16(p) )
            FAIL(EINVAL, "truncated input");
        p += 2 + get_le16(p);
    }
    if ( flags & 0x08 )                   /* FNAME */
    {
        const uint8_t *nul = memchr(p, 0, end - p);

        if ( !nul )
            FAIL(EINVAL, "truncated input");
        p = nul + 1;
    }
    if ( flags & 0x10 )                   /* FCOMMENT */
    {
        const uint8_t *nul = memchr(p, 0, end - p);

        if ( !nul )
            FAIL(EINVAL, "truncated input");
        p = nul + 1;
    }
    if ( flags & 0x02 )                   /* FHCRC */
    {
        if ( end - p < 2 )
            FAIL(EINVAL, "truncated input");
        if ( get_le16(p) != (crc32_update(0, in, p - in) & 0xffff) )
            FAIL(EINVAL, "header CRC mismatch");
        p += 2;
    }

    s = xmalloc(struct inflate_state);
    if ( !s )
        FAIL(ENOMEM, "out of memory");
    rc = inflate(s, &p, end, out, out_max, &len, why);
    xfree(s);
    if ( rc )
        return rc;

    if ( end - p < 8 )
        FAIL(EINVAL, "truncated input");
    if ( get_le32(p) != crc32_update(0, out, len) )
        FAIL(EINVAL, "CRC32 mismatch");
    if ( get_le32(p + 4) != (uint32_t)len )
        FAIL(EINVAL, "ISIZE mismatch");
    *out_len = len;

    return 0;
}
