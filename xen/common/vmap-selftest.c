/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Self-test "vmap": the allocator and mapping services of xen/vmap.h on
 * the live page tables.
 *
 *  - thousands of random vmalloc/vzalloc/vmap allocations and frees, each
 *    filled with a pattern that is checked before it goes (vmap ones read
 *    back through map_domain_page(), i.e. through another mapping of the
 *    same frames), no two allocations or guards ever overlapping;
 *  - a write just past an allocation, and just before it, faults (#PF,
 *    not present, at that address) and is caught by an exception-table
 *    fixup; the same for a xenheap page mapped through vmap;
 *  - freed space is reused: the same request after a free gets the same
 *    address (first fit), and the accounting is back where it started;
 *  - ioremap() maps uncached at the right offset, across pages;
 *  - a global mapping and a mapcache mapping of one frame see each
 *    other's writes;
 *  - in the end the heap holds exactly the frames it held at the start,
 *    less any bitmap page the test made the allocator grow (and the page
 *    tables mapping it), and no mapcache slot is left in use.
 */
#include <asm/config.h>
#include <asm/extable.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/pg2virt.h>
#include <xen/domain_page.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/selftest.h>
#include <xen/vmap.h>

#define STRESS_OPS        3000
#define STRESS_SLOTS      48
#define STRESS_MAX_PAGES  16

enum kind { K_VMALLOC, K_VZALLOC, K_VMAP, K_NR };

struct live {
    unsigned long va;            /* 0: slot empty */
    size_t size;                 /* bytes asked for */
    unsigned int pages;
    enum kind kind;
    uint32_t tag;
    mfn_t mfn[STRESS_MAX_PAGES]; /* K_VMAP: the frames, ours to free */
};

/* Static: too big for a 32 KiB stack. */
static struct live live[STRESS_SLOTS];

static uint64_t rng_state;

static unsigned int rng(unsigned int bound)
{
    return selftest_random(&rng_state, bound);
}

static uint64_t pattern(uint32_t tag, unsigned int page, unsigned int word)
{
    return ((uint64_t)tag << 32) ^ ((uint64_t)page << 16) ^ word ^
           0x7a6d000000000000UL;
}

/* The words of a page the stress test writes: first, middle, last. */
static const unsigned int probe_words[] = { 0, 256, 511 };

static void fill(const struct live *l)
{
    unsigned int pg, w;

    for ( pg = 0; pg < l->pages; pg++ )
        for ( w = 0; w < ARRAY_SIZE(probe_words); w++ )
            ((uint64_t *)(l->va + pg * PAGE_SIZE))[probe_words[w]] =
                pattern(l->tag, pg, probe_words[w]);
    /* And the very last byte asked for. */
    *(volatile uint8_t *)(l->va + l->size - 1) = (uint8_t)l->tag;
}

/* Checks one page of l, seen at p (its own mapping, or the mapcache's). */
static const char *check_page(const struct live *l, unsigned int pg,
                              const uint64_t *p)
{
    unsigned int w, last = (l->size - 1) / PAGE_SIZE;
    uint8_t want_last = l->tag;

    for ( w = 0; w < ARRAY_SIZE(probe_words); w++ )
    {
        uint64_t want = pattern(l->tag, pg, probe_words[w]);

        /* The last byte may have overwritten part of a pattern word. */
        if ( pg == last && (l->size - 1) % PAGE_SIZE / 8 == probe_words[w] )
            continue;
        if ( p[probe_words[w]] != want )
            return selftest_fail("%#lx page %u word %u: %#lx, wrote %#lx",
                                 l->va, pg, probe_words[w],
                                 (unsigned long)p[probe_words[w]],
                                 (unsigned long)want);
    }
    if ( pg == last &&
         ((const uint8_t *)p)[(l->size - 1) % PAGE_SIZE] != want_last )
        return selftest_fail("%#lx: last byte of %zu lost", l->va, l->size);

    return NULL;
}

static const char *check_live(const struct live *l)
{
    unsigned int pg;
    const char *fail;

    for ( pg = 0; pg < l->pages; pg++ )
    {
        const uint64_t *p;

        if ( l->kind != K_VMAP )
            fail = check_page(l, pg, (const uint64_t *)(l->va +
                                                         pg * PAGE_SIZE));
        else
        {
            /* Through another mapping: vmap() mapped the right frames. */
            p = map_domain_page(l->mfn[pg]);
            fail = check_page(l, pg, p);
            unmap_domain_page(p);
        }
        if ( fail )
            return fail;
    }

    return NULL;
}

/* Is [va, +pages and the guard) clear of every other live allocation? */
static const char *check_disjoint(const struct live *l)
{
    unsigned long s = l->va, e = l->va + (l->pages + 1UL) * PAGE_SIZE;
    unsigned int i;

    for ( i = 0; i < STRESS_SLOTS; i++ )
    {
        const struct live *o = &live[i];

        if ( o == l || !o->va )
            continue;
        if ( s < o->va + (o->pages + 1UL) * PAGE_SIZE && o->va < e )
            return selftest_fail("%#lx+%u pages (and guard) overlaps "
                                 "%#lx+%u pages (and guard)", l->va,
                                 l->pages, o->va, o->pages);
    }

    return NULL;
}

static const char *stress_alloc(struct live *l)
{
    const char *fail;
    unsigned int i;

    l->pages = 1 + rng(STRESS_MAX_PAGES);
    l->size = (l->pages - 1) * PAGE_SIZE + 1 + rng(PAGE_SIZE);
    l->kind = rng(K_NR);
    l->tag = rng(0x7fffffff);

    switch ( l->kind )
    {
    case K_VMALLOC:
        l->va = (unsigned long)vmalloc(l->size);
        break;
    case K_VZALLOC:
        l->va = (unsigned long)vzalloc(l->size);
        break;
    case K_VMAP:
        for ( i = 0; i < l->pages; i++ )
        {
            struct page_info *pg = alloc_domheap_page(0);

            if ( !pg )
            {
                while ( i-- )
                    free_domheap_page(mfn_to_page(l->mfn[i]));
                return selftest_fail("no frame for vmap()");
            }
            l->mfn[i] = page_to_mfn(pg);
        }
        l->va = (unsigned long)vmap(l->mfn, l->pages);
        if ( !l->va )
            for ( i = 0; i < l->pages; i++ )
                free_domheap_page(mfn_to_page(l->mfn[i]));
        break;
    default:
        break;
    }

    if ( !l->va )
        return selftest_fail("allocation of %zu bytes (kind %u) failed",
                             l->size, l->kind);

    /*
     * Before writing anything: a misplaced allocation would corrupt a
     * neighbour, and freeing it could free the neighbour's pages too, so
     * it is abandoned (leaked) rather than freed.
     */
    if ( l->va & ~PAGE_MASK || l->va < VMAP_VIRT_START ||
         l->va + l->pages * PAGE_SIZE > VMAP_VIRT_END )
        fail = selftest_fail("allocation at %#lx, outside the vmap region",
                             l->va);
    else if ( vm_size((void *)l->va, VMAP_DEFAULT) != l->pages )
        fail = selftest_fail("%#lx: vm_size %u, expected %u", l->va,
                             vm_size((void *)l->va, VMAP_DEFAULT), l->pages);
    else
        fail = check_disjoint(l);
    if ( fail )
    {
        l->va = 0;
        return fail;
    }

    if ( l->kind == K_VZALLOC )
        for ( i = 0; i < l->pages * PAGE_SIZE / 8; i++ )
            if ( ((const uint64_t *)l->va)[i] )
                return selftest_fail("vzalloc() memory at %#lx not zero",
                                     l->va + i * 8);
    fill(l);

    return NULL;
}

/* Checks (unless told not to) and frees l. */
static const char *stress_free(struct live *l, bool check)
{
    const char *fail = check ? check_live(l) : NULL;
    unsigned int i;

    if ( l->kind == K_VMAP )
    {
        vunmap((void *)l->va);
        for ( i = 0; i < l->pages; i++ )
            free_domheap_page(mfn_to_page(l->mfn[i]));
    }
    else
        vfree((void *)l->va);

    /* (selftest_fail() has one buffer: never a second failure.) */
    if ( check && !fail && xen_pagetable_lookup(l->va, NULL) )
        fail = selftest_fail("%#lx still mapped after freeing", l->va);
    l->va = 0;

    return fail;
}

static const char *stress(void)
{
    unsigned int op, i;
    const char *fail = NULL;

    rng_state = 0x766d61702d746573UL;
    for ( op = 0; op < STRESS_OPS && !fail; op++ )
    {
        struct live *l = &live[rng(STRESS_SLOTS)];

        fail = l->va ? stress_free(l, true) : stress_alloc(l);
    }

    /*
     * Tear down whatever is left, so nothing leaks. After a failure the
     * allocator is not to be trusted: one vfree() may have unmapped a
     * neighbour too, so nothing is read any more, only freed.
     */
    for ( i = 0; i < STRESS_SLOTS; i++ )
        if ( live[i].va )
        {
            const char *f = stress_free(&live[i], !fail);

            fail = fail ?: f;
        }

    return fail;
}

/* ------------------------------------------------------------------------
 * Guard pages
 */


static const char *expect_guard(unsigned long va, const char *what)
{
    unsigned long count = extable_last_fault.count;
    const struct extable_fault *f = &extable_last_fault;

    if ( xen_pagetable_lookup(va, NULL) )
        return selftest_fail("%s %#lx is mapped", what, va);
    if ( !probe_write((volatile uint64_t *)va, 0x67756172) )
        return selftest_fail("a write to %s %#lx did not fault", what, va);
    /* #PF, page not present (P clear), on a write (W set). */
    if ( f->count != count + 1 || f->vector != 14 || f->cr2 != va ||
         (f->error_code & 3) != 2 )
        return selftest_fail("write to %s %#lx: vector %u error %#x cr2 %#lx",
                             what, va, f->vector, f->error_code, f->cr2);

    return NULL;
}

static const char *guards(void)
{
    unsigned long va = (unsigned long)vmalloc(2 * PAGE_SIZE);
    const char *fail;
    void *xh;

    if ( !va )
        return selftest_fail("vmalloc(2 pages) failed");
    ((volatile uint64_t *)va)[0] = 1;
    ((volatile uint64_t *)(va + 2 * PAGE_SIZE))[-1] = 2;
    fail = expect_guard(va + 2 * PAGE_SIZE, "the guard page after");
    if ( !fail )
        fail = expect_guard(va - PAGE_SIZE, "the page before");
    vfree((void *)va);
    if ( fail )
        return fail;

    /* The xenheap region: when a page lands there, it is guarded too. */
    xh = alloc_xenheap_page();
    if ( !xh )
        return selftest_fail("alloc_xenheap_page() failed");
    va = (unsigned long)xh;
    if ( va >= XENHEAP_VIRT_START && va < XENHEAP_VIRT_END )
    {
        if ( vm_size(xh, VMAP_XENHEAP) != 1 )
            fail = selftest_fail("xenheap page %#lx: vm_size %u", va,
                                 vm_size(xh, VMAP_XENHEAP));
        else
            fail = expect_guard(va + PAGE_SIZE, "the xenheap guard page");
    }
    free_xenheap_page(xh);

    return fail;
}

/* ------------------------------------------------------------------------
 * Reuse, ioremap, global mappings
 */

static const char *same_stats(enum vmap_region r, const struct vm_stats *was,
                              const char *when)
{
    struct vm_stats now;

    vm_get_stats(r, &now);
    if ( now.pages != was->pages || now.allocations != was->allocations )
        return selftest_fail("region %u %s: %lu pages in %lu allocations, "
                             "was %lu in %lu", r, when, now.pages,
                             now.allocations, was->pages, was->allocations);

    return NULL;
}

static const char *reuse(void)
{
    static const enum vmap_region rs[] = { VMAP_DEFAULT, VMAP_XENHEAP };
    struct vm_stats st;
    unsigned int i;
    void *a, *b;
    const char *fail;

    for ( i = 0; i < ARRAY_SIZE(rs); i++ )
    {
        vm_get_stats(rs[i], &st);
        a = vm_alloc(5, 4, rs[i]);
        if ( !a || ((unsigned long)a >> PAGE_SHIFT) % 4 )
            return selftest_fail("vm_alloc(5, 4, %u) gave %p", rs[i], a);
        vm_free(a);
        if ( (fail = same_stats(rs[i], &st, "after a free")) )
            return fail;
        b = vm_alloc(5, 4, rs[i]);
        vm_free(b);
        if ( a != b )
            return selftest_fail("region %u: %p freed, then %p for the same "
                                 "request", rs[i], a, b);
    }

    /* Lazily unmapped space comes back once the purge has flushed. */
    a = vmalloc(3 * PAGE_SIZE);
    vfree(a);
    vmap_purge();
    b = vmalloc(3 * PAGE_SIZE);
    vfree(b);
    if ( !a || a != b )
        return selftest_fail("vmalloc: %p freed, then %p", a, b);

    return NULL;
}

static const char *check_io_pte(unsigned long va, unsigned long mfn)
{
    unsigned int level = 0;
    pgentry_t e = xen_pagetable_lookup(va, &level);

    if ( level != 1 || (e & PTE_ADDR_MASK) >> PAGE_SHIFT != mfn ||
         !(e & _PAGE_PCD) || !(e & _PAGE_PWT) || !(e & _PAGE_RW) )
        return selftest_fail("ioremap page %#lx: entry %#lx level %u, "
                             "expected frame %#lx uncached", va,
                             (unsigned long)e, level, mfn);

    return NULL;
}

static const char *ioremap_test(void)
{
    /* The local APIC's page; never touched, only mapped and unmapped. */
    const paddr_t pa = 0xfee00ff0;
    char *va = (char *)ioremap(pa, 0x20);
    unsigned long page = (unsigned long)va & PAGE_MASK;
    const char *fail;

    if ( !va )
        return selftest_fail("ioremap failed");
    if ( ((unsigned long)va & ~PAGE_MASK) != (pa & ~PAGE_MASK) ||
         vm_size((void *)page, VMAP_DEFAULT) != 2 )
        fail = selftest_fail("ioremap(%#lx, 0x20) = %p, %u pages", pa, va,
                             vm_size((void *)page, VMAP_DEFAULT));
    else
        fail = check_io_pte(page, pa >> PAGE_SHIFT) ?:
               check_io_pte(page + PAGE_SIZE, (pa >> PAGE_SHIFT) + 1);
    iounmap(va);
    if ( !fail && (xen_pagetable_lookup(page, NULL) ||
                   xen_pagetable_lookup(page + PAGE_SIZE, NULL)) )
        fail = selftest_fail("ioremap range %#lx still mapped", page);

    return fail;
}

static const char *global_mapping(void)
{
    struct page_info *pg = alloc_domheap_page(0);
    uint64_t *g, *m;
    unsigned int i;
    const char *fail = NULL;
    mfn_t mfn;

    if ( !pg )
        return selftest_fail("no frame");
    mfn = page_to_mfn(pg);
    g = map_domain_page_global(mfn);
    if ( !g )
    {
        free_domheap_page(pg);
        return selftest_fail("map_domain_page_global failed");
    }

    for ( i = 0; i < PAGE_SIZE / 8; i++ )
        g[i] = pattern(0x676c6f62, 0, i);
    m = map_domain_page(mfn);
    for ( i = 0; i < PAGE_SIZE / 8 && !fail; i++ )
        if ( m[i] != pattern(0x676c6f62, 0, i) )
            fail = selftest_fail("word %u: %#lx through the mapcache", i,
                                 (unsigned long)m[i]);
    /* And the other way round. */
    m[7] = 0x6261636b;
    if ( !fail && g[7] != 0x6261636b )
        fail = selftest_fail("a mapcache write not seen globally");
    unmap_domain_page(m);

    unmap_domain_page_global(g);
    if ( !fail && (unsigned long)g >= VMAP_VIRT_START &&
         (unsigned long)g < VMAP_VIRT_END &&
         xen_pagetable_lookup((unsigned long)g, NULL) )
        fail = selftest_fail("global mapping %p left mapped", g);
    free_domheap_page(pg);

    return fail;
}

/* ------------------------------------------------------------------------ */

static unsigned long bitmap_pages(void)
{
    struct vm_stats a, b;

    vm_get_stats(VMAP_DEFAULT, &a);
    vm_get_stats(VMAP_XENHEAP, &b);

    return a.bitmap_pages + b.bitmap_pages;
}

static const char *selftest_vmap(void)
{
    unsigned long free0 = mm_free_frames(), pt0 = xen_pagetable_pages;
    unsigned long bm0 = bitmap_pages(), tr0 = pg2virt_bytes, bm, pt, tr;
    unsigned int slots0 = mapcache_slots_in_use();
    struct vm_stats st0[VMAP_REGION_NR];
    const char *fail;
    unsigned int r;

    for ( r = 0; r < VMAP_REGION_NR; r++ )
        vm_get_stats(r, &st0[r]);
    if ( !st0[VMAP_DEFAULT].nr_pages || !st0[VMAP_XENHEAP].nr_pages )
        return selftest_fail("vm_init() has not run");

    fail = stress();
    fail = fail ?: guards();
    fail = fail ?: reuse();
    fail = fail ?: ioremap_test();
    fail = fail ?: global_mapping();
    if ( fail )
        return fail;

    for ( r = 0; r < VMAP_REGION_NR; r++ )
        if ( (fail = same_stats(r, &st0[r], "at the end")) )
            return fail;
    if ( mapcache_slots_in_use() != slots0 )
        return selftest_fail("%u mapcache slots in use, %u before",
                             mapcache_slots_in_use(), slots0);

    /*
     * Bitmap pages are never given back, nor are the xenheap tracking
     * arrays' pages (the xenheap probe may have grown them), nor page
     * tables of the vmap and xenheap regions (kept once made); everything
     * else must be.
     */
    bm = bitmap_pages() - bm0;
    tr = (pg2virt_bytes - tr0) >> PAGE_SHIFT;
    pt = xen_pagetable_pages - pt0;
    if ( mm_free_frames() + bm + tr + pt != free0 )
        return selftest_fail("heap: %lu free frames, %lu before; bitmap "
                             "pages +%lu, tracking pages +%lu, page tables "
                             "+%lu", mm_free_frames(), free0, bm, tr,
                             pt);

    return NULL;
}
REGISTER_SELFTEST("vmap", selftest_vmap);
