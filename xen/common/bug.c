/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Targets of BUG(), WARN_ON() and ASSERT() (xen/lib.h).
 *
 * They are plain calls rather than trapping instructions, so the call
 * trace is taken from where we are; its first line is therefore inside
 * the function below, and the second is the line that failed.
 *
 * Everything prints at XENLOG_ERR: these report hypervisor bugs, and a
 * trace hidden by "loglvl=" would leave a WARN with no context.
 */
#include <asm/traps.h>
#include <xen/lib.h>
#include <xen/selftest.h>

void __bug(const char *file, unsigned int line)
{
    printk(XENLOG_ERR "Xen BUG at %s:%u\n", file, line);
    dump_execution_state();
    panic("Xen BUG at %s:%u", file, line);
}

void __warn(const char *file, unsigned int line)
{
    printk(XENLOG_ERR "Xen WARN at %s:%u\n", file, line);
    dump_execution_state();
}

void __assert_failed(const char *expr, const char *file, unsigned int line)
{
    printk(XENLOG_ERR "Assertion '%s' failed at %s:%u\n", expr, file, line);
    dump_execution_state();
    panic("Assertion '%s' failed at %s:%u", expr, file, line);
}

/*
 * Manual self-test (it ends the boot): a WARN_ON() that must report and
 * carry on, then a BUG_ON() that must report and panic. The boot test
 * checks both messages name this file and the lines below.
 */
static const char *selftest_fatal_bug(void)
{
    volatile bool yes = true;

    if ( !WARN_ON(yes) )
        return selftest_fail("WARN_ON(true) returned false");
    BUG_ON(yes);

    return selftest_fail("BUG_ON(true) returned");
}
REGISTER_MANUAL_SELFTEST("fatal-bug", selftest_fatal_bug);
