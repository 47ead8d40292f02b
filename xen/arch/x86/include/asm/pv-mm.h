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
#include <xen/sched.h>
#include <asm/page.h>

struct domain;
struct vcpu;

bool get_page(struct page_info *pg, const struct domain *d);
void put_page(struct page_info *pg);
int get_page_type(struct page_info *pg, unsigned long type);
void put_page_type(struct page_info *pg);
bool get_page_and_type(struct page_info *pg, struct domain *d,
                       unsigned long type);
void put_page_and_type(struct page_info *pg);

/*
 * A type reference on pg if it is a validated page table in use (type
 * count above zero), without ever validating it: its level (1-4), or 0
 * (not a table, or not in use as one, or being (de)validated). Holding
 * it keeps the table validated while one of its entries changes.
 */
unsigned int get_table_type_ref(struct page_info *pg);

/* What one entry of a level's table may hold, with its references. */
int get_page_from_entry(pgentry_t e, unsigned int level, struct domain *d);
void put_page_from_entry(pgentry_t e, unsigned int level);

/*
 * Replaces entry idx of the validated table page (a level-`level`
 * table), on which the caller holds a type reference: the new entry is
 * checked and referenced, the old one's references dropped. -EPERM for
 * the hypervisor's L4 slots. pg_owner (NULL: the table's owner) is the
 * domain whose frames a new L1 entry may map: dom0 mapping a guest's.
 */
int mod_table_entry(struct page_info *table, unsigned int level,
                    unsigned int idx, pgentry_t new, bool preserve_ad,
                    struct domain *pg_owner);

/*
 * As mod_table_entry(), but the old entry's references are left to the
 * caller, with the old entry in *old_out (on success only): for a caller
 * that drops them preemptibly.
 */
int mod_table_entry_keep_old(struct page_info *table, unsigned int level,
                             unsigned int idx, pgentry_t new,
                             bool preserve_ad, struct domain *pg_owner,
                             pgentry_t *old_out);

/*
 * As mod_table_entry(), but only if the entry still holds old: -EAGAIN
 * (nothing changed, nothing referenced) if another writer got there
 * first. For emulated guest writes, which must act on what they read.
 */
int mod_table_entry_cmpxchg(struct page_info *table, unsigned int level,
                            unsigned int idx, pgentry_t old, pgentry_t new);

/*
 * For a caller that may be preempted (a hypercall that can continue),
 * before get_page_type() of pg as a level-`level` table: validates the
 * tables under pg that are not in use yet, bottom-up, each held by a
 * mark (PGT_prevalidated) until pv_release_prevalidated(). 0 when
 * there is nothing (left) to do and no mark of this vCPU's to release;
 * 1 when the rest is done and marks are held: get_page_type() then only
 * counts references below pg, and the caller must call
 * pv_release_prevalidated() after it; -ERESTART after some
 * progress, when the caller should continue later and call this again.
 * Tables that fail validation are left for get_page_type() to report.
 * The caller holds a general reference on pg.
 */
int pv_prevalidate_tree(struct page_info *pg, unsigned int level);

/*
 * After get_page_type() of pg (whether it succeeded or not): takes the
 * marks off the tables under pg, dropping their references, parents
 * after children.
 */
void pv_release_prevalidated(struct page_info *pg, unsigned int level);

/*
 * put_page_type() of a table for a caller that may be preempted: if it
 * was the last type reference of an L2-L4 table, its devalidation (and
 * that of the tables only it used) becomes the current vCPU's, done at
 * once for as long as nothing else wants the CPU. The reference is
 * dropped either way; -ERESTART says some devalidation is left, which
 * pv_devalidation_continue() takes up: the caller's hypercall must
 * continue and call it before anything else. Meanwhile the dying tables
 * refuse every type reference (-EBUSY). At most one devalidation per
 * vCPU: the caller must have none left.
 */
int pv_put_table_preemptible(struct page_info *pg);
int pv_devalidation_continue(void);
/* Inline: mmu_update asks before every entry of its batches. */
static inline bool pv_devalidation_pending(const struct vcpu *v)
{
    return v->arch.dying_depth;
}
/* A dying domain's vCPU: its frames go back whole, the walk with them. */
void pv_devalidation_forget(struct vcpu *v);

#endif /* ASM_X86_PV_MM_H */
