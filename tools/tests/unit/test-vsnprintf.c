/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vsnprintf() and the number parsers of xen/common/vsprintf.c.
 *
 * The hypervisor's printf family is built as xen_snprintf() and friends
 * (printf-names.h), so the host's snprintf() stays available as a
 * reference: where C99 defines the output, both must agree byte for byte
 * and return the same length.
 */
#include "harness.h"
#include "shim.h"

#include "printf-names.h"
#include <xen/lib.h>
#include <xen/symbols.h>
#undef vsnprintf
#undef snprintf
#undef vscnprintf
#undef scnprintf

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

/* xen_snprintf() into a large buffer: output and return value. */
#define CHECK_FMT(want, ...)                                               \
    do {                                                                   \
        char b_[1024];                                                     \
        int r_ = xen_snprintf(b_, sizeof(b_), __VA_ARGS__);                \
        CHECK_STR(b_, want);                                               \
        CHECK_EQ(r_, (long long)strlen(want));                             \
    } while ( 0 )

/* The same as the host's snprintf(), at full size. */
#define CHECK_HOST(...)                                                    \
    do {                                                                   \
        char x_[1024], h_[1024];                                           \
        int rx_ = xen_snprintf(x_, sizeof(x_), __VA_ARGS__);               \
        int rh_ = snprintf(h_, sizeof(h_), __VA_ARGS__);                   \
        CHECK_STR(x_, h_);                                                 \
        CHECK_EQ(rx_, rh_);                                                \
    } while ( 0 )

typedef int (*snprintf_fn)(char *buf, size_t size, const char *fmt, ...);

/*
 * Formats v with fmt (one integer conversion, length modifier len) by fn,
 * passing v as the type the conversion reads.
 */
static int format_int(snprintf_fn fn, char *buf, size_t n, const char *fmt,
                      const char *len, bool is_signed, long long v)
{
    if ( !strcmp(len, "l") )
        return is_signed ? fn(buf, n, fmt, (long)v)
                         : fn(buf, n, fmt, (unsigned long)v);
    if ( !strcmp(len, "ll") )
        return is_signed ? fn(buf, n, fmt, v)
                         : fn(buf, n, fmt, (unsigned long long)v);
    if ( !strcmp(len, "z") )
        return is_signed ? fn(buf, n, fmt, (ssize_t)v)
                         : fn(buf, n, fmt, (size_t)v);
    if ( !strcmp(len, "t") )
        return fn(buf, n, fmt, (ptrdiff_t)v);
    if ( !strcmp(len, "j") )
        return is_signed ? fn(buf, n, fmt, (intmax_t)v)
                         : fn(buf, n, fmt, (uintmax_t)v);
    /* none, h, hh: promoted to int; the conversion narrows. */
    return is_signed ? fn(buf, n, fmt, (int)v) : fn(buf, n, fmt, (unsigned)v);
}

/*
 * Every combination of flags, width and precision for every integer
 * conversion with length modifier len, over values at the edges of each
 * type, compared with the host's snprintf().
 */
static void integer_grid(const char *len)
{
    static const char *const flags[] = {
        "", "-", "+", " ", "#", "0", "-0", "+0", " 0", "#0", "-#", "+ ",
        "-+ #0",
    };
    static const char *const widths[] = { "", "1", "5", "24" };
    static const char *const precs[] = { "", ".", ".0", ".1", ".3", ".22" };
    static const char convs[] = "diuxXo";
    static const long long values[] = {
        0, 1, -1, 7, 8, 42, 127, 128, -128, 255, 256, 32767, -32768, 65535,
        65536, INT_MAX, INT_MIN, UINT_MAX, LLONG_MAX, LLONG_MIN,
        0x123456789abcdefLL,
    };
    unsigned int f, w, p, c, v, checked = 0;

    for ( f = 0; f < ARRAY_SIZE(flags); f++ )
    for ( w = 0; w < ARRAY_SIZE(widths); w++ )
    for ( p = 0; p < ARRAY_SIZE(precs); p++ )
    for ( c = 0; c < sizeof(convs) - 1; c++ )
    {
        char fmt[64], x[128], h[128];
        bool is_signed = convs[c] == 'd' || convs[c] == 'i';

        snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flags[f], widths[w],
                 precs[p], len, convs[c]);
        for ( v = 0; v < ARRAY_SIZE(values); v++ )
        {
            int rx = format_int(xen_snprintf, x, sizeof(x), fmt, len,
                                is_signed, values[v]);
            int rh = format_int(snprintf, h, sizeof(h), fmt, len,
                                is_signed, values[v]);

            CHECK_MSG(rx == rh && !strcmp(x, h),
                      "format \"%s\" value %lld: got \"%s\" (%d), host \"%s\" "
                      "(%d)", fmt, values[v], x, rx, h, rh);
            checked++;
        }
    }

    CHECK(checked > 10000);
}

TEST(integer_grid_int)
{
    integer_grid("");
}

TEST(integer_grid_hh)
{
    integer_grid("hh");
}

TEST(integer_grid_h)
{
    integer_grid("h");
}

TEST(integer_grid_l)
{
    integer_grid("l");
}

TEST(integer_grid_ll)
{
    integer_grid("ll");
}

TEST(integer_grid_z)
{
    integer_grid("z");
}

TEST(integer_grid_t)
{
    integer_grid("t");
}

TEST(integer_grid_j)
{
    integer_grid("j");
}

TEST(plain_text_and_percent)
{
    CHECK_FMT("hello, world", "hello, world");
    CHECK_FMT("100%", "100%%");
    CHECK_FMT("%%", "%%%%");
    CHECK_FMT("a%b", "a%cb", '%');
}

TEST(empty_format)
{
    char buf[4] = "xyz";
    const char *empty = "";

    /* A variable keeps -Wformat-zero-length quiet. */
    CHECK_EQ(xen_snprintf(buf, sizeof(buf), empty, 0), 0);
    CHECK_STR(buf, "");
}

TEST(signed_decimal_edges)
{
    CHECK_FMT("0 1 -1", "%d %i %d", 0, 1, -1);
    CHECK_FMT("2147483647 -2147483648", "%d %d", INT_MAX, INT_MIN);
    CHECK_FMT("-9223372036854775808", "%lld", LLONG_MIN);
    CHECK_FMT("9223372036854775807", "%ld", LONG_MAX);
    CHECK_FMT("44 -1 4464 -32768", "%hhd %hhd %hd %hd", 300, 255, 70000,
              32768);
    CHECK_FMT("-1 -9223372036854775808", "%zd %jd", (ssize_t)-1, INTMAX_MIN);
    CHECK_FMT("-5", "%td", (ptrdiff_t)-5);
}

TEST(unsigned_edges)
{
    CHECK_FMT("4294967295 ffffffff FFFFFFFF 37777777777", "%u %x %X %o",
              UINT_MAX, UINT_MAX, UINT_MAX, UINT_MAX);
    CHECK_FMT("18446744073709551615", "%llu", ULLONG_MAX);
    CHECK_FMT("ffffffffffffffff", "%lx", ULONG_MAX);
    CHECK_FMT("1777777777777777777777", "%llo", ULLONG_MAX);
    CHECK_FMT("255 ffff 0", "%hhu %hx %hhx", -1, -1, 256);
    CHECK_FMT("18446744073709551615 ffffffffffffffff", "%zu %jx", SIZE_MAX,
              UINTMAX_MAX);
}

/* Redundant flags are the point here, not a mistake. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"

TEST(flags_and_precision_by_hand)
{
    /* The C99 corner cases, spelled out rather than only compared. */
    CHECK_FMT("", "%.0d", 0);
    CHECK_FMT("     ", "%5.0d", 0);
    CHECK_FMT("+", "%+.0d", 0);
    CHECK_FMT(" ", "% .0d", 0);
    CHECK_FMT("0", "%#.0o", 0);
    CHECK_FMT("", "%#.0x", 0);
    CHECK_FMT("0", "%#x", 0);
    CHECK_FMT("0x1", "%#x", 1);
    CHECK_FMT("0X1F", "%#X", 31);
    CHECK_FMT("010", "%#o", 8);
    CHECK_FMT("0010", "%#.4o", 8);
    CHECK_FMT("0x0000ff", "%#08x", 255);
    CHECK_FMT("0x00ff", "%#.4x", 255);
    CHECK_FMT("  0x00ff", "%#8.4x", 255);
    CHECK_FMT("0x00ff  |", "%-#8.4x|", 255);
    CHECK_FMT("-0042", "%05d", -42);
    CHECK_FMT("  -42", "%05.2d", -42);
    CHECK_FMT("-42  |", "%-05d|", -42);
    CHECK_FMT("+0042", "%+05d", 42);
    CHECK_FMT(" 0042", "% 05d", 42);
    CHECK_FMT("+42", "%+ d", 42);
    CHECK_FMT("00042", "%.5d", 42);
    CHECK_FMT("-00042", "%.5d", -42);
    CHECK_FMT("42", "%1d", 42);
}

#pragma GCC diagnostic pop

TEST(star_width_and_precision)
{
    CHECK_FMT("   42", "%*d", 5, 42);
    CHECK_FMT("42   |", "%-*d|", 5, 42);
    /* A negative width is the '-' flag; a negative precision is none. */
    CHECK_FMT("42   |", "%*d|", -5, 42);
    CHECK_FMT("42", "%.*d", -1, 42);
    CHECK_FMT("00042", "%.*d", 5, 42);
    CHECK_FMT("  abc", "%*.*s", 5, 3, "abcdef");
    CHECK_FMT("ab   |", "%-*.*s|", 5, 2, "abcdef");
    CHECK_FMT("abcdef", "%.*s", -3, "abcdef");
    CHECK_FMT("   0x2a", "%#*x", 7, 42);
    CHECK_FMT("7 x", "%d %.*s", 7, 1, "xyz");
    CHECK_HOST("%*d|%-*d|%*.*x", 6, -3, -6, 3, 8, 4, 0xab);
}

TEST(chars)
{
    char buf[8];

    CHECK_FMT("a", "%c", 'a');
    CHECK_FMT("  a", "%3c", 'a');
    CHECK_FMT("a  |", "%-3c|", 'a');
    CHECK_FMT("\xff", "%c", 0x1ff);
    CHECK_HOST("%c%c%c|%5c|%-5c|", 'x', 'y', 'z', '!', '?');

    /* A NUL character is output and counted like any other. */
    memset(buf, 'z', sizeof(buf));
    CHECK_EQ(xen_snprintf(buf, sizeof(buf), "a%cb", 0), 3);
    CHECK_MEM(buf, "a\0b\0zzzz", 8);
}

TEST(strings)
{
    static const char *const strs[] = { "", "a", "hello", "hello world!" };
    static const char *const fmts[] = {
        "[%s]", "[%10s]", "[%-10s]", "[%.3s]", "[%10.3s]", "[%-10.3s]",
        "[%.0s]", "[%.20s]", "[%1s]", "[%.s]",
    };
    unsigned int s, f;

    for ( s = 0; s < ARRAY_SIZE(strs); s++ )
        for ( f = 0; f < ARRAY_SIZE(fmts); f++ )
        {
            char x[64], h[64];
            int rx = xen_snprintf(x, sizeof(x), fmts[f], strs[s]);
            int rh = snprintf(h, sizeof(h), fmts[f], strs[s]);

            CHECK_MSG(rx == rh && !strcmp(x, h),
                      "\"%s\" on \"%s\": got \"%s\" (%d), host \"%s\" (%d)",
                      fmts[f], strs[s], x, rx, h, rh);
        }
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-overflow"

TEST(null_string)
{
    const char *null = NULL;

    CHECK_FMT("(null)", "%s", null);
    CHECK_FMT("    (null)|", "%10s|", null);
    CHECK_FMT("(nu", "%.3s", null);
}

#pragma GCC diagnostic pop

TEST(precision_bounds_unterminated_string)
{
    /* ASan fails this test if vsnprintf reads past the precision. */
    char *arr = malloc(4);

    memcpy(arr, "abcd", 4);
    CHECK_FMT("abcd|ab", "%.4s|%.*s", arr, 2, arr);
    free(arr);
}

TEST(pointers_raw)
{
    CHECK_FMT("0x0000000000000000", "%p", NULL);
    CHECK_FMT("0x0000000000001234", "%p", (void *)0x1234);
    CHECK_FMT("0xffffffffffffffff", "%p", (void *)-1L);
    CHECK_FMT("0xffff82d040200000", "%p", (void *)FAKE_TEXT_BASE);
    CHECK_FMT("  0x00000000000000ab|", "%20p|", (void *)0xab);
    CHECK_FMT("0x00000000000000ab  |", "%-20p|", (void *)0xab);
    /* Only S and s extend %p; any other letter is plain text. */
    CHECK_FMT("0x0000000000000001x", "%px", (void *)1);
    CHECK_EQU(symbols_lookup_calls, 0);
}

TEST(pointer_symbol_with_offset)
{
    CHECK_FMT("start_xen+0x0/0x120", "%pS", (void *)FAKE_TEXT_BASE);
    CHECK_FMT("start_xen+0x11f/0x120", "%pS", (void *)(FAKE_TEXT_BASE + 0x11f));
    CHECK_FMT("cmdline_parse+0x0/0x40", "%pS",
              (void *)(FAKE_TEXT_BASE + 0x120));
    CHECK_FMT("after_gap+0x1233/0x1234", "%pS",
              (void *)(FAKE_TEXT_BASE + 0x1000 + 0x1233));
    CHECK_FMT("[<ffff82d040200010>] start_xen+0x10/0x120",
              "[<%016lx>] %pS", FAKE_TEXT_BASE + 0x10,
              (void *)(FAKE_TEXT_BASE + 0x10));
}

TEST(pointer_symbol_name_only)
{
    CHECK_FMT("start_xen", "%ps", (void *)(FAKE_TEXT_BASE + 0x10));
    CHECK_FMT("after_gap()", "%ps()", (void *)(FAKE_TEXT_BASE + 0x1000));
    CHECK_FMT("   gap_before|", "%13ps|", (void *)(FAKE_TEXT_BASE + 0x165));
    CHECK_FMT("gap_before   |", "%-13ps|", (void *)(FAKE_TEXT_BASE + 0x165));
}

TEST(pointer_symbol_unknown_falls_back)
{
    unsigned int before = symbols_lookup_calls;

    /* Between two symbols, below the text, and NULL. */
    CHECK_FMT("0xffff82d040200180", "%pS", (void *)(FAKE_TEXT_BASE + 0x180));
    CHECK_FMT("0xffff82d040200fff", "%ps", (void *)(FAKE_TEXT_BASE + 0xfff));
    CHECK_FMT("0xffff82d0401fffff", "%pS", (void *)(FAKE_TEXT_BASE - 1));
    CHECK_FMT("0x0000000000000000", "%pS", NULL);
    CHECK_EQU(symbols_lookup_calls - before, 4);
}

TEST(pointer_symbol_longest_name)
{
    const struct fake_symbol *s = &fake_symbols[nr_fake_symbols - 1];
    char want[256];

    CHECK_EQU(strlen(s->name), KSYM_NAME_LEN - 1);
    snprintf(want, sizeof(want), "%s+0xf/0x10", s->name);
    CHECK_FMT(want, "%pS", (void *)(s->addr + 0xf));
    CHECK_FMT(s->name, "%ps", (void *)s->addr);
}

TEST(truncation_every_size)
{
    static const char want[] = "value=-42 name=xenon ptr=0x00000000deadbeef";
    char buf[64];
    size_t n, len = sizeof(want) - 1;

    for ( n = 0; n <= len + 2; n++ )
    {
        int r;

        memset(buf, 0xaa, sizeof(buf));
        r = xen_snprintf(n ? buf : NULL, n, "value=%d name=%s ptr=%p", -42,
                         "xenon", (void *)0xdeadbeef);
        CHECK_MSG(r == (int)len, "size %zu returned %d", n, r);
        if ( n )
        {
            size_t kept = n - 1 < len ? n - 1 : len;

            CHECK_MSG(!memcmp(buf, want, kept) && buf[kept] == '\0',
                      "size %zu: '%.*s'", n, (int)kept, buf);
        }
        /* Nothing is written past the size given. */
        for ( size_t i = n; i < sizeof(buf); i++ )
            CHECK_MSG((unsigned char)buf[i] == 0xaa,
                      "size %zu: byte %zu written", n, i);
    }
}

TEST(truncation_inside_padding_and_numbers)
{
    char buf[6];

    CHECK_EQ(xen_snprintf(buf, sizeof(buf), "%10d", 42), 10);
    CHECK_STR(buf, "     ");
    CHECK_EQ(xen_snprintf(buf, sizeof(buf), "%-10d|", 42), 11);
    CHECK_STR(buf, "42   ");
    CHECK_EQ(xen_snprintf(buf, sizeof(buf), "%#010x", 0xabc), 10);
    CHECK_STR(buf, "0x000");
    CHECK_EQ(xen_snprintf(buf, sizeof(buf), "%pS",
                          (void *)(FAKE_TEXT_BASE + 1)), 19);
    CHECK_STR(buf, "start");
}

TEST(size_zero_writes_nothing)
{
    char buf[4] = "abc";

    CHECK_EQ(xen_snprintf(buf, 0, "%s%d", "long string", 12345), 16);
    CHECK_STR(buf, "abc");
    CHECK_EQ(xen_snprintf(NULL, 0, "%5s", "x"), 5);
    CHECK_EQ(xen_snprintf(buf, 1, "%s", "xyz"), 3);
    CHECK_STR(buf, "");
}

TEST(long_output_counts_beyond_buffer)
{
    char buf[16];

    CHECK_EQ(xen_snprintf(buf, sizeof(buf), "%1000d", 1), 1000);
    CHECK_STR(buf, "               ");
    CHECK_EQ(xen_snprintf(buf, sizeof(buf), "%s%s%s", "0123456789",
                          "0123456789", "0123456789"), 30);
    CHECK_STR(buf, "012345678901234");
}

TEST(scnprintf_returns_stored_length)
{
    char buf[8];

    CHECK_EQ(xen_scnprintf(buf, sizeof(buf), "%s", "abc"), 3);
    CHECK_STR(buf, "abc");
    CHECK_EQ(xen_scnprintf(buf, sizeof(buf), "%s", "1234567"), 7);
    CHECK_EQ(xen_scnprintf(buf, sizeof(buf), "%s", "12345678"), 7);
    CHECK_STR(buf, "1234567");
    CHECK_EQ(xen_scnprintf(buf, sizeof(buf), "%d", 1234567890), 7);
    CHECK_EQ(xen_scnprintf(buf, 1, "%s", "abc"), 0);
    CHECK_STR(buf, "");
    CHECK_EQ(xen_scnprintf(buf, 0, "%s", "abc"), 0);
    CHECK_EQ(xen_scnprintf(NULL, 0, "%s", "abc"), 0);
}

static int via_vsnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int r;

    va_start(args, fmt);
    r = xen_vsnprintf(buf, size, fmt, args);
    va_end(args);

    return r;
}

static int via_vscnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int r;

    va_start(args, fmt);
    r = xen_vscnprintf(buf, size, fmt, args);
    va_end(args);

    return r;
}

TEST(va_list_variants_consume_mixed_arguments)
{
    char buf[128];
    int r;

    /* Arguments of every size in one call: any misread shifts the rest. */
    r = via_vsnprintf(buf, sizeof(buf), "%hhd %s %lld %c %p %hu %zx %d %s",
                      (char)-3, "two", -3LL, 'c', (void *)0x5,
                      (unsigned short)6, (size_t)0x7, 8, "nine");
    CHECK_STR(buf, "-3 two -3 c 0x0000000000000005 6 7 8 nine");
    CHECK_EQ(r, (long long)strlen(buf));

    CHECK_EQ(via_vscnprintf(buf, 4, "%d", 123456), 3);
    CHECK_STR(buf, "123");
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"

TEST(unknown_conversions_shown_as_written)
{
    CHECK_FMT("%y", "%y");
    CHECK_FMT("a%-5yb", "a%-5yb");
    CHECK_FMT("%ly", "%ly");
    CHECK_FMT("%", "%");
    CHECK_FMT("abc%", "abc%");
    CHECK_FMT("%l", "%l");
    CHECK_FMT("%5.3", "%5.3");
    /* %n is refused: nothing is stored through the argument. */
    CHECK_FMT("x%n", "x%n", (int *)NULL);
    /* An unknown directive consumes no argument. */
    CHECK_FMT("%y 7", "%y %d", 7);
}

#pragma GCC diagnostic pop

TEST(host_agrees_on_a_mixed_sample)
{
    CHECK_HOST("%d|%5u|%-4x|%08lX|%s|%c|%%", -42, 17U, 0xabU, 0xdeadbeefUL,
               "str", 'z');
    CHECK_HOST("%#lx %#o %.3s %*d %lld", 0x1234UL, 8U, "abcdef", 4, 5,
               LLONG_MIN);
    CHECK_HOST("[%-+8.3d] [% 08d] [%#-12.6llo] [%+hhd]", 7, -9, 0777ULL, 200);
    CHECK_HOST("%zu/%zd/%td/%jd/%ju", (size_t)1 << 40, (ssize_t)-7,
               (ptrdiff_t)-123456789, (intmax_t)1 << 62, UINTMAX_MAX);
    CHECK_HOST("%.0u|%.0x|%#.0o|%5.0i|%-5.0X|", 0U, 0U, 0U, 0, 0U);
}

TEST(strtoull_bases_and_end)
{
    const char *end;

    CHECK_EQU(simple_strtoull("123abc", &end, 10), 123);
    CHECK_STR(end, "abc");
    CHECK_EQU(simple_strtoull("0x1f", &end, 0), 0x1f);
    CHECK_STR(end, "");
    CHECK_EQU(simple_strtoull("0X1Fz", &end, 0), 0x1f);
    CHECK_STR(end, "z");
    CHECK_EQU(simple_strtoull("017", &end, 0), 15);
    CHECK_EQU(simple_strtoull("019", &end, 0), 1);
    CHECK_STR(end, "9");
    CHECK_EQU(simple_strtoull("0", &end, 0), 0);
    CHECK_STR(end, "");
    CHECK_EQU(simple_strtoull("90", &end, 0), 90);
    CHECK_EQU(simple_strtoull("ff", &end, 16), 0xff);
    CHECK_EQU(simple_strtoull("0xff", &end, 16), 0xff);
    CHECK_EQU(simple_strtoull("0x10", &end, 10), 0);
    CHECK_STR(end, "x10");
    CHECK_EQU(simple_strtoull("777", &end, 8), 0777);
    CHECK_EQU(simple_strtoull("zz", &end, 36), 35 * 36 + 35);
    CHECK_EQU(simple_strtoull("1010", NULL, 2), 10);
}

TEST(strtoull_no_digits)
{
    static const char *const none[] = { "", "x", " 12", "-1", "+1" };
    unsigned int i;
    const char *end;

    for ( i = 0; i < ARRAY_SIZE(none); i++ )
    {
        CHECK_EQU(simple_strtoull(none[i], &end, 0), 0);
        CHECK_MSG(end == none[i], "'%s': end moved by %td", none[i],
                  end - none[i]);
    }

    /* A prefix without a digit after it is a zero and then text. */
    CHECK_EQU(simple_strtoull("0x", &end, 0), 0);
    CHECK_STR(end, "x");
    CHECK_EQU(simple_strtoull("0xg", &end, 16), 0);
    CHECK_STR(end, "xg");
}

TEST(strtoull_saturates)
{
    const char *end;

    CHECK_EQU(simple_strtoull("18446744073709551615", &end, 10), ULLONG_MAX);
    CHECK_EQU(simple_strtoull("18446744073709551614", &end, 10),
              ULLONG_MAX - 1);
    CHECK_EQU(simple_strtoull("18446744073709551616", &end, 10), ULLONG_MAX);
    CHECK_STR(end, "");
    CHECK_EQU(simple_strtoull("0x1ffffffffffffffffk", &end, 0), ULLONG_MAX);
    CHECK_STR(end, "k");
}

TEST(strtoll_signs_and_limits)
{
    const char *end;
    const char *minus = "-";

    CHECK_EQ(simple_strtoll("-123x", &end, 10), -123);
    CHECK_STR(end, "x");
    CHECK_EQ(simple_strtoll("+5", &end, 10), 5);
    CHECK_EQ(simple_strtoll("-0x10", &end, 0), -16);
    CHECK_EQ(simple_strtoll(minus, &end, 10), 0);
    CHECK(end == minus);
    CHECK_EQ(simple_strtoll("9223372036854775807", &end, 10), LLONG_MAX);
    CHECK_EQ(simple_strtoll("9223372036854775808", &end, 10), LLONG_MAX);
    CHECK_EQ(simple_strtoll("-9223372036854775808", &end, 10), LLONG_MIN);
    CHECK_EQ(simple_strtoll("-9223372036854775809", &end, 10), LLONG_MIN);
    CHECK_EQ(simple_strtoll("-99999999999999999999999", NULL, 10), LLONG_MIN);
}

TEST(size_and_unit)
{
    static const struct {
        const char *in;
        unsigned long long want;
        size_t used;
    } cases[] = {
        { "4096", 4096, 4 },
        { "4K", 4ULL << 10, 2 },
        { "4k", 4ULL << 10, 2 },
        { "16M", 16ULL << 20, 3 },
        { "16m,", 16ULL << 20, 3 },
        { "2G", 2ULL << 30, 2 },
        { "2g", 2ULL << 30, 2 },
        { "1T", 1ULL << 40, 2 },
        { "1t", 1ULL << 40, 2 },
        { "0x10M", 16ULL << 20, 5 },
        { "5Q", 5, 1 },
        { "5KB", 5ULL << 10, 2 },
        { "K", 0, 0 },
        { "", 0, 0 },
        { "16777215T", 16777215ULL << 40, 9 },
        { "16777216T", ULLONG_MAX, 9 },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        const char *end;
        unsigned long long v = parse_size_and_unit(cases[i].in, &end);

        CHECK_MSG(v == cases[i].want && end == cases[i].in + cases[i].used,
                  "'%s': got %#llx using %td, want %#llx using %zu",
                  cases[i].in, v, end - cases[i].in, cases[i].want,
                  cases[i].used);
    }
    CHECK_EQU(parse_size_and_unit("1M", NULL), 1ULL << 20);
}
