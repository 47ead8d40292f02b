/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smp-mm-stress: domheap, xenheap, xmalloc, vmap and the mapcache from
 * all CPUs at once, each write checked through a second mapping, lazy
 * and eager unmapping; afterwards the free frame count and xmalloc's
 * objects are exactly back.
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

#include "smp-selftest.h"

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

/*
 * Torn-down translations. Each CPU publishes the vmap address of the
 * first frame of each round, and the next online CPU reads through the
 * addresses its neighbour published, live or already unmapped, all the
 * time. So translations get cached on CPUs that did not make them, and
 * are read again after the owner tore them down, freed the frames and
 * someone else may have taken them. A read may fault, or see what the
 * owner wrote (pattern, ~pattern) or the freed frame's fill; anything
 * else, while the range still waits for vmap's purge (so the address
 * was not handed out again), is another owner's data through a stale
 * translation: a missing remote flush.
 */
#define PUBLISHED 8
#define STILL_LIVE (~0UL)

struct published {
    const volatile uint64_t *va;
    uint64_t pattern;
    /* vmap_purges before the vunmap; STILL_LIVE until then */
    unsigned long purges;
};

static struct {
    struct published ring[PUBLISHED];
    unsigned long head;             /* entries written so far */
} __aligned(64) published[CONFIG_NR_CPUS];

static struct published *publish(unsigned int cpu, const uint64_t *va,
                                 uint64_t val)
{
    unsigned long h = published[cpu].head;
    struct published *e = &published[cpu].ring[h % PUBLISHED];

    *e = (struct published){ va, val, STILL_LIVE };
    smp_wmb();
    write_atomic(&published[cpu].head, h + 1);
    return e;
}

static bool freed_fill(uint64_t v)
{
    /* Debug builds poison freed frames; release builds zero them. */
    return v == 0 || v == 0xc2c2c2c2c2c2c2c2UL;
}

static void probe_neighbour(unsigned int cpu)
{
    unsigned int next = cpumask_next(cpu, &cpu_online_map), i;
    unsigned long h;

    if ( next >= CONFIG_NR_CPUS )
        next = cpumask_first(&cpu_online_map);
    if ( next == cpu )
        return;
    h = read_atomic(&published[next].head);
    for ( i = 1; i <= PUBLISHED / 2 && i <= h; i++ )
    {
        struct published *e = &published[next].ring[(h - i) % PUBLISHED];
        const volatile uint64_t *va = read_atomic(&e->va);
        uint64_t want = read_atomic(&e->pattern), v = 0;
        unsigned long torn = read_atomic(&e->purges);
        unsigned long purges = read_atomic(&vmap_purges);
        bool faulted;

        smp_rmb();
        faulted = probe_read_u64(va, &v);
        /* Overwritten while we read it: nothing to judge. */
        if ( read_atomic(&published[next].head) - h > PUBLISHED / 2 - i )
            return;
        /*
         * A live mapping is read only to get it cached here. A torn-down
         * one is judged if no purge ran since before its vunmap(), so its
         * address cannot have been handed out again: a read that worked
         * went through a translation cached before the unmap.
         */
        if ( faulted || torn == STILL_LIVE || torn != purges ||
             read_atomic(&vmap_purges) != purges )
            continue;
        if ( v != want && v != ~want && !freed_fill(v) )
            smp_worker_fail("CPU%u's torn-down %p reads %#lx, not %#lx: "
                            "stale translation of a reused frame", next, va,
                            v, want);
    }
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
        smp_worker_fail("alloc_domheap_pages(%u) failed", order);
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
                smp_worker_fail("two live mapcache mappings at one address");
            unmap_domain_page(q);
        }
        unmap_domain_page(p);
    }

    xh = alloc_xenheap_pages(round & 1, 0);
    x = xmalloc_bytes(xlen);
    if ( !xh || !x )
        smp_worker_fail("xenheap or xmalloc allocation failed");
    if ( xh )
        page_words(xh, pattern(cpu, round, 100), false);
    if ( x )
        memset(x, cpu + round, xlen);

    /* The vmap view must show the frames the mapcache wrote. */
    vm = vmap(mfns, n);
    if ( !vm )
        smp_worker_fail("vmap of %u frames failed", n);
    else
    {
        struct published *e = publish(cpu, vm, pattern(cpu, round, 0));
        unsigned long purges;

        probe_neighbour(cpu);
        for ( i = 0; i < n; i++ )
        {
            uint64_t *p = vm + i * (PAGE_SIZE / sizeof(uint64_t));

            if ( !page_words(p, pattern(cpu, round, i), true) )
                smp_worker_fail("vmap shows %#lx in frame %#lx, wrote %#lx", p[0],
                            mfn_x(mfns[i]), pattern(cpu, round, i));
            page_words(p, ~pattern(cpu, round, i), false);
        }
        purges = read_atomic(&vmap_purges);
        vunmap(vm);
        /* Eager unmapping gives the range back at once: nothing to judge. */
        if ( vmap_lazy )
            write_atomic(&e->purges, purges);
    }
    for ( i = 0; i < n; i++ )
    {
        uint64_t *p = map_domain_page(mfns[i]);

        if ( vm && !page_words(p, ~pattern(cpu, round, i), true) )
            smp_worker_fail("write through vmap lost in frame %#lx",
                        mfn_x(mfns[i]));
        unmap_domain_page(p);
    }

    if ( xh && !page_words(xh, pattern(cpu, round, 100), true) )
        smp_worker_fail("xenheap page %p changed under us", xh);
    for ( i = 0; x && i < xlen; i++ )
        if ( x[i] != (unsigned char)(cpu + round) )
        {
            smp_worker_fail("xmalloc'd byte %u of %p changed", i, x);
            break;
        }

    xfree(x);
    free_xenheap_pages(xh, round & 1);
    free_domheap_pages(pg, order);
    probe_neighbour(cpu);
    if ( mapcache_slots_in_use() )
        smp_worker_fail("%u mapcache slots left in use", mapcache_slots_in_use());
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
    smp_clear_failures();
    on_cpus_idle(&cpu_online_map, stress_worker, &warm);
    settle(&free0, &xs0);

    for ( pass = 0; pass < 2; pass++ )
    {
        vmap_lazy = pass == 0;
        on_cpus_idle(&cpu_online_map, stress_worker,
                     vmap_lazy ? &rounds : &eager);
    }
    vmap_lazy = lazy;
    if ( (fail = smp_first_failure()) )
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

