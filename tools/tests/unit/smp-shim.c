/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Single-threaded stand-ins for the SMP services that hypervisor sources
 * call (locks, TLB shootdown, the flush clock), for host unit tests. A
 * lock must still be taken and released in pairs: the counts let tests
 * check that nothing is left held. Built with irq-shim.h, so the lock's
 * interrupt handling goes through whatever interrupt flag the test
 * program models (or the weak no-op below if it models none).
 */
#include <xen/cpumask.h>
#include <xen/flushtlb.h>
#include <xen/spinlock.h>
#include "smp-shim.h"

cpumask_t cpu_online_map = { .bits = { 1 } };
uint32_t tlbflush_clock = 1;
unsigned long shim_locks_held, shim_tlb_flushes;

__attribute__((weak)) unsigned long local_irq_save(void)
{
    return 0;
}

__attribute__((weak)) void local_irq_restore(unsigned long flags)
{
    (void)flags;
}

void spin_lock(spinlock_t *l)
{
    if ( l->owner == 0 )
        __builtin_trap(); /* recursion: single-threaded, so a bug */
    l->owner = 0;
    shim_locks_held++;
}

void spin_unlock(spinlock_t *l)
{
    if ( l->owner != 0 )
        __builtin_trap();
    l->owner = SPINLOCK_NO_CPU;
    shim_locks_held--;
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

void flush_stale_tlbs(uint32_t stamp)
{
    (void)stamp;
    shim_tlb_flushes++;
}

void mark_frames_stale(struct page_info *pg, unsigned long nr)
{
    (void)pg;
    (void)nr;
}

void flush_area_others(unsigned long va, unsigned long pages)
{
    (void)va;
    (void)pages;
    shim_tlb_flushes++;
}

void flush_area_mask(const cpumask_t *mask, unsigned long va,
                     unsigned long pages)
{
    (void)mask;
    (void)va;
    (void)pages;
    shim_tlb_flushes++;
}
