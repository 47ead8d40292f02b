/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TLB shootdown and the TLB-flush clock (see xen/flushtlb.h).
 *
 * Each initiator owns one request (its per-CPU flush_request) and marks
 * itself in each target's flush_from mask; a target serves every marked
 * request, then counts down the initiator's acks. The initiator keeps
 * interrupts off from filling its request until the last ack, so that
 * an interrupt handler on its own CPU cannot reuse the request, and
 * serves requests aimed at itself while it waits.
 */
#include <asm/apic.h>
#include <asm/irq-vectors.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/smp.h>
#include <asm/system.h>
#include <asm/traps.h>
#include <xen/flushtlb.h>
#include <xen/init.h>
#include <xen/lib.h>

struct flush_request {
    unsigned long va;
    unsigned long pages;        /* 0: everything */
    atomic_t acks;              /* targets yet to finish */
};

uint32_t tlbflush_clock = 1;
DEFINE_PER_CPU(uint32_t, tlbflush_time);
DEFINE_PER_CPU(unsigned long, tlb_shootdowns_served);
static DEFINE_PER_CPU(struct flush_request, flush_request);
static DEFINE_PER_CPU(cpumask_t, flush_from);
static bool flush_all_due;

#define CLOCK_EPOCH (1U << 30)

bool tlbflush_needed(unsigned int cpu, uint32_t stamp)
{
    /*
     * The CPU's time first: read the other way round, a flush in between
     * would leave its time ahead of "now", and the unsigned age would
     * wrap to huge (an over-flush, or a false alarm in a debug check).
     */
    uint32_t flushed = read_atomic(&per_cpu(tlbflush_time, cpu));
    uint32_t now = tlbflush_current_time();

    /* Flushed at or before the stamp: as old as it, or older. */
    return now - flushed >= now - stamp;
}

void tlbflush_filter(cpumask_t *mask, uint32_t stamp)
{
    unsigned int cpu;

    for_each_cpu ( cpu, mask )
        if ( !tlbflush_needed(cpu, stamp) )
            cpumask_clear_cpu(cpu, mask);
}

void flush_tlb_local(void)
{
    /* Taking the new time before the flush can only make it look older. */
    uint32_t t = arch_fetch_and_add(&tlbflush_clock, 1) + 1;

    if ( !(t % CLOCK_EPOCH) )
        write_atomic(&flush_all_due, true);
    write_cr3(read_cr3());
    write_atomic(&this_cpu(tlbflush_time), t);
}

static void flush_local(unsigned long va, unsigned long pages)
{
    unsigned long i;

    if ( !pages || pages > 64 )
    {
        flush_tlb_local();
        return;
    }
    for ( i = 0; i < pages; i++ )
        invlpg((void *)(va + i * PAGE_SIZE));
}

/* Interrupts off. */
static void serve_flush_requests(void)
{
    cpumask_t *from = &this_cpu(flush_from);
    unsigned int cpu;

    for_each_cpu ( cpu, from )
    {
        struct flush_request *r;

        if ( !cpumask_test_and_clear_cpu(cpu, from) )
            continue;
        r = &per_cpu(flush_request, cpu);
        flush_local(r->va, r->pages);
        this_cpu(tlb_shootdowns_served)++;
        atomic_dec(&r->acks);
    }
}

void flush_serve_pending(void)
{
    ASSERT(!local_irq_is_enabled());
    if ( unlikely(!cpumask_empty(&this_cpu(flush_from))) )
        serve_flush_requests();
}

static void invalidate_interrupt(struct cpu_user_regs *regs)
{
    apic_eoi();
    serve_flush_requests();
}

void flush_area_mask(const cpumask_t *mask, unsigned long va,
                     unsigned long pages)
{
    unsigned int self = smp_processor_id(), cpu;
    struct flush_request *r = &this_cpu(flush_request);
    unsigned long flags = local_irq_save();
    cpumask_t targets;

    cpumask_and(&targets, mask, &cpu_online_map);
    if ( unlikely(read_atomic(&flush_all_due)) &&
         xchg(&flush_all_due, false) )
    {
        cpumask_copy(&targets, &cpu_online_map);
        pages = 0;
    }

    if ( cpumask_test_cpu(self, &targets) )
    {
        flush_local(va, pages);
        cpumask_clear_cpu(self, &targets);
    }

    if ( !cpumask_empty(&targets) )
    {
        r->va = va;
        r->pages = pages;
        atomic_set(&r->acks, cpumask_weight(&targets));
        /* The locked bit sets order the PTE changes before the requests. */
        for_each_cpu ( cpu, &targets )
            cpumask_set_cpu(self, &per_cpu(flush_from, cpu));
        send_IPI_mask(&targets, INVALIDATE_TLB_VECTOR);
        while ( atomic_read(&r->acks) )
        {
            serve_flush_requests();
            cpu_relax();
        }
    }

    local_irq_restore(flags);
}

void flush_stale_tlbs(uint32_t stamp)
{
    cpumask_t mask;

    cpumask_copy(&mask, &cpu_online_map);
    tlbflush_filter(&mask, stamp);
    if ( !cpumask_empty(&mask) )
        flush_tlb_mask(&mask);
}

/*
 * Raises a frame's stamp to now unless it is newer already: two CPUs
 * unmapping the same frame at once must leave the later time, or a CPU
 * that flushed between the two would be taken for clean.
 */
static void stamp_frame(struct page_info *pg, uint32_t now)
{
    uint32_t old = read_atomic(&pg->tlbflush_timestamp);

    while ( !(pg->count_info & PGC_need_tlbflush) ||
            (int32_t)(now - old) > 0 )
    {
        uint32_t seen = cmpxchg(&pg->tlbflush_timestamp, old, now);

        if ( seen == old )
            break;
        old = seen;
    }
    /* Set after the stamp: a reader that sees the flag sees the stamp. */
    page_set_flag(pg, PGC_need_tlbflush);
}

void mark_frames_stale(struct page_info *pg, unsigned long nr)
{
    unsigned long i;
    uint32_t now;

    /*
     * The clock is read after the caller's PTE writes are visible: a CPU
     * whose flush time is later than the stamp flushed after they were.
     */
    smp_mb();
    now = tlbflush_current_time();
    for ( i = 0; i < nr; i++ )
        stamp_frame(&pg[i], now);
}

void mark_mfns_stale(mfn_t mfn, unsigned long nr)
{
    unsigned long j = 0;

    /* MMIO frames have no page_info and are never handed out. */
    while ( j < nr )
    {
        unsigned long k = j;

        while ( k < nr && mfn_valid(mfn_add(mfn, k)) )
            k++;
        if ( k > j )
            mark_frames_stale(mfn_to_page(mfn_add(mfn, j)), k - j);
        j = k + 1;
    }
}

void flush_area_local(unsigned long va, unsigned long pages)
{
    /* Interrupts off: a nested full flush must not be overwritten by ours. */
    unsigned long flags = local_irq_save();

    flush_local(va, pages);
    local_irq_restore(flags);
}

void flush_area_others(unsigned long va, unsigned long pages)
{
    cpumask_t others;

    cpumask_copy(&others, &cpu_online_map);
    cpumask_clear_cpu(smp_processor_id(), &others);
    if ( !cpumask_empty(&others) )
        flush_area_mask(&others, va, pages);
}

void flush_tlb_all(void)
{
    flush_tlb_mask(&cpu_online_map);
}

void __init flushtlb_init(void)
{
    set_intr_handler(INVALIDATE_TLB_VECTOR, invalidate_interrupt);
}
