/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The checksums the compressed formats carry: CRC32 (gzip, xz), CRC64
 * (xz) and xxHash32 (LZ4 frames).
 *
 * The CRC tables are built by the preprocessor: each entry is its index
 * put through the eight shift-and-xor steps of the reflected CRC. Constant
 * tables need no initialisation, so there is no first-use race and nothing
 * for a caller to set up.
 */
#include "private.h"

#define CRC32_POLY 0xedb88320u                /* IEEE 802.3, reflected */
#define CRC64_POLY 0xc96c5795d7870f42ull      /* ECMA-182, reflected */

#define C32(c) (((c) >> 1) ^ (((c) & 1) ? CRC32_POLY : 0))
#define C64(c) (((c) >> 1) ^ (((c) & 1) ? CRC64_POLY : 0))
#define E32(n) C32(C32(C32(C32(C32(C32(C32(C32((uint32_t)(n)))))))))
#define E64(n) C64(C64(C64(C64(C64(C64(C64(C64((uint64_t)(n)))))))))

#define ROW4(E, n)   E(n), E((n) + 1), E((n) + 2), E((n) + 3)
#define ROW16(E, n)  ROW4(E, n), ROW4(E, (n) + 4), ROW4(E, (n) + 8), \
                     ROW4(E, (n) + 12)
#define ROW64(E, n)  ROW16(E, n), ROW16(E, (n) + 16), ROW16(E, (n) + 32), \
                     ROW16(E, (n) + 48)
#define ROW256(E)    ROW64(E, 0), ROW64(E, 64), ROW64(E, 128), ROW64(E, 192)

static const uint32_t crc32_table[256] = { ROW256(E32) };
static const uint64_t crc64_table[256] = { ROW256(E64) };

uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t len)
{
    crc = ~crc;
    while ( len-- )
        crc = crc32_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);

    return ~crc;
}

uint64_t crc64_update(uint64_t crc, const uint8_t *p, size_t len)
{
    crc = ~crc;
    while ( len-- )
        crc = crc64_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);

    return ~crc;
}

#define XXH_P1 0x9e3779b1u
#define XXH_P2 0x85ebca77u
#define XXH_P3 0xc2b2ae3du
#define XXH_P4 0x27d4eb2fu
#define XXH_P5 0x165667b1u

static inline uint32_t rotl32(uint32_t x, unsigned int r)
{
    return (x << r) | (x >> (32 - r));
}

static inline uint32_t xxh_round(uint32_t acc, uint32_t lane)
{
    return rotl32(acc + lane * XXH_P2, 13) * XXH_P1;
}

uint32_t xxh32(const uint8_t *p, size_t len)
{
    const uint8_t *end = p + len;
    uint32_t h;

    if ( len >= 16 )
    {
        uint32_t v1 = XXH_P1 + XXH_P2, v2 = XXH_P2, v3 = 0, v4 = -XXH_P1;

        do {
            v1 = xxh_round(v1, get_le32(p));
            v2 = xxh_round(v2, get_le32(p + 4));
            v3 = xxh_round(v3, get_le32(p + 8));
            v4 = xxh_round(v4, get_le32(p + 12));
            p += 16;
        } while ( end - p >= 16 );
        h = rotl32(v1, 1) + rotl32(v2, 7) + rotl32(v3, 12) + rotl32(v4, 18);
    }
    else
        h = XXH_P5;

    /* The length goes in modulo 2^32, as the algorithm defines it. */
    h += (uint32_t)len;
    for ( ; end - p >= 4; p += 4 )
        h = rotl32(h + get_le32(p) * XXH_P3, 17) * XXH_P4;
    for ( ; p < end; p++ )
        h = rotl32(h + *p * XXH_P5, 11) * XXH_P1;

    h ^= h >> 15;
    h *= XXH_P2;
    h ^= h >> 13;
    h *= XXH_P3;
    h ^= h >> 16;

    return h;
}
