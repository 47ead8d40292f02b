/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tlb-shootdown: another CPU caches a translation, this CPU unmaps it and
 * shoots it down (directly, through vmap's lazy purge, and through the
 * heap's flush-clock check on a reused frame): the other CPU must then
 * fault on it.
 */
#include <asm/extable.h>
#include <asm/mm.h>
#include <asm/page-list.h>
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
 * TLB shootdown
 */

static const volatile uint64_t *probe_va;
static uint64_t probe_val;
static bool probe_faulted;

/* On the target CPU, in interrupt context. */
static void remote_probe(void *unused)
{
    probe_faulted = probe_read_u64(probe_va, &probe_val);
}

static void probe_on(const cpumask_t *target, const void *va)
{
    probe_va = va;
    on_selected_cpus(target, remote_probe, NULL, true);
}

#define TLB_PATTERN 0x746c62736877646eUL
#define REALLOC_TRIES 1024

/*
 * Allocates single frames until the heap hands out mfn again, gives the
 * others back and returns it; NULL if it did not come back.
 */
static struct page_info *reallocate(mfn_t mfn)
{
    PAGE_LIST_HEAD(held);
    struct page_info *pg, *found = NULL;
    unsigned int i;

    for ( i = 0; i < REALLOC_TRIES && !found; i++ )
    {
        if ( !(pg = alloc_domheap_page(MEMF_no_scrub)) )
            break;
        if ( mfn_eq(page_to_mfn(pg), mfn) )
            found = pg;
        else
            page_list_add(pg, &held);
    }
    while ( (pg = page_list_remove_head(&held)) != NULL )
        free_domheap_page(pg);

    return found;
}

static const char *selftest_tlb_shootdown(void)
{
    unsigned int self = smp_processor_id(), target;
    struct page_info *pg;
    cpumask_t mask;
    uint64_t *va;
    uint32_t stamp;
    mfn_t mfn;
    bool lazy = vmap_lazy, stale;
    const char *fail = NULL;

    for_each_online_cpu ( target )
        if ( target != self )
            break;
    if ( target >= CONFIG_NR_CPUS )
    {
        printk("tlb-shootdown: one CPU online, nothing to shoot down\n");
        return NULL;
    }
    cpumask_clear(&mask);
    cpumask_set_cpu(target, &mask);

    pg = alloc_domheap_page(0);
    if ( !pg )
        return selftest_fail("no frame");
    mfn = page_to_mfn(pg);

    /* 1. Direct: unmap here only, then flush_tlb_mask() the target. */
    va = vm_alloc(1, 1, VMAP_DEFAULT);
    if ( !va || map_pages_to_xen((unsigned long)va, mfn, 1,
                                 PAGE_HYPERVISOR_RW) )
        return selftest_fail("cannot map the test frame");
    *va = TLB_PATTERN;
    probe_on(&mask, va);
    if ( probe_faulted || probe_val != TLB_PATTERN )
        return selftest_fail("CPU%u read %#lx (fault %d) through a live "
                             "mapping", target, probe_val, probe_faulted);
    stamp = tlbflush_current_time();
    destroy_xen_mappings((unsigned long)va, (unsigned long)va + PAGE_SIZE);
    probe_on(&mask, va);
    stale = !probe_faulted && probe_val == TLB_PATTERN;
    flush_tlb_mask(&mask);
    if ( tlbflush_needed(target, stamp) )
        fail = selftest_fail("flush clock: CPU%u's flush is not recorded",
                             target);
    probe_on(&mask, va);
    if ( !fail && !probe_faulted )
        fail = selftest_fail("CPU%u still reads %#lx after the shootdown",
                             target, probe_val);
    vm_free(va);
    /*
     * Without a stale read first, "faults afterwards" would prove nothing:
     * the emulated CPUs the tests run on keep translations until told.
     */
    if ( !fail && !stale )
        fail = selftest_fail("CPU%u dropped the translation without a "
                             "shootdown: this test cannot tell one from none",
                             target);
    if ( fail )
        return fail;
    printk("tlb-shootdown: CPU%u used the stale translation until the "
           "shootdown, then faulted\n", target);

    /* 2. Lazy vunmap: held until the purge's clock-filtered shootdown. */
    vmap_lazy = true;
    vmap_purge();
    va = vmap(&mfn, 1);
    if ( !va )
        return selftest_fail("vmap failed");
    probe_on(&mask, va);
    vunmap(va);
    if ( vm_size(va, VMAP_DEFAULT) != 1 )
        fail = selftest_fail("lazily unmapped range reusable before a flush");
    vmap_purge();
    probe_on(&mask, va);
    if ( !fail && !probe_faulted )
        fail = selftest_fail("CPU%u reads %#lx after vmap's purge", target,
                             probe_val);
    if ( !fail && vm_size(va, VMAP_DEFAULT) )
        fail = selftest_fail("purged range not given back");

    /*
     * 3. vunmap() alone must make the frame safe to reuse: the owner frees
     * it at once, the heap hands it out again (the test allocates until
     * it gets that frame back), and the other CPU, which cached the old
     * address, must by then have been flushed.
     */
    if ( !fail && (va = vmap(&mfn, 1)) != NULL )
    {
        probe_on(&mask, va);
        if ( probe_faulted || probe_val != TLB_PATTERN )
            fail = selftest_fail("CPU%u could not read the vmap", target);
        vunmap(va);
        stamp = tlbflush_current_time();
        free_domheap_page(pg);
        pg = reallocate(mfn);
        if ( !fail && !pg )
            fail = selftest_fail("the heap never gave frame %#lx back",
                                 mfn_x(mfn));
        if ( !fail )
        {
            uint64_t *p = map_domain_page(mfn);

            *p = ~TLB_PATTERN; /* the new owner's data */
            unmap_domain_page(p);
            /*
             * Whether the heap's shootdown or some other full flush did
             * it, the target must have flushed since the unmap.
             */
            if ( tlbflush_needed(target, stamp) )
                fail = selftest_fail("frame reused while CPU%u had not "
                                     "flushed since the unmap", target);
            probe_on(&mask, va);
            if ( !fail && !probe_faulted )
                fail = selftest_fail("CPU%u reads %#lx, the reused frame's "
                                     "data, through its old address",
                                     target, probe_val);
        }
        vmap_purge();
    }
    vmap_lazy = lazy;
    if ( pg )
        free_domheap_page(pg);

    return fail;
}
REGISTER_SELFTEST("tlb-shootdown", selftest_tlb_shootdown);

