/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The optional direct map: RAM below min(CONFIG_DIRECTMAP_SIZE_GB,
 * directmap=) mapped at DIRECTMAP_VIRT_START + maddr for good.
 *
 * Only RAM is mapped, never the holes between RAM ranges (MMIO must not
 * get a cacheable alias). With the default size of 0 nothing is mapped
 * and directmap_end_mfn stays 0, so every caller takes the mapcache or
 * vmap path.
 */
#include <asm/config.h>
#include <asm/e820.h>
#include <asm/pg2virt.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/param.h>

#define DIRECTMAP_REGION_BYTES (DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START)

/* directmap=<size>: lowers the configured size; ~0 means not given. */
static uint64_t opt_directmap = ~0ULL;
size_param("directmap", opt_directmap);

unsigned long directmap_bytes; /* what is mapped, for the report */

void __init directmap_init(void)
{
    uint64_t limit = GB(CONFIG_DIRECTMAP_SIZE_GB), top = 0;
    unsigned int i;

    if ( opt_directmap != ~0ULL )
    {
        if ( opt_directmap > limit )
            printk(XENLOG_WARNING "directmap=%#lx is above "
                   "CONFIG_DIRECTMAP_SIZE_GB (%u GiB): the boot option may "
                   "only lower it; keeping %u GiB\n", opt_directmap,
                   CONFIG_DIRECTMAP_SIZE_GB, CONFIG_DIRECTMAP_SIZE_GB);
        else
            limit = opt_directmap;
    }
    limit = min(ROUNDDOWN(limit, PAGE_SIZE), DIRECTMAP_REGION_BYTES);

    for ( i = 0; i < e820.nr_map && limit; i++ )
    {
        const struct e820entry *e = &e820.map[i];
        paddr_t s = ROUNDUP(e->addr, PAGE_SIZE);
        paddr_t end = min(ROUNDDOWN(e->addr + e->size, PAGE_SIZE), limit);

        if ( e->type != E820_RAM || s >= end )
            continue;
        if ( map_pages_to_xen(DIRECTMAP_VIRT_START + s, maddr_to_mfn(s),
                              (end - s) >> PAGE_SHIFT, PAGE_HYPERVISOR_RW) )
            panic("out of memory building the direct map");
        directmap_bytes += end - s;
        top = end;
    }

    directmap_end_mfn = top >> PAGE_SHIFT;
    /*
     * A buddy block is aligned to its size and holds RAM only: one that
     * starts below the end and reaches past it needs RAM above the end,
     * and starts at most 2^MAX_ORDER frames below it.
     */
    directmap_straddle_mfn = directmap_end_mfn;
    for ( i = 0; i < e820.nr_map; i++ )
        if ( e820.map[i].type == E820_RAM &&
             e820.map[i].addr + e820.map[i].size > top && top )
            directmap_straddle_mfn = ROUNDDOWN(directmap_end_mfn,
                                               1UL << MAX_ORDER);
    printk("Direct map: CONFIG_DIRECTMAP_SIZE_GB=%u, limit %lu MiB, "
           "%lu MiB of RAM mapped%s\n", CONFIG_DIRECTMAP_SIZE_GB,
           (unsigned long)(limit >> 20), directmap_bytes >> 20,
           directmap_bytes ? "" : " (no direct map)");
}
