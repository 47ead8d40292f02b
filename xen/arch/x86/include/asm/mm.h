/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_MM_H
#define ASM_X86_MM_H

#include <asm/page.h>
#include <xen/mm.h>

/*
 * struct page_info: one per RAM frame, in the frame table at
 * FRAMETABLE_VIRT_START, indexed by pdx (== mfn). Kept at 32 bytes, a
 * power of two, so the table's pages hold whole entries and the index
 * is a shift. Tracking of virtual addresses lives elsewhere (the
 * page-to-virt array), not here.
 */
struct page_list_entry {
    struct page_info *next, *prev;
};

struct page_info {
    struct page_list_entry list; /* free lists; later, owner lists */
    unsigned long count_info;    /* PGC_* flags; later, reference count */
    union {
        uint32_t order;          /* free: order of the block it heads */
        uint32_t type_info;      /* later: page types */
    } u;
    uint32_t tlbflush_timestamp; /* PGC_need_tlbflush: flush clock then */
};

/* count_info flags. */
#define PGC_state_shift  62
#define PGC_state_mask   (3UL << PGC_state_shift)
#define PGC_state_inuse  (0UL << PGC_state_shift)
#define PGC_state_free   (1UL << PGC_state_shift)
#define PGC_state_offline (2UL << PGC_state_shift) /* not RAM, or reserved */
#define PGC_poisoned     (1UL << 61)  /* debug: free and filled with poison */
#define PGC_xen_heap     (1UL << 60)  /* a xenheap page */
#define PGC_pagetable    (1UL << 59)  /* a page table of the hypervisor's */
/*
 * Freed while some CPU may still hold a stale translation of it (lazy
 * unmap); tlbflush_timestamp says since when. The heap flushes those
 * CPUs before handing the frame out again (xen/flushtlb.h).
 */
#define PGC_need_tlbflush (1UL << 58)

#define page_state_is(pg, st) \
    (((pg)->count_info & PGC_state_mask) == PGC_state_##st)

#ifdef __XEN_HOST_TEST__
/* Host unit tests (tools/tests/unit) supply a table in their own memory. */
extern struct page_info *host_frame_table;
#define frame_table host_frame_table
#else
#define frame_table ((struct page_info *)FRAMETABLE_VIRT_START)
#endif

/* Frames the frame table can describe: its region divided by entries. */
#define FRAMETABLE_NR \
    ((FRAMETABLE_VIRT_END - FRAMETABLE_VIRT_START) / sizeof(struct page_info))

/* One past the highest RAM frame; set when the frame table is built. */
extern unsigned long max_page;

static inline struct page_info *mfn_to_page(mfn_t mfn)
{
    return frame_table + mfn_x(mfn);
}

static inline mfn_t page_to_mfn(const struct page_info *pg)
{
    return _mfn(pg - frame_table);
}

/* Is there a page_info for this frame (a RAM frame below max_page)? */
bool mfn_valid(mfn_t mfn);

/* For the mapping audit: is va in a populated chunk of the frame table? */
bool frame_table_va_populated(unsigned long va);

/* ------------------------------------------------------------------------
 * Set-up and bookkeeping of the mm layer (boot CPU, in this order).
 */

/* 1 GiB pages if offered; fixes the hypervisor's L4 entries for good. */
void xen_pagetables_init(void);
/* Maps and clears the frame table for every RAM range; sets max_page. */
void frame_table_init(void);
/* With the heap up: the tracking arrays for the same ranges. */
void frame_table_init_late(void);

/*
 * A zeroed page-table page for tables the caller hooks in itself (the
 * mapcache's L1 pages), counted like the others; INVALID_MFN if none.
 */
mfn_t alloc_xen_pagetable_page(void);

/* Set once the heap serves page tables (after end_boot_allocator()). */
extern bool mm_heap_ready;
/*
 * Hypervisor page-table pages in use, boot and heap ones together (the
 * tables of the vmap and xenheap regions stay once made).
 */
extern unsigned long xen_pagetable_pages;

/* Free frames: what the self-tests compare across balanced work. */
static inline unsigned long mm_free_frames(void)
{
    return avail_domheap_pages();
}
/* The CPU offers 1 GiB pages (map_pages_to_xen uses them). */
extern bool cpu_has_page1gb;
/* Bytes of RAM backing the frame table. */
extern unsigned long frame_table_bytes;

/*
 * The leaf entry mapping va in the hypervisor's tables, and its level
 * (1: 4 KiB, 2: 2 MiB, 3: 1 GiB) in *level; 0 if va is not mapped.
 */
pgentry_t xen_pagetable_lookup(unsigned long va, unsigned int *level);

#endif /* ASM_X86_MM_H */
