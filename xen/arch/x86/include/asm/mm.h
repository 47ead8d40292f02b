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
 * page-to-virt array), not here. docs/designs/pv-readiness.md says why
 * each field is what it is.
 *
 * Frame numbers held in 32 bits (the list links, the owner) cap RAM at
 * MFN32_LIMIT frames, one short of what the frame table's 128 GiB could
 * describe, so that ~0U stays free to mean "none"; frame_table_init()
 * ignores RAM above it.
 */
#define MFN32_LIMIT      0xffffffffUL

/* Links on a page list (asm/page-list.h): mfns, or PAGE_LIST_NULL. */
struct page_list_entry {
    uint32_t next, prev;
};

struct page_info {
    struct page_list_entry list; /* free lists; owners' lists later */
    unsigned long count_info;    /* PGC_* flags, general reference count */
    unsigned long type_info;     /* PGT_* type, flags and type count */
    union {
        uint32_t owner;          /* in use: see asm/page-owner.h; 0: none */
        uint32_t order;          /* see page_get_order() */
    } v;
    /*
     * The TLB-flush clock when the frame stopped being mapped: valid with
     * PGC_need_tlbflush (free frames) and, from the PV issues on, for
     * pages whose type count is 0 (when their last typed use went away).
     */
    uint32_t tlbflush_timestamp;
};
BUILD_BUG_ON(sizeof(struct page_info) != 32);

/*
 * count_info: flags in the top bits, the general reference count (from
 * the PV issues on: one per mapping or pointer a guest or the hypervisor
 * holds on a guest-owned page) in the low PGC_count_width bits.
 *
 *  63-62 PGC_state_*        58 PGC_need_tlbflush
 *  61    PGC_poisoned       57 PGC_allocated
 *  60    PGC_xen_heap       56-52 reserved, 0
 *  59    PGC_pagetable      51-0  reference count
 *
 * Who writes the word: the heap, whole, while no one else can hold a
 * reference (free frames, and frames being handed out or given back by
 * their only holder); everyone else through page_set_flag() and
 * page_clear_flag() (locked, because another CPU may be changing the
 * count or another flag of the same word), and through cmpxchg loops
 * for the count.
 */
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
/* PV issues: the owner's own reference, dropped when the guest frees it. */
#define PGC_allocated    (1UL << 57)
#define PGC_count_width  52
#define PGC_count_mask   ((1UL << PGC_count_width) - 1)

/*
 * type_info (used from the PV issues on; 0 for every page until then):
 * what a guest uses the page as, and how many times.
 *
 *  63-61 type (PGT_type_mask): at most one at a time, and it changes
 *        only while the type count is 0
 *  60    PGT_validated  the contents were checked for the current type
 *  59    PGT_pinned     the owner pinned it (holds one type reference)
 *  58    PGT_partial    a table being devalidated in pieces (count 0;
 *        its entries still hold references: pv/devalidate.c)
 *  57    PGT_locked     serialises updates of a page-table page
 *  56    PGT_prevalidated  one general and one type reference held for
 *        a preempted validation of a tree above it (pv/prevalidate.c)
 *  55-52 reserved, 0
 *  51-0  type count: pins, references from higher-level tables, and
 *        for PGT_writable_page each writable mapping
 *
 * A page is a page table (l1-l4) or a descriptor page only while no
 * writable mapping of it exists: the writable type excludes the others.
 * PGT_l<n>_page_table is n << 61, so a table's type follows from its
 * level.
 */
#define PGT_type_shift   61
#define PGT_type_mask    (7UL << PGT_type_shift)
#define PGT_none         (0UL << PGT_type_shift)
#define PGT_l1_page_table (1UL << PGT_type_shift)
#define PGT_l2_page_table (2UL << PGT_type_shift)
#define PGT_l3_page_table (3UL << PGT_type_shift)
#define PGT_l4_page_table (4UL << PGT_type_shift)
#define PGT_seg_desc_page (5UL << PGT_type_shift) /* GDT or LDT frame */
#define PGT_writable_page (7UL << PGT_type_shift)
#define PGT_validated    (1UL << 60)
#define PGT_pinned       (1UL << 59)
#define PGT_partial_bit  58
#define PGT_partial      (1UL << PGT_partial_bit)
#define PGT_locked       (1UL << 57)
#define PGT_prevalidated_bit 56
#define PGT_prevalidated (1UL << PGT_prevalidated_bit)
#define PGT_count_width  52
#define PGT_count_mask   ((1UL << PGT_count_width) - 1)

/*
 * Flag changes on count_info outside the heap: locked read-modify-write
 * (lock or / lock and), so that they lose neither another CPU's flag
 * change nor its count update. flag: PGC_* flags only, not the state
 * or the count.
 */
static inline void page_set_flag(struct page_info *pg, unsigned long flag)
{
    __atomic_fetch_or(&pg->count_info, flag, __ATOMIC_SEQ_CST);
}

static inline void page_clear_flag(struct page_info *pg, unsigned long flag)
{
    __atomic_fetch_and(&pg->count_info, ~flag, __ATOMIC_SEQ_CST);
}

/*
 * v.order: the order of the block a page heads, recorded by whoever
 * handed the block out or keeps it: the heap for its free blocks (the
 * other pages of a free block hold its NOT_A_HEAD), xmalloc for its
 * large allocations, and the xenheap if it chooses to check the order
 * given to free_xenheap_pages(). v.owner shares the word, so a block
 * given an owner must not need its order recorded at the same time (in
 * practice: only order-0 xenheap pages are shared with guests, and
 * their order 0 reads as "no owner").
 */
static inline unsigned int page_get_order(const struct page_info *pg)
{
    return pg->v.order;
}

static inline void page_set_order(struct page_info *pg, unsigned int order)
{
    pg->v.order = order;
}

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
/* Every frame the table can describe has a 32-bit mfn. */
BUILD_BUG_ON(FRAMETABLE_NR > MFN32_LIMIT + 1);

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

/*
 * Is there a page_info for this frame (below max_page, in a chunk of the
 * frame table that holds RAM)? Inline: map_domain_page() asks it for
 * every frame below the direct map's end.
 */
#ifdef __XEN_HOST_TEST__
bool mfn_valid(mfn_t mfn);
#else
#define FRAMETABLE_CHUNK_FRAMES \
    ((1UL << L2_PAGE_SHIFT) / sizeof(struct page_info))
extern uint64_t frame_table_chunks[];

static inline bool mfn_valid(mfn_t mfn)
{
    unsigned long chunk = mfn_x(mfn) / FRAMETABLE_CHUNK_FRAMES;

    return mfn_x(mfn) < max_page &&
           ((frame_table_chunks[chunk / 64] >> (chunk % 64)) & 1);
}
#endif

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
