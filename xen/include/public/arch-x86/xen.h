/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 part of the PV guest ABI shared by every hypercall header:
 * guest handles, the trap table, the vCPU context of VCPUOP_initialise
 * and the architectural parts of shared_info. 64-bit guests only.
 *
 * Numbers and layouts are Xen's (public/arch-x86/xen.h). The includer
 * provides the fixed-width integer types (<stdint.h> or xen/types.h).
 */
#ifndef XEN_PUBLIC_ARCH_X86_XEN_H
#define XEN_PUBLIC_ARCH_X86_XEN_H

#if !defined(__x86_64__)
#error "Xenon's public headers describe the 64-bit x86 PV ABI only"
#endif

/*
 * A guest handle is a guest-virtual pointer wrapped in a struct, so that
 * the hypervisor cannot dereference one by mistake and a guest cannot
 * pass the wrong type. On x86-64 it is exactly one pointer wide.
 */
#define ___DEFINE_XEN_GUEST_HANDLE(name, type) \
    typedef struct { type *p; } __guest_handle_ ## name
#define __DEFINE_XEN_GUEST_HANDLE(name, type) \
    ___DEFINE_XEN_GUEST_HANDLE(name, type); \
    ___DEFINE_XEN_GUEST_HANDLE(const_ ## name, const type)
#define DEFINE_XEN_GUEST_HANDLE(name)   __DEFINE_XEN_GUEST_HANDLE(name, name)
#define __XEN_GUEST_HANDLE(name)        __guest_handle_ ## name
#define XEN_GUEST_HANDLE(name)          __XEN_GUEST_HANDLE(name)
#define XEN_GUEST_HANDLE_PARAM(name)    XEN_GUEST_HANDLE(name)
#define set_xen_guest_handle_raw(hnd, val) do { (hnd).p = (val); } while ( 0 )
#define set_xen_guest_handle(hnd, val)  set_xen_guest_handle_raw(hnd, val)

#include "xen-x86_64.h"

#ifndef __ASSEMBLER__
typedef unsigned long xen_pfn_t;
typedef unsigned long xen_ulong_t;
#endif

/* The PV entry protocol (start_info in RSI) and vcpu_info's upcall mask. */
#define XEN_HAVE_PV_GUEST_ENTRY 1
#define XEN_HAVE_PV_UPCALL_MASK 1

/* GDT pages from here on belong to the hypervisor. */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/* vcpu_info slots in shared_info; more vCPUs need register_vcpu_info. */
#define XEN_LEGACY_MAX_VCPUS 32

/*
 * trap_info.flags: bits 0-1 are the DPL a software interrupt needs to
 * reach the handler (3 lets user space `int $n`); bit 2 set means the
 * handler runs with events masked, like an interrupt gate.
 */
#define TI_GET_DPL(ti)      ((ti)->flags & 3)
#define TI_GET_IF(ti)       ((ti)->flags & 4)
#define TI_SET_DPL(ti, dpl) ((ti)->flags |= (dpl))
#define TI_SET_IF(ti, i)    ((ti)->flags |= ((!!(i)) << 2))

/* vcpu_guest_context.flags */
#define _VGCF_i387_valid                0
#define VGCF_i387_valid                 (1 << _VGCF_i387_valid)
#define _VGCF_in_kernel                 2
#define VGCF_in_kernel                  (1 << _VGCF_in_kernel)
#define _VGCF_failsafe_disables_events  3
#define VGCF_failsafe_disables_events   (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events   4
#define VGCF_syscall_disables_events    (1 << _VGCF_syscall_disables_events)
#define _VGCF_online                    5
#define VGCF_online                     (1 << _VGCF_online)

#ifndef __ASSEMBLER__

/*
 * One entry of set_trap_table's list, which ends with an entry whose
 * address is 0. cs is ignored for 64-bit guests but must be a guest
 * selector (FLAT_KERNEL_CS).
 */
struct trap_info {
    uint8_t       vector;
    uint8_t       flags;        /* TI_* */
    uint16_t      cs;
    unsigned long address;
};
typedef struct trap_info trap_info_t;
DEFINE_XEN_GUEST_HANDLE(trap_info_t);

typedef uint64_t tsc_timestamp_t;

/*
 * A whole vCPU, as VCPUOP_initialise takes it. ctrlreg[3] holds the
 * L4's MFN in xen_pfn_to_cr3() form; ctrlreg[1] the user L4 likewise.
 */
struct vcpu_guest_context {
    struct { char x[512]; } fpu_ctxt;   /* FXSAVE image */
    unsigned long flags;                /* VGCF_* */
    struct xen_cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];
    unsigned long ldt_base, ldt_ents;
    unsigned long gdt_frames[16], gdt_ents;
    unsigned long kernel_ss, kernel_sp;
    unsigned long ctrlreg[8];
    unsigned long debugreg[8];
    unsigned long event_callback_eip;
    unsigned long failsafe_callback_eip;
    unsigned long syscall_callback_eip;
    unsigned long vm_assist;            /* VMASST_TYPE_* bits */
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_guest_context_t);

/* Architectural part of shared_info: mostly where the p2m can be found. */
struct arch_shared_info {
    unsigned long max_pfn;              /* p2m entries */
    xen_pfn_t     pfn_to_mfn_frame_list_list;
    unsigned long nmi_reason;           /* XEN_NMIREASON_* */
    unsigned long p2m_cr3;              /* virtually mapped p2m: its L4 MFN */
    unsigned long p2m_vaddr;            /* ...its address */
    unsigned long p2m_generation;       /* odd while it is being updated */
};
typedef struct arch_shared_info arch_shared_info_t;

#endif /* !__ASSEMBLER__ */

/*
 * Forced emulation: a PV guest prefixes an instruction with
 * `ud2; .ascii "xen"` to have the hypervisor emulate it (cpuid with the
 * guest's policy rather than the real CPU's answer).
 */
#ifdef __ASSEMBLER__
#define XEN_EMULATE_PREFIX .byte 0x0f, 0x0b, 0x78, 0x65, 0x6e ;
#define XEN_CPUID          XEN_EMULATE_PREFIX cpuid
#else
#define XEN_EMULATE_PREFIX ".byte 0x0f, 0x0b, 0x78, 0x65, 0x6e ; "
#define XEN_CPUID          XEN_EMULATE_PREFIX "cpuid"
#endif

#endif /* XEN_PUBLIC_ARCH_X86_XEN_H */
