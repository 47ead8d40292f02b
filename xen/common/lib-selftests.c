/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-time self-tests of the library code that runs before anything
 * else: the command-line parser and vsnprintf. The host unit tests cover
 * the corner cases; these prove the code behaves the same when built
 * freestanding for the hypervisor (different flags, no libc).
 */
#include <xen/console.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/selftest.h>
#include <xen/string.h>

static bool st_flag = true, st_flag2;
static unsigned int st_uint = 7;
static uint8_t st_byte = 3;
static uint64_t st_size;
static char st_str[8] = "dflt";
static unsigned int st_custom_calls;

static int st_custom(const char *s)
{
    st_custom_calls++;
    return strcmp(s, "good") ? -1 : 0;
}

static const struct kernel_param st_params[] = {
    { "st-flag", OPT_BOOL, sizeof(st_flag), .par.var = &st_flag },
    { "st-flag2", OPT_BOOL, sizeof(st_flag2), .par.var = &st_flag2 },
    { "st-uint", OPT_UINT, sizeof(st_uint), .par.var = &st_uint },
    { "st-byte", OPT_UINT, sizeof(st_byte), .par.var = &st_byte },
    { "st-size", OPT_SIZE, sizeof(st_size), .par.var = &st_size },
    { "st-str", OPT_STR, sizeof(st_str), .par.var = st_str },
    { "st-custom", OPT_CUSTOM, 0, .par.func = st_custom },
};

static const char *selftest_cmdline(void)
{
    unsigned int reports;
    size_t before = console_bytes_written();

    /*
     * Six problems: a byte that does not fit, a malformed size, a custom
     * parser refusal, a string too long, and one unknown option given
     * twice but reported once, plus a malformed boolean.
     */
    reports = parse_params("no-st-flag st-flag2 st-uint=0x20 st-byte=300 "
                           "st-size=16M st-size=5Q st-str=abc "
                           "st-str=waytoolongvalue st-custom=good "
                           "st-custom=bad st-bogus st-bogus st-flag2=maybe",
                           st_params, st_params + ARRAY_SIZE(st_params));

    if ( st_flag || !st_flag2 )
        return selftest_fail("booleans: flag=%d flag2=%d", st_flag, st_flag2);
    if ( st_uint != 0x20 || st_byte != 3 )
        return selftest_fail("integers: uint=%#x byte=%u", st_uint, st_byte);
    if ( st_size != (16UL << 20) )
        return selftest_fail("size: %#lx", st_size);
    if ( strcmp(st_str, "abc") )
        return selftest_fail("string: '%s'", st_str);
    if ( st_custom_calls != 2 )
        return selftest_fail("custom parser ran %u times", st_custom_calls);
    if ( reports != 6 )
        return selftest_fail("%u problems reported, expected 6", reports);
    if ( console_bytes_written() == before )
        return selftest_fail("problems were not printed");

    return NULL;
}
REGISTER_SELFTEST("cmdline", selftest_cmdline);

struct fmt_case {
    const char *expect;
    int (*fn)(char *buf, size_t size);
};

static const char *check_fmt(const char *what, const char *got,
                             const char *expect, int ret)
{
    if ( strcmp(got, expect) )
        return selftest_fail("%s: got '%s', want '%s'", what, got, expect);
    if ( ret != (int)strlen(expect) )
        return selftest_fail("%s: returned %d, want %zu", what, ret,
                             strlen(expect));
    return NULL;
}

static const char *selftest_vsnprintf(void)
{
    char buf[64];
    const char *r;
    int ret;

    ret = snprintf(buf, sizeof(buf), "%d|%5u|%-4x|%08lX|%s|%c|%%", -42, 17U,
                   0xabU, 0xdeadbeefUL, "str", 'z');
    if ( (r = check_fmt("integers", buf, "-42|   17|ab  |DEADBEEF|str|z|%",
                        ret)) )
        return r;

    ret = snprintf(buf, sizeof(buf), "%#lx %#o %.3s %*d %lld", 0x1234UL, 8U,
                   "abcdef", 4, 5, -9223372036854775807LL - 1);
    if ( (r = check_fmt("flags", buf,
                        "0x1234 010 abc    5 -9223372036854775808", ret)) )
        return r;

    /* Truncation: the would-be length comes back, the buffer ends in NUL. */
    ret = snprintf(buf, 6, "%s", "truncated");
    if ( ret != 9 || strcmp(buf, "trunc") )
        return selftest_fail("truncation: '%s' ret %d", buf, ret);
    ret = scnprintf(buf, 6, "%s", "truncated");
    if ( ret != 5 )
        return selftest_fail("scnprintf truncation returned %d", ret);

    /* %pS names a function of the image. */
    snprintf(buf, sizeof(buf), "%pS", (void *)selftest_vsnprintf);
    if ( strncmp(buf, "selftest_vsnprintf+0x0/0x", 25) )
        return selftest_fail("%%pS gave '%s'", buf);

    return NULL;
}
REGISTER_SELFTEST("vsnprintf", selftest_vsnprintf);
