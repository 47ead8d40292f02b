/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen/common/bzimage.c on the host: bzImages made by
 * tools/scripts/mkbzimage.py (which compresses as Linux's build does) are
 * found, and their payload decompresses to the original ELF; hand-broken
 * headers are refused with the right error, and no image, however cut or
 * damaged, makes the parser read outside it (ASan).
 */
#include "harness.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xen/bzimage.h>
#include <xen/decompress.h>

#ifndef MKBZIMAGE
#error "the Makefile passes the path of mkbzimage.py"
#endif

void *_xmalloc(size_t size, size_t align);
void xfree(void *p);

void *_xmalloc(size_t size, size_t align)
{
    void *p;

    return posix_memalign(&p, align < sizeof(void *) ? sizeof(void *)
                                                      : align, size)
           ? NULL : p;
}

void xfree(void *p)
{
    free(p);
}

struct buf {
    uint8_t *p;
    size_t len;
};

static struct buf slurp(const char *path)
{
    struct buf b = { NULL, 0 };
    FILE *f = fopen(path, "rb");
    long n;

    CHECK_MSG(f, "cannot open %s", path);
    CHECK(!fseek(f, 0, SEEK_END));
    n = ftell(f);
    CHECK(n > 0);
    rewind(f);
    b.len = n;
    b.p = malloc(b.len);           /* exactly: ASan guards the end */
    CHECK(b.p);
    CHECK(fread(b.p, 1, b.len, f) == b.len);
    fclose(f);
    return b;
}

static struct buf elf(void)
{
    struct buf b = slurp("/bin/ls");

    CHECK(!memcmp(b.p, "\x7f" "ELF", 4));
    return b;
}

/* mkbzimage.py KIND /bin/ls -> a temporary file, read back. */
static struct buf make_bzimage(const char *kind)
{
    char path[] = "/tmp/test-bzimage.XXXXXX", cmd[512];
    struct buf b;
    int fd = mkstemp(path), status;

    CHECK(fd >= 0);
    close(fd);
    snprintf(cmd, sizeof(cmd), "python3 %s %s /bin/ls %s", MKBZIMAGE, kind,
             path);
    status = system(cmd);
    CHECK_MSG(status != -1 && WIFEXITED(status) && !WEXITSTATUS(status),
              "`%s` failed (status %#x)", cmd, status);
    b = slurp(path);
    unlink(path);
    return b;
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

static const char *why;

static void check_kernel(const char *kind, enum compression want)
{
    struct buf img = make_bzimage(kind), orig = elf();
    const void *payload;
    size_t plen, dsize, len;
    enum compression c;
    uint8_t *out;
    int rc;

    why = NULL;
    rc = bzimage_parse(img.p, img.len, &payload, &plen, &dsize, &why);
    CHECK_MSG(!rc, "%s: %d (%s)", kind, rc, why);
    CHECK(why == NULL);
    /* Behind the boot sector, one setup sector and a 512-byte stub. */
    CHECK(payload == img.p + 3 * 512);
    CHECK_EQU(plen, le32(img.p + 0x24c));
    CHECK((const uint8_t *)payload + plen <= img.p + img.len);
    CHECK_EQU(dsize, orig.len);

    c = compression_detect(payload, plen);
    CHECK_STR(compression_name(c), compression_name(want));
    if ( c == COMP_NONE )
    {
        CHECK_EQU(plen, orig.len + 4);
        CHECK(!memcmp(payload, orig.p, orig.len));
    }
    else
    {
        out = malloc(dsize);
        rc = decompress(c, payload, plen, out, dsize, &len, &why);
        CHECK_MSG(!rc, "%s: %d (%s)", kind, rc, why);
        CHECK_EQU(len, orig.len);
        CHECK(!memcmp(out, orig.p, len));
        free(out);
    }
    free(img.p);
    free(orig.p);
}

TEST(gzip_bzimage)
{
    check_kernel("gzip", COMP_GZIP);
}

TEST(xz_bzimage)
{
    check_kernel("xz", COMP_XZ);
}

TEST(lz4_bzimage)
{
    check_kernel("lz4", COMP_LZ4);
}

TEST(uncompressed_bzimage)
{
    check_kernel("none", COMP_NONE);
}

static int parse(const struct buf *img)
{
    const void *payload = NULL;
    size_t plen = 0, dsize = 0;
    uint8_t *copy = malloc(img->len ? img->len : 1);
    int rc;

    memcpy(copy, img->p, img->len);
    why = NULL;
    rc = bzimage_parse(copy, img->len, &payload, &plen, &dsize, &why);
    if ( rc )
        CHECK_MSG(why && why[0], "no reason for %d", rc);
    else
        CHECK((uint8_t *)payload >= copy &&
              (uint8_t *)payload + plen <= copy + img->len && plen >= 4);
    free(copy);
    return rc;
}

TEST(elf_is_not_a_bzimage)
{
    struct buf b = elf();

    CHECK_EQ(parse(&b), -ENOEXEC);
    CHECK_STR(why, "not a bzImage: no boot sector flag");
    b.len = 100;
    CHECK_EQ(parse(&b), -ENOEXEC);
    CHECK_STR(why, "not a bzImage: too short for a setup header");
    free(b.p);
}

TEST(broken_headers_are_refused)
{
    struct buf img = make_bzimage("gzip");
    uint8_t save[8];

    img.p[0x202] = 'h';
    CHECK_EQ(parse(&img), -ENOEXEC);
    CHECK_STR(why, "not a bzImage: no HdrS setup header");
    img.p[0x202] = 'H';

    img.p[0x206] = 0x07;                     /* version 2.07 */
    CHECK_EQ(parse(&img), -EINVAL);
    CHECK_STR(why, "bzImage: boot protocol older than 2.08");
    img.p[0x206] = 0x08;                     /* 2.08 will do */
    CHECK_EQ(parse(&img), 0);
    img.p[0x206] = 0x0f;

    img.p[0x211] = 0;
    CHECK_EQ(parse(&img), -EINVAL);
    CHECK_STR(why, "bzImage: not loaded high (a zImage?)");
    img.p[0x211] = 1;

    memcpy(save, img.p + 0x248, 8);
    put32(img.p + 0x248, img.len);           /* offset past the end */
    CHECK_EQ(parse(&img), -EINVAL);
    CHECK_STR(why, "bzImage: payload outside the image");
    put32(img.p + 0x248, 512);
    put32(img.p + 0x24c, 0xffffffffu);       /* length past the end */
    CHECK_EQ(parse(&img), -EINVAL);
    put32(img.p + 0x24c, img.len - 1024 - 512 + 1);  /* one byte over */
    CHECK_EQ(parse(&img), -EINVAL);
    put32(img.p + 0x24c, img.len - 1024 - 512);      /* to the very end */
    put32(img.p + img.len - 4, 77);
    CHECK_EQ(parse(&img), 0);
    put32(img.p + 0x24c, 3);
    CHECK_EQ(parse(&img), -EINVAL);
    CHECK_STR(why, "bzImage: payload too short");
    memcpy(img.p + 0x248, save, 8);

    /* setup_sects 0 means 4: the protected-mode part moves to 5 * 512. */
    img.p[0x1f1] = 0;
    put32(img.p + 0x248, 0);
    put32(img.p + 0x24c, 8);
    put32(img.p + 5 * 512 + 4, 0);
    CHECK_EQ(parse(&img), -EINVAL);
    CHECK_STR(why, "bzImage: decompressed size is 0");
    put32(img.p + 5 * 512 + 4, 1234);
    {
        const void *payload;
        size_t plen, dsize;

        CHECK_EQ(bzimage_parse(img.p, img.len, &payload, &plen, &dsize,
                               NULL), 0);
        CHECK(payload == img.p + 5 * 512);
        CHECK_EQU(dsize, 1234);
    }
    free(img.p);
}

TEST(cut_or_damaged_images_stay_inside)
{
    struct buf img = make_bzimage("lz4"), cut;
    size_t n, i;

    for ( n = 0; n < 0x400 + 64; n++ )
    {
        cut = (struct buf){ img.p, n };
        parse(&cut);
    }
    for ( n = 0x1f0; n < 0x270; n++ )
        for ( i = 0; i < 8; i++ )
        {
            img.p[n] ^= 1u << i;
            parse(&img);
            img.p[n] ^= 1u << i;
        }
    free(img.p);
}
