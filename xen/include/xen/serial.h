/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_SERIAL_H
#define XEN_SERIAL_H

#include <xen/types.h>

/*
 * 16550-compatible UARTs (COM1, COM2). Options:
 *   com1=<baud>[,<DPS>][,<io-base>][,<irq>]   e.g. com1=115200,8n1,0x3f8,4
 * <baud> may be "auto" to keep what the firmware programmed; <DPS> is
 * data bits (5-8), parity (n, o, e, m, s) and stop bits (1, 2); <irq>
 * is the ISA IRQ (default 4 for COM1, 3 for COM2), 0 to poll the UART
 * instead. Fields are recognised by their form: a number up to 15 is
 * the IRQ, a larger one the I/O base.
 */
#define SERHND_COM1 0
#define SERHND_COM2 1

/* Programs the UART named by handle; false if it does not respond. */
bool ns16550_init(unsigned int handle);

/* Writes bytes, translating "\n" to "\r\n". Polling, no interrupts. */
void ns16550_write(unsigned int handle, const char *s, size_t len);

/*
 * Receives a byte: called on CPU0, from the UART's interrupt (interrupts
 * off) or from its poll timer (TIMER_SOFTIRQ, interrupts on).
 */
typedef void (*serial_rx_fn)(char c);

/*
 * Starts input on an initialised UART: its ISA IRQ routed through the
 * IO-APIC to CPU0, or, if that cannot be done or IRQ 0 was asked for,
 * a poll timer on CPU0. Prints which. Boot CPU, once the IO-APICs, the
 * local APIC and the timers are up, before interrupts are enabled.
 */
void ns16550_init_postirq(unsigned int handle, serial_rx_fn rx);

#endif /* XEN_SERIAL_H */
