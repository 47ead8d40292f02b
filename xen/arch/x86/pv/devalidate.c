/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Devalidation of a whole tree in pieces a hypercall can be preempted
 * between (asm/pv-mm.h has the API).
 *
 * The last type reference of a table going undoes its validation, and
 * that drops the references of its entries, which may be the last of
 * the tables below: one unpin can devalidate a whole tree. Here, when a
 * preemptible caller drops the last reference of an L2-L4 table, the
 * table becomes "dying": type count 0, not validated, PGT_partial set,
 * so that nobody can take a type reference on it (get_page_type() says
 * -EBUSY) while its entries still hold theirs. The vCPU then walks the
 * dying tree depth first with a stack of its own (a table, its level,
 * the next entry to drop): an entry whose table below has other users
 * just drops its references; one whose table would lose its last one
 * makes that table dying too and descends; an L1 below is devalidated
 * whole (512 entries, the unit of work). A table whose entries are all
 * dropped stops dying, and the stack pops. Between units the vCPU may
 * stop, with the stack kept: the hypercall continues, and the next
 * entry to mmuext_op takes the walk up before anything else.
 *
 * Nothing that uses a table can reach a dying one: it has no type
 * reference, so no table entry, pin or root points at it as a table,
 * and the CPUs that used it flushed when its type count fell (a later
 * type change flushes again). Every page on the stack is held by a
 * general reference: the caller's for the first, its parent entry's
 * for the others, dropped when the page stops dying.
 *
 * A dying domain's stack is just forgotten: its frames go back whole.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/flushtlb.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/config.h>
#include <asm/page-owner.h>
#include <asm/pv-mm.h>

static unsigned int table_level(unsigned long x)
{
    unsigned long t = x & PGT_type_mask;

    return t >= PGT_l1_page_table && t <= PGT_l4_page_table
           ? t >> PGT_type_shift : 0;
}

static void push(struct vcpu *v, struct page_info *pg, unsigned int level)
{
    struct pv_dying_table *f;

    BUG_ON(v->arch.dying_depth >= ARRAY_SIZE(v->arch.dying));
    f = &v->arch.dying[v->arch.dying_depth++];
    f->pg = pg;
    f->level = level;
    f->next = 0;
}

/*
 * Drops one type reference of a table: true if it was the last and the
 * table is dying now (the caller takes it up), false if it was not (or
 * the table is an L1, devalidated at once).
 */
static bool put_type_or_die(struct page_info *pg)
{
    unsigned long x, nx, y = read_atomic(&pg->type_info);

    for ( ;; )
    {
        x = y;
        BUG_ON(!(x & PGT_count_mask));
        nx = x - 1;
        if ( (nx & PGT_count_mask) || !(x & PGT_validated) ||
             table_level(x) < 2 )
        {
            if ( !(nx & PGT_count_mask) )
            {
                /* An L1 or an unvalidated page: the plain path. */
                put_page_type(pg);
                return false;
            }
            if ( (y = cmpxchg(&pg->type_info, x, nx)) == x )
                return false;
            continue;
        }
        if ( (y = cmpxchg(&pg->type_info, x,
                          (nx & ~PGT_validated) | PGT_partial)) == x )
            return true;
    }
}

/* The top of the stack stops dying: its entries are all dropped. */
static void pop(struct vcpu *v)
{
    struct pv_dying_table *f = &v->arch.dying[--v->arch.dying_depth];
    struct page_info *pg = f->pg;

    pg->tlbflush_timestamp = tlbflush_current_time();
    clear_bit(PGT_partial_bit, &pg->type_info);
    /* The parent entry's general reference, or the caller's. */
    put_page(pg);
    if ( v->arch.dying_depth )
        v->arch.dying[v->arch.dying_depth - 1].next++;
}

/* One unit of work on the top of the stack. */
static void step(struct vcpu *v)
{
    struct pv_dying_table *f = &v->arch.dying[v->arch.dying_depth - 1];
    const pgentry_t *t = map_domain_page(page_to_mfn(f->pg));
    struct page_info *c = NULL;
    pgentry_t e;

    /* Empty entries and the hypervisor's slots are not units of work. */
    for ( ; f->next < PAGETABLE_ENTRIES; f->next++ )
    {
        if ( f->level == 4 && f->next >= ROOT_PAGETABLE_FIRST_XEN_SLOT &&
             f->next <= ROOT_PAGETABLE_LAST_XEN_SLOT )
            continue;
        e = read_atomic(&t[f->next]);
        if ( e & _PAGE_PRESENT )
        {
            c = mfn_to_page(maddr_to_mfn(e & PTE_ADDR_MASK));
            break;
        }
    }
    unmap_domain_page(t);

    if ( !c )
        pop(v);
    else if ( put_type_or_die(c) )
        /* Its parent's general reference stays until it is done. */
        push(v, c, f->level - 1);
    else
    {
        put_page(c);
        f->next++;
    }
}

int pv_put_table_preemptible(struct page_info *pg)
{
    struct vcpu *v = current;

    ASSERT(!v->arch.dying_depth);
    /* The stack's own general reference, as its parent's for the rest. */
    if ( !get_page(pg, page_get_owner(pg)) )
        BUG();
    if ( !put_type_or_die(pg) )
    {
        put_page(pg);
        return 0;
    }
    push(v, pg, table_level(read_atomic(&pg->type_info)));

    return pv_devalidation_continue();
}

int pv_devalidation_continue(void)
{
    struct vcpu *v = current;
    bool progress = false;

    while ( v->arch.dying_depth )
    {
        if ( progress && hypercall_preempt_check() )
            return -ERESTART;
        step(v);
        progress = true;
    }

    return 0;
}

void pv_devalidation_forget(struct vcpu *v)
{
    v->arch.dying_depth = 0;
}
