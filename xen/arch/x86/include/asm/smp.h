/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_SMP_H
#define ASM_X86_SMP_H

/*
 * CPU numbers and bring-up (xen/arch/x86/smpboot.c).
 *
 * smp_processor_id() is read from the struct cpu_info at the top of the
 * running stack, so it is right in any context, NMIs included.
 */

#include <asm/current.h>
#include <xen/cpumask.h>
#include <xen/mm.h>

static __always_inline unsigned int smp_processor_id(void)
{
    return get_cpu_info()->processor_id;
}

/* APIC ID of each CPU number; BAD_APICID where none. */
#define BAD_APICID 0xffffffffU
extern uint32_t x86_cpu_to_apicid[CONFIG_NR_CPUS];

/* Boot CPU: finds the APs in the MADT and starts them (honours nosmp, maxcpus=). */
void smp_boot_cpus(void);

/* boot/trampoline.S -> here: an AP's first C code. */
void __noreturn start_secondary(void);

/* Each CPU's stack block (asm/config.h layout), NULL where none. */
extern void *stack_base[CONFIG_NR_CPUS];

/*
 * For the mapping audit: the AP trampoline's L4 (a root an AP loads) and
 * its code frame, the one page its lower half maps; false if there is no
 * trampoline (one CPU, or nosmp).
 */
bool ap_trampoline(mfn_t *root, mfn_t *code);

#endif /* ASM_X86_SMP_H */
