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
#include <asm/smp.h>

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

/* ---------------------------------------------------------------------
 * The LDT (mmuext SET_LDT)
 *
 * Its pages take the segment-descriptor type, like the GDT's, and are
 * mapped at once into the vCPU's LDT area (asm/domain.h), which a
 * system descriptor at LDT_SELECTOR in the CPU's descriptor page points
 * at while the vCPU runs. Xen maps them lazily, on the first fault; this
 * takes them when they are set, so a guest that unmaps its LDT without
 * a new SET_LDT keeps them typed (unwritable) until it does.
 */

#define LDT_ENTRIES_MAX 8192
#define DESC_LDT64      0x2UL

static void unmap_guest_ldt(struct vcpu *v)
{
    unsigned int i, n = (v->arch.ldt_ents * 8 + PAGE_SIZE - 1) >> PAGE_SHIFT;

    for ( i = 0; i < n; i++ )
    {
        unsigned long va = LDT_VIRT(v->vcpu_id) + (i << PAGE_SHIFT);

        /* Unmapped first: the frame may be writable once it is put. */
        perdomain_set_l1e(v->arch.gdt_l1, va, 0);
        put_page_and_type(mfn_to_page(_mfn(v->arch.ldt_frames[i])));
    }
    v->arch.ldt_ents = 0;
    v->arch.ldt_base = 0;
}

/* Loads v's LDT on this CPU (v is being switched to, or current). */
void pv_load_ldt(struct vcpu *v)
{
    uint64_t *gdt = cpu_gdt_page[smp_processor_id()];
    unsigned long base = LDT_VIRT(v->vcpu_id);
    unsigned long limit = v->arch.ldt_ents * 8 - 1;
    unsigned int idx = GDT_PAGE_INDEX(LDT_SELECTOR);

    if ( !v->arch.ldt_ents )
    {
        __asm__ __volatile__ ( "lldt %w0" :: "r" (0) : "memory" );
        return;
    }
    gdt[idx] = (limit & 0xffff) | ((base & 0xffffffUL) << 16) |
               ((0x80UL | DESC_LDT64) << 40) | (((limit >> 16) & 0xf) << 48) |
               (((base >> 24) & 0xff) << 56);
    gdt[idx + 1] = base >> 32;
    __asm__ __volatile__ ( "lldt %w0" :: "r" (LDT_SELECTOR) : "memory" );
}

long pv_set_ldt(struct vcpu *v, unsigned long base, unsigned int ents)
{
    unsigned int i, n = (ents * 8 + PAGE_SIZE - 1) >> PAGE_SHIFT;
    unsigned long frames[LDT_PAGES];

    if ( ents > LDT_ENTRIES_MAX || (base & ~PAGE_MASK) ||
         (ents && !pv_guest_address_ok(base)) ||
         (ents && !pv_guest_address_ok(base + n * PAGE_SIZE - 1)) )
        return -EINVAL;

    for ( i = 0; i < n; i++ )
    {
        mfn_t mfn = guest_va_to_mfn(v, base + (i << PAGE_SHIFT), false);

        if ( mfn_eq(mfn, INVALID_MFN) || !mfn_valid(mfn) ||
             !get_page_and_type(mfn_to_page(mfn), v->domain,
                                PGT_seg_desc_page) )
        {
            while ( i-- )
                put_page_and_type(mfn_to_page(_mfn(frames[i])));
            return -EINVAL;
        }
        frames[i] = mfn_x(mfn);
    }

    unmap_guest_ldt(v);
    for ( i = 0; i < n; i++ )
    {
        v->arch.ldt_frames[i] = frames[i];
        perdomain_set_l1e(v->arch.gdt_l1, LDT_VIRT(v->vcpu_id) +
                          (i << PAGE_SHIFT),
                          (frames[i] << PAGE_SHIFT) | PAGE_HYPERVISOR_RW);
    }
    v->arch.ldt_base = base;
    v->arch.ldt_ents = ents;
    pv_load_ldt(v);

    return 0;
}

void pv_release_gdt(struct vcpu *v)
{
    if ( !mfn_eq(v->arch.gdt_l1, INVALID_MFN) && v->arch.gdt_l1.raw )
    {
        unmap_guest_gdt(v);
        unmap_guest_ldt(v);
    }
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
