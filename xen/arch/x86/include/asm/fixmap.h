/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_FIXMAP_H
#define ASM_X86_FIXMAP_H

/*
 * The fixmap: pages at addresses fixed at build time, one per entry of
 * enum fixed_addresses, at FIXMAP_VIRT_START (asm/config.h).
 *
 * Its one L1 table is in the image and hooked into the bootmap's L2
 * (also in the image), so a fixmap slot works from fixmap_init() on,
 * with no allocator, no mapcache and no vmap behind it: for what must
 * be reachable when those cannot be used, or to bootstrap them (the
 * L1 of a group of mapcache windows before it has an address of its
 * own, say). Everything else uses vmap()/ioremap().
 *
 * The region is in a shared L4 slot, so a fixmap mapping exists in every
 * address space, guests' included, on every CPU. set_fixmap() fills an
 * empty slot (nothing can have cached it: no flush); clear_fixmap()
 * empties it and flushes it on every online CPU. A slot has one user,
 * who serialises its own changes.
 */

#include <asm/config.h>
#include <xen/compiler.h>
#include <xen/mm.h>

enum fixed_addresses {
    FIX_SELFTEST,           /* the fixmap self-test's */
    FIX_NR
};
BUILD_BUG_ON(FIX_NR > FIXMAP_SLOTS);

#define fix_to_virt(idx) \
    ((void *)(FIXMAP_VIRT_START + ((unsigned long)(idx) << PAGE_SHIFT)))

/* Boot CPU, before anything uses a slot: hooks the L1 table in. */
void fixmap_init(void);

/* Maps mfn at slot idx with PAGE_HYPERVISOR_* flags; the slot must be empty. */
void set_fixmap(enum fixed_addresses idx, mfn_t mfn, unsigned long flags);
void clear_fixmap(enum fixed_addresses idx);

#endif /* ASM_X86_FIXMAP_H */
