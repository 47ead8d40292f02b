/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The self-test runner. See xen/selftest.h for the contract.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/selftest.h>
#include <xen/string.h>

#define SELFTEST_LIST_MAX 256

/* "selftest" seen; selftest_list empty means every non-manual test. */
static bool selftest_requested;
static char selftest_list[SELFTEST_LIST_MAX];

static int parse_selftest(const char *s)
{
    if ( strlen(s) >= sizeof(selftest_list) )
        return -E2BIG;
    strlcpy(selftest_list, s, sizeof(selftest_list));
    selftest_requested = true;
    return 0;
}
custom_param("selftest", parse_selftest);

const char *selftest_fail(const char *fmt, ...)
{
    static char reason[256];
    va_list args;

    va_start(args, fmt);
    vsnprintf(reason, sizeof(reason), fmt, args);
    va_end(args);

    return reason;
}

/* Is the name [s, s + len) in the comma-separated list? */
static bool list_has(const char *list, const char *name)
{
    size_t len = strlen(name);

    while ( *list )
    {
        const char *comma = strchr(list, ',');
        size_t n = comma ? (size_t)(comma - list) : strlen(list);

        if ( n == len && !strncmp(list, name, n) )
            return true;
        list += n + (comma != NULL);
    }

    return false;
}

static const struct selftest *find_test(const char *name, size_t len)
{
    const struct selftest *t;

    for ( t = __selftest_start; t < __selftest_end; t++ )
        if ( strlen(t->name) == len && !strncmp(t->name, name, len) )
            return t;

    return NULL;
}

static bool run_one(const struct selftest *t)
{
    const char *reason = t->fn();

    if ( reason )
        printk("selftest %s: FAIL: %s\n", t->name, reason);
    else
        printk("selftest %s: PASS\n", t->name);

    return !reason;
}

bool selftest_run(void)
{
    const struct selftest *t;
    const char *s;
    unsigned int passed = 0, failed = 0, late;

    if ( !selftest_requested )
        return false;

    /* A name that matches no test is a failure, not silence. */
    for ( s = selftest_list; *s; )
    {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);

        if ( n && !find_test(s, n) )
        {
            printk("selftest %.*s: FAIL: no such test\n", (int)n, s);
            failed++;
        }
        s += n + (comma != NULL);
    }

    /* Two passes: the ordinary tests, then the late ones (audits). */
    for ( late = 0; late < 2; late++ )
        for ( t = __selftest_start; t < __selftest_end; t++ )
        {
            if ( t->late != late ||
                 (selftest_list[0] ? !list_has(selftest_list, t->name)
                                   : t->manual) )
                continue;
            if ( run_one(t) )
                passed++;
            else
                failed++;
        }

    printk("selftest: %u passed, %u failed\n", passed, failed);
    return true;
}
