/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant mappings in a PV guest's page tables: the one path that puts a
 * frame the guest does not own into one of its L1 tables
 * (xen/grant_table.h has the rules).
 *
 * mmu_update, update_va_mapping and the emulated PTE writes still refuse
 * such frames (get_page_from_entry() checks the owner); this file writes
 * the entry itself, having taken the same references an L1 entry holds
 * (the frame's general reference, and its writable type for a writable
 * mapping) from the granting domain. From then on the PTE is like any
 * other: if the guest overwrites it, or its L1 is devalidated, those
 * references are dropped there, and the grant's unmap later finds the
 * slot no longer mapping the frame and fails, as Xen's does. Counts
 * stay exact either way, because only a PTE that is still there is
 * cleared and put here.
 *
 * The L1 is reached through map_domain_page() and held, while its entry
 * changes, by a type reference taken only if it is an L1 in use
 * (get_table_type_ref()): a stale slot never turns a data frame into
 * a page table, nor writes into one.
 */
#include <xen/domain_page.h>
#include <xen/flushtlb.h>
#include <xen/grant_table.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/page-owner.h>
#include <asm/pg2virt.h>
#include <asm/pv-mm.h>
#include <asm/pv.h>
#include <public/grant_table.h>

/* What a host mapping's PTE carries besides the frame and RW (as Xen). */
#define GRANT_PTE_FLAGS (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | \
                         _PAGE_DIRTY | _PAGE_NX)

/* The L1 page of slot, referenced as an L1 in use by d; or NULL. */
static struct page_info *get_slot_table(struct domain *d,
                                        const struct grant_pte_slot *slot)
{
    struct page_info *pg;

    if ( !mfn_valid(slot->l1) || slot->idx >= PAGETABLE_ENTRIES )
        return NULL;
    pg = mfn_to_page(slot->l1);
    if ( !get_page(pg, d) )
        return NULL;
    switch ( get_table_type_ref(pg) )
    {
    case 1:
        break;
    case 0:
        put_page(pg);
        return NULL;
    default:
        put_page_and_type(pg);
        return NULL;
    }

    return pg;
}

static void put_slot_table(struct page_info *pg)
{
    put_page_type(pg);
    put_page(pg);
}

int grant_pte_slot_find(struct vcpu *v, uint64_t addr, unsigned int flags,
                        struct grant_pte_slot *slot)
{
    static const unsigned int shift[] = { L4_PAGE_SHIFT, L3_PAGE_SHIFT,
                                          L2_PAGE_SHIFT };
    mfn_t mfn;
    unsigned int i;

    if ( flags & GNTMAP_contains_pte )
    {
        if ( addr & (sizeof(pgentry_t) - 1) )
            return GNTST_general_error;
        slot->l1 = maddr_to_mfn(addr);
        slot->idx = (addr & ~PAGE_MASK) / sizeof(pgentry_t);
        return 0;
    }

    if ( !pv_guest_address_ok(addr) )
        return GNTST_general_error;
    /*
     * Entries are read without references: whatever L1 this finds is
     * checked (owner, type in use) before it is written.
     */
    mfn = pv_active_root(v);
    for ( i = 0; i < 3; i++ )
    {
        const pgentry_t *t = map_domain_page(mfn);
        pgentry_t e = read_atomic(&t[(addr >> shift[i]) & 511]);

        unmap_domain_page(t);
        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) )
            return GNTST_general_error;
        mfn = maddr_to_mfn(e & PTE_ADDR_MASK);
    }
    slot->l1 = mfn;
    slot->idx = l1_table_offset(addr);

    return 0;
}

int grant_host_map(struct domain *d, const struct grant_pte_slot *slot,
                   struct page_info *pg, struct domain *owner, bool readonly)
{
    struct page_info *l1 = get_slot_table(d, slot);
    pgentry_t new, old, *t;

    if ( !l1 )
        return GNTST_general_error;
    if ( readonly ? !get_page(pg, owner)
                  : !get_page_and_type(pg, owner, PGT_writable_page) )
    {
        put_slot_table(l1);
        return GNTST_general_error;
    }

    new = mfn_to_maddr(page_to_mfn(pg)) | GRANT_PTE_FLAGS |
          (readonly ? 0 : _PAGE_RW);
    t = map_domain_page(slot->l1);
    old = xchg(&t[slot->idx], new);
    unmap_domain_page(t);
    /*
     * Whatever was there is replaced, as Xen does; flushing a mapping
     * the guest had there is the guest's business, as for any PTE.
     */
    put_page_from_entry(old, 1);
    put_slot_table(l1);

    return GNTST_okay;
}

int grant_host_unmap(struct domain *d, const struct grant_pte_slot *slot,
                     unsigned long va, mfn_t frame, bool readonly)
{
    struct page_info *l1 = get_slot_table(d, slot);
    pgentry_t old, seen, *t;
    int rc = GNTST_okay;

    if ( !l1 )
        return GNTST_general_error;

    t = map_domain_page(slot->l1);
    seen = read_atomic(&t[slot->idx]);
    do {
        old = seen;
        if ( !(old & _PAGE_PRESENT) ||
             (old & PTE_ADDR_MASK) != mfn_to_maddr(frame) ||
             !(old & _PAGE_RW) != readonly )
        {
            rc = GNTST_general_error;
            break;
        }
        /* The CPU may be setting A/D meanwhile: retry on what it wrote. */
    } while ( (seen = cmpxchg(&t[slot->idx], old, 0)) != old );
    unmap_domain_page(t);

    if ( rc == GNTST_okay )
    {
        /*
         * No CPU may still reach the frame through this mapping once the
         * grant can be taken back: flush before the references go.
         */
        if ( va == GRANT_VA_UNKNOWN )
            flush_tlb_all();
        else
            flush_area_mask(&cpu_online_map, va, 1);
        put_page_from_entry(old, 1);
    }
    put_slot_table(l1);

    return rc;
}
