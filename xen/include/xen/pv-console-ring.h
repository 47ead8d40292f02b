/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_PV_CONSOLE_RING_H
#define XEN_PV_CONSOLE_RING_H

/*
 * A domU's console ring (public/io/console.h), with the hypervisor as
 * its backend: Linux's hvc_xen needs one to give a domU a console at
 * all (it refuses a domU whose start_info names no console event
 * channel).
 *
 * The ring is one of the domain's own frames, given in start_info with
 * an event channel whose other end is the hypervisor. On each of the
 * guest's notifications everything between out_cons and out_prod is
 * printed as the domain's console_io writes are, a line at a time with
 * its "(d<id>) " prefix, out_cons is advanced to out_prod, and the
 * guest is notified back (room in the ring). Indexes further apart than
 * the ring's size are a broken ring: its contents are dropped, out_cons
 * set to out_prod. Input ("in") is never produced: a domU reads nothing.
 *
 * The frame stays the domain's; it is only mapped while a notification
 * is served, from the domain's own hypercall, so it cannot be freed
 * meanwhile.
 */

#include <xen/types.h>
#include <xen/mm.h>

struct domain;

/*
 * Makes mfn (one of d's frames, which the caller has zeroed) d's
 * console ring; returns the port of d to give the guest (> 0), or a
 * negative errno.
 */
int pv_console_ring_init(struct domain *d, mfn_t mfn);

#endif /* XEN_PV_CONSOLE_RING_H */
