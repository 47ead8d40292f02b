/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Giving unmapped vmap ranges back: at once (eager) or through the purge
 * list (lazy). The contracts are in xen/vmap.h and vmap-priv.h.
 *
 * Remote TLBs. destroy_xen_mappings() flushes only this CPU; any other
 * CPU may still hold translations of an unmapped range. The range must
 * not be handed out again, nor the frames it mapped, until those CPUs
 * have flushed.
 *
 * Eager (vmap_lazy false): every other online CPU flushes the range at
 * once, with an IPI per unmap.
 * Lazy (the default): nothing is sent at unmap time. The address range
 * waits in the purge list, stamped with the flush clock, and the frames
 * are freed marked PGC_need_tlbflush with the same stamp. One shootdown
 * per PURGE_MAX ranges (or when an allocation finds no space, or when
 * statistics are read) flushes only the CPUs that have not flushed since
 * the newest stamp, then gives the ranges back; the heap flushes for a
 * marked frame, again only where needed, before handing it out.
 */
#include <xen/flushtlb.h>
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <xen/vmap.h>

#include "vmap-priv.h"

bool vmap_lazy = true;

#define PURGE_MAX 32

static DEFINE_SPINLOCK(purge_lock);
unsigned long vmap_purges;
static const void *purge_list[PURGE_MAX];
static unsigned int purge_nr;
static uint32_t purge_stamp;

void vmap_purge(void)
{
    const void *batch[PURGE_MAX];
    unsigned long flags;
    unsigned int n, i;
    uint32_t stamp;

    spin_lock_irqsave(&purge_lock, flags);
    n = purge_nr;
    memcpy(batch, purge_list, n * sizeof(*batch));
    stamp = purge_stamp;
    purge_nr = 0;
    if ( n )
        write_atomic(&vmap_purges, vmap_purges + 1);
    spin_unlock_irqrestore(&purge_lock, flags);

    if ( !n )
        return;
    flush_stale_tlbs(stamp);
    for ( i = 0; i < n; i++ )
        vm_free(batch[i]);
}

void vm_release(const void *va)
{
    unsigned long flags;

    if ( !vmap_lazy )
    {
        vm_free(va);
        return;
    }

    for ( ;; )
    {
        spin_lock_irqsave(&purge_lock, flags);
        if ( purge_nr < PURGE_MAX )
            break;
        spin_unlock_irqrestore(&purge_lock, flags);
        vmap_purge();
    }
    purge_list[purge_nr++] = va;
    purge_stamp = tlbflush_current_time();
    spin_unlock_irqrestore(&purge_lock, flags);
}

bool vm_purge_pending(void)
{
    return read_atomic(&purge_nr);
}

bool vm_purge_waiting(const void *start)
{
    unsigned long flags;
    unsigned int i;
    bool found = false;

    spin_lock_irqsave(&purge_lock, flags);
    for ( i = 0; i < purge_nr && !found; i++ )
        found = purge_list[i] == start;
    spin_unlock_irqrestore(&purge_lock, flags);

    return found;
}
