/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_SYSTEM_H
#define ASM_X86_SYSTEM_H

#include <xen/types.h>

/* Interrupt flag control for this CPU. */

static inline void local_irq_disable(void)
{
    __asm__ __volatile__ ( "cli" ::: "memory" );
}

static inline void local_irq_enable(void)
{
    __asm__ __volatile__ ( "sti" ::: "memory" );
}

/* Saves RFLAGS and disables interrupts; pass the result to restore. */
static inline unsigned long local_irq_save(void)
{
    unsigned long flags;

    __asm__ __volatile__ ( "pushf; pop %0; cli" : "=r" (flags) :: "memory" );
    return flags;
}

static inline void local_irq_restore(unsigned long flags)
{
    __asm__ __volatile__ ( "push %0; popf" :: "r" (flags) : "memory", "cc" );
}

static inline bool local_irq_is_enabled(void)
{
    unsigned long flags;

    __asm__ __volatile__ ( "pushf; pop %0" : "=r" (flags) );
    return flags & (1UL << 9);
}

#endif /* ASM_X86_SYSTEM_H */
