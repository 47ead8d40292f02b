/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Letting go of a dying PV domain's page tables.
 *
 * release_domain_pages() gives the domain's frames back whole, clearing
 * every count: references its tables hold on its own frames need no
 * undoing, whatever state the guest left them in (pinned or not, cyclic
 * or not). What must be undone are the references its tables hold on
 * frames of other domains (dom0 mapping a guest's frames, grant
 * mappings), which would otherwise keep those frames allocated forever.
 */
#include <xen/domain_page.h>
#include <xen/sched.h>
#include <asm/l4-slots.h>
#include <asm/page-owner.h>
#include <asm/pv-mm.h>
#include <asm/pv.h>

void pv_vcpu_release_tables(struct vcpu *v)
{
    v->arch.guest_table = INVALID_MFN;
    v->arch.guest_table_user = INVALID_MFN;
    pv_devalidation_forget(v);
}

/* The level of a validated, in-use table page, or 0. */
static unsigned int live_table_level(const struct page_info *pg)
{
    unsigned long t = read_atomic(&pg->type_info);

    if ( !(t & PGT_validated) || !(t & PGT_count_mask) ||
         (t & PGT_type_mask) < PGT_l1_page_table ||
         (t & PGT_type_mask) > PGT_l4_page_table )
        return 0;
    return (t & PGT_type_mask) >> PGT_type_shift;
}

static bool frame_of_other(pgentry_t e, const struct domain *d)
{
    mfn_t mfn = maddr_to_mfn(e & PTE_ADDR_MASK);
    const struct page_info *pg;

    if ( !(e & _PAGE_PRESENT) || !mfn_valid(mfn) )
        return false;
    pg = mfn_to_page(mfn);
    return (pg->count_info & PGC_state_mask) != PGC_state_offline &&
           page_get_owner(pg) != d;
}

unsigned long pv_drop_foreign_refs(struct domain *d)
{
    struct page_info *pg;
    unsigned long dropped = 0;

    ASSERT(d->is_dying);
    spin_lock(&d->page_alloc_lock);
    page_list_for_each ( pg, &d->page_list )
    {
        unsigned int level = live_table_level(pg), i;
        pgentry_t *t;

        if ( !level )
            continue;
        t = map_domain_page(page_to_mfn(pg));
        for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
        {
            if ( level == 4 && i >= ROOT_PAGETABLE_FIRST_XEN_SLOT &&
                 i <= ROOT_PAGETABLE_LAST_XEN_SLOT )
                continue;
            if ( !frame_of_other(t[i], d) )
                continue;
            put_page_from_entry(t[i], level);
            t[i] = 0;
            dropped++;
        }
        unmap_domain_page(t);
    }
    spin_unlock(&d->page_alloc_lock);

    return dropped;
}
