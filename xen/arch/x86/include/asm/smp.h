/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_SMP_H
#define ASM_X86_SMP_H

/*
 * One CPU until issue 4 (SMP) brings up the others; per-CPU structures
 * are already indexed by this so that SMP only has to change it.
 */
static inline unsigned int smp_processor_id(void)
{
    return 0;
}

#endif /* ASM_X86_SMP_H */
