/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mapping audit: a census of every RAM frame the hypervisor's live
 * page tables map, by class, and of those mapped where nothing may be.
 *
 * Allowed: the image's own frames in the image region; the frame table;
 * the tracking arrays; xenheap pages in the xenheap region; vmap
 * mappings; mapcache slots in use right now; the direct map; firmware
 * structures in the bootmap window. Anything else is unexpected, and so
 * is a free heap frame mapped anywhere but the direct map: with no
 * direct map, no free frame is reachable at all. Non-RAM frames (MMIO,
 * ACPI tables outside RAM) are not counted.
 *
 * The walk maps one table per level through the mapcache, so its own
 * slots show up as mapcache mappings in use, as they should.
 */
#include <asm/config.h>
#include <asm/e820.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/pg2virt.h>
#include <xen/domain_page.h>
#include <xen/lib.h>
#include <xen/selftest.h>
#include <xen/string.h>

enum audit_class {
    AC_IMAGE, AC_FRAMETABLE, AC_TRACKING, AC_XENHEAP, AC_VMAP, AC_MAPCACHE,
    AC_DIRECTMAP, AC_BOOTMAP, AC_OTHER, AC_NR
};

static const char *const class_names[AC_NR] = {
    "image", "frametable", "tracking", "xenheap", "vmap", "mapcache",
    "directmap", "bootmap", "other",
};

struct audit {
    unsigned long count[AC_NR];
    unsigned long unexpected;
    unsigned long free_mapped;
};

extern char __image_start[], __image_end[];

static enum audit_class classify(unsigned long va)
{
    if ( va >= XEN_VIRT_START && va < XEN_VIRT_END )
        return AC_IMAGE;
    if ( va >= FRAMETABLE_VIRT_START && va < FRAMETABLE_VIRT_END )
        return AC_FRAMETABLE;
    if ( va >= PG2VIRT_VIRT_START && va < PG2VIRT_VIRT_END )
        return AC_TRACKING;
    if ( va >= XENHEAP_VIRT_START && va < XENHEAP_VIRT_END )
        return AC_XENHEAP;
    if ( va >= VMAP_VIRT_START && va < VMAP_VIRT_END )
        return AC_VMAP;
    if ( va >= MAPCACHE_VIRT_START && va < MAPCACHE_VIRT_END )
        return AC_MAPCACHE;
    if ( va >= DIRECTMAP_VIRT_START && va < DIRECTMAP_VIRT_END )
        return AC_DIRECTMAP;
    if ( va >= BOOTMAP_VIRT_START && va < BOOTMAP_VIRT_END )
        return AC_BOOTMAP;
    return AC_OTHER;
}

static bool is_ram(mfn_t mfn)
{
    paddr_t pa = mfn_to_maddr(mfn);
    unsigned int i;

    for ( i = 0; i < e820.nr_map; i++ )
        if ( e820.map[i].type == E820_RAM && pa >= e820.map[i].addr &&
             pa - e820.map[i].addr < e820.map[i].size )
            return true;

    return false;
}

/* Is this RAM frame allowed to be mapped at this address? */
static bool allowed(enum audit_class c, unsigned long va, mfn_t mfn)
{
    const struct page_info *pg = mfn_valid(mfn) ? mfn_to_page(mfn) : NULL;

    switch ( c )
    {
    case AC_IMAGE:
        return va < (unsigned long)__image_end &&
               mfn_to_maddr(mfn) == va - XEN_VIRT_START + xen_phys_start;
    case AC_XENHEAP:
        return pg && (pg->count_info & PGC_xen_heap);
    case AC_MAPCACHE:
        /* Present PTEs exist only for slots in use (unmap clears them). */
        return true;
    case AC_FRAMETABLE: case AC_TRACKING: case AC_VMAP: case AC_DIRECTMAP:
    case AC_BOOTMAP:
        return true;
    default:
        return false;
    }
}

static void visit_frame(struct audit *a, unsigned long va, mfn_t mfn)
{
    enum audit_class c = classify(va);
    const struct page_info *pg;

    if ( !is_ram(mfn) )
        return;
    a->count[c]++;
    if ( !allowed(c, va, mfn) )
    {
        if ( a->unexpected++ < 4 )
            printk(XENLOG_WARNING "mm-audit: RAM frame %#lx mapped at %#lx "
                   "(%s)\n", mfn_x(mfn), va, class_names[c]);
        return;
    }
    pg = mfn_valid(mfn) ? mfn_to_page(mfn) : NULL;
    if ( c != AC_DIRECTMAP && pg && page_state_is(pg, free) )
    {
        a->free_mapped++;
        if ( a->unexpected++ < 4 )
            printk(XENLOG_WARNING "mm-audit: free frame %#lx mapped at "
                   "%#lx (%s)\n", mfn_x(mfn), va, class_names[c]);
    }
}

/*
 * A leaf of span frames. The direct map can hold millions of frames, all
 * allowed and all RAM by construction, so it is counted without a
 * per-frame look.
 */
static void visit_leaf(struct audit *a, unsigned long va, mfn_t mfn,
                       unsigned long frames)
{
    unsigned long i;

    if ( classify(va) == AC_DIRECTMAP )
    {
        a->count[AC_DIRECTMAP] += frames;
        return;
    }
    for ( i = 0; i < frames; i++ )
        visit_frame(a, va + (i << PAGE_SHIFT), mfn_add(mfn, i));
}

static unsigned long canonical(unsigned long va)
{
    return (unsigned long)((long)(va << 16) >> 16);
}

/* One table at level (3, 2 or 1) covering va_base upwards. */
static void walk_table(struct audit *a, mfn_t table, unsigned int level,
                       unsigned long va_base)
{
    const pgentry_t *t = map_domain_page(table);
    unsigned int shift = PAGE_SHIFT + 9 * (level - 1), i;

    for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
    {
        pgentry_t e = t[i];
        unsigned long va = va_base + ((unsigned long)i << shift);
        mfn_t mfn = maddr_to_mfn(e & PTE_ADDR_MASK);

        if ( !(e & _PAGE_PRESENT) )
            continue;
        if ( level == 1 || (e & _PAGE_PSE) )
            visit_leaf(a, va, mfn, 1UL << (shift - PAGE_SHIFT));
        else
            walk_table(a, mfn, level - 1, va);
    }
    unmap_domain_page(t);
}

static void run_audit(struct audit *a)
{
    unsigned int i;

    memset(a, 0, sizeof(*a));
    for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
    {
        pgentry_t e = idle_pg_table[i];

        if ( e & _PAGE_PRESENT )
            walk_table(a, maddr_to_mfn(e & PTE_ADDR_MASK), 3,
                       canonical((unsigned long)i << L4_PAGE_SHIFT));
    }
}

static const char *selftest_mm_audit(void)
{
    struct audit a;
    unsigned int c;

    run_audit(&a);
    printk("mm-audit: RAM frames mapped by class:");
    for ( c = 0; c < AC_NR; c++ )
        printk(" %s=%lu", class_names[c], a.count[c]);
    printk(" free-mapped=%lu unexpected=%lu\n", a.free_mapped, a.unexpected);

    if ( a.unexpected )
        return selftest_fail("%lu RAM frames mapped outside every allowed "
                             "class", a.unexpected);
    if ( !directmap_end_mfn && a.count[AC_DIRECTMAP] )
        return selftest_fail("no direct map configured, yet %lu frames in it",
                             a.count[AC_DIRECTMAP]);

    return NULL;
}
REGISTER_LATE_SELFTEST("mm-audit", selftest_mm_audit);
