/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

#include <xen/time.h>
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

/*
 * Input. Bytes typed on the console's UARTs go to the debug keys
 * (xen/common/keyhandler.c, run from KEYPRESS_SOFTIRQ on CPU0) or to
 * dom0 (a ring read with CONSOLEIO_read); the switch character,
 * Ctrl-<letter> ("conswitch=", default a) typed three times in a row,
 * toggles between them and is swallowed. Input goes to the hypervisor
 * during boot and always while there is no dom0.
 */

/*
 * Starts input on the console's UARTs (interrupts or polling, see
 * xen/serial.h) and the debug-key softirq. Boot CPU, once, after the
 * IO-APICs, the local APIC and the timers, before interrupts are on.
 */
void console_init_postirq(void);

/*
 * End of boot: hands input to dom0 if there is one (and "conswitch="
 * has no trailing x), and prints where input goes and how to switch.
 */
void console_endboot(void);

/*
 * Called whenever input is queued for dom0 (any context, no locks
 * held): raises dom0's VIRQ_CONSOLE, if bound.
 */
void console_input_notify(void);

/*
 * n bytes of a domU's console output: printed a line at a time with its
 * "(d<id>) " prefix, as its console_io writes are (any context but
 * interrupt handlers; takes the console lock).
 */
struct domain;
void console_domain_write(struct domain *d, const char *s, size_t n);

/*
 * A domU's share of the line (console_domu_rate=RATE[,BURST], bytes a
 * second and bytes at once; defaults 4096 and 65536; RATE 0: no limit).
 * console_budget_take() grants up to want bytes now, at least one if any
 * budget is left, and charges them; console_budget_ready_at() says when
 * want bytes (at most a burst) would be granted.
 * console_budget_take_all() grants all n bytes or none; none are counted
 * as dropped. A caller that throws bytes away itself says so with
 * console_budget_dropped(). What was dropped is printed when the domain
 * is granted bytes again (once a second at most), and at its death. Any
 * context but interrupt handlers.
 */
size_t console_budget_take(struct domain *d, size_t want);
bool console_budget_take_all(struct domain *d, size_t n);
s_time_t console_budget_ready_at(const struct domain *d, size_t want);
void console_budget_dropped(struct domain *d, size_t n);
/* Prints what d lost and not yet reported (at its death). */
void console_budget_report(struct domain *d);

/*
 * A domU is being destroyed: what it wrote of an unfinished line is
 * printed now (with its prefix), rather than lost.
 */
void console_domain_gone(struct domain *d);

#endif /* XEN_CONSOLE_H */
