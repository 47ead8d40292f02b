/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen/common/vmap.c on the host.
 *
 * The address allocator runs on real bitmaps in host memory that a fake
 * backend reveals a page at a time (mprotect), so a touch of a page the
 * allocator has not asked for crashes the test. Its results are checked
 * against the rules (guards, alignment, exhaustion, growth) and, for
 * thousands of random operations, against a page-by-page model of exact
 * first fit.
 *
 * vmalloc(), vmap(), ioremap() and friends run against fakes of the heap
 * and of the hypervisor's page tables (below), which never dereference an
 * address: they check that frames go back to the heap only once nothing
 * maps them, that nothing leaks on failure, and what the PTEs hold.
 */
#include "harness.h"
#include "shim.h"
#include "smp-shim.h"

#include <sys/mman.h>

/* See asm/mm.h as vmap.o does: frame_table is host_frame_table below. */
#define __XEN_HOST_TEST__

#include <asm/config.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/pg2virt.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/vmap.h>

#define PAGE ((unsigned long)PAGE_SIZE)
#define BM_SPAN VM_PAGES_PER_BITMAP_PAGE

/* ------------------------------------------------------------------------
 * Bitmap backend: a PROT_NONE reservation opened a page at a time.
 */

struct fake_bitmap {
    unsigned char *mem;
    size_t bytes;
    unsigned long opened;   /* pages made accessible, from the front */
    bool fail;              /* refuse the next request */
    unsigned long refused;
};

static struct fake_bitmap bitmaps[VMAP_REGION_NR];

static int open_bitmap_page(void *va)
{
    unsigned int i;

    for ( i = 0; i < VMAP_REGION_NR; i++ )
    {
        struct fake_bitmap *b = &bitmaps[i];

        if ( !b->mem || (unsigned char *)va < b->mem ||
             (unsigned char *)va >= b->mem + b->bytes )
            continue;

        /* Pages are asked for once each, in order, page aligned. */
        CHECK_MSG(va == b->mem + b->opened * PAGE,
                  "bitmap page %p asked for, expected %p", va,
                  (void *)(b->mem + b->opened * PAGE));
        if ( b->fail )
        {
            b->refused++;
            return -ENOMEM;
        }
        CHECK(!mprotect(va, PAGE, PROT_READ | PROT_WRITE));
        /* The contract does not promise zeroes: give it rubbish. */
        memset(va, 0xa5, PAGE);
        b->opened++;
        return 0;
    }

    CHECK_MSG(false, "bitmap page %p outside every bitmap", va);
    return -EINVAL;
}

static const struct vm_backend fake_backend = {
    .map_bitmap_page = open_bitmap_page,
};

/* Sets up region r afresh; returns the vm_region_init() result. */
static int region_setup(enum vmap_region r, unsigned long base,
                        unsigned long nr_pages, unsigned long reserved)
{
    struct fake_bitmap *b = &bitmaps[r];

    if ( b->mem )
        munmap(b->mem, b->bytes);
    memset(b, 0, sizeof(*b));
    b->bytes = VM_BITMAP_PAGES(nr_pages) * PAGE;
    b->mem = mmap(NULL, b->bytes, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(b->mem != MAP_FAILED);
    printk_clear();

    return vm_region_init(r, base, nr_pages, (unsigned long *)b->mem,
                          reserved, &fake_backend);
}

#define SETUP(r, base, nr, res) CHECK_EQ(region_setup(r, base, nr, res), 0)

/* Page index of va in a region based at base. */
static unsigned long idx(const void *va, unsigned long base)
{
    return ((unsigned long)va - base) / PAGE;
}

static struct vm_stats stats(enum vmap_region r)
{
    struct vm_stats st;

    vm_get_stats(r, &st);
    return st;
}

#define B0 VMAP_VIRT_START
#define X0 XENHEAP_VIRT_START

/* ------------------------------------------------------------------------
 * Fake heap and page tables, for the mapping services. Frames are
 * numbers below FRAMES; the page tables cover WINDOW pages from the base
 * of each region.
 */

#define FRAMES 65536
#define WINDOW 65536

/* asm/mm.h's frame_table in host tests: vmap.c only does arithmetic on it. */
static struct page_info fake_frame_table[FRAMES];
struct page_info *host_frame_table = fake_frame_table;

static bool frame_used[FRAMES];
static unsigned int frame_maps[FRAMES]; /* present PTEs naming it */
static unsigned long next_frame, frames_used, frees;
static long heap_allow = -1;             /* allocations left; -1: any */
static unsigned int last_memflags;

struct fake_pte {
    bool present;
    unsigned long mfn, flags;
};

static struct fake_pte ptes[2][WINDOW];
static long map_allow = -1;              /* pages map_pages_to_xen maps */
static unsigned long destroys, violations;
static bool superpages;                  /* lookups report 2 MiB leaves */
static char violation[256];

static void violate(const char *what, unsigned long a, unsigned long b)
{
    if ( !violations++ )
        snprintf(violation, sizeof(violation), "%s (%#lx, %#lx)", what, a, b);
}

static struct fake_pte *pte_of(unsigned long va)
{
    if ( va >= B0 && (va - B0) / PAGE < WINDOW )
        return &ptes[0][(va - B0) / PAGE];
    if ( va >= X0 && (va - X0) / PAGE < WINDOW )
        return &ptes[1][(va - X0) / PAGE];
    return NULL;
}

static void fake_world_reset(void)
{
    memset(frame_used, 0, sizeof(frame_used));
    memset(frame_maps, 0, sizeof(frame_maps));
    memset(ptes, 0, sizeof(ptes));
    next_frame = frames_used = frees = destroys = violations = 0;
    heap_allow = map_allow = -1;
    superpages = false;
    violation[0] = '\0';
    directmap_end_mfn = 0;
}

bool mfn_valid(mfn_t mfn)
{
    return mfn_x(mfn) < FRAMES;
}

struct page_info *alloc_domheap_pages(unsigned int order,
                                      unsigned int memflags)
{
    unsigned long i;

    if ( order )
        violate("alloc of order > 0", order, 0);
    if ( heap_allow == 0 )
        return NULL;
    if ( heap_allow > 0 )
        heap_allow--;
    for ( i = 0; i < FRAMES; i++, next_frame = (next_frame + 1) % FRAMES )
        if ( !frame_used[next_frame] )
        {
            frame_used[next_frame] = true;
            frames_used++;
            last_memflags = memflags;
            return mfn_to_page(_mfn(next_frame++));
        }

    return NULL;
}

void free_domheap_pages(struct page_info *pg, unsigned int order)
{
    unsigned long mfn = mfn_x(page_to_mfn(pg));

    if ( order || mfn >= FRAMES || !frame_used[mfn] )
        violate("bad free", mfn, order);
    else if ( frame_maps[mfn] )
        violate("frame freed while still mapped", mfn, frame_maps[mfn]);
    else
    {
        frame_used[mfn] = false;
        frames_used--;
        frees++;
    }
}

int map_pages_to_xen(unsigned long virt, mfn_t mfn, unsigned long nr,
                     unsigned long flags)
{
    unsigned long i;

    for ( i = 0; i < nr; i++ )
    {
        struct fake_pte *p = pte_of(virt + i * PAGE);
        unsigned long m = mfn_x(mfn) + i;

        if ( map_allow == 0 )
            return -ENOMEM; /* what was done stays done */
        if ( map_allow > 0 )
            map_allow--;
        if ( !p )
        {
            violate("mapping outside the fake page tables", virt, nr);
            return -EINVAL;
        }
        if ( p->present )
            violate("mapping over a present entry", virt + i * PAGE, m);
        *p = (struct fake_pte){ true, m, flags };
        if ( m < FRAMES )
            frame_maps[m]++;
    }

    return 0;
}

/* Is the 2 MiB block at va one contiguous, aligned, uniform run? */
static bool block_is_superpage(unsigned long va)
{
    unsigned long b = va & ~((1UL << L2_PAGE_SHIFT) - 1), i;
    const struct fake_pte *first = pte_of(b);

    if ( !superpages || !first || !first->present || first->mfn % 512 )
        return false;
    for ( i = 1; i < 512; i++ )
    {
        const struct fake_pte *p = pte_of(b + i * PAGE);

        if ( !p || !p->present || p->mfn != first->mfn + i ||
             p->flags != first->flags )
            return false;
    }

    return true;
}

/* The harness has no flush clock: stamping is destroying, counted. */
static unsigned long stamped_destroys;

int destroy_xen_mappings_stamped(unsigned long s, unsigned long e)
{
    stamped_destroys++;
    return destroy_xen_mappings(s, e);
}

int destroy_xen_mappings(unsigned long s, unsigned long e)
{
    unsigned long va;

    destroys++;
    if ( (s & ~PAGE_MASK) || (e & ~PAGE_MASK) || s > e )
        violate("destroy of an odd range", s, e);
    /* Cutting into a superpage would need a page table: never asked for. */
    if ( ((s & ((1UL << L2_PAGE_SHIFT) - 1)) && block_is_superpage(s)) ||
         ((e & ((1UL << L2_PAGE_SHIFT) - 1)) && block_is_superpage(e)) )
        violate("destroy splits a superpage", s, e);

    for ( va = s; va < e; va += PAGE )
    {
        struct fake_pte *p = pte_of(va);

        if ( !p || !p->present )
            continue;
        if ( p->mfn < FRAMES )
            frame_maps[p->mfn]--;
        p->present = false;
    }

    return 0;
}

pgentry_t xen_pagetable_lookup(unsigned long va, unsigned int *level)
{
    const struct fake_pte *p = pte_of(va);

    if ( !p || !p->present )
        return 0;
    if ( block_is_superpage(va) )
    {
        const struct fake_pte *f = pte_of(va & ~((1UL << L2_PAGE_SHIFT) - 1));

        *level = 2;
        /* Bit 12 is PAT in a superpage entry: the reader must mask it. */
        return (f->mfn << PAGE_SHIFT) | f->flags | _PAGE_PSE | (1UL << 12);
    }
    *level = 1;

    return (p->mfn << PAGE_SHIFT) | p->flags;
}

unsigned long directmap_end_mfn;

bool mfn_has_virt(mfn_t mfn)
{
    return mfn_x(mfn) < directmap_end_mfn;
}

void *mfn_to_virt(mfn_t mfn)
{
    return (void *)(DIRECTMAP_VIRT_START + (mfn_x(mfn) << PAGE_SHIFT));
}

/* Both regions over the fake page tables, everything else fresh. */
/*
 * Eager unmapping unless a test asks for lazy: the contract tests check
 * that a range and its frames are back the moment vfree() returns.
 * Anything a lazy test left queued is settled in the old world first.
 */
static void mapping_setup(void)
{
    vmap_purge();
    vmap_lazy = false;
    fake_world_reset();
    SETUP(VMAP_DEFAULT, B0, WINDOW, 0);
    SETUP(VMAP_XENHEAP, X0, WINDOW, 0);
}

#define CHECK_NO_VIOLATION() \
    CHECK_MSG(!violations, "%lu violations, first: %s", violations, violation)

/* ========================================================================
 * The address allocator
 */

TEST(first_allocation_follows_reserved_pages_and_a_gap)
{
    void *a;

    SETUP(VMAP_DEFAULT, B0, 4096, 100);
    CHECK_EQU(stats(VMAP_DEFAULT).reserved, 100);
    CHECK_EQU(stats(VMAP_DEFAULT).bitmap_pages, 1);
    CHECK_EQU(stats(VMAP_DEFAULT).top, 4096);
    a = vm_alloc(1, 1, VMAP_DEFAULT);
    /* Page 100 stays clear: nothing mapped right after the bitmaps. */
    CHECK_EQU(idx(a, B0), 101);
    CHECK_EQU(stats(VMAP_DEFAULT).pages, 1);
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 1);
}

TEST(page_zero_is_never_handed_out)
{
    SETUP(VMAP_DEFAULT, B0, 64, 0);
    CHECK_EQU(idx(vm_alloc(1, 1, VMAP_DEFAULT), B0), 1);
}

TEST(consecutive_allocations_share_one_guard)
{
    void *a, *b, *c;

    SETUP(VMAP_DEFAULT, B0, 4096, 0);
    a = vm_alloc(3, 1, VMAP_DEFAULT);
    b = vm_alloc(5, 1, VMAP_DEFAULT);
    c = vm_alloc(1, 1, VMAP_DEFAULT);
    CHECK_EQU(idx(a, B0), 1);
    CHECK_EQU(idx(b, B0), 1 + 3 + 1);
    CHECK_EQU(idx(c, B0), 5 + 5 + 1);
    CHECK_EQU(stats(VMAP_DEFAULT).pages, 9);
}

TEST(vm_size_answers_for_starts_only)
{
    char *a, *b;

    SETUP(VMAP_DEFAULT, B0, 4096, 10);
    SETUP(VMAP_XENHEAP, X0, 4096, 0);
    a = vm_alloc(7, 1, VMAP_DEFAULT);
    b = vm_alloc(2, 1, VMAP_DEFAULT);
    CHECK_EQU(vm_size(a, VMAP_DEFAULT), 7);
    CHECK_EQU(vm_size(b, VMAP_DEFAULT), 2);
    CHECK_EQU(vm_size(a + PAGE, VMAP_DEFAULT), 0);     /* middle */
    CHECK_EQU(vm_size(a + 7 * PAGE, VMAP_DEFAULT), 0); /* guard */
    CHECK_EQU(vm_size(a + 1, VMAP_DEFAULT), 0);        /* unaligned */
    CHECK_EQU(vm_size((void *)B0, VMAP_DEFAULT), 0);   /* reserved */
    CHECK_EQU(vm_size((void *)(B0 + 5 * PAGE), VMAP_DEFAULT), 0);
    CHECK_EQU(vm_size(a, VMAP_XENHEAP), 0);            /* other region */
    CHECK_EQU(vm_size((void *)(B0 + 4095 * PAGE), VMAP_DEFAULT), 0);
    CHECK_EQU(vm_size(NULL, VMAP_DEFAULT), 0);
    CHECK_EQU(vm_size(a, VMAP_REGION_NR), 0);
}

TEST(free_then_same_request_gets_same_address)
{
    struct vm_stats st;
    void *keep, *a, *b;

    SETUP(VMAP_DEFAULT, B0, 4096, 0);
    keep = vm_alloc(4, 1, VMAP_DEFAULT);
    st = stats(VMAP_DEFAULT);
    a = vm_alloc(9, 8, VMAP_DEFAULT);
    vm_free(a);
    CHECK_EQU(stats(VMAP_DEFAULT).pages, st.pages);
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, st.allocations);
    b = vm_alloc(9, 8, VMAP_DEFAULT);
    CHECK(a == b);
    vm_free(b);
    vm_free(keep);
    CHECK_EQU(stats(VMAP_DEFAULT).pages, 0);
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 0);
    /* All space back: the first page again, and the biggest request. */
    CHECK_EQU(idx(vm_alloc(4093, 1, VMAP_DEFAULT), B0), 1);
}

TEST(free_refuses_what_is_not_an_allocation)
{
    struct vm_stats st;
    char *a;

    SETUP(VMAP_DEFAULT, B0, 4096, 10);
    a = vm_alloc(4, 1, VMAP_DEFAULT);
    st = stats(VMAP_DEFAULT);
    printk_clear();

    vm_free(a + PAGE);                      /* middle */
    vm_free(a + 4 * PAGE);                  /* its guard */
    vm_free(a + 8);                         /* unaligned */
    vm_free((void *)B0);                    /* page 0 */
    vm_free((void *)(B0 + 3 * PAGE));       /* reserved */
    vm_free((void *)(B0 + 2000 * PAGE));    /* free space */
    CHECK_EQU(printk_count("not an allocation"), 6);
    vm_free((void *)0x1000);                /* in no region */
    CHECK_EQU(printk_count("outside every region"), 1);
    vm_free(NULL);
    CHECK_EQU(printk_calls(), 7);

    CHECK_EQU(stats(VMAP_DEFAULT).pages, st.pages);
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, st.allocations);
    CHECK_EQU(vm_size(a, VMAP_DEFAULT), 4);

    vm_free(a);
    printk_clear();
    vm_free(a);                             /* twice */
    CHECK_EQU(printk_count("not an allocation"), 1);
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 0);
}

TEST(alignment_is_absolute)
{
    /* A base 3 pages past a 2 MiB boundary: index and address disagree. */
    unsigned long base = B0 + 3 * PAGE;
    unsigned int align;

    SETUP(VMAP_DEFAULT, base, 40000, 0);
    for ( align = 1; align <= 4096; align <<= 1 )
    {
        void *a = vm_alloc(1 + align % 7, align, VMAP_DEFAULT);

        CHECK_MSG(a, "align %u failed", align);
        CHECK_MSG(((unsigned long)a / PAGE) % align == 0,
                  "align %u: got %p", align, a);
        CHECK_EQU(vm_size(a, VMAP_DEFAULT), 1 + align % 7);
    }
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 13);
}

TEST(alignment_zero_means_one_and_odd_alignment_is_refused)
{
    SETUP(VMAP_DEFAULT, B0, 4096, 0);
    CHECK_EQU(idx(vm_alloc(1, 0, VMAP_DEFAULT), B0), 1);
    CHECK(!vm_alloc(1, 3, VMAP_DEFAULT));
    CHECK(!vm_alloc(1, 12, VMAP_DEFAULT));
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 1);
}

TEST(aligned_request_leaves_the_skipped_pages_usable)
{
    void *a, *b;

    SETUP(VMAP_DEFAULT, B0, 4096, 0);
    a = vm_alloc(4, 16, VMAP_DEFAULT);
    CHECK_EQU(idx(a, B0), 16);
    /* Pages 1-14 are still free (15 is the page before a). */
    b = vm_alloc(13, 1, VMAP_DEFAULT);
    CHECK_EQU(idx(b, B0), 1);
    /* 14 and 15 are clear, but 14 is b's guard and 15 a's gap. */
    CHECK_EQU(idx(vm_alloc(1, 1, VMAP_DEFAULT), B0), 21);
}

TEST(bad_requests_and_bad_geometry)
{
    CHECK(!vm_alloc(1, 1, VMAP_REGION_NR));
    SETUP(VMAP_DEFAULT, B0, 4096, 0);
    CHECK(!vm_alloc(0, 1, VMAP_DEFAULT));
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 0);

    CHECK_EQ(region_setup(VMAP_DEFAULT, B0 + 1, 64, 0), -EINVAL);
    CHECK_EQ(region_setup(VMAP_DEFAULT, B0, 2, 0), -EINVAL);
    CHECK_EQ(region_setup(VMAP_DEFAULT, B0, 64, 62), -EINVAL);
    CHECK_EQ(region_setup(VMAP_DEFAULT, -PAGE * 4, 64, 0), -EINVAL);
    CHECK_EQ(vm_region_init(VMAP_DEFAULT, 0, ~0UL,
                            (unsigned long *)bitmaps[0].mem, 0,
                            &fake_backend), -EINVAL);
    CHECK_EQ(vm_region_init(VMAP_REGION_NR, B0, 64,
                            (unsigned long *)bitmaps[0].mem, 0,
                            &fake_backend), -EINVAL);
    CHECK_EQ(vm_region_init(VMAP_DEFAULT, B0, 64,
                            (unsigned long *)(bitmaps[0].mem + 8), 0,
                            &fake_backend), -EINVAL);
    CHECK_EQ(vm_region_init(VMAP_DEFAULT, B0, 64,
                            (unsigned long *)bitmaps[0].mem, 0, NULL),
             -EINVAL);

    /* The smallest region: one page between page 0 and the guard. */
    SETUP(VMAP_DEFAULT, B0, 3, 0);
    CHECK_EQU(idx(vm_alloc(1, 1, VMAP_DEFAULT), B0), 1);
    CHECK(!vm_alloc(1, 1, VMAP_DEFAULT));
}

TEST(failed_setup_leaves_the_region_unusable)
{
    SETUP(VMAP_DEFAULT, B0, 4096, 0);
    /* Set up again over the same memory, whose first page it asks for. */
    bitmaps[0].opened = 0;
    bitmaps[0].fail = true;
    CHECK_EQ(vm_region_init(VMAP_DEFAULT, B0, 4096,
                            (unsigned long *)bitmaps[0].mem, 0,
                            &fake_backend), -ENOMEM);
    CHECK(!vm_alloc(1, 1, VMAP_DEFAULT));
    CHECK_EQU(stats(VMAP_DEFAULT).nr_pages, 0);
}

TEST(small_region_exhausts_exactly)
{
    unsigned int n = 0;
    void *a[64], *last;

    /* 64 pages: starts 1, 3, ... 61, each guard the next one's gap. */
    SETUP(VMAP_DEFAULT, B0, 64, 0);
    while ( (a[n] = vm_alloc(1, 1, VMAP_DEFAULT)) != NULL )
    {
        CHECK_EQU(idx(a[n], B0), 1 + 2 * n);
        n++;
        CHECK(n < 64);
    }
    CHECK_EQU(n, 31);
    CHECK_EQU(stats(VMAP_DEFAULT).pages, 31);

    /* One freed page makes room for one page, at the same place. */
    vm_free(a[17]);
    CHECK(!vm_alloc(2, 1, VMAP_DEFAULT));
    last = vm_alloc(1, 1, VMAP_DEFAULT);
    CHECK(last == a[17]);
    CHECK(!vm_alloc(1, 1, VMAP_DEFAULT));
}

TEST(largest_request_fits_once)
{
    SETUP(VMAP_DEFAULT, B0, 1000, 0);
    CHECK(!vm_alloc(999, 1, VMAP_DEFAULT));  /* no room for the guard */
    CHECK_EQU(idx(vm_alloc(998, 1, VMAP_DEFAULT), B0), 1);
    CHECK(!vm_alloc(1, 1, VMAP_DEFAULT));
    CHECK(!vm_alloc(UINT32_MAX, 1, VMAP_DEFAULT));
}

TEST(fragmentation_first_fit_and_reuse)
{
    void *a[20], *big, *p;
    unsigned int i;

    SETUP(VMAP_DEFAULT, B0, 4096, 0);
    /* 20 allocations of 4 pages: starts 1, 6, 11, ... */
    for ( i = 0; i < 20; i++ )
        a[i] = vm_alloc(4, 1, VMAP_DEFAULT);
    for ( i = 0; i < 20; i += 2 )
        vm_free(a[i]);

    /* Holes of 5 clear pages (4 + the guard before) hold up to 4 pages. */
    big = vm_alloc(5, 1, VMAP_DEFAULT);
    CHECK_EQU(idx(big, B0), 101);          /* past the last allocation */
    p = vm_alloc(4, 1, VMAP_DEFAULT);
    CHECK(p == a[0]);
    p = vm_alloc(2, 1, VMAP_DEFAULT);
    CHECK(p == a[2]);
    /* What is left of that hole: one page, and the gap before a[3]. */
    p = vm_alloc(1, 1, VMAP_DEFAULT);
    CHECK_EQU(idx(p, B0), idx(a[2], B0) + 3);
    p = vm_alloc(1, 1, VMAP_DEFAULT);
    CHECK(p == a[4]);

    /*
     * a[4]'s hole now holds one page at 21. Freeing a[5] and a[7] merges
     * everything from 22 to a[9] (46): room for 22 pages from 23, not 23.
     */
    vm_free(a[5]);
    vm_free(a[7]);
    p = vm_alloc(23, 1, VMAP_DEFAULT);
    CHECK_EQU(idx(p, B0), 101 + 5 + 1);
    p = vm_alloc(22, 1, VMAP_DEFAULT);
    CHECK_EQU(idx(p, B0), 23);
}

TEST(bitmap_grows_page_by_page_on_demand)
{
    unsigned long n = 4 * BM_SPAN + 100;
    void *a, *b, *c;

    SETUP(VMAP_DEFAULT, B0, n, 0);
    CHECK_EQU(bitmaps[0].opened, 1);
    CHECK_EQU(stats(VMAP_DEFAULT).top, BM_SPAN);

    /* Exactly filling the first bitmap page's pages: guard at BM_SPAN-1. */
    a = vm_alloc(BM_SPAN - 2, 1, VMAP_DEFAULT);
    CHECK_EQU(idx(a, B0), 1);
    CHECK_EQU(bitmaps[0].opened, 1);

    /* The next one needs the second page: it starts in the same run. */
    b = vm_alloc(10, 1, VMAP_DEFAULT);
    CHECK_EQU(idx(b, B0), BM_SPAN);
    CHECK_EQU(bitmaps[0].opened, 2);
    CHECK_EQU(stats(VMAP_DEFAULT).top, 2 * BM_SPAN);
    CHECK_EQU(stats(VMAP_DEFAULT).bitmap_pages, 2);

    /* One request across three more bitmap pages grows them all. */
    c = vm_alloc(3 * BM_SPAN + 50, 1, VMAP_DEFAULT);
    CHECK_EQU(idx(c, B0), BM_SPAN + 11);
    CHECK_EQU(bitmaps[0].opened, 5);
    CHECK_EQU(stats(VMAP_DEFAULT).top, n);

    /* Frees never give bitmap pages back; space is reused below top. */
    vm_free(c);
    vm_free(b);
    CHECK_EQU(idx(vm_alloc(20, 1, VMAP_DEFAULT), B0), BM_SPAN);
    CHECK_EQU(bitmaps[0].opened, 5);
}

TEST(reserved_head_larger_than_one_bitmap_page)
{
    SETUP(VMAP_DEFAULT, B0, 3 * BM_SPAN, BM_SPAN + 5);
    CHECK_EQU(bitmaps[0].opened, 2);
    CHECK_EQU(idx(vm_alloc(1, 1, VMAP_DEFAULT), B0), BM_SPAN + 6);
}

TEST(bitmap_growth_failure_changes_nothing)
{
    struct vm_stats st;
    void *a;

    SETUP(VMAP_DEFAULT, B0, 3 * BM_SPAN, 0);
    vm_alloc(BM_SPAN - 2, 1, VMAP_DEFAULT);
    st = stats(VMAP_DEFAULT);
    bitmaps[0].fail = true;
    CHECK(!vm_alloc(5, 1, VMAP_DEFAULT));
    CHECK_EQU(bitmaps[0].refused, 1);
    CHECK_EQU(stats(VMAP_DEFAULT).pages, st.pages);
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, st.allocations);
    CHECK_EQU(stats(VMAP_DEFAULT).top, st.top);
    bitmaps[0].fail = false;
    a = vm_alloc(5, 1, VMAP_DEFAULT);
    CHECK_EQU(idx(a, B0), BM_SPAN);
}

TEST(bitmap_growth_failure_keeps_what_was_grown)
{
    void *big;

    SETUP(VMAP_DEFAULT, B0, 3 * BM_SPAN, 0);
    vm_alloc(10, 1, VMAP_DEFAULT);
    /* This one needs the second bitmap page... */
    big = vm_alloc(BM_SPAN, 1, VMAP_DEFAULT);
    CHECK_EQU(idx(big, B0), 12);
    CHECK_EQU(bitmaps[0].opened, 2);
    /* ...and this one the third, which is refused. */
    bitmaps[0].fail = true;
    CHECK(!vm_alloc(BM_SPAN, 1, VMAP_DEFAULT));
    CHECK_EQU(bitmaps[0].opened, 2);
    CHECK_EQU(stats(VMAP_DEFAULT).top, 2 * BM_SPAN);
    bitmaps[0].fail = false;
    vm_free(big);
    CHECK_EQU(idx(vm_alloc(BM_SPAN, 1, VMAP_DEFAULT), B0), 12);
    CHECK_EQU(idx(vm_alloc(BM_SPAN, 1, VMAP_DEFAULT), B0), BM_SPAN + 13);
    CHECK_EQU(bitmaps[0].opened, 3);
}

TEST(xenheap_sized_region_512g)
{
    unsigned long n = (XENHEAP_VIRT_END - XENHEAP_VIRT_START) / PAGE;
    void *a, *gig, *rest;

    SETUP(VMAP_XENHEAP, X0, n, 0);
    CHECK_EQU(bitmaps[VMAP_XENHEAP].bytes, 16UL << 20);
    a = vm_alloc(1, 1, VMAP_XENHEAP);
    CHECK_EQU((unsigned long)a, X0 + PAGE);
    CHECK_EQU(stats(VMAP_XENHEAP).bitmap_pages, 1);

    /* 1 GiB aligned to 1 GiB: the first such address is at 1 GiB. */
    gig = vm_alloc(1U << 18, 1U << 18, VMAP_XENHEAP);
    CHECK_EQU((unsigned long)gig, X0 + (1UL << 30));
    /* 128 MiB per bitmap page; its guard at 1 GiB needs page 17. */
    CHECK_EQU(stats(VMAP_XENHEAP).bitmap_pages, 17);

    /* All that is left after gig and its guard, up to the last guard. */
    rest = vm_alloc(n - (1U << 19) - 2, 1, VMAP_XENHEAP);
    CHECK_EQU(idx(rest, X0), (1U << 19) + 1);
    CHECK_EQU(stats(VMAP_XENHEAP).bitmap_pages, 4096);
    CHECK_EQU(stats(VMAP_XENHEAP).top, n);
    /* Between a and gig: clear from 2, so starts from 3, guard below gig. */
    CHECK(!vm_alloc((1U << 18) - 3, 1, VMAP_XENHEAP));
    CHECK_EQU(idx(vm_alloc((1U << 18) - 4, 1, VMAP_XENHEAP), X0), 3);
    CHECK(!vm_alloc(1, 1, VMAP_XENHEAP));
    vm_free(rest);
    vm_free(gig);
    vm_free(a);
    CHECK_EQU(stats(VMAP_XENHEAP).allocations, 1);
    CHECK_EQU(stats(VMAP_XENHEAP).pages, (1U << 18) - 4);
}

TEST(regions_are_independent)
{
    void *a, *b;

    SETUP(VMAP_DEFAULT, B0, 4096, 0);
    SETUP(VMAP_XENHEAP, X0, 4096, 0);
    a = vm_alloc(3, 1, VMAP_DEFAULT);
    b = vm_alloc(3, 1, VMAP_XENHEAP);
    CHECK_EQU((unsigned long)a, B0 + PAGE);
    CHECK_EQU((unsigned long)b, X0 + PAGE);
    CHECK_EQU(vm_size(b, VMAP_XENHEAP), 3);
    CHECK_EQU(vm_size(b, VMAP_DEFAULT), 0);
    vm_free(b); /* found by its address */
    CHECK_EQU(stats(VMAP_XENHEAP).allocations, 0);
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 1);
}

/* A tiny random generator, so that every run does the same thing. */
static uint64_t rng_state = 0x766d6170UL;

static unsigned int rng(unsigned int bound)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state % bound;
}

/*
 * The model: who owns each page (0 none, -1 reserved, i+1 allocation i),
 * and exact first fit computed from scratch on it.
 */
#define MODEL_PAGES (2 * BM_SPAN + 1234)
#define MODEL_LIVE  300

static int owner[MODEL_PAGES];

static long model_fit(unsigned long base, unsigned long nr,
                      unsigned long align)
{
    unsigned long a = 0, b, p;

    while ( a < MODEL_PAGES )
    {
        if ( owner[a] )
        {
            a++;
            continue;
        }
        for ( b = a; b < MODEL_PAGES && !owner[b]; b++ )
            ;
        /* The page before a start is clear, and page 0 is never one. */
        p = ROUNDUP(base / PAGE + a + 1, align) - base / PAGE;
        if ( p + nr < b )
            return p;
        a = b;
    }

    return -1;
}

TEST(random_operations_match_exact_first_fit)
{
    static struct { void *va; unsigned long nr; } live[MODEL_LIVE];
    unsigned long base = B0 + 5 * PAGE, reserved = 37, used = 0, allocs = 0;
    unsigned long max_end = reserved + 1, refused = 0, op, i;

    SETUP(VMAP_DEFAULT, base, MODEL_PAGES, reserved);
    memset(owner, 0, sizeof(owner));
    memset(live, 0, sizeof(live));
    for ( i = 0; i < reserved; i++ )
        owner[i] = -1;

    for ( op = 0; op < 20000; op++ )
    {
        unsigned int s = rng(MODEL_LIVE);

        if ( live[s].va )
        {
            unsigned long p = idx(live[s].va, base);

            CHECK_EQU(vm_size(live[s].va, VMAP_DEFAULT), live[s].nr);
            vm_free(live[s].va);
            for ( i = p; i < p + live[s].nr; i++ )
                owner[i] = 0;
            used -= live[s].nr;
            allocs--;
            live[s].va = NULL;
        }
        else
        {
            /* Mostly small, sometimes big, sometimes aligned. */
            unsigned long nr = rng(8) ? 1 + rng(40) : 1 + rng(6000);
            unsigned long align = rng(4) ? 1 : 1UL << rng(10);
            long want = model_fit(base, nr, align);
            void *va = vm_alloc(nr, align, VMAP_DEFAULT);

            if ( want < 0 )
            {
                CHECK_MSG(!va, "op %lu: %lu pages align %lu at %#lx, the "
                          "model has no room", op, nr, align,
                          va ? idx(va, base) : 0);
                refused++;
                continue;
            }
            CHECK_MSG(va && idx(va, base) == (unsigned long)want,
                      "op %lu: %lu pages align %lu at index %ld, model "
                      "says %ld", op, nr, align,
                      va ? (long)idx(va, base) : -1L, want);
            for ( i = want; i < want + nr; i++ )
                owner[i] = s + 1;
            live[s].va = va;
            live[s].nr = nr;
            used += nr;
            allocs++;
            max_end = max(max_end, want + nr + 1);
        }

        CHECK_EQU(stats(VMAP_DEFAULT).pages, used);
        CHECK_EQU(stats(VMAP_DEFAULT).allocations, allocs);
        /* Grown exactly as far as the highest guard needed. */
        CHECK_EQU(stats(VMAP_DEFAULT).bitmap_pages,
                  DIV_ROUND_UP(max_end, BM_SPAN));
    }
    /* The test did hold a crowd, grow the bitmap, and run out of room. */
    CHECK(allocs > 50);
    CHECK(max_end > BM_SPAN);
    CHECK(refused > 0);
    printf("%lu allocations live, %lu refused, bitmap for %lu pages\n",
           allocs, refused, max_end);
}

/* Every allocation has a clear page on both sides, whatever happens. */
TEST(random_allocations_never_touch_or_hand_out_guards)
{
    static unsigned long start[500], len[500];
    unsigned long round, i, j;
    void *va;

    SETUP(VMAP_DEFAULT, B0, 20000, 3);
    memset(len, 0, sizeof(len));
    for ( round = 0; round < 4000; round++ )
    {
        i = rng(500);
        if ( len[i] )
        {
            vm_free((void *)(B0 + start[i] * PAGE));
            len[i] = 0;
            continue;
        }
        len[i] = 1 + rng(30);
        va = vm_alloc(len[i], 1U << rng(3), VMAP_DEFAULT);
        if ( !va )
        {
            len[i] = 0;
            continue;
        }
        start[i] = idx(va, B0);
        CHECK(start[i] > 3);
        for ( j = 0; j < 500; j++ )
            CHECK_MSG(j == i || !len[j] ||
                      start[i] + len[i] < start[j] ||
                      start[j] + len[j] < start[i],
                      "[%lu,+%lu) touches [%lu,+%lu)", start[i], len[i],
                      start[j], len[j]);
    }
}

/* ========================================================================
 * The mapping services, over the fake heap and page tables
 */

TEST(vmalloc_maps_fresh_frames_read_write_no_execute)
{
    unsigned long va, i, nr = 5;
    unsigned int level;

    mapping_setup();
    va = (unsigned long)vmalloc(4 * PAGE + 1);
    CHECK_EQU(va, B0 + PAGE);
    CHECK_EQU(vm_size((void *)va, VMAP_DEFAULT), nr);
    CHECK_EQU(frames_used, nr);
    for ( i = 0; i < nr; i++ )
    {
        pgentry_t e = xen_pagetable_lookup(va + i * PAGE, &level);

        CHECK_EQU(e & ~PTE_ADDR_MASK, PAGE_HYPERVISOR_RW);
        CHECK(frame_used[(e & PTE_ADDR_MASK) >> PAGE_SHIFT]);
    }
    CHECK(!xen_pagetable_lookup(va + nr * PAGE, &level)); /* guard */
    CHECK(!vmalloc(0));
    CHECK(!vmalloc((size_t)UINT32_MAX * PAGE + 1));
    CHECK_NO_VIOLATION();
}

TEST(vfree_unmaps_before_it_frees_and_frees_everything)
{
    void *a, *b;
    unsigned long d;

    mapping_setup();
    a = vmalloc(100 * PAGE);
    b = vmalloc(3 * PAGE);
    CHECK_EQU(frames_used, 103);
    d = destroys;
    vfree(a);
    CHECK_NO_VIOLATION(); /* no frame freed while mapped */
    CHECK(destroys > d);
    CHECK_EQU(frees, 100);
    CHECK_EQU(frames_used, 3);
    CHECK_EQU(vm_size(a, VMAP_DEFAULT), 0);
    vfree(b);
    vfree(NULL);
    CHECK_EQU(frames_used, 0);
    CHECK_EQU(stats(VMAP_DEFAULT).pages, 0);
    /* The space comes back: the same request lands in the same place. */
    CHECK(vmalloc(100 * PAGE) == a);
    CHECK_NO_VIOLATION();
}

TEST(vfree_in_pieces_with_scattered_frames)
{
    unsigned long i, va;

    mapping_setup();
    /* Every other frame taken: no two frames of the allocation adjacent. */
    for ( i = 0; i < 4000; i += 2 )
        frame_used[i] = true;
    frames_used = 2000;
    va = (unsigned long)vmalloc(1500 * PAGE);
    CHECK(va);
    for ( i = 1; i < 1500; i++ )
        CHECK(ptes[0][(va - B0) / PAGE + i].mfn !=
              ptes[0][(va - B0) / PAGE + i - 1].mfn + 1);
    vfree((void *)va);
    CHECK_EQU(frees, 1500);
    CHECK_EQU(frames_used, 2000);
    /* Pieces of at most 32 runs: the unmapping came in many steps. */
    CHECK(destroys >= 1500 / 32);
    CHECK_NO_VIOLATION();
}

TEST(vfree_reads_superpage_leaves)
{
    unsigned long va, p;
    unsigned int level = 0;

    mapping_setup();
    superpages = true;
    /*
     * Pages 1-511 get frames 1, 3, ... 1021 (511 runs, so vfree() cuts
     * several pieces before the block), pages 512-1023 frames 1024-1535
     * (a 2 MiB leaf: aligned, contiguous), the rest 1536 onwards.
     */
    for ( p = 0; p < 1024; p += 2 )
        frame_used[p] = true;
    frame_used[1023] = true;
    frames_used = 513;
    next_frame = 1;
    va = (unsigned long)vmalloc(1400 * PAGE);
    CHECK_EQU(va, B0 + PAGE);
    CHECK_EQU(ptes[0][512].mfn, 1024);
    xen_pagetable_lookup(B0 + 700 * PAGE, &level);
    CHECK_EQU(level, 2);
    vfree((void *)va);
    CHECK_EQU(frees, 1400);
    CHECK_EQU(frames_used, 513);
    CHECK(destroys > 511 / 32);
    CHECK_NO_VIOLATION(); /* no split, no bad or double free */
}

TEST(vmalloc_out_of_frames_leaks_nothing)
{
    struct vm_stats st;

    mapping_setup();
    st = stats(VMAP_DEFAULT);
    heap_allow = 7;
    CHECK(!vmalloc(10 * PAGE));
    CHECK_EQU(frames_used, 0);
    CHECK_EQU(stats(VMAP_DEFAULT).pages, st.pages);
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, st.allocations);
    heap_allow = 0;
    CHECK(!vmalloc(PAGE));
    heap_allow = -1;
    CHECK_EQU(idx(vmalloc(PAGE), B0), 1);
    CHECK_NO_VIOLATION();
}

TEST(lazy_vfree_holds_the_range_until_one_batched_shootdown)
{
    void *a, *b;
    unsigned long f, i;

    mapping_setup();
    vmap_lazy = true;
    a = vmalloc(4 * PAGE);
    f = shim_tlb_flushes;
    vfree(a);
    /* Frames back at once (marked for the heap), the range held back. */
    CHECK_EQU(frames_used, 0);
    CHECK_EQU(vm_size(a, VMAP_DEFAULT), 4);
    CHECK_EQU(shim_tlb_flushes, f);
    b = vmalloc(4 * PAGE);
    CHECK(b != a);
    vfree(b);
    vmap_purge();
    CHECK_EQU(shim_tlb_flushes, f + 1);
    CHECK_EQU(vm_size(a, VMAP_DEFAULT), 0);
    CHECK_EQU(vm_size(b, VMAP_DEFAULT), 0);
    CHECK(vmalloc(4 * PAGE) == a);

    /* Many unmaps, few shootdowns: one per full batch. */
    f = shim_tlb_flushes;
    for ( i = 0; i < 320; i++ )
        vfree(vmalloc(PAGE));
    CHECK(shim_tlb_flushes - f >= 9 && shim_tlb_flushes - f <= 10);
    CHECK_EQU(shim_locks_held, 0);
    CHECK_NO_VIOLATION();
}

TEST(vmalloc_out_of_page_tables_leaks_nothing)
{
    unsigned long i;

    mapping_setup();
    map_allow = 4;
    CHECK(!vmalloc(10 * PAGE));
    CHECK_EQU(frames_used, 0);
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 0);
    for ( i = 0; i < 20; i++ )
        CHECK(!ptes[0][i].present);
    CHECK_NO_VIOLATION();
}

TEST(vmap_maps_the_given_frames_and_leaves_them_to_the_caller)
{
    mfn_t m[4] = { _mfn(9), _mfn(3), _mfn(1000), _mfn(4) };
    unsigned long va;
    unsigned int i, level;

    mapping_setup();
    va = (unsigned long)vmap(m, 4);
    CHECK_EQU(va, B0 + PAGE);
    for ( i = 0; i < 4; i++ )
        CHECK_EQU(xen_pagetable_lookup(va + i * PAGE, &level),
                  (mfn_x(m[i]) << PAGE_SHIFT) | PAGE_HYPERVISOR);
    vunmap((void *)va);
    for ( i = 0; i < 4; i++ )
        CHECK(!xen_pagetable_lookup(va + i * PAGE, &level));
    CHECK_EQU(frees, 0);
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 0);
    CHECK(!vmap(m, 0));
    CHECK_NO_VIOLATION();
}

TEST(vmap_granularity_alignment_region_and_failure)
{
    mfn_t m[3] = { _mfn(100), _mfn(200), _mfn(300) };
    unsigned long va, i;
    unsigned int level;

    mapping_setup();
    va = (unsigned long)__vmap(m, 4, 3, 16, PAGE_HYPERVISOR_RO,
                               VMAP_XENHEAP);
    CHECK_EQU(va, X0 + 16 * PAGE);
    CHECK_EQU(vm_size((void *)va, VMAP_XENHEAP), 12);
    for ( i = 0; i < 12; i++ )
        CHECK_EQU(xen_pagetable_lookup(va + i * PAGE, &level),
                  ((100 * (i / 4 + 1) + i % 4) << PAGE_SHIFT) |
                  PAGE_HYPERVISOR_RO);
    vunmap((void *)va); /* either region */
    CHECK_EQU(stats(VMAP_XENHEAP).allocations, 0);

    /* Failing in the middle of the second piece undoes everything. */
    map_allow = 6;
    CHECK(!__vmap(m, 4, 3, 1, PAGE_HYPERVISOR, VMAP_DEFAULT));
    for ( i = 0; i < 20; i++ )
        CHECK(!ptes[0][i].present);
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 0);
    map_allow = -1;

    CHECK(!__vmap(m, 0, 3, 1, PAGE_HYPERVISOR, VMAP_DEFAULT));
    CHECK(!__vmap(m, 1U << 31, 3, 1, PAGE_HYPERVISOR, VMAP_DEFAULT));
    CHECK_NO_VIOLATION();
}

TEST(lazy_unmapping_stamps_every_frame_as_it_unmaps)
{
    mfn_t m[3] = { _mfn(7), _mfn(8), _mfn(20) };
    unsigned long va, before;

    mapping_setup();
    vmap_lazy = true;
    before = stamped_destroys;
    va = (unsigned long)vmap(m, 3);
    CHECK(va);
    vunmap((void *)va);
    /* The caller may free the frames now: they must have been stamped. */
    CHECK_EQU(stamped_destroys, before + 1);
    va = (unsigned long)vmalloc(3 * PAGE);
    CHECK(va);
    vfree((void *)va);
    CHECK_EQU(stamped_destroys, before + 2);
    vmap_lazy = false;
    va = (unsigned long)vmap(m, 3);
    vunmap((void *)va);
    /* Eager: every CPU flushed at once, nothing to stamp. */
    CHECK_EQU(stamped_destroys, before + 2);
    CHECK_NO_VIOLATION();
}

TEST(vunmap_refuses_what_is_not_a_mapping)
{
    char *va;

    mapping_setup();
    va = vmalloc(2 * PAGE);
    printk_clear();
    vunmap(va + PAGE);
    vunmap((void *)0x5000);
    vunmap(NULL);
    CHECK_EQU(printk_count("not a mapping"), 2);
    vfree(va + PAGE);
    CHECK_EQU(printk_count("not a vmalloc() address"), 1);
    CHECK_EQU(frames_used, 2);
    CHECK(xen_pagetable_lookup((unsigned long)va + PAGE, &(unsigned int){0}));
    CHECK_NO_VIOLATION();
}

TEST(ioremap_maps_uncached_at_the_offset)
{
    unsigned long va, page;
    unsigned int level;

    mapping_setup();
    va = (unsigned long)ioremap(0xfee00ff0, 0x20);
    page = va & PAGE_MASK;
    CHECK_EQU(va & ~PAGE_MASK, 0xff0);
    CHECK_EQU(vm_size((void *)page, VMAP_DEFAULT), 2);
    CHECK_EQU(xen_pagetable_lookup(page, &level),
              0xfee00000UL | PAGE_HYPERVISOR_UC);
    CHECK_EQU(xen_pagetable_lookup(page + PAGE, &level),
              0xfee01000UL | PAGE_HYPERVISOR_UC);
    iounmap((void *)va);
    CHECK(!xen_pagetable_lookup(page, &level));
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 0);

    /* Exactly one page when the range ends at its last byte. */
    va = (unsigned long)ioremap(0xfed00000, PAGE);
    CHECK_EQU(vm_size((void *)va, VMAP_DEFAULT), 1);
    iounmap((void *)va);
    iounmap(NULL);

    CHECK(!ioremap(0x1000, 0));
    CHECK(!ioremap(~0UL - 10, 100));
    CHECK(!ioremap(1UL << 52, 1));
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 0);
    CHECK_NO_VIOLATION();
}

TEST(global_mappings_use_the_direct_map_where_it_covers)
{
    unsigned long va;
    unsigned int level;

    mapping_setup();
    directmap_end_mfn = 1000;
    va = (unsigned long)map_domain_page_global(_mfn(10));
    CHECK_EQU(va, DIRECTMAP_VIRT_START + 10 * PAGE);
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 0);
    unmap_domain_page_global((void *)va);

    va = (unsigned long)map_domain_page_global(_mfn(5000));
    CHECK_EQU(va, B0 + PAGE);
    CHECK_EQU(xen_pagetable_lookup(va, &level),
              (5000UL << PAGE_SHIFT) | PAGE_HYPERVISOR_RW);
    unmap_domain_page_global((void *)va);
    CHECK(!xen_pagetable_lookup(va, &level));
    CHECK_EQU(stats(VMAP_DEFAULT).allocations, 0);
    unmap_domain_page_global(NULL);
    CHECK_NO_VIOLATION();
}
