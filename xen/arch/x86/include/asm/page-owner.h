/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_PAGE_OWNER_H
#define ASM_X86_PAGE_OWNER_H

/*
 * The owner of a page: the domain a frame belongs to, from the PV issues
 * on. struct domain stays opaque here.
 *
 * page_info has 32 bits for it (v.owner, asm/mm.h), not a pointer, so
 * the owner is kept as the frame of the page its struct domain starts,
 * plus one (0: no owner), and mfn_to_virt() finds it again in O(1). So
 * every struct domain, pseudo-domains included, is a xenheap page of
 * its own: page aligned, and at the one address mfn_to_virt() gives
 * for that frame (an object in the image is not: with a direct map,
 * its frame reads back as the direct-map alias). Debug builds check the
 * round trip when an owner is set. Any frame the frame table describes
 * fits: mfns stop below MFN32_LIMIT, so the +1 never wraps.
 *
 * v.owner shares its word with v.order: setting an owner overwrites a
 * recorded order, and clearing it leaves 0, which reads as order 0.
 */

#include <asm/atomic.h>
#include <asm/mm.h>
#include <asm/pg2virt.h>
#include <xen/lib.h>

struct domain;

/* The pickling, both ways: the only code that knows the encoding. */
static inline uint32_t page_owner_pickle(const struct domain *d)
{
    mfn_t mfn;

    if ( !d )
        return 0;
    ASSERT(!((unsigned long)d & ~PAGE_MASK));
    mfn = virt_to_mfn(d);
    ASSERT(mfn_x(mfn) < MFN32_LIMIT);
    ASSERT(mfn_to_virt(mfn) == d);

    return mfn_x(mfn) + 1;
}

static inline struct domain *page_owner_unpickle(uint32_t v)
{
    return v ? mfn_to_virt(_mfn(v - 1)) : NULL;
}

static inline struct domain *page_get_owner(const struct page_info *pg)
{
    return page_owner_unpickle(read_atomic(&pg->v.owner));
}

static inline void page_set_owner(struct page_info *pg,
                                  const struct domain *d)
{
    write_atomic(&pg->v.owner, page_owner_pickle(d));
}

#endif /* ASM_X86_PAGE_OWNER_H */
