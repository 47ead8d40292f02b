/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_GRANT_TABLE_H
#define XEN_GRANT_TABLE_H

/*
 * Grant tables, version 1 (xen/common/grant_table.c; the PV page-table
 * side is xen/arch/x86/pv/grant-map.c; docs/designs/grant-tables.md).
 *
 * Each domain has a grant table: frames of grant_entry_v1 it writes
 * itself (xenheap pages shared with it, like shared_info), read by the
 * hypervisor through the xenheap's global mapping, and a private
 * active entry per grant saying who maps it and how often. A domain
 * that maps another's grant gets a handle: an entry of its own
 * maptrack, which remembers the grant and where the mapping went.
 *
 * Invariants:
 *  - A grant with any mapping or copy in progress is "pinned": its
 *    active entry records the mapping domain and the frame (read once,
 *    at the first pin), holds one general reference on that frame, and
 *    the granter's entry has GTF_reading set (and GTF_writing while a
 *    writable use exists). The hypervisor sets and clears these bits
 *    from its own counts, so a granter that cmpxchg()s its flags to 0
 *    fails while the grant is in use.
 *  - A host mapping's PTE holds exactly what any L1 entry holds: a
 *    general reference on the frame, and its writable type if the
 *    mapping is writable. Whoever removes the PTE (unmap_grant_ref, the
 *    guest overwriting it, devalidation of its L1 table, teardown)
 *    drops them, once.
 *  - A device mapping's references (the same two) belong to its
 *    maptrack entry.
 *  - A maptrack entry in use holds a domain reference on the granter,
 *    so the granter's grant table outlives every mapping of it.
 *
 * Locks: a table's maptrack_lock (the mapping domain's) is taken before
 * any table's lock (the granting domain's); never the other way.
 */

#include <xen/mm.h>
#include <xen/types.h>

struct domain;
struct page_info;
struct vcpu;

/* Frames a domain's table may grow to (GNTTABOP_setup_table). */
#define GNTTAB_MAX_FRAMES       32
/* Frames a new table has (as Xen: one). */
#define GNTTAB_INITIAL_FRAMES   1

/* Domain life cycle (xen/common/domain.c). */
int grant_table_init(struct domain *d);
/*
 * domain_kill(), before the domain's page tables and pages go: every
 * mapping d holds is undone (PTEs cleared, references dropped, the
 * granters' status bits cleared, its maptrack emptied).
 */
void grant_table_release_mappings(struct domain *d);
/* The last put_domain(): the table's frames back to the heap. */
void grant_table_destroy(struct domain *d);

/* Hypercall 20 (cmd GNTTABOP_*, uop a guest array of count ops). */
long do_grant_table_op(unsigned long cmd, unsigned long uop,
                       unsigned long count);

/* ---- the architecture's part (xen/arch/x86/pv/grant-map.c) ---- */

/* Where a host mapping's PTE lives: an entry of one of the mapper's L1s. */
struct grant_pte_slot {
    mfn_t l1;
    unsigned int idx;
};

/*
 * The PTE slot a host mapping at addr would use in v's current tables:
 * addr is a guest linear address, or with GNTMAP_contains_pte the
 * machine address of the L1 entry itself. 0 or GNTST_general_error.
 */
int grant_pte_slot_find(struct vcpu *v, uint64_t addr, unsigned int flags,
                        struct grant_pte_slot *slot);

/*
 * Installs a mapping of pg (owned by owner) in slot, read-only or
 * writable, taking the PTE's references; whatever the slot held is
 * replaced and its references dropped. GNTST_okay, or
 * GNTST_general_error (the slot's page is no longer one of d's L1s in
 * use, the frame cannot be referenced or made writable).
 */
int grant_host_map(struct domain *d, const struct grant_pte_slot *slot,
                   struct page_info *pg, struct domain *owner, bool readonly);

/* What a host mapping made through a PTE's machine address is flushed by. */
#define GRANT_VA_UNKNOWN (~0UL)

/*
 * Clears slot if it still maps frame (with the same RW bit), flushes the
 * address va (all of the TLB for GRANT_VA_UNKNOWN) on every CPU, then
 * drops the PTE's references.
 * GNTST_okay, or GNTST_general_error if it no longer maps the frame
 * (the guest replaced the PTE: its references went with it).
 */
int grant_host_unmap(struct domain *d, const struct grant_pte_slot *slot,
                     unsigned long va, mfn_t frame, bool readonly);

/*
 * At rd's death, before its frames go back to the heap: the mappings
 * other domains hold of its grants are taken from them. Returns how many.
 */
unsigned int grant_table_revoke_foreign_maps(struct domain *rd);

/*
 * For the page audit (pv/domain-audit.c): the references grant tables
 * hold on d's frames. grant_audit_active(): one general reference per
 * grant of d in use; grant_audit_device_maps(): the device mappings
 * mapper holds of d's grants (general, and writable type unless
 * read-only). The PTEs of host mappings are counted with the tables.
 */
typedef void (*grant_audit_hold_t)(void *arg, mfn_t mfn, bool type_ref);
void grant_audit_active(struct domain *d, grant_audit_hold_t hold, void *arg);
void grant_audit_device_maps(struct domain *mapper, const struct domain *d,
                             grant_audit_hold_t hold, void *arg);

#endif /* XEN_GRANT_TABLE_H */
