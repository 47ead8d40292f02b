/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen/common/decompress/ on the host, against the real tools.
 *
 * Every input is made at test time by gzip, xz or lz4 from data of
 * several kinds (empty, one byte, zeros, random, text, x86 ELF programs,
 * a few MiB of all of them) with the options Linux uses and others that
 * reach the other paths of the formats (stored and fixed deflate blocks,
 * several xz blocks, every xz check type, LZMA lc/lp/pb, lz4 linked and
 * independent blocks, block and content checksums). The output must match
 * the original byte for byte, and must not fit in one byte less.
 *
 * Inputs and outputs live in heap buffers of exactly their size, so a
 * read or write one byte outside is an AddressSanitizer error. Truncated,
 * bit-flipped and randomised inputs must fail cleanly or, where a check
 * covers the data, decode to the original.
 *
 * A missing tool fails the test that needs it, loudly: the tools are in
 * DEPS_TEST (Config.mk).
 */
#include "harness.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xen/decompress.h>

/* ------------------------------------------------------------------------
 * xmalloc on the host, with a switch to make it fail.
 */
void *_xmalloc(size_t size, size_t align);
void xfree(void *p);

static bool xmalloc_fails;
static long xmalloc_live;

void *_xmalloc(size_t size, size_t align)
{
    void *p;

    if ( xmalloc_fails || !size )
        return NULL;
    if ( posix_memalign(&p, align < sizeof(void *) ? sizeof(void *) : align,
                        size) )
        return NULL;
    xmalloc_live++;
    return p;
}

void xfree(void *p)
{
    if ( p )
        xmalloc_live--;
    free(p);
}

/* ------------------------------------------------------------------------
 * Buffers and data sets
 */

struct buf {
    uint8_t *p;
    size_t len;
    size_t cap;     /* for buf_append() */
};

/* A heap copy of exactly len bytes (ASan guards both ends). */
static uint8_t *exact_copy(const void *src, size_t len)
{
    uint8_t *p = malloc(len ? len : 1);

    CHECK(p);
    if ( len )
        memcpy(p, src, len);
    return p;
}

static void buf_append(struct buf *b, const void *src, size_t len)
{
    if ( b->len + len + 1 > b->cap )
    {
        b->cap = (b->len + len + 1) * 2;
        b->p = realloc(b->p, b->cap);
        CHECK(b->p);
    }
    memcpy(b->p + b->len, src, len);
    b->len += len;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state >> 16;
}

static struct buf make_random(size_t len)
{
    struct buf b = { malloc(len + 1), len, 0 };
    size_t i;

    for ( i = 0; i < len; i++ )
        b.p[i] = rng();
    return b;
}

static struct buf make_zeros(size_t len)
{
    struct buf b = { calloc(len + 1, 1), len, 0 };

    return b;
}

static struct buf make_text(size_t len)
{
    static const char *const words[] = {
        "the", "hypervisor", "maps", "a", "page", "of", "guest", "memory",
        "and", "builds", "domain", "zero", "from", "its", "kernel", "image",
        "compressed", "with", "xz", "or", "lz4", "gzip", "0x1000", "42",
    };
    struct buf b = { NULL, 0, 0 };

    while ( b.len < len )
    {
        const char *w = words[rng() % ARRAY_SIZE(words)];

        buf_append(&b, w, strlen(w));
        buf_append(&b, rng() % 11 ? " " : ".\n", rng() % 11 ? 1 : 2);
    }
    b.len = len;
    return b;
}

static bool read_file(const char *path, struct buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;

    if ( !f )
        return false;
    while ( (n = fread(chunk, 1, sizeof(chunk), f)) > 0 )
        buf_append(b, chunk, n);
    fclose(f);
    return true;
}

/* An x86-64 program of the host, for the BCJ filter to bite on. */
static struct buf make_elf(void)
{
    static const char *const paths[] = { "/bin/ls", "/usr/bin/ls" };
    struct buf b = { NULL, 0, 0 };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(paths); i++ )
        if ( read_file(paths[i], &b) )
            break;
    CHECK_MSG(b.len > 4096 && !memcmp(b.p, "\x7f" "ELF", 4),
              "no ELF program found to test with");
    return b;
}

/* Several MiB: programs, text, random data and zeros. */
static struct buf make_big(void)
{
    static const char *const paths[] = {
        "/bin/bash", "/usr/bin/xz", "/usr/bin/lz4", "/bin/ls", "/bin/cp",
    };
    struct buf b = { NULL, 0, 0 }, t;
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(paths); i++ )
        read_file(paths[i], &b);
    t = make_text(1 << 20);
    buf_append(&b, t.p, t.len);
    free(t.p);
    t = make_random(300000);
    buf_append(&b, t.p, t.len);
    free(t.p);
    t = make_zeros(500000);
    buf_append(&b, t.p, t.len);
    free(t.p);
    CHECK(b.len > (1 << 20) + 800000);
    return b;
}

/* ------------------------------------------------------------------------
 * Running the tools
 */

static char tmpdir[64];

static void cleanup_tmpdir(void)
{
    char cmd[128];

    if ( tmpdir[0] )
    {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if ( system(cmd) )
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
}

static void write_file(const char *path, const void *p, size_t len)
{
    FILE *f = fopen(path, "wb");

    CHECK_MSG(f, "cannot create %s", path);
    CHECK(!len || fwrite(p, 1, len, f) == len);
    CHECK(!fclose(f));
}

/* `cmd < in > out`; the test fails if the command does. */
static struct buf run_tool(const char *cmd, const void *in, size_t len)
{
    char inpath[128], outpath[128], line[1024];
    struct buf out = { NULL, 0, 0 };
    int status;

    if ( !tmpdir[0] )
    {
        strcpy(tmpdir, "/tmp/test-decompress.XXXXXX");
        CHECK(mkdtemp(tmpdir));
        atexit(cleanup_tmpdir);
    }
    snprintf(inpath, sizeof(inpath), "%s/in", tmpdir);
    snprintf(outpath, sizeof(outpath), "%s/out", tmpdir);
    write_file(inpath, in, len);
    snprintf(line, sizeof(line), "%s < %s > %s", cmd, inpath, outpath);
    status = system(line);
    CHECK_MSG(status != -1 && WIFEXITED(status) && !WEXITSTATUS(status),
              "`%s` failed (status %#x): is the tool installed?", line,
              status);
    CHECK(read_file(outpath, &out));
    return out;
}

/* ------------------------------------------------------------------------
 * Checks
 */

static const char *why;

static int run(enum compression c, const void *in, size_t in_len,
               size_t out_max, struct buf *got)
{
    uint8_t *i = exact_copy(in, in_len);
    uint8_t *o = malloc(out_max ? out_max : 1);
    size_t len = 0xdead;
    int rc;

    why = NULL;
    rc = decompress(c, i, in_len, o, out_max, &len, &why);
    free(i);
    CHECK_MSG(rc || why == NULL, "why set on success");
    CHECK_MSG(!rc || why, "no reason given for %d", rc);
    CHECK_MSG(!rc || c == COMP_NONE ||
              !strncmp(why, compression_name(c),
                              strlen(compression_name(c))),
              "reason \"%s\" does not name the format", why);
    CHECK_EQ(xmalloc_live, 0);
    if ( got && !rc )
    {
        got->p = o;
        got->len = len;
    }
    else
        free(o);
    return rc;
}

/* Decodes comp, which must give orig exactly and not fit in one less. */
static void roundtrip_raw(enum compression c, const struct buf *comp,
                          const struct buf *orig, const char *what)
{
    struct buf got = { NULL, 0, 0 };
    int rc;

    CHECK_MSG(compression_detect(comp->p, comp->len) == c,
              "%s: not detected as %s", what, compression_name(c));
    rc = run(c, comp->p, comp->len, orig->len, &got);
    CHECK_MSG(!rc, "%s: %d (%s)", what, rc, why);
    CHECK_MSG(got.len == orig->len, "%s: %zu bytes, want %zu", what,
              got.len, orig->len);
    CHECK_MSG(!memcmp(got.p, orig->p, orig->len), "%s: output differs",
              what);
    free(got.p);

    /* Room to spare is fine. */
    rc = run(c, comp->p, comp->len, orig->len + 100, NULL);
    CHECK_MSG(!rc, "%s with spare room: %d (%s)", what, rc, why);

    if ( orig->len )
    {
        rc = run(c, comp->p, comp->len, orig->len - 1, NULL);
        CHECK_MSG(rc == -ENOSPC, "%s one byte short: %d (%s)", what, rc,
                  why);
        rc = run(c, comp->p, comp->len, 0, NULL);
        CHECK_MSG(rc == -ENOSPC, "%s no room: %d (%s)", what, rc, why);
    }
}

static void roundtrip(enum compression c, const char *cmd,
                      const struct buf *orig, const char *name)
{
    struct buf comp = run_tool(cmd, orig->p, orig->len);
    char what[256];

    snprintf(what, sizeof(what), "`%s` of %s (%zu bytes)", cmd, name,
             orig->len);
    roundtrip_raw(c, &comp, orig, what);
    free(comp.p);
}

/* Data sets, made once. */
static struct buf d_empty, d_one, d_zeros, d_random, d_text, d_elf, d_big;
static bool made;

static void make_data(void)
{
    if ( made )
        return;
    d_empty = make_zeros(0);
    d_one = make_zeros(1);
    d_one.p[0] = 'x';
    d_zeros = make_zeros(4095);
    d_random = make_random(4095);
    d_text = make_text(200000);
    d_elf = make_elf();
    d_big = make_big();
    made = true;
}

#define SMALL_SETS(f)                                                      \
    f(d_empty) f(d_one) f(d_zeros) f(d_random) f(d_text) f(d_elf)

/* ------------------------------------------------------------------------
 * Detection
 */

TEST(detect_magics_and_names)
{
    static const struct {
        const char *bytes;
        size_t len;
        enum compression c;
        const char *name;
    } cases[] = {
        { "\x1f\x8b\x08", 3, COMP_GZIP, "gzip" },
        { "\xfd" "7zXZ\0", 6, COMP_XZ, "xz" },
        { "\x04\x22\x4d\x18", 4, COMP_LZ4, "lz4" },
        { "\x02\x21\x4c\x18", 4, COMP_LZ4, "lz4" },
        { "BZh9", 4, COMP_BZIP2, "bzip2" },
        { "\x5d\0\0\x80", 4, COMP_LZMA, "lzma" },
        { "\x89LZO", 4, COMP_LZO, "lzo" },
        { "\x28\xb5\x2f\xfd", 4, COMP_ZSTD, "zstd" },
        { "\x7f" "ELF", 4, COMP_NONE, "none" },
        { "\xfd" "7zXZ", 5, COMP_NONE, "none" },    /* too short */
        { "\x1f", 1, COMP_NONE, "none" },
        { "", 0, COMP_NONE, "none" },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        uint8_t *p = exact_copy(cases[i].bytes, cases[i].len);

        CHECK_MSG(compression_detect(p, cases[i].len) == cases[i].c,
                  "case %u", i);
        CHECK_STR(compression_name(cases[i].c), cases[i].name);
        free(p);
    }
}

TEST(unsupported_formats_say_so)
{
    static const enum compression cs[] = {
        COMP_NONE, COMP_BZIP2, COMP_LZMA, COMP_LZO, COMP_ZSTD,
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cs); i++ )
    {
        CHECK_EQ(run(cs[i], "BZh9abcdef", 10, 100, NULL), -EINVAL);
        CHECK(why && why[0]);
    }
    CHECK_EQ(run(COMP_ZSTD, "x", 1, 1, NULL), -EINVAL);
    CHECK_STR(why, "zstd: not supported");
}

TEST(host_tools_are_installed)
{
    struct buf v;

    v = run_tool("gzip --version", "", 0);
    free(v.p);
    v = run_tool("xz --version", "", 0);
    free(v.p);
    v = run_tool("lz4 --version", "", 0);
    free(v.p);
}

/* ------------------------------------------------------------------------
 * gzip
 */

TEST(gzip_matches_the_tool)
{
    static const char *const cmds[] = { "gzip -n -9", "gzip -n -1",
                                        "gzip -n" };
    unsigned int i;

    make_data();
    for ( i = 0; i < ARRAY_SIZE(cmds); i++ )
    {
#define GZ(d) roundtrip(COMP_GZIP, cmds[i], &d, #d);
        SMALL_SETS(GZ)
#undef GZ
    }
    roundtrip(COMP_GZIP, "gzip -n -9", &d_big, "d_big");
}

TEST(gzip_with_a_file_name)
{
    char cmd[256];

    make_data();
    /* Not from stdin: gzip records the name (FNAME) and the time. */
    write_file("/tmp/test-decompress-named", d_text.p, d_text.len);
    snprintf(cmd, sizeof(cmd), "gzip -c /tmp/test-decompress-named");
    roundtrip(COMP_GZIP, cmd, &d_text, "named file");
    unlink("/tmp/test-decompress-named");
}

/* A reference CRC32, bit by bit, independent of the table in crc.c. */
static uint32_t ref_crc32(const uint8_t *p, size_t len)
{
    uint32_t c = ~0u;
    unsigned int k;

    while ( len-- )
    {
        c ^= *p++;
        for ( k = 0; k < 8; k++ )
            c = (c >> 1) ^ (c & 1 ? 0xedb88320u : 0);
    }
    return ~c;
}

TEST(gzip_optional_header_fields)
{
    struct buf comp, hand = { NULL, 0, 0 };
    static const uint8_t extra[] = { 6, 0, 'A', 'b', 2, 0, 1, 2 };
    uint8_t hdr[10], hcrc[2];
    uint32_t c;

    make_data();
    comp = run_tool("gzip -n -6", d_text.p, d_text.len);
    memcpy(hdr, comp.p, 10);
    hdr[3] = 0x04 | 0x08 | 0x10 | 0x02;     /* FEXTRA FNAME FCOMMENT FHCRC */
    buf_append(&hand, hdr, 10);
    buf_append(&hand, extra, sizeof(extra));
    buf_append(&hand, "vmlinux", 8);
    buf_append(&hand, "a comment", 10);
    c = ref_crc32(hand.p, hand.len);
    hcrc[0] = c;
    hcrc[1] = c >> 8;
    buf_append(&hand, hcrc, 2);
    buf_append(&hand, comp.p + 10, comp.len - 10);
    roundtrip_raw(COMP_GZIP, &hand, &d_text, "all header fields");

    /* A wrong header CRC is refused. */
    hand.p[10 + sizeof(extra) + 18] ^= 1;
    CHECK_EQ(run(COMP_GZIP, hand.p, hand.len, d_text.len, NULL), -EINVAL);
    CHECK_STR(why, "gzip: header CRC mismatch");
    free(hand.p);
    free(comp.p);
}

TEST(gzip_checks_crc_and_size)
{
    struct buf comp;

    make_data();
    /* Random data is stored: a flipped byte decodes, and the CRC catches. */
    comp = run_tool("gzip -n -9", d_random.p, d_random.len);
    comp.p[comp.len / 2] ^= 0x20;
    CHECK_EQ(run(COMP_GZIP, comp.p, comp.len, d_random.len, NULL), -EINVAL);
    CHECK_STR(why, "gzip: CRC32 mismatch");
    comp.p[comp.len / 2] ^= 0x20;
    comp.p[comp.len - 1] ^= 1;
    CHECK_EQ(run(COMP_GZIP, comp.p, comp.len, d_random.len, NULL), -EINVAL);
    CHECK_STR(why, "gzip: ISIZE mismatch");
    free(comp.p);
}

/* ------------------------------------------------------------------------
 * xz
 */

TEST(xz_matches_the_tool)
{
    static const char *const cmds[] = {
        "xz -z -c",
        "xz -z -c --check=crc32",
        "xz -z -c --check=crc64 -0",
        "xz -z -c --check=none -9",
        "xz -z -c --check=crc32 --x86 --lzma2=dict=32MiB",
        "xz -z -c --block-size=3000",
        "xz -z -c --lzma2=preset=6,lc=0,lp=4,pb=0",
        "xz -z -c --lzma2=preset=1,lc=4,lp=0,pb=4",
        "xz -z -c -e --lzma2=preset=9,lc=1,lp=3,pb=1",
    };
    unsigned int i;

    make_data();
    for ( i = 0; i < ARRAY_SIZE(cmds); i++ )
    {
#define XZ(d) roundtrip(COMP_XZ, cmds[i], &d, #d);
        SMALL_SETS(XZ)
#undef XZ
    }
}

TEST(xz_big_inputs_as_linux_makes_them)
{
    make_data();
    /* scripts/xz_wrap.sh for x86. */
    roundtrip(COMP_XZ, "xz -z -c --check=crc32 --x86 --lzma2=dict=32MiB",
              &d_big, "d_big");
    roundtrip(COMP_XZ, "xz -z -c --check=crc64 --x86 --lzma2 --block-size=1000000",
              &d_big, "d_big");
    /* Threads write the sizes into the block headers. */
    roundtrip(COMP_XZ, "xz -z -c -T2 --block-size=700000 -0", &d_big,
              "d_big");
}

TEST(xz_refuses_sha256_and_unknown_filters)
{
    struct buf comp;

    make_data();
    comp = run_tool("xz -z -c --check=sha256", d_text.p, d_text.len);
    CHECK_EQ(run(COMP_XZ, comp.p, comp.len, d_text.len, NULL), -EINVAL);
    CHECK_STR(why, "xz: SHA-256 check not supported");
    free(comp.p);

    comp = run_tool("xz -z -c --delta=dist=4 --lzma2", d_text.p, d_text.len);
    CHECK_EQ(run(COMP_XZ, comp.p, comp.len, d_text.len, NULL), -EINVAL);
    CHECK_STR(why, "xz: unsupported filter: delta");
    free(comp.p);

    comp = run_tool("xz -z -c --arm --lzma2", d_text.p, d_text.len);
    CHECK_EQ(run(COMP_XZ, comp.p, comp.len, d_text.len, NULL), -EINVAL);
    CHECK_STR(why, "xz: unsupported filter: a BCJ for another CPU");
    free(comp.p);
}

TEST(xz_checks_crc32_and_crc64)
{
    static const char *const cmds[] = { "xz -z -c --check=crc32",
                                        "xz -z -c --check=crc64" };
    static const char *const want[] = { "xz: CRC32 mismatch",
                                        "xz: CRC64 mismatch" };
    unsigned int i;

    make_data();
    for ( i = 0; i < 2; i++ )
    {
        /* Random data goes in stored chunks: a flip changes the output. */
        struct buf comp = run_tool(cmds[i], d_random.p, d_random.len);

        comp.p[comp.len / 2] ^= 0x20;
        CHECK_EQ(run(COMP_XZ, comp.p, comp.len, d_random.len, NULL),
                 -EINVAL);
        CHECK_STR(why, want[i]);
        free(comp.p);
    }
}

/* Reads the VLI at *p; returns its length in bytes. */
static unsigned int vli_len(const uint8_t *p)
{
    unsigned int n = 1;

    while ( *p++ & 0x80 )
        n++;
    return n;
}

TEST(xz_index_must_match_the_blocks)
{
    struct buf comp;
    size_t index, isize;
    uint8_t *rec;
    uint32_t c;

    make_data();
    comp = run_tool("xz -z -c --check=crc32", d_text.p, d_text.len);
    /* The footer's backward size locates the index; its one record. */
    isize = ((size_t)(comp.p[comp.len - 8] | comp.p[comp.len - 7] << 8) + 1)
            * 4;
    index = comp.len - 12 - isize;
    CHECK_EQU(comp.p[index], 0);
    CHECK_EQU(comp.p[index + 1], 1);
    rec = comp.p + index + 2;
    /* One more uncompressed byte, the index CRC32 made right again. */
    rec += vli_len(rec);
    CHECK(rec[0] != 0x7f && rec[0] != 0xff);
    rec[0]++;
    c = ref_crc32(comp.p + index, isize - 4);
    comp.p[index + isize - 4] = c;
    comp.p[index + isize - 3] = c >> 8;
    comp.p[index + isize - 2] = c >> 16;
    comp.p[index + isize - 1] = c >> 24;
    CHECK_EQ(run(COMP_XZ, comp.p, comp.len, d_text.len, NULL), -EINVAL);
    CHECK_STR(why, "xz: index does not match the blocks");
    free(comp.p);
}

/* ------------------------------------------------------------------------
 * lz4
 */

TEST(lz4_matches_the_tool)
{
    static const char *const cmds[] = {
        "lz4 -q -z -c -l -9",                  /* what Linux uses */
        "lz4 -q -z -c -l -1",
        "lz4 -q -z -c",
        "lz4 -q -z -c -9 --content-size -BX",
        "lz4 -q -z -c -B4 -BD",                /* linked 64 KiB blocks */
        "lz4 -q -z -c -B4 -BI --no-frame-crc", /* independent */
        "lz4 -q -z -c -B5 -BD -BX --content-size -12",
    };
    unsigned int i;

    make_data();
    for ( i = 0; i < ARRAY_SIZE(cmds); i++ )
    {
#define LZ4(d) roundtrip(COMP_LZ4, cmds[i], &d, #d);
        SMALL_SETS(LZ4)
#undef LZ4
    }
    roundtrip(COMP_LZ4, "lz4 -q -z -c -l -9", &d_big, "d_big");
    roundtrip(COMP_LZ4, "lz4 -q -z -c -B4 -BD -BX", &d_big, "d_big");
}

TEST(lz4_checks_its_checksums)
{
    struct buf comp;

    make_data();
    /* Random data is stored in uncompressed blocks. */
    comp = run_tool("lz4 -q -z -c -BX", d_random.p, d_random.len);
    comp.p[comp.len / 2] ^= 0x20;
    CHECK_EQ(run(COMP_LZ4, comp.p, comp.len, d_random.len, NULL), -EINVAL);
    CHECK_STR(why, "lz4: block checksum mismatch");
    free(comp.p);

    comp = run_tool("lz4 -q -z -c", d_random.p, d_random.len);
    comp.p[comp.len / 2] ^= 0x20;
    CHECK_EQ(run(COMP_LZ4, comp.p, comp.len, d_random.len, NULL), -EINVAL);
    CHECK_STR(why, "lz4: content checksum mismatch");
    comp.p[comp.len / 2] ^= 0x20;
    comp.p[6] ^= 1;                       /* the header checksum byte */
    CHECK_EQ(run(COMP_LZ4, comp.p, comp.len, d_random.len, NULL), -EINVAL);
    CHECK_STR(why, "lz4: frame header checksum mismatch");
    free(comp.p);

    comp = run_tool("lz4 -q -z -c --content-size", d_text.p, d_text.len);
    CHECK_EQ(run(COMP_LZ4, comp.p, comp.len, d_text.len - 1, NULL),
             -ENOSPC);
    free(comp.p);
}

/*
 * Blocks of a linked frame refer to the blocks before them; the same
 * frame marked independent must be refused, not decoded.
 */
TEST(lz4_independent_blocks_stay_in_their_block)
{
    struct buf comp;
    uint8_t *flg;

    make_data();
    comp = run_tool("lz4 -q -z -c -B4 -BD", d_text.p, d_text.len);
    flg = comp.p + 4;
    CHECK(!(*flg & 0x20));
    *flg |= 0x20;
    /* xxh32 of the descriptor is not at hand here: take it from lz4. */
    {
        struct buf indep = run_tool("lz4 -q -z -c -B4 -BI", d_text.p, 10);

        CHECK_EQU(indep.p[4], *flg);
        CHECK_EQU(indep.p[5], comp.p[5]);
        comp.p[6] = indep.p[6];
        free(indep.p);
    }
    CHECK_EQ(run(COMP_LZ4, comp.p, comp.len, d_text.len, NULL), -EINVAL);
    CHECK_STR(why, "lz4: match offset out of range");
    free(comp.p);
}

/* ------------------------------------------------------------------------
 * What Linux appends: the size word after the stream.
 */

static void append_size(struct buf *b, size_t size)
{
    uint8_t w[4] = { size, size >> 8, size >> 16, size >> 24 };

    buf_append(b, w, 4);
}

TEST(trailing_size_word_is_ignored)
{
    static const struct {
        enum compression c;
        const char *cmd;
    } cases[] = {
        { COMP_GZIP, "gzip -n -9" },
        { COMP_XZ, "xz -z -c --check=crc32 --x86 --lzma2=dict=32MiB" },
        { COMP_LZ4, "lz4 -q -z -c -l -9" },
        { COMP_LZ4, "lz4 -q -z -c" },
    };
    unsigned int i;

    make_data();
    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        struct buf comp = run_tool(cases[i].cmd, d_elf.p, d_elf.len);

        append_size(&comp, d_elf.len);
        roundtrip_raw(cases[i].c, &comp, &d_elf, cases[i].cmd);
        free(comp.p);
    }
}

TEST(lz4_legacy_with_a_wrong_size_word_is_truncated)
{
    struct buf comp;

    make_data();
    comp = run_tool("lz4 -q -z -c -l -9", d_elf.p, d_elf.len);
    append_size(&comp, d_elf.len + 1);
    CHECK_EQ(run(COMP_LZ4, comp.p, comp.len, d_elf.len, NULL), -EINVAL);
    CHECK_STR(why, "lz4: truncated input");
    free(comp.p);
}

/* ------------------------------------------------------------------------
 * Damaged input
 */

/*
 * Whatever the damage, no crash and no access outside the buffers (ASan).
 * With checked, a success must also give the original: every byte of the
 * stream is covered by a check or cannot change the output.
 */
/*
 * Positions to damage: all of a small stream; in a large one its first
 * and last 256 bytes (headers, trailers, checks) and about 2000 between.
 */
static size_t next_position(size_t i, size_t len)
{
    size_t stride = len / 2000 + 1;

    if ( i < 256 || i + 256 >= len || stride == 1 )
        return i + 1;
    i += stride;
    return i + 256 >= len ? len - 256 : i;
}

/*
 * Whatever the damage, no crash and no access outside the buffers (ASan).
 * With checked, a success must also give the original (every byte of the
 * stream is covered by a check or cannot change the output), and most
 * flips must be caught.
 */
static void damaged(enum compression c, const struct buf *comp,
                    const struct buf *orig, bool checked, const char *what)
{
    static const uint8_t flips[] = { 0x01, 0x80, 0x5a };
    struct buf got;
    size_t cut, i;
    uint8_t *copy = exact_copy(comp->p, comp->len);
    unsigned int ok = 0, tried = 0;

    for ( cut = 0; cut < comp->len; cut = next_position(cut, comp->len) )
    {
        int rc = run(c, comp->p, cut, orig->len, &got);

        if ( !rc )
        {
            /* Only the lz4 legacy frame can end early, at a block end. */
            CHECK_MSG(!checked, "%s cut at %zu decodes", what, cut);
            CHECK_MSG(got.len <= orig->len &&
                      !memcmp(got.p, orig->p, got.len),
                      "%s cut at %zu: not a prefix", what, cut);
            free(got.p);
        }
        else
            CHECK_MSG(rc == -EINVAL || rc == -ENOSPC, "%s cut: %d", what,
                      rc);
    }

    for ( i = 0; i < comp->len; i = next_position(i, comp->len) )
    {
        unsigned int f;

        for ( f = 0; f < ARRAY_SIZE(flips); f++ )
        {
            int rc;

            tried++;
            copy[i] ^= flips[f];
            rc = run(c, copy, comp->len, orig->len, &got);
            copy[i] ^= flips[f];
            if ( rc )
            {
                CHECK_MSG(rc == -EINVAL || rc == -ENOSPC,
                          "%s flip at %zu: %d", what, i, rc);
                continue;
            }
            ok++;
            if ( checked )
                CHECK_MSG(got.len == orig->len &&
                          !memcmp(got.p, orig->p, orig->len),
                          "%s flip %#x at %zu: wrong output accepted", what,
                          flips[f], i);
            free(got.p);
        }
    }
    CHECK_MSG(!checked || ok < tried / 10, "%s: %u of %u flips decoded",
              what, ok, tried);
    free(copy);
}

TEST(damaged_gzip)
{
    struct buf orig = make_text(30000), comp;

    make_data();
    comp = run_tool("gzip -n -9", orig.p, orig.len);
    damaged(COMP_GZIP, &comp, &orig, true, "gzip");
    free(comp.p);
    comp = run_tool("gzip -n -1", d_random.p, 3000);
    orig.len = 3000;
    memcpy(orig.p, d_random.p, 3000);
    damaged(COMP_GZIP, &comp, &orig, true, "stored gzip");
    free(comp.p);
    free(orig.p);
}

TEST(damaged_xz)
{
    struct buf orig = make_text(30000), comp;

    make_data();
    comp = run_tool("xz -z -c --check=crc32 --block-size=10000", orig.p,
                    orig.len);
    damaged(COMP_XZ, &comp, &orig, true, "xz crc32");
    free(comp.p);
    comp = run_tool("xz -z -c --check=crc64 --x86 --lzma2", d_elf.p, 20000);
    damaged(COMP_XZ, &comp, &(struct buf){ d_elf.p, 20000, 0 }, true,
            "xz crc64 x86");
    free(comp.p);
    comp = run_tool("xz -z -c --check=none", orig.p, orig.len);
    damaged(COMP_XZ, &comp, &orig, false, "xz no check");
    free(comp.p);
    free(orig.p);
}

TEST(damaged_lz4)
{
    struct buf orig = make_text(200000), comp;

    comp = run_tool("lz4 -q -z -c -B4 -BD -BX --content-size", orig.p,
                    orig.len);
    damaged(COMP_LZ4, &comp, &orig, true, "lz4 frame");
    free(comp.p);
    comp = run_tool("lz4 -q -z -c -l -9", orig.p, 30000);
    damaged(COMP_LZ4, &comp, &(struct buf){ orig.p, 30000, 0 }, false,
            "lz4 legacy");
    free(comp.p);
    free(orig.p);
}

/*
 * The decoders proper on noise: a valid container around random payload,
 * so the LZMA, deflate and LZ4 block decoders themselves meet garbage.
 */
TEST(random_payloads_fail_cleanly)
{
    unsigned int iter;
    struct buf orig = make_text(50000), xz, lz, gz;

    xz = run_tool("xz -z -c --check=none --lzma2=preset=6", orig.p,
                  orig.len);
    lz = run_tool("lz4 -q -z -c -l", orig.p, orig.len);
    gz = run_tool("gzip -n", orig.p, orig.len);

    for ( iter = 0; iter < 3000; iter++ )
    {
        struct buf *b = iter % 3 == 0 ? &xz : iter % 3 == 1 ? &lz : &gz;
        enum compression c = iter % 3 == 0 ? COMP_XZ :
                             iter % 3 == 1 ? COMP_LZ4 : COMP_GZIP;
        /* Past the stream header and xz's block header (24 bytes). */
        size_t from = 30 + rng() % 200, n = 1 + rng() % 400, i;
        uint8_t *copy = exact_copy(b->p, b->len);
        struct buf got;
        int rc;

        for ( i = from; i < from + n && i < b->len; i++ )
            copy[i] = rng();
        rc = run(c, copy, b->len, orig.len + rng() % 2, &got);
        if ( !rc )
            free(got.p);
        free(copy);
    }
    free(xz.p);
    free(lz.p);
    free(gz.p);
    free(orig.p);
}

TEST(wrong_magic_is_refused)
{
    struct buf comp;

    make_data();
    comp = run_tool("xz -z -c", d_text.p, 1000);
    CHECK_EQ(run(COMP_GZIP, comp.p, comp.len, 1000, NULL), -EINVAL);
    CHECK_STR(why, "gzip: bad magic");
    CHECK_EQ(run(COMP_LZ4, comp.p, comp.len, 1000, NULL), -EINVAL);
    CHECK_STR(why, "lz4: bad magic");
    comp.p[1] ^= 1;
    CHECK_EQ(run(COMP_XZ, comp.p, comp.len, 1000, NULL), -EINVAL);
    CHECK_STR(why, "xz: bad magic");
    CHECK_EQ(run(COMP_XZ, comp.p, 0, 1000, NULL), -EINVAL);
    CHECK_STR(why, "xz: truncated input");
    free(comp.p);
}

TEST(no_memory_is_enomem)
{
    struct buf comp;

    make_data();
    comp = run_tool("xz -z -c", d_text.p, 1000);
    xmalloc_fails = true;
    CHECK_EQ(run(COMP_XZ, comp.p, comp.len, 1000, NULL), -ENOMEM);
    xmalloc_fails = false;
    free(comp.p);
    comp = run_tool("gzip -n", d_text.p, 1000);
    xmalloc_fails = true;
    CHECK_EQ(run(COMP_GZIP, comp.p, comp.len, 1000, NULL), -ENOMEM);
    xmalloc_fails = false;
    free(comp.p);
}
