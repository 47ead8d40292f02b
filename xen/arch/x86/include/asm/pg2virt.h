/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_PG2VIRT_H
#define ASM_X86_PG2VIRT_H

/*
 * Conversions between frames and their permanent virtual addresses,
 * without a direct map and without growing struct page_info.
 *
 * A frame has a permanent address if it is
 *   - an image frame:      XEN_VIRT_START + (maddr - xen_phys_start);
 *   - below the direct map's end: DIRECTMAP_VIRT_START + maddr;
 *   - a xenheap page mapped through vmap: recorded in two arrays in the
 *     page-to-virt region (PG2VIRT_VIRT_START):
 *       pg2virt[mfn]  = xenheap page index + 1 (0: none), 4 bytes a frame;
 *       xh2mfn[index] = mfn, 4 bytes a xenheap page (the reverse).
 * The forward array is populated at boot for every chunk of the frame
 * table (4 bytes a frame); the reverse array in 4 KiB pieces as the
 * xenheap region is used. Both stay mapped (tracking arrays are a
 * permitted class of the mapping audit). 32-bit entries cover 2^32 frames, 16 TiB of RAM, the
 * same limit as the frame table.
 *
 * All conversions are O(1). __va()/mfn_to_virt() of a frame with no
 * permanent address is a bug: debug builds stop with a message naming
 * the frame and the caller; release builds return NULL.
 */
#include <asm/mm.h>

#define PG2VIRT_ARRAY  ((uint32_t *)PG2VIRT_VIRT_START)
#define XH2MFN_ARRAY   ((uint32_t *)(PG2VIRT_VIRT_START + \
                                     (PG2VIRT_VIRT_END - PG2VIRT_VIRT_START) / 2))

/*
 * Frames below this are direct-mapped, if RAM (0: no direct map). Set by
 * directmap_init() from CONFIG_DIRECTMAP_SIZE_GB and "directmap=".
 */
extern unsigned long directmap_end_mfn;
/*
 * The lowest frame that may belong to a xenheap block reaching past the
 * direct map's end (directmap_end_mfn if no RAM lies beyond the end).
 */
extern unsigned long directmap_straddle_mfn;
extern unsigned long directmap_bytes;
void directmap_init(void);

/* Is this an image frame (mapped at its offset from XEN_VIRT_START)? */
bool mfn_in_image(mfn_t mfn);

/* Is va inside the direct map's region (mapped or not)? */
static inline bool va_in_directmap(unsigned long va)
{
    return va >= DIRECTMAP_VIRT_START && va < DIRECTMAP_VIRT_END;
}

/* Is this frame mapped by the direct map (RAM below its end)? */
static inline bool mfn_in_directmap(mfn_t mfn)
{
    return mfn_x(mfn) < directmap_end_mfn && mfn_valid(mfn) &&
           !page_state_is(mfn_to_page(mfn), offline);
}

/* Populates the forward array for frames [first, first + nr) (boot). */
void pg2virt_init(mfn_t first, unsigned long nr);

/* Records (or with va 0, forgets) a xenheap page's address. */
int pg2virt_set(mfn_t mfn, unsigned long va);

/* The permanent address of a frame, or NULL (debug: BUG) if none. */
void *mfn_to_virt(mfn_t mfn);
/* The frame behind a permanent address (image, direct map, xenheap). */
mfn_t virt_to_mfn(const void *va);

/* Does this frame have a permanent address? */
bool mfn_has_virt(mfn_t mfn);

#define page_to_virt(pg) mfn_to_virt(page_to_mfn(pg))
#define virt_to_page(va) mfn_to_page(virt_to_mfn(va))
#define __va(pa) ((void *)((unsigned long)mfn_to_virt(maddr_to_mfn(pa)) + \
                           ((paddr_t)(pa) & ~PAGE_MASK)))
#define __pa(va) (mfn_to_maddr(virt_to_mfn(va)) + \
                  ((unsigned long)(va) & ~PAGE_MASK))

/* Bytes of RAM the two arrays use now. */
extern unsigned long pg2virt_bytes;

/* For the mapping audit: is this page of either array meant to be backed? */
bool pg2virt_va_populated(unsigned long va);

#endif /* ASM_X86_PG2VIRT_H */
