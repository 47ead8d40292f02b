/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The page-to-virt tracking arrays and the conversion helpers; see
 * asm/pg2virt.h for the model.
 */
#include <asm/atomic.h>
#include <asm/config.h>
#include <asm/pg2virt.h>
#include <xen/bitops.h>
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/spinlock.h>

unsigned long directmap_end_mfn;
/* See may_straddle_directmap_end(); set with directmap_end_mfn. */
unsigned long directmap_straddle_mfn;
unsigned long pg2virt_bytes;

extern char __image_start[], __image_end[];

bool mfn_in_image(mfn_t mfn)
{
    paddr_t pa = mfn_to_maddr(mfn);

    return pa >= xen_phys_start &&
           pa < xen_phys_start + (__image_end - __image_start);
}

static bool va_in(unsigned long va, unsigned long s, unsigned long e)
{
    return va >= s && va < e;
}

/*
 * The forward array (pg2virt) is populated at boot for every RAM chunk
 * of the frame table (pg2virt_init()), so any valid frame has its entry.
 * The reverse array (xh2mfn) grows with the xenheap region's use; which
 * of its pages exist is kept in a bitmap (16 KiB for all 512 GiB of the
 * region), so asking costs a bit test rather than a page-table walk.
 */
#define XH2MFN_PAGES \
    (((XENHEAP_VIRT_END - XENHEAP_VIRT_START) >> PAGE_SHIFT) * \
     sizeof(uint32_t) / PAGE_SIZE)
static unsigned long xh2mfn_populated[BITS_TO_LONGS(XH2MFN_PAGES)];

/*
 * Populating a page of the reverse array: check, map, publish, under one
 * lock, or two CPUs first touching the same stretch of the xenheap
 * region would each map a page there and one CPU's entries would be
 * lost. Readers take no lock: the bit is set only once the page is
 * mapped, and never cleared.
 */
static DEFINE_SPINLOCK(xh2mfn_lock);

static bool xh2mfn_page_present(unsigned long idx)
{
    return test_bit(idx * sizeof(uint32_t) / PAGE_SIZE, xh2mfn_populated);
}

static int map_fresh_page(unsigned long va)
{
    struct page_info *pg = alloc_domheap_page(0); /* zeroed: all "none" */

    if ( !pg )
        return -ENOMEM;
    if ( map_pages_to_xen(va, page_to_mfn(pg), 1, PAGE_HYPERVISOR_RW) )
    {
        free_domheap_page(pg);
        return -ENOMEM;
    }
    arch_fetch_and_add(&pg2virt_bytes, PAGE_SIZE);

    return 0;
}

static int xh2mfn_populate(unsigned long idx)
{
    unsigned long pg = idx * sizeof(uint32_t) / PAGE_SIZE, flags;
    int rc = 0;

    if ( xh2mfn_page_present(idx) )
        return 0;

    spin_lock_irqsave(&xh2mfn_lock, flags);
    if ( !xh2mfn_page_present(idx) )
    {
        rc = map_fresh_page((unsigned long)XH2MFN_ARRAY + pg * PAGE_SIZE);
        if ( !rc )
            set_bit(pg, xh2mfn_populated);
    }
    spin_unlock_irqrestore(&xh2mfn_lock, flags);

    return rc;
}

void __init pg2virt_init(mfn_t first, unsigned long nr)
{
    unsigned long s = ROUNDDOWN((unsigned long)&PG2VIRT_ARRAY[mfn_x(first)],
                                PAGE_SIZE);
    unsigned long e = ROUNDUP((unsigned long)&PG2VIRT_ARRAY[mfn_x(first) + nr],
                              PAGE_SIZE);

    for ( ; s < e; s += PAGE_SIZE )
        if ( !xen_pagetable_lookup(s, NULL) && map_fresh_page(s) )
            panic("out of memory for the page-to-virt array");
}

int pg2virt_set(mfn_t mfn, unsigned long va)
{
    uint32_t *fwd = &PG2VIRT_ARRAY[mfn_x(mfn)];
    unsigned long idx;
    int rc;

    ASSERT(mfn_valid(mfn));
    if ( !va )
    {
        if ( *fwd )
            XH2MFN_ARRAY[*fwd - 1] = 0;
        *fwd = 0;
        return 0;
    }

    ASSERT(va_in(va, XENHEAP_VIRT_START, XENHEAP_VIRT_END));
    idx = (va - XENHEAP_VIRT_START) >> PAGE_SHIFT;
    if ( mfn_x(mfn) >= (1UL << 32) )
        return -ERANGE;
    if ( (rc = xh2mfn_populate(idx)) )
        return rc;
    *fwd = idx + 1;
    XH2MFN_ARRAY[idx] = mfn_x(mfn);

    return 0;
}

/* Index + 1 of a xenheap frame's address, 0 if it has none. */
static uint32_t xenheap_index(mfn_t mfn)
{
    const uint32_t *fwd = &PG2VIRT_ARRAY[mfn_x(mfn)];

    if ( mfn_x(mfn) >= (1UL << 32) || !mfn_valid(mfn) ||
         !(mfn_to_page(mfn)->count_info & PGC_xen_heap) )
        return 0;
    return *fwd; /* a xenheap page always has its entry populated */
}

bool mfn_has_virt(mfn_t mfn)
{
    return mfn_in_directmap(mfn) || mfn_in_image(mfn) || xenheap_index(mfn);
}

/*
 * Buddy blocks are aligned to their size, so a xenheap block that begins
 * in the direct map yet reaches past its end (and so is mapped through
 * vmap as a whole) can only start in the last 2^MAX_ORDER frames below
 * the end. Only there may a direct-mapped frame have a different,
 * xenheap, address; it is the one that counts, the direct map's being a
 * mere alias of it.
 */
static bool may_straddle_directmap_end(mfn_t mfn)
{
    return mfn_x(mfn) >= directmap_straddle_mfn;
}

void *mfn_to_virt(mfn_t mfn)
{
    uint32_t idx = 0;

    if ( mfn_in_directmap(mfn) &&
         !(may_straddle_directmap_end(mfn) && (idx = xenheap_index(mfn))) )
        return (void *)(DIRECTMAP_VIRT_START + mfn_to_maddr(mfn));
    if ( mfn_in_image(mfn) )
        return (void *)(XEN_VIRT_START + mfn_to_maddr(mfn) - xen_phys_start);
    if ( idx || (idx = xenheap_index(mfn)) )
        return (void *)(XENHEAP_VIRT_START +
                        ((unsigned long)(idx - 1) << PAGE_SHIFT));

#ifdef CONFIG_DEBUG
    panic("mfn_to_virt(%#lx) from %pS: frame has no permanent mapping "
          "(use map_domain_page())", mfn_x(mfn), __builtin_return_address(0));
#endif
    return NULL;
}

mfn_t virt_to_mfn(const void *ptr)
{
    unsigned long va = (unsigned long)ptr;

    if ( va_in(va, XEN_VIRT_START, (unsigned long)__image_end) )
        return maddr_to_mfn(va - XEN_VIRT_START + xen_phys_start);
    if ( va_in(va, DIRECTMAP_VIRT_START,
               DIRECTMAP_VIRT_START + (directmap_end_mfn << PAGE_SHIFT)) )
        return maddr_to_mfn(va - DIRECTMAP_VIRT_START);
    if ( va_in(va, XENHEAP_VIRT_START, XENHEAP_VIRT_END) )
    {
        const uint32_t *rev =
            &XH2MFN_ARRAY[(va - XENHEAP_VIRT_START) >> PAGE_SHIFT];

        unsigned long idx = (va - XENHEAP_VIRT_START) >> PAGE_SHIFT;

        if ( xh2mfn_page_present(idx) && *rev )
            return _mfn(*rev);
    }

#ifdef CONFIG_DEBUG
    panic("virt_to_mfn(%#lx) from %pS: not an image, direct-map or xenheap "
          "address", va, __builtin_return_address(0));
#endif
    return INVALID_MFN;
}

bool pg2virt_va_populated(unsigned long va)
{
    if ( va >= (unsigned long)XH2MFN_ARRAY && va < PG2VIRT_VIRT_END )
        return xh2mfn_page_present((va - (unsigned long)XH2MFN_ARRAY) /
                                   sizeof(uint32_t));

    /*
     * Forward array: pg2virt_init() backs the pages covering every valid
     * chunk of the frame table, and chunks are whole pages of entries, so
     * a page is backed exactly when the first frame it describes is valid.
     */
    return va >= PG2VIRT_VIRT_START && va < (unsigned long)XH2MFN_ARRAY &&
           mfn_valid(_mfn(ROUNDDOWN(va - PG2VIRT_VIRT_START, PAGE_SIZE) /
                          sizeof(uint32_t)));
}
