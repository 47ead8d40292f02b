/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The bootmap window: 512 4 KiB slots at BOOTMAP_VIRT_START, backed by
 * one L1 table inside the image (head.S hooks it into the page tables),
 * so it works before any allocator. Slots are handed out first-fit from
 * a bitmap; a mapping is contiguous in virtual space even when it spans
 * several frames.
 */
#include <asm/bootmap.h>
#include <asm/page.h>
#include <xen/lib.h>

extern pgentry_t l1_bootmap[PAGETABLE_ENTRIES];

/* Bit n set: slot n holds a mapping. Boot CPU only, so no lock. */
static uint64_t slot_used[BOOTMAP_SLOTS / 64];

static bool slot_is_used(unsigned int slot)
{
    return slot_used[slot / 64] & (1UL << (slot % 64));
}

static void slot_set(unsigned int slot, bool used)
{
    if ( used )
        slot_used[slot / 64] |= 1UL << (slot % 64);
    else
        slot_used[slot / 64] &= ~(1UL << (slot % 64));
}

/* First run of nr free slots, or BOOTMAP_SLOTS if there is none. */
static unsigned int find_free_run(unsigned int nr)
{
    unsigned int start = 0, len = 0, slot;

    for ( slot = 0; slot < BOOTMAP_SLOTS; slot++ )
    {
        if ( slot_is_used(slot) )
        {
            start = slot + 1;
            len = 0;
            continue;
        }
        if ( ++len == nr )
            return start;
    }

    return BOOTMAP_SLOTS;
}

static unsigned int pages_spanned(paddr_t pa, size_t len)
{
    return ((pa & ~PAGE_MASK) + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

static void *map_slots(paddr_t pa, size_t len, pgentry_t flags)
{
    unsigned int nr = pages_spanned(pa, len ? len : 1);
    unsigned int first = find_free_run(nr), i;
    paddr_t frame = pa & PAGE_MASK;

    if ( first == BOOTMAP_SLOTS )
        panic("bootmap: no room for %u pages at %#lx (%u slots in use)",
              nr, pa, bootmap_slots_used());
    BUG_ON(frame & ~PTE_ADDR_MASK);

    for ( i = 0; i < nr; i++ )
    {
        slot_set(first + i, true);
        l1_bootmap[first + i] = (frame + ((paddr_t)i << PAGE_SHIFT)) | flags;
    }

    return (void *)(BOOTMAP_VIRT_START + ((unsigned long)first << PAGE_SHIFT) +
                    (pa & ~PAGE_MASK));
}

/* Firmware tables and registers are data: never run them. */
void *bootmap_map(paddr_t pa, size_t len)
{
    return map_slots(pa, len, pte_flags(_PAGE_PRESENT | _PAGE_RW | _PAGE_NX));
}

/*
 * Device registers must not be cached: a cached read would return a stale
 * status, and writes could be combined or delayed.
 */
void *bootmap_map_registers(paddr_t pa, size_t len)
{
    return map_slots(pa, len, pte_flags(_PAGE_PRESENT | _PAGE_RW | _PAGE_NX |
                                        _PAGE_PCD | _PAGE_PWT));
}

void bootmap_unmap(const void *va, size_t len)
{
    unsigned long addr = (unsigned long)va;
    unsigned int first = (addr - BOOTMAP_VIRT_START) >> PAGE_SHIFT;
    unsigned int nr = pages_spanned(addr, len ? len : 1), i;

    BUG_ON(addr < BOOTMAP_VIRT_START || first + nr > BOOTMAP_SLOTS);

    for ( i = 0; i < nr; i++ )
    {
        ASSERT(slot_is_used(first + i));
        l1_bootmap[first + i] = 0;
        slot_set(first + i, false);
        invlpg((void *)(BOOTMAP_VIRT_START +
                        ((unsigned long)(first + i) << PAGE_SHIFT)));
    }
}

unsigned int bootmap_slots_used(void)
{
    unsigned int i, n = 0;

    for ( i = 0; i < BOOTMAP_SLOTS; i++ )
        n += slot_is_used(i);

    return n;
}

bool bootmap_va_in_use(unsigned long va)
{
    return va >= BOOTMAP_VIRT_START && va < BOOTMAP_VIRT_END &&
           slot_is_used((va - BOOTMAP_VIRT_START) >> PAGE_SHIFT);
}
