/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixmap (asm/fixmap.h): one L1 table in the image, under the
 * bootmap window's L2, which head.S put in the image as well.
 */
#include <asm/fixmap.h>
#include <asm/page.h>
#include <xen/flushtlb.h>
#include <xen/init.h>
#include <xen/lib.h>

static pgentry_t l1_fixmap[PAGETABLE_ENTRIES]
    __aligned(PAGE_SIZE) __section(".bss.page_aligned");

extern pgentry_t l2_bootmap[PAGETABLE_ENTRIES]; /* head.S */

/* One L1 covers the region, and it sits under the bootmap's L2. */
BUILD_BUG_ON(FIXMAP_SLOTS != PAGETABLE_ENTRIES);
BUILD_BUG_ON(FIXMAP_VIRT_START & ((1UL << L2_PAGE_SHIFT) - 1));
BUILD_BUG_ON(l3_table_offset(FIXMAP_VIRT_START) !=
             l3_table_offset(BOOTMAP_VIRT_START));
BUILD_BUG_ON(l4_table_offset(FIXMAP_VIRT_START) !=
             l4_table_offset(XEN_VIRT_START));

void __init fixmap_init(void)
{
    l2_bootmap[l2_table_offset(FIXMAP_VIRT_START)] =
        __pa_image(l1_fixmap) | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED;
}

void set_fixmap(enum fixed_addresses idx, mfn_t mfn, unsigned long flags)
{
    BUG_ON(idx >= FIX_NR || (l1_fixmap[idx] & _PAGE_PRESENT));
    write_atomic(&l1_fixmap[idx], mfn_to_maddr(mfn) |
                                  pte_flags(flags | _PAGE_PRESENT));
}

void clear_fixmap(enum fixed_addresses idx)
{
    unsigned long va = (unsigned long)fix_to_virt(idx);

    BUG_ON(idx >= FIX_NR);
    write_atomic(&l1_fixmap[idx], 0);
    invlpg((void *)va);
    flush_area_others(va, 1);
}
