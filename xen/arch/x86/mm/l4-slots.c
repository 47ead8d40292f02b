/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rules of asm/l4-slots.h: which of the hypervisor's L4 slots every
 * address space shares and which each guest has for itself, checked on
 * the idle table at boot and applied to guest L4 tables.
 */
#include <asm/atomic.h>
#include <asm/l4-slots.h>
#include <asm/mm.h>
#include <xen/init.h>
#include <xen/lib.h>

/* The slot numbers of asm/config.h agree with its addresses. */
BUILD_BUG_ON(l4_table_offset(HYPERVISOR_VIRT_START) !=
             ROOT_PAGETABLE_FIRST_XEN_SLOT);
BUILD_BUG_ON(l4_table_offset(HYPERVISOR_VIRT_END - 1) !=
             ROOT_PAGETABLE_LAST_XEN_SLOT);
BUILD_BUG_ON(ROOT_PAGETABLE_XEN_SLOTS != 16);
BUILD_BUG_ON(l4_table_offset(RO_MPT_VIRT_START) != RO_MPT_SLOT);
BUILD_BUG_ON(l4_table_offset(LINEAR_PT_VIRT_START) != LINEAR_PT_SLOT);
BUILD_BUG_ON(l4_table_offset(PERDOMAIN_VIRT_START) != PERDOMAIN_SLOT);
BUILD_BUG_ON(l4_table_offset(PERDOMAIN_VIRT_END - 1) != PERDOMAIN_SLOT);

/* As the hypervisor's own intermediate entries: the leaves decide. */
#define L4_TABLE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)

const char *xen_l4_slots_check(unsigned int *slot)
{
    unsigned int s;

    for ( s = 0; s < PAGETABLE_ENTRIES; s++ )
    {
        pgentry_t e = read_atomic(&idle_pg_table[s]);

        *slot = s;
        if ( l4_slot_is_shared(s) )
        {
            if ( !(e & _PAGE_PRESENT) )
                return "shared slot without an entry";
            if ( s == RO_MPT_SLOT && !(e & _PAGE_USER) )
                return "M2P slot not readable by guests";
            if ( s != RO_MPT_SLOT && (e & _PAGE_USER) )
                return "hypervisor slot readable by guests";
        }
        else if ( e & _PAGE_PRESENT )
            return l4_slot_is_per_guest(s)
                   ? "per-guest slot populated in the idle table"
                   : "guest slot populated in the idle table";
    }

    return NULL;
}

void __init xen_l4_slots_init(void)
{
    const char *bad;
    unsigned int slot;

    /*
     * The entry is copied into guests as it is, and access needs U at
     * every level: what the M2P code maps below decides what they see.
     * No AP has copied the idle table's entries yet.
     */
    idle_pg_table[RO_MPT_SLOT] |= _PAGE_USER;

    bad = xen_l4_slots_check(&slot);
    if ( bad )
        panic("idle L4 slot %u: %s", slot, bad);
}

void init_xen_l4_slots(pgentry_t *l4t, mfn_t perdomain_l3, mfn_t self)
{
    unsigned int slot;

    for ( slot = ROOT_PAGETABLE_FIRST_XEN_SLOT;
          slot <= ROOT_PAGETABLE_LAST_XEN_SLOT; slot++ )
        l4t[slot] = l4_slot_is_shared(slot) ? read_atomic(&idle_pg_table[slot])
                                            : 0;
    if ( !mfn_eq(perdomain_l3, INVALID_MFN) )
        l4t[PERDOMAIN_SLOT] = mfn_to_maddr(perdomain_l3) | L4_TABLE_FLAGS;
    if ( !mfn_eq(self, INVALID_MFN) )
        l4t[LINEAR_PT_SLOT] = mfn_to_maddr(self) | LINEAR_PT_FLAGS;
}
