/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_SERIAL_H
#define XEN_SERIAL_H

#include <xen/types.h>

/*
 * 16550-compatible UARTs (COM1, COM2). Options:
 *   com1=<baud>[,<DPS>][,<io-base>]   e.g. com1=115200,8n1,0x3f8
 * <baud> may be "auto" to keep what the firmware programmed; <DPS> is
 * data bits (5-8), parity (n, o, e, m, s) and stop bits (1, 2).
 */
#define SERHND_COM1 0
#define SERHND_COM2 1

/* Programs the UART named by handle; false if it does not respond. */
bool ns16550_init(unsigned int handle);

/* Writes bytes, translating "\n" to "\r\n". Polling, no interrupts. */
void ns16550_write(unsigned int handle, const char *s, size_t len);

#endif /* XEN_SERIAL_H */
