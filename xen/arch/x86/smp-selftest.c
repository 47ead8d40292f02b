/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SMP self-tests: every online CPU at once, through on_cpus_idle().
 *
 *  locks          a shared counter and a pair of rwlock-guarded fields,
 *                 updated from all CPUs: the totals must come out exact;
 *  smp-mm-stress  domheap, xenheap, xmalloc, vmap and the mapcache from
 *                 all CPUs at once, each write checked through a second
 *                 mapping, lazy and eager unmapping; afterwards the free
 *                 frame count and xmalloc's objects are exactly back;
 *  tlb-shootdown  another CPU caches a translation, this CPU unmaps it
 *                 and shoots it down (directly, through vmap's lazy
 *                 purge, and through the heap's flush-clock check on a
 *                 reused frame): the other CPU must then fault on it.
 *
 * A worker that finds a problem records it in its own slot (the shared
 * selftest_fail() buffer is not for concurrent use); the test reports
 * the first.
 */
#include <asm/extable.h>
#include <asm/mm.h>
#include <xen/domain_page.h>
#include <xen/flushtlb.h>
#include <xen/lib.h>
#include <xen/selftest.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <xen/vmap.h>
#include <xen/xmalloc.h>

static char failure[CONFIG_NR_CPUS][96];

static void __printf(1, 2) worker_fail(const char *fmt, ...)
{
    char *why = failure[smp_processor_id()];
    va_list args;

    if ( why[0] )
        return; /* keep the first */
    va_start(args, fmt);
    vsnprintf(why, sizeof(failure[0]), fmt, args);
    va_end(args);
}

static void clear_failures(void)
{
    unsigned int cpu;

    for ( cpu = 0; cpu < CONFIG_NR_CPUS; cpu++ )
        failure[cpu][0] = '\0';
}

static const char *first_failure(void)
{
    unsigned int cpu;

    for_each_online_cpu ( cpu )
        if ( failure[cpu][0] )
            return selftest_fail("CPU%u: %s", cpu, failure[cpu]);
    return NULL;
}

/* ------------------------------------------------------------------------
 * Locks
 */

/*
 * Total work is fixed rather than per CPU: under emulation, vCPUs share
 * few host cores, and every fair-lock handoff or shootdown needs a
 * particular vCPU to be running, so per-CPU work scaled with the CPU
 * count would make the test time grow with its square.
 */
#define LOCK_WORK 16000
static unsigned int lock_rounds;

static DEFINE_SPINLOCK(count_lock);
static DEFINE_RWLOCK(pair_lock);
static unsigned long counter, pair_a, pair_b;

static void locks_worker(void *unused)
{
    unsigned int i;

    for ( i = 0; i < lock_rounds; i++ )
    {
        unsigned long v;

        /* A read-modify-write the lock alone makes atomic. */
        spin_lock(&count_lock);
        v = read_atomic(&counter);
        cpu_relax();
        write_atomic(&counter, v + 1);
        spin_unlock(&count_lock);

        if ( i % 8 == 0 )
        {
            write_lock(&pair_lock);
            v = read_atomic(&pair_a);
            cpu_relax();
            write_atomic(&pair_a, v + 1);
            write_atomic(&pair_b, read_atomic(&pair_b) + 1);
            write_unlock(&pair_lock);
        }
        else
        {
            read_lock(&pair_lock);
            if ( read_atomic(&pair_a) != read_atomic(&pair_b) )
                worker_fail("reader saw a torn pair %lu/%lu", pair_a, pair_b);
            read_unlock(&pair_lock);
        }
    }
}

static const char *selftest_locks(void)
{
    unsigned long n = num_online_cpus();

    unsigned long writes;

    clear_failures();
    counter = pair_a = pair_b = 0;
    lock_rounds = ROUNDUP(LOCK_WORK / n, 8);
    writes = n * (lock_rounds / 8);
    on_cpus_idle(&cpu_online_map, locks_worker, NULL);

    if ( counter != n * lock_rounds )
        return selftest_fail("spinlock: counter %lu after %lu increments",
                             counter, n * lock_rounds);
    if ( pair_a != writes || pair_b != pair_a )
        return selftest_fail("rwlock: pair %lu/%lu, expected %lu", pair_a,
                             pair_b, writes);
    if ( spin_is_locked(&count_lock) || rw_is_locked(&pair_lock) )
        return selftest_fail("a lock was left held");
    printk("locks: %lu CPUs x %u rounds, counts exact\n", n, lock_rounds);

    return first_failure();
}
REGISTER_SELFTEST("locks", selftest_locks);

/* ------------------------------------------------------------------------
 * Memory management from all CPUs at once
 */

/* Rounds per CPU: STRESS_WORK shared out, at most STRESS_ROUNDS each. */
#define STRESS_ROUNDS 150U
#define STRESS_WORK 600U
#define MAX_STRESS_PAGES 4

static uint64_t pattern(unsigned int cpu, unsigned int round, unsigned int n)
{
    return 0x5a00000000000000UL | ((uint64_t)cpu << 40) |
           ((uint64_t)round << 16) | n;
}

/* Fills (or checks) the first and last words of a page with a pattern. */
static bool page_words(uint64_t *p, uint64_t val, bool check)
{
    const unsigned int last = PAGE_SIZE / sizeof(uint64_t) - 1;

    if ( check )
        return p[0] == val && p[last] == ~val;
    p[0] = val;
    p[last] = ~val;
    return true;
}

static void stress_round(unsigned int cpu, unsigned int round,
                         uint64_t *seed)
{
    unsigned int order = selftest_random(seed, 3), n = 1U << order, i;
    mfn_t mfns[MAX_STRESS_PAGES];
    struct page_info *pg = alloc_domheap_pages(order, 0);
    uint64_t *xh, *vm;
    unsigned char *x;
    size_t xlen = 16 + selftest_random(seed, 3000);

    BUILD_BUG_ON(MAX_STRESS_PAGES < 4);
    if ( !pg )
    {
        worker_fail("alloc_domheap_pages(%u) failed", order);
        return;
    }

    /* Each frame written through this CPU's mapcache, three held at once. */
    for ( i = 0; i < n; i++ )
    {
        uint64_t *p = map_domain_page(mfns[i] = mfn_add(page_to_mfn(pg), i));

        page_words(p, pattern(cpu, round, i), false);
        if ( i + 1 < n )
        {
            uint64_t *q = map_domain_page(mfn_add(page_to_mfn(pg), i + 1));

            if ( q == p )
                worker_fail("two live mapcache mappings at one address");
            unmap_domain_page(q);
        }
        unmap_domain_page(p);
    }

    xh = alloc_xenheap_pages(round & 1, 0);
    x = xmalloc_bytes(xlen);
    if ( !xh || !x )
        worker_fail("xenheap or xmalloc allocation failed");
    if ( xh )
        page_words(xh, pattern(cpu, round, 100), false);
    if ( x )
        memset(x, cpu + round, xlen);

    /* The vmap view must show the frames the mapcache wrote. */
    vm = vmap(mfns, n);
    if ( !vm )
        worker_fail("vmap of %u frames failed", n);
    else
    {
        for ( i = 0; i < n; i++ )
        {
            uint64_t *p = vm + i * (PAGE_SIZE / sizeof(uint64_t));

            if ( !page_words(p, pattern(cpu, round, i), true) )
                worker_fail("vmap shows %#lx in frame %#lx, wrote %#lx", p[0],
                            mfn_x(mfns[i]), pattern(cpu, round, i));
            page_words(p, ~pattern(cpu, round, i), false);
        }
        vunmap(vm);
    }
    for ( i = 0; i < n; i++ )
    {
        uint64_t *p = map_domain_page(mfns[i]);

        if ( vm && !page_words(p, ~pattern(cpu, round, i), true) )
            worker_fail("write through vmap lost in frame %#lx",
                        mfn_x(mfns[i]));
        unmap_domain_page(p);
    }

    if ( xh && !page_words(xh, pattern(cpu, round, 100), true) )
        worker_fail("xenheap page %p changed under us", xh);
    for ( i = 0; x && i < xlen; i++ )
        if ( x[i] != (unsigned char)(cpu + round) )
        {
            worker_fail("xmalloc'd byte %u of %p changed", i, x);
            break;
        }

    xfree(x);
    free_xenheap_pages(xh, round & 1);
    free_domheap_pages(pg, order);
    if ( mapcache_slots_in_use() )
        worker_fail("%u mapcache slots left in use", mapcache_slots_in_use());
}

static void stress_worker(void *arg)
{
    unsigned int cpu = smp_processor_id(), rounds = *(unsigned int *)arg;
    uint64_t seed = 0x9e3779b97f4a7c15UL * (cpu + 1);
    unsigned int r;

    for ( r = 0; r < rounds; r++ )
        stress_round(cpu, r, &seed);
}

/* What the stress must leave exactly as it found it. */
static void settle(unsigned long *free, struct xmalloc_stats *xs)
{
    vmap_purge();
    xmalloc_trim();
    *free = mm_free_frames();
    xmalloc_get_stats(xs);
}

static const char *selftest_smp_mm_stress(void)
{
    unsigned int warm = 2, pass, cpu;
    unsigned int rounds = min(STRESS_ROUNDS, STRESS_WORK / num_online_cpus());
    unsigned int eager = max(rounds / 2, 1U);
    unsigned long free0, free1, served = 0;
    struct xmalloc_stats xs0, xs1;
    bool lazy = vmap_lazy;
    const char *fail;

    /* A warm-up grows vmap's bitmaps, which are kept for good. */
    clear_failures();
    on_cpus_idle(&cpu_online_map, stress_worker, &warm);
    settle(&free0, &xs0);

    for ( pass = 0; pass < 2; pass++ )
    {
        vmap_lazy = pass == 0;
        on_cpus_idle(&cpu_online_map, stress_worker,
                     vmap_lazy ? &rounds : &eager);
    }
    vmap_lazy = lazy;
    if ( (fail = first_failure()) )
        return fail;

    settle(&free1, &xs1);
    if ( free1 != free0 )
        return selftest_fail("free frames %lu before, %lu after", free0,
                             free1);
    if ( xs1.objects != xs0.objects || xs1.large_pages != xs0.large_pages )
        return selftest_fail("xmalloc: %lu objects/%lu large pages before, "
                             "%lu/%lu after", xs0.objects, xs0.large_pages,
                             xs1.objects, xs1.large_pages);

    for_each_online_cpu ( cpu )
        served += per_cpu(tlb_shootdowns_served, cpu);
    printk("smp-mm-stress: %u CPUs x %u rounds lazy, %u eager; free "
           "frames exact (%lu); %lu shootdowns served so far\n",
           num_online_cpus(), rounds, eager, free1, served);

    return NULL;
}
REGISTER_SELFTEST("smp-mm-stress", selftest_smp_mm_stress);

/* ------------------------------------------------------------------------
 * TLB shootdown
 */

static const volatile uint64_t *probe_va;
static uint64_t probe_val;
static bool probe_faulted;

/* On the target CPU, in interrupt context. */
static void remote_probe(void *unused)
{
    probe_faulted = probe_read_u64(probe_va, &probe_val);
}

static void probe_on(const cpumask_t *target, const void *va)
{
    probe_va = va;
    on_selected_cpus(target, remote_probe, NULL, true);
}

#define TLB_PATTERN 0x746c62736877646eUL

static const char *selftest_tlb_shootdown(void)
{
    unsigned int self = smp_processor_id(), target;
    unsigned long served;
    struct page_info *pg, *again;
    cpumask_t mask;
    uint64_t *va;
    uint32_t stamp;
    mfn_t mfn;
    bool lazy = vmap_lazy, stale;
    const char *fail = NULL;

    for_each_online_cpu ( target )
        if ( target != self )
            break;
    if ( target >= CONFIG_NR_CPUS )
    {
        printk("tlb-shootdown: one CPU online, nothing to shoot down\n");
        return NULL;
    }
    cpumask_clear(&mask);
    cpumask_set_cpu(target, &mask);

    pg = alloc_domheap_page(0);
    if ( !pg )
        return selftest_fail("no frame");
    mfn = page_to_mfn(pg);

    /* 1. Direct: unmap here only, then flush_tlb_mask() the target. */
    va = vm_alloc(1, 1, VMAP_DEFAULT);
    if ( !va || map_pages_to_xen((unsigned long)va, mfn, 1,
                                 PAGE_HYPERVISOR_RW) )
        return selftest_fail("cannot map the test frame");
    *va = TLB_PATTERN;
    probe_on(&mask, va);
    if ( probe_faulted || probe_val != TLB_PATTERN )
        return selftest_fail("CPU%u read %#lx (fault %d) through a live "
                             "mapping", target, probe_val, probe_faulted);
    stamp = tlbflush_current_time();
    destroy_xen_mappings((unsigned long)va, (unsigned long)va + PAGE_SIZE);
    probe_on(&mask, va);
    stale = !probe_faulted && probe_val == TLB_PATTERN;
    flush_tlb_mask(&mask);
    if ( tlbflush_needed(target, stamp) )
        fail = selftest_fail("flush clock: CPU%u's flush is not recorded",
                             target);
    probe_on(&mask, va);
    if ( !fail && !probe_faulted )
        fail = selftest_fail("CPU%u still reads %#lx after the shootdown",
                             target, probe_val);
    vm_free(va);
    printk("tlb-shootdown: before the shootdown CPU%u %s the stale "
           "translation\n", target, stale ? "still used" : "had dropped");
    if ( fail )
        return fail;

    /* 2. Lazy vunmap: held until the purge's clock-filtered shootdown. */
    vmap_lazy = true;
    vmap_purge();
    va = vmap(&mfn, 1);
    if ( !va )
        return selftest_fail("vmap failed");
    probe_on(&mask, va);
    vunmap(va);
    if ( vm_size(va, VMAP_DEFAULT) != 1 )
        fail = selftest_fail("lazily unmapped range reusable before a flush");
    vmap_purge();
    probe_on(&mask, va);
    if ( !fail && !probe_faulted )
        fail = selftest_fail("CPU%u reads %#lx after vmap's purge", target,
                             probe_val);
    if ( !fail && vm_size(va, VMAP_DEFAULT) )
        fail = selftest_fail("purged range not given back");

    /* 3. A frame freed after a lazy unmap: the heap flushes on reuse. */
    if ( !fail && (va = vmap(&mfn, 1)) != NULL )
    {
        probe_on(&mask, va);
        vunmap(va);
        mark_frames_stale(pg, 1);
        free_domheap_page(pg);
        served = per_cpu(tlb_shootdowns_served, target);
        pg = alloc_domheap_page(0);
        again = pg;
        if ( !again )
            fail = selftest_fail("no frame");
        else if ( mfn_eq(page_to_mfn(again), mfn) )
        {
            if ( per_cpu(tlb_shootdowns_served, target) == served )
                fail = selftest_fail("frame reused without flushing CPU%u",
                                     target);
            probe_on(&mask, va);
            if ( !fail && !probe_faulted )
                fail = selftest_fail("CPU%u reads the reused frame through "
                                     "its old address", target);
        }
        else
            printk("tlb-shootdown: the heap gave another frame; reuse check "
                   "skipped\n");
        vmap_purge();
    }
    vmap_lazy = lazy;
    if ( pg )
        free_domheap_page(pg);

    return fail;
}
REGISTER_SELFTEST("tlb-shootdown", selftest_tlb_shootdown);

/* ------------------------------------------------------------------------
 * The debug lock checks (manual: each ends the boot with a BUG)
 */

static DEFINE_SPINLOCK(fatal_lock);

static const char *selftest_fatal_lock_recursion(void)
{
    spin_lock(&fatal_lock);
    spin_lock(&fatal_lock);     /* would deadlock; debug builds BUG */
    spin_unlock(&fatal_lock);
    spin_unlock(&fatal_lock);
    return selftest_fail("taking a held lock again was not caught");
}
REGISTER_MANUAL_SELFTEST("fatal-lock-recursion",
                         selftest_fatal_lock_recursion);

static const char *selftest_fatal_lock_irq(void)
{
    unsigned long flags;

    spin_lock(&fatal_lock);     /* interrupts on (after SMP boot) */
    spin_unlock(&fatal_lock);
    spin_lock_irqsave(&fatal_lock, flags);  /* and off: debug builds BUG */
    spin_unlock_irqrestore(&fatal_lock, flags);
    return selftest_fail("a lock taken with interrupts on and off was not "
                         "caught");
}
REGISTER_MANUAL_SELFTEST("fatal-lock-irq", selftest_fatal_lock_irq);
