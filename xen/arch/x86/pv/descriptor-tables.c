/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PV guest's GDT: set_gdt and update_descriptor.
 *
 * The guest gives up to 14 frames of descriptors. Each frame takes the
 * segment-descriptor type (so it cannot have a writable mapping: the
 * guest changes a descriptor only through update_descriptor, which
 * checks it), and is mapped into the vCPU's 16-page GDT in its
 * domain's per-domain area, in front of the CPU's own descriptor page
 * (asm/desc.h). Unused guest pages map a zeroed frame: a selector there
 * names a null descriptor and faults cleanly.
 *
 * What a descriptor may be (checked on the way in, so the CPU can load
 * any of them): a code or data segment, whose DPL is raised to 3 (the
 * guest kernel runs in ring 3, as Xen does for 64-bit PV); a call gate
 * to a guest code selector, kept with DPL 0 so that using it faults
 * (as in Xen, where the gate is then emulated); anything not present.
 * Other system descriptors (TSS, LDT, interrupt and trap gates) and
 * gates into the hypervisor's selectors are refused.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/desc.h>
#include <asm/guest_access.h>
#include <asm/perdomain.h>
#include <asm/pv-mm.h>
#include <asm/pv.h>

#define DESC_P   (1UL << 47)
#define DESC_S   (1UL << 44)
#define DESC_DPL (3UL << 45)
#define DESC_TYPE(d)      (((d) >> 40) & 0xf)
#define DESC_CALL_GATE64  0xc
#define GATE_SELECTOR(d)  (((d) >> 16) & 0xffff)

/* A selector naming guest code: the guest's own, or the flat ring-3 one. */
static bool guest_code_selector(unsigned int sel)
{
    return sel < FIRST_RESERVED_GDT_BYTE ||
           (sel | 3) == FLAT_RING3_CS64 || (sel | 3) == FLAT_RING3_CS32;
}

/* The descriptor a guest may have in place of d, or false if none. */
bool pv_check_descriptor(uint64_t *d)
{
    if ( !(*d & DESC_P) )
        return true;
    if ( *d & DESC_S )
    {
        *d |= DESC_DPL;
        return true;
    }
    if ( DESC_TYPE(*d) != DESC_CALL_GATE64 ||
         !guest_code_selector(GATE_SELECTOR(*d)) )
        return false;
    *d &= ~DESC_DPL;

    return true;
}

/* Validation of a page taking the segment-descriptor type. */
bool pv_validate_desc_page(struct page_info *pg)
{
    uint64_t *t = map_domain_page(page_to_mfn(pg));
    unsigned int i;
    bool ok = true;

    for ( i = 0; i < PAGE_SIZE / 8 && ok; i++ )
        ok = pv_check_descriptor(&t[i]);
    unmap_domain_page(t);

    return ok;
}

static void unmap_guest_gdt(struct vcpu *v)
{
    unsigned int i, n = (v->arch.gdt_ents + 511) / 512;

    for ( i = 0; i < n; i++ )
    {
        perdomain_set_l1e(v->arch.gdt_l1, GDT_VIRT(v->vcpu_id) +
                          (i << PAGE_SHIFT),
                          mfn_to_maddr(pv_zero_mfn()) | PAGE_HYPERVISOR_RO);
        put_page_and_type(mfn_to_page(_mfn(v->arch.gdt_frames[i])));
        v->arch.gdt_frames[i] = 0;
    }
    v->arch.gdt_ents = 0;
}

long pv_set_gdt(struct vcpu *v, const unsigned long *frames,
                unsigned int entries)
{
    unsigned int i, n = (entries + 511) / 512;
    struct domain *d = v->domain;

    if ( entries > FIRST_RESERVED_GDT_ENTRY )
        return -EINVAL;

    for ( i = 0; i < n; i++ )
    {
        mfn_t mfn = _mfn(frames[i]);

        if ( !mfn_valid(mfn) ||
             !get_page_and_type(mfn_to_page(mfn), d, PGT_seg_desc_page) )
        {
            while ( i-- )
                put_page_and_type(mfn_to_page(_mfn(frames[i])));
            return -EINVAL;
        }
    }

    unmap_guest_gdt(v);
    for ( i = 0; i < n; i++ )
    {
        v->arch.gdt_frames[i] = frames[i];
        perdomain_set_l1e(v->arch.gdt_l1,
                          GDT_VIRT(v->vcpu_id) + (i << PAGE_SHIFT),
                          (frames[i] << PAGE_SHIFT) | PAGE_HYPERVISOR_RW);
    }
    v->arch.gdt_ents = entries;

    return 0;
}

long do_set_gdt(unsigned long frame_list, unsigned long entries)
{
    unsigned long frames[GDT_GUEST_PAGES];
    unsigned int n = (entries + 511) / 512;

    if ( entries > FIRST_RESERVED_GDT_ENTRY )
        return -EINVAL;
    if ( copy_from_guest_va(frames, frame_list, n * sizeof(frames[0])) )
        return -EFAULT;

    return pv_set_gdt(current, frames, entries);
}

void pv_release_gdt(struct vcpu *v)
{
    if ( !mfn_eq(v->arch.gdt_l1, INVALID_MFN) && v->arch.gdt_l1.raw )
        unmap_guest_gdt(v);
}

long do_update_descriptor(unsigned long maddr, unsigned long desc)
{
    struct domain *d = current->domain;
    struct page_info *pg;
    uint64_t *p;
    unsigned long type;

    if ( (maddr & 7) || !mfn_valid(maddr_to_mfn(maddr)) )
        return -EINVAL;
    pg = mfn_to_page(maddr_to_mfn(maddr));
    if ( !pv_check_descriptor(&desc) || !get_page(pg, d) )
        return -EINVAL;

    /* A descriptor page stays one; anything else must take writes. */
    type = (read_atomic(&pg->type_info) & PGT_type_mask) == PGT_seg_desc_page
           ? PGT_seg_desc_page : PGT_writable_page;
    if ( get_page_type(pg, type) )
    {
        put_page(pg);
        return -EINVAL;
    }
    p = map_domain_page(page_to_mfn(pg));
    write_atomic(&p[(maddr & ~PAGE_MASK) >> 3], desc);
    unmap_domain_page(p);
    put_page_and_type(pg);

    return 0;
}
