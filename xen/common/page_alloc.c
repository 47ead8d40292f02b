/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The heap: one binary buddy allocator for every frame the hypervisor
 * gives out after boot, domheap and xenheap alike (a xenheap page is a
 * domheap page that xenheap.c then maps).
 *
 * Zones. Frames are grouped by address width: zone z holds the frames
 * whose mfn has its highest set bit at z - 1 (zone 0 is mfn 0, zone 1 is
 * mfn 1, zone 2 is mfns 2-3, zone 3 is 4-7, ...). A MEMF_bits(n) request
 * may use only the zones lying wholly below 2^n bytes, zones 0 to
 * n - PAGE_SHIFT, and every request is served from the highest zone it
 * may use that has a block, so low memory stays for those who need it
 * (devices that cannot address all of RAM, 32-bit structures). A zone
 * starts at a power of two, so an aligned block never straddles two
 * zones and buddies of different zones are never merged: the largest
 * block of zone z has order z - 1 (capped at MAX_ORDER).
 *
 * Free blocks. Per zone and order, a page list (asm/page-list.h) through
 * the head pages, and a bitmap of the orders whose list is not empty, so
 * a search is a bit scan. Every page of a free block is in state
 * PGC_state_free; the head alone has v.order set to the block's order,
 * the other pages have NOT_A_HEAD. A block of order k at mfn m
 * has its buddy at m ^ 2^k; they merge when the buddy is a valid frame
 * heading a free block of the same order in the same zone. Merging is
 * done on every free, so no two free buddies ever exist side by side
 * and the shape of the free lists depends only on which frames are free.
 *
 * Scrubbing. Freed memory is scrubbed at once, outside the lock, through
 * map_domain_page() (there is no direct map): release builds zero it;
 * debug builds fill it with POISON_BYTE and set PGC_poisoned, and check
 * the poison when the page is next allocated, so a write to freed memory
 * is reported with its frame and offset instead of surfacing later as
 * someone else's corruption. Allocation zeroes the pages unless the
 * caller passes MEMF_no_scrub; pages that were never freed (they came
 * from init_heap_pages(), which neither maps nor scrubs so that booting
 * with a lot of RAM stays fast) are zeroed the same way.
 *
 * Locking: see heap_lock().
 */
#include <asm/mm.h>
#include <asm/page-list.h>
#include <asm/system.h>
#include <xen/domain_page.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/flushtlb.h>
#include <xen/spinlock.h>

/*
 * Physical addresses are at most 52 bits wide on x86-64, so mfns have at
 * most 40 bits and there are 41 zones (most of them empty on any one
 * machine; an empty zone costs a few list heads).
 */
#define HEAP_PADDR_BITS 52
#define NR_ZONES        (HEAP_PADDR_BITS - PAGE_SHIFT + 1)

/* v.order of a free page that is not the head of its block. */
#define NOT_A_HEAD      (~0U)

/* Debug builds fill freed pages with this. */
#define POISON_BYTE     0xc2
#define POISON_WORD     0xc2c2c2c2c2c2c2c2UL

static struct page_list_head free_list[NR_ZONES][MAX_ORDER + 1];
/* Bit k of free_orders[z]: free_list[z][k] is not empty. */
static uint32_t free_orders[NR_ZONES];
/* Free frames, per zone and in all. */
static unsigned long zone_avail[NR_ZONES];
static unsigned long total_avail;

BUILD_BUG_ON(MAX_ORDER >= 32);              /* free_orders[] are 32-bit */
BUILD_BUG_ON(PGC_state_inuse != 0);
BUILD_BUG_ON(NR_ZONES > 64);

/*
 * One lock for the whole heap, taken with interrupts off because
 * interrupt handlers may allocate and free. Nothing that maps, scrubs or
 * flushes runs inside it; the debug spinlock checks catch re-entry (an
 * NMI or a fault inside the heap) as recursion.
 */
static DEFINE_SPINLOCK(heap_spinlock);

static unsigned long heap_lock(void)
{
    unsigned long flags;

    spin_lock_irqsave(&heap_spinlock, flags);
    return flags;
}

static void heap_unlock(unsigned long flags)
{
    spin_unlock_irqrestore(&heap_spinlock, flags);
}
static unsigned int mfn_zone(unsigned long mfn)
{
    return mfn ? 64 - __builtin_clzl(mfn) : 0;
}

/* The largest order a block of zone z can have. */
static unsigned int zone_max_order(unsigned int z)
{
    return z ? min(z - 1, (unsigned int)MAX_ORDER) : 0;
}

/* The highest zone wholly below 2^bits bytes; bits >= PAGE_SHIFT, 0: any. */
static unsigned int bits_max_zone(unsigned int bits)
{
    if ( !bits || bits - PAGE_SHIFT >= NR_ZONES )
        return NR_ZONES - 1;
    return bits - PAGE_SHIFT;
}

/* ------------------------------------------------------------------------
 * Free lists. Callers hold the heap lock.
 */

static void list_add_block(struct page_info *pg, unsigned int z,
                           unsigned int order)
{
    page_set_order(pg, order);
    page_list_add(pg, &free_list[z][order]);
    free_orders[z] |= 1U << order;
}

static void list_del_block(struct page_info *pg, unsigned int z,
                           unsigned int order)
{
    ASSERT(page_get_order(pg) == order && page_state_is(pg, free));
    page_list_del(pg, &free_list[z][order]);
    if ( page_list_empty(&free_list[z][order]) )
        free_orders[z] &= ~(1U << order);
    page_set_order(pg, NOT_A_HEAD);
}

/*
 * Puts the block of 2^order frames at mfn, whose pages are all marked
 * free with v.order NOT_A_HEAD already, on the free lists, merging it
 * with its buddies as far as its zone allows, and counts it as free.
 */
static void free_block(unsigned long mfn, unsigned int order)
{
    unsigned int z = mfn_zone(mfn), top = zone_max_order(z);
    unsigned long n = 1UL << order;

    ASSERT(order <= top && !(mfn & (n - 1)));

    while ( order < top )
    {
        unsigned long buddy = mfn ^ (1UL << order);
        struct page_info *bp;

        if ( !mfn_valid(_mfn(buddy)) )
            break;
        bp = mfn_to_page(_mfn(buddy));
        if ( !page_state_is(bp, free) || page_get_order(bp) != order )
            break;
        /* order < top keeps the pair inside one aligned zone block. */
        ASSERT(mfn_zone(buddy) == z);
        /* Off its list, the buddy is NOT_A_HEAD too, like our block. */
        list_del_block(bp, z, order);
        /* The lower of the two heads the merged block. */
        mfn = min(mfn, buddy);
        order++;
    }

    list_add_block(mfn_to_page(_mfn(mfn)), z, order);
    zone_avail[z] += n;
    total_avail += n;
}

/*
 * Takes a block of 2^order frames from the highest zone up to max_zone
 * that has one, splitting a larger block if it must; NULL if none. The
 * head page is in use on return (so no concurrent free merges with it);
 * the other pages still say free and are the caller's to mark.
 */
static struct page_info *take_block(unsigned int order, unsigned int max_zone)
{
    unsigned int z = max_zone + 1;

    while ( z-- > 0 )
    {
        /* Orders >= order with a free block in this zone. */
        uint32_t orders = free_orders[z] & ~((1U << order) - 1);
        struct page_info *pg;
        unsigned int k;

        if ( !orders )
            continue;
        k = __builtin_ctz(orders);
        pg = page_list_first(&free_list[z][k]);
        list_del_block(pg, z, k);
        /* Give back the upper halves until the block is the right size. */
        while ( k > order )
        {
            k--;
            list_add_block(pg + (1UL << k), z, k);
        }
        zone_avail[z] -= 1UL << order;
        total_avail -= 1UL << order;
        /* Keep the poison mark (the caller checks it) and the flush mark. */
        pg->count_info = PGC_state_inuse |
                         (pg->count_info & (PGC_poisoned | PGC_need_tlbflush));
        return pg;
    }

    return NULL;
}

/* ------------------------------------------------------------------------
 * Scrubbing. Outside the lock: these pages belong to the caller alone.
 */

static void fill_page(void *va, uint64_t word)
{
    uint64_t *p = va;
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE / sizeof(*p); i++ )
        p[i] = word;
}

/* The page was freed and poisoned; anything else in it is a late write. */
static void check_poison(mfn_t mfn, const void *va)
{
    const uint64_t *p = va;
    const uint8_t *b = va;
    unsigned int i, off;

    for ( i = 0; i < PAGE_SIZE / sizeof(*p); i++ )
        if ( unlikely(p[i] != POISON_WORD) )
            break;
    if ( likely(i == PAGE_SIZE / sizeof(*p)) )
        return;

    for ( off = i * sizeof(*p); b[off] == POISON_BYTE; off++ )
        continue;
    printk(XENLOG_ERR "heap: freed page %#lx was written after it was freed: "
           "byte %#x at offset %#x (poison is %#x)\n",
           mfn_x(mfn), b[off], off, POISON_BYTE);
    BUG();
}

/* Pages of a block just taken from the free lists become the caller's. */
/*
 * Frames freed after a lazy unmap carry PGC_need_tlbflush and the flush
 * clock at the unmap: some CPU may still have them in its TLB. Before
 * they are handed out again, the CPUs that have not flushed since the
 * newest such stamp flush (and only those).
 */
static void flush_stale_translations(struct page_info *pg, unsigned int order)
{
    unsigned long i, n = 1UL << order;
    uint32_t newest = 0;
    bool need = false;

    for ( i = 0; i < n; i++ )
    {
        if ( !(pg[i].count_info & PGC_need_tlbflush) )
            continue;
        if ( !need || (int32_t)(pg[i].tlbflush_timestamp - newest) > 0 )
            newest = pg[i].tlbflush_timestamp;
        need = true;
        page_clear_flag(&pg[i], PGC_need_tlbflush);
    }
    if ( need )
        flush_stale_tlbs(newest);
}

static void prepare_pages(struct page_info *pg, unsigned int order,
                          unsigned int memflags)
{
    mfn_t mfn = page_to_mfn(pg);
    unsigned long i, n = 1UL << order;

    for ( i = 0; i < n; i++ )
    {
        bool poisoned = IS_ENABLED(CONFIG_DEBUG) &&
                        (pg[i].count_info & PGC_poisoned);
        void *va;

        ASSERT(i == 0 ? page_state_is(&pg[i], inuse)
                      : page_state_is(&pg[i], free));
        /* In use, untyped, no references, no owner. */
        pg[i].count_info = PGC_state_inuse;
        pg[i].type_info = 0;
        pg[i].v.owner = 0;

        if ( !poisoned && (memflags & MEMF_no_scrub) )
            continue;
        va = map_domain_page(mfn_add(mfn, i));
        if ( poisoned )
            check_poison(mfn_add(mfn, i), va);
        if ( !(memflags & MEMF_no_scrub) )
            fill_page(va, 0);
        unmap_domain_page(va);
    }
}

/* ------------------------------------------------------------------------
 * The interface (xen/mm.h).
 */

static void bad_request(unsigned int order, unsigned int memflags,
                        const void *caller)
{
    if ( IS_ENABLED(CONFIG_DEBUG) )
        printk(XENLOG_WARNING "heap: bad request from %pS: order %u "
               "(max %u), MEMF_bits(%u) (min %u)\n",
               caller, order, MAX_ORDER, MEMF_get_bits(memflags),
               PAGE_SHIFT + 1);
}

struct page_info *alloc_domheap_pages(unsigned int order,
                                      unsigned int memflags)
{
    unsigned int bits = MEMF_get_bits(memflags);
    struct page_info *pg;
    unsigned long flags;

    /*
     * MEMF_bits(PAGE_SHIFT) or less would allow at most frame 0, which
     * is never RAM the heap gets: the caller miscounted.
     */
    if ( order > MAX_ORDER || (bits && bits <= PAGE_SHIFT) )
    {
        bad_request(order, memflags, __builtin_return_address(0));
        return NULL;
    }

    flags = heap_lock();
    pg = take_block(order, bits_max_zone(bits));
    heap_unlock(flags);

    if ( pg )
    {
        flush_stale_translations(pg, order);
        prepare_pages(pg, order, memflags);
    }

    return pg;
}

/* Names the page and the problem before a BUG, so the report is useful. */
static void __noreturn bad_free(const struct page_info *pg, unsigned int order,
                                const char *what)
{
    mfn_t mfn = page_to_mfn(pg);

    /* Without a frame-table entry there is no count_info to show. */
    printk(XENLOG_ERR "heap: free of %#lx order %u: %s (count_info %#lx "
           "type_info %#lx)\n", mfn_x(mfn), order, what,
           mfn_valid(mfn) ? pg->count_info : 0,
           mfn_valid(mfn) ? pg->type_info : 0);
    BUG();
}

static void check_in_use(const struct page_info *pg, unsigned int order,
                         const struct page_info *head)
{
    if ( unlikely(!page_state_is(pg, inuse)) )
        bad_free(pg, order, pg == head ? "not in use" :
                 "a page of the block is not in use");
    /* Owners clear their marks before giving a page back. */
    if ( unlikely(pg->count_info & (PGC_xen_heap | PGC_pagetable)) )
        bad_free(pg, order, "still a xenheap or page-table page");
    /*
     * A reference left behind would let its holder reach the frame after
     * the heap has handed it to someone else.
     */
    if ( unlikely((pg->count_info & (PGC_count_mask | PGC_allocated)) ||
                  (pg->type_info & PGT_count_mask)) )
        bad_free(pg, order, "still referenced");
}

void free_domheap_pages(struct page_info *pg, unsigned int order)
{
    unsigned long i, n, flags, mfn;

    /* Cheap checks in every build: these would corrupt the lists. */
    if ( unlikely(order > MAX_ORDER) )
        bad_free(pg, order, "order too large");
    n = 1UL << order;
    mfn = mfn_x(page_to_mfn(pg));
    if ( unlikely(!mfn_valid(_mfn(mfn)) ||
                  !mfn_valid(_mfn(mfn + n - 1))) )
        bad_free(pg, order, "not a RAM frame");
    if ( unlikely(mfn & (n - 1)) )
        bad_free(pg, order, "misaligned for its order");
    check_in_use(pg, order, pg);

    for ( i = 0; i < n; i++ )
    {
        void *va;

        if ( IS_ENABLED(CONFIG_DEBUG) && i )
            check_in_use(&pg[i], order, pg);

        va = map_domain_page(_mfn(mfn + i));
        fill_page(va, IS_ENABLED(CONFIG_DEBUG) ? POISON_WORD : 0);
        unmap_domain_page(va);

        /*
         * Marking the pages free before they are on a list is harmless:
         * only a head with a valid v.order is ever taken for a buddy.
         */
        page_set_order(&pg[i], NOT_A_HEAD);
        pg[i].count_info = PGC_state_free |
                           (pg[i].count_info & PGC_need_tlbflush) |
                           (IS_ENABLED(CONFIG_DEBUG) ? PGC_poisoned : 0);
    }

    flags = heap_lock();
    free_block(mfn, order);
    heap_unlock(flags);
}

/*
 * Frames [mfn, mfn + nr) are carved into the largest aligned blocks that
 * fit, each merged with whatever free neighbours earlier calls gave, so
 * adjacent ranges join up. Each page_info is written once and no frame is
 * mapped or scrubbed: allocation zeroes pages that were never freed.
 */
void init_heap_pages(mfn_t mfn, unsigned long nr)
{
    unsigned long s = mfn_x(mfn), e = s + nr;

    BUG_ON(e < s);

    while ( s < e )
    {
        unsigned int order = zone_max_order(mfn_zone(s));
        unsigned long i, n, flags;
        struct page_info *pg;

        /* Alignment of s bounds the order, and so does what is left. */
        if ( s )
            order = min(order, (unsigned int)__builtin_ctzl(s));
        order = min(order, (unsigned int)(63 - __builtin_clzl(e - s)));
        n = 1UL << order;

        ASSERT(mfn_valid(_mfn(s)) && mfn_valid(_mfn(s + n - 1)));
        pg = mfn_to_page(_mfn(s));
        for ( i = 0; i < n; i++ )
        {
            /* Frames come from the frame table in use; twice is a bug. */
            ASSERT(page_state_is(&pg[i], inuse));
            page_set_order(&pg[i], NOT_A_HEAD);
            pg[i].count_info = PGC_state_free;
        }

        flags = heap_lock();
        free_block(s, order);
        heap_unlock(flags);

        s += n;
    }
}

unsigned long avail_domheap_pages(void)
{
    return total_avail;
}

unsigned long avail_heap_pages_below(unsigned int bits)
{
    unsigned long n = 0, flags;
    unsigned int z, top;

    if ( !bits )
        return avail_domheap_pages();
    if ( bits < PAGE_SHIFT )
        return 0;

    top = bits_max_zone(bits);
    flags = heap_lock();
    for ( z = 0; z <= top; z++ )
        n += zone_avail[z];
    heap_unlock(flags);

    return n;
}

int heap_max_free_order(void)
{
    unsigned long flags = heap_lock();
    int best = -1;
    unsigned int z;

    for ( z = 0; z < NR_ZONES; z++ )
        if ( free_orders[z] )
            best = max(best, 31 - __builtin_clz(free_orders[z]));
    heap_unlock(flags);

    return best;
}
