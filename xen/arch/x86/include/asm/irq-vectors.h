/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_IRQ_VECTORS_H
#define ASM_X86_IRQ_VECTORS_H

/*
 * Who owns which interrupt vector. 0-31 are exceptions. Higher vectors
 * have higher priority in the local APIC (priority class = vector >> 4),
 * so the vectors that must get through while others are pending sit at
 * the top.
 */

/* The legacy 8259 pair, remapped here and masked, so that a spurious
 * IRQ 7 or 15 cannot be mistaken for an exception. */
#define PIC_VECTOR_BASE          0x20    /* 0x20-0x2f */

/* Device interrupts, below every IPI: the serial console's UARTs. */
#define SERIAL_COM1_VECTOR       0x30    /* ns16550.c, through the IO-APIC */
#define SERIAL_COM2_VECTOR       0x31

#define SELFTEST_VECTOR          0xf1    /* INT n in the mapcache self-test */
#define LOCAL_TIMER_VECTOR       0xf8    /* local APIC timer */
#define CALL_FUNCTION_VECTOR     0xf9    /* on_selected_cpus() */
#define INVALIDATE_TLB_VECTOR    0xfa    /* flush_tlb_mask() */
#define EVENT_CHECK_VECTOR       0xfb    /* wake up: softirqs pending */
#define ERROR_APIC_VECTOR        0xfe    /* local APIC error */
#define SPURIOUS_APIC_VECTOR     0xff    /* low 4 bits must be 1s on old CPUs */

#endif /* ASM_X86_IRQ_VECTORS_H */
