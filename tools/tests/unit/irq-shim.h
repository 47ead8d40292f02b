/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Forced into hypervisor sources built for the host in place of
 * asm/system.h, whose cli/sti would fault in user space: it takes that
 * header's include guard and declares the same interrupt-flag helpers as
 * plain functions, which the test program defines (so it can check that
 * interrupts are off exactly where they should be).
 */
#ifndef ASM_X86_SYSTEM_H
#define ASM_X86_SYSTEM_H

#include <stdbool.h>

/* RFLAGS.IF, the bit local_irq_save() reports. */
#define SHIM_EFLAGS_IF (1UL << 9)

void local_irq_disable(void);
void local_irq_enable(void);
unsigned long local_irq_save(void);
void local_irq_restore(unsigned long flags);
bool local_irq_is_enabled(void);

#endif /* ASM_X86_SYSTEM_H */
