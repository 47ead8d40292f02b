/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_XMALLOC_H
#define XEN_XMALLOC_H

/*
 * xmalloc: small allocations on top of the xenheap.
 *
 * Requests up to XMALLOC_SLAB_MAX bytes come from power-of-two size
 * classes (16 bytes to 1 KiB), each served from xenheap pages that hold
 * objects of one class only; larger ones (or alignments above 1 KiB) take
 * whole xenheap pages. Allocation and free are O(1): a class keeps a list
 * of its pages with free slots, a page keeps a list of its free slots.
 * A page whose objects are all freed goes back to the heap at once, but
 * for one per class kept against churn; xmalloc_trim() releases those, so
 * when everything is freed and trimmed the pool holds nothing.
 *
 * Results are aligned to the larger of align and the class size (so at
 * least 16 bytes); align must be a power of two up to PAGE_SIZE, else the
 * request fails. A size of 0 fails (returns NULL). Memory is permanently
 * mapped (xenheap), so pointers may be stashed. Any context but NMI; the
 * pool disables interrupts while it updates its lists (SMP adds a lock).
 * xfree(NULL) does nothing; freeing anything not returned by xmalloc, or
 * twice, is a BUG (detected for slab objects, which carry a bitmap of
 * allocated slots).
 */
#include <xen/types.h>

#define XMALLOC_SLAB_MAX 1024

void *_xmalloc(size_t size, size_t align);
void *_xzalloc(size_t size, size_t align);
void xfree(void *p);

#define xmalloc(type)  ((type *)_xmalloc(sizeof(type), __alignof__(type)))
#define xzalloc(type)  ((type *)_xzalloc(sizeof(type), __alignof__(type)))
#define xmalloc_bytes(n) _xmalloc(n, 16)
#define xzalloc_bytes(n) _xzalloc(n, 16)

/* Arrays: NULL if n * sizeof(type) overflows. */
static inline void *_xmalloc_array(size_t size, size_t align, size_t n)
{
    return n && size > ~(size_t)0 / n ? NULL : _xmalloc(size * n, align);
}

static inline void *_xzalloc_array(size_t size, size_t align, size_t n)
{
    return n && size > ~(size_t)0 / n ? NULL : _xzalloc(size * n, align);
}

#define xmalloc_array(type, n) \
    ((type *)_xmalloc_array(sizeof(type), __alignof__(type), n))
#define xzalloc_array(type, n) \
    ((type *)_xzalloc_array(sizeof(type), __alignof__(type), n))

struct xmalloc_stats {
    unsigned long pool_pages;  /* slab pages held from the xenheap */
    unsigned long large_pages; /* pages of live large allocations */
    unsigned long objects;     /* live slab objects */
    unsigned long bytes;       /* bytes of live allocations, rounded up */
};
void xmalloc_get_stats(struct xmalloc_stats *st);

/* Returns the spare pages (one per class at most) to the heap. */
void xmalloc_trim(void);

#endif /* XEN_XMALLOC_H */
