/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_VMAP_H
#define XEN_VMAP_H

/*
 * Global mappings: a virtual-address allocator with guard pages, and the
 * mapping services built on it (xen/common/vmap.c).
 *
 * Two regions are managed, each a range of page-sized slots:
 *   VMAP_DEFAULT  [VMAP_VIRT_START, VMAP_VIRT_END)       64 GiB
 *                 vmap(), vmalloc(), ioremap(), global domain mappings;
 *   VMAP_XENHEAP  [XENHEAP_VIRT_START, XENHEAP_VIRT_END) 512 GiB
 *                 addresses for alloc_xenheap_pages() (xen/common/xenheap.c
 *                 maps the frames itself and uses vm_alloc()/vm_free()).
 *
 * Every allocation is followed by a guard page that is never mapped and
 * never handed out, and the first page of each region is never handed out
 * either, so each allocation has an unmapped page on both sides: running
 * off either end faults instead of reaching a neighbour.
 *
 * The bookkeeping is one bit per page (set: inside an allocation). The
 * bitmaps of both regions live at the start of the VMAP_DEFAULT region,
 * which reserves their full virtual size (18 MiB) up front but backs it
 * with frames only as far as the regions have been used: one bitmap page
 * (4 KiB) per 128 MiB of a region, taken from the domheap on demand and
 * never given back. Keeping the xenheap region's bitmap out of the
 * xenheap region means every frame mapped there is a xenheap page.
 *
 * Context: any CPU, not from interrupt or NMI context, nothing held that
 * the page allocator or map_pages_to_xen() takes (xenheap allocation,
 * which uses vm_alloc()/vm_free() on VMAP_XENHEAP, may also come from
 * interrupt handlers). Each region has its own interrupt-safe lock.
 *
 * TLB rule: an address range is given back to the allocator, and a frame
 * to the heap, only after its mapping is destroyed and every CPU that may
 * hold its translation has flushed: this CPU by destroy_xen_mappings(),
 * the others either at once (eager) or lazily, in batches, through the
 * TLB-flush clock (see vmap.c and xen/flushtlb.h).
 */

#include <xen/mm.h>
#include <xen/types.h>

#ifndef __iomem
#define __iomem /* a mapping of device memory: uncached, MMIO accessors */
#endif

enum vmap_region {
    VMAP_DEFAULT,
    VMAP_XENHEAP,
    VMAP_REGION_NR
};

/*
 * Sets up both regions and backs the first bitmap page of each (two
 * domheap frames). Needs the heap and map_pages_to_xen(); panics if they
 * cannot provide those. Boot CPU, once. Until it has run, every
 * allocation below fails (returns NULL).
 */
void vm_init(void);

/* ------------------------------------------------------------------------
 * The address allocator. Nothing is mapped or unmapped here.
 */

/*
 * nr pages of virtual address space in region r, the start aligned to
 * align pages (a power of two; 0 counts as 1) in absolute terms, followed
 * by an unmapped guard page. First fit: the lowest suitable address.
 * Returns NULL if nr is 0, align is not a power of two, the region has no
 * room, or a bitmap page could not be had.
 */
void *vm_alloc(unsigned int nr, unsigned int align, enum vmap_region r);

/*
 * Gives back the range that vm_alloc() returned at va (its guard with it).
 * The caller must already have destroyed any mapping in the range and
 * flushed the TLBs that could hold it. NULL is ignored; an address that
 * is not the start of an allocation is reported (WARN) and ignored, with
 * nothing changed.
 */
void vm_free(const void *va);

/*
 * Pages of the allocation that starts at va in region r (its guard not
 * counted); 0 if va is not the start of an allocation of that region.
 */
unsigned int vm_size(const void *va, enum vmap_region r);

/* ------------------------------------------------------------------------
 * Mappings
 */

/*
 * Maps nr pieces of granularity contiguous frames each, piece i starting
 * at frame mfn[i], one after the other into a fresh range of region r
 * aligned to align pages, with flags (PAGE_HYPERVISOR_*). Returns the
 * address of the first page, or NULL (nothing left mapped or allocated)
 * if granularity or nr is 0, the total does not fit in unsigned int
 * pages, space or page-table memory ran out. The frames are not
 * referenced or owned: the caller keeps them alive until vunmap().
 */
void *__vmap(const mfn_t *mfn, unsigned int granularity, unsigned int nr,
             unsigned int align, unsigned long flags, enum vmap_region r);

/* nr single frames, read-write, in VMAP_DEFAULT. */
void *vmap(const mfn_t *mfn, unsigned int nr);

/*
 * Undoes __vmap()/vmap() (either region): unmaps, flushes, then gives the
 * range back. The frames stay the caller's, who may free them at once:
 * with lazy unmapping they are stamped with the flush clock, and the
 * heap flushes every CPU that may still hold them before reusing them.
 * NULL is ignored; an address that is not the start of a mapping is
 * reported (WARN) and ignored.
 */
void vunmap(const void *va);

/*
 * size bytes (rounded up to pages) of fresh domheap frames, mapped
 * read-write, non-executable, contiguous in VMAP_DEFAULT (the frames need
 * not be contiguous). vmalloc() leaves the contents undefined, vzalloc()
 * zeroes them. NULL if size is 0 or memory or space ran out (then nothing
 * is leaked).
 */
void *vmalloc(size_t size);
void *vzalloc(size_t size);

/*
 * Frees what vmalloc()/vzalloc() returned: the frames are found by
 * reading the page tables (xen_pagetable_lookup()), the mappings are
 * destroyed and flushed, and only then do the frames go back to the heap
 * and the range to the allocator. NULL is ignored; anything else that is
 * not a vmalloc() address is a bug in the caller: reported (WARN) and
 * ignored if it is not the start of an allocation.
 */
void vfree(void *va);

/*
 * Maps the physical range [pa, pa + len) uncached (PAGE_HYPERVISOR_UC)
 * and returns the address of pa itself (pa need not be page aligned).
 * NULL if len is 0, the range wraps, or space ran out. iounmap() takes
 * that address (or any address in the first page of the mapping).
 */
void __iomem *ioremap(paddr_t pa, size_t len);
void iounmap(void __iomem *va);

/*
 * A mapping of one frame that every CPU can use, held until
 * unmap_domain_page_global(): for long-lived references to guest frames
 * (vcpu_info, event channel pages). The direct-map address is returned
 * when the direct map covers the frame (unmapping it is then a no-op);
 * otherwise the frame is mapped read-write in VMAP_DEFAULT. NULL if space
 * or page-table memory ran out.
 */
void *map_domain_page_global(mfn_t mfn);
void unmap_domain_page_global(const void *va);

/* ------------------------------------------------------------------------
 * Accounting, for the mm audit and the tests
 */
struct vm_stats {
    unsigned long nr_pages;     /* size of the region, in pages */
    unsigned long reserved;     /* pages at its start held back for good */
    unsigned long pages;        /* pages in allocations, guards excluded */
    unsigned long allocations;  /* allocations live */
    unsigned long top;          /* pages [0, top) are described by frames */
    unsigned long bitmap_pages; /* frames backing this region's bitmap */
};

/* A snapshot of region r (all zero before vm_init()). */
void vm_get_stats(enum vmap_region r, struct vm_stats *st);

/*
 * Lazy unmapping (default true): vunmap()/vfree() queue ranges for a
 * batched, clock-filtered shootdown instead of an IPI each. vmap_purge()
 * settles the queue now. The bench switches it to compare.
 */
extern bool vmap_lazy;
void vmap_purge(void);
/*
 * Purges that gave ranges back so far, counted before any is given back:
 * a range seen waiting in the purge list is not reused while this stays
 * the same (the self-tests' proof that an address was not handed out).
 */
extern unsigned long vmap_purges;

/* ------------------------------------------------------------------------
 * Set-up of one region, used by vm_init() and by the host unit tests,
 * which drive the allocator with their own memory.
 */

/* Pages of a region one bitmap page describes (128 MiB of addresses). */
#define VM_PAGES_PER_BITMAP_PAGE (PAGE_SIZE * 8)

/* Bitmap pages a region of nr_pages needs at most. */
#define VM_BITMAP_PAGES(nr_pages) \
    (((nr_pages) + VM_PAGES_PER_BITMAP_PAGE - 1) / VM_PAGES_PER_BITMAP_PAGE)

struct vm_backend {
    /*
     * Makes the page at va (page aligned, inside a region's bitmap)
     * readable and writable; its contents need not be zero. Returns 0 or
     * -ENOMEM. Called only for pages not provided before, in ascending
     * order, and never undone.
     */
    int (*map_bitmap_page)(void *va);
};

/*
 * (Re)initialises region r: page 0 of the region is at base, it spans
 * nr_pages (at least 3), its bitmap lives at bitmap (page aligned, room
 * for VM_BITMAP_PAGES(nr_pages) pages, mapped through backend as needed),
 * and its first reserved pages (< nr_pages - 2) are held back for good,
 * as if allocated. Whatever the region held before is forgotten.
 * Returns 0, -EINVAL for a bad geometry, or the backend's error.
 */
int vm_region_init(enum vmap_region r, unsigned long base,
                   unsigned long nr_pages, unsigned long *bitmap,
                   unsigned long reserved, const struct vm_backend *backend);

/* ------------------------------------------------------------------------
 * For the mapping audit: what may be mapped at an address of either region
 */
enum vm_va_state {
    VM_VA_OUTSIDE,   /* in neither region (or before vm_init()) */
    VM_VA_FREE,      /* in no allocation: nothing may be mapped */
    VM_VA_ALLOCATED, /* in a live allocation */
    VM_VA_UNMAPPED,  /* in a range vunmap()ed and waiting for the purge:
                        already unmapped, the PTEs went at unmap time */
    VM_VA_BITMAP,    /* in the reserved head, on a backed bitmap page */
    VM_VA_RESERVED,  /* in the reserved head, past the backed bitmap */
};

/*
 * The state of the page at va, under the region's lock (and the purge
 * list's). Any CPU, not from interrupt context; an answer about a range
 * another CPU is changing is stale as soon as it is given.
 */
enum vm_va_state vm_va_state(unsigned long va);

#endif /* XEN_VMAP_H */
