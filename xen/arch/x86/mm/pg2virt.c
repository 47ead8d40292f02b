/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The page-to-virt tracking arrays and the conversion helpers; see
 * asm/pg2virt.h for the model.
 */
#include <asm/config.h>
#include <asm/pg2virt.h>
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/lib.h>

unsigned long directmap_end_mfn;
unsigned long pg2virt_bytes;

extern char __image_start[], __image_end[];

static bool mfn_in_image(mfn_t mfn)
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
 * Makes sure the array page holding entry p exists. Entries read from a
 * page never populated would fault, so readers check populated() first.
 */
static bool populated(const uint32_t *p)
{
    return xen_pagetable_lookup((unsigned long)p & PAGE_MASK, NULL) != 0;
}

static int populate(uint32_t *p)
{
    struct page_info *pg;

    if ( populated(p) )
        return 0;
    pg = alloc_domheap_page(0); /* zeroed: all entries "none" */
    if ( !pg )
        return -ENOMEM;
    if ( map_pages_to_xen((unsigned long)p & PAGE_MASK, page_to_mfn(pg), 1,
                          PAGE_HYPERVISOR_RW) )
    {
        free_domheap_page(pg);
        return -ENOMEM;
    }
    pg2virt_bytes += PAGE_SIZE;

    return 0;
}

int pg2virt_set(mfn_t mfn, unsigned long va)
{
    uint32_t *fwd = &PG2VIRT_ARRAY[mfn_x(mfn)];
    unsigned long idx;
    int rc;

    if ( !va )
    {
        if ( populated(fwd) && *fwd )
            XH2MFN_ARRAY[*fwd - 1] = 0;
        if ( populated(fwd) )
            *fwd = 0;
        return 0;
    }

    ASSERT(va_in(va, XENHEAP_VIRT_START, XENHEAP_VIRT_END));
    idx = (va - XENHEAP_VIRT_START) >> PAGE_SHIFT;
    if ( mfn_x(mfn) >= (1UL << 32) )
        return -ERANGE;
    if ( (rc = populate(fwd)) || (rc = populate(&XH2MFN_ARRAY[idx])) )
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

void *mfn_to_virt(mfn_t mfn)
{
    uint32_t idx;

    if ( mfn_in_directmap(mfn) )
        return (void *)(DIRECTMAP_VIRT_START + mfn_to_maddr(mfn));
    if ( mfn_in_image(mfn) )
        return (void *)(XEN_VIRT_START + mfn_to_maddr(mfn) - xen_phys_start);
    if ( (idx = xenheap_index(mfn)) )
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

        /*
         * Every address the xenheap handed out has its entry; checking
         * that the array page exists costs a walk, so only debug builds
         * do, to catch a stray pointer instead of faulting on it.
         */
        if ( !IS_ENABLED(CONFIG_DEBUG) || (populated(rev) && *rev) )
            return _mfn(*rev);
    }

#ifdef CONFIG_DEBUG
    panic("virt_to_mfn(%#lx) from %pS: not an image, direct-map or xenheap "
          "address", va, __builtin_return_address(0));
#endif
    return INVALID_MFN;
}
