/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenheap self-test: every page round-trips the conversions, contents
 * and pointers are stable, and everything comes back; with a partial
 * direct map, the block that straddles its end too.
 */
#include <asm/config.h>
#include <asm/mm.h>
#include <asm/pg2virt.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/selftest.h>

#define XH_TEST_ALLOCS 96

static const char *check_block(void *va, unsigned int order, unsigned int tag)
{
    unsigned long n = 1UL << order, i;

    for ( i = 0; i < n; i++ )
    {
        unsigned long *p = (unsigned long *)((char *)va + (i << PAGE_SHIFT));
        struct page_info *pg = virt_to_page(p);

        if ( page_to_virt(pg) != p )
            return selftest_fail("page_to_virt(virt_to_page(%p)) = %p", p,
                                 page_to_virt(pg));
        if ( !(pg->count_info & PGC_xen_heap) )
            return selftest_fail("%p: page not marked xenheap", p);
        if ( __va(__pa(p) + 8) != (void *)(p + 1) )
            return selftest_fail("__va(__pa(%p)) round trip", p + 1);
        if ( p[0] != ((unsigned long)tag << 32 | i) )
            return selftest_fail("%p holds %#lx", p, p[0]);
    }

    return NULL;
}

/*
 * A partial direct map whose end is not aligned to 2^MAX_ORDER frames
 * (directmap=1001M, say) lets a buddy block begin below the end and reach
 * past it. Such a block must be mapped through vmap as a whole and every
 * one of its pages must round-trip to that address, not to its
 * direct-map alias. The test takes blocks of the smallest order that can
 * straddle until it gets the one that does.
 */
#define STRADDLE_MAX_ORDER 10
#define STRADDLE_TRIES     1024

static const char *straddle_test(void)
{
    static void *held[STRADDLE_TRIES];
    unsigned long end = directmap_end_mfn, n, i, got = 0;
    unsigned int order;
    const char *fail = NULL;
    void *found = NULL;

    if ( !end || !(end & ((1UL << MAX_ORDER) - 1)) )
        return NULL; /* no direct map, or an end no block can cross */
    order = __builtin_ctzl(end) + 1;
    if ( order > STRADDLE_MAX_ORDER )
    {
        printk("xenheap: direct map ends at %#lx; blocks of order %u could "
               "straddle it, too large to hunt for: skipped\n", end, order);
        return NULL;
    }
    n = 1UL << order;

    while ( got < STRADDLE_TRIES && !found )
    {
        void *va = alloc_xenheap_pages(order, MEMF_no_scrub);
        unsigned long mfn;

        if ( !va )
            break;
        held[got++] = va;
        mfn = mfn_x(virt_to_mfn(va));
        if ( mfn < end && mfn + n > end )
            found = va;
    }

    if ( !found )
        printk("xenheap: no order-%u block straddling the direct map's end "
               "%#lx was free (%lu taken): skipped\n", order, end, got);
    else
    {
        unsigned long mfn = mfn_x(virt_to_mfn(found));

        for ( i = 0; i < n && !fail; i++ )
        {
            void *p = (char *)found + (i << PAGE_SHIFT);

            if ( page_to_virt(virt_to_page(p)) != p ||
                 mfn_x(virt_to_mfn(p)) != mfn + i )
                fail = selftest_fail("straddling block %#lx: page %lu maps "
                                     "back to %p", mfn, i,
                                     page_to_virt(virt_to_page(p)));
        }
        if ( !fail && va_in_directmap((unsigned long)found) )
            fail = selftest_fail("straddling block %#lx got a direct-map "
                                 "address", mfn);
        if ( !fail )
            printk("xenheap: order-%u block %#lx-%#lx straddles the direct "
                   "map's end %#lx: mapped at %p, every page round-trips\n",
                   order, mfn, mfn + n - 1, end, found);
    }

    while ( got-- )
        free_xenheap_pages(held[got], order);

    return fail;
}

static const char *selftest_xenheap(void)
{
    static void *va[XH_TEST_ALLOCS];
    static unsigned int order[XH_TEST_ALLOCS];
    unsigned long free_before = mm_free_frames();
    unsigned long xh_before = xenheap_pages, i, j, kept;
    unsigned long tracking_before = pg2virt_bytes >> PAGE_SHIFT;
    unsigned long pt_before = xen_pagetable_pages;
    const char *fail = NULL;

    for ( i = 0; i < XH_TEST_ALLOCS; i++ )
    {
        order[i] = (i * 7) % 5; /* orders 0-4, mixed */
        va[i] = alloc_xenheap_pages(order[i], 0);
        if ( !va[i] )
        {
            fail = selftest_fail("allocation %lu (order %u) failed", i,
                                 order[i]);
            break;
        }
        for ( j = 0; j < (1UL << order[i]); j++ )
            *(unsigned long *)((char *)va[i] + (j << PAGE_SHIFT)) =
                (i << 32) | j;
    }

    /* After all allocations, every block still holds its own pattern. */
    for ( j = 0; j < i && !fail; j++ )
        fail = check_block(va[j], order[j], j);

    while ( i-- )
        free_xenheap_pages(va[i], order[i]);

    /*
     * What stays allocated: tracking-array pages populated on the way
     * (kept for reuse) and page tables of the xenheap region.
     */
    kept = (pg2virt_bytes >> PAGE_SHIFT) - tracking_before +
           xen_pagetable_pages - pt_before;
    if ( !fail && (xenheap_pages != xh_before ||
                   mm_free_frames() + kept != free_before) )
        fail = selftest_fail("after freeing: %lu xenheap pages (had %lu), "
                             "%lu free + %lu kept (had %lu)", xenheap_pages,
                             xh_before, mm_free_frames(), kept,
                             free_before);

    return fail ?: straddle_test();
}
REGISTER_SELFTEST("xenheap", selftest_xenheap);
