/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The reference audit of a PV domain's pages (Xen's audit_domains idea):
 * every count a page carries is recomputed from the things that hold
 * one, and the two must agree exactly.
 *
 * Who holds what (pv/mm.c has the rules):
 *  - the owner's allocation reference (PGC_allocated): one general ref;
 *  - a pin: one general and one type ref;
 *  - an entry of a live (validated, in use) table of any domain: one
 *    general ref on the frame it maps; a type ref too if it is an L2-L4
 *    entry (the table below) or a writable L1 entry (writable type);
 *  - each vCPU: its kernel and user roots (L4 type), its GDT and LDT
 *    frames (descriptor type), its registered vcpu_info (writable type),
 *    and the tables it is devalidating in pieces (count_dying());
 *  - the domain's PIRQ EOI bitmap frame, if registered (writable type).
 *  - grants: each grant of the domain in use holds one general ref, and
 *    each device mapping of it its own (a host mapping's PTE is counted
 *    with the tables).
 * References held for the length of a hypercall are not known here: the
 * audit pauses the domain, and is meant for a machine where no other
 * domain is busy mapping this one's frames.
 *
 * Also checked: an entry's target has the type the entry needs (an L2
 * entry maps a validated L1, a writable L1 entry a writable page): so no
 * frame is ever both writable and a page table.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/vmap.h>
#include <asm/l4-slots.h>
#include <asm/page-owner.h>
#include <asm/pv-mm.h>
#include <asm/pv.h>

struct expected {
    struct domain *d;
    unsigned long base, span;     /* mfns [base, base + span) */
    uint32_t *general, *type;     /* expected counts, by mfn - base */
    struct pv_audit *res;
    bool verbose;
};

static void report(struct expected *x, const char *fmt, unsigned long mfn,
                   unsigned long a, unsigned long b)
{
    x->res->mismatches++;
    if ( x->verbose && x->res->mismatches <= 8 )
    {
        printk("  d%u mfn %#lx: ", x->d->domain_id, mfn);
        printk(fmt, a, b);
        printk("\n");
    }
}

/* The slot of one of x->d's frames in the expected arrays, or -1. */
static long slot_of(const struct expected *x, mfn_t mfn)
{
    unsigned long i = mfn_x(mfn) - x->base;

    if ( i >= x->span || page_get_owner(mfn_to_page(mfn)) != x->d )
        return -1;
    return i;
}

static void hold(struct expected *x, mfn_t mfn, bool type_ref)
{
    long i = mfn_valid(mfn) ? slot_of(x, mfn) : -1;

    if ( i < 0 )
        return;
    x->general[i]++;
    if ( type_ref )
        x->type[i]++;
}

static unsigned int table_level(unsigned long t)
{
    if ( !(t & PGT_validated) || !(t & PGT_count_mask) ||
         (t & PGT_type_mask) < PGT_l1_page_table ||
         (t & PGT_type_mask) > PGT_l4_page_table )
        return 0;
    return (t & PGT_type_mask) >> PGT_type_shift;
}

/*
 * The references entries [from, 512) of a table hold on x->d's frames.
 * With first_general_only, entry `from` holds a general reference only
 * (its table below is dying, see count_dying()).
 */
static void count_entries(struct expected *x, struct page_info *table,
                          unsigned int level, unsigned int from,
                          bool first_general_only)
{
    const pgentry_t *t = map_domain_page(page_to_mfn(table));
    unsigned int i;

    for ( i = from; i < PAGETABLE_ENTRIES; i++ )
    {
        pgentry_t e = t[i];
        mfn_t mfn = maddr_to_mfn(e & PTE_ADDR_MASK);
        unsigned long want, have;
        long s;

        if ( (level == 4 && i >= ROOT_PAGETABLE_FIRST_XEN_SLOT &&
              i <= ROOT_PAGETABLE_LAST_XEN_SLOT) ||
             !(e & _PAGE_PRESENT) || !mfn_valid(mfn) ||
             (s = slot_of(x, mfn)) < 0 )
            continue;
        x->general[s]++;
        if ( (level == 1 && !(e & _PAGE_RW)) ||
             (i == from && first_general_only) )
            continue;
        x->type[s]++;
        want = level == 1 ? PGT_writable_page
                          : (unsigned long)(level - 1) << PGT_type_shift;
        have = read_atomic(&mfn_to_page(mfn)->type_info);
        if ( (have & PGT_type_mask) != want || !(have & PGT_validated) )
            report(x, "type %#lx, but an entry needs %#lx", mfn_x(mfn),
                   have & (PGT_type_mask | PGT_validated), want);
    }
    unmap_domain_page(t);
}

/* The references one live table of any domain holds on x->d's frames. */
static void count_table(struct expected *x, struct page_info *table,
                        unsigned int level)
{
    count_entries(x, table, level, 0, false);
    x->res->tables++;
}

/*
 * A devalidation in pieces (pv/devalidate.c) left on a vCPU: the stack
 * holds a general reference on its first table; in each table the
 * entries not yet dropped hold theirs, but the one a deeper table of
 * the stack hangs from holds a general reference only.
 */
static void count_dying(struct expected *x, const struct vcpu *v)
{
    unsigned int k, depth = v->arch.dying_depth;

    if ( depth )
        hold(x, page_to_mfn(v->arch.dying[0].pg), false);
    for ( k = 0; k < depth; k++ )
        count_entries(x, v->arch.dying[k].pg, v->arch.dying[k].level,
                      v->arch.dying[k].next, k + 1 < depth);
}

static void grant_hold(void *arg, mfn_t mfn, bool type_ref)
{
    hold(arg, mfn, type_ref);
}

static void count_tables_of(struct domain *owner, void *arg)
{
    struct expected *x = arg;
    struct page_info *pg;

    grant_audit_device_maps(owner, x->d, grant_hold, x);

    spin_lock(&owner->page_alloc_lock);
    page_list_for_each ( pg, &owner->page_list )
    {
        unsigned int level = table_level(read_atomic(&pg->type_info));

        if ( level )
            count_table(x, pg, level);
    }
    spin_unlock(&owner->page_alloc_lock);
}

static void count_vcpu(struct expected *x, const struct vcpu *v)
{
    const struct arch_vcpu *a = &v->arch;
    unsigned int i;

    if ( !mfn_eq(a->guest_table, INVALID_MFN) )
        hold(x, a->guest_table, true);
    if ( !mfn_eq(a->guest_table_user, INVALID_MFN) )
        hold(x, a->guest_table_user, true);
    for ( i = 0; i < (a->gdt_ents + 511) / 512; i++ )
        hold(x, _mfn(a->gdt_frames[i]), true);
    for ( i = 0; i < (a->ldt_ents * 8 + PAGE_SIZE - 1) >> PAGE_SHIFT; i++ )
        hold(x, _mfn(a->ldt_frames[i]), true);
    if ( a->vcpu_info_page )
        hold(x, a->vcpu_info_mfn, true);
}

static int audit_paused(struct expected *x)
{
    struct domain *d = x->d;
    struct page_info *pg;
    unsigned long lo = ~0UL, hi = 0, i;

    spin_lock(&d->page_alloc_lock);
    page_list_for_each ( pg, &d->page_list )
    {
        lo = min(lo, mfn_x(page_to_mfn(pg)));
        hi = max(hi, mfn_x(page_to_mfn(pg)));
    }
    spin_unlock(&d->page_alloc_lock);
    if ( lo > hi )
        return 0;
    x->base = lo;
    x->span = hi - lo + 1;
    x->general = vzalloc(x->span * sizeof(*x->general));
    x->type = vzalloc(x->span * sizeof(*x->type));
    if ( !x->general || !x->type )
        return -ENOMEM;

    /*
     * Holders: the owner, its pins and prevalidation marks, every live
     * table, the vCPUs.
     */
    spin_lock(&d->page_alloc_lock);
    page_list_for_each ( pg, &d->page_list )
    {
        unsigned long s = mfn_x(page_to_mfn(pg)) - lo;

        if ( pg->count_info & PGC_allocated )
            x->general[s]++;
        if ( pg->type_info & PGT_pinned )
        {
            x->general[s]++;
            x->type[s]++;
            x->res->pinned++;
        }
        /* A preempted tree validation's hold: like a pin, both counts. */
        if ( pg->type_info & PGT_prevalidated )
        {
            x->general[s]++;
            x->type[s]++;
        }
    }
    spin_unlock(&d->page_alloc_lock);
    domain_for_each(count_tables_of, x);
    grant_audit_active(d, grant_hold, x);
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
        {
            count_vcpu(x, d->vcpu[i]);
            count_dying(x, d->vcpu[i]);
        }
    if ( !mfn_eq(d->arch.pirq_eoi_mfn, INVALID_MFN) )
        hold(x, d->arch.pirq_eoi_mfn, true);
    if ( d->console_ring_port )
        hold(x, d->console_ring_mfn, true);

    /* Each page's counts against what its holders account for. */
    spin_lock(&d->page_alloc_lock);
    page_list_for_each ( pg, &d->page_list )
    {
        unsigned long s = mfn_x(page_to_mfn(pg)) - lo;
        unsigned long gen = pg->count_info & PGC_count_mask;
        unsigned long typ = pg->type_info & PGT_count_mask;

        x->res->pages++;
        if ( gen != x->general[s] )
            report(x, "general count %lu, holders account for %lu",
                   mfn_x(page_to_mfn(pg)), gen, x->general[s]);
        if ( typ != x->type[s] )
            report(x, "type count %lu, holders account for %lu",
                   mfn_x(page_to_mfn(pg)), typ, x->type[s]);
    }
    spin_unlock(&d->page_alloc_lock);

    return 0;
}

int pv_audit_domain(struct domain *d, struct pv_audit *res, bool verbose)
{
    struct expected x = { .d = d, .res = res, .verbose = verbose };
    int rc;

    memset(res, 0, sizeof(*res));
    domain_pause(d);
    rc = audit_paused(&x);
    domain_unpause(d);
    vfree(x.general);
    vfree(x.type);

    return rc;
}
