/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The boot allocator: frames for the frame table and the first page
 * tables, before the heap exists.
 *
 * It starts from the RAM of the sanitised memory map, removes what is in
 * use (the first MiB, which firmware and real-mode code keep needing; the
 * image; the modules; the boot information), and hands out frames from
 * the top of the highest range down, so that low memory stays for those
 * who need addresses below a limit. Frames it hands out are never freed;
 * end_boot_allocator() gives the rest to the heap.
 */
#include <asm/bootinfo.h>
#include <asm/config.h>
#include <asm/e820.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/string.h>

#define BOOT_RANGES_MAX (E820_MAX + 2 * (BOOT_MODULES_MAX + 4))

/* Free frames [start, end), sorted, disjoint. Boot CPU only. */
struct boot_range {
    unsigned long start, end;
};
static struct boot_range ranges[BOOT_RANGES_MAX] __initdata;
static unsigned int nr_ranges __initdata;
static bool boot_allocator_done;

extern char __image_start[], __image_end[];

/* Removes frames [s, e) from the free ranges, splitting one if needed. */
static void __init reserve_frames(unsigned long s, unsigned long e)
{
    unsigned int i;

    for ( i = 0; i < nr_ranges; i++ )
    {
        struct boot_range *r = &ranges[i];

        if ( e <= r->start || s >= r->end )
            continue;
        if ( s > r->start && e < r->end )
        {
            BUG_ON(nr_ranges == BOOT_RANGES_MAX);
            memmove(r + 1, r, (nr_ranges - i) * sizeof(*r));
            nr_ranges++;
            r->end = s;
            r[1].start = e;
            return;
        }
        if ( s <= r->start )
            r->start = min(e, r->end);
        else
            r->end = s;
    }
}

static void __init reserve_bytes(paddr_t s, paddr_t e)
{
    reserve_frames(s >> PAGE_SHIFT, (e + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

static void __init drop_empty_ranges(void)
{
    unsigned int i, n = 0;

    for ( i = 0; i < nr_ranges; i++ )
        if ( ranges[i].start < ranges[i].end )
            ranges[n++] = ranges[i];
    nr_ranges = n;
}

void __init init_boot_allocator(void)
{
    unsigned int i;

    for ( i = 0; i < e820.nr_map; i++ )
    {
        const struct e820entry *e = &e820.map[i];
        /* Only whole frames of RAM. */
        unsigned long s = (e->addr + PAGE_SIZE - 1) >> PAGE_SHIFT;
        unsigned long end = (e->addr + e->size) >> PAGE_SHIFT;

        if ( e->type != E820_RAM || s >= end )
            continue;
        BUG_ON(nr_ranges == BOOT_RANGES_MAX);
        ranges[nr_ranges++] = (struct boot_range){ s, end };
    }

    reserve_bytes(0, MB(1));
    reserve_bytes(xen_phys_start,
                  xen_phys_start + (__image_end - __image_start));
    reserve_bytes(boot_info.mbi_start, boot_info.mbi_end);
    for ( i = 0; i < boot_info.nr_modules; i++ )
        reserve_bytes(boot_info.modules[i].start, boot_info.modules[i].end);
    drop_empty_ranges();
}

mfn_t __init alloc_boot_pages(unsigned long nr, unsigned long align)
{
    unsigned int i;

    BUG_ON(boot_allocator_done || !nr || (align & (align - 1)));

    for ( i = nr_ranges; i--; )
    {
        struct boot_range *r = &ranges[i];
        unsigned long s;

        if ( r->end - r->start < nr )
            continue;
        s = ROUNDDOWN(r->end - nr, align);
        if ( s < r->start )
            continue;
        /* Taken from the top; an aligned block may leave a tail above. */
        reserve_frames(s, s + nr);
        drop_empty_ranges();
        return _mfn(s);
    }

    return INVALID_MFN;
}

unsigned long boot_pages_free(void)
{
    unsigned long n = 0;
    unsigned int i;

    for ( i = 0; i < nr_ranges; i++ )
        n += ranges[i].end - ranges[i].start;

    return n;
}

void __init end_boot_allocator(void)
{
    unsigned int i;

    boot_allocator_done = true;
    for ( i = 0; i < nr_ranges; i++ )
        init_heap_pages(_mfn(ranges[i].start), ranges[i].end - ranges[i].start);
    nr_ranges = 0;
}
