/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How a PV guest changes its page tables: mmu_update, mmuext_op and
 * update_va_mapping(_otherdomain), on top of the reference rules of
 * pv/mm.c.
 *
 * Each changed table is held by a type reference for the time of the
 * change (get_table_type_ref()), so that a racing unpin on another vCPU
 * cannot devalidate it under the update: the counts stay exact whatever
 * the vCPUs do at once. Batches are preempted between entries, and
 * continue where they stopped (MMU_UPDATE_PREEMPTED in the count).
 *
 * dom0 may act on another domain's memory: the foreign domain (the
 * low 16 bits of foreigndom) owns the frames new L1 entries map, pins
 * and page copies; the high 16 bits, if set, name (plus one) the domain
 * whose page tables mmu_update changes.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/flushtlb.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/guest_access.h>
#include <asm/m2p.h>
#include <asm/pv-mm.h>
#include <asm/pv.h>
#include <public/xen.h>

#define PGT_pinned_bit 59

static struct page_info *guest_frame(unsigned long mfn)
{
    return mfn_valid(_mfn(mfn)) ? mfn_to_page(_mfn(mfn)) : NULL;
}

/* ---------------------------------------------------------------------
 * The domains a batch acts for
 */

/*
 * The domain id names, for the caller: itself (DOMID_SELF; no reference
 * taken), or for a privileged caller another domain (referenced). NULL
 * with *rc set otherwise: -ESRCH for no such domain (the caller's own
 * id is no foreign domain either, as in Xen), -EPERM for a domU naming
 * another.
 */
static struct domain *domain_for(domid_t id, int *rc)
{
    struct domain *curr = current->domain, *d;

    if ( id == DOMID_SELF )
        return curr;
    if ( id == curr->domain_id )
    {
        *rc = -ESRCH;
        return NULL;
    }
    /* dom0's I/O frames are mapped as its own (iomem_mappable()). */
    if ( id == DOMID_IO && curr->is_privileged )
        return curr;
    d = id < DOMID_FIRST_RESERVED ? get_domain_by_id(id) : NULL;
    if ( !d )
        *rc = -ESRCH;
    else if ( !curr->is_privileged )
    {
        /* A domU acts on no other domain (Xen's default policy). */
        put_domain(d);
        d = NULL;
        *rc = -EPERM;
    }
    return d;
}

static void domain_done(struct domain *d)
{
    if ( d != current->domain )
        put_domain(d);
}

struct batch_owners {
    struct domain *pt;      /* whose tables change */
    struct domain *pg;      /* whose frames are mapped, pinned, copied */
};

static int get_batch_owners(unsigned long foreigndom, bool pt_allowed,
                            struct batch_owners *o)
{
    unsigned int pt_id = (foreigndom >> 16) & 0xffff;
    int rc = 0;

    if ( foreigndom >> 32 || (pt_id && !pt_allowed) )
        return -EINVAL;
    o->pg = domain_for(foreigndom & 0xffff, &rc);
    if ( !o->pg )
        return rc;
    o->pt = pt_id ? domain_for(pt_id - 1, &rc) : current->domain;
    if ( !o->pt )
    {
        domain_done(o->pg);
        return rc;
    }

    return 0;
}

static void put_batch_owners(struct batch_owners *o)
{
    domain_done(o->pt);
    domain_done(o->pg);
}

/*
 * Where a preempted batch resumes: a count with MMU_UPDATE_PREEMPTED is
 * what is left, and *pdone holds what the earlier parts did.
 */
static unsigned int resume_count(unsigned long count, unsigned long pdone,
                                 unsigned int *done)
{
    unsigned int n = count;

    *done = 0;
    if ( n & MMU_UPDATE_PREEMPTED )
    {
        n &= ~MMU_UPDATE_PREEMPTED;
        if ( pdone )
            copy_from_guest_va(done, pdone, sizeof(*done));
    }

    return n;
}

static int report_done(unsigned long pdone, unsigned int done, int rc)
{
    if ( pdone && copy_to_guest_va(pdone, &done, sizeof(done)) && !rc )
        return -EFAULT;

    return rc;
}

/* ---------------------------------------------------------------------
 * mmu_update
 */

/*
 * An entry of a level-`level` table the caller holds. A new L2-L4 entry
 * may bring a whole new tree with it: that is validated a sub-table at
 * a time first, and -ERESTART says to continue later.
 */
static int update_table_entry(const struct batch_owners *o,
                              struct page_info *pg, unsigned int level,
                              unsigned int idx, unsigned long val,
                              bool preserve_ad)
{
    struct page_info *child = NULL;
    pgentry_t old;
    int pre = 0, rc;

    if ( level >= 3 && (val & _PAGE_PRESENT) &&
         (child = guest_frame((val & PTE_ADDR_MASK) >> PAGE_SHIFT)) &&
         get_page(child, o->pt) )
    {
        pre = pv_prevalidate_tree(child, level - 1);
        if ( pre < 0 )
        {
            put_page(child);
            return pre;
        }
    }
    else
        child = NULL;
    rc = mod_table_entry_keep_old(pg, level, idx, val, preserve_ad, o->pg,
                                  &old);
    if ( pre )
        pv_release_prevalidated(child, level - 1);
    if ( child )
        put_page(child);
    if ( rc )
        return rc;

    /*
     * The old sub-tree may lose its last user here: its devalidation is
     * left to the vCPU, which do_mmu_update() finishes before it goes on.
     */
    if ( level >= 2 && (old & _PAGE_PRESENT) )
    {
        struct page_info *gone = mfn_to_page(maddr_to_mfn(old & PTE_ADDR_MASK));

        pv_put_table_preemptible(gone);
        put_page(gone);
    }
    else
        put_page_from_entry(old, level);

    return 0;
}

static int update_one_pte(const struct batch_owners *o, unsigned long ptr,
                          unsigned long val, bool preserve_ad)
{
    struct page_info *pg = guest_frame(ptr >> PAGE_SHIFT);
    unsigned int level;
    int rc = -EINVAL;

    if ( !pg || (ptr & 7) || !get_page(pg, o->pt) )
        return -EINVAL;

    level = get_table_type_ref(pg);
    if ( level )
    {
        rc = update_table_entry(o, pg, level, (ptr & ~PAGE_MASK) >> 3, val,
                                preserve_ad);
        put_page_type(pg);
    }
    else if ( !get_page_type(pg, PGT_writable_page) )
    {
        /* Not a page table: an ordinary write to the guest's frame. */
        unsigned long *p = map_domain_page(page_to_mfn(pg));

        write_atomic(&p[(ptr & ~PAGE_MASK) >> 3], val);
        unmap_domain_page(p);
        put_page_type(pg);
        rc = 0;
    }
    put_page(pg);

    return rc;
}

static int machphys_update(struct domain *pg_owner, unsigned long ptr,
                           unsigned long pfn)
{
    struct page_info *pg = guest_frame(ptr >> PAGE_SHIFT);

    if ( !pg || !get_page(pg, pg_owner) )
        return -EINVAL;
    set_gpfn_from_mfn(page_to_mfn(pg), pfn);
    put_page(pg);

    return 0;
}

/*
 * Requests are read a chunk at a time: each guest copy walks the guest's
 * tables (a mapcache slot per level), so one walk per request would cost
 * more than most updates do. A chunk that cannot be read whole is read
 * one request at a time, so that *pdone still stops at the first bad one.
 */
#define MMU_UPDATE_CHUNK 32

long do_mmu_update(unsigned long ureqs, unsigned long count,
                   unsigned long pdone, unsigned long foreigndom)
{
    struct mmu_update chunk[MMU_UPDATE_CHUNK];
    struct batch_owners o;
    unsigned int i, n, done, have = 0, next = 0;
    int rc;

    n = resume_count(count, pdone, &done);
    rc = get_batch_owners(foreigndom, true, &o);
    if ( rc )
        return rc;

    for ( i = 0; ; i++ )
    {
        const struct mmu_update *r;

        /* A devalidation an earlier entry left is finished first. */
        if ( pv_devalidation_pending(current) &&
             pv_devalidation_continue() == -ERESTART )
        {
            rc = hypercall_create_continuation(
                __HYPERVISOR_mmu_update, ureqs + i * sizeof(*r),
                (n - i) | MMU_UPDATE_PREEMPTED, pdone, foreigndom);
            break;
        }
        if ( i == n )
            break;
        if ( i && hypercall_preempt_check() )
        {
            rc = hypercall_create_continuation(
                __HYPERVISOR_mmu_update, ureqs + i * sizeof(*r),
                (n - i) | MMU_UPDATE_PREEMPTED, pdone, foreigndom);
            break;
        }
        if ( next == have )
        {
            unsigned long from = ureqs + i * sizeof(chunk[0]);

            have = min(n - i, (unsigned int)MMU_UPDATE_CHUNK);
            if ( copy_from_guest_va(chunk, from, have * sizeof(chunk[0])) )
            {
                if ( have == 1 ||
                     copy_from_guest_va(chunk, from, sizeof(chunk[0])) )
                {
                    rc = -EFAULT;
                    break;
                }
                have = 1;
            }
            next = 0;
        }
        r = &chunk[next++];
        switch ( r->ptr & 3 )
        {
        case MMU_NORMAL_PT_UPDATE:
        case MMU_PT_UPDATE_PRESERVE_AD:
            rc = update_one_pte(&o, r->ptr & ~3UL, r->val,
                                (r->ptr & 3) == MMU_PT_UPDATE_PRESERVE_AD);
            break;
        case MMU_MACHPHYS_UPDATE:
            rc = machphys_update(o.pg, r->ptr & ~3UL, r->val);
            break;
        default:
            rc = -ENOSYS;
            break;
        }
        if ( rc == -ERESTART )
            /* This request again, with what it validated so far kept. */
            rc = hypercall_create_continuation(
                __HYPERVISOR_mmu_update, ureqs + i * sizeof(*r),
                (n - i) | MMU_UPDATE_PREEMPTED, pdone, foreigndom);
        if ( rc )
            break;
    }
    put_batch_owners(&o);

    return report_done(pdone, done + i, rc);
}

/* ---------------------------------------------------------------------
 * TLB flushes for a domain's vCPUs
 */

/*
 * The CPUs whose TLBs may hold translations of the vCPUs in vcpumask
 * (a guest bitmap of vCPU ids; 0: all of them) into *mask.
 */
static int vcpus_dirty_cpus(struct domain *d, unsigned long vcpumask,
                            cpumask_t *mask)
{
    unsigned long bits[(CONFIG_NR_CPUS * 4 + 63) / 64] = { 0 }; /* max_vcpus */
    unsigned int i, words = (d->max_vcpus + 63) / 64;

    if ( !vcpumask )
        memset(bits, 0xff, words * sizeof(bits[0]));
    else if ( words > ARRAY_SIZE(bits) ||
              copy_from_guest_va(bits, vcpumask, words * sizeof(bits[0])) )
        return -EFAULT; /* mmuext_op answers -EINVAL, as Xen */

    cpumask_clear(mask);
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        const struct vcpu *v = d->vcpu[i];
        unsigned int cpu;

        if ( !v || !test_bit(i, bits) )
            continue;
        cpu = read_atomic(&v->arch.dirty_cpu);
        if ( cpu < CONFIG_NR_CPUS )
            cpumask_set_cpu(cpu, mask);
    }

    return 0;
}

/* A flush of va (or of everything, va ~0) on the vCPUs in vcpumask. */
static int flush_vcpus(struct domain *d, unsigned long vcpumask,
                       unsigned long va)
{
    cpumask_t mask;
    int rc = vcpus_dirty_cpus(d, vcpumask, &mask);

    if ( rc )
        return rc;
    if ( va == ~0UL )
        flush_tlb_mask(&mask);
    else
        flush_area_mask(&mask, va, 1);

    return 0;
}

/* ---------------------------------------------------------------------
 * mmuext_op
 */

/*
 * get_page_and_type() of a table, in pieces a continuation can split: a
 * whole new tree under it is validated a sub-table at a time first.
 * -ERESTART: call again later.
 */
static int get_table_preemptible(struct page_info *pg, struct domain *d,
                                 unsigned long type)
{
    unsigned int level = type >> PGT_type_shift;
    int pre, rc;

    if ( !get_page(pg, d) )
        return -EINVAL;
    pre = pv_prevalidate_tree(pg, level);
    if ( pre < 0 )
    {
        put_page(pg);
        return pre;
    }
    rc = get_page_type(pg, type) ? -EINVAL : 0;
    if ( pre )
        pv_release_prevalidated(pg, level);
    if ( rc )
        put_page(pg);

    return rc;
}

static int pin_table(struct domain *d, unsigned long mfn, unsigned long type)
{
    struct page_info *pg = guest_frame(mfn);
    int rc;

    if ( !pg )
        return -EINVAL;
    rc = get_table_preemptible(pg, d, type);
    if ( rc )
        return rc;
    if ( test_and_set_bit(PGT_pinned_bit, &pg->type_info) )
    {
        put_page_and_type(pg);
        return -EINVAL;
    }

    return 0;
}

static int unpin_table(struct domain *d, unsigned long mfn)
{
    struct page_info *pg = guest_frame(mfn);

    if ( !pg || !get_page(pg, d) )
        return -EINVAL;
    if ( !test_and_clear_bit(PGT_pinned_bit, &pg->type_info) )
    {
        put_page(pg);
        return -EINVAL;
    }
    /* Done either way; what devalidation is left, mmuext_op takes up. */
    pv_put_table_preemptible(pg);
    put_page(pg);
    put_page(pg);

    return 0;
}

/* Makes mfn (0: none, for the user root) v's kernel or user root. */
static int new_baseptr(struct vcpu *v, unsigned long mfn, bool user)
{
    mfn_t *slot = user ? &v->arch.guest_table_user : &v->arch.guest_table;
    struct page_info *pg = NULL;
    mfn_t old = *slot;

    if ( mfn || !user )
    {
        int rc;

        pg = guest_frame(mfn);
        if ( !pg )
            return -EINVAL;
        rc = get_table_preemptible(pg, v->domain, PGT_l4_page_table);
        if ( rc )
            return rc;
    }
    *slot = pg ? page_to_mfn(pg) : INVALID_MFN;
    if ( !user == !!(v->arch.flags & TF_kernel_mode) )
        write_cr3(mfn_to_maddr(pv_active_root(v)));
    if ( !mfn_eq(old, INVALID_MFN) )
    {
        /* As for an unpin: the rest of a devalidation is taken up later. */
        pv_put_table_preemptible(mfn_to_page(old));
        put_page(mfn_to_page(old));
    }

    return 0;
}

/* CLEAR_PAGE (src 0) or COPY_PAGE: through mapcache slots, no direct map. */
static int fill_page(struct domain *d, unsigned long dst_mfn,
                     unsigned long src_mfn, bool copy)
{
    struct page_info *dst = guest_frame(dst_mfn), *src = NULL;
    void *to;

    if ( !dst || !get_page_and_type(dst, d, PGT_writable_page) )
        return -EINVAL;
    if ( copy && (!(src = guest_frame(src_mfn)) || !get_page(src, d)) )
    {
        put_page_and_type(dst);
        return -EINVAL;
    }
    to = map_domain_page(page_to_mfn(dst));
    if ( src )
    {
        const void *from = map_domain_page(page_to_mfn(src));

        memcpy(to, from, PAGE_SIZE);
        unmap_domain_page(from);
        put_page(src);
    }
    else
        memset(to, 0, PAGE_SIZE);
    unmap_domain_page(to);
    put_page_and_type(dst);

    return 0;
}

static int one_mmuext(struct vcpu *v, struct domain *pg_owner,
                      const struct mmuext_op *op)
{
    struct domain *d = v->domain;
    bool own = pg_owner == d;

    switch ( op->cmd )
    {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        return pin_table(pg_owner, op->arg1.mfn,
                         (unsigned long)(op->cmd - MMUEXT_PIN_L1_TABLE + 1)
                         << PGT_type_shift);
    case MMUEXT_UNPIN_TABLE:
        return unpin_table(pg_owner, op->arg1.mfn);
    case MMUEXT_CLEAR_PAGE:
        return fill_page(pg_owner, op->arg1.mfn, 0, false);
    case MMUEXT_COPY_PAGE:
        return fill_page(pg_owner, op->arg1.mfn, op->arg2.src_mfn, true);
    }

    /* The rest act on the caller's own vCPUs and tables. */
    if ( !own )
        return -EPERM;
    switch ( op->cmd )
    {
    case MMUEXT_NEW_BASEPTR:
        return new_baseptr(v, op->arg1.mfn, false);
    case MMUEXT_NEW_USER_BASEPTR:
        return new_baseptr(v, op->arg1.mfn, true);
    case MMUEXT_SET_LDT:
        return pv_set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
    case MMUEXT_TLB_FLUSH_LOCAL:
        flush_tlb_local();
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        if ( !pv_guest_address_ok(op->arg1.linear_addr) )
            return -EINVAL;
        flush_area_local(op->arg1.linear_addr, 1);
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
        return flush_vcpus(d, (unsigned long)op->arg2.vcpumask.p, ~0UL)
               ? -EINVAL : 0;
    case MMUEXT_TLB_FLUSH_ALL:
        return flush_vcpus(d, 0, ~0UL);
    case MMUEXT_INVLPG_MULTI:
    case MMUEXT_INVLPG_ALL:
        /*
         * Any address, as Xen: INVLPG of one of the hypervisor's or of a
         * non-canonical one does no harm.
         */
        return flush_vcpus(d, op->cmd == MMUEXT_INVLPG_ALL ? 0 :
                              (unsigned long)op->arg2.vcpumask.p,
                           op->arg1.linear_addr) ? -EINVAL : 0;
    default:
        return -ENOSYS;
    }
}

long do_mmuext_op(unsigned long uops, unsigned long count,
                  unsigned long pdone, unsigned long foreigndom)
{
    struct batch_owners o;
    unsigned int i, n, done;
    int rc;

    n = resume_count(count, pdone, &done);
    rc = get_batch_owners(foreigndom, false, &o);
    if ( rc )
        return rc;

    for ( i = 0; ; i++ )
    {
        struct mmuext_op op;

        /*
         * A devalidation an earlier entry left (an unpin, a new base
         * pointer) is finished before the next entry, or the return.
         */
        if ( pv_devalidation_pending(current) &&
             pv_devalidation_continue() == -ERESTART )
        {
            rc = hypercall_create_continuation(
                __HYPERVISOR_mmuext_op, uops + i * sizeof(op),
                (n - i) | MMU_UPDATE_PREEMPTED, pdone, foreigndom);
            break;
        }
        if ( i == n )
            break;
        if ( i && hypercall_preempt_check() )
        {
            rc = hypercall_create_continuation(
                __HYPERVISOR_mmuext_op, uops + i * sizeof(op),
                (n - i) | MMU_UPDATE_PREEMPTED, pdone, foreigndom);
            break;
        }
        if ( copy_from_guest_va(&op, uops + i * sizeof(op), sizeof(op)) )
        {
            rc = -EFAULT;
            break;
        }
        rc = one_mmuext(current, o.pg, &op);
        if ( rc == -ERESTART )
            /* This entry again, with what it validated so far kept. */
            rc = hypercall_create_continuation(
                __HYPERVISOR_mmuext_op, uops + i * sizeof(op),
                (n - i) | MMU_UPDATE_PREEMPTED, pdone, foreigndom);
        if ( rc )
            break;
    }
    put_batch_owners(&o);

    return report_done(pdone, done + i, rc);
}

/* ---------------------------------------------------------------------
 * update_va_mapping
 */

/*
 * The L1 table page mapping va in v's kernel tables, with a general and
 * a type reference; or NULL.
 */
static struct page_info *l1_page_for(struct vcpu *v, unsigned long va)
{
    static const unsigned int shift[] = { L4_PAGE_SHIFT, L3_PAGE_SHIFT,
                                          L2_PAGE_SHIFT };
    mfn_t mfn = v->arch.guest_table;
    struct page_info *pg;
    unsigned int i, level;
    pgentry_t e;

    /* The L2 entry straight through the linear slot, if it can be. */
    if ( guest_linear_entry(mfn, va, 2, &e) )
    {
        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) )
            return NULL;
        mfn = maddr_to_mfn(e & PTE_ADDR_MASK);
    }
    else
        for ( i = 0; i < 3; i++ )
        {
            const pgentry_t *t = map_domain_page(mfn);

            e = read_atomic(&t[(va >> shift[i]) & 511]);
            unmap_domain_page(t);
            if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) )
                return NULL;
            mfn = maddr_to_mfn(e & PTE_ADDR_MASK);
        }
    pg = guest_frame(mfn_x(mfn));
    if ( !pg || !get_page(pg, v->domain) )
        return NULL;
    level = get_table_type_ref(pg);
    if ( level != 1 )
    {
        if ( level )
            put_page_type(pg);
        put_page(pg);
        return NULL;
    }

    return pg;
}

static long update_va(unsigned long va, unsigned long val,
                      unsigned long flags, struct domain *pg_owner)
{
    struct vcpu *v = current;
    unsigned long scope = flags & ~UVMF_FLUSHTYPE_MASK;
    struct page_info *l1;
    int rc;

    if ( !pv_guest_address_ok(va) )
        return -EINVAL;
    l1 = l1_page_for(v, va);
    if ( !l1 )
        return -EINVAL;
    rc = mod_table_entry(l1, 1, l1_table_offset(va), val, false, pg_owner);
    put_page_and_type(l1);
    if ( rc )
        return rc;

    switch ( flags & UVMF_FLUSHTYPE_MASK )
    {
    case UVMF_TLB_FLUSH:
        if ( scope == UVMF_LOCAL )
            flush_tlb_local();
        else
            rc = flush_vcpus(v->domain, scope == UVMF_ALL ? 0 : scope, ~0UL);
        break;
    case UVMF_INVLPG:
        if ( scope == UVMF_LOCAL )
            flush_area_local(va, 1);
        else
            rc = flush_vcpus(v->domain, scope == UVMF_ALL ? 0 : scope, va);
        break;
    }

    return rc;
}

long do_update_va_mapping(unsigned long va, unsigned long val,
                          unsigned long flags)
{
    return update_va(va, val, flags, current->domain);
}

long do_update_va_mapping_otherdomain(unsigned long va, unsigned long val,
                                      unsigned long flags, unsigned long domid)
{
    struct domain *pg_owner;
    int rc = 0;
    long ret;

    pg_owner = domain_for(domid, &rc);
    if ( !pg_owner )
        return rc;
    ret = update_va(va, val, flags, pg_owner);
    domain_done(pg_owner);

    return ret;
}
