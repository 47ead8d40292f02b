/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smp-pt-stress: the paths that change the hypervisor's page tables and
 * wait for other CPUs, from every CPU at once (on_cpus_idle()).
 *
 * Each round of each CPU: a xenheap block of order 0-4 and a vmalloc()
 * of 128-640 KiB (both freed lazily, so their frames go back stamped for
 * a flush), then a few superpage life cycles in a range of its own: map
 * 2 MiB with one leaf, overwrite one 4 KiB page inside it (a split,
 * whose new L1 comes from the heap under the page-table lock, often as
 * a stamped frame that needs other CPUs flushed first), put the page
 * back (a merge, which retires the L1), destroy it all. Every few rounds
 * a lazy purge. What is written through one mapping is checked through
 * another.
 *
 * It finds deadlocks (a CPU waiting for flush acknowledgements while
 * others spin on a lock it holds: the boot never ends) and, in debug
 * builds, page-table pages freed before every CPU flushed them (the
 * check in xen-pagetables.c BUGs). Afterwards the free frames must be
 * exactly as before.
 */
#include <asm/mm.h>
#include <asm/pg2virt.h>
#include <xen/domain_page.h>
#include <xen/flushtlb.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/selftest.h>
#include <xen/smp.h>
#include <xen/vmap.h>

#include "smp-selftest.h"

/* Rounds in all, shared out among the CPUs (see LOCK_WORK). */
#define PT_STRESS_WORK    64U
/* Superpage life cycles per round: the part that allocates under the lock. */
#define SUPERPAGE_CYCLES  4U
#define SUPERPAGE_PAGES   (1U << (L2_PAGE_SHIFT - PAGE_SHIFT))

struct pt_worker {
    unsigned int rounds;
    unsigned long range;          /* 2 MiB-aligned, SUPERPAGE_PAGES long */
    struct page_info *block;      /* order 9: what the superpage maps */
    struct page_info *odd;        /* the 4 KiB page that splits it */
};

static struct pt_worker pt_workers[CONFIG_NR_CPUS];

static uint64_t pt_pattern(unsigned int cpu, unsigned int round,
                           unsigned int n)
{
    return 0x7074000000000000UL | ((uint64_t)cpu << 40) |
           ((uint64_t)round << 20) | n;
}

static void xenheap_round(unsigned int cpu, unsigned int round,
                          uint64_t *seed)
{
    unsigned int order = selftest_random(seed, 5);
    uint64_t *p = alloc_xenheap_pages(order, 0);

    if ( !p )
    {
        smp_worker_fail("xenheap order %u failed", order);
        return;
    }
    *p = pt_pattern(cpu, round, order);
    if ( page_to_virt(virt_to_page(p)) != p )
        smp_worker_fail("xenheap %p does not round-trip", p);
    else if ( *p != pt_pattern(cpu, round, order) )
        smp_worker_fail("xenheap %p holds %#lx", p, *p);
    free_xenheap_pages(p, order);
}

static void vmalloc_round(unsigned int cpu, unsigned int round,
                          uint64_t *seed)
{
    unsigned long pages = 32 + selftest_random(seed, 128), i;
    uint64_t *v = vmalloc(pages << PAGE_SHIFT);

    if ( !v )
    {
        smp_worker_fail("vmalloc of %lu pages failed", pages);
        return;
    }
    for ( i = 0; i < pages; i++ )
        v[i * (PAGE_SIZE / sizeof(*v))] = pt_pattern(cpu, round, i);
    for ( i = 0; i < pages; i++ )
        if ( v[i * (PAGE_SIZE / sizeof(*v))] != pt_pattern(cpu, round, i) )
        {
            smp_worker_fail("vmalloc page %lu of %p lost its write", i, v);
            break;
        }
    vfree(v);
}

/* Reads the first word of frame mfn through the mapcache. */
static uint64_t frame_word(mfn_t mfn)
{
    uint64_t *p = map_domain_page(mfn), v = *p;

    unmap_domain_page(p);
    return v;
}

static void superpage_round(struct pt_worker *w, unsigned int cpu,
                            unsigned int round, uint64_t *seed)
{
    unsigned int idx = selftest_random(seed, SUPERPAGE_PAGES);
    unsigned long va = w->range + ((unsigned long)idx << PAGE_SHIFT);
    mfn_t base = page_to_mfn(w->block);
    uint64_t *p = (uint64_t *)va;
    unsigned int level = 0;

    if ( map_pages_to_xen(w->range, base, SUPERPAGE_PAGES,
                          PAGE_HYPERVISOR_RW) ||
         !xen_pagetable_lookup(va, &level) || level != 2 )
    {
        smp_worker_fail("2 MiB mapping at %#lx: level %u", w->range, level);
        return;
    }
    *p = pt_pattern(cpu, round, idx);
    if ( frame_word(mfn_add(base, idx)) != pt_pattern(cpu, round, idx) )
        smp_worker_fail("superpage write to page %u lost", idx);

    /* Split: one page of the superpage now maps another frame. */
    if ( map_pages_to_xen(va, page_to_mfn(w->odd), 1, PAGE_HYPERVISOR_RW) ||
         !xen_pagetable_lookup(va, &level) || level != 1 )
        smp_worker_fail("split at %#lx: level %u", va, level);
    *p = ~pt_pattern(cpu, round, idx);
    if ( frame_word(page_to_mfn(w->odd)) != ~pt_pattern(cpu, round, idx) ||
         frame_word(mfn_add(base, idx)) != pt_pattern(cpu, round, idx) )
        smp_worker_fail("write after the split went to the wrong frame");

    /* Merge: the page back in place makes the L1 uniform again. */
    if ( map_pages_to_xen(va, mfn_add(base, idx), 1, PAGE_HYPERVISOR_RW) ||
         !xen_pagetable_lookup(va, &level) || level != 2 )
        smp_worker_fail("no merge back at %#lx: level %u", va, level);
    if ( *p != pt_pattern(cpu, round, idx) )
        smp_worker_fail("after the merge page %u reads %#lx", idx, *p);

    if ( destroy_xen_mappings(w->range,
                              w->range + (SUPERPAGE_PAGES << PAGE_SHIFT)) ||
         xen_pagetable_lookup(va, NULL) )
        smp_worker_fail("destroy of %#lx left it mapped", w->range);
}

static void pt_stress_worker(void *unused)
{
    unsigned int cpu = smp_processor_id(), r, c;
    struct pt_worker *w = &pt_workers[cpu];
    uint64_t seed = 0x2545f4914f6cdd1dUL * (cpu + 1);

    for ( r = 0; r < w->rounds; r++ )
    {
        xenheap_round(cpu, r, &seed);
        vmalloc_round(cpu, r, &seed);
        for ( c = 0; c < SUPERPAGE_CYCLES; c++ )
            superpage_round(w, cpu, r, &seed);
        if ( r % 4 == 3 )
            vmap_purge();
    }
}

static void pt_workers_free(void)
{
    unsigned int cpu;

    for_each_online_cpu ( cpu )
    {
        struct pt_worker *w = &pt_workers[cpu];

        if ( w->range )
            vm_free((void *)w->range);
        if ( w->block )
            free_domheap_pages(w->block, 9);
        if ( w->odd )
            free_domheap_page(w->odd);
        *w = (struct pt_worker){ 0 };
    }
}

/*
 * Frames the mm layer keeps once it has them: page tables, vmap's bitmap
 * pages and the page-to-virt arrays. Balanced work may grow these, and
 * nothing else may stay allocated.
 */
static unsigned long kept_frames(void)
{
    struct vm_stats vm, xh;

    vm_get_stats(VMAP_DEFAULT, &vm);
    vm_get_stats(VMAP_XENHEAP, &xh);
    return xen_pagetable_pages + vm.bitmap_pages + xh.bitmap_pages +
           (pg2virt_bytes >> PAGE_SHIFT);
}

static const char *selftest_smp_pt_stress(void)
{
    unsigned int rounds = max(PT_STRESS_WORK / num_online_cpus(), 4U), cpu;
    unsigned long free0, free1, kept0, kept1;
    const char *fail = NULL;

    smp_clear_failures();
    vmap_purge();
    free0 = mm_free_frames();
    kept0 = kept_frames();

    for_each_online_cpu ( cpu )
    {
        struct pt_worker *w = &pt_workers[cpu];

        w->rounds = rounds;
        w->range = (unsigned long)vm_alloc(SUPERPAGE_PAGES, SUPERPAGE_PAGES,
                                           VMAP_DEFAULT);
        w->block = alloc_domheap_pages(9, 0);
        w->odd = alloc_domheap_page(0);
        if ( !w->range || !w->block || !w->odd )
            fail = selftest_fail("no memory for CPU%u's worker", cpu);
    }
    if ( !fail )
    {
        on_cpus_idle(&cpu_online_map, pt_stress_worker, NULL);
        fail = smp_first_failure();
    }
    pt_workers_free();
    if ( fail )
        return fail;

    kept1 = kept_frames(); /* settles the purge list first */
    free1 = mm_free_frames();
    printk("smp-pt-stress: %u CPUs x %u rounds; free frames %lu before, "
           "%lu after, %lu more kept by the mm layer\n", num_online_cpus(),
           rounds, free0, free1, kept1 - kept0);
    if ( free1 + (kept1 - kept0) != free0 )
        return selftest_fail("free frames %lu before, %lu + %lu kept after",
                             free0, free1, kept1 - kept0);

    return NULL;
}
REGISTER_SELFTEST("smp-pt-stress", selftest_smp_pt_stress);
