/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ticket spinlocks and writer-preferring reader-writer locks, with the
 * debug checks described in xen/spinlock.h.
 */
#include <asm/smp.h>
#include <xen/flushtlb.h>
#include <xen/lib.h>
#include <xen/percpu.h>
#include <xen/spinlock.h>

#define RW_WRITER 0x80000000U

static bool spin_debug;

void spin_debug_enable(void)
{
    spin_debug = true;
}

#ifdef CONFIG_DEBUG
/*
 * Records whether the lock is taken with interrupts on or off and BUGs
 * on the first use that contradicts an earlier one.
 */
static void check_irq_rule(struct lock_debug *d, bool try, const void *lock)
{
    int8_t irq_safe = !local_irq_is_enabled();
    int8_t seen;

    if ( !spin_debug || (try && irq_safe) )
        return;

    seen = read_atomic(&d->irq_safe);
    if ( seen < 0 )
        seen = cmpxchg(&d->irq_safe, (int8_t)-1, irq_safe);
    if ( seen >= 0 && seen != irq_safe )
    {
        printk(XENLOG_ERR "lock %p taken with interrupts %s, but before "
               "with interrupts %s\n", lock, irq_safe ? "off" : "on",
               seen ? "off" : "on");
        BUG();
    }
}

static void check_not_mine(const spinlock_t *l)
{
    if ( unlikely(read_atomic(&l->owner) == smp_processor_id()) )
    {
        printk(XENLOG_ERR "CPU%u takes lock %p it already holds\n",
               smp_processor_id(), l);
        BUG();
    }
}
#else
static inline void check_irq_rule(struct lock_debug *d, bool try,
                                  const void *lock) {}
static inline void check_not_mine(const spinlock_t *l) {}
#endif

#ifdef CONFIG_DEBUG
/* Locks (spin, read or write) this CPU holds: see spin_assert_none_held(). */
static DEFINE_PER_CPU(unsigned int, locks_held);

static void held_inc(void)
{
    this_cpu(locks_held)++;
}

static void held_dec(void)
{
    ASSERT(this_cpu(locks_held));
    this_cpu(locks_held)--;
}

void spin_assert_none_held(const char *what)
{
    if ( likely(!this_cpu(locks_held)) )
        return;
    printk(XENLOG_ERR "CPU%u: %s with %u lock(s) held\n", smp_processor_id(),
           what, this_cpu(locks_held));
    BUG();
}
#else
static inline void held_inc(void) {}
static inline void held_dec(void) {}
#endif

/*
 * One step of a wait for a lock. A waiter with interrupts off cannot take
 * the shootdown IPI, yet the holder may be waiting for exactly that
 * CPU's acknowledgement (a page-table change that frees a table, an
 * allocation that flushes stale frames): so it serves shootdowns itself,
 * and no lock can deadlock against a TLB flush.
 */
static void wait_step(void)
{
    cpu_relax();
    if ( !local_irq_is_enabled() )
        flush_serve_pending();
}

static void wait_report(const spinlock_t *l, unsigned long *spins)
{
    if ( IS_ENABLED(CONFIG_DEBUG) && ++*spins == (1UL << 31) )
        printk(XENLOG_ERR "CPU%u: lock %p waited on for 2^31 spins, held "
               "by CPU%u\n", smp_processor_id(), l,
               read_atomic(&l->owner));
}

static void got_lock(spinlock_t *l)
{
    write_atomic(&l->owner, smp_processor_id());
    held_inc();
}

void spin_lock(spinlock_t *l)
{
    unsigned long spins = 0;
    uint16_t ticket;

#ifdef CONFIG_DEBUG
    check_irq_rule(&l->debug, false, l);
#endif
    check_not_mine(l);

    /* The locked add is a full barrier: nothing in the section leaks up. */
    ticket = arch_fetch_and_add(&l->tickets.head_tail, 1U << 16) >> 16;
    while ( read_atomic(&l->tickets.head) != ticket )
    {
        wait_step();
        wait_report(l, &spins);
    }
    got_lock(l);
}

void spin_unlock(spinlock_t *l)
{
    ASSERT(read_atomic(&l->owner) == smp_processor_id());
    held_dec();
    write_atomic(&l->owner, SPINLOCK_NO_CPU);
    /*
     * Only the holder writes head. Stores are not reordered with earlier
     * loads or stores on x86, so a compiler barrier is all that keeps the
     * section's accesses before the release.
     */
    barrier();
    write_atomic(&l->tickets.head, l->tickets.head + 1);
}

bool spin_trylock(spinlock_t *l)
{
    uint32_t old = read_atomic(&l->tickets.head_tail);
    uint32_t new = old + (1U << 16);

#ifdef CONFIG_DEBUG
    check_irq_rule(&l->debug, true, l);
#endif
    check_not_mine(l);

    if ( (uint16_t)old != (uint16_t)(old >> 16) )
        return false;
    if ( cmpxchg(&l->tickets.head_tail, old, new) != old )
        return false;
    got_lock(l);
    return true;
}

void spin_lock_irq(spinlock_t *l)
{
    ASSERT(local_irq_is_enabled());
    local_irq_disable();
    spin_lock(l);
}

void spin_unlock_irq(spinlock_t *l)
{
    spin_unlock(l);
    local_irq_enable();
}

unsigned long _spin_lock_irqsave(spinlock_t *l)
{
    unsigned long flags = local_irq_save();

    spin_lock(l);
    return flags;
}

void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
    spin_unlock(l);
    local_irq_restore(flags);
}

bool spin_is_locked_by_me(const spinlock_t *l)
{
    return read_atomic(&l->owner) == smp_processor_id();
}

void read_lock(rwlock_t *l)
{
    unsigned long spins = 0;

#ifdef CONFIG_DEBUG
    check_irq_rule(&l->debug, false, l);
#endif
    for ( ;; )
    {
        if ( !(arch_fetch_and_add(&l->cnts, 1) & RW_WRITER) )
        {
            held_inc();
            return;
        }
        /* A writer holds or waits: step back so that it can go first. */
        arch_fetch_and_add(&l->cnts, -1);
        while ( read_atomic(&l->cnts) & RW_WRITER )
        {
            wait_step();
            wait_report(&l->writer, &spins);
        }
    }
}

void read_unlock(rwlock_t *l)
{
    ASSERT(read_atomic(&l->cnts) & ~RW_WRITER);
    held_dec();
    arch_fetch_and_add(&l->cnts, -1);
}

void write_lock(rwlock_t *l)
{
    unsigned long spins = 0;

#ifdef CONFIG_DEBUG
    check_irq_rule(&l->debug, false, l);
#endif
    spin_lock(&l->writer);
    __atomic_fetch_or(&l->cnts, RW_WRITER, __ATOMIC_SEQ_CST);
    while ( read_atomic(&l->cnts) != RW_WRITER )
    {
        wait_step();
        wait_report(&l->writer, &spins);
    }
}

void write_unlock(rwlock_t *l)
{
    /* Readers may be stepping in and straight back out: not == RW_WRITER. */
    ASSERT(read_atomic(&l->cnts) & RW_WRITER);
    __atomic_fetch_and(&l->cnts, ~RW_WRITER, __ATOMIC_SEQ_CST);
    spin_unlock(&l->writer);
}

unsigned long _read_lock_irqsave(rwlock_t *l)
{
    unsigned long flags = local_irq_save();

    read_lock(l);
    return flags;
}

void read_unlock_irqrestore(rwlock_t *l, unsigned long flags)
{
    read_unlock(l);
    local_irq_restore(flags);
}

unsigned long _write_lock_irqsave(rwlock_t *l)
{
    unsigned long flags = local_irq_save();

    write_lock(l);
    return flags;
}

void write_unlock_irqrestore(rwlock_t *l, unsigned long flags)
{
    write_unlock(l);
    local_irq_restore(flags);
}

bool rw_is_locked(const rwlock_t *l)
{
    return read_atomic(&l->cnts) != 0;
}

bool rw_is_write_locked(const rwlock_t *l)
{
    return read_atomic(&l->cnts) & RW_WRITER;
}
