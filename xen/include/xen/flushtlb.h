/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_FLUSHTLB_H
#define XEN_FLUSHTLB_H

/*
 * TLB shootdown and the TLB-flush clock (xen/arch/x86/flushtlb.c).
 *
 * flush_tlb_mask() flushes the TLBs of the online CPUs in mask (this one
 * included if set) and returns when all have. flush_area_mask() flushes
 * only [va, va + pages pages) there (INVLPG), or everything if pages is
 * 0. Any context but NMI, interrupts on or off: a CPU waiting for
 * others keeps serving their requests to it, so two CPUs flushing each
 * other never deadlock.
 *
 * The clock: tlbflush_clock counts full flushes machine-wide; each CPU
 * records the clock value of its latest full flush. Something that
 * stops being mapped at clock value T (a frame freed after a lazy
 * unmap, an address range queued for reuse) can only still be in the
 * TLB of a CPU whose latest flush is not later than T, so only those
 * need flushing before it is reused: tlbflush_filter() keeps just them.
 * Stamps are 32 bits compared by age; every 2^30 ticks the next
 * shootdown flushes all CPUs, so that no CPU's stamp ever ages past
 * 2^31 and a misjudged age can only over-flush.
 */

#include <asm/atomic.h>
#include <xen/cpumask.h>
#include <xen/mm.h>
#include <xen/percpu.h>

extern uint32_t tlbflush_clock;
DECLARE_PER_CPU(uint32_t, tlbflush_time);

static inline uint32_t tlbflush_current_time(void)
{
    return read_atomic(&tlbflush_clock);
}

/* Might cpu still hold a translation that went away at time stamp? */
bool tlbflush_needed(unsigned int cpu, uint32_t stamp);
/* Removes from mask every CPU that has fully flushed since stamp. */
void tlbflush_filter(cpumask_t *mask, uint32_t stamp);

/*
 * Flushes every online CPU that may still hold a translation that went
 * away at time stamp (the heap's hook for PGC_need_tlbflush frames).
 */
void flush_stale_tlbs(uint32_t stamp);

/*
 * Marks frames that an unmap has just left possibly cached in other
 * CPUs' TLBs (call it after the PTEs are cleared): whoever frees them
 * later, the heap flushes those CPUs before handing them out again.
 * Atomic: other CPUs may be stamping the same frames.
 */
struct page_info;
void mark_frames_stale(struct page_info *pg, unsigned long nr);
/* The same for frames [mfn, mfn + nr), skipping those with no page_info. */
void mark_mfns_stale(mfn_t mfn, unsigned long nr);

void flush_area_mask(const cpumask_t *mask, unsigned long va,
                     unsigned long pages);
#define flush_tlb_mask(m) flush_area_mask(m, 0, 0)
void flush_tlb_all(void);
/* Every online CPU but this one (this one was flushed by the caller). */
void flush_area_others(unsigned long va, unsigned long pages);

/*
 * Interrupts off: serves the shootdown requests other CPUs have sent this
 * one (the lock wait loops call it, see xen/spinlock.h).
 */
void flush_serve_pending(void);

/* This CPU only: [va, va + pages pages), or everything if pages is 0. */
void flush_area_local(unsigned long va, unsigned long pages);

/* This CPU only: a full flush (advances the clock) or a range. */
void flush_tlb_local(void);

/* Boot CPU: the shootdown vector. */
void flushtlb_init(void);

/* Shootdowns this CPU has served for others (self-tests and bench). */
DECLARE_PER_CPU(unsigned long, tlb_shootdowns_served);

#endif /* XEN_FLUSHTLB_H */
