/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-domain area: L4 slot 260 of a guest's page tables, private to
 * that domain (asm/l4-slots.h). It holds mappings that must be reachable
 * through the hypervisor's segment machinery while the guest runs, so
 * they cannot wait for a mapcache slot: each vCPU's GDT and LDT
 * (asm/domain.h has the layout).
 *
 * The tables come from the heap and are touched only through
 * map_domain_page(); the domain's L3 is made with the domain and lives
 * until it is destroyed, and the L2/L1 tables under it are made on
 * first use. A mapping changes only for a vCPU that is not running
 * elsewhere (its own CPU, or nobody), so a local INVLPG keeps it
 * coherent; all of it goes at domain destruction, when no CPU runs the
 * domain's page tables any more.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <asm/page.h>
#include <asm/perdomain.h>

#define TABLE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)

static mfn_t alloc_perdomain_table(void)
{
    struct page_info *pg = alloc_domheap_page(0);

    if ( !pg )
        return INVALID_MFN;
    page_set_flag(pg, PGC_pagetable);
    return page_to_mfn(pg); /* the heap zeroes what it hands out */
}

static void free_perdomain_table(mfn_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    page_clear_flag(pg, PGC_pagetable);
    free_domheap_page(pg);
}

int perdomain_init(struct domain *d)
{
    d->arch.perdomain_l3 = alloc_perdomain_table();
    return mfn_eq(d->arch.perdomain_l3, INVALID_MFN) ? -ENOMEM : 0;
}

/*
 * The table below entry idx of the mapped table t, made if absent.
 * INVALID_MFN when out of memory.
 */
static mfn_t next_table(pgentry_t *t, unsigned int idx)
{
    mfn_t mfn;

    if ( t[idx] & _PAGE_PRESENT )
        return maddr_to_mfn(t[idx] & PTE_ADDR_MASK);
    mfn = alloc_perdomain_table();
    if ( !mfn_eq(mfn, INVALID_MFN) )
        t[idx] = mfn_to_maddr(mfn) | TABLE_FLAGS;

    return mfn;
}

/* The L1 table covering va in d's area, made if absent. */
mfn_t perdomain_l1(struct domain *d, unsigned long va)
{
    pgentry_t *t;
    mfn_t l2;

    ASSERT(va >= PERDOMAIN_VIRT_START && va < PERDOMAIN_VIRT_END);
    t = map_domain_page(d->arch.perdomain_l3);
    l2 = next_table(t, l3_table_offset(va));
    unmap_domain_page(t);
    if ( mfn_eq(l2, INVALID_MFN) )
        return l2;

    t = map_domain_page(l2);
    l2 = next_table(t, l2_table_offset(va));
    unmap_domain_page(t);

    return l2;
}

void perdomain_set_l1e(mfn_t l1, unsigned long va, pgentry_t e)
{
    pgentry_t *t = map_domain_page(l1);

    write_atomic(&t[l1_table_offset(va)], e);
    unmap_domain_page(t);
    invlpg((void *)va);
}

void perdomain_teardown(struct domain *d)
{
    pgentry_t *l3, *l2;
    unsigned int i, j;

    if ( mfn_eq(d->arch.perdomain_l3, INVALID_MFN) ||
         !mfn_x(d->arch.perdomain_l3) )
        return;

    l3 = map_domain_page(d->arch.perdomain_l3);
    for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
    {
        mfn_t l2mfn;

        if ( !(l3[i] & _PAGE_PRESENT) )
            continue;
        l2mfn = maddr_to_mfn(l3[i] & PTE_ADDR_MASK);
        l2 = map_domain_page(l2mfn);
        for ( j = 0; j < PAGETABLE_ENTRIES; j++ )
            if ( l2[j] & _PAGE_PRESENT )
                free_perdomain_table(maddr_to_mfn(l2[j] & PTE_ADDR_MASK));
        unmap_domain_page(l2);
        free_perdomain_table(l2mfn);
    }
    unmap_domain_page(l3);
    free_perdomain_table(d->arch.perdomain_l3);
    d->arch.perdomain_l3 = INVALID_MFN;
}
