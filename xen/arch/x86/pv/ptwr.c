/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writable page tables: a PV kernel writing a PTE straight into one of
 * its own L1 tables, which are mapped read-only to it.
 *
 * The write faults (#PF: present, write, from the guest kernel); the
 * L1 entry that maps the faulting address tells which frame was being
 * written. If that frame is a validated L1 table of the guest's, the one
 * faulting instruction is decoded (asm/ptwr-decode.h: only what writes a
 * PTE, in the forms kernels use), emulated against the entry as it is,
 * the new entry validated and referenced like an mmu_update's, written
 * with a compare-and-exchange against what was read (a concurrent change
 * means emulating again), and the guest resumed after the instruction.
 * Anything else goes back to the guest as the #PF it was.
 *
 * The entry mapping the written address is read through the linear
 * slot of the tables the guest runs on (a software walk through
 * map_domain_page() when that cannot be); the L1 page itself through
 * map_domain_page().
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/guest_access.h>
#include <asm/page.h>
#include <asm/ptwr-decode.h>
#include <asm/pv-mm.h>
#include <asm/pv.h>
#include <asm/traps.h>

/* Tries again after losing this many compare-and-exchange races. */
#define PTWR_RETRIES 8

/* The frame the leaf entry for va maps in v's active tables, or invalid. */
static mfn_t written_frame(const struct vcpu *v, unsigned long va)
{
    static const unsigned int shift[] = { L4_PAGE_SHIFT, L3_PAGE_SHIFT,
                                          L2_PAGE_SHIFT, PAGE_SHIFT };
    mfn_t mfn = pv_active_root(v);
    unsigned int i;
    pgentry_t pte;

    /* The PTE straight through the linear slot: the usual case. */
    if ( guest_linear_entry(mfn, va, 1, &pte) )
        return pte & _PAGE_PRESENT ? maddr_to_mfn(pte & PTE_ADDR_MASK)
                                   : INVALID_MFN;
    for ( i = 0; i < 4; i++ )
    {
        const pgentry_t *t = map_domain_page(mfn);
        pgentry_t e = read_atomic(&t[(va >> shift[i]) & 511]);

        unmap_domain_page(t);
        if ( !(e & _PAGE_PRESENT) || (i < 3 && (e & _PAGE_PSE)) )
            return INVALID_MFN;
        mfn = maddr_to_mfn(e & PTE_ADDR_MASK);
    }

    return mfn;
}

bool pv_ptwr_emulate(struct cpu_user_regs *regs, unsigned long cr2)
{
    struct vcpu *v = current;
    struct ptwr_insn insn;
    struct ptwr_result res;
    struct page_info *pg;
    uint8_t bytes[PTWR_MAX_INSN_LEN];
    unsigned int avail, idx, tries, level;
    mfn_t mfn;
    bool done = false;

    if ( !(v->arch.flags & TF_kernel_mode) ||
         (regs->error_code & (PFEC_present | PFEC_write | PFEC_reserved |
                              PFEC_insn_fetch)) !=
         (PFEC_present | PFEC_write) )
        return false;

    mfn = written_frame(v, cr2);
    if ( mfn_eq(mfn, INVALID_MFN) || !mfn_valid(mfn) )
        return false;
    pg = mfn_to_page(mfn);
    if ( !get_page(pg, v->domain) )
        return false;
    /* Held until the write is done: no unpin can devalidate it meanwhile. */
    level = get_table_type_ref(pg);
    if ( level != 1 )
    {
        if ( level )
            put_page_type(pg);
        put_page(pg);
        return false;
    }

    for ( avail = sizeof(bytes); avail; avail-- )
        if ( !copy_from_guest_va(bytes, regs->rip, avail) )
            break;
    if ( !avail || ptwr_decode(bytes, avail, regs, cr2, &insn) )
        goto out;

    idx = (cr2 & ~PAGE_MASK) >> 3; /* the entry written, in that L1 */
    for ( tries = 0; tries < PTWR_RETRIES; tries++ )
    {
        pgentry_t old;
        int rc;

        /*
         * The entry as the guest reads it, through its own read-only
         * mapping: no mapcache slot. Should that mapping change under
         * us, the exchange below finds another value and we go again.
         */
        if ( copy_from_guest_va(&old, cr2 & ~7UL, sizeof(old)) )
        {
            const pgentry_t *t = map_domain_page(mfn);

            old = read_atomic(&t[idx]);
            unmap_domain_page(t);
        }
        if ( ptwr_emulate(&insn, old, regs, &res) )
            goto out;
        rc = res.store ? mod_table_entry_cmpxchg(pg, 1, idx, old, res.new_pte)
                       : 0;
        if ( rc == -EAGAIN )
            continue;
        if ( rc )
        {
            printk(XENLOG_DEBUG "d%uv%u: ptwr write of %#lx to L1 %#lx[%u] "
                   "refused (%d)\n", v->domain->domain_id, v->vcpu_id,
                   res.new_pte, mfn_x(mfn), idx, rc);
            goto out;
        }
        ptwr_commit(&insn, &res, regs);
        done = true;
        break;
    }

 out:
    put_page_type(pg);
    put_page(pg);
    return done;
}
