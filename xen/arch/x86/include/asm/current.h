/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_CURRENT_H
#define ASM_X86_CURRENT_H

/*
 * Who am I, and what was the guest doing.
 *
 * Every CPU runs on its own STACK_SIZE-aligned stack block (asm/config.h)
 * whose top CPUINFO_SIZE bytes hold a struct cpu_info. Rounding the stack
 * pointer up finds it in two instructions, from the primary stack and
 * from the IST stacks alike, with no segment base to trust (a PV guest
 * owns GS).
 *
 * The top of a stack block, high addresses first:
 *
 *   block + STACK_SIZE       end of the block
 *   ...                      reserved up to CPUINFO_SIZE (room for the
 *                            XPTI CR3 pair; docs/designs/pv-readiness.md)
 *   ...                      processor_id, apic_id, per_cpu_offset,
 *                            current_vcpu
 *   guest_frame_top(block)   TSS.rsp0: an entry from guest mode starts here
 *   ...                      guest_cpu_user_regs: the CPU's frame fills its
 *                            last five words, the stub and entry code the rest
 *   primary_stack_top(block) the primary stack grows down from here
 *
 * Entries from hypervisor mode push onto whatever stack they interrupt,
 * and NMI, #DF and #MC onto their IST stacks (from guest mode too), so
 * guest_cpu_user_regs holds exactly the state of the guest as it last
 * entered the hypervisor on this CPU's primary stack.
 */

#include <asm/config.h>
#include <asm/cpu-user-regs.h>

/* Offsets inside struct cpu_info, for assembly (checked below). */
#define CPUINFO_guest_cpu_user_regs 0
#define CPUINFO_processor_id        UREGS_size
#define CPUINFO_apic_id             (UREGS_size + 4)
#define CPUINFO_per_cpu_offset      (UREGS_size + 8)
#define CPUINFO_current_vcpu        (UREGS_size + 16)

#ifndef __ASSEMBLY__

#include <xen/compiler.h>
#include <xen/types.h>

struct vcpu;

struct cpu_info {
    struct cpu_user_regs guest_cpu_user_regs;
    unsigned int processor_id;     /* the hypervisor's CPU number */
    unsigned int apic_id;
    unsigned long per_cpu_offset;  /* this CPU's area - template */
    struct vcpu *current_vcpu;     /* NULL until vCPUs exist */
    unsigned long reserved[7];     /* CPUINFO_SIZE bytes in all */
};

BUILD_BUG_ON(sizeof(struct cpu_info) != CPUINFO_SIZE);
BUILD_BUG_ON(CPUINFO_SIZE % 16); /* keeps rsp0 16-byte aligned */
BUILD_BUG_ON(__builtin_offsetof(struct cpu_info, guest_cpu_user_regs) !=
             CPUINFO_guest_cpu_user_regs);
BUILD_BUG_ON(__builtin_offsetof(struct cpu_info, processor_id) !=
             CPUINFO_processor_id);
BUILD_BUG_ON(__builtin_offsetof(struct cpu_info, apic_id) !=
             CPUINFO_apic_id);
BUILD_BUG_ON(__builtin_offsetof(struct cpu_info, per_cpu_offset) !=
             CPUINFO_per_cpu_offset);
BUILD_BUG_ON(__builtin_offsetof(struct cpu_info, current_vcpu) !=
             CPUINFO_current_vcpu);

static __always_inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;

    __asm__ ( "mov %%rsp, %0" : "=r" (sp) );
    return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 - CPUINFO_SIZE);
}

/*
 * The vCPU this CPU runs. NULL for now; once the scheduler exists, the
 * idle vCPU when no guest's is loaded, and never NULL again.
 */
static __always_inline struct vcpu *get_current(void)
{
    return get_cpu_info()->current_vcpu;
}

static __always_inline void set_current(struct vcpu *v)
{
    get_cpu_info()->current_vcpu = v;
}

#define current get_current()

/* The guest state saved by the latest entry from guest mode. */
#define guest_cpu_user_regs() (&get_cpu_info()->guest_cpu_user_regs)

#endif /* !__ASSEMBLY__ */

/* Base of a CPU's stack block, and the top of the stack for IST slot n. */
#define stack_block_of(sp) ((unsigned long)(sp) & ~(STACK_SIZE - 1))
#define ist_stack_top(block, ist) \
    ((unsigned long)(block) + PAGE_SIZE * (1 + IST_STACK_PAGES * (ist)))
#define primary_stack_top(block) \
    ((unsigned long)(block) + STACK_SIZE - CPUINFO_SIZE)
/* TSS.rsp0: the end of guest_cpu_user_regs. */
#define guest_frame_top(block) (primary_stack_top(block) + UREGS_size)

#endif /* ASM_X86_CURRENT_H */
