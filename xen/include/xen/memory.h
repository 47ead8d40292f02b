/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_MEMORY_H
#define XEN_MEMORY_H

/*
 * memory_op's changes to a domain's memory (xen/common/memory.c):
 * reservations, exchange, and the calls that name a domain. The ABI is
 * Xen's, for a PV guest, whose frame numbers are machine frames:
 *
 * - increase_reservation, decrease_reservation and populate_physmap take
 *   a struct xen_memory_reservation and return how many extents were
 *   done: all of them, or as far as they got before a bad frame, an
 *   empty heap or the domain's allowance (max_pages) stopped them. Bad
 *   input (an unreadable argument, an unknown or forbidden domain, an
 *   extent_order above memop_max_order(), bad mem_flags) is 0 extents
 *   done, not an errno.
 * - cmd's bits from MEMOP_EXTENT_SHIFT up are the extents already done:
 *   a batch that is preempted ends with a continuation re-entering
 *   memory_op with op | done << MEMOP_EXTENT_SHIFT. Calls that do not
 *   continue refuse nonzero bits (-EINVAL; add_to_physmap -EDOM).
 * - exchange returns 0 or an errno; the guest's nr_exchanged always
 *   says how many input extents were exchanged, failure or not.
 *
 * Invariants: tot_pages counts every page on the domain's list, and a
 * page stays there, counted, until its last reference goes (a frame
 * given back while still mapped or pinned is freed when that ends, as
 * in Xen); pages go back to the heap only through free_domain_page(),
 * which also invalidates their M2P entry. A frame given with a pfn
 * (populate_physmap, exchange's output) has its M2P entry set to it; one
 * given without (increase_reservation) reads M2P_INVALID. New frames
 * come zeroed from the heap: no earlier owner's data reaches a guest.
 */

#include <xen/types.h>

#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK     ((1UL << MEMOP_EXTENT_SHIFT) - 1)

struct domain;

/* Largest extent_order d may ask for: MAX_ORDER for dom0, 9 for others. */
unsigned int memop_max_order(const struct domain *d);

/* increase/decrease_reservation, populate_physmap, from extent start. */
long memory_reservation_op(unsigned int op, unsigned long start,
                           unsigned long arg);
long memory_exchange(unsigned long arg);
/* current_reservation, maximum_reservation: arg points at a domid_t. */
long memory_reservation_query(unsigned int op, unsigned long arg);
/* What a PV domain gets: -EACCES once the argument checks pass. */
long memory_add_to_physmap(unsigned long start, unsigned long arg);

#endif /* XEN_MEMORY_H */
