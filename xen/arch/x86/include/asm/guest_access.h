/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_GUEST_ACCESS_H
#define ASM_X86_GUEST_ACCESS_H

/*
 * Reading and writing a PV guest's memory at its virtual addresses
 * (xen/arch/x86/pv/guest-access.c).
 *
 * The only way hypervisor code touches guest memory through a guest
 * pointer, with the guest's own permissions (present, user, and
 * writable for a write, at every level) in the vCPU's active tables
 * (kernel or user, as it runs now). Null, non-canonical,
 * hypervisor-range, unmapped or (for a write) read-only addresses end
 * the copy. The access goes straight through the guest's loaded tables
 * with an exception fixup; on a fault, or when those tables are not
 * loaded, a software walk through map_domain_page() decides. Neither
 * leaves a guest frame mapped in the hypervisor.
 *
 * Each returns the number of bytes NOT copied: 0 is success. Callers
 * turn non-zero into -EFAULT. Any context with a current PV vCPU;
 * interrupts may be on or off.
 */

#include <xen/mm.h>
#include <xen/types.h>
#include <asm/page.h>

struct vcpu;

/*
 * The frame behind v's guest virtual address va, walking v's active
 * tables with the guest's permissions (RW at every level if write), or
 * INVALID_MFN. v must be current (its tables are the ones walked).
 */
mfn_t guest_va_to_mfn(const struct vcpu *v, unsigned long va, bool write);

/*
 * The level-`level` entry (1: the PTE, 4: the L4 entry) for va in the
 * tables rooted at root, read through the linear slot (asm/l4-slots.h)
 * when root is the table the CPU runs on: true with *e set (0 if a
 * table above it is not present); false when root is not loaded, and
 * the caller walks. What a guest's own TLB would see: an entry above
 * that the guest changed without a flush may still lead the old way,
 * so callers check what they find as they would a walk's result.
 */
bool guest_linear_entry(mfn_t root, unsigned long va, unsigned int level,
                        pgentry_t *e);

unsigned long copy_from_guest_va(void *dst, unsigned long src,
                                 unsigned long len);
unsigned long copy_to_guest_va(unsigned long dst, const void *src,
                               unsigned long len);
unsigned long clear_guest_va(unsigned long dst, unsigned long len);

/*
 * For a hypercall handler whose argument is one struct at guest address
 * arg: copies it in (returning -EFAULT from the handler if it cannot),
 * runs op on the copy, and copies it back out if copy_out, which may
 * look at op's result as rc_, holds. The value is op's result, or
 * -EFAULT if the copy out failed.
 */
#define guest_struct_op(type, arg, op, copy_out)                           \
({                                                                         \
    type a_;                                                               \
    long rc_;                                                              \
                                                                           \
    if ( copy_from_guest_va(&a_, arg, sizeof(a_)) )                        \
        return -EFAULT;                                                    \
    rc_ = op(&a_);                                                         \
    if ( (copy_out) && copy_to_guest_va(arg, &a_, sizeof(a_)) )            \
        rc_ = -EFAULT;                                                     \
    rc_;                                                                   \
})

/* Typed helpers over guest handles (public headers' XEN_GUEST_HANDLE). */
#define guest_handle_is_null(h) ((h).p == NULL)
#define copy_from_guest(dst, h, n) \
    copy_from_guest_va(dst, (unsigned long)(h).p, (n) * sizeof(*(h).p))
#define copy_to_guest(h, src, n) \
    copy_to_guest_va((unsigned long)(h).p, src, (n) * sizeof(*(h).p))
#define copy_from_guest_offset(dst, h, off, n) \
    copy_from_guest_va(dst, (unsigned long)((h).p + (off)), \
                       (n) * sizeof(*(h).p))
#define copy_to_guest_offset(h, off, src, n) \
    copy_to_guest_va((unsigned long)((h).p + (off)), src, \
                     (n) * sizeof(*(h).p))

#endif /* ASM_X86_GUEST_ACCESS_H */
