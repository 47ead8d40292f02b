/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copies to and from a PV guest's virtual addresses (asm/guest_access.h
 * has the contract): a walk of the vCPU's active page tables, one
 * mapcache slot per level, then one for the page itself.
 *
 * Known gap, for the page-reference work: the frame is not referenced
 * while it is copied, so another vCPU of the same guest could unmap and
 * give it back in between; only a guest's own memory is at stake, and
 * only through a hypercall racing its own page-table change.
 */
#include <xen/domain_page.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/guest_access.h>
#include <asm/page.h>
#include <asm/pv.h>

/* The frame behind va for v, as the guest could reach it; or invalid. */
mfn_t guest_va_to_mfn(const struct vcpu *v, unsigned long va, bool write)
{
    static const unsigned int shift[] = { 0, PAGE_SHIFT, L2_PAGE_SHIFT,
                                          L3_PAGE_SHIFT, L4_PAGE_SHIFT };
    mfn_t mfn = pv_active_root(v);
    unsigned int level;

    if ( !is_canonical_address(va) ||
         (va >= HYPERVISOR_VIRT_START && va < HYPERVISOR_VIRT_END) ||
         mfn_eq(mfn, INVALID_MFN) )
        return INVALID_MFN;

    for ( level = 4; level >= 1; level-- )
    {
        const pgentry_t *t = map_domain_page(mfn);
        pgentry_t e = read_atomic(&t[(va >> shift[level]) & 511]);

        unmap_domain_page(t);
        if ( !(e & _PAGE_PRESENT) || !(e & _PAGE_USER) ||
             (write && !(e & _PAGE_RW)) )
            return INVALID_MFN;
        /* PV guests get no superpages (validation refuses PSE). */
        if ( level > 1 && (e & _PAGE_PSE) )
            return INVALID_MFN;
        mfn = maddr_to_mfn(e & PTE_ADDR_MASK);
    }

    /* dom0 may map I/O frames, even past the physical address width. */
    return mfn_valid(mfn) ? mfn : INVALID_MFN;
}

/* Calls fn on each page-sized piece of [va, va + len); bytes left. */
static unsigned long for_each_guest_piece(unsigned long va, unsigned long len,
                                          bool write,
                                          void (*fn)(void *p, size_t n,
                                                     void *arg),
                                          void *arg)
{
    const struct vcpu *v = current;

    if ( va + len < va )
        return len;

    while ( len )
    {
        unsigned long off = va & ~PAGE_MASK;
        unsigned long n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
        mfn_t mfn = guest_va_to_mfn(v, va, write);
        char *p;

        if ( mfn_eq(mfn, INVALID_MFN) )
            return len;
        p = map_domain_page(mfn);
        fn(p + off, n, arg);
        unmap_domain_page(p);
        va += n;
        len -= n;
    }

    return 0;
}

static void piece_from(void *p, size_t n, void *arg)
{
    char **dst = arg;

    memcpy(*dst, p, n);
    *dst += n;
}

static void piece_to(void *p, size_t n, void *arg)
{
    const char **src = arg;

    memcpy(p, *src, n);
    *src += n;
}

static void piece_clear(void *p, size_t n, void *arg)
{
    memset(p, 0, n);
}

unsigned long copy_from_guest_va(void *dst, unsigned long src,
                                 unsigned long len)
{
    char *d = dst;

    return for_each_guest_piece(src, len, false, piece_from, &d);
}

unsigned long copy_to_guest_va(unsigned long dst, const void *src,
                               unsigned long len)
{
    const char *s = src;

    return for_each_guest_piece(dst, len, true, piece_to, &s);
}

unsigned long clear_guest_va(unsigned long dst, unsigned long len)
{
    return for_each_guest_piece(dst, len, true, piece_clear, NULL);
}
