/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * locks: a shared counter and a pair of rwlock-guarded fields updated
 * from all CPUs at once: the totals must come out exact. And the manual
 * tests of the debug lock checks, each of which ends the boot.
 */
#include <asm/extable.h>
#include <asm/mm.h>
#include <xen/domain_page.h>
#include <xen/flushtlb.h>
#include <xen/lib.h>
#include <xen/selftest.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <xen/vmap.h>
#include <xen/xmalloc.h>

#include "smp-selftest.h"

/* ------------------------------------------------------------------------
 * Locks
 */

/*
 * Total work is fixed rather than per CPU: under emulation, vCPUs share
 * few host cores, and every fair-lock handoff or shootdown needs a
 * particular vCPU to be running, so per-CPU work scaled with the CPU
 * count would make the test time grow with its square.
 */
#define LOCK_WORK 16000
static unsigned int lock_rounds;

static DEFINE_SPINLOCK(count_lock);
static DEFINE_RWLOCK(pair_lock);
static unsigned long counter, pair_a, pair_b;

static void locks_worker(void *unused)
{
    unsigned int i;

    for ( i = 0; i < lock_rounds; i++ )
    {
        unsigned long v;

        /* A read-modify-write the lock alone makes atomic. */
        spin_lock(&count_lock);
        v = read_atomic(&counter);
        cpu_relax();
        write_atomic(&counter, v + 1);
        spin_unlock(&count_lock);

        if ( i % 8 == 0 )
        {
            write_lock(&pair_lock);
            v = read_atomic(&pair_a);
            cpu_relax();
            write_atomic(&pair_a, v + 1);
            write_atomic(&pair_b, read_atomic(&pair_b) + 1);
            write_unlock(&pair_lock);
        }
        else
        {
            read_lock(&pair_lock);
            if ( read_atomic(&pair_a) != read_atomic(&pair_b) )
                smp_worker_fail("reader saw a torn pair %lu/%lu", pair_a, pair_b);
            read_unlock(&pair_lock);
        }
    }
}

static const char *selftest_locks(void)
{
    unsigned long n = num_online_cpus();

    unsigned long writes;

    smp_clear_failures();
    counter = pair_a = pair_b = 0;
    lock_rounds = ROUNDUP(LOCK_WORK / n, 8);
    writes = n * (lock_rounds / 8);
    on_cpus_idle(&cpu_online_map, locks_worker, NULL);

    if ( counter != n * lock_rounds )
        return selftest_fail("spinlock: counter %lu after %lu increments",
                             counter, n * lock_rounds);
    if ( pair_a != writes || pair_b != pair_a )
        return selftest_fail("rwlock: pair %lu/%lu, expected %lu", pair_a,
                             pair_b, writes);
    if ( spin_is_locked(&count_lock) || rw_is_locked(&pair_lock) )
        return selftest_fail("a lock was left held");
    printk("locks: %lu CPUs x %u rounds, counts exact\n", n, lock_rounds);

    return smp_first_failure();
}
REGISTER_SELFTEST("locks", selftest_locks);

/* ------------------------------------------------------------------------
 * The debug lock checks (manual: each ends the boot with a BUG)
 */

static DEFINE_SPINLOCK(fatal_lock);

static const char *selftest_fatal_lock_recursion(void)
{
    spin_lock(&fatal_lock);
    spin_lock(&fatal_lock);     /* would deadlock; debug builds BUG */
    spin_unlock(&fatal_lock);
    spin_unlock(&fatal_lock);
    return selftest_fail("taking a held lock again was not caught");
}
REGISTER_MANUAL_SELFTEST("fatal-lock-recursion",
                         selftest_fatal_lock_recursion);

static const char *selftest_fatal_lock_irq(void)
{
    unsigned long flags;

    spin_lock(&fatal_lock);     /* interrupts on (after SMP boot) */
    spin_unlock(&fatal_lock);
    spin_lock_irqsave(&fatal_lock, flags);  /* and off: debug builds BUG */
    spin_unlock_irqrestore(&fatal_lock, flags);
    return selftest_fail("a lock taken with interrupts on and off was not "
                         "caught");
}
REGISTER_MANUAL_SELFTEST("fatal-lock-irq", selftest_fatal_lock_irq);
