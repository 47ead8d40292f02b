/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86-64 half of the PV guest ABI: flat segment selectors, the
 * hypervisor hole in the guest's address space, the iret frame and the
 * register block a guest hands over in vcpu_guest_context.
 *
 * Layouts and numbers are Xen's (public/arch-x86/xen-x86_64.h); a 64-bit
 * PV guest built against Xen's own headers sees the same bytes.
 */
#ifndef XEN_PUBLIC_ARCH_X86_XEN_X86_64_H
#define XEN_PUBLIC_ARCH_X86_XEN_X86_64_H

/*
 * A 64-bit PV kernel runs in ring 3 like its user space, so kernel and
 * user share the same flat selectors, all with RPL 3. The hypervisor owns
 * GDT entries from FIRST_RESERVED_GDT_ENTRY (0xe000 / 8) up.
 */
#define FLAT_RING3_CS32     0xe023
#define FLAT_RING3_CS64     0xe033
#define FLAT_RING3_DS32     0xe02b
#define FLAT_RING3_DS64     0x0000  /* a null data selector is fine in long mode */
#define FLAT_RING3_SS32     0xe02b
#define FLAT_RING3_SS64     0xe02b

#define FLAT_KERNEL_DS64    FLAT_RING3_DS64
#define FLAT_KERNEL_DS32    FLAT_RING3_DS32
#define FLAT_KERNEL_DS      FLAT_KERNEL_DS64
#define FLAT_KERNEL_CS64    FLAT_RING3_CS64
#define FLAT_KERNEL_CS32    FLAT_RING3_CS32
#define FLAT_KERNEL_CS      FLAT_KERNEL_CS64
#define FLAT_KERNEL_SS64    FLAT_RING3_SS64
#define FLAT_KERNEL_SS32    FLAT_RING3_SS32
#define FLAT_KERNEL_SS      FLAT_KERNEL_SS64

#define FLAT_USER_DS64      FLAT_RING3_DS64
#define FLAT_USER_DS32      FLAT_RING3_DS32
#define FLAT_USER_DS        FLAT_USER_DS64
#define FLAT_USER_CS64      FLAT_RING3_CS64
#define FLAT_USER_CS32      FLAT_RING3_CS32
#define FLAT_USER_CS        FLAT_USER_CS64
#define FLAT_USER_SS64      FLAT_RING3_SS64
#define FLAT_USER_SS32      FLAT_RING3_SS32
#define FLAT_USER_SS        FLAT_USER_SS64

/*
 * The part of the address space a guest may not map (L4 slots 256-271)
 * and, at its bottom, the read-only machine-to-phys table. A guest should
 * ask XENMEM_machphys_mapping rather than rely on these defaults.
 */
#define __HYPERVISOR_VIRT_START 0xFFFF800000000000
#define __HYPERVISOR_VIRT_END   0xFFFF880000000000
#define __MACH2PHYS_VIRT_START  0xFFFF800000000000
#define __MACH2PHYS_VIRT_END    0xFFFF804000000000

#ifndef __ASSEMBLER__
#define HYPERVISOR_VIRT_START   0xFFFF800000000000UL
#define HYPERVISOR_VIRT_END     0xFFFF880000000000UL
#define MACH2PHYS_VIRT_START    0xFFFF800000000000UL
#define MACH2PHYS_VIRT_END      0xFFFF804000000000UL
#else
#define HYPERVISOR_VIRT_START   __HYPERVISOR_VIRT_START
#define HYPERVISOR_VIRT_END     __HYPERVISOR_VIRT_END
#define MACH2PHYS_VIRT_START    __MACH2PHYS_VIRT_START
#define MACH2PHYS_VIRT_END      __MACH2PHYS_VIRT_END
#endif
#define MACH2PHYS_NR_ENTRIES \
    ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/* set_segment_base: which base (the value is in the second argument). */
#define SEGBASE_FS          0
#define SEGBASE_GS_USER     1
#define SEGBASE_GS_KERNEL   2
#define SEGBASE_GS_USER_SEL 3   /* load a selector into user %gs */

/*
 * iret hypercall flag: the frame came from the syscall callback, so rcx
 * and r11 are not restored from it (sysret semantics).
 */
#define _VGCF_in_syscall    8
#define VGCF_in_syscall     (1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL     VGCF_in_syscall

#ifndef __ASSEMBLER__

/*
 * What the guest pushes before HYPERVISOR_iret, lowest address first:
 * the hypervisor pops it from the guest stack at rsp.
 */
struct iret_context {
    uint64_t rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};

/*
 * The guest-visible register block (Xen: struct cpu_user_regs). Named
 * xen_cpu_user_regs here because the hypervisor has its own, different
 * struct cpu_user_regs (asm/cpu-user-regs.h, the stack frame of its
 * entry code); the bytes are Xen's. Guests written against Xen's header
 * use `struct cpu_user_regs` or cpu_user_regs_t; ours use this name or
 * the typedef.
 */
struct xen_cpu_user_regs {
    uint64_t r15;
    uint64_t r14;
    uint64_t r13;
    uint64_t r12;
    uint64_t rbp;
    uint64_t rbx;
    uint64_t r11;
    uint64_t r10;
    uint64_t r9;
    uint64_t r8;
    uint64_t rax;
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rsi;
    uint64_t rdi;
    uint32_t error_code;        /* filled in by the hypervisor */
    uint32_t entry_vector;      /* likewise */
    uint64_t rip;
    uint16_t cs, _pad0[1];
    uint8_t  saved_upcall_mask;
    uint8_t  _pad1[3];
    uint64_t rflags;            /* rflags.IF is the inverse of the upcall mask */
    uint64_t rsp;
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];
    uint16_t gs, _pad6[3];
};
typedef struct xen_cpu_user_regs cpu_user_regs_t;
DEFINE_XEN_GUEST_HANDLE(cpu_user_regs_t);

#define xen_pfn_to_cr3(pfn) ((unsigned long)(pfn) << 12)
#define xen_cr3_to_pfn(cr3) ((unsigned long)(cr3) >> 12)

/* Per-vCPU architectural state in vcpu_info. */
struct arch_vcpu_info {
    unsigned long cr2;          /* the faulting address of the last #PF bounced */
    unsigned long pad;          /* sizeof(struct vcpu_info) stays 64 */
};
typedef struct arch_vcpu_info arch_vcpu_info_t;

/* A callback is a plain 64-bit address in the guest kernel. */
typedef unsigned long xen_callback_t;

#endif /* !__ASSEMBLER__ */

#endif /* XEN_PUBLIC_ARCH_X86_XEN_X86_64_H */
