/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Mappings on top of the vmap address allocator: vmap()/vunmap(),
 * vmalloc()/vfree(), ioremap() and global domain mappings. The contracts
 * are in xen/vmap.h; TLB rules in vmap-purge.c.
 */
#include <asm/config.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/pg2virt.h>
#include <xen/domain_page.h>
#include <xen/flushtlb.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/string.h>
#include <xen/vmap.h>

#include "vmap-priv.h"

/*
 * Unmaps [s, e) and, when eager, flushes every TLB. With stamp, the
 * frames are stamped as their leaves go: they may still be in other
 * CPUs' TLBs until the next purge, and their owner may free them at once
 * (vunmap() promises that), so the heap must flush those CPUs before it
 * hands them out again. No superpage crosses s or e (ranges are bounded
 * by unmapped pages, and vfree() cuts only at leaf boundaries), so
 * nothing needs splitting and this cannot run out of memory; if it still
 * fails the range may stay mapped, and the caller must not reuse
 * anything in it.
 */
static int unmap_range(unsigned long s, unsigned long e, bool stamp)
{
    int rc = stamp ? destroy_xen_mappings_stamped(s, e)
                   : destroy_xen_mappings(s, e);

    if ( rc )
    {
        printk(XENLOG_ERR "vmap: unmapping %#lx-%#lx failed (%d); leaking "
               "the range\n", s, e - 1, rc);
        WARN_ON(1);
        return rc;
    }
    if ( !vmap_lazy )
        flush_area_others(s, (e - s) >> PAGE_SHIFT);

    return 0;
}

/*
 * vfree() works in pieces of up to this many runs of contiguous frames,
 * found from the page tables before they are unmapped. Each piece is
 * unmapped (its frames stamped) as a whole before its frames are freed.
 */
#define UNMAP_RUNS 32

struct frame_run {
    mfn_t mfn;
    unsigned long nr;
};

/* The frame mapped at va, and in *left the pages its leaf maps from va. */
static mfn_t mapped_frame(unsigned long va, unsigned long *left)
{
    unsigned int level = 0;
    pgentry_t e = xen_pagetable_lookup(va, &level);
    unsigned long span, idx;

    if ( !(e & _PAGE_PRESENT) || level < 1 || level > 3 )
        return INVALID_MFN;

    span = 1UL << (9 * (level - 1));
    idx = (va >> PAGE_SHIFT) & (span - 1);
    *left = span - idx;

    return mfn_add(maddr_to_mfn(leaf_maddr(e, level)), idx);
}

/*
 * Unmaps up to nr pages from va, makes their frames safe to reuse and
 * frees them (order 0 each, as vmalloc() took them). Pages that are not
 * mapped are skipped (a caller's bug). Returns how many pages it dealt
 * with, or 0 if the unmapping failed (then nothing is freed).
 */
static unsigned long unmap_and_free_some(unsigned long va, unsigned long nr)
{
    struct frame_run runs[UNMAP_RUNS];
    unsigned int n = 0, i;
    unsigned long done = 0, j;

    while ( done < nr && n < UNMAP_RUNS )
    {
        unsigned long left = 1;
        mfn_t mfn = mapped_frame(va + (done << PAGE_SHIFT), &left);

        left = min(left, nr - done);
        if ( mfn_eq(mfn, INVALID_MFN) )
            WARN_ON(1);
        else if ( n && mfn_eq(mfn_add(runs[n - 1].mfn, runs[n - 1].nr), mfn) )
            runs[n - 1].nr += left;
        else
            runs[n++] = (struct frame_run){ mfn, left };
        done += left;
    }

    if ( unmap_range(va, va + (done << PAGE_SHIFT), vmap_lazy) )
        return 0;

    for ( i = 0; i < n; i++ )
        for ( j = 0; j < runs[i].nr; j++ )
            free_domheap_page(mfn_to_page(mfn_add(runs[i].mfn, j)));

    return done;
}

/*
 * Unmaps the first nr pages at va, and frees their frames if free_frames;
 * false if the unmapping failed. Only freeing needs the frames looked up
 * first; a plain unmap stamps them as it clears their leaves.
 */
static bool unmap_pages(unsigned long va, unsigned long nr, bool free_frames)
{
    unsigned long done = 0, n;

    if ( !free_frames )
        return !unmap_range(va, va + (nr << PAGE_SHIFT), vmap_lazy);
    while ( done < nr )
    {
        n = unmap_and_free_some(va + (done << PAGE_SHIFT), nr - done);
        if ( !n )
            return false;
        done += n;
    }

    return true;
}

void *__vmap(const mfn_t *mfn, unsigned int granularity, unsigned int nr,
             unsigned int align, unsigned long flags, enum vmap_region type)
{
    unsigned long total = (unsigned long)granularity * nr, va, cur;
    unsigned long step = (unsigned long)granularity << PAGE_SHIFT;
    unsigned int i;

    if ( !granularity || !nr || total > UINT32_MAX )
        return NULL;

    va = (unsigned long)vm_alloc(total, align, type);
    if ( !va )
        return NULL;

    for ( i = 0, cur = va; i < nr; i++, cur += step )
    {
        if ( map_pages_to_xen(cur, mfn[i], granularity, flags) )
        {
            /* Part of piece i may be mapped too: unmap up to its end. */
            if ( unmap_pages(va, (cur + step - va) >> PAGE_SHIFT, false) )
                vm_release((void *)va);
            return NULL;
        }
    }

    return (void *)va;
}

void *vmap(const mfn_t *mfn, unsigned int nr)
{
    return __vmap(mfn, 1, nr, 1, PAGE_HYPERVISOR, VMAP_DEFAULT);
}

void vunmap(const void *ptr)
{
    unsigned long va = (unsigned long)ptr, nr = 0;

    if ( !ptr )
        return;

    nr = vm_alloc_size(ptr);
    if ( !nr )
    {
        printk(XENLOG_WARNING "vmap: vunmap(%#lx): not a mapping\n", va);
        WARN_ON(1);
        return;
    }

    if ( unmap_pages(va, nr, false) )
        vm_release(ptr);
}

static void *vmalloc_pages(size_t size, bool zero)
{
    unsigned long nr = DIV_ROUND_UP(size, PAGE_SIZE), va, i;
    struct page_info *pg;

    if ( !size || size > (size_t)UINT32_MAX * PAGE_SIZE )
        return NULL;

    va = (unsigned long)vm_alloc(nr, 1, VMAP_DEFAULT);
    if ( !va )
        return NULL;

    for ( i = 0; i < nr; i++ )
    {
        /* Zeroing, if asked for, is done once below through the mapping. */
        pg = alloc_domheap_page(MEMF_no_scrub);
        if ( !pg )
            goto fail;
        if ( map_pages_to_xen(va + (i << PAGE_SHIFT), page_to_mfn(pg), 1,
                              PAGE_HYPERVISOR_RW) )
        {
            free_domheap_page(pg);
            goto fail;
        }
    }

    if ( zero )
        memset((void *)va, 0, nr << PAGE_SHIFT);

    return (void *)va;

 fail:
    if ( unmap_pages(va, i, true) )
        vm_release((void *)va);
    return NULL;
}

void *vmalloc(size_t size)
{
    return vmalloc_pages(size, false);
}

void *vzalloc(size_t size)
{
    return vmalloc_pages(size, true);
}

void vfree(void *ptr)
{
    unsigned long va = (unsigned long)ptr, nr;

    if ( !ptr )
        return;

    nr = vm_size(ptr, VMAP_DEFAULT);
    if ( !nr )
    {
        printk(XENLOG_WARNING "vmap: vfree(%#lx): not a vmalloc() address\n",
               va);
        WARN_ON(1);
        return;
    }

    if ( unmap_pages(va, nr, true) )
        vm_release(ptr);
}

void __iomem *ioremap(paddr_t pa, size_t len)
{
    unsigned long off = pa & ~PAGE_MASK, nr;
    mfn_t mfn = maddr_to_mfn(pa);
    char *va;

    /* Empty, wrapping, or beyond what a page-table entry can address. */
    if ( !len || pa + len - 1 < pa ||
         ((pa + len - 1) & ~(PTE_ADDR_MASK | ~PAGE_MASK)) )
        return NULL;
    nr = DIV_ROUND_UP(off + len, PAGE_SIZE);
    if ( nr > UINT32_MAX )
        return NULL;

    /* One piece of nr contiguous frames: superpages where they fit. */
    va = __vmap(&mfn, nr, 1, 1, PAGE_HYPERVISOR_UC, VMAP_DEFAULT);

    return va ? (void __iomem *)(va + off) : NULL;
}

void iounmap(void __iomem *va)
{
    if ( va )
        vunmap((void *)((unsigned long)va & PAGE_MASK));
}

void *map_domain_page_global(mfn_t mfn)
{
    if ( mfn_in_directmap(mfn) && mfn_has_virt(mfn) )
        return mfn_to_virt(mfn);

    return __vmap(&mfn, 1, 1, 1, PAGE_HYPERVISOR_RW, VMAP_DEFAULT);
}

void unmap_domain_page_global(const void *va)
{
    if ( !va || va_in_directmap((unsigned long)va) )
        return;

    ASSERT(vm_size(va, VMAP_DEFAULT) == 1);
    vunmap(va);
}
