/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command-line parser (xen/common/kernel.c) against a table of every
 * option type. Each test starts from the defaults with an empty printk
 * capture, and checks both the variables and what was reported.
 */
#include "harness.h"
#include "shim.h"

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>

#define WARN "<1>"

static bool o_flag, o_flag_on;
static int o_intbool;
static bool o_literal;
static uint8_t o_u8;
static uint16_t o_u16;
static uint32_t o_u32;
static uint64_t o_u64;
static uint64_t o_size;
static uint32_t o_size32;
static char o_str[8];

static unsigned int custom_calls;
static char custom_last[256];

static int custom_parse(const char *s)
{
    custom_calls++;
    snprintf(custom_last, sizeof(custom_last), "%s", s);
    return strncmp(s, "bad", 3) ? 0 : -EINVAL;
}

static const struct kernel_param params[] = {
    { "flag", OPT_BOOL, sizeof(o_flag), .par.var = &o_flag },
    { "flag-on", OPT_BOOL, sizeof(o_flag_on), .par.var = &o_flag_on },
    { "ibool", OPT_BOOL, sizeof(o_intbool), .par.var = &o_intbool },
    /* A name starting "no-" must win over stripping the prefix. */
    { "no-literal", OPT_BOOL, sizeof(o_literal), .par.var = &o_literal },
    { "u8", OPT_UINT, sizeof(o_u8), .par.var = &o_u8 },
    { "u16", OPT_UINT, sizeof(o_u16), .par.var = &o_u16 },
    { "u32", OPT_UINT, sizeof(o_u32), .par.var = &o_u32 },
    { "u64", OPT_UINT, sizeof(o_u64), .par.var = &o_u64 },
    { "size", OPT_SIZE, sizeof(o_size), .par.var = &o_size },
    { "size32", OPT_SIZE, sizeof(o_size32), .par.var = &o_size32 },
    { "str", OPT_STR, sizeof(o_str), .par.var = o_str },
    { "cust", OPT_CUSTOM, 0, .par.func = custom_parse },
};

static void reset(void)
{
    o_flag = false;
    o_flag_on = true;
    o_intbool = 5;
    o_literal = false;
    o_u8 = 3;
    o_u16 = 7;
    o_u32 = 11;
    o_u64 = 13;
    o_size = 42;
    o_size32 = 9;
    strcpy(o_str, "dflt");
    custom_calls = 0;
    custom_last[0] = '\0';
    printk_clear();
}

static unsigned int parse(const char *cmdline)
{
    return parse_params(cmdline, params, params + ARRAY_SIZE(params));
}

/* Parses cmdline expecting no reports at all. */
static void parse_clean(const char *cmdline)
{
    unsigned int n;

    printk_clear();
    n = parse(cmdline);

    CHECK_MSG(n == 0 && !printk_calls(), "'%s': %u reports: %s", cmdline, n,
              printk_output());
}

/* Parses cmdline expecting exactly the one report msg. */
static void parse_one_report(const char *cmdline, const char *msg)
{
    unsigned int n;

    printk_clear();
    n = parse(cmdline);
    CHECK_MSG(n == 1, "'%s': %u reports, want 1: %s", cmdline, n,
              printk_output());
    CHECK_STR(printk_output(), msg);
}

/* A malformed value report for one option. */
static void check_bad(const char *cmdline, const char *name, const char *val)
{
    char msg[512];

    snprintf(msg, sizeof(msg),
             WARN "Bad value for command line option '%s': '%s' "
             "(default kept)\n", name, val);
    parse_one_report(cmdline, msg);
}

TEST(bool_bare_name_sets_true)
{
    reset();
    parse_clean("flag");
    CHECK(o_flag);
}

TEST(bool_every_word)
{
    static const struct {
        const char *word;
        bool val;
    } words[] = {
        { "1", true },      { "0", false },     { "yes", true },
        { "no", false },    { "on", true },     { "off", false },
        { "true", true },   { "false", false }, { "enable", true },
        { "disable", false },
    };
    char cmd[64];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(words); i++ )
    {
        reset();
        o_flag = !words[i].val;
        snprintf(cmd, sizeof(cmd), "flag=%s", words[i].word);
        parse_clean(cmd);
        CHECK_MSG(o_flag == words[i].val, "%s left flag %d", cmd, o_flag);
    }
}

TEST(bool_malformed_keeps_value)
{
    static const char *const bad[] = {
        "maybe", "", "YES", "On", "10", "2", "yess", "enabled", "0x1",
    };
    char cmd[64];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        reset();
        snprintf(cmd, sizeof(cmd), "flag-on=%s", bad[i]);
        check_bad(cmd, "flag-on", bad[i]);
        CHECK_MSG(o_flag_on, "%s changed the flag", cmd);
    }
}

TEST(bool_no_prefix)
{
    reset();
    parse_clean("no-flag-on");
    CHECK(!o_flag_on);

    /* Last one wins, in both directions. */
    reset();
    parse_clean("no-flag-on flag-on");
    CHECK(o_flag_on);
    parse_clean("flag no-flag");
    CHECK(!o_flag);
}

TEST(bool_no_prefix_with_value_is_malformed)
{
    reset();
    check_bad("no-flag-on=0", "flag-on", "no-flag-on=0");
    CHECK(o_flag_on);
    check_bad("no-flag-on=", "flag-on", "no-flag-on=");
    CHECK(o_flag_on);
}

TEST(no_prefix_on_non_boolean_is_malformed)
{
    reset();
    check_bad("no-u32", "u32", "no-u32");
    CHECK_EQU(o_u32, 11);
    check_bad("no-str", "str", "no-str");
    CHECK_STR(o_str, "dflt");
    check_bad("no-cust", "cust", "no-cust");
    CHECK_EQU(custom_calls, 0);
}

TEST(bool_in_an_int)
{
    reset();
    parse_clean("ibool");
    CHECK_EQ(o_intbool, 1);
    parse_clean("no-ibool");
    CHECK_EQ(o_intbool, 0);
    parse_clean("ibool=on");
    CHECK_EQ(o_intbool, 1);
}

TEST(name_starting_no_dash_matches_exactly_first)
{
    reset();
    parse_clean("no-literal");
    CHECK(o_literal);
    parse_clean("no-literal=off");
    CHECK(!o_literal);
}

TEST(parse_bool_direct)
{
    const char *s = "yesno";

    CHECK_EQ(parse_bool("yes", NULL), 1);
    CHECK_EQ(parse_bool("disable", NULL), 0);
    CHECK_EQ(parse_bool(s, s + 3), 1);
    CHECK_EQ(parse_bool(s + 3, s + 5), 0);
    CHECK_EQ(parse_bool(s, s + 2), -1);
    CHECK_EQ(parse_bool(s, NULL), -1);
    CHECK_EQ(parse_bool("", NULL), -1);
    CHECK_EQ(parse_bool(s, s), -1);
    CHECK_EQ(parse_bool("true ", NULL), -1);
}

TEST(uint_bases)
{
    reset();
    parse_clean("u32=123");
    CHECK_EQU(o_u32, 123);
    parse_clean("u32=0x1F");
    CHECK_EQU(o_u32, 0x1f);
    parse_clean("u32=0XaBc");
    CHECK_EQU(o_u32, 0xabc);
    parse_clean("u32=017");
    CHECK_EQU(o_u32, 15);
    parse_clean("u32=0");
    CHECK_EQU(o_u32, 0);
    parse_clean("u32=00");
    CHECK_EQU(o_u32, 0);
}

TEST(uint_limits_per_width)
{
    reset();
    parse_clean("u8=255 u16=65535 u32=4294967295 u64=18446744073709551615");
    CHECK_EQU(o_u8, 255);
    CHECK_EQU(o_u16, 65535);
    CHECK_EQU(o_u32, 4294967295U);
    CHECK_EQU(o_u64, UINT64_MAX);

    reset();
    check_bad("u8=256", "u8", "256");
    CHECK_EQU(o_u8, 3);
    check_bad("u8=0x100", "u8", "0x100");
    CHECK_EQU(o_u8, 3);
    check_bad("u16=65536", "u16", "65536");
    CHECK_EQU(o_u16, 7);
    check_bad("u32=4294967296", "u32", "4294967296");
    CHECK_EQU(o_u32, 11);
    check_bad("u32=0x100000000", "u32", "0x100000000");
    CHECK_EQU(o_u32, 11);
}

TEST(uint_beyond_64_bits)
{
    reset();
    check_bad("u64=18446744073709551616", "u64", "18446744073709551616");
    CHECK_EQU(o_u64, 13);
    check_bad("u64=0x10000000000000000", "u64", "0x10000000000000000");
    CHECK_EQU(o_u64, 13);
    check_bad("u64=99999999999999999999999", "u64",
              "99999999999999999999999");
    CHECK_EQU(o_u64, 13);
    parse_clean("u64=0xffffffffffffffff");
    CHECK_EQU(o_u64, UINT64_MAX);
    /* Overflow must not wrap into a small accepted value either. */
    reset();
    check_bad("u8=18446744073709551617", "u8", "18446744073709551617");
    CHECK_EQU(o_u8, 3);
}

TEST(uint_malformed)
{
    static const char *const bad[] = {
        "", "-1", "+1", "12abc", "0x", "0xg", "08", "1e3", "1K", " ",
    };
    char cmd[64];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        if ( bad[i][0] == ' ' )
            continue; /* covered by uint_bare_and_split below */
        reset();
        snprintf(cmd, sizeof(cmd), "u32=%s", bad[i]);
        check_bad(cmd, "u32", bad[i]);
        CHECK_MSG(o_u32 == 11, "%s set u32 to %u", cmd, o_u32);
    }
}

TEST(uint_bare_and_split)
{
    reset();
    /* A bare integer option has an empty value. */
    check_bad("u32", "u32", "");
    CHECK_EQU(o_u32, 11);

    /* Values end at whitespace: "5" is an option of its own. */
    reset();
    CHECK_EQ(parse("u32= 5"), 2);
    CHECK_EQU(printk_count(WARN "Bad value for command line option 'u32': "
                           "'' (default kept)\n"), 1);
    CHECK_EQU(printk_count(WARN "Unknown command line option '5'\n"), 1);
    CHECK_EQU(o_u32, 11);
}

TEST(size_plain_and_suffixes)
{
    static const struct {
        const char *val;
        uint64_t want;
    } ok[] = {
        { "4096", 4096 },
        { "0", 0 },
        { "4K", 4ULL << 10 },
        { "4k", 4ULL << 10 },
        { "16M", 16ULL << 20 },
        { "16m", 16ULL << 20 },
        { "2G", 2ULL << 30 },
        { "2g", 2ULL << 30 },
        { "1T", 1ULL << 40 },
        { "3t", 3ULL << 40 },
        { "0x10M", 16ULL << 20 },
        { "010K", 8ULL << 10 },
        { "16777215T", 16777215ULL << 40 },
        { "18446744073709551615", UINT64_MAX },
        { "0K", 0 },
    };
    char cmd[64];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(ok); i++ )
    {
        reset();
        snprintf(cmd, sizeof(cmd), "size=%s", ok[i].val);
        parse_clean(cmd);
        CHECK_MSG(o_size == ok[i].want, "%s gave %#llx, want %#llx", cmd,
                  (unsigned long long)o_size,
                  (unsigned long long)ok[i].want);
    }
}

TEST(size_malformed)
{
    static const char *const bad[] = {
        "5Q", "5KB", "5kk", "K", "", "1.5G", "-1M", "M5", "0x", "0xK",
        "16777216T",            /* 2^64: one past the top */
        "18446744073709551616", /* the same without a unit */
        "17179869184G",         /* 2^34 GiB = 2^64 */
        "5 K",
    };
    char cmd[64];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        const char *sp = strchr(bad[i], ' ');

        reset();
        snprintf(cmd, sizeof(cmd), "size=%s", bad[i]);
        if ( sp )
        {
            /* "5" is a good size; "K" is then an unknown option. */
            CHECK_EQ(parse(cmd), 1);
            CHECK_EQU(o_size, 5);
            CHECK_EQU(printk_count("Unknown command line option 'K'"), 1);
            continue;
        }
        check_bad(cmd, "size", bad[i]);
        CHECK_MSG(o_size == 42, "%s set size to %#llx", cmd,
                  (unsigned long long)o_size);
    }
}

TEST(size_must_fit_its_variable)
{
    reset();
    parse_clean("size32=3G");
    CHECK_EQU(o_size32, 3ULL << 30);
    check_bad("size32=4G", "size32", "4G");
    CHECK_EQU(o_size32, 3ULL << 30);
}

TEST(string_values)
{
    reset();
    parse_clean("str=abc");
    CHECK_STR(o_str, "abc");
    /* Seven characters and the terminator fill the array exactly. */
    parse_clean("str=1234567");
    CHECK_STR(o_str, "1234567");
    parse_clean("str=a=b,c");
    CHECK_STR(o_str, "a=b,c");
    parse_clean("str=");
    CHECK_STR(o_str, "");
    strcpy(o_str, "x");
    parse_clean("str");
    CHECK_STR(o_str, "");
}

TEST(string_too_long_keeps_value)
{
    reset();
    parse_clean("str=abc");
    check_bad("str=12345678", "str", "12345678");
    CHECK_STR(o_str, "abc");
    CHECK(o_str[7] == '\0');
}

TEST(custom_called_with_value)
{
    reset();
    parse_clean("cust=good");
    CHECK_EQU(custom_calls, 1);
    CHECK_STR(custom_last, "good");

    reset();
    parse_clean("cust=a=b,c");
    CHECK_STR(custom_last, "a=b,c");

    reset();
    parse_clean("cust=");
    CHECK_EQU(custom_calls, 1);
    CHECK_STR(custom_last, "");
}

TEST(custom_bare_name_gets_empty_string)
{
    reset();
    strcpy(custom_last, "untouched");
    parse_clean("cust");
    CHECK_EQU(custom_calls, 1);
    CHECK_STR(custom_last, "");
}

TEST(custom_error_is_reported)
{
    reset();
    check_bad("cust=bad", "cust", "bad");
    CHECK_EQU(custom_calls, 1);
    check_bad("cust=bad,more", "cust", "bad,more");
    CHECK_EQU(custom_calls, 2);
}

TEST(custom_value_length_limit)
{
    char cmd[512], val[200];

    /* 127 characters still fit the parser's copy with its terminator. */
    reset();
    memset(val, 'v', 127);
    val[127] = '\0';
    snprintf(cmd, sizeof(cmd), "cust=%s", val);
    parse_clean(cmd);
    CHECK_EQU(custom_calls, 1);
    CHECK_STR(custom_last, val);

    /* One more is refused without calling the parser at all. */
    reset();
    memset(val, 'v', 128);
    val[128] = '\0';
    snprintf(cmd, sizeof(cmd), "cust=%s", val);
    CHECK_EQ(parse(cmd), 1);
    CHECK_EQU(custom_calls, 0);
    /* The report shows the first 127 characters and marks the cut. */
    val[127] = '\0';
    snprintf(cmd, sizeof(cmd),
             WARN "Bad value for command line option 'cust': '%s...' "
             "(default kept)\n", val);
    CHECK_STR(printk_output(), cmd);
}

TEST(unknown_reported_once_per_name)
{
    reset();
    CHECK_EQ(parse("foo foo=1 bar u32=5 foo=2 bar no-foo"), 3);
    CHECK_EQU(printk_calls(), 3);
    CHECK_EQU(printk_count(WARN "Unknown command line option 'foo'\n"), 1);
    CHECK_EQU(printk_count(WARN "Unknown command line option 'bar'\n"), 1);
    CHECK_EQU(printk_count(WARN "Unknown command line option 'no-foo'\n"), 1);
    CHECK_EQU(o_u32, 5);
}

TEST(unknown_dedup_is_per_call)
{
    reset();
    CHECK_EQ(parse("foo"), 1);
    CHECK_EQ(parse("foo"), 1);
    CHECK_EQU(printk_count("'foo'"), 2);
}

TEST(unknown_many_distinct_names)
{
    char cmd[4096];
    size_t len = 0;
    unsigned int i, round;

    /* 100 names, each given three times, interleaved. */
    for ( round = 0; round < 3; round++ )
        for ( i = 0; i < 100; i++ )
            len += snprintf(cmd + len, sizeof(cmd) - len, "opt%u=%u ", i,
                            round);

    reset();
    CHECK_EQ(parse(cmd), 100);
    for ( i = 0; i < 100; i++ )
    {
        char msg[64];

        snprintf(msg, sizeof(msg), "Unknown command line option 'opt%u'\n",
                 i);
        CHECK_MSG(printk_count(msg) == 1, "%s reported %u times", msg,
                  printk_count(msg));
    }
}

TEST(unknown_names_must_match_exactly)
{
    reset();
    CHECK_EQ(parse("u3=1 u32x=2 U32=3 flag- -flag"), 5);
    CHECK_EQU(o_u32, 11);
    CHECK(!o_flag);
    CHECK_EQU(printk_count("Unknown command line option 'u3'\n"), 1);
    CHECK_EQU(printk_count("Unknown command line option 'U32'\n"), 1);
}

TEST(odd_names)
{
    reset();
    parse_one_report("=5", WARN "Unknown command line option ''\n");
    parse_one_report("no-", WARN "Unknown command line option 'no-'\n");
    parse_one_report("no-nosuch=1",
                     WARN "Unknown command line option 'no-nosuch'\n");
    parse_one_report("==", WARN "Unknown command line option ''\n");
}

TEST(empty_and_blank_command_lines)
{
    reset();
    CHECK_EQ(parse_params(NULL, params, params + ARRAY_SIZE(params)), 0);
    parse_clean("");
    parse_clean(" ");
    parse_clean("        ");
    parse_clean(" \t\n\r ");
    CHECK(!o_flag && o_u32 == 11 && !strcmp(o_str, "dflt"));
}

TEST(whitespace_separates_options)
{
    reset();
    parse_clean("  u32=5\tu16=6\n  flag\r\nstr=x   ");
    CHECK_EQU(o_u32, 5);
    CHECK_EQU(o_u16, 6);
    CHECK(o_flag);
    CHECK_STR(o_str, "x");
}

TEST(last_value_wins)
{
    reset();
    parse_clean("u32=1 u32=2 str=a str=bc u32=3");
    CHECK_EQU(o_u32, 3);
    CHECK_STR(o_str, "bc");
}

TEST(empty_table)
{
    reset();
    CHECK_EQ(parse_params("a b a", params, params), 2);
    CHECK_EQ(parse_params("a b a", NULL, NULL), 2);
}

TEST(overlong_name)
{
    char cmd[1024], msg[512], name[301];
    unsigned int i;


    for ( i = 0; i < 300; i++ )
        name[i] = 'a' + i % 26;
    name[300] = '\0';
    /* The same long name twice, with values, is still one report. */
    snprintf(cmd, sizeof(cmd), "%s=1 %s=2", name, name);

    reset();
    CHECK_EQ(parse(cmd), 1);
    snprintf(msg, sizeof(msg), WARN "Unknown command line option '%.127s...'\n",
             name);
    CHECK_STR(printk_output(), msg);
}

TEST(overlong_values)
{
    char cmd[1024], val[400];

    memset(val, '9', 300);
    val[300] = '\0';

    reset();
    snprintf(cmd, sizeof(cmd), "str=%s", val);
    CHECK_EQ(parse(cmd), 1);
    CHECK_STR(o_str, "dflt");
    CHECK_EQU(printk_count("'str': '999"), 1);
    CHECK_EQU(printk_count("...' (default kept)\n"), 1);

    reset();
    snprintf(cmd, sizeof(cmd), "u64=%s", val);
    CHECK_EQ(parse(cmd), 1);
    CHECK_EQU(o_u64, 13);

    /* Length alone is no fault: 299 leading zeros and a one is 1. */
    reset();
    memset(val, '0', 299);
    val[299] = '1';
    snprintf(cmd, sizeof(cmd), "u32=%s", val);
    parse_clean(cmd);
    CHECK_EQU(o_u32, 1);
}

TEST(every_problem_counted)
{
    unsigned int n;

    /*
     * The same mixture as the boot-time self-test: an oversized byte, a
     * bad unit, a too-long string, a refusing custom parser, an unknown
     * name given twice and a bad boolean make six reports.
     */
    reset();
    n = parse("no-flag-on flag u32=0x20 u8=300 size=16M size=5Q str=abc "
              "str=waytoolongvalue cust=good cust=bad bogus bogus flag=maybe");
    CHECK_EQ(n, 6);
    CHECK_EQU(printk_calls(), 6);
    CHECK(!o_flag_on && o_flag);
    CHECK_EQU(o_u32, 0x20);
    CHECK_EQU(o_u8, 3);
    CHECK_EQU(o_size, 16ULL << 20);
    CHECK_STR(o_str, "abc");
    CHECK_EQU(custom_calls, 2);
}

TEST(reports_are_warnings)
{
    const char *out;

    reset();
    parse("u8=999 nosuch");
    /* Every line starts with the warning level, so loglvl can filter. */
    for ( out = printk_output(); *out; out = strchr(out, '\n') + 1 )
        CHECK_MSG(!strncmp(out, WARN, 3), "line without level: %s", out);
}
