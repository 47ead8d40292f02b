/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Validation of a whole new page-table tree, in pieces a hypercall can
 * be preempted between (asm/pv-mm.h has the API).
 *
 * get_page_type() validates a table by validating, in one go, every
 * table under it that is not in use yet: a fresh L4 over a gigabyte of
 * mappings is hundreds of L1 tables, tens of millions of instructions.
 * Rather than make that recursion resumable in the middle of a table,
 * the tree is validated bottom-up first, one sub-table at a time: each
 * sub-table that comes out validated is held by a reference of its own,
 * marked PGT_prevalidated on the page, so that it stays validated while
 * the hypercall is away. Between two sub-tables the hypercall may be
 * preempted; the guest re-enters it with the same arguments, the scan
 * starts again from the top, skips what is already in use and goes on.
 * When nothing is left to do, get_page_type() on the top finds every
 * sub-table in use and only counts references; then the marks come off
 * again, top-down, so that no sub-table ever loses its last reference
 * while its parent still needs it.
 *
 * The unit of work is one table's own entries (an L1: 512 references),
 * so a hypercall holds its CPU for one table at most between checks.
 *
 * A mark is a reference like a pin: the page audit counts it, and a
 * dying domain's pages go back whole whatever marks are left. A guest
 * that abandons a preempted pin (it never re-enters the hypercall), or
 * rewrites the top table's entries in between, can leave marks behind
 * on its own pages; they keep those pages typed as tables until the
 * domain dies, which only harms the guest that did it.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/config.h>
#include <asm/page-owner.h>
#include <asm/pv-mm.h>

static unsigned long table_type(unsigned int level)
{
    return (unsigned long)level << PGT_type_shift;
}

/* Validated, in use, of this type, and not in the middle of a change. */
static bool in_use_as(const struct page_info *pg, unsigned long type)
{
    unsigned long x = read_atomic(&pg->type_info);

    return (x & PGT_type_mask) == type && (x & PGT_validated) &&
           (x & PGT_count_mask) && !(x & PGT_locked);
}

static struct page_info *entry_frame(pgentry_t e)
{
    mfn_t mfn = maddr_to_mfn(e & PTE_ADDR_MASK);

    return (e & _PAGE_PRESENT) && mfn_valid(mfn) ? mfn_to_page(mfn) : NULL;
}

static bool hypervisor_slot(unsigned int level, unsigned int i)
{
    return level == 4 && i >= ROOT_PAGETABLE_FIRST_XEN_SLOT &&
           i <= ROOT_PAGETABLE_LAST_XEN_SLOT;
}

/*
 * Validates and marks the tables under pg (a level-`level` table to
 * be), deepest first. *done counts the sub-tables this call validated:
 * a check for preemption only follows some progress, so a guest that
 * re-enters always gets further.
 */
static int prevalidate(struct domain *d, struct page_info *pg,
                       unsigned int level, unsigned int *done)
{
    const pgentry_t *t = map_domain_page(page_to_mfn(pg));
    unsigned long type = table_type(level - 1);
    unsigned int i;
    int rc = 0;

    for ( i = 0; i < PAGETABLE_ENTRIES && !rc; i++ )
    {
        pgentry_t e = read_atomic(&t[i]);
        struct page_info *c;

        /* Most entries are empty: the cheapest test first. */
        if ( !(e & _PAGE_PRESENT) || hypervisor_slot(level, i) )
            continue;
        c = entry_frame(e);
        /*
         * Tables in use (the common case) are skipped without a
         * reference: one that stops being in use just after is
         * validated by get_page_type() later, only not preemptibly.
         */
        if ( !c || in_use_as(c, type) || !get_page(c, d) )
            continue;
        if ( level > 2 )
            rc = prevalidate(d, c, level - 1, done);
        /* A table that fails here fails again, and is reported, later. */
        if ( rc || get_page_type(c, type) )
        {
            put_page(c);
            continue;
        }
        if ( test_and_set_bit(PGT_prevalidated_bit, &c->type_info) )
            put_page_and_type(c);   /* someone else's mark holds it */
        else
        {
            current->arch.prevalidated_marks = true;
            ++*done;
        }
        if ( *done && hypercall_preempt_check() )
            rc = -ERESTART;
    }
    unmap_domain_page(t);

    return rc;
}

int pv_prevalidate_tree(struct page_info *pg, unsigned int level)
{
    unsigned int done = 0;
    int rc;

    if ( level < 2 || in_use_as(pg, table_type(level)) )
        return 0;
    rc = prevalidate(page_get_owner(pg), pg, level, &done);

    /* Marks from this call or an earlier, preempted one may be below. */
    return rc ?: current->arch.prevalidated_marks;
}

/*
 * Whether pg is in use and d's, without a reference: an entry of a table
 * that is not (or no longer) validated may name any frame at all.
 */
static bool owned_by(const struct page_info *pg, const struct domain *d)
{
    return (read_atomic(&pg->count_info) & PGC_state_mask) ==
           PGC_state_inuse &&
           read_atomic(&pg->v.owner) == d->page_owner_id;
}

static void release_marks(const struct domain *d, struct page_info *pg,
                          unsigned int level)
{
    const pgentry_t *t;
    unsigned int i;

    if ( level < 2 )
        return;
    t = map_domain_page(page_to_mfn(pg));
    for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
    {
        struct page_info *c;

        if ( hypervisor_slot(level, i) )
            continue;
        c = entry_frame(read_atomic(&t[i]));
        if ( !c || !owned_by(c, d) )
            continue;
        /*
         * A table in use and unmarked was in use before the scan, which
         * never went below it; any other may hold marks further down
         * (one that failed validation, too).
         */
        if ( !(read_atomic(&c->type_info) & PGT_prevalidated) &&
             in_use_as(c, table_type(level - 1)) )
            continue;
        /* Children first: c's own references keep them validated. */
        release_marks(d, c, level - 1);
        if ( test_and_clear_bit(PGT_prevalidated_bit, &c->type_info) )
            put_page_and_type(c);
    }
    unmap_domain_page(t);
}

void pv_release_prevalidated(struct page_info *pg, unsigned int level)
{
    release_marks(page_get_owner(pg), pg, level);
    current->arch.prevalidated_marks = false;
}
