/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_I387_H
#define ASM_X86_I387_H

/*
 * Guest FPU/SSE/AVX state (xen/arch/x86/i387.c): each vCPU has a save
 * area; context_switch() saves the outgoing vCPU's registers into it and
 * loads the incoming one's (eager switching: no #NM games).
 */

#include <xen/types.h>

struct vcpu;

extern uint64_t xcr0_host;

void fpu_init(void);             /* boot CPU, before any other */
void fpu_init_cpu(void);         /* every CPU as it starts */
int vcpu_fpu_init(struct vcpu *v);
void vcpu_fpu_destroy(struct vcpu *v);
void fpu_save(struct vcpu *v);
/* Loads v's state; sets CR0.TS if v's virtual TS is set. */
void fpu_restore(struct vcpu *v);

#endif /* ASM_X86_I387_H */
