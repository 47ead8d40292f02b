/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Format detection by magic number, and dispatch to the decoders of
 * xen/common/decompress/ (see xen/decompress.h).
 */
#include <xen/decompress.h>
#include <xen/errno.h>
#include <xen/string.h>

#include "private.h"

static const struct {
    enum compression c;
    const char *name;
    uint8_t len;
    uint8_t magic[6];
} formats[] = {
    { COMP_GZIP,  "gzip",  2, { 0x1f, 0x8b } },
    { COMP_XZ,    "xz",    6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 } },
    { COMP_LZ4,   "lz4",   4, { 0x04, 0x22, 0x4d, 0x18 } },  /* frame */
    { COMP_LZ4,   "lz4",   4, { 0x02, 0x21, 0x4c, 0x18 } },  /* legacy */
    { COMP_BZIP2, "bzip2", 3, { 'B', 'Z', 'h' } },
    /* Properties lc=3 lp=0 pb=2, then the low bytes of the dictionary. */
    { COMP_LZMA,  "lzma",  3, { 0x5d, 0x00, 0x00 } },
    { COMP_LZO,   "lzo",   4, { 0x89, 'L', 'Z', 'O' } },
    { COMP_ZSTD,  "zstd",  4, { 0x28, 0xb5, 0x2f, 0xfd } },
};

enum compression compression_detect(const void *in, size_t len)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(formats); i++ )
        if ( len >= formats[i].len &&
             !memcmp(in, formats[i].magic, formats[i].len) )
            return formats[i].c;

    return COMP_NONE;
}

const char *compression_name(enum compression c)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(formats); i++ )
        if ( formats[i].c == c )
            return formats[i].name;

    return "none";
}

int decompress(enum compression c, const void *in, size_t in_len,
               void *out, size_t out_max, size_t *out_len, const char **why)
{
    const char *reason = NULL;
    size_t len = 0;
    int rc;

    switch ( c )
    {
    case COMP_GZIP:
        rc = gzip_decompress(in, in_len, out, out_max, &len, &reason);
        break;
    case COMP_XZ:
        rc = xz_decompress(in, in_len, out, out_max, &len, &reason);
        break;
    case COMP_LZ4:
        rc = lz4_decompress(in, in_len, out, out_max, &len, &reason);
        break;
    case COMP_NONE:
        reason = "not compressed data";
        rc = -EINVAL;
        break;
    case COMP_BZIP2:
        reason = "bzip2: not supported";
        rc = -EINVAL;
        break;
    case COMP_LZMA:
        reason = "lzma: not supported";
        rc = -EINVAL;
        break;
    case COMP_LZO:
        reason = "lzo: not supported";
        rc = -EINVAL;
        break;
    case COMP_ZSTD:
        reason = "zstd: not supported";
        rc = -EINVAL;
        break;
    default:
        reason = "unknown compression format";
        rc = -EINVAL;
        break;
    }

    if ( rc )
    {
        if ( why )
            *why = reason;
        return rc;
    }
    *out_len = len;

    return 0;
}
