/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenheap served through vmap.
 *
 * Xenheap and domheap are one allocator. A xenheap allocation is a
 * domheap allocation plus a permanent, global virtual address: the
 * direct map's when it covers the frames, otherwise a fresh range of the
 * xenheap region of vmap, mapped with map_pages_to_xen() and recorded in
 * the page-to-virt arrays so that page_to_virt()/virt_to_page() work.
 * Page tables never come from here (they come from the domheap and are
 * touched through the mapcache), so mapping a xenheap page cannot
 * recurse into the xenheap.
 *
 * Freeing unmaps first (vunmap()): this CPU's TLB is flushed at once and
 * other CPUs' either at once or, with lazy unmapping, before the frames
 * or the address range are handed out again (the TLB-flush clock), so
 * no freed frame stays reachable through its old address.
 */
#include <asm/atomic.h>
#include <asm/config.h>
#include <asm/mm.h>
#include <asm/pg2virt.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/flushtlb.h>
#include <xen/vmap.h>

/* Pages currently allocated as xenheap (xen/mm.h). */
unsigned long xenheap_pages;

static void mark_xenheap(struct page_info *pg, unsigned long n, bool on)
{
    unsigned long i;

    for ( i = 0; i < n; i++ )
    {
        ASSERT(!!(pg[i].count_info & PGC_xen_heap) != on);
        if ( on )
            page_set_flag(&pg[i], PGC_xen_heap);
        else
            page_clear_flag(&pg[i], PGC_xen_heap);
    }
}

/* Maps n frames from mfn into the xenheap region; NULL if out of space. */
static void *map_into_xenheap(mfn_t mfn, unsigned long n)
{
    unsigned long va = (unsigned long)vm_alloc(n, 1, VMAP_XENHEAP), i;

    if ( !va )
        return NULL;
    if ( map_pages_to_xen(va, mfn, n, PAGE_HYPERVISOR_RW) )
        goto fail;
    for ( i = 0; i < n; i++ )
        if ( pg2virt_set(mfn_add(mfn, i), va + (i << PAGE_SHIFT)) )
            goto fail;

    return (void *)va;

 fail:
    for ( i = 0; i < n; i++ )
        pg2virt_set(mfn_add(mfn, i), 0);
    /* Like any unmap: other CPUs may have seen part of it mapped. */
    vunmap((void *)va);
    return NULL;
}

void *alloc_xenheap_pages(unsigned int order, unsigned int memflags)
{
    struct page_info *pg = alloc_domheap_pages(order, memflags);
    unsigned long n = 1UL << order;
    mfn_t mfn;
    void *va;

    if ( !pg )
        return NULL;
    mfn = page_to_mfn(pg);
    mark_xenheap(pg, n, true);

    if ( mfn_in_directmap(mfn_add(mfn, n - 1)) )
        va = mfn_to_virt(mfn);
    else if ( !(va = map_into_xenheap(mfn, n)) )
    {
        mark_xenheap(pg, n, false);
        free_domheap_pages(pg, order);
        return NULL;
    }

    /* Checked when the block is freed. */
    page_set_order(pg, order);
    arch_fetch_and_add(&xenheap_pages, n);
    return va;
}

/*
 * What free_xenheap_pages() is given must be what alloc_xenheap_pages()
 * returned: the head's own permanent address (not a direct-map alias of
 * a block mapped through vmap, whose freeing would skip the vunmap) and
 * the order it was allocated with. Anything else would free the wrong
 * frames or leave some mapped, so it is a BUG in every build.
 */
static void check_free(const void *ptr, const struct page_info *pg,
                       unsigned int order)
{
    const char *why = NULL;

    if ( ((unsigned long)ptr & ~PAGE_MASK) || !mfn_valid(page_to_mfn(pg)) )
        why = "not a page-aligned RAM address";
    else if ( !(pg->count_info & PGC_xen_heap) )
        why = "not a xenheap page";
    else if ( page_to_virt(pg) != ptr )
        why = "not the block's xenheap address (an alias?)";
    else if ( page_get_order(pg) != order )
        why = "order differs from the allocation's";
    if ( likely(!why) )
        return;
    printk(XENLOG_ERR "free_xenheap_pages(%p, %u): %s\n", ptr, order, why);
    BUG();
}

void free_xenheap_pages(void *ptr, unsigned int order)
{
    unsigned long va = (unsigned long)ptr, n = 1UL << order, i;
    struct page_info *pg;
    mfn_t mfn;

    if ( !ptr )
        return;
    mfn = virt_to_mfn(ptr);
    pg = mfn_to_page(mfn);
    check_free(ptr, pg, order);

    if ( va >= XENHEAP_VIRT_START && va < XENHEAP_VIRT_END )
    {
        for ( i = 0; i < n; i++ )
            pg2virt_set(mfn_add(mfn, i), 0);
        /* Remote TLBs: flushed now, or lazily with the frames stamped. */
        vunmap(ptr);
    }

    mark_xenheap(pg, n, false);
    arch_fetch_and_add(&xenheap_pages, -n);
    free_domheap_pages(pg, order);
}
