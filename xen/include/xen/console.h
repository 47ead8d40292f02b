/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

#include <xen/types.h>

/*
 * The hypervisor console. printk() output is kept in a ring (conring)
 * from the first line on; console_init() starts the devices chosen with
 * "console=" (com1, com2, none; default com1) and replays the ring, so
 * nothing printed before the UART was set up is lost.
 */
void console_init(void);

/* Bytes printed so far, including lines filtered out by loglvl. */
size_t console_bytes_written(void);

#endif /* XEN_CONSOLE_H */
