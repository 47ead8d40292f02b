/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How a PV guest changes its page tables: mmu_update, mmuext_op and
 * update_va_mapping, on top of the reference rules of pv/mm.c. Only
 * the guest's own tables (DOMID_SELF) for now; foreign updates,
 * continuations for long batches and the SMP flush scopes beyond "all
 * CPUs" come with the PV memory-management milestone.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/flushtlb.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
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
 * mmu_update
 */

static int update_one_pte(struct domain *d, unsigned long ptr,
                          unsigned long val, bool preserve_ad)
{
    struct page_info *pg = guest_frame(ptr >> PAGE_SHIFT);
    unsigned long type;
    int rc = -EINVAL;

    if ( !pg || (ptr & 7) || !get_page(pg, d) )
        return -EINVAL;

    type = read_atomic(&pg->type_info);
    if ( (type & PGT_type_mask) >= PGT_l1_page_table &&
         (type & PGT_type_mask) <= PGT_l4_page_table &&
         (type & PGT_validated) && (type & PGT_count_mask) )
        rc = mod_table_entry(pg, (type & PGT_type_mask) >> PGT_type_shift,
                             (ptr & ~PAGE_MASK) >> 3, val, preserve_ad);
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

static int machphys_update(struct domain *d, unsigned long ptr,
                           unsigned long pfn)
{
    struct page_info *pg = guest_frame(ptr >> PAGE_SHIFT);

    if ( !pg || !get_page(pg, d) )
        return -EINVAL;
    set_gpfn_from_mfn(page_to_mfn(pg), pfn);
    put_page(pg);

    return 0;
}

/*
 * A foreign domain's tables or frames: -ESRCH if there is no such
 * domain, -EPERM for a domU (Xen's XSM default), and -ENOSYS for dom0
 * until foreign updates are there.
 */
static long foreign_domain_refused(const struct domain *d, domid_t id)
{
    struct domain *f = get_domain_by_id(id);

    if ( !f )
        return -ESRCH;
    put_domain(f);

    return d->is_privileged ? -ENOSYS : -EPERM;
}

long do_mmu_update(unsigned long ureqs, unsigned long count,
                   unsigned long pdone, unsigned long foreigndom)
{
    struct domain *d = current->domain;
    unsigned long i;
    int rc = 0;

    if ( (foreigndom & 0xffff) != DOMID_SELF &&
         (foreigndom & 0xffff) != d->domain_id )
        return foreign_domain_refused(d, foreigndom & 0xffff);

    for ( i = 0; i < count; i++ )
    {
        struct mmu_update req;

        if ( copy_from_guest_va(&req, ureqs + i * sizeof(req), sizeof(req)) )
        {
            rc = -EFAULT;
            break;
        }
        switch ( req.ptr & 3 )
        {
        case MMU_NORMAL_PT_UPDATE:
        case MMU_PT_UPDATE_PRESERVE_AD:
            rc = update_one_pte(d, req.ptr & ~3UL, req.val,
                                (req.ptr & 3) == MMU_PT_UPDATE_PRESERVE_AD);
            break;
        case MMU_MACHPHYS_UPDATE:
            rc = machphys_update(d, req.ptr & ~3UL, req.val);
            break;
        default:
            rc = -ENOSYS;
            break;
        }
        if ( rc )
            break;
    }

    if ( pdone && copy_to_guest_va(pdone, &i, sizeof(unsigned int)) )
        return -EFAULT;

    return rc;
}

/* ---------------------------------------------------------------------
 * mmuext_op
 */

static int pin_table(struct domain *d, unsigned long mfn, unsigned long type)
{
    struct page_info *pg = guest_frame(mfn);

    if ( !pg || !get_page_and_type(pg, d, type) )
        return -EINVAL;
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
    put_page_and_type(pg);
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
        pg = guest_frame(mfn);
        if ( !pg || !get_page_and_type(pg, v->domain, PGT_l4_page_table) )
            return -EINVAL;
    }
    *slot = pg ? page_to_mfn(pg) : INVALID_MFN;
    if ( !user == !!(v->arch.flags & TF_kernel_mode) )
        write_cr3(mfn_to_maddr(pv_active_root(v)));
    if ( !mfn_eq(old, INVALID_MFN) )
        put_page_and_type(mfn_to_page(old));

    return 0;
}

static int one_mmuext(struct vcpu *v, const struct mmuext_op *op)
{
    struct domain *d = v->domain;

    switch ( op->cmd )
    {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        return pin_table(d, op->arg1.mfn,
                         (unsigned long)(op->cmd - MMUEXT_PIN_L1_TABLE + 1)
                         << PGT_type_shift);
    case MMUEXT_UNPIN_TABLE:
        return unpin_table(d, op->arg1.mfn);
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
    case MMUEXT_TLB_FLUSH_ALL:
        /* Every CPU: a superset of those the guest's vCPUs ran on. */
        flush_tlb_all();
        return 0;
    case MMUEXT_INVLPG_MULTI:
    case MMUEXT_INVLPG_ALL:
        if ( !pv_guest_address_ok(op->arg1.linear_addr) )
            return -EINVAL;
        flush_area_mask(&cpu_online_map, op->arg1.linear_addr, 1);
        return 0;
    default:
        return -ENOSYS;
    }
}

long do_mmuext_op(unsigned long uops, unsigned long count,
                  unsigned long pdone, unsigned long foreigndom)
{
    struct vcpu *v = current;
    unsigned long i;
    int rc = 0;

    if ( (foreigndom & 0xffff) != DOMID_SELF &&
         (foreigndom & 0xffff) != v->domain->domain_id )
        return foreign_domain_refused(v->domain, foreigndom & 0xffff);

    for ( i = 0; i < count; i++ )
    {
        struct mmuext_op op;

        if ( copy_from_guest_va(&op, uops + i * sizeof(op), sizeof(op)) )
        {
            rc = -EFAULT;
            break;
        }
        rc = one_mmuext(v, &op);
        if ( rc )
            break;
    }

    if ( pdone && copy_to_guest_va(pdone, &i, sizeof(unsigned int)) )
        return -EFAULT;

    return rc;
}

/* ---------------------------------------------------------------------
 * update_va_mapping
 */

/* The L1 table page mapping va in v's kernel tables, referenced; or NULL. */
static struct page_info *l1_page_for(struct vcpu *v, unsigned long va)
{
    static const unsigned int shift[] = { L4_PAGE_SHIFT, L3_PAGE_SHIFT,
                                          L2_PAGE_SHIFT };
    mfn_t mfn = v->arch.guest_table;
    struct page_info *pg;
    unsigned int i;

    for ( i = 0; i < 3; i++ )
    {
        const pgentry_t *t = map_domain_page(mfn);
        pgentry_t e = read_atomic(&t[(va >> shift[i]) & 511]);

        unmap_domain_page(t);
        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) )
            return NULL;
        mfn = maddr_to_mfn(e & PTE_ADDR_MASK);
    }
    pg = guest_frame(mfn_x(mfn));
    if ( !pg || !get_page(pg, v->domain) )
        return NULL;
    if ( (read_atomic(&pg->type_info) & PGT_type_mask) != PGT_l1_page_table )
    {
        put_page(pg);
        return NULL;
    }

    return pg;
}

long do_update_va_mapping(unsigned long va, unsigned long val,
                          unsigned long flags)
{
    struct vcpu *v = current;
    struct page_info *l1;
    int rc;

    if ( !pv_guest_address_ok(va) )
        return -EINVAL;
    l1 = l1_page_for(v, va);
    if ( !l1 )
        return -EINVAL;
    rc = mod_table_entry(l1, 1, l1_table_offset(va), val, false);
    put_page(l1);
    if ( rc )
        return rc;

    switch ( flags & UVMF_FLUSHTYPE_MASK )
    {
    case UVMF_TLB_FLUSH:
        if ( (flags & ~UVMF_FLUSHTYPE_MASK) == UVMF_LOCAL )
            flush_tlb_local();
        else
            flush_tlb_all();
        break;
    case UVMF_INVLPG:
        if ( (flags & ~UVMF_FLUSHTYPE_MASK) == UVMF_LOCAL )
            flush_area_local(va, 1);
        else
            flush_area_mask(&cpu_online_map, va, 1);
        break;
    }

    return 0;
}
