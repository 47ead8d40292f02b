/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_EVENT_H
#define XEN_EVENT_H

/*
 * Event channels (xen/common/event_channel.c): marking a port pending
 * for a vCPU, from any CPU and any context that may take no lock
 * (interrupts, timers): the delivery is lock-free bit operations on
 * shared_info and vcpu_info, then a wake-up.
 */

#include <xen/types.h>
#include <public/event_channel.h>

struct domain;
struct vcpu;

int evtchn_init(struct domain *d);
void evtchn_destroy(struct domain *d);
void evtchn_set_pending(struct vcpu *v, evtchn_port_t port);
bool evtchn_port_pending(const struct domain *d, evtchn_port_t port);
/* VIRQ virq of v, if bound; nothing otherwise (as in Xen). */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);

#endif /* XEN_EVENT_H */
