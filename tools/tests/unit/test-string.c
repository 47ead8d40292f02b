/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The string functions of xen/common/string.c, built as xen_memcpy() and
 * so on (string-names.h). test-string links the plain C loops,
 * test-string-rep the string-instruction versions the hypervisor uses.
 *
 * Below the renaming, memcpy() and friends in this file are the ones
 * under test; the harness was included first and keeps the host's.
 * Strings are copied into exactly-sized heap blocks where a read past
 * their end would matter, so that AddressSanitizer catches it.
 */
#include "harness.h"

/* The host's memcmp(), to judge the functions under test by. */
static bool same(const void *a, const void *b, size_t n)
{
    return !memcmp(a, b, n);
}

#include "string-names.h"
#include <xen/string.h>

#define BUF 96

/* Fills with a pattern no test writes, to spot stray stores. */
static void fill(unsigned char *p, size_t n, unsigned char seed)
{
    size_t i;

    for ( i = 0; i < n; i++ )
        p[i] = (unsigned char)(seed + i * 7);
}

/* An exactly-sized heap copy of s, terminator included. */
static char *exact(const char *s)
{
    size_t n = 0;
    char *p;

    while ( s[n] )
        n++;
    p = malloc(n + 1);
    for ( size_t i = 0; i <= n; i++ )
        p[i] = s[i];
    return p;
}

TEST(memcpy_sizes_and_alignments)
{
    unsigned char src[BUF], dst[BUF], ref[BUF];
    size_t so, doff, n, i;

    for ( so = 0; so < 8; so++ )
    for ( doff = 0; doff < 8; doff++ )
    for ( n = 0; n + 8 <= BUF; n++ )
    {
        fill(src, BUF, 1);
        fill(dst, BUF, 100);
        fill(ref, BUF, 100);
        for ( i = 0; i < n; i++ )
            ref[doff + i] = src[so + i];

        CHECK(memcpy(dst + doff, src + so, n) == dst + doff);
        CHECK_MSG(same(dst, ref, BUF),
                  "src+%zu dst+%zu n=%zu: wrong bytes", so, doff, n);
    }
}

TEST(memmove_every_overlap)
{
    unsigned char buf[BUF], ref[BUF], tmp[BUF];
    size_t from, to, n, i;

    /* Every source and destination within one buffer, both directions. */
    for ( from = 0; from < 40; from++ )
    for ( to = 0; to < 40; to++ )
    for ( n = 0; n <= 40; n++ )
    {
        fill(buf, BUF, 3);
        fill(ref, BUF, 3);
        for ( i = 0; i < n; i++ )
            tmp[i] = ref[from + i];
        for ( i = 0; i < n; i++ )
            ref[to + i] = tmp[i];

        CHECK(memmove(buf + to, buf + from, n) == buf + to);
        CHECK_MSG(same(buf, ref, BUF), "from %zu to %zu n=%zu", from, to,
                  n);
    }
}

TEST(memmove_large_overlap)
{
    static unsigned char big[70000];
    size_t i;

    for ( i = 0; i < sizeof(big); i++ )
        big[i] = (unsigned char)(i * 31 + (i >> 8));
    memmove(big + 3, big, sizeof(big) - 3);
    for ( i = 3; i < sizeof(big); i++ )
        CHECK_MSG(big[i] == (unsigned char)((i - 3) * 31 + ((i - 3) >> 8)),
                  "byte %zu", i);
    memmove(big, big + 3, sizeof(big) - 3);
    for ( i = 0; i + 3 < sizeof(big); i++ )
        CHECK_MSG(big[i] == (unsigned char)(i * 31 + (i >> 8)), "byte %zu",
                  i);
}

TEST(memset_sizes_and_value)
{
    unsigned char buf[BUF], ref[BUF];
    size_t off, n, i;

    for ( off = 0; off < 8; off++ )
    for ( n = 0; n + 8 <= BUF; n++ )
    {
        fill(buf, BUF, 9);
        fill(ref, BUF, 9);
        for ( i = 0; i < n; i++ )
            ref[off + i] = 0xab;

        /* Only the low byte of the value counts. */
        CHECK(memset(buf + off, 0x7ab, n) == buf + off);
        CHECK_MSG(same(buf, ref, BUF), "off %zu n=%zu", off, n);
    }
}

TEST(memcmp_order_is_unsigned)
{
    CHECK_EQ(memcmp("abc", "abc", 3), 0);
    CHECK_EQ(memcmp("abc", "abd", 0), 0);
    CHECK(memcmp("abc", "abd", 3) < 0);
    CHECK(memcmp("abd", "abc", 3) > 0);
    CHECK(memcmp("\x80", "\x7f", 1) > 0);
    CHECK(memcmp("a\xff", "a\x01", 2) > 0);
    /* Bytes after the first difference, and NULs, do not matter. */
    CHECK(memcmp("a\0z", "a\0a", 2) == 0);
    CHECK(memcmp("ab\0", "b\0\0", 3) < 0);
}

TEST(memchr_finds_first_within_bound)
{
    static const char s[] = "abcabc\xff";

    CHECK(memchr(s, 'c', 6) == s + 2);
    CHECK(memchr(s, 'a', 6) == s);
    CHECK(memchr(s, 'c', 2) == NULL);
    CHECK(memchr(s, 'z', sizeof(s)) == NULL);
    CHECK(memchr(s, '\0', sizeof(s)) == s + 7);
    CHECK(memchr(s, 0xff, 7) == s + 6);
    CHECK(memchr(s, 0x100 + 'b', 6) == s + 1);
    CHECK(memchr(s, 'a', 0) == NULL);
}

TEST(strlen_and_strnlen)
{
    char *e = exact(""), *s = exact("hello");

    CHECK_EQU(strlen(e), 0);
    CHECK_EQU(strlen(s), 5);
    CHECK_EQU(strnlen(s, 0), 0);
    CHECK_EQU(strnlen(s, 3), 3);
    CHECK_EQU(strnlen(s, 5), 5);
    CHECK_EQU(strnlen(s, 6), 5);
    CHECK_EQU(strnlen(s, (size_t)-1), 5);
    CHECK_EQU(strnlen(e, 10), 0);
    free(e);
    free(s);
}

TEST(strnlen_stops_at_bound)
{
    /* No terminator at all: the bound alone must stop the scan. */
    char *p = malloc(4);

    memset(p, 'x', 4);
    CHECK_EQU(strnlen(p, 4), 4);
    free(p);
}

TEST(strcmp_order)
{
    char *a = exact("abc"), *b = exact("abd"), *p = exact("ab");

    CHECK_EQ(strcmp(a, a), 0);
    CHECK(strcmp(a, b) < 0);
    CHECK(strcmp(b, a) > 0);
    CHECK(strcmp(p, a) < 0);
    CHECK(strcmp(a, p) > 0);
    CHECK(strcmp("", "") == 0);
    CHECK(strcmp("", "a") < 0);
    CHECK(strcmp("\x80", "a") > 0);
    free(a);
    free(b);
    free(p);
}

TEST(strncmp_bounds)
{
    char *a = exact("abcdef"), *b = exact("abcxyz"), *s = exact("ab");

    CHECK_EQ(strncmp(a, b, 0), 0);
    CHECK_EQ(strncmp(a, b, 3), 0);
    CHECK(strncmp(a, b, 4) < 0);
    CHECK(strncmp(b, a, 100) > 0);
    CHECK(strncmp(s, a, 2) == 0);
    CHECK(strncmp(s, a, 3) < 0);
    /* Equal strings compare equal past their terminators. */
    CHECK_EQ(strncmp(s, "ab", 100), 0);
    CHECK(strncmp("\xff", "\x01", 1) > 0);
    free(a);
    free(b);
    free(s);
}

TEST(strchr_and_strrchr)
{
    char *s = exact("a,b,c");

    CHECK(strchr(s, ',') == s + 1);
    CHECK(strrchr(s, ',') == s + 3);
    CHECK(strchr(s, 'a') == s);
    CHECK(strrchr(s, 'a') == s);
    CHECK(strchr(s, 'z') == NULL);
    CHECK(strrchr(s, 'z') == NULL);
    /* The terminator is part of the string. */
    CHECK(strchr(s, '\0') == s + 5);
    CHECK(strrchr(s, '\0') == s + 5);
    CHECK(strchr(s, 0x100 + 'b') == s + 2);
    CHECK(strchr("", 'a') == NULL);
    free(s);
}

TEST(strstr_cases)
{
    char *h = exact("aaab aab ab");
    char *e = exact("");

    CHECK(strstr(h, "") == h);
    CHECK(strstr(e, "") == e);
    CHECK(strstr(e, "a") == NULL);
    CHECK(strstr(h, "aab") == h + 1);
    CHECK(strstr(h, "ab ab") == h + 6);
    CHECK(strstr(h, " ab") == h + 8);
    CHECK(strstr(h, "b") == h + 3);
    CHECK(strstr(h, "abc") == NULL);
    CHECK(strstr(h, "aaab aab ab!") == NULL);
    CHECK(strstr(h, "aaab aab ab") == h);
    free(h);
    free(e);
}

TEST(strlcpy_truncates_and_terminates)
{
    char buf[8];
    char *src = exact("hello");

    memset(buf, 'z', sizeof(buf));
    CHECK_EQU(strlcpy(buf, src, 0), 5);
    CHECK_EQ(buf[0], 'z');

    CHECK_EQU(strlcpy(buf, src, 1), 5);
    CHECK_MEM(buf, "\0zzzzzzz", 8);

    memset(buf, 'z', sizeof(buf));
    CHECK_EQU(strlcpy(buf, src, 4), 5);
    CHECK_MEM(buf, "hel\0zzzz", 8);

    memset(buf, 'z', sizeof(buf));
    CHECK_EQU(strlcpy(buf, src, 6), 5);
    CHECK_MEM(buf, "hello\0zz", 8);

    CHECK_EQU(strlcpy(buf, src, sizeof(buf)), 5);
    CHECK_STR(buf, "hello");
    CHECK_EQU(strlcpy(buf, "", sizeof(buf)), 0);
    CHECK_STR(buf, "");
    free(src);
}
