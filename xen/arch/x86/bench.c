/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * "bench" on the command line: times memory-management operations and
 * prints one line each, then powers off. tools/scripts/bench.py boots two
 * builds this way and tabulates them.
 *
 * Each figure is the median over BENCH_RUNS runs of the time of a batch
 * of BENCH_BATCH operations, divided by the batch. Under QEMU with
 * -icount the TSC advances with the instruction count, so a calibration
 * loop of a known number of instructions converts ticks to instructions:
 * the figures are then exact and repeatable, and independent of the host.
 * On real hardware the same lines are in TSC cycles ("calibrate" says
 * what one instruction costs there, which is not a meaningful unit).
 */
#include <asm/bench.h>
#include <asm/mm.h>
#include <asm/pg2virt.h>
#include <xen/domain_page.h>
#include <xen/flushtlb.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/smp.h>
#include <xen/time.h>
#include <xen/vmap.h>
#include <xen/xmalloc.h>

#define BENCH_RUNS  51
#define BENCH_BATCH 32
#define CALIBRATION_LOOPS 100000

bool opt_bench;
boolean_param("bench", opt_bench);

/* Ticks per 1000 instructions, from a loop of two instructions a turn. */
static uint64_t calibrate(void)
{
    unsigned long n = CALIBRATION_LOOPS;
    uint64_t t = rdtsc_ordered();

    __asm__ __volatile__ ( "1: dec %0; jnz 1b" : "+r" (n) );
    t = rdtsc_ordered() - t;

    return t * 1000 / (2 * CALIBRATION_LOOPS);
}

static void sort(uint64_t *v, unsigned int n)
{
    unsigned int i, j;

    for ( i = 1; i < n; i++ )
        for ( j = i; j && v[j - 1] > v[j]; j-- )
        {
            uint64_t t = v[j];

            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

typedef void (*bench_fn_t)(unsigned int i);

/* Median ticks of one call of fn, over batches. */
static uint64_t measure(bench_fn_t fn)
{
    uint64_t samples[BENCH_RUNS];
    unsigned int run, i;

    fn(0); /* warm the caches and any lazily built structure */
    for ( run = 0; run < BENCH_RUNS; run++ )
    {
        uint64_t t = rdtsc_ordered();

        for ( i = 0; i < BENCH_BATCH; i++ )
            fn(run * BENCH_BATCH + i);
        samples[run] = rdtsc_ordered() - t;
    }
    sort(samples, BENCH_RUNS);

    return samples[BENCH_RUNS / 2] / BENCH_BATCH;
}

/* ------------------------------------------------------------------------
 * The operations
 */

#define COLD_FRAMES 1024

static struct page_info *frames; /* COLD_FRAMES frames to map */
static void *xh_page;
static struct page_info *xh_pg;
static unsigned long scratch_va;

static void b_map_hot(unsigned int i)
{
    unmap_domain_page(map_domain_page(page_to_mfn(frames)));
}

static void b_map_cold(unsigned int i)
{
    void *p = map_domain_page(mfn_add(page_to_mfn(frames), i % COLD_FRAMES));

    *(volatile char *)p; /* the translation must really be walked */
    unmap_domain_page(p);
}

static void b_map_global(unsigned int i)
{
    unmap_domain_page_global(map_domain_page_global(page_to_mfn(frames)));
}

static void b_xenheap0(unsigned int i)
{
    free_xenheap_pages(alloc_xenheap_pages(0, MEMF_no_scrub), 0);
}

static void b_xenheap4(unsigned int i)
{
    free_xenheap_pages(alloc_xenheap_pages(4, MEMF_no_scrub), 4);
}

static void b_domheap0(unsigned int i)
{
    free_domheap_pages(alloc_domheap_pages(0, MEMF_no_scrub), 0);
}

static void b_xmalloc64(unsigned int i)
{
    xfree(xmalloc_bytes(64));
}

static void b_xmalloc4k(unsigned int i)
{
    xfree(xmalloc_bytes(4096));
}

static void b_vmap1(unsigned int i)
{
    mfn_t mfn = page_to_mfn(frames);

    vunmap(vmap(&mfn, 1));
}

/* The same with a neighbour allocation keeping the L1 table alive. */
static void b_vmap1_kept(unsigned int i)
{
    static void *anchor;
    mfn_t mfn = page_to_mfn(frames);

    if ( !anchor )
        anchor = vmap(&mfn, 1);
    vunmap(vmap(&mfn, 1));
}

static void b_vm_alloc(unsigned int i)
{
    vm_free(vm_alloc(1, 1, VMAP_DEFAULT));
}

static void b_map1(unsigned int i)
{
    static void *anchor;
    unsigned long va;

    if ( !anchor )
        anchor = vm_alloc(4, 1, VMAP_DEFAULT);
    va = (unsigned long)anchor + PAGE_SIZE;
    map_pages_to_xen(va, page_to_mfn(frames), 1, PAGE_HYPERVISOR_RW);
    destroy_xen_mappings(va, va + PAGE_SIZE);
}

static void b_lookup(unsigned int i)
{
    xen_pagetable_lookup((unsigned long)xh_page, NULL);
}

static void b_vmap16(unsigned int i)
{
    mfn_t mfn[16];
    unsigned int j;

    for ( j = 0; j < 16; j++ )
        mfn[j] = mfn_add(page_to_mfn(frames), j);
    vunmap(vmap(mfn, 16));
}

static void b_virt_to_page(unsigned int i)
{
    struct page_info *volatile pg = virt_to_page(xh_page);

    (void)pg;
}

static void b_page_to_virt(unsigned int i)
{
    void *volatile va = page_to_virt(xh_pg);

    (void)va;
}

static void b_map_2m(unsigned int i)
{
    map_pages_to_xen(scratch_va, page_to_mfn(frames), 512, PAGE_HYPERVISOR_RW);
    destroy_xen_mappings(scratch_va, scratch_va + (512UL << PAGE_SHIFT));
}

/* ------------------------------------------------------------------------
 * SMP: shootdowns. Under -icount the clock is shared by all vCPUs, which
 * QEMU then runs in turn, so these figures count every instruction the
 * machine executes until the initiator is done: the targets' interrupt
 * handling included, and their idle time excluded.
 */
static cpumask_t one_remote;

static void b_flush_one(unsigned int i)
{
    flush_tlb_mask(&one_remote);
}

static void b_flush_all(unsigned int i)
{
    flush_tlb_mask(&cpu_online_map);
}

static void b_vunmap_eager(unsigned int i)
{
    mfn_t mfn = page_to_mfn(frames);

    vmap_lazy = false;
    vunmap(vmap(&mfn, 1));
    vmap_lazy = true;
}

/* Lazy: one clock-filtered shootdown per purge batch, amortised. */
static void b_vunmap_lazy(unsigned int i)
{
    mfn_t mfn = page_to_mfn(frames);

    vunmap(vmap(&mfn, 1));
}

static const struct {
    const char *name;
    bench_fn_t fn;
} smp_benches[] = {
    { "flush_tlb_mask, 1 remote CPU", b_flush_one },
    { "flush_tlb_mask, all CPUs", b_flush_all },
    { "vmap+vunmap 1 page, eager flush", b_vunmap_eager },
    { "vmap+vunmap 1 page, lazy flush", b_vunmap_lazy },
};

static const struct {
    const char *name;
    bench_fn_t fn;
} benches[] = {
    { "map_domain_page+unmap (hot)", b_map_hot },
    { "map_domain_page+unmap (cold)", b_map_cold },
    { "map_domain_page_global+unmap", b_map_global },
    { "alloc+free xenheap order 0", b_xenheap0 },
    { "alloc+free xenheap order 4", b_xenheap4 },
    { "alloc+free domheap order 0", b_domheap0 },
    { "xmalloc+xfree 64 bytes", b_xmalloc64 },
    { "xmalloc+xfree 4 KiB", b_xmalloc4k },
    { "vmap+vunmap 1 page", b_vmap1 },
    { "vmap+vunmap 1 page, L1 kept", b_vmap1_kept },
    { "vm_alloc+vm_free", b_vm_alloc },
    { "map_pages_to_xen 1 + destroy", b_map1 },
    { "xen_pagetable_lookup", b_lookup },
    { "vmap+vunmap 16 pages", b_vmap16 },
    { "virt_to_page (xenheap)", b_virt_to_page },
    { "page_to_virt (xenheap)", b_page_to_virt },
    { "map_pages_to_xen 2 MiB + destroy", b_map_2m },
};

void __init bench_run(void)
{
    uint64_t per_k = calibrate();
    unsigned int i;

    frames = alloc_domheap_pages(10, 0); /* 1024 frames, 2 MiB aligned */
    xh_page = alloc_xenheap_pages(0, 0);
    if ( !frames || !xh_page )
        panic("bench: not enough memory");
    xh_pg = virt_to_page(xh_page);
    scratch_va = SCRATCH_VIRT_START;

    printk("bench: calibrate %lu ticks per 1000 instructions, "
           "direct map %lu MiB\n", per_k, directmap_bytes >> 20);
    for ( i = 0; i < ARRAY_SIZE(benches); i++ )
    {
        uint64_t ticks = measure(benches[i].fn);

        printk("bench: %-36s %6lu instructions\n", benches[i].name,
               per_k ? ticks * 1000 / per_k : ticks);
    }

    cpumask_copy(&one_remote, &cpu_online_map);
    cpumask_clear_cpu(smp_processor_id(), &one_remote);
    if ( !cpumask_empty(&one_remote) )
    {
        unsigned int first = cpumask_first(&one_remote);

        cpumask_clear(&one_remote);
        cpumask_set_cpu(first, &one_remote);
    }
    for ( i = 0; i < ARRAY_SIZE(smp_benches); i++ )
    {
        uint64_t ticks;

        /* With no other CPU, a shootdown is a local flush: not an IPI. */
        if ( cpumask_empty(&one_remote) && i < 2 )
            continue;
        ticks = measure(smp_benches[i].fn);
        printk("bench: %-36s %6lu instructions (%u CPUs)\n",
               smp_benches[i].name, per_k ? ticks * 1000 / per_k : ticks,
               num_online_cpus());
    }
    vmap_purge();

    free_xenheap_pages(xh_page, 0);
    free_domheap_pages(frames, 10);
}
