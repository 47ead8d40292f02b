/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Global mappings: the virtual-address allocator of the vmap and xenheap
 * regions, and vmap(), vmalloc(), ioremap() and global domain mappings
 * on top of it. The contracts are in xen/vmap.h.
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
 * First fit is exact. "low" is a hint with one promise: no position
 * below it can start even a one-page allocation (bits q-1, q, q+1 clear
 * for no q < low). A search starts there and moves it past runs too
 * short for anything; a free moves it back to just before the freed
 * range (the only place a new start can appear). Growth cannot create a
 * start below low either, since low never passes top - 1.
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

#define BITS_PER_WORD  64
#define WORD_OF(n)     ((n) / BITS_PER_WORD)
#define MASK_OF(n)     (1UL << ((n) % BITS_PER_WORD))

struct vm_region {
    unsigned long base;          /* address of page 0 */
    unsigned long base_pfn;      /* base >> PAGE_SHIFT, for alignment */
    unsigned long nr_pages;      /* 0: not set up */
    unsigned long *bitmap;
    unsigned long top;           /* bitmap backed for pages [0, top) */
    unsigned long low;           /* search hint, see the top of the file */
    unsigned long reserved;
    unsigned long used;          /* pages in live allocations */
    unsigned long allocs;        /* live allocations */
    unsigned long bitmap_pages;  /* backed bitmap pages */
    const struct vm_backend *backend;
    spinlock_t lock;             /* the bitmap, hint and counters */
    unsigned long lock_flags;    /* the holder's interrupt state */
};

static struct vm_region regions[VMAP_REGION_NR];
static unsigned int purge_nr;

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
    unsigned long a = r->low, b, first = 0, p, need;
    bool prefix = true; /* every run so far too short for anything */
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

        /* Nothing below a run's first clear bit can start anything. */
        if ( prefix )
            r->low = a;
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
        if ( prefix && first + 1 >= b )
            r->low = b; /* not even one page fits in this run */
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
    if ( !va && read_atomic(&purge_nr) )
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
        /* p - 1 is the lowest place where a start can have appeared. */
        r->low = min(r->low, p - 1);
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
 * Mappings
 */

/*
 * Remote TLBs. destroy_xen_mappings() flushes only this CPU; any other
 * CPU may still hold translations of an unmapped range. The range must
 * not be handed out again, nor the frames it mapped, until those CPUs
 * have flushed.
 *
 * Eager (vmap_lazy false): every other online CPU flushes the range at
 * once, with an IPI per unmap.
 * Lazy (the default): nothing is sent at unmap time. The address range
 * waits in the purge list, stamped with the flush clock, and the frames
 * are freed marked PGC_need_tlbflush with the same stamp. One shootdown
 * per PURGE_MAX ranges (or when an allocation finds no space, or when
 * statistics are read) flushes only the CPUs that have not flushed since
 * the newest stamp, then gives the ranges back; the heap flushes for a
 * marked frame, again only where needed, before handing it out.
 */
bool vmap_lazy = true;

#define PURGE_MAX 32

static DEFINE_SPINLOCK(purge_lock);
unsigned long vmap_purges;
static const void *purge_list[PURGE_MAX];
static uint32_t purge_stamp;

void vmap_purge(void)
{
    const void *batch[PURGE_MAX];
    unsigned long flags;
    unsigned int n, i;
    uint32_t stamp;

    spin_lock_irqsave(&purge_lock, flags);
    n = purge_nr;
    memcpy(batch, purge_list, n * sizeof(*batch));
    stamp = purge_stamp;
    purge_nr = 0;
    if ( n )
        write_atomic(&vmap_purges, vmap_purges + 1);
    spin_unlock_irqrestore(&purge_lock, flags);

    if ( !n )
        return;
    flush_stale_tlbs(stamp);
    for ( i = 0; i < n; i++ )
        vm_free(batch[i]);
}

/* [va's allocation] is unmapped everywhere or queued for the next purge. */
static void release_range(const void *va)
{
    unsigned long flags;

    if ( !vmap_lazy )
    {
        vm_free(va);
        return;
    }

    for ( ;; )
    {
        spin_lock_irqsave(&purge_lock, flags);
        if ( purge_nr < PURGE_MAX )
            break;
        spin_unlock_irqrestore(&purge_lock, flags);
        vmap_purge();
    }
    purge_list[purge_nr++] = va;
    purge_stamp = tlbflush_current_time();
    spin_unlock_irqrestore(&purge_lock, flags);
}

/*
 * Unmaps [s, e) and, when eager, flushes every TLB. No superpage crosses
 * s or e (ranges are bounded by unmapped pages, and vfree() cuts only at
 * leaf boundaries), so nothing needs splitting and this cannot run out
 * of memory; if it still fails the range may stay mapped, and the caller
 * must not reuse anything in it.
 */
/*
 * Unmaps [s, e). With stamp, the frames are stamped as their leaves go:
 * they may still be in other CPUs' TLBs until the next purge, and their
 * owner may free them at once (vunmap() promises that), so the heap must
 * flush those CPUs before it hands them out again.
 */
static int unmap_range(unsigned long s, unsigned long e, bool stamp)
{
    int rc = stamp ? destroy_xen_mappings_stamped(s, e)
                   : destroy_xen_mappings(s, e);

    if ( rc )
    {
        printk(XENLOG_ERR "vmap: unmapping %#lx-%#lx failed (%d); leaking "
               "the range\n", s, e - 1, rc);
        WARN_ON(1);
        return rc;
    }
    if ( !vmap_lazy )
        flush_area_others(s, (e - s) >> PAGE_SHIFT);

    return 0;
}

/*
 * vfree() works in pieces of up to this many runs of contiguous frames,
 * found from the page tables before they are unmapped. Each piece is
 * unmapped (its frames stamped) as a whole before its frames are freed.
 */
#define UNMAP_RUNS 32

struct frame_run {
    mfn_t mfn;
    unsigned long nr;
};

/* The frame mapped at va, and in *left the pages its leaf maps from va. */
static mfn_t mapped_frame(unsigned long va, unsigned long *left)
{
    unsigned int level = 0;
    pgentry_t e = xen_pagetable_lookup(va, &level);
    unsigned long span, idx;

    if ( !(e & _PAGE_PRESENT) || level < 1 || level > 3 )
        return INVALID_MFN;

    span = 1UL << (9 * (level - 1));
    idx = (va >> PAGE_SHIFT) & (span - 1);
    *left = span - idx;
    /* Superpage entries keep PAT in bit 12: align the address to the leaf. */
    e &= PTE_ADDR_MASK & ~((span << PAGE_SHIFT) - 1);

    return mfn_add(maddr_to_mfn(e), idx);
}

/*
 * Unmaps up to nr pages from va, makes their frames safe to reuse and
 * frees them (order 0 each, as vmalloc() took them). Pages that are not
 * mapped are skipped (a caller's bug). Returns how many pages it dealt
 * with, or 0 if the unmapping failed (then nothing is freed).
 */
static unsigned long unmap_and_free_some(unsigned long va, unsigned long nr)
{
    struct frame_run runs[UNMAP_RUNS];
    unsigned int n = 0, i;
    unsigned long done = 0, j;

    while ( done < nr && n < UNMAP_RUNS )
    {
        unsigned long left = 1;
        mfn_t mfn = mapped_frame(va + (done << PAGE_SHIFT), &left);

        left = min(left, nr - done);
        if ( mfn_eq(mfn, INVALID_MFN) )
            WARN_ON(1);
        else if ( n && mfn_eq(mfn_add(runs[n - 1].mfn, runs[n - 1].nr), mfn) )
            runs[n - 1].nr += left;
        else
            runs[n++] = (struct frame_run){ mfn, left };
        done += left;
    }

    if ( unmap_range(va, va + (done << PAGE_SHIFT), vmap_lazy) )
        return 0;

    for ( i = 0; i < n; i++ )
        for ( j = 0; j < runs[i].nr; j++ )
            free_domheap_page(mfn_to_page(mfn_add(runs[i].mfn, j)));

    return done;
}

/*
 * Unmaps the first nr pages at va, and frees their frames if free_frames;
 * false if the unmapping failed. Only freeing needs the frames looked up
 * first; a plain unmap stamps them as it clears their leaves.
 */
static bool unmap_pages(unsigned long va, unsigned long nr, bool free_frames)
{
    unsigned long done = 0, n;

    if ( !free_frames )
        return !unmap_range(va, va + (nr << PAGE_SHIFT), vmap_lazy);
    while ( done < nr )
    {
        n = unmap_and_free_some(va + (done << PAGE_SHIFT), nr - done);
        if ( !n )
            return false;
        done += n;
    }

    return true;
}

void *__vmap(const mfn_t *mfn, unsigned int granularity, unsigned int nr,
             unsigned int align, unsigned long flags, enum vmap_region type)
{
    unsigned long total = (unsigned long)granularity * nr, va, cur;
    unsigned long step = (unsigned long)granularity << PAGE_SHIFT;
    unsigned int i;

    if ( !granularity || !nr || total > UINT32_MAX )
        return NULL;

    va = (unsigned long)vm_alloc(total, align, type);
    if ( !va )
        return NULL;

    for ( i = 0, cur = va; i < nr; i++, cur += step )
    {
        if ( map_pages_to_xen(cur, mfn[i], granularity, flags) )
        {
            /* Part of piece i may be mapped too: unmap up to its end. */
            if ( unmap_pages(va, (cur + step - va) >> PAGE_SHIFT, false) )
                release_range((void *)va);
            return NULL;
        }
    }

    return (void *)va;
}

void *vmap(const mfn_t *mfn, unsigned int nr)
{
    return __vmap(mfn, 1, nr, 1, PAGE_HYPERVISOR, VMAP_DEFAULT);
}

void vunmap(const void *ptr)
{
    unsigned long va = (unsigned long)ptr, nr = 0;
    struct vm_region *r;

    if ( !ptr )
        return;

    r = region_of(va);
    if ( r )
        nr = vm_size(ptr, r - regions);
    if ( !nr )
    {
        printk(XENLOG_WARNING "vmap: vunmap(%#lx): not a mapping\n", va);
        WARN_ON(1);
        return;
    }

    if ( unmap_pages(va, nr, false) )
        release_range(ptr);
}

static void *vmalloc_pages(size_t size, bool zero)
{
    unsigned long nr = DIV_ROUND_UP(size, PAGE_SIZE), va, i;
    struct page_info *pg;

    if ( !size || size > (size_t)UINT32_MAX * PAGE_SIZE )
        return NULL;

    va = (unsigned long)vm_alloc(nr, 1, VMAP_DEFAULT);
    if ( !va )
        return NULL;

    for ( i = 0; i < nr; i++ )
    {
        /* Zeroing, if asked for, is done once below through the mapping. */
        pg = alloc_domheap_page(MEMF_no_scrub);
        if ( !pg )
            goto fail;
        if ( map_pages_to_xen(va + (i << PAGE_SHIFT), page_to_mfn(pg), 1,
                              PAGE_HYPERVISOR_RW) )
        {
            free_domheap_page(pg);
            goto fail;
        }
    }

    if ( zero )
        memset((void *)va, 0, nr << PAGE_SHIFT);

    return (void *)va;

 fail:
    if ( unmap_pages(va, i, true) )
        release_range((void *)va);
    return NULL;
}

void *vmalloc(size_t size)
{
    return vmalloc_pages(size, false);
}

void *vzalloc(size_t size)
{
    return vmalloc_pages(size, true);
}

void vfree(void *ptr)
{
    unsigned long va = (unsigned long)ptr, nr;

    if ( !ptr )
        return;

    nr = vm_size(ptr, VMAP_DEFAULT);
    if ( !nr )
    {
        printk(XENLOG_WARNING "vmap: vfree(%#lx): not a vmalloc() address\n",
               va);
        WARN_ON(1);
        return;
    }

    if ( unmap_pages(va, nr, true) )
        release_range(ptr);
}

void __iomem *ioremap(paddr_t pa, size_t len)
{
    unsigned long off = pa & ~PAGE_MASK, nr;
    mfn_t mfn = maddr_to_mfn(pa);
    char *va;

    /* Empty, wrapping, or beyond what a page-table entry can address. */
    if ( !len || pa + len - 1 < pa ||
         ((pa + len - 1) & ~(PTE_ADDR_MASK | ~PAGE_MASK)) )
        return NULL;
    nr = DIV_ROUND_UP(off + len, PAGE_SIZE);
    if ( nr > UINT32_MAX )
        return NULL;

    /* One piece of nr contiguous frames: superpages where they fit. */
    va = __vmap(&mfn, nr, 1, 1, PAGE_HYPERVISOR_UC, VMAP_DEFAULT);

    return va ? (void __iomem *)(va + off) : NULL;
}

void iounmap(void __iomem *va)
{
    if ( va )
        vunmap((void *)((unsigned long)va & PAGE_MASK));
}

void *map_domain_page_global(mfn_t mfn)
{
    if ( mfn_in_directmap(mfn) && mfn_has_virt(mfn) )
        return mfn_to_virt(mfn);

    return __vmap(&mfn, 1, 1, 1, PAGE_HYPERVISOR_RW, VMAP_DEFAULT);
}

void unmap_domain_page_global(const void *va)
{
    if ( !va || va_in_directmap((unsigned long)va) )
        return;

    ASSERT(vm_size(va, VMAP_DEFAULT) == 1);
    vunmap(va);
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

static bool waiting_for_purge(const void *start)
{
    unsigned long flags;
    unsigned int i;
    bool found = false;

    spin_lock_irqsave(&purge_lock, flags);
    for ( i = 0; i < purge_nr && !found; i++ )
        found = purge_list[i] == start;
    spin_unlock_irqrestore(&purge_lock, flags);

    return found;
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
         waiting_for_purge((void *)(r->base + (start << PAGE_SHIFT))) )
        return VM_VA_UNMAPPED;

    return st;
}
