/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_PAGE_H
#define ASM_X86_PAGE_H

#include <asm/config.h>
#include <xen/types.h>

typedef uint64_t pgentry_t;

/* Page-table entry flags (4-level paging). */
#define _PAGE_PRESENT  0x001UL
#define _PAGE_RW       0x002UL
#define _PAGE_USER     0x004UL
#define _PAGE_PWT      0x008UL
#define _PAGE_PCD      0x010UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY    0x040UL
#define _PAGE_PSE      0x080UL
/* PAT selects the memory type with PCD and PWT: bit 7 in an L1 entry. */
#define _PAGE_PAT      0x080UL
#define _PAGE_PAT_LARGE 0x1000UL   /* the same bit of a superpage leaf */
#define _PAGE_GLOBAL   0x100UL
#define _PAGE_NX       (1UL << 63)

/*
 * Flags for map_pages_to_xen(). Accessed and dirty are preset so that the
 * CPU never writes the entries back.
 */
#define __PAGE_HYPERVISOR_BASE (_PAGE_PRESENT | _PAGE_ACCESSED)
#define PAGE_HYPERVISOR_RO     (__PAGE_HYPERVISOR_BASE | _PAGE_NX)
#define PAGE_HYPERVISOR_RW     (__PAGE_HYPERVISOR_BASE | _PAGE_RW | \
                                _PAGE_DIRTY | _PAGE_NX)
#define PAGE_HYPERVISOR_RX     (__PAGE_HYPERVISOR_BASE)
#define PAGE_HYPERVISOR_UC     (PAGE_HYPERVISOR_RW | _PAGE_PCD | _PAGE_PWT)
#define PAGE_HYPERVISOR        PAGE_HYPERVISOR_RW

/*
 * Flags as the CPU accepts them: NX is a reserved bit, and faults, on a
 * CPU without it. Set up by image_map_init().
 */
extern pgentry_t pte_flags_supported;
#define pte_flags(f) ((pgentry_t)(f) & pte_flags_supported)

/* Physical-address bits of an entry (up to 52-bit physical addresses). */
#define PTE_ADDR_MASK  0x000ffffffffff000UL

#define PAGETABLE_ENTRIES 512

/*
 * Where the leaf entry e at level (1: 4 KiB, 2: 2 MiB, 3: 1 GiB) starts:
 * in a superpage leaf, bit 12 is the PAT bit, not an address bit.
 */
static inline uint64_t leaf_maddr(pgentry_t e, unsigned int level)
{
    return e & PTE_ADDR_MASK & ~((1UL << (PAGE_SHIFT + 9 * (level - 1))) - 1);
}

#define l1_table_offset(va) (((unsigned long)(va) >> PAGE_SHIFT) & 511)
#define l2_table_offset(va) (((unsigned long)(va) >> L2_PAGE_SHIFT) & 511)
#define l3_table_offset(va) (((unsigned long)(va) >> L3_PAGE_SHIFT) & 511)
#define l4_table_offset(va) (((unsigned long)(va) >> L4_PAGE_SHIFT) & 511)

/* The hypervisor's L4 table, built by head.S. */
extern pgentry_t idle_pg_table[PAGETABLE_ENTRIES];

static inline void invlpg(const void *va)
{
    __asm__ __volatile__ ( "invlpg (%0)" :: "r" (va) : "memory" );
}

static inline unsigned long read_cr3(void)
{
    unsigned long cr3;

    __asm__ __volatile__ ( "mov %%cr3, %0" : "=r" (cr3) );
    return cr3;
}

static inline void write_cr3(unsigned long cr3)
{
    __asm__ __volatile__ ( "mov %0, %%cr3" :: "r" (cr3) : "memory" );
}

#endif /* ASM_X86_PAGE_H */
