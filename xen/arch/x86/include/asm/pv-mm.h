/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_PV_MM_H
#define ASM_X86_PV_MM_H

/*
 * References to guest frames (xen/arch/x86/pv/mm.c has the model).
 *
 * get_page(): a general reference on a frame d owns; false if d does not
 * own it or it is not in use. get_page_type(): a reference of a type
 * (PGT_writable_page, PGT_l1..l4_page_table, PGT_seg_desc_page); 0, or
 * -EINVAL if the frame is in use as another type or fails validation.
 * Every get is undone by the matching put; the last put of a table type
 * drops what its entries hold, the last general put of a frame its
 * owner gave up frees it.
 */

#include <xen/mm.h>
#include <asm/page.h>

struct domain;

bool get_page(struct page_info *pg, const struct domain *d);
void put_page(struct page_info *pg);
int get_page_type(struct page_info *pg, unsigned long type);
void put_page_type(struct page_info *pg);
bool get_page_and_type(struct page_info *pg, struct domain *d,
                       unsigned long type);
void put_page_and_type(struct page_info *pg);

/*
 * A type reference only if pg already holds type, validated and counted
 * (no validation, no type change); false otherwise. Undone by
 * put_page_type().
 */
bool get_page_type_in_use(struct page_info *pg, unsigned long type);

/* What one entry of a level's table may hold, with its references. */
int get_page_from_entry(pgentry_t e, unsigned int level, struct domain *d);
void put_page_from_entry(pgentry_t e, unsigned int level);

/*
 * Replaces entry idx of the validated table page (a level-`level`
 * table): the new entry is checked and referenced, the old one's
 * references dropped. -EPERM for the hypervisor's L4 slots.
 */
int mod_table_entry(struct page_info *table, unsigned int level,
                    unsigned int idx, pgentry_t new, bool preserve_ad);

/*
 * As mod_table_entry(), but only if the entry still holds old: -EAGAIN
 * (nothing changed, nothing referenced) if another writer got there
 * first. For emulated guest writes, which must act on what they read.
 */
int mod_table_entry_cmpxchg(struct page_info *table, unsigned int level,
                            unsigned int idx, pgentry_t old, pgentry_t new);

#endif /* ASM_X86_PV_MM_H */
