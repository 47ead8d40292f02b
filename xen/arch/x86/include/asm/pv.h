/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_PV_H
#define ASM_X86_PV_H

/*
 * 64-bit PV guests: the hypervisor's side of the entry and exit paths
 * (xen/arch/x86/pv/). A PV guest's kernel and user space both run in
 * ring 3; every entry from either lands in the CPU's guest frame
 * (guest_cpu_user_regs()), and every exit leaves through
 * pv_resume_guest (pv/entry.S), which runs softirqs, delivers a pending
 * event upcall or trap bounce, and returns to the guest with iretq.
 */

/* An entry of this vector in the guest frame came from SYSCALL. */
#define TRAP_syscall 0x100

#ifndef __ASSEMBLY__

#include <xen/mm.h>
#include <asm/config.h>
#include <asm/cpu-user-regs.h>

struct vcpu;
struct domain;

static inline bool is_canonical_address(unsigned long va)
{
    return ((long)va >> 47) == 0 || ((long)va >> 47) == -1;
}

/* A canonical address below the hypervisor's range or above it. */
static inline bool pv_guest_address_ok(unsigned long va)
{
    return is_canonical_address(va) &&
           (va < HYPERVISOR_VIRT_START || va >= HYPERVISOR_VIRT_END);
}

/*
 * The PAT every PV guest is told, and every CPU runs with (WB, WT, UC-,
 * UC, WC, WP, UC, UC): Xen's, so that guests' PAT bits mean the same.
 */
#define PV_PAT 0x0000050100070406UL

/* CPUID as a PV guest sees it (pv/emul-priv-op.c). */
void pv_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
              uint32_t *c, uint32_t *d);

/* A #PF that is the guest kernel writing its own L1: emulated (pv/ptwr.c). */
bool pv_ptwr_emulate(struct cpu_user_regs *regs, unsigned long cr2);

/* Privileged instructions a PV guest may use (pv/emul-priv-op.c). */
bool pv_emulate_privileged_op(struct cpu_user_regs *regs);

/* The L4 the vCPU runs on now: its kernel's, or its user's. */
mfn_t pv_active_root(const struct vcpu *v);
/* Kernel <-> user: flips TF_kernel_mode, swaps GS bases, loads CR3. */
void toggle_guest_mode(struct vcpu *v);
/* Writes v's registered runstate area; v's page tables must be loaded. */
void update_runstate_area(struct vcpu *v);

/* Context switch helpers (pv/segments.c). */
void load_guest_selectors(struct vcpu *v);
/* set_segment_base GS_USER_SEL: false if the selector faults. */
bool load_user_gs_selector(unsigned long sel);
void save_debug_registers(struct vcpu *v);
void load_debug_registers(struct vcpu *v);

/* Descriptor tables (pv/descriptor-tables.c). */
bool pv_check_descriptor(uint64_t *d);
struct page_info;
bool pv_validate_desc_page(struct page_info *pg);
long pv_set_gdt(struct vcpu *v, const unsigned long *frames,
                unsigned int entries);
void pv_release_gdt(struct vcpu *v);     /* and the LDT */
long pv_set_ldt(struct vcpu *v, unsigned long base, unsigned int ents);
void pv_load_ldt(struct vcpu *v);
/* The zeroed frame unused guest GDT pages map. */
mfn_t pv_zero_mfn(void);

/* VCPUOP_register_vcpu_info (pv/vcpu-info.c), and its undoing. */
long pv_register_vcpu_info(struct vcpu *v, unsigned long arg);
void pv_release_vcpu_info(struct vcpu *v);
/* Is va the global mapping of a registered vcpu_info? (for the audit) */
bool pv_va_is_vcpu_info(unsigned long va);

/* VCPUOP_initialise (pv/vcpu-init.c): v must be down and new. */
long pv_vcpu_initialise(struct vcpu *v, unsigned long arg);

/* Drops the vCPU's references to its page tables (domain death). */
void pv_vcpu_release_tables(struct vcpu *v);
/*
 * A dying domain's page-table entries that reference other domains'
 * frames, dropped (and cleared); returns how many. Its own frames need
 * nothing: they go back to the heap whole.
 */
unsigned long pv_drop_foreign_refs(struct domain *d);

/*
 * The reference audit (pv/domain-audit.c): every general and type count
 * of d's pages recomputed from their holders (allocation, pins, live
 * tables of every domain, vCPU roots, GDT/LDT, vcpu_info) and compared.
 * Pauses d while it runs; verbose prints the first mismatches. 0, or
 * -ENOMEM for the temporary arrays.
 */
struct pv_audit {
    unsigned long pages, tables, pinned, mismatches;
};
int pv_audit_domain(struct domain *d, struct pv_audit *res, bool verbose);

/* Entry points called by entry.S. */
void pv_syscall_entry(struct cpu_user_regs *regs);
void pv_exit_work(struct cpu_user_regs *regs);
/* do_trap()'s part for an exception or soft interrupt from a guest. */
void pv_trap(struct cpu_user_regs *regs);

/* Queue a bounce of vector (with an error code if has_ec) to the guest. */
void pv_inject_trap(unsigned int vector, bool has_ec, uint32_t ec);

/* Per-CPU SYSCALL entry (pv/syscall.c): the calling CPU's MSRs and stub. */
void pv_syscall_init_cpu(void);

/* The hypercall table (pv/hypercall.c). */
void pv_hypercall(struct cpu_user_regs *regs);

#endif /* !__ASSEMBLY__ */

#endif /* ASM_X86_PV_H */
