/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Self-tests of the mapcache and of the hypervisor's page tables. Both
 * check real state: contents through mappings, PTEs read back by a walk,
 * and heap counts that must come back exactly.
 */
#include <asm/config.h>
#include <asm/extable.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/pg2virt.h>
#include <asm/traps.h>
#include <xen/domain_page.h>
#include <xen/lib.h>
#include <xen/selftest.h>

/* ------------------------------------------------------------------------
 * mapcache
 */

#define PATTERN(i) (0x6d61700000000000UL | (i))

static mfn_t irq_test_mfn;
static uint64_t irq_seen;
static unsigned int irq_slots_during;

static void mapcache_test_interrupt(struct cpu_user_regs *regs)
{
    uint64_t *p = map_domain_page(irq_test_mfn);

    irq_slots_during = mapcache_slots_in_use();
    irq_seen = p[0];
    p[1] = ~p[0];
    unmap_domain_page(p);
}

/*
 * Frames the direct map covers are not mapped through the window: their
 * direct-map address comes back and no slot is used.
 */
static const char *mapcache_direct(mfn_t mfn, unsigned int n)
{
    unsigned int base = mapcache_slots_in_use(), i;

    for ( i = 0; i < n; i++ )
    {
        uint64_t *p = map_domain_page(mfn_add(mfn, i));
        bool direct = mfn_in_directmap(mfn_add(mfn, i));

        /* A block may straddle the end of the direct map. */
        if ( direct ? ((unsigned long)p != DIRECTMAP_VIRT_START +
                                           mfn_to_maddr(mfn_add(mfn, i)) ||
                       mapcache_slots_in_use() != base)
                    : mapcache_slots_in_use() != base + 1 )
            return selftest_fail("frame %#lx (%s) came back at %p",
                                 mfn_x(mfn) + i,
                                 direct ? "direct-mapped" : "not direct-mapped",
                                 p);
        p[0] = PATTERN(i);
        unmap_domain_page(p);
    }

    return NULL;
}

static const char *selftest_mapcache(void)
{
    unsigned int base = mapcache_slots_in_use(), n = MAPCACHE_SLOTS - base - 1;
    struct page_info *pg = alloc_domheap_pages(5, 0); /* 32 frames */
    uint64_t *map[MAPCACHE_SLOTS], *alias;
    unsigned long va[MAPCACHE_SLOTS];
    unsigned int i, j;
    const char *fail = NULL;

    if ( !pg )
        return selftest_fail("no memory");
    if ( mfn_in_directmap(page_to_mfn(pg)) )
    {
        fail = mapcache_direct(page_to_mfn(pg), 32);
        free_domheap_pages(pg, 5);
        return fail;
    }

    /* Nest maps up to one short of the window, one frame each. */
    for ( i = 0; i < n; i++ )
    {
        map[i] = map_domain_page(mfn_add(page_to_mfn(pg), i));
        map[i][0] = PATTERN(i);
        va[i] = (unsigned long)map[i];
    }
    if ( mapcache_slots_in_use() != base + n )
        fail = selftest_fail("%u slots in use, want %u",
                             mapcache_slots_in_use(), base + n);

    /* The last slot, taken inside an interrupt handler, on top of them. */
    irq_test_mfn = page_to_mfn(pg);
    set_intr_handler(SELFTEST_VECTOR, mapcache_test_interrupt);
    __asm__ __volatile__ ( "int %0" :: "i" (SELFTEST_VECTOR) : "memory" );
    set_intr_handler(SELFTEST_VECTOR, NULL);
    if ( !fail && (irq_seen != PATTERN(0) || irq_slots_during != base + n + 1 ||
                   map[0][1] != ~PATTERN(0)) )
        fail = selftest_fail("in the interrupt: read %#lx, %u slots",
                             irq_seen, irq_slots_during);

    /* Unmap in a scrambled order: odd slots first, then even, backwards. */
    for ( i = 1; i < n; i += 2 )
        UNMAP_DOMAIN_PAGE(map[i]);
    for ( j = n; j--; )
        if ( map[j] )
            UNMAP_DOMAIN_PAGE(map[j]);
    if ( !fail && mapcache_slots_in_use() != base )
        fail = selftest_fail("%u slots left in use, want %u",
                             mapcache_slots_in_use(), base);

    /*
     * Unmapped slots have no PTE left. The walk itself maps one table at
     * a time into the lowest free slot, which is map[0]'s: skip that one.
     */
    for ( i = 1; i < n && !fail; i++ )
        if ( xen_pagetable_lookup(va[i], NULL) )
            fail = selftest_fail("slot at %#lx still mapped after unmap", va[i]);

    /* Remapped, every frame still holds its own pattern. */
    for ( i = 0; i < n && !fail; i++ )
    {
        uint64_t *p = map_domain_page(mfn_add(page_to_mfn(pg), i));

        if ( p[0] != PATTERN(i) )
            fail = selftest_fail("frame %u holds %#lx", i, p[0]);
        if ( !mfn_eq(domain_page_map_to_mfn(p), mfn_add(page_to_mfn(pg), i)) )
            fail = selftest_fail("frame %u: map_to_mfn disagrees", i);
        unmap_domain_page(p);
    }

    /* Two mappings of one frame see the same bytes. */
    map[0] = map_domain_page(page_to_mfn(pg));
    alias = map_domain_page(page_to_mfn(pg));
    map[0][7] = 0x1234abcd;
    if ( !fail && (map[0] == alias || alias[7] != 0x1234abcd) )
        fail = selftest_fail("alias reads %#lx", alias[7]);
    unmap_domain_page(alias);
    unmap_domain_page(map[0]);

    free_domheap_pages(pg, 5);
    return fail;
}
REGISTER_SELFTEST("mapcache", selftest_mapcache);

/* ------------------------------------------------------------------------
 * Hypervisor page tables
 *
 * Scratch mappings go in the scratch range: a shared slot, so they
 * exercise the tables every address space will see, and nothing else
 * lives there. 2 GiB of it: 2 MiB and 1 GiB leaves side by side.
 */

#define SCRATCH_VA SCRATCH_VIRT_START
BUILD_BUG_ON(SCRATCH_VIRT_END - SCRATCH_VIRT_START < (2UL << L3_PAGE_SHIFT));
BUILD_BUG_ON(SCRATCH_VIRT_START & ((1UL << L3_PAGE_SHIFT) - 1));

/* Expects [va, va + nr pages) mapped to mfn.. at leaf level lvl (0: any). */
static const char *check_mapped(unsigned long va, mfn_t mfn, unsigned long nr,
                                unsigned int want_level, bool writable)
{
    unsigned long i;

    for ( i = 0; i < nr; i += 97 ) /* a prime stride samples every level */
    {
        unsigned int level;
        pgentry_t e = xen_pagetable_lookup(va + (i << PAGE_SHIFT), &level);
        unsigned long span = level == 3 ? 1UL << 18 : level == 2 ? 512 : 1;
        mfn_t got = _mfn(mfn_x(maddr_to_mfn(e & PTE_ADDR_MASK)) + i % span);

        if ( !e )
            return selftest_fail("%#lx not mapped", va + (i << PAGE_SHIFT));
        if ( !mfn_eq(got, mfn_add(mfn, i)) )
            return selftest_fail("%#lx maps mfn %#lx, want %#lx",
                                 va + (i << PAGE_SHIFT), mfn_x(got),
                                 mfn_x(mfn) + i);
        if ( want_level && level != want_level )
            return selftest_fail("%#lx: leaf at level %u, want %u",
                                 va + (i << PAGE_SHIFT), level, want_level);
        if ( !!(e & _PAGE_RW) != writable )
            return selftest_fail("%#lx: RW is %d", va + (i << PAGE_SHIFT),
                                 !!(e & _PAGE_RW));
    }

    return NULL;
}

static const char *check_unmapped(unsigned long va, unsigned long nr)
{
    unsigned long i;

    for ( i = 0; i < nr; i += 97 )
        if ( xen_pagetable_lookup(va + (i << PAGE_SHIFT), NULL) )
            return selftest_fail("%#lx still mapped", va + (i << PAGE_SHIFT));

    return NULL;
}

/* Reads through the new mapping what map_domain_page wrote. */
static const char *check_contents(unsigned long va, mfn_t mfn)
{
    uint64_t *p = map_domain_page(mfn);
    const char *fail = NULL;

    p[3] = 0xfeedf00d00000000UL | mfn_x(mfn);
    if ( *(volatile uint64_t *)(va + 24) != p[3] )
        fail = selftest_fail("contents at %#lx differ", va);
    unmap_domain_page(p);

    return fail;
}

/*
 * 1 GiB leaves, over a 1 GiB block of the heap: only frames the test owns
 * are ever mapped (mapping [0, 1 GiB) would take in MMIO holes, writable
 * and cacheable). The leaf is split down to 4 KiB and merged back, and
 * each step is checked through the entries, the memory behind them and
 * the number of page-table pages.
 */
static const char *pagetables_1g(mfn_t m1g, mfn_t m2m)
{
    const unsigned long n1g = 1UL << (L3_PAGE_SHIFT - PAGE_SHIFT);
    const unsigned long va1g = SCRATCH_VA + (1UL << L3_PAGE_SHIFT);
    const unsigned long split = 3 * PAGE_SIZE; /* the page that splits it */
    unsigned long pt_leaf;
    const char *fail;

    if ( map_pages_to_xen(va1g, m1g, n1g, PAGE_HYPERVISOR_RW) )
        return selftest_fail("map 1G failed");
    if ( (fail = check_mapped(va1g, m1g, n1g, 3, true)) ||
         (fail = check_contents(va1g, m1g)) ||
         (fail = check_contents(va1g + (n1g - 1) * PAGE_SIZE,
                                mfn_add(m1g, n1g - 1))) )
        return fail;
    pt_leaf = xen_pagetable_pages;

    /* One 4 KiB page inside splits 1 GiB -> 2 MiB -> 4 KiB: an L2, an L1. */
    if ( map_pages_to_xen(va1g + split, m2m, 1, PAGE_HYPERVISOR_RO) )
        return selftest_fail("map 4K into the 1G leaf failed");
    if ( (fail = check_mapped(va1g + split, m2m, 1, 1, false)) ||
         (fail = check_contents(va1g + split, m2m)) ||
         (fail = check_mapped(va1g, m1g, 3, 1, true)) ||
         (fail = check_mapped(va1g + 4 * PAGE_SIZE, mfn_add(m1g, 4), 508, 1,
                              true)) ||
         (fail = check_mapped(va1g + (1UL << L2_PAGE_SHIFT),
                              mfn_add(m1g, 512), n1g - 512, 2, true)) ||
         (fail = check_contents(va1g + (1UL << L2_PAGE_SHIFT),
                                mfn_add(m1g, 512))) )
        return fail;
    if ( xen_pagetable_pages != pt_leaf + 2 )
        return selftest_fail("split of a 1G leaf: %ld more page-table "
                             "pages, want 2",
                             (long)(xen_pagetable_pages - pt_leaf));

    /* Putting the frame back merges all the way to 1 GiB again. */
    if ( map_pages_to_xen(va1g + split, mfn_add(m1g, 3), 1,
                          PAGE_HYPERVISOR_RW) )
        return selftest_fail("map 4K back failed");
    if ( (fail = check_mapped(va1g, m1g, n1g, 3, true)) ||
         (fail = check_contents(va1g + split, mfn_add(m1g, 3))) )
        return fail;
    if ( xen_pagetable_pages != pt_leaf )
        return selftest_fail("merge to a 1G leaf: %ld page-table pages "
                             "left", (long)(xen_pagetable_pages - pt_leaf));

    destroy_xen_mappings(va1g, va1g + (1UL << L3_PAGE_SHIFT));
    if ( (fail = check_unmapped(va1g, n1g)) )
        return fail;

    printk("selftest pagetables: 1 GiB leaf over mfn %#lx mapped, split to "
           "4 KiB, merged back, unmapped\n", mfn_x(m1g));

    return NULL;
}

/* The 1 GiB paths, or a line saying why they cannot run here. */
static const char *pagetables_1g_owned(mfn_t m2m, unsigned long base_pt)
{
    const unsigned int order = L3_PAGE_SHIFT - PAGE_SHIFT;
    const unsigned long va1g = SCRATCH_VA + (1UL << L3_PAGE_SHIFT);
    struct page_info *pg;
    const char *fail;

    /* Said, not silent: the tests' CPU model has no pdpe1gb. */
    if ( !cpu_has_page1gb )
    {
        printk("selftest pagetables: 1 GiB paths skipped: CPU lacks "
               "pdpe1gb\n");
        return NULL;
    }
    /* Not scrubbed: the test writes what it reads back. */
    pg = alloc_domheap_pages(order, MEMF_no_scrub);
    if ( !pg )
    {
        printk("selftest pagetables: 1 GiB paths skipped: no free 1 GiB "
               "block in the heap\n");
        return NULL;
    }

    fail = pagetables_1g(page_to_mfn(pg), m2m);
    /* A failed step may leave the block mapped; never once it is free. */
    destroy_xen_mappings(va1g, va1g + (1UL << L3_PAGE_SHIFT));
    if ( !fail && xen_pagetable_pages != base_pt )
        fail = selftest_fail("1G: %ld page-table pages leaked",
                             (long)(xen_pagetable_pages - base_pt));
    free_domheap_pages(pg, order);

    return fail;
}

static const char *pagetables_run(mfn_t m2m, unsigned long base_pt)
{
    const unsigned long va = SCRATCH_VA, n2m = 512;
    const char *fail;

    /* 4 KiB pages, not aligned to anything larger. */
    if ( map_pages_to_xen(va + PAGE_SIZE, mfn_add(m2m, 1), 7,
                          PAGE_HYPERVISOR_RW) )
        return selftest_fail("map 4K failed");
    if ( (fail = check_mapped(va + PAGE_SIZE, mfn_add(m2m, 1), 7, 1, true)) ||
         (fail = check_contents(va + PAGE_SIZE, mfn_add(m2m, 1))) )
        return fail;

    /* Filling the rest of the 2 MiB merges the L1 into a superpage. */
    map_pages_to_xen(va, m2m, 1, PAGE_HYPERVISOR_RW);
    map_pages_to_xen(va + 8 * PAGE_SIZE, mfn_add(m2m, 8), n2m - 8,
                     PAGE_HYPERVISOR_RW);
    if ( (fail = check_mapped(va, m2m, n2m, 2, true)) )
        return fail;

    /* Read-only in the middle splits it again; back to RW re-merges. */
    modify_xen_mappings(va + 16 * PAGE_SIZE, va + 32 * PAGE_SIZE,
                        PAGE_HYPERVISOR_RO);
    if ( (fail = check_mapped(va + 16 * PAGE_SIZE, mfn_add(m2m, 16), 16, 1,
                              false)) ||
         (fail = check_mapped(va, m2m, 16, 1, true)) )
        return fail;
    modify_xen_mappings(va + 16 * PAGE_SIZE, va + 32 * PAGE_SIZE,
                        PAGE_HYPERVISOR_RW);
    if ( (fail = check_mapped(va, m2m, n2m, 2, true)) )
        return fail;

    /* Punch a hole: split, and only the hole goes. */
    destroy_xen_mappings(va + 100 * PAGE_SIZE, va + 101 * PAGE_SIZE);
    if ( (fail = check_unmapped(va + 100 * PAGE_SIZE, 1)) ||
         (fail = check_mapped(va + 101 * PAGE_SIZE, mfn_add(m2m, 101),
                              n2m - 101, 1, true)) )
        return fail;

    destroy_xen_mappings(va, va + (1UL << L3_PAGE_SHIFT));
    if ( (fail = check_unmapped(va, n2m)) )
        return fail;

    if ( xen_pagetable_pages != base_pt )
        return selftest_fail("%ld page-table pages leaked",
                             (long)(xen_pagetable_pages - base_pt));

    return NULL;
}

static const char *selftest_pagetables(void)
{
    unsigned long free_before = mm_free_frames();
    unsigned long pt_before = xen_pagetable_pages;
    struct page_info *pg = alloc_domheap_pages(9, 0); /* 2 MiB, aligned */
    const char *fail;

    if ( !pg )
        return selftest_fail("no memory");
    fail = pagetables_run(page_to_mfn(pg), pt_before);
    if ( !fail )
        fail = pagetables_1g_owned(page_to_mfn(pg), pt_before);
    destroy_xen_mappings(SCRATCH_VA, SCRATCH_VA + (2UL << L3_PAGE_SHIFT));
    free_domheap_pages(pg, 9);

    if ( !fail && mm_free_frames() != free_before )
        fail = selftest_fail("heap has %lu free pages, had %lu",
                             mm_free_frames(), free_before);

    return fail;
}
REGISTER_SELFTEST("pagetables", selftest_pagetables);

/* ------------------------------------------------------------------------
 * Misuse that must stop the hypervisor (manual: they end the boot).
 */

/* One map more than the window holds: a panic naming every holder. */
static const char *selftest_fatal_mapcache(void)
{
    struct page_info *pg = alloc_domheap_page(0);
    unsigned int i;

    if ( !pg || mfn_in_directmap(page_to_mfn(pg)) )
        return selftest_fail("needs a frame outside the direct map");
    for ( i = 0; i <= MAPCACHE_SLOTS; i++ )
        map_domain_page(page_to_mfn(pg));

    return selftest_fail("%u maps of a %u-slot window did not stop us", i,
                         MAPCACHE_SLOTS);
}
REGISTER_MANUAL_SELFTEST("fatal-mapcache", selftest_fatal_mapcache);

/* __va() of a frame with no permanent mapping (a free heap frame). */
static const char *selftest_fatal_va(void)
{
    struct page_info *pg = alloc_domheap_page(0);
    void *volatile va;

    if ( !pg || mfn_in_directmap(page_to_mfn(pg)) )
        return selftest_fail("needs a frame outside the direct map");
    va = __va(mfn_to_maddr(page_to_mfn(pg)));

    return selftest_fail("__va() of an unmapped frame gave %p", va);
}
REGISTER_MANUAL_SELFTEST("fatal-va", selftest_fatal_va);
