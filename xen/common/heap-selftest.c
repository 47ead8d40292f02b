/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Self-test "heap": the buddy allocator (xen/common/page_alloc.c) on the
 * machine's own free memory.
 *
 *  - requests that can never be met fail: order MAX_ORDER + 1,
 *    MEMF_bits(PAGE_SHIFT), and memory below 1 MiB (the boot allocator
 *    never gives the first MiB to the heap);
 *  - an unrestricted request is served from the highest zone that has
 *    memory, and MEMF_bits(32) and MEMF_bits(28) ones from below their
 *    limits, single frames again from the highest zone they may use;
 *  - small orders, cycling 0, 3, 1, 9, 0, 5, come zeroed and are marked
 *    with a pattern; then everything left is taken, largest blocks first,
 *    until the test's region is empty: the whole heap if it holds at most
 *    1 GiB, else all of it below the highest power-of-two address under
 *    which at most 1 GiB is free. Every frame taken is scrubbed when it
 *    is given back, so this keeps a 16 GiB machine's test as quick (and
 *    its emulator's memory as small) as a 1 GiB one's;
 *  - in the emptied region, an order-9 block freed a frame at a time
 *    merges back into one block, which the next order-9 request gets;
 *  - every pattern is intact at the end, the blocks are freed in a
 *    pseudo-random order, and the heap is back to exactly its starting
 *    number of free frames and its starting largest order;
 *  - a freed page holds the poison (debug builds) or zeroes (release),
 *    and comes back zeroed.
 *
 * Blocks held by the test are on a page list through their heads (the
 * test owns them, so it may use their links), with the order in v.order.
 * Large blocks are checked by sampling so the test stays quick under
 * emulation.
 */
#include <asm/mm.h>
#include <asm/page-list.h>
#include <xen/domain_page.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/selftest.h>

/* Rounds of the small-order cycle before the rest is taken whole. */
#define SMALL_ROUNDS 32

/* The most free memory the test takes: 1 GiB. */
#define REGION_MAX_FRAMES (1UL << (30 - PAGE_SHIFT))

static const unsigned int cycle[] = { 0, 3, 1, 9, 0, 5 };

static PAGE_LIST_HEAD(held);
static unsigned long held_blocks;

/* What the test empties: frames below 2^region_bits bytes; 0: all. */
static unsigned int region_bits;
static unsigned int region_flags;

static unsigned long region_avail(void)
{
    return avail_heap_pages_below(region_bits);
}

static void pick_region(unsigned long avail0)
{
    unsigned int bits = PAGE_SHIFT + 40;

    region_bits = 0;
    if ( avail0 > REGION_MAX_FRAMES )
    {
        /* Zones double, so below 2^30 bytes there is never more. */
        while ( avail_heap_pages_below(bits) > REGION_MAX_FRAMES )
            bits--;
        region_bits = bits;
    }
    region_flags = region_bits ? MEMF_bits(region_bits) : 0;
}

static uint64_t rng_state;

static unsigned int rng(unsigned int bound)
{
    return selftest_random(&rng_state, bound);
}

static uint64_t tag_of(mfn_t mfn)
{
    return (mfn_x(mfn) * 0x9e3779b97f4a7c15UL) | 1;
}

/* Address width of a frame's zone: it lies below 2^bits bytes. */
static unsigned int zone_bits(mfn_t mfn)
{
    return (mfn_x(mfn) ? 64 - __builtin_clzl(mfn_x(mfn)) : 0) + PAGE_SHIFT;
}

static void hold(struct page_info *pg, unsigned int order)
{
    page_set_order(pg, order);
    page_list_add(pg, &held);
    held_blocks++;
}

/* The pages sampled in a block: the first and the last. */
static unsigned int nr_samples(unsigned int order)
{
    return order ? 2 : 1;
}

static mfn_t sample_mfn(struct page_info *pg, unsigned int order,
                        unsigned int which)
{
    return mfn_add(page_to_mfn(pg), which ? (1UL << order) - 1 : 0);
}

/*
 * Checks that a fresh block is zero (the whole first page, the ends of
 * the last), then writes the tag at both ends of both sampled pages.
 */
static const char *mark_block(struct page_info *pg, unsigned int order,
                              bool zeroed)
{
    unsigned int s, i;

    for ( s = 0; s < nr_samples(order); s++ )
    {
        mfn_t mfn = sample_mfn(pg, order, s);
        uint64_t *p = map_domain_page(mfn);
        const char *fail = NULL;

        for ( i = 0; zeroed && i < PAGE_SIZE / sizeof(*p) && !fail; i++ )
        {
            if ( s && i == 1 )
                i = PAGE_SIZE / sizeof(*p) - 1;
            if ( p[i] )
                fail = selftest_fail("mfn %#lx (order %u) not zeroed at "
                                     "offset %#lx: %#lx", mfn_x(mfn), order,
                                     (unsigned long)(i * sizeof(*p)), p[i]);
        }
        p[0] = p[PAGE_SIZE / sizeof(*p) - 1] = tag_of(mfn);
        unmap_domain_page(p);
        if ( fail )
            return fail;
    }

    return NULL;
}

static const char *check_block(struct page_info *pg, unsigned int order)
{
    unsigned int s;

    for ( s = 0; s < nr_samples(order); s++ )
    {
        mfn_t mfn = sample_mfn(pg, order, s);
        uint64_t *p = map_domain_page(mfn);
        bool ok = p[0] == tag_of(mfn) &&
                  p[PAGE_SIZE / sizeof(*p) - 1] == tag_of(mfn);

        unmap_domain_page(p);
        if ( !ok )
            return selftest_fail("pattern of mfn %#lx (order %u) changed "
                                 "while allocated", mfn_x(mfn), order);
    }

    return NULL;
}

/* Takes one block and holds it; *fail is set on a check failure. */
static struct page_info *take(unsigned int order, unsigned int memflags,
                              const char **fail)
{
    struct page_info *pg = alloc_domheap_pages(order, memflags);
    mfn_t mfn;

    if ( !pg )
        return NULL;
    mfn = page_to_mfn(pg);
    hold(pg, order);
    if ( mfn_x(mfn) & ((1UL << order) - 1) )
        *fail = selftest_fail("order %u block at %#lx is misaligned", order,
                              mfn_x(mfn));
    else if ( !page_state_is(pg, inuse) ||
              (pg->count_info & PGC_poisoned) )
        *fail = selftest_fail("mfn %#lx: count_info %#lx after allocation",
                              mfn_x(mfn), pg->count_info);
    else
        *fail = mark_block(pg, order, !(memflags & MEMF_no_scrub));

    return pg;
}

/*
 * A request limited to 2^bits bytes (0: none) lands below the limit and
 * in the highest zone that has free memory under it.
 */
static const char *check_zone_choice(unsigned int bits, unsigned int order)
{
    unsigned long below = avail_heap_pages_below(bits);
    const char *fail = NULL;
    struct page_info *pg;
    unsigned int zb;

    pg = take(order, bits ? MEMF_bits(bits) : 0, &fail);
    /* Fragments might not add up to a larger block; one frame must do. */
    if ( !pg )
        return !order && below
               ? selftest_fail("MEMF_bits(%u) order 0 failed with %lu "
                               "frames free below the limit", bits, below)
               : NULL;
    if ( fail )
        return fail;

    zb = zone_bits(page_to_mfn(pg));
    if ( bits && zb > bits )
        return selftest_fail("MEMF_bits(%u) gave mfn %#lx", bits,
                             mfn_x(page_to_mfn(pg)));
    /*
     * A single frame fits anywhere, so none may be left free between its
     * zone and the limit. (A larger block may rightly come from lower
     * down if the zones above hold only smaller pieces; the host tests
     * check that case against the frame table.)
     */
    if ( !order &&
         avail_heap_pages_below(zb) != avail_heap_pages_below(bits) )
        return selftest_fail("MEMF_bits(%u) gave mfn %#lx from a low zone: "
                             "%lu frames free below 2^%u, %lu below the "
                             "limit", bits, mfn_x(page_to_mfn(pg)),
                             avail_heap_pages_below(zb), zb,
                             avail_heap_pages_below(bits));

    return NULL;
}

/*
 * Frees everything held, a random half of what is left at each pass;
 * carries on after a bad pattern so that a failure leaks nothing.
 */
static const char *free_all_randomly(void)
{
    const char *first_fail = NULL;
    struct page_info *pg, *next;

    while ( !page_list_empty(&held) )
        page_list_for_each_safe ( pg, next, &held )
        {
            unsigned int order = page_get_order(pg);
            const char *fail;

            if ( rng(2) )
                continue;
            page_list_del(pg, &held);
            held_blocks--;
            if ( (fail = check_block(pg, order)) && !first_fail )
                first_fail = fail;
            free_domheap_pages(pg, order);
        }

    return first_fail;
}

/* A freed page is scrubbed at once, and zeroed when it comes back. */
static const char *check_scrub(void)
{
    struct page_info *pg = alloc_domheap_page(0);
    const uint8_t *b;
    uint64_t *p;
    unsigned int i;
    mfn_t mfn;
    uint8_t want = IS_ENABLED(CONFIG_DEBUG) ? 0xc2 : 0;
    bool poisoned;

    if ( !pg )
        return selftest_fail("no page for the scrub check");
    mfn = page_to_mfn(pg);
    p = map_domain_page(mfn);
    for ( i = 0; i < PAGE_SIZE / sizeof(*p); i++ )
        p[i] = tag_of(mfn) + i;
    unmap_domain_page(p);
    free_domheap_page(pg);

    poisoned = pg->count_info & PGC_poisoned;
    if ( !page_state_is(pg, free) || poisoned != IS_ENABLED(CONFIG_DEBUG) )
        return selftest_fail("freed mfn %#lx has count_info %#lx",
                             mfn_x(mfn), pg->count_info);
    b = map_domain_page(mfn);
    for ( i = 0; i < PAGE_SIZE && b[i] == want; i++ )
        continue;
    unmap_domain_page(b);
    if ( i < PAGE_SIZE )
        return selftest_fail("freed mfn %#lx holds %#x at offset %#x, not "
                             "%#x", mfn_x(mfn), b[i], i, want);

    /* Most recently freed, so very likely the same page again. */
    pg = alloc_domheap_page(0);
    if ( !pg )
        return selftest_fail("no page after a free");
    b = map_domain_page(page_to_mfn(pg));
    for ( i = 0; i < PAGE_SIZE && !b[i]; i++ )
        continue;
    unmap_domain_page(b);
    free_domheap_page(pg);
    if ( i < PAGE_SIZE )
        return selftest_fail("reallocated mfn %#lx not zeroed at offset %#x",
                             mfn_x(page_to_mfn(pg)), i);

    return NULL;
}

/*
 * A request that must find nothing. A block it gets anyway is held, to
 * be given back with the rest (unless its order is one free would
 * refuse: that heap is beyond saving).
 */
static bool served(unsigned int order, unsigned int memflags)
{
    struct page_info *pg = alloc_domheap_pages(order, memflags);

    if ( pg && order <= MAX_ORDER )
        hold(pg, order);
    return pg;
}

/*
 * With the region empty, one held order-9 block is freed a frame at a
 * time in a scrambled order: the 512 frames must merge back into one
 * block of order 9, and that block must be what the next order-9
 * request for the region gets.
 */
static const char *check_merge(void)
{
    struct page_info *pg;
    const char *fail;
    unsigned int i;
    mfn_t mfn;

    page_list_for_each ( pg, &held )
        if ( page_get_order(pg) == 9 )
            break;
    if ( !pg )
        return selftest_fail("no order-9 block held");
    if ( (fail = check_block(pg, 9)) )
        return fail;
    page_list_del(pg, &held);
    held_blocks--;
    mfn = page_to_mfn(pg);

    /* 167 is odd, so i -> 167 * i + 40 (mod 512) visits every frame. */
    for ( i = 0; i < 512; i++ )
        free_domheap_page(pg + ((167 * i + 40) & 511));

    if ( region_avail() != 512 ||
         (!region_bits && heap_max_free_order() != 9) )
        return selftest_fail("512 frames freed one by one: %lu free, "
                             "largest order %d", region_avail(),
                             heap_max_free_order());
    pg = take(9, region_flags, &fail);
    if ( !pg )
        return selftest_fail("the merged block was not served");
    if ( fail )
        return fail;
    if ( !mfn_eq(page_to_mfn(pg), mfn) )
        return selftest_fail("order 9 gave %#lx, not the merged block %#lx",
                             mfn_x(page_to_mfn(pg)), mfn_x(mfn));

    return NULL;
}

static const char *heap_run(unsigned long avail0)
{
    const char *fail = NULL;
    unsigned int round, i, order;

    if ( served(MAX_ORDER + 1, 0) )
        return selftest_fail("order MAX_ORDER + 1 was served");
    if ( served(0, MEMF_bits(PAGE_SHIFT)) )
        return selftest_fail("MEMF_bits(PAGE_SHIFT) was served");
    if ( avail_heap_pages_below(20) || served(0, MEMF_bits(20)) )
        return selftest_fail("the heap has memory below 1 MiB (%lu frames)",
                             avail_heap_pages_below(20));
    if ( avail_heap_pages_below(PAGE_SHIFT + 40) != avail0 )
        return selftest_fail("%lu frames free in all zones, %lu in total",
                             avail_heap_pages_below(PAGE_SHIFT + 40), avail0);

    if ( (fail = check_zone_choice(0, 0)) ||
         (fail = check_zone_choice(32, 0)) ||
         (fail = check_zone_choice(32, 9)) ||
         (fail = check_zone_choice(28, 0)) ||
         (fail = check_zone_choice(28, 3)) )
        return fail;

    for ( round = 0; round < SMALL_ROUNDS; round++ )
        for ( i = 0; i < ARRAY_SIZE(cycle); i++ )
            if ( take(cycle[i], region_flags, &fail) && fail )
                return fail;

    /*
     * The rest, largest first so there are few blocks. Pages need not be
     * zeroed for the test: no_scrub on the large ones saves a pass over
     * all of memory, while the small ones still check zeroing.
     */
    for ( order = MAX_ORDER + 1; order-- > 0; )
        while ( take(order, region_flags | (order >= 9 ? MEMF_no_scrub : 0),
                     &fail) )
            if ( fail )
                return fail;

    if ( region_avail() || served(0, region_flags) ||
         (!region_bits && heap_max_free_order() != -1) )
        return selftest_fail("region not empty after taking everything: "
                             "%lu frames, largest order %d", region_avail(),
                             heap_max_free_order());
    if ( region_bits )
        printk("heap: took %lu free frames in %lu blocks, leaving none below "
               "2^%u bytes\n", avail0 - avail_domheap_pages(), held_blocks,
               region_bits);
    else
        printk("heap: took all %lu free frames in %lu blocks\n", avail0,
               held_blocks);

    return check_merge();
}

static const char *selftest_heap(void)
{
    unsigned long avail0 = avail_domheap_pages();
    int order0 = heap_max_free_order();
    unsigned int slots0 = mapcache_slots_in_use();
    const char *fail;

    if ( !avail0 )
        return selftest_fail("the heap is empty");

    rng_state = 0x243f6a8885a308d3UL;
    INIT_PAGE_LIST_HEAD(&held);
    held_blocks = 0;
    pick_region(avail0);
    if ( region_bits )
        printk("heap: %lu frames free; the test empties those below 2^%u "
               "bytes (%lu)\n", avail0, region_bits, region_avail());

    fail = heap_run(avail0);
    /* Everything goes back even after a failure, so later tests run. */
    if ( !fail )
        fail = free_all_randomly();
    else
        free_all_randomly();
    if ( fail )
        return fail;

    if ( avail_domheap_pages() != avail0 || heap_max_free_order() != order0 )
        return selftest_fail("heap has %lu frames, largest order %d; had "
                             "%lu, %d", avail_domheap_pages(),
                             heap_max_free_order(), avail0, order0);

    if ( (fail = check_scrub()) )
        return fail;
    if ( avail_domheap_pages() != avail0 )
        return selftest_fail("scrub check leaked: %lu frames, had %lu",
                             avail_domheap_pages(), avail0);
    if ( mapcache_slots_in_use() != slots0 )
        return selftest_fail("%u mapcache slots left in use",
                             mapcache_slots_in_use() - slots0);

    return NULL;
}
REGISTER_SELFTEST("heap", selftest_heap);
