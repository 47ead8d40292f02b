/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_IRQ_H
#define ASM_X86_IRQ_H

/*
 * Device interrupts delivered to guests (xen/arch/x86/irq.c).
 *
 * The IO-APICs are the hypervisor's: a guest names a line by its GSI
 * and never sees a vector or a redirection entry. For each GSI the
 * hypervisor keeps:
 *  - whether it is set up: trigger and polarity known (irq_setup_gsi(),
 *    or the ISA/PCI default at bind), a vector of its own from
 *    GUEST_IRQ_VECTOR_FIRST..LAST (kept for good once given), and the
 *    redirection entry written: fixed delivery, physical destination
 *    CPU 0 until the guest binds its port to a vCPU (irq_guest_set_cpu();
 *    every CPU has the same handler for a vector, so only the entry
 *    changes);
 *  - the domain bound to it, if any, and the event channel port its
 *    interrupts are marked pending on. At most one domain per GSI.
 *
 * Invariants:
 *  - a pin is unmasked only while a domain is bound to its GSI, and,
 *    for a level-triggered line, not while an interrupt of it waits for
 *    the guest's EOI (in_flight). The interrupt masks a level line at
 *    the pin before the local APIC's EOI; irq_guest_eoi() unmasks it.
 *    This is Xen's "unmask" acknowledgement: the line cannot storm while
 *    the guest handles it, and if it is still asserted when unmasked
 *    the IO-APIC delivers it again. Edge lines need no guest EOI.
 *  - the hypervisor's own pins (io_apic_route_isa_irq(): its serial
 *    line) are never set up nor bound for a guest.
 *
 * Locking: one lock, taken with interrupts off, over every GSI's state;
 * callers may hold a domain's event_lock (taken before it). The
 * interrupt handler takes only this lock and delivers with
 * evtchn_set_pending(), which takes none.
 */

#include <xen/types.h>
#include <public/event_channel.h>
#include <asm/traps.h>

struct domain;

/* Vectors for guests' device interrupts: below every IPI, above COM1/2. */
#define GUEST_IRQ_VECTOR_FIRST 0x40
#define GUEST_IRQ_VECTOR_LAST  0xef

/* The most GSIs tracked; GSIs at or above it are refused (-EINVAL). */
#define NR_GSIS 256

/* GSIs that exist: one past the highest an IO-APIC has (<= NR_GSIS). */
unsigned int irq_nr_gsis(void);

/*
 * Sets up gsi with the trigger and polarity given, masked. -EINVAL: no
 * IO-APIC has it; -EEXIST: set up already or the hypervisor's (as Xen,
 * which programs a pin only once); -ENOSPC: no vector left; -ERANGE:
 * CPU 0's APIC ID does not fit an entry.
 */
int irq_setup_gsi(unsigned int gsi, bool level, bool active_low);

/*
 * Binds gsi to d: its interrupts mark port pending. Sets gsi up first
 * if nothing has (an ISA GSI as the MADT says, any other level and
 * active low, as PCI lines are), then unmasks the pin. -EINVAL: no such
 * GSI; -EBUSY: the hypervisor's, or bound already; errors of set-up.
 * *level says whether the guest must EOI it.
 */
int irq_guest_bind(unsigned int gsi, struct domain *d, evtchn_port_t port,
                   bool *level);

/* Masks gsi and forgets its domain (which must be d). */
void irq_guest_unbind(unsigned int gsi, const struct domain *d);

/* Routes gsi (bound to d) to cpu from now on (same vector). */
void irq_guest_set_cpu(unsigned int gsi, const struct domain *d,
                       unsigned int cpu);

/* d's EOI of gsi: unmasks a level line masked by its last interrupt. */
void irq_guest_eoi(unsigned int gsi, const struct domain *d);

/*
 * A free guest vector whose interrupts now go to handler (MSIs, which
 * give theirs back), or 0 if none is left.
 */
unsigned int irq_alloc_vector(intr_handler_t handler);
void irq_free_vector(unsigned int vector);

/* Registers the IRQ dump key, 'i'. Boot, once. */
void irq_init(void);

#endif /* ASM_X86_IRQ_H */
