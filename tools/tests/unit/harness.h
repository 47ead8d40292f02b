/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal unit-test harness for hypervisor code built for the host.
 *
 * A test is a function declared with TEST(name). The first failed CHECK
 * ends its test (by longjmp, so checks work from helpers at any depth)
 * and is reported as "FAIL <name>: <file>:<line>: <message>"; a test that
 * returns is "PASS <name>". The last line printed is "N passed, M failed"
 * and the exit status is 0 only if nothing failed.
 *
 *   prog            run every test, in source order
 *   prog a b        run the named tests
 *   prog --list     print the test names, one per line
 *
 * Include this header once per program, before anything that renames C
 * library functions: the helpers below must bind to the host's.
 */
#ifndef UNIT_HARNESS_H
#define UNIT_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HARNESS_MAX_TESTS 512

struct harness_test {
    const char *name;
    void (*fn)(void);
    unsigned int line;
};

static struct harness_test harness_tests[HARNESS_MAX_TESTS];
static unsigned int harness_nr;
static jmp_buf harness_jmp;
static char harness_msg[2048];

static inline void harness_register(const char *name, void (*fn)(void),
                                    unsigned int line)
{
    if ( harness_nr == HARNESS_MAX_TESTS )
    {
        fprintf(stderr, "harness: more than %d tests\n", HARNESS_MAX_TESTS);
        exit(2);
    }
    harness_tests[harness_nr++] = (struct harness_test){ name, fn, line };
}

/*
 * Constructors run in no promised order; tests are sorted by line later
 * so that --list and a full run follow the source.
 */
#define TEST(name)                                                         \
    static void test_##name(void);                                         \
    static void __attribute__((constructor)) harness_reg_##name(void)      \
    {                                                                      \
        harness_register(#name, test_##name, __LINE__);                    \
    }                                                                      \
    static void test_##name(void)

static inline void __attribute__((noreturn, format(printf, 3, 4)))
harness_fail(const char *file, unsigned int line, const char *fmt, ...)
{
    char text[sizeof(harness_msg) / 2];
    size_t n = snprintf(harness_msg, sizeof(harness_msg), "%s:%u: ", file,
                        line);
    const char *p;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);

    /* The report is one line: spell out the newlines of the message. */
    for ( p = text; *p && n + 3 < sizeof(harness_msg); p++ )
    {
        if ( *p == '\n' )
        {
            harness_msg[n++] = '\\';
            harness_msg[n++] = 'n';
        }
        else
            harness_msg[n++] = *p;
    }
    harness_msg[n] = '\0';

    longjmp(harness_jmp, 1);
}

/*
 * s as a C literal in one of a few rotating static buffers, so that a
 * message stays on one line and shows exactly which bytes differ.
 */
static inline const char *harness_quote(const char *s, size_t len)
{
    static char bufs[4][512];
    static unsigned int next;
    char *b = bufs[next++ % 4], *p = b;
    size_t room = sizeof(bufs[0]) - 8; /* an escape, "...", '"', NUL */
    size_t i;

    if ( !s )
        return "NULL";

    *p++ = '"';
    for ( i = 0; i < len && (size_t)(p - b) < room; i++ )
    {
        unsigned char c = s[i];

        if ( c == '"' || c == '\\' )
            p += sprintf(p, "\\%c", c);
        else if ( c == '\n' )
            p += sprintf(p, "\\n");
        else if ( c < 0x20 || c >= 0x7f )
            p += sprintf(p, "\\x%02x", c);
        else
            *p++ = c;
    }
    if ( i < len )
        p += sprintf(p, "...");
    *p++ = '"';
    *p = '\0';

    return b;
}

static inline void harness_check_str(const char *file, unsigned int line,
                                     const char *what, const char *got,
                                     const char *want)
{
    if ( got == want || (got && want && !strcmp(got, want)) )
        return;
    harness_fail(file, line, "%s: got %s, want %s", what,
                 harness_quote(got, got ? strlen(got) : 0),
                 harness_quote(want, want ? strlen(want) : 0));
}

static inline void harness_check_mem(const char *file, unsigned int line,
                                     const char *what, const void *got,
                                     const void *want, size_t n)
{
    if ( !memcmp(got, want, n) )
        return;
    harness_fail(file, line, "%s: got %s, want %s", what,
                 harness_quote(got, n), harness_quote(want, n));
}

/* Fails the test unless cond holds. */
#define CHECK(cond)                                                        \
    do {                                                                   \
        if ( !(cond) )                                                     \
            harness_fail(__FILE__, __LINE__, "CHECK(%s) failed", #cond);   \
    } while ( 0 )

/* Fails the test with a formatted message unless cond holds. */
#define CHECK_MSG(cond, ...)                                               \
    do {                                                                   \
        if ( !(cond) )                                                     \
            harness_fail(__FILE__, __LINE__, __VA_ARGS__);                 \
    } while ( 0 )

/* Signed integers of any width. */
#define CHECK_EQ(got, want)                                                \
    do {                                                                   \
        long long got_ = (got), want_ = (want);                            \
        if ( got_ != want_ )                                               \
            harness_fail(__FILE__, __LINE__, "%s: got %lld, want %lld",    \
                         #got, got_, want_);                               \
    } while ( 0 )

/* Unsigned integers of any width, shown in hex too. */
#define CHECK_EQU(got, want)                                               \
    do {                                                                   \
        unsigned long long got_ = (got), want_ = (want);                   \
        if ( got_ != want_ )                                               \
            harness_fail(__FILE__, __LINE__,                               \
                         "%s: got %llu (%#llx), want %llu (%#llx)", #got,  \
                         got_, got_, want_, want_);                        \
    } while ( 0 )

/* C strings; NULL equals only NULL. */
#define CHECK_STR(got, want)                                               \
    harness_check_str(__FILE__, __LINE__, #got, (got), (want))

/* n bytes of memory. */
#define CHECK_MEM(got, want, n)                                            \
    harness_check_mem(__FILE__, __LINE__, #got, (got), (want), (n))

static int harness_by_line(const void *a, const void *b)
{
    const struct harness_test *x = a, *y = b;

    return (x->line > y->line) - (x->line < y->line);
}

static bool harness_run(const struct harness_test *t)
{
    if ( setjmp(harness_jmp) )
    {
        printf("FAIL %s: %s\n", t->name, harness_msg);
        return false;
    }
    t->fn();
    printf("PASS %s\n", t->name);

    return true;
}

int main(int argc, char **argv)
{
    unsigned int passed = 0, failed = 0, i;
    int a;

    /* Line buffering keeps earlier results if a sanitizer aborts a test. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    qsort(harness_tests, harness_nr, sizeof(harness_tests[0]),
          harness_by_line);

    if ( argc == 2 && !strcmp(argv[1], "--list") )
    {
        for ( i = 0; i < harness_nr; i++ )
            printf("%s\n", harness_tests[i].name);
        return 0;
    }

    if ( argc == 1 )
        for ( i = 0; i < harness_nr; i++ )
            harness_run(&harness_tests[i]) ? passed++ : failed++;

    for ( a = 1; a < argc; a++ )
    {
        for ( i = 0; i < harness_nr; i++ )
            if ( !strcmp(argv[a], harness_tests[i].name) )
                break;
        if ( i == harness_nr )
        {
            printf("FAIL %s: no such test\n", argv[a]);
            failed++;
        }
        else
            harness_run(&harness_tests[i]) ? passed++ : failed++;
    }

    printf("%u passed, %u failed\n", passed, failed);

    return failed ? 1 : 0;
}

#endif /* UNIT_HARNESS_H */
