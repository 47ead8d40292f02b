/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_I8259_H
#define ASM_X86_I8259_H

/*
 * The legacy 8259A pair (xen/arch/x86/i8259.c). Xenon routes nothing
 * through it: it is moved off the exception vectors and silenced.
 */

#include <xen/types.h>

#define PIC_MASTER_CMD   0x20
#define PIC_MASTER_DATA  0x21   /* reads and writes the mask (IMR) */
#define PIC_SLAVE_CMD    0xa0
#define PIC_SLAVE_DATA   0xa1
#define PIC_CASCADE_IRQ  2      /* the master's line the slave drives */

/*
 * If the MADT says there are 8259s (or there is no MADT to say), this
 * reprograms both so that IRQ n arrives on PIC_VECTOR_BASE + n, masks all
 * 16 lines, and takes over those 16 vectors: spurious IRQ 7 and 15 are
 * counted and ignored, any other is reported once per line. Otherwise it
 * leaves the I/O ports alone. Boot CPU, once, interrupts disabled,
 * after acpi_boot_init().
 */
void pic_disable(void);

/* Spurious interrupts seen: [0] from the master (IRQ 7), [1] the slave. */
extern unsigned long pic_spurious[2];

#endif /* ASM_X86_I8259_H */
