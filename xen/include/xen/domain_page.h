/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_DOMAIN_PAGE_H
#define XEN_DOMAIN_PAGE_H

/*
 * Transient mappings of any frame: the per-CPU mapcache.
 *
 * map_domain_page(mfn) returns a virtual address of mfn valid on this CPU
 * only, until the matching unmap_domain_page(). Each CPU owns a window of
 * MAPCACHE_SLOTS slots; a map writes one PTE in it, an unmap clears it and
 * flushes this CPU's TLB entry: no lock, no cross-CPU flush. Maps nest (up
 * to MAPCACHE_SLOTS at once, interrupt handlers included) and may be
 * unmapped in any order. A mapping must never be held across a scheduling
 * point. Running out of slots is a BUG that, in debug builds, names the
 * holders. When the direct map covers mfn, its direct-map address is
 * returned instead and unmapping it is a no-op.
 *
 * map_domain_page() never fails and may be called with interrupts off.
 */
#include <xen/mm.h>

#define MAPCACHE_SLOTS 32

void *map_domain_page(mfn_t mfn);
void unmap_domain_page(const void *va);

/* Unmaps and clears the pointer, so no stale mapcache address survives. */
#define UNMAP_DOMAIN_PAGE(p) do { unmap_domain_page(p); (p) = NULL; } while ( 0 )

/* The frame behind a mapcache (or direct-map) address. */
mfn_t domain_page_map_to_mfn(const void *va);

/* Slots of this CPU's window in use now (the self-tests check leaks). */
unsigned int mapcache_slots_in_use(void);

/*
 * Debug builds: every return to a guest finds this CPU's window empty
 * (pv_exit_work(), interrupts off), or the machine stops naming the
 * holders; the returns checked are counted, for the census.
 */
#ifdef CONFIG_DEBUG
void mapcache_check_exit(void);
unsigned long mapcache_exits_checked(void);
#else
static inline void mapcache_check_exit(void) {}
#endif

/* Sets up the boot CPU's window; before it, map_domain_page() panics. */
void mapcache_init(void);
/*
 * Before cpu is started: its window (and, first in a group of 16, the
 * group's L1 page). 0 or -ENOMEM.
 */
int mapcache_cpu_init(unsigned int cpu);

/*
 * For the mapping audit: is va a mapcache slot that its CPU (the owner of
 * the window va falls in) has in use right now? Any CPU; about a CPU
 * that is busy mapping, the answer is stale as soon as it is given.
 */
bool mapcache_va_in_use(unsigned long va);
/*
 * How many unmaps the CPU owning va's window has done (0 outside the
 * mapcache). A slot whose in-use bit reads clear was released at least
 * once since a snapshot of this that no longer matches.
 */
unsigned long mapcache_va_unmaps(unsigned long va);

#endif /* XEN_DOMAIN_PAGE_H */
