/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_CURRENT_H
#define ASM_X86_CURRENT_H

/*
 * Who am I: every CPU runs on its own STACK_SIZE-aligned stack block
 * (asm/config.h), and the top CPUINFO_SIZE bytes of it hold a struct
 * cpu_info. Rounding the stack pointer up finds it in two instructions,
 * from the primary stack and from the IST stacks alike, with no segment
 * base to trust (a PV guest will own GS).
 */

#include <asm/config.h>
#include <xen/compiler.h>
#include <xen/types.h>

struct cpu_info {
    unsigned int processor_id;     /* the hypervisor's CPU number */
    unsigned int apic_id;
    unsigned long per_cpu_offset;  /* this CPU's area - template */
    unsigned long pad[6];          /* CPUINFO_SIZE bytes in all */
};

static __always_inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;

    __asm__ ( "mov %%rsp, %0" : "=r" (sp) );
    return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 - CPUINFO_SIZE);
}

/* Base of a CPU's stack block, and the top of the stack for IST slot n. */
#define stack_block_of(sp) ((unsigned long)(sp) & ~(STACK_SIZE - 1))
#define ist_stack_top(block, ist) \
    ((unsigned long)(block) + PAGE_SIZE * (1 + IST_STACK_PAGES * (ist)))
#define primary_stack_top(block) \
    ((unsigned long)(block) + STACK_SIZE - CPUINFO_SIZE)

#endif /* ASM_X86_CURRENT_H */
