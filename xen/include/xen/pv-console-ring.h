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
 * its "(d<id>) " prefix, as far as its share of the line allows
 * (console_budget_take(); a timer drains the rest once it does),
 * out_cons is advanced past what was printed, and the guest is notified
 * back (room in the ring). Indexes further apart than
 * the ring's size are a broken ring: its contents are dropped, out_cons
 * set to out_prod. Input ("in") is never produced: a domU reads nothing.
 *
 * The ring holds a general and a writable-type reference on its frame
 * from init to release: out_cons is written from the guest's own
 * out_prod, so the frame must never be freed to someone else or become
 * a page table or descriptor page while the hypervisor may write it.
 * It is only mapped while a notification is served.
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

/*
 * At d's death, once its event channels are closed (no drain can come):
 * drops the frame's references. Nothing if d has no ring.
 */
void pv_console_ring_release(struct domain *d);

#endif /* XEN_PV_CONSOLE_RING_H */
