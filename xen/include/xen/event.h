/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_EVENT_H
#define XEN_EVENT_H

/*
 * Event channels, the 2-level ABI (docs/designs/event-channels.md).
 * xen/common/event_channel.c has the ports and the hypercall,
 * xen/common/event_2l.c the delivery through shared_info and vcpu_info.
 *
 * A domain has max_evtchns ports (4096 for a 64-bit guest), each FREE,
 * UNBOUND, INTERDOMAIN, VIRQ, IPI or PIRQ (struct evtchn, xen/sched.h).
 * Invariants:
 *  - port 0 is never handed out; allocation takes the lowest free port;
 *  - an INTERDOMAIN port and its peer point at each other; closing one
 *    end turns the other UNBOUND, bindable again by the closer's domain;
 *  - a VIRQ port is in exactly one virq_to_evtchn[] slot: its notify
 *    vCPU's for a per-vCPU VIRQ, vCPU 0's for a global one;
 *  - a PIRQ port is its PIRQ's only port (asm/physdev.h); closing it
 *    masks the line if it was live;
 *  - a closed port is FREE, not pending, notifies vCPU 0;
 *  - a port whose other end is the hypervisor (evtchn_alloc_xen_port())
 *    is UNBOUND with remote_domid DOMID_XEN, so no domain can bind it;
 *    the guest's sends call the hypervisor's consumer instead of being
 *    dropped. Closing it makes it an ordinary FREE port.
 *
 * Locking: d->event_lock for any change to d's ports; an interdomain
 * pair changes under both domains' locks, taken lower address first.
 * Sending on an interdomain port holds the sender's lock, which keeps
 * the peer domain (its ports, vCPUs and shared pages) alive: the peer
 * cannot close its end, even while dying, without that lock.
 *
 * Delivery (evtchn_set_pending() and the VIRQ senders) takes no lock
 * and may run in any context, interrupt handlers included.
 */

#include <xen/types.h>
#include <public/event_channel.h>

struct domain;
struct vcpu;

/* A domain's port table, all FREE. -ENOMEM. */
int evtchn_init(struct domain *d);
/*
 * Closes every port of d (its interdomain peers become unbound) and
 * refuses new ones: domain_kill() calls it before d's vCPUs and shared
 * pages go. Idempotent.
 */
void evtchn_destroy(struct domain *d);
/* Frees the table (after evtchn_destroy(), or if d never ran). */
void evtchn_destroy_final(struct domain *d);

/*
 * The hypervisor's end of a port of d: fn(d, port) runs on every send
 * by d on it, in d's hypercall context (current->domain == d, no lock
 * held). A port of d notifying vCPU 0, or -ENOSPC (ports, or the
 * hypervisor's few consumer slots, exhausted), -EINVAL (d dying).
 */
typedef void (*xen_consumer_fn)(struct domain *d, evtchn_port_t port);
int evtchn_alloc_xen_port(struct domain *d, xen_consumer_fn fn);
/* Makes port of d pending for the vCPU it notifies (any context). */
void evtchn_notify_port(struct domain *d, evtchn_port_t port);

/* Makes port pending for v, which it notifies (any context). */
void evtchn_set_pending(struct vcpu *v, evtchn_port_t port);
bool evtchn_port_pending(const struct domain *d, evtchn_port_t port);

/* VIRQ_TIMER, VIRQ_DEBUG, VIRQ_XENOPROF, VIRQ_XENPMU are per vCPU. */
bool virq_is_global(unsigned int virq);
/* Per-vCPU VIRQ virq of v, if bound; nothing otherwise (as in Xen). */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
/*
 * Global VIRQ virq of d (VIRQ_DOM_EXC, VIRQ_CONSOLE...), if bound, to
 * the vCPU its port notifies; nothing if d is NULL or it is not bound.
 */
void send_global_virq(struct domain *d, unsigned int virq);

/* --- for event_channel.c: the 2-level bit operations (event_2l.c) --- */

void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port);
/* EVTCHNOP_unmask: delivers the port to v if it was pending. */
void evtchn_2l_unmask(struct vcpu *v, evtchn_port_t port);

/* Registers the event-channel dump key, 'e' (xen/common/event_dump.c). */
void event_dump_init(void);

#endif /* XEN_EVENT_H */
