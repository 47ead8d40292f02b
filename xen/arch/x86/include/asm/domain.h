/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_DOMAIN_H
#define ASM_X86_DOMAIN_H

/*
 * The x86 part of struct domain and struct vcpu: what a 64-bit PV guest
 * has that the hardware or the hypervisor must keep for it.
 *
 * A PV vCPU's kernel and user both run in ring 3 on page tables the
 * guest owns: guest_table while the guest kernel runs, guest_table_user
 * while its user space does (TF_kernel_mode says which; the switch is a
 * CR3 load and a swapgs, done by the hypervisor on a syscall, a bounce
 * and the iret hypercall). While the vCPU runs, its general registers
 * live in the CPU's guest frame (guest_cpu_user_regs()) and its
 * segment bases, FPU and debug registers in the hardware; user_regs and
 * the fields below are where they wait while it does not.
 */

#include <xen/mm.h>
#include <xen/types.h>
#include <asm/cpu-user-regs.h>

/* Per-domain area (L4 slot 260): each vCPU's GDT and LDT mappings. */
#define PERDOMAIN_VCPU_SHIFT 17                 /* 128 KiB a vCPU */
#define GDT_LDT_VIRT(vcpu_id) \
    (PERDOMAIN_VIRT_START + ((unsigned long)(vcpu_id) << PERDOMAIN_VCPU_SHIFT))
#define GDT_VIRT(vcpu_id)  GDT_LDT_VIRT(vcpu_id)
#define LDT_VIRT(vcpu_id)  (GDT_LDT_VIRT(vcpu_id) + (16UL << PAGE_SHIFT))
#define GDT_GUEST_PAGES    14   /* FIRST_RESERVED_GDT_PAGE */
#define LDT_PAGES          16   /* 8192 entries */

/* One trap-table entry (set_trap_table). */
struct pv_trap {
    unsigned long address;       /* 0: no handler */
    uint16_t cs;
    uint8_t flags;               /* TI_* : DPL in bits 0-1, IF in bit 2 */
};

/* A frame waiting to be put on the guest's stack on the way out. */
struct trap_bounce {
    uint32_t error_code;
    uint8_t flags;               /* TBF_* */
    bool pending;                /* to be written on the way out */
    unsigned long eip;
};

#define TBF_EXCEPTION          1
#define TBF_EXCEPTION_ERRCODE  2
#define TBF_INTERRUPT          8  /* mask events while the handler runs */
#define TBF_FAILSAFE          16  /* add the DS/ES/FS/GS words */

/* arch_vcpu.flags */
#define TF_kernel_mode 1

struct pirq;

struct arch_domain {
    mfn_t perdomain_l3;          /* this domain's L3 for L4 slot 260 */
    unsigned long vm_assist;     /* VMASST_* enabled by the guest */
    unsigned long p2m_size;      /* pseudo-physical frames at build time */
    bool is_32bit_pv;            /* never, for now: refused at build */

    /* PIRQs (asm/physdev.h): nr_pirqs of them, under the event_lock. */
    struct pirq *pirqs;
    unsigned int nr_pirqs;
    /* IRQs (map_pirq indexes) it may map: Xen's per-domain IRQ access. */
    unsigned long irq_access[256 / (8 * sizeof(unsigned long))];
    mfn_t pirq_eoi_mfn;          /* the EOI bitmap frame, or INVALID_MFN */
};

struct arch_vcpu {
    struct cpu_user_regs user_regs; /* while not running */
    unsigned int flags;             /* TF_kernel_mode */

    /*
     * The CPU whose TLB may hold translations from this vCPU's page
     * tables (CONFIG_NR_CPUS: none): set before its CR3 is loaded, cleared once
     * another CR3 replaced it. Guest entries are never global, so a CR3
     * load drops them all.
     */
    unsigned int dirty_cpu;

    mfn_t guest_table;           /* kernel L4, pinned */
    mfn_t guest_table_user;      /* user L4, or INVALID_MFN */
    /* This vCPU marked tables (pv/prevalidate.c) not yet released. */
    bool prevalidated_marks;
    /* Tables this vCPU is devalidating, outermost first (pv/devalidate.c). */
    struct pv_dying_table {
        struct page_info *pg;
        unsigned int level;     /* 2-4 */
        unsigned int next;      /* the next entry whose references go */
    } dying[3];
    unsigned int dying_depth;

    struct pv_trap *trap_ctxt;   /* 256 entries */
    struct trap_bounce trap_bounce;

    unsigned long event_callback_eip;
    unsigned long failsafe_callback_eip;
    unsigned long syscall_callback_eip;
    unsigned long nmi_callback_eip;
    bool syscall_disables_events;
    bool failsafe_disables_events;

    unsigned long kernel_ss, kernel_sp; /* stack_switch */

    /* Segment state while not running. */
    unsigned long fs_base, gs_base_kernel, gs_base_user;
    uint16_t ds, es, fs, gs;     /* selectors */

    unsigned long debugreg[8];
    bool fpu_ts;                 /* the guest's virtual CR0.TS */
    unsigned long guest_cr4;     /* the CR4 the guest sees */
    uint64_t xcr0;               /* the guest's XCR0 (0: the host's) */
    void *xsave_area;            /* FPU/SSE/AVX state (xsave or fxsave) */
    unsigned int iopl;           /* virtual IOPL (physdev_op set_iopl) */

    /* The guest's GDT (set_gdt) and LDT (mmuext SET_LDT). */
    unsigned long gdt_frames[GDT_GUEST_PAGES];
    unsigned int gdt_ents;
    unsigned long ldt_base;
    unsigned int ldt_ents;
    unsigned long ldt_frames[LDT_PAGES];
    unsigned int gdt_cpu;        /* whose descriptor page GDT page 14 maps */
    mfn_t gdt_l1;                /* the L1 holding this vCPU's GDT/LDT */

    unsigned long runstate_guest; /* registered runstate area, or 0 */
    void *vcpu_info_page;        /* register_vcpu_info: its global mapping */
    mfn_t vcpu_info_mfn;
};

#endif /* ASM_X86_DOMAIN_H */
