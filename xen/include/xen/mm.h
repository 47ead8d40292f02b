/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_MM_H
#define XEN_MM_H

/*
 * Memory management: glossary, frame numbers, and the page allocators.
 *
 * Glossary
 *   maddr  machine (host-physical) address, paddr_t.
 *   mfn    machine frame number: maddr >> PAGE_SHIFT, type-safe mfn_t.
 *   pdx    index into the frame table. Xenon does not compress frame
 *          numbers: pdx == mfn. The frame table is populated only where
 *          RAM exists, so holes in the map cost virtual space, not memory
 *          (see docs/designs/directmap-removal.md).
 *   gfn    guest frame number (from milestone M4).
 *   page   struct page_info, one per RAM frame, in the frame table.
 *   permanently mapped
 *          a frame with a virtual address that stays valid until the
 *          frame is freed: image frames, xenheap pages, and frames the
 *          direct map covers (CONFIG_DIRECTMAP_SIZE_GB). Any other frame
 *          is reached with map_domain_page() (xen/domain_page.h).
 *
 * One allocator serves everything (the heap). Domheap pages have no
 * virtual address; xenheap pages are domheap pages given a permanent one.
 */

#include <xen/compiler.h>
#include <xen/types.h>
#include <asm/config.h>

typedef struct { unsigned long raw; } mfn_t;

#define INVALID_MFN_RAW (~0UL)
#define _mfn(x)    ((mfn_t){ (x) })
#define mfn_x(m)   ((m).raw)
#define INVALID_MFN _mfn(INVALID_MFN_RAW)

static inline bool mfn_eq(mfn_t a, mfn_t b)
{
    return mfn_x(a) == mfn_x(b);
}

static inline mfn_t mfn_add(mfn_t m, unsigned long n)
{
    return _mfn(mfn_x(m) + n);
}

#define maddr_to_mfn(ma) _mfn((paddr_t)(ma) >> PAGE_SHIFT)
#define mfn_to_maddr(mfn) ((paddr_t)mfn_x(mfn) << PAGE_SHIFT)

#define PRI_mfn "05lx"

/* Largest buddy order: 2^MAX_ORDER pages (1 GiB) in one allocation. */
#define MAX_ORDER 18

/*
 * Allocation flags. MEMF_bits(n): every frame must lie below 2^n bytes
 * (n >= PAGE_SHIFT + 1); 0 means no limit.
 */
#define _MEMF_bits   24
#define MEMF_bits(n) ((unsigned int)(n) << _MEMF_bits)
#define MEMF_get_bits(f) ((f) >> _MEMF_bits)
#define MEMF_no_scrub (1U << 0)  /* caller overwrites the pages anyway */

struct page_info;

/* ------------------------------------------------------------------------
 * Boot allocator: the RAM the loader gave us, minus what is in use
 * (the first MiB, the image, modules, the boot information). Boot CPU
 * only, before the heap exists; end_boot_allocator() hands what is left
 * to the heap.
 */
void init_boot_allocator(void);
/* nr frames aligned to align frames, or INVALID_MFN. Never freed. */
mfn_t alloc_boot_pages(unsigned long nr, unsigned long align);
void end_boot_allocator(void);
/* Frames the boot allocator still owns. */
unsigned long boot_pages_free(void);

/* ------------------------------------------------------------------------
 * Heap (xen/common/page_alloc.c).
 *
 * alloc_domheap_pages: 2^order contiguous frames, aligned to their size,
 * honouring MEMF_bits; NULL if none (or order > MAX_ORDER). The pages are
 * zeroed unless MEMF_no_scrub. Any context but NMI; takes the heap lock.
 * free_domheap_pages: returns them; buddies merge. Freed memory is
 * scrubbed (debug builds poison it and check the poison on reuse).
 */
struct page_info *alloc_domheap_pages(unsigned int order,
                                      unsigned int memflags);
void free_domheap_pages(struct page_info *pg, unsigned int order);
#define alloc_domheap_page(f) alloc_domheap_pages(0, f)
#define free_domheap_page(p)  free_domheap_pages(p, 0)

/* Frames [mfn, mfn + nr) join the heap (boot only). */
void init_heap_pages(mfn_t mfn, unsigned long nr);
/* Free frames in the heap, and those below 2^bits bytes (0: all). */
unsigned long avail_domheap_pages(void);
unsigned long avail_heap_pages_below(unsigned int bits);
/* Largest order for which a free block exists now (-1 if none). */
int heap_max_free_order(void);

/* ------------------------------------------------------------------------
 * Xenheap: domheap frames with a permanent, global virtual address (the
 * xenheap region of vmap, or the direct map where it covers the frames),
 * so pointers into them can be stashed. NULL on failure. Any context but
 * NMI.
 */
void *alloc_xenheap_pages(unsigned int order, unsigned int memflags);
/* va and order as allocated: anything else is a BUG in every build. */
void free_xenheap_pages(void *va, unsigned int order);

struct domain;
/*
 * A xenheap page d may map (shared_info, grant-table frames): d owns it
 * and holds its allocation reference; it sits on d's xenpage_list, where
 * the mapping census counts it as shared. unshare_xen_page(), at d's
 * destruction, also drops whatever d's page tables still held on it
 * (they were released without being walked).
 */
void share_xen_page_with_guest(void *va, struct domain *d);
void unshare_xen_page(void *va, struct domain *d);
#define alloc_xenheap_page() alloc_xenheap_pages(0, 0)
/* Pages allocated as xenheap now. */
extern unsigned long xenheap_pages;

/* Smallest order whose block holds size bytes (0 for 0). */
static inline unsigned int get_order_from_bytes(unsigned long size)
{
    if ( size <= PAGE_SIZE )
        return 0;
    return 64 - __builtin_clzl((size - 1) >> PAGE_SHIFT);
}
#define free_xenheap_page(v) free_xenheap_pages(v, 0)

/* ------------------------------------------------------------------------
 * The hypervisor's own mappings (xen/arch/x86/mm/xen-pagetables.c).
 *
 * map_pages_to_xen maps [virt, virt + nr pages) to [mfn, mfn + nr) with
 * flags (PAGE_HYPERVISOR_*, asm/page.h), replacing what was there, using
 * 1 GiB and 2 MiB pages where alignment and length allow and splitting
 * superpages where they do not. modify_xen_mappings changes the flags of
 * what is mapped in [s, e) (present mappings only); destroy_xen_mappings
 * unmaps [s, e), freeing page-table pages left empty (except in the vmap
 * and xenheap regions, which keep theirs). s and e page aligned. All
 * return 0 or -ENOMEM (page-table allocation failed; what was done stays
 * done). TLBs: map_pages_to_xen and modify_xen_mappings flush every CPU
 * for what they replaced; destroy_xen_mappings flushes this CPU, other
 * CPUs being the caller's business (vmap batches them); a freed table
 * is flushed from every CPU before it is freed. Page-table pages come
 * from the domheap and are touched only through the mapcache.
 */
int map_pages_to_xen(unsigned long virt, mfn_t mfn, unsigned long nr,
                     unsigned long flags);
int modify_xen_mappings(unsigned long s, unsigned long e, unsigned long flags);
int destroy_xen_mappings(unsigned long s, unsigned long e);
/*
 * destroy_xen_mappings(), and every frame it unmaps is stamped with the
 * flush clock as its leaf is cleared (mark_mfns_stale()): lazy unmapping
 * without looking the frames up first.
 */
int destroy_xen_mappings_stamped(unsigned long s, unsigned long e);

#endif /* XEN_MM_H */
