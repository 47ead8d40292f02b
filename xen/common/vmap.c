/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual-address allocator of the vmap and xenheap regions; the
 * mappings on top of it are in vmalloc.c, the purge list in
 * vmap-purge.c. The contracts are in xen/vmap.h.
 *
 * The allocator
 * -------------
 * A region is an array of pages with one bit each: set means the page
 * belongs to an allocation (or to the reserved head of the region).
 * Guard pages are clear bits, and what makes them guards is the rule for
 * where an allocation of n pages may start:
 *
 *     p >= 1, bits p-1 through p+n clear, p+n inside the region.
 *
 * Once [p, p+n) is allocated, no later allocation can take page p-1 or
 * page p+n: the clear run such an allocation needs, one bit wider than
 * itself on each side, would have to contain p or p+n-1, which are set.
 * So every allocation keeps an unmapped page on each side for as long as
 * it lives, and one clear page between two allocations guards both. An
 * allocation starts where a set bit follows a clear one (page 0 never
 * starts one) and ends at the next clear bit, so this one bitmap is all
 * the state there is.
 *
 * Bitmaps are backed from the front as regions grow: "top" is the number
 * of pages the backed part describes; bits at or past it are clear by
 * definition. A search that finds no room below top grows the bitmap
 * just enough for the request, placed in the free run that ends at top.
 *
 * First fit is exact. "low[k]" is a hint with one promise: no position
 * below it can start an allocation of 2^k pages (bits q-1 to q+2^k clear
 * for no q < low[k]). A search for n pages, 2^k <= n, starts at low[k]
 * (a run too short for 2^k pages is too short for n) and moves it past
 * the runs it finds too short; a free moves low[k] back to 2^k pages
 * before the freed range (the lowest place a new start of 2^k pages can
 * appear: its pages or its trailing guard include a freed page). So a
 * large request does not rescan the small holes every earlier large
 * request skipped. Growth cannot create a start below a hint either,
 * since none passes top - 1.
 *
 * Backend
 * -------
 * The allocator touches memory only to read and write its bitmaps, and
 * asks region->backend to back a bitmap page before first use. In the
 * hypervisor that is a domheap frame mapped with map_pages_to_xen(); the
 * host unit tests pass their own.
 */
#include <asm/config.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/pg2virt.h>
#include <xen/errno.h>
#include <xen/flushtlb.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/string.h>
#include <xen/spinlock.h>
#include <xen/vmap.h>

#include "vmap-priv.h"

/* Hints for requests of 1, 2, 4, ... 2^(VM_HINTS - 1) or more pages. */
#define VM_HINTS       8

#define BITS_PER_WORD  64
#define WORD_OF(n)     ((n) / BITS_PER_WORD)
#define MASK_OF(n)     (1UL << ((n) % BITS_PER_WORD))

struct vm_region {
    unsigned long base;          /* address of page 0 */
    unsigned long base_pfn;      /* base >> PAGE_SHIFT, for alignment */
    unsigned long nr_pages;      /* 0: not set up */
    unsigned long *bitmap;
    unsigned long top;           /* bitmap backed for pages [0, top) */
    unsigned long low[VM_HINTS]; /* search hints, see the top of the file */
    unsigned long reserved;
    unsigned long used;          /* pages in live allocations */
    unsigned long allocs;        /* live allocations */
    unsigned long bitmap_pages;  /* backed bitmap pages */
    const struct vm_backend *backend;
    spinlock_t lock;             /* the bitmap, hint and counters */
    unsigned long lock_flags;    /* the holder's interrupt state */
};

static struct vm_region regions[VMAP_REGION_NR];

/*
 * The allocator's critical sections: one lock per region, interrupt-safe
 * because xenheap allocations may come from interrupt handlers. The
 * debug lock checks catch re-entry (a backend calling back into vmap).
 * Nothing waits for other CPUs inside it.
 */
static void region_lock(struct vm_region *r)
{
    unsigned long flags;

    spin_lock_irqsave(&r->lock, flags);
    r->lock_flags = flags;
}

static void region_unlock(struct vm_region *r)
{
    spin_unlock_irqrestore(&r->lock, r->lock_flags);
}

/* ------------------------------------------------------------------------
 * Bitmap primitives. Callers keep every index below the region's top.
 */

static bool bit_is_set(const unsigned long *bm, unsigned long n)
{
    return bm[WORD_OF(n)] & MASK_OF(n);
}

/* Sets (or clears) bits [s, s + n), a word at a time where it can. */
static void fill_bits(unsigned long *bm, unsigned long s, unsigned long n,
                      bool set)
{
    while ( n )
    {
        unsigned int off = s % BITS_PER_WORD;
        unsigned long k = min(n, (unsigned long)(BITS_PER_WORD - off));
        unsigned long mask = (k == BITS_PER_WORD ? ~0UL : (1UL << k) - 1)
                             << off;

        if ( set )
            bm[WORD_OF(s)] |= mask;
        else
            bm[WORD_OF(s)] &= ~mask;
        s += k;
        n -= k;
    }
}

/* The first index in [from, limit) whose bit is 'set', or limit. */
static unsigned long find_bit(const unsigned long *bm, unsigned long from,
                              unsigned long limit, bool set)
{
    unsigned long w, word;

    if ( from >= limit )
        return limit;

    w = WORD_OF(from);
    word = (set ? bm[w] : ~bm[w]) & (~0UL << (from % BITS_PER_WORD));
    while ( !word )
    {
        /* Words at or past limit may not be backed: never read them. */
        if ( ++w >= DIV_ROUND_UP(limit, BITS_PER_WORD) )
            return limit;
        word = set ? bm[w] : ~bm[w];
    }

    return min(w * BITS_PER_WORD + __builtin_ctzl(word), limit);
}

/* ------------------------------------------------------------------------
 * The allocator
 */

static struct vm_region *region_of(unsigned long va)
{
    unsigned int i;

    for ( i = 0; i < VMAP_REGION_NR; i++ )
    {
        struct vm_region *r = &regions[i];

        if ( r->nr_pages && va >= r->base &&
             (va - r->base) >> PAGE_SHIFT < r->nr_pages )
            return r;
    }

    return NULL;
}

/* Backs one more bitmap page, describing the next pages past top. */
static int grow(struct vm_region *r)
{
    unsigned long idx = r->top / VM_PAGES_PER_BITMAP_PAGE;
    void *page = (char *)r->bitmap + idx * PAGE_SIZE;
    int rc;

    ASSERT(r->top % VM_PAGES_PER_BITMAP_PAGE == 0);
    ASSERT(r->top < r->nr_pages);

    rc = r->backend->map_bitmap_page(page);
    if ( rc )
        return rc;
    memset(page, 0, PAGE_SIZE);
    r->bitmap_pages++;
    r->top = min(r->top + VM_PAGES_PER_BITMAP_PAGE, r->nr_pages);

    return 0;
}

/* The lowest p >= first with page p + base aligned to align pages. */
static unsigned long align_start(const struct vm_region *r,
                                 unsigned long first, unsigned long align)
{
    return ROUNDUP(r->base_pfn + first, align) - r->base_pfn;
}

/*
 * Lowest index at which an allocation may start in the clear run whose
 * first clear bit the scan met at a: bit a-1 is set, except when the scan
 * itself began inside the run (then a-1 is clear and a may start).
 */
static unsigned long run_first_start(const struct vm_region *r,
                                     unsigned long a)
{
    return (a == 0 || bit_is_set(r->bitmap, a - 1)) ? a + 1 : a;
}

/*
 * First fit of nr pages at alignment align below top. On success returns
 * true with the start in *pos. Otherwise returns false with *pos set to
 * where the request would go if the bitmap were grown: the first aligned
 * start in the free run that ends at top (or just past top).
 */
static bool find_space(struct vm_region *r, unsigned long nr,
                       unsigned long align, unsigned long *pos)
{
    unsigned int k = min(63U - __builtin_clzl(nr), VM_HINTS - 1U);
    unsigned long *low = &r->low[k], a = *low, b, first = 0, p, need;
    bool prefix = true; /* every run so far too short for 2^k pages */
    bool tail = false;  /* first is the start of the run ending at top */

    while ( (a = find_bit(r->bitmap, a, r->top, false)) < r->top )
    {
        first = run_first_start(r, a);
        p = align_start(r, first, align);

        /*
         * Look only as far as this request needs (its pages and the
         * trailing guard), not to the end of the run: a large free run
         * would otherwise be scanned in full on every allocation.
         */
        need = p + nr + 1;
        b = find_bit(r->bitmap, a, min(need, r->top), true);

        /* Nothing below this run's first clear bit can start 2^k pages. */
        if ( prefix )
            *low = a;
        if ( b >= need )
        {
            *pos = p;
            return true;
        }
        if ( b == r->top )
        {
            tail = true; /* the run reaches top: growing may make room */
            break;
        }
        if ( prefix && first + (1UL << k) >= b )
            *low = b; /* 2^k pages and a guard do not fit in this run */
        else
            prefix = false;
        a = b;
    }

    if ( !tail )
        first = (r->top == 0 || bit_is_set(r->bitmap, r->top - 1))
                ? r->top + 1 : r->top;
    *pos = align_start(r, first, align);

    return false;
}

static unsigned long vm_alloc_pages(struct vm_region *r, unsigned long nr,
                                    unsigned long align)
{
    unsigned long p;

    if ( !find_space(r, nr, align, &p) )
    {
        /* The guard at p + nr must be inside the region and described. */
        if ( p >= r->nr_pages || nr >= r->nr_pages - p )
            return 0;
        while ( r->top <= p + nr )
            if ( grow(r) )
                return 0;
    }

    ASSERT(p >= 1 && p + nr < r->top);
    ASSERT(!bit_is_set(r->bitmap, p - 1));
    ASSERT(find_bit(r->bitmap, p, p + nr + 1, true) == p + nr + 1);

    fill_bits(r->bitmap, p, nr, true);
    r->used += nr;
    r->allocs++;

    return r->base + (p << PAGE_SHIFT);
}

void *vm_alloc(unsigned int nr, unsigned int align, enum vmap_region type)
{
    struct vm_region *r;
    unsigned long va;

    if ( type >= VMAP_REGION_NR || !nr )
        return NULL;
    if ( !align )
        align = 1;
    if ( align & (align - 1) )
        return NULL;

    r = &regions[type];
    if ( !r->nr_pages )
        return NULL;

    region_lock(r);
    va = vm_alloc_pages(r, nr, align);
    region_unlock(r);

    /* Space may be waiting in the purge list: flush once and retry. */
    if ( !va && vm_purge_pending() )
    {
        vmap_purge();
        region_lock(r);
        va = vm_alloc_pages(r, nr, align);
        region_unlock(r);
    }

    return (void *)va;
}

/*
 * The page index of the allocation starting at va in r and its length in
 * *nr, or 0 if va starts none (page 0 never starts one).
 */
static unsigned long lookup(const struct vm_region *r, unsigned long va,
                            unsigned long *nr)
{
    unsigned long p;

    if ( va & ~PAGE_MASK )
        return 0;
    p = (va - r->base) >> PAGE_SHIFT;
    if ( p == 0 || p >= r->top || !bit_is_set(r->bitmap, p) ||
         bit_is_set(r->bitmap, p - 1) )
        return 0;
    *nr = find_bit(r->bitmap, p, r->top, false) - p;

    return p;
}

void vm_free(const void *ptr)
{
    unsigned long va = (unsigned long)ptr, p, nr = 0;
    unsigned int k;
    struct vm_region *r;

    if ( !ptr )
        return;

    r = region_of(va);
    if ( !r )
    {
        printk(XENLOG_WARNING "vmap: freeing %#lx, outside every region\n",
               va);
        WARN_ON(1);
        return;
    }

    region_lock(r);
    p = lookup(r, va, &nr);
    if ( p )
    {
        fill_bits(r->bitmap, p, nr, false);
        r->used -= nr;
        r->allocs--;
        /*
         * A new start of 2^k pages must have a freed page among its pages
         * or its trailing guard, so it is at p - 2^k or above.
         */
        for ( k = 0; k < VM_HINTS; k++ )
            r->low[k] = min(r->low[k], p > (1UL << k) ? p - (1UL << k) : 0);
    }
    region_unlock(r);

    if ( !p )
    {
        printk(XENLOG_WARNING "vmap: freeing %#lx, not an allocation\n", va);
        WARN_ON(1);
    }
}

unsigned int vm_size(const void *ptr, enum vmap_region type)
{
    unsigned long va = (unsigned long)ptr, nr = 0;
    const struct vm_region *r;

    if ( type >= VMAP_REGION_NR )
        return 0;
    r = &regions[type];
    if ( region_of(va) != r || !lookup(r, va, &nr) )
        return 0;

    return nr;
}

unsigned int vm_alloc_size(const void *ptr)
{
    const struct vm_region *r = region_of((unsigned long)ptr);

    return r ? vm_size(ptr, r - regions) : 0;
}

void vm_get_stats(enum vmap_region type, struct vm_stats *st)
{
    const struct vm_region *r;

    /* Ranges waiting for a shootdown count as free: settle them. */
    vmap_purge();

    memset(st, 0, sizeof(*st));
    if ( type >= VMAP_REGION_NR )
        return;
    r = &regions[type];
    st->nr_pages = r->nr_pages;
    st->reserved = r->reserved;
    st->pages = r->used;
    st->allocations = r->allocs;
    st->top = r->top;
    st->bitmap_pages = r->bitmap_pages;
}

int vm_region_init(enum vmap_region type, unsigned long base,
                   unsigned long nr_pages, unsigned long *bitmap,
                   unsigned long reserved, const struct vm_backend *backend)
{
    struct vm_region *r;
    int rc;

    if ( type >= VMAP_REGION_NR || (base & ~PAGE_MASK) ||
         ((unsigned long)bitmap & ~PAGE_MASK) || !backend ||
         !backend->map_bitmap_page || nr_pages < 3 ||
         reserved >= nr_pages - 2 || nr_pages > (~0UL >> PAGE_SHIFT) ||
         base + (nr_pages << PAGE_SHIFT) - 1 < base )
        return -EINVAL;

    r = &regions[type];
    *r = (struct vm_region){
        .base = base,
        .base_pfn = base >> PAGE_SHIFT,
        .nr_pages = nr_pages,
        .bitmap = bitmap,
        .reserved = reserved,
        .backend = backend,
        .lock = SPIN_LOCK_UNLOCKED,
    };

    /* The reserved pages and the clear page after them are described. */
    while ( r->top < reserved + 1 )
    {
        rc = grow(r);
        if ( rc )
        {
            r->nr_pages = 0; /* unusable rather than half set up */
            return rc;
        }
    }
    fill_bits(bitmap, 0, reserved, true);

    return 0;
}

/* ------------------------------------------------------------------------
 * The hypervisor's backend and set-up
 */

static int map_bitmap_page(void *va)
{
    struct page_info *pg = alloc_domheap_page(MEMF_no_scrub);

    if ( !pg )
        return -ENOMEM;
    /* One frame: a failure maps nothing, so the frame can go straight back. */
    if ( map_pages_to_xen((unsigned long)va, page_to_mfn(pg), 1,
                          PAGE_HYPERVISOR_RW) )
    {
        free_domheap_page(pg);
        return -ENOMEM;
    }

    return 0;
}

static const struct vm_backend xen_backend = {
    .map_bitmap_page = map_bitmap_page,
};

void __init vm_init(void)
{
    unsigned long vm_pages = (VMAP_VIRT_END - VMAP_VIRT_START) >> PAGE_SHIFT;
    unsigned long xh_pages = (XENHEAP_VIRT_END - XENHEAP_VIRT_START) >>
                             PAGE_SHIFT;
    unsigned long vm_bm = VM_BITMAP_PAGES(vm_pages);
    unsigned long xh_bm = VM_BITMAP_PAGES(xh_pages);
    unsigned long *xh_bitmap = (unsigned long *)(VMAP_VIRT_START +
                                                 vm_bm * PAGE_SIZE);

    /* Both bitmaps at the head of the vmap region, held back for good. */
    if ( vm_region_init(VMAP_DEFAULT, VMAP_VIRT_START, vm_pages,
                        (unsigned long *)VMAP_VIRT_START, vm_bm + xh_bm,
                        &xen_backend) ||
         vm_region_init(VMAP_XENHEAP, XENHEAP_VIRT_START, xh_pages, xh_bitmap,
                        0, &xen_backend) )
        panic("vmap: no memory for the first bitmap page");

    printk("vmap: %lu GiB at %#lx, xenheap %lu GiB at %#lx; bitmaps in the "
           "first %lu KiB of vmap\n", (VMAP_VIRT_END - VMAP_VIRT_START) >> 30,
           VMAP_VIRT_START, (XENHEAP_VIRT_END - XENHEAP_VIRT_START) >> 30,
           XENHEAP_VIRT_START, (vm_bm + xh_bm) << (PAGE_SHIFT - 10));
}

/* ------------------------------------------------------------------------
 * For the mapping audit
 */

/* Is va inside a region's bitmap, in a page already backed? */
static bool in_backed_bitmap(unsigned long va)
{
    unsigned int i;

    for ( i = 0; i < VMAP_REGION_NR; i++ )
    {
        const struct vm_region *r = &regions[i];
        unsigned long bm = (unsigned long)r->bitmap;

        /* bitmap_pages only grows, so an unlocked read errs towards no. */
        if ( r->nr_pages && va >= bm &&
             (va - bm) >> PAGE_SHIFT < read_atomic(&r->bitmap_pages) )
            return true;
    }

    return false;
}

enum vm_va_state vm_va_state(unsigned long va)
{
    struct vm_region *r = region_of(va);
    unsigned long p, start = 0;
    enum vm_va_state st;

    if ( !r )
        return VM_VA_OUTSIDE;

    p = (va - r->base) >> PAGE_SHIFT;
    region_lock(r);
    if ( p < r->reserved )
        st = VM_VA_RESERVED;
    else if ( p >= r->top || !bit_is_set(r->bitmap, p) )
        st = VM_VA_FREE;
    else
    {
        /* Allocations are separated by clear bits: find where this began. */
        for ( start = p; bit_is_set(r->bitmap, start - 1); start-- )
            continue;
        st = VM_VA_ALLOCATED;
    }
    region_unlock(r);

    if ( st == VM_VA_RESERVED )
        return in_backed_bitmap(va) ? VM_VA_BITMAP : VM_VA_RESERVED;
    if ( st == VM_VA_ALLOCATED &&
         vm_purge_waiting((void *)(r->base + (start << PAGE_SHIFT))) )
        return VM_VA_UNMAPPED;

    return st;
}
