/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_KEYHANDLER_H
#define XEN_KEYHANDLER_H

/*
 * Debug keys (xen/common/keyhandler.c): single keys typed on the serial
 * console while its input goes to the hypervisor (see xen/console.h),
 * each running a handler that prints some state or acts on the machine.
 *
 * Handlers run from KEYPRESS_SOFTIRQ on CPU0, one key at a time, with
 * interrupts on and no lock held: never in the UART's interrupt, since
 * a dump may print for a long time. They may take locks and print as
 * much as they like, but must not sleep (nothing can yet).
 */

typedef void (*keyhandler_fn_t)(unsigned char key);

/*
 * key runs fn from now on; desc is what 'h' shows for it. Boot time,
 * before interrupts are on; a key has one handler (a second
 * registration of the same key is a bug).
 */
void register_keyhandler(unsigned char key, keyhandler_fn_t fn,
                         const char *desc);

/*
 * Runs key's handler after a line saying which; for a key without one,
 * a line saying so. KEYPRESS_SOFTIRQ context (see above).
 */
void handle_keypress(unsigned char key);

/* Registers the built-in keys. Boot CPU, once, before console input. */
void keyhandler_init(void);

#endif /* XEN_KEYHANDLER_H */
