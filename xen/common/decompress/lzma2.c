/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The LZMA2 decoder of xz blocks, with the LZMA decoder it drives, written
 * from the .xz format specification and the LZMA specification of the
 * LZMA SDK (lzma-specification.txt).
 *
 * LZMA2 is a sequence of chunks, each either stored or LZMA-compressed
 * (at most 2 MiB out, 64 KiB in), with control bits that reset the
 * dictionary, the LZMA state or the properties (lc/lp/pb). An LZMA chunk
 * restarts the range decoder and must decode to exactly its size, using
 * exactly its input, with no match running past its end.
 *
 * The dictionary is the output buffer itself: a match copies from the
 * bytes already written since the last dictionary reset, so there is no
 * circular buffer. Positions (for pb/lp and the distance checks) count
 * from that reset.
 *
 * The range decoder is kept normalised after every bit, so that at the
 * end of a chunk it has consumed every byte the encoder flushed. It never
 * reads past its chunk: a read beyond gives zero and marks the chunk
 * corrupt, which is reported when the chunk ends.
 */
#include <xen/errno.h>
#include <xen/string.h>
#include <xen/xmalloc.h>

#include "private.h"

#define LZMA_STATES       12
#define LIT_STATES        7      /* states below this follow a literal */
#define POS_STATES_MAX    16     /* 1 << pb, pb <= 4 */
#define LEN_TO_POS_STATES 4
#define END_POS_MODEL     14     /* slots below this use pos_special */
#define FULL_DISTANCES    128
#define ALIGN_BITS        4
#define LIT_CODER_SIZE    0x300
#define LIT_PROBS_MAX     (LIT_CODER_SIZE << 4)  /* lc + lp <= 4 */
#define PROB_INIT         1024   /* probability one half, 11 bits */
#define MATCH_LEN_MIN     2

struct len_probs {
    uint16_t choice;
    uint16_t choice2;
    uint16_t low[POS_STATES_MAX][8];
    uint16_t mid[POS_STATES_MAX][8];
    uint16_t high[256];
};

/* Only uint16_t members: reset treats it as one array. */
struct lzma_probs {
    uint16_t is_match[LZMA_STATES][POS_STATES_MAX];
    uint16_t is_rep[LZMA_STATES];
    uint16_t is_rep_g0[LZMA_STATES];
    uint16_t is_rep_g1[LZMA_STATES];
    uint16_t is_rep_g2[LZMA_STATES];
    uint16_t is_rep0_long[LZMA_STATES][POS_STATES_MAX];
    uint16_t pos_slot[LEN_TO_POS_STATES][64];
    uint16_t pos_special[1 + FULL_DISTANCES - END_POS_MODEL];
    uint16_t align[1 << ALIGN_BITS];
    struct len_probs match_len;
    struct len_probs rep_len;
    uint16_t literal[LIT_PROBS_MAX];
};

struct lzma2_dec {
    struct lzma_probs probs;
    unsigned int state;
    uint32_t rep0, rep1, rep2, rep3;
    unsigned int lc, lp, pb;
};

struct rc {
    uint32_t range, code;
    const uint8_t *ip, *iend;
    bool overrun;
};

static __always_inline void rc_normalize(struct rc *rc)
{
    if ( rc->range < (1u << 24) )
    {
        uint8_t b = 0;

        if ( likely(rc->ip < rc->iend) )
            b = *rc->ip++;
        else
            rc->overrun = true;
        rc->range <<= 8;
        rc->code = (rc->code << 8) | b;
    }
}

static __always_inline unsigned int rc_bit(struct rc *rc, uint16_t *prob)
{
    uint32_t bound = (rc->range >> 11) * *prob;
    unsigned int bit;

    if ( rc->code < bound )
    {
        rc->range = bound;
        *prob += (2048 - *prob) >> 5;
        bit = 0;
    }
    else
    {
        rc->range -= bound;
        rc->code -= bound;
        *prob -= *prob >> 5;
        bit = 1;
    }
    rc_normalize(rc);

    return bit;
}

/* A bit tree of nbits levels, most significant bit first. */
static __always_inline unsigned int rc_tree(struct rc *rc, uint16_t *probs,
                                            unsigned int nbits)
{
    unsigned int m = 1;

    do {
        m = (m << 1) | rc_bit(rc, &probs[m]);
    } while ( m < (1u << nbits) );

    return m - (1u << nbits);
}

/* A bit tree of nbits levels, least significant bit first. */
static __always_inline unsigned int rc_tree_rev(struct rc *rc,
                                                uint16_t *probs,
                                                unsigned int nbits)
{
    unsigned int m = 1, sym = 0, i;

    for ( i = 0; i < nbits; i++ )
    {
        unsigned int bit = rc_bit(rc, &probs[m]);

        m = (m << 1) | bit;
        sym |= bit << i;
    }

    return sym;
}

/* Bits of fixed probability one half. */
static __always_inline uint32_t rc_direct(struct rc *rc, unsigned int nbits)
{
    uint32_t v = 0;

    do {
        rc->range >>= 1;
        if ( rc->code >= rc->range )
        {
            rc->code -= rc->range;
            v = (v << 1) | 1;
        }
        else
            v <<= 1;
        rc_normalize(rc);
    } while ( --nbits );

    return v;
}

static __always_inline unsigned int decode_len(struct rc *rc,
                                               struct len_probs *l,
                                               unsigned int pos_state)
{
    if ( !rc_bit(rc, &l->choice) )
        return rc_tree(rc, l->low[pos_state], 3);
    if ( !rc_bit(rc, &l->choice2) )
        return 8 + rc_tree(rc, l->mid[pos_state], 3);

    return 16 + rc_tree(rc, l->high, 8);
}

/* len is the match length less MATCH_LEN_MIN. Returns distance - 1. */
static __always_inline uint32_t decode_dist(struct rc *rc,
                                            struct lzma_probs *p,
                                            unsigned int len)
{
    unsigned int slot, nbits;
    uint32_t dist;

    slot = rc_tree(rc, p->pos_slot[len < LEN_TO_POS_STATES - 1 ?
                                   len : LEN_TO_POS_STATES - 1], 6);
    if ( slot < 4 )
        return slot;

    nbits = (slot >> 1) - 1;
    dist = (2 | (slot & 1)) << nbits;
    if ( slot < END_POS_MODEL )
        return dist + rc_tree_rev(rc, p->pos_special + dist - slot, nbits);

    dist += rc_direct(rc, nbits - ALIGN_BITS) << ALIGN_BITS;
    return dist + rc_tree_rev(rc, p->align, ALIGN_BITS);
}

static void lzma_reset(struct lzma2_dec *s)
{
    uint16_t *p = (uint16_t *)&s->probs;
    size_t i, n = offsetof(struct lzma_probs, literal) / sizeof(*p) +
                  (LIT_CODER_SIZE << (s->lc + s->lp));

    for ( i = 0; i < n; i++ )
        p[i] = PROB_INIT;
    s->state = 0;
    s->rep0 = s->rep1 = s->rep2 = s->rep3 = 0;
}

#define FAIL(e, msg) do { *why = "xz: " msg; return -(e); } while ( 0 )

/*
 * One LZMA chunk: in[0, csize) decodes to buf[*posp, *posp + usize), with
 * the dictionary starting at buf + dict_start. buf[0, room) is writable
 * (the block's output space); the caller has checked usize fits.
 */
static int lzma_chunk(struct lzma2_dec *s, const uint8_t *in, size_t csize,
                      uint8_t *buf, size_t room, size_t dict_start,
                      size_t *posp, size_t usize, const char **why)
{
    struct lzma_probs *p = &s->probs;
    struct rc rc;
    size_t pos = *posp, end = pos + usize;
    unsigned int state = s->state, lc = s->lc;
    unsigned int lp_mask = (1u << s->lp) - 1, pb_mask = (1u << s->pb) - 1;
    uint32_t rep0 = s->rep0, rep1 = s->rep1, rep2 = s->rep2, rep3 = s->rep3;

    if ( csize < 5 || in[0] != 0 )
        FAIL(EINVAL, "corrupt LZMA chunk");
    rc.range = 0xffffffffu;
    rc.code = ((uint32_t)in[1] << 24) | ((uint32_t)in[2] << 16) |
              ((uint32_t)in[3] << 8) | in[4];
    rc.ip = in + 5;
    rc.iend = in + csize;
    rc.overrun = false;

    while ( pos < end )
    {
        unsigned int pos_state = (pos - dict_start) & pb_mask;
        unsigned int len;
        size_t avail;

        if ( !rc_bit(&rc, &p->is_match[state][pos_state]) )
        {
            unsigned int prev = pos > dict_start ? buf[pos - 1] : 0;
            unsigned int sym = 1;
            uint16_t *lit = p->literal + LIT_CODER_SIZE *
                            ((((pos - dict_start) & lp_mask) << lc) +
                             (prev >> (8 - lc)));

            if ( state >= LIT_STATES )
            {
                /*
                 * After a match the literal is coded against the byte at
                 * rep0, for as long as their bits agree.
                 */
                unsigned int match;

                if ( rep0 >= pos - dict_start )
                    FAIL(EINVAL, "LZMA distance beyond the dictionary");
                match = buf[pos - rep0 - 1];
                do {
                    unsigned int mbit = (match >> 7) & 1, bit;

                    match <<= 1;
                    bit = rc_bit(&rc, &lit[0x100 + (mbit << 8) + sym]);
                    sym = (sym << 1) | bit;
                    if ( bit != mbit )
                        break;
                } while ( sym < 0x100 );
            }
            while ( sym < 0x100 )
                sym = (sym << 1) | rc_bit(&rc, &lit[sym]);

            buf[pos++] = sym;
            state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
            continue;
        }

        if ( !rc_bit(&rc, &p->is_rep[state]) )
        {
            len = decode_len(&rc, &p->match_len, pos_state);
            state = state < LIT_STATES ? 7 : 10;
            rep3 = rep2;
            rep2 = rep1;
            rep1 = rep0;
            rep0 = decode_dist(&rc, p, len);
            if ( rep0 == 0xffffffffu )
                FAIL(EINVAL, "end marker inside an LZMA2 chunk");
        }
        else
        {
            if ( !rc_bit(&rc, &p->is_rep_g0[state]) )
            {
                if ( !rc_bit(&rc, &p->is_rep0_long[state][pos_state]) )
                {
                    /* A single byte from rep0. */
                    if ( rep0 >= pos - dict_start )
                        FAIL(EINVAL, "LZMA distance beyond the dictionary");
                    state = state < LIT_STATES ? 9 : 11;
                    buf[pos] = buf[pos - rep0 - 1];
                    pos++;
                    continue;
                }
            }
            else
            {
                uint32_t dist;

                if ( !rc_bit(&rc, &p->is_rep_g1[state]) )
                    dist = rep1;
                else
                {
                    if ( !rc_bit(&rc, &p->is_rep_g2[state]) )
                        dist = rep2;
                    else
                    {
                        dist = rep3;
                        rep3 = rep2;
                    }
                    rep2 = rep1;
                }
                rep1 = rep0;
                rep0 = dist;
            }
            len = decode_len(&rc, &p->rep_len, pos_state);
            state = state < LIT_STATES ? 8 : 11;
        }

        len += MATCH_LEN_MIN;
        if ( rep0 >= pos - dict_start )
            FAIL(EINVAL, "LZMA distance beyond the dictionary");
        if ( len > end - pos )
            FAIL(EINVAL, "LZMA match runs past its chunk");

        avail = room - pos;
        if ( rep0 >= 7 && avail >= len + 8 )
        {
            /* May write up to 7 bytes past the match, all inside buf. */
            uint8_t *dst = buf + pos, *stop = dst + len;
            const uint8_t *src = dst - rep0 - 1;

            do {
                copy8(dst, src);
                dst += 8;
                src += 8;
            } while ( dst < stop );
        }
        else
        {
            const uint8_t *src = buf + pos - rep0 - 1;
            uint8_t *dst = buf + pos;
            unsigned int i;

            for ( i = 0; i < len; i++ )
                dst[i] = src[i];
        }
        pos += len;
    }

    if ( rc.overrun || rc.ip != rc.iend || rc.code != 0 )
        FAIL(EINVAL, "corrupt LZMA chunk");

    s->state = state;
    s->rep0 = rep0;
    s->rep1 = rep1;
    s->rep2 = rep2;
    s->rep3 = rep3;
    *posp = pos;

    return 0;
}

struct lzma2_dec *lzma2_alloc(void)
{
    return xmalloc(struct lzma2_dec);
}

void lzma2_free(struct lzma2_dec *s)
{
    xfree(s);
}

int lzma2_decode(struct lzma2_dec *s, const uint8_t *in, size_t in_len,
                 size_t *in_used, uint8_t *buf, size_t room, size_t *out_len,
                 const char **why)
{
    const uint8_t *ip = in, *iend = in + in_len;
    size_t pos = 0, dict_start = 0;
    bool need_dict_reset = true, need_props = true;

    for ( ; ; )
    {
        unsigned int ctrl;
        size_t usize, csize;

        if ( ip == iend )
            FAIL(EINVAL, "truncated input");
        ctrl = *ip++;
        if ( ctrl == 0 )
            break;

        if ( ctrl >= 0xe0 || ctrl == 1 )
        {
            need_props = true;
            need_dict_reset = false;
            dict_start = pos;
        }
        else if ( need_dict_reset )
            FAIL(EINVAL, "LZMA2 data does not start with a dictionary reset");

        if ( ctrl < 0x80 )
        {
            if ( ctrl > 2 )
                FAIL(EINVAL, "invalid LZMA2 control byte");
            if ( iend - ip < 2 )
                FAIL(EINVAL, "truncated input");
            usize = ((size_t)ip[0] << 8 | ip[1]) + 1;
            ip += 2;
            if ( usize > (size_t)(iend - ip) )
                FAIL(EINVAL, "truncated input");
            if ( usize > room - pos )
                FAIL(ENOSPC, "output does not fit");
            memcpy(buf + pos, ip, usize);
            ip += usize;
            pos += usize;
            continue;
        }

        if ( iend - ip < 4 )
            FAIL(EINVAL, "truncated input");
        usize = ((size_t)(ctrl & 0x1f) << 16 | (size_t)ip[0] << 8 | ip[1]) + 1;
        csize = ((size_t)ip[2] << 8 | ip[3]) + 1;
        ip += 4;

        if ( ctrl >= 0xc0 )
        {
            unsigned int props;

            if ( ip == iend )
                FAIL(EINVAL, "truncated input");
            props = *ip++;
            if ( props >= 9 * 5 * 5 )
                FAIL(EINVAL, "invalid LZMA properties");
            s->lc = props % 9;
            s->lp = (props / 9) % 5;
            s->pb = props / 45;
            if ( s->lc + s->lp > 4 )
                FAIL(EINVAL, "LZMA2 properties with lc + lp > 4");
            need_props = false;
            lzma_reset(s);
        }
        else if ( need_props )
            FAIL(EINVAL, "LZMA chunk without properties");
        else if ( ctrl >= 0xa0 )
            lzma_reset(s);

        if ( csize > (size_t)(iend - ip) )
            FAIL(EINVAL, "truncated input");
        if ( usize > room - pos )
            FAIL(ENOSPC, "output does not fit");
        if ( lzma_chunk(s, ip, csize, buf, room, dict_start, &pos, usize,
                        why) )
            return -EINVAL;
        ip += csize;
    }

    *in_used = ip - in;
    *out_len = pos;

    return 0;
}
