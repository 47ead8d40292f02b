/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine-to-phys table (asm/m2p.h has the contract).
 *
 * One page of table covers 512 frames (2 MiB of RAM). At boot each such
 * page whose range holds RAM gets a heap frame, filled with
 * M2P_INVALID, mapped read-write in the hypervisor's view and
 * read-only, user-readable in the guests' one; the others stay
 * unmapped, so the cost follows RAM, not the span of physical
 * addresses. A bitmap records which pages exist.
 */
#include <asm/atomic.h>
#include <asm/mm.h>
#include <xen/bitops.h>
#include <xen/domain_page.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/string.h>
#include <xen/xmalloc.h>
#include <asm/e820.h>
#include <asm/m2p.h>
#include <asm/page.h>

#define ENTRIES_PER_PAGE (PAGE_SIZE / sizeof(unsigned long))

static unsigned long *const m2p_rw = (unsigned long *)RDWR_MPT_VIRT_START;
static unsigned long m2p_entries;   /* frames the table spans */
static unsigned long nr_m2p_pages;  /* pages present */
static unsigned long *m2p_present;  /* bit n: table page n exists */

unsigned long m2p_size_bytes(void)
{
    return m2p_entries * sizeof(unsigned long);
}

unsigned long m2p_pages(void)
{
    return nr_m2p_pages;
}

static bool page_present(unsigned long idx)
{
    return idx < m2p_entries / ENTRIES_PER_PAGE &&
           test_bit(idx, m2p_present);
}

bool m2p_va_backed(unsigned long va)
{
    unsigned long base = va >= RDWR_MPT_VIRT_START ? RDWR_MPT_VIRT_START
                                                   : RO_MPT_VIRT_START;

    return page_present((va - base) >> PAGE_SHIFT);
}

/* Does any RAM lie in [s, e)? */
static bool range_has_ram(paddr_t s, paddr_t e)
{
    unsigned int i;

    for ( i = 0; i < e820.nr_map; i++ )
        if ( e820.map[i].type == E820_RAM &&
             e820.map[i].addr < e && e820.map[i].addr + e820.map[i].size > s )
            return true;

    return false;
}

void __init m2p_init(void)
{
    unsigned long idx, nr_idx;

    m2p_entries = ROUNDUP(max_page, ENTRIES_PER_PAGE);
    nr_idx = m2p_entries / ENTRIES_PER_PAGE;
    if ( m2p_size_bytes() > RDWR_MPT_VIRT_END - RDWR_MPT_VIRT_START )
        panic("M2P: %lu frames do not fit its 256 GiB", max_page);
    m2p_present = xzalloc_array(unsigned long, BITS_TO_LONGS(nr_idx));
    if ( !m2p_present )
        panic("M2P: no memory for its bitmap");

    for ( idx = 0; idx < nr_idx; idx++ )
    {
        paddr_t s = (paddr_t)idx * ENTRIES_PER_PAGE << PAGE_SHIFT;
        struct page_info *pg;
        unsigned long off = idx << PAGE_SHIFT;
        unsigned long *p;

        if ( !range_has_ram(s, s + (ENTRIES_PER_PAGE << PAGE_SHIFT)) )
            continue;
        pg = alloc_domheap_page(0);
        if ( !pg )
            panic("M2P: out of memory");
        p = map_domain_page(page_to_mfn(pg));
        memset(p, 0xff, PAGE_SIZE);           /* M2P_INVALID */
        unmap_domain_page(p);
        if ( map_pages_to_xen(RDWR_MPT_VIRT_START + off, page_to_mfn(pg), 1,
                              PAGE_HYPERVISOR_RW) ||
             map_pages_to_xen(RO_MPT_VIRT_START + off, page_to_mfn(pg), 1,
                              PAGE_HYPERVISOR_RO | _PAGE_USER) )
            panic("M2P: cannot map table page %lu", idx);
        set_bit(idx, m2p_present);
        nr_m2p_pages++;
    }

    printk("M2P: %lu entries, %lu KiB of table present (%lu KiB spanned)\n",
           m2p_entries, nr_m2p_pages << (PAGE_SHIFT - 10),
           m2p_size_bytes() >> 10);
}

unsigned long m2p_table_mfn(unsigned long off)
{
    unsigned int level;
    pgentry_t e;

    if ( !page_present(off >> PAGE_SHIFT) )
        return 0;
    e = xen_pagetable_lookup(RDWR_MPT_VIRT_START + off, &level);
    return leaf_maddr(e, level) >> PAGE_SHIFT;
}

void set_gpfn_from_mfn(mfn_t mfn, unsigned long pfn)
{
    unsigned long m = mfn_x(mfn);

    BUG_ON(!page_present(m / ENTRIES_PER_PAGE));
    write_atomic(&m2p_rw[m], pfn);
}

unsigned long get_gpfn_from_mfn(mfn_t mfn)
{
    unsigned long m = mfn_x(mfn);

    if ( !page_present(m / ENTRIES_PER_PAGE) )
        return M2P_INVALID;
    return read_atomic(&m2p_rw[m]);
}
