/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Finding the compressed kernel of a Linux bzImage; see xen/bzimage.h.
 */
#include <xen/bzimage.h>
#include <xen/errno.h>
#include <xen/string.h>

/* Offsets in the image of the setup header fields used. */
#define HDR_SETUP_SECTS     0x1f1
#define HDR_BOOT_FLAG       0x1fe
#define HDR_HEADER          0x202
#define HDR_VERSION         0x206
#define HDR_LOADFLAGS       0x211
#define HDR_PAYLOAD_OFFSET  0x248
#define HDR_PAYLOAD_LENGTH  0x24c
#define HDR_END             0x250

#define BOOT_FLAG           0xaa55
#define LOADED_HIGH         0x01
#define MIN_VERSION         0x0208    /* payload_offset/length appear */

static unsigned int get16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

#define FAIL(e, msg) do { if ( why ) *why = msg; return -(e); } while ( 0 )

int bzimage_parse(const void *image, size_t len, const void **payload,
                  size_t *payload_len, size_t *decompressed_size,
                  const char **why)
{
    const uint8_t *img = image;
    uint64_t pm_start, off, plen;
    unsigned int sects;
    uint32_t size;

    if ( len < HDR_END )
        FAIL(ENOEXEC, "not a bzImage: too short for a setup header");
    if ( get16(img + HDR_BOOT_FLAG) != BOOT_FLAG )
        FAIL(ENOEXEC, "not a bzImage: no boot sector flag");
    if ( memcmp(img + HDR_HEADER, "HdrS", 4) )
        FAIL(ENOEXEC, "not a bzImage: no HdrS setup header");

    if ( get16(img + HDR_VERSION) < MIN_VERSION )
        FAIL(EINVAL, "bzImage: boot protocol older than 2.08");
    if ( !(img[HDR_LOADFLAGS] & LOADED_HIGH) )
        FAIL(EINVAL, "bzImage: not loaded high (a zImage?)");

    sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4;
    pm_start = ((uint64_t)sects + 1) * 512;
    off = pm_start + get32(img + HDR_PAYLOAD_OFFSET);
    plen = get32(img + HDR_PAYLOAD_LENGTH);
    if ( off > len || plen > len - off )
        FAIL(EINVAL, "bzImage: payload outside the image");
    if ( plen < 4 )
        FAIL(EINVAL, "bzImage: payload too short");

    size = get32(img + off + plen - 4);
    if ( !size )
        FAIL(EINVAL, "bzImage: decompressed size is 0");

    *payload = img + off;
    *payload_len = plen;
    *decompressed_size = size;

    return 0;
}
