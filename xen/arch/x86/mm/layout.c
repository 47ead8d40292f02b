/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual layout of asm/config.h as data, so that the boot log can
 * show it and boot can prove that no two regions overlap, that all of
 * them sit inside the hypervisor's L4 slots, and that none straddles a
 * shared and a per-guest slot (asm/l4-slots.h): a region is either in
 * every address space or in one guest's.
 */
#include <asm/config.h>
#include <asm/l4-slots.h>
#include <asm/layout.h>
#include <xen/lib.h>

const struct layout_region xen_layout[] = {
    { "read-only M2P",     RO_MPT_VIRT_START,     RO_MPT_VIRT_END },
    { "guest linear PT",   LINEAR_PT_VIRT_START,  LINEAR_PT_VIRT_END },
    { "per-domain",        PERDOMAIN_VIRT_START,  PERDOMAIN_VIRT_END },
    { "read-write M2P",    RDWR_MPT_VIRT_START,   RDWR_MPT_VIRT_END },
    { "vmap",              VMAP_VIRT_START,       VMAP_VIRT_END },
    { "mapcache",          MAPCACHE_VIRT_START,   MAPCACHE_VIRT_END },
    { "fixmap",            FIXMAP_VIRT_START,     FIXMAP_VIRT_END },
    { "bootmap",           BOOTMAP_VIRT_START,    BOOTMAP_VIRT_END },
    { "image",             XEN_VIRT_START,        XEN_VIRT_END },
    { "self-test scratch", SCRATCH_VIRT_START,    SCRATCH_VIRT_END },
    { "frame table",       FRAMETABLE_VIRT_START, FRAMETABLE_VIRT_END },
    { "xenheap",           XENHEAP_VIRT_START,    XENHEAP_VIRT_END },
    { "page-to-virt",      PG2VIRT_VIRT_START,    PG2VIRT_VIRT_END },
    { "direct map",        DIRECTMAP_VIRT_START,  DIRECTMAP_VIRT_END },
};
const unsigned int xen_layout_nr = ARRAY_SIZE(xen_layout);

const char *layout_check(const struct layout_region *r, unsigned int nr)
{
    unsigned int i, slot;

    for ( i = 0; i < nr; i++ )
    {
        if ( r[i].start >= r[i].end )
            return r[i].name;
        if ( r[i].start < HYPERVISOR_VIRT_START ||
             r[i].end > HYPERVISOR_VIRT_END )
            return r[i].name;
        /* The table is kept in address order, so neighbours suffice. */
        if ( i && r[i].start < r[i - 1].end )
            return r[i].name;
        for ( slot = l4_table_offset(r[i].start);
              slot <= l4_table_offset(r[i].end - 1); slot++ )
            if ( l4_slot_is_per_guest(slot) !=
                 l4_slot_is_per_guest(l4_table_offset(r[i].start)) )
                return r[i].name;
    }

    return NULL;
}

void __init layout_init(void)
{
    const char *bad = layout_check(xen_layout, xen_layout_nr);
    unsigned int i;

    if ( bad )
        panic("virtual layout: region '%s' is empty, outside slots "
              "256-271, overlaps its neighbour or straddles a shared and "
              "a per-guest slot", bad);

    printk("Virtual layout (no region overlaps another):\n");
    for ( i = 0; i < xen_layout_nr; i++ )
    {
        unsigned int slot = l4_table_offset(xen_layout[i].start);

        printk(" %016lx-%016lx %-17s L4 %u%s\n", xen_layout[i].start,
               xen_layout[i].end - 1, xen_layout[i].name, slot,
               l4_slot_is_per_guest(slot) ? " (per guest)" : "");
    }
}
