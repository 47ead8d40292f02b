/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_L4_SLOTS_H
#define ASM_X86_L4_SLOTS_H

/*
 * The hypervisor's L4 slots (256-271) in the idle page tables and in
 * every PV guest's L4 table. docs/designs/pv-readiness.md says why.
 *
 * Shared slots (256, 257, 261-271): the idle table's entry is made once
 * at boot and never changes, and every guest L4 carries a copy of it.
 * So a mapping under a shared slot is in every address space at once,
 * and map_pages_to_xen() may only ever map there.
 *
 * Per-guest slots (258-260): the idle table has no entry; each guest's
 * L4 has its own, or none:
 *   258  linear page table: the L4 itself, read-only and for the
 *        hypervisor only (no _PAGE_USER, no _PAGE_RW), so that the
 *        entries of the tables the CPU runs on can be read at fixed
 *        addresses (pv/guest-access.c). Only the running guest's own
 *        tables are reached that way, never the hypervisor's, and
 *        never written; the software walk through map_domain_page()
 *        stays the authority, this is its shortcut;
 *   259  reserved, empty;
 *   260  the guest's per-domain area (descriptor tables and the like):
 *        the entry points at the domain's own L3.
 *
 * Slot 256 holds the read-only M2P that guests read, so its L4 entry
 * carries _PAGE_USER (set here at boot); the tables and leaves under it
 * must carry it too. No other hypervisor entry ever does.
 */

#include <asm/config.h>
#include <asm/page.h>
#include <xen/mm.h>

static inline bool l4_slot_is_per_guest(unsigned int slot)
{
    return slot >= ROOT_PAGETABLE_FIRST_PERGUEST_SLOT &&
           slot <= ROOT_PAGETABLE_LAST_PERGUEST_SLOT;
}

/* Copied from the idle table into every guest L4. */
static inline bool l4_slot_is_shared(unsigned int slot)
{
    return slot >= ROOT_PAGETABLE_FIRST_XEN_SLOT &&
           slot <= ROOT_PAGETABLE_LAST_XEN_SLOT &&
           !l4_slot_is_per_guest(slot);
}

/*
 * Boot CPU, right after xen_pagetables_init(): makes slot 256 readable
 * by guests and checks the idle L4 against the rules above (a panic
 * names the first slot that breaks them).
 */
void xen_l4_slots_init(void);

/*
 * Checks the live idle L4 against the rules: NULL if it keeps them, else
 * what is wrong, with the slot in *slot.
 */
const char *xen_l4_slots_check(unsigned int *slot);

/* The linear slot's entry: present, supervisor, read-only. */
#define LINEAR_PT_FLAGS (_PAGE_PRESENT | _PAGE_ACCESSED)

/*
 * Fills the hypervisor's slots of a guest L4 table l4t (mapped by the
 * caller; its own frame is self): the shared entries copied from the
 * idle table, the per-domain entry pointing at perdomain_l3
 * (INVALID_MFN: none), the linear slot pointing at self (INVALID_MFN:
 * none), slot 259 empty. The guest's own slots are left alone.
 */
void init_xen_l4_slots(pgentry_t *l4t, mfn_t perdomain_l3, mfn_t self);

#endif /* ASM_X86_L4_SLOTS_H */
