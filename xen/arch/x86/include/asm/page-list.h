/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_PAGE_LIST_H
#define ASM_X86_PAGE_LIST_H

/*
 * Doubly linked lists of pages, threaded through page_info.list.
 *
 * The links in a page are 32-bit frame numbers, not pointers, which is
 * what keeps struct page_info at 32 bytes (asm/mm.h); PAGE_LIST_NULL ends
 * a list in both directions. A head is two ordinary pointers, to the
 * first and the last page, both NULL when the list is empty.
 *
 * Invariants: a page is on at most one list at a time, and its links
 * mean nothing while it is on none (page_list_del() resets them to
 * PAGE_LIST_NULL, so a stale walk ends instead of wandering). Only frames
 * below MFN32_LIMIT can be linked; the frame table holds no others.
 *
 * No locking here: whoever owns a list serialises its changes (the heap
 * lock for the free lists).
 */

#include <asm/mm.h>
#include <xen/lib.h>

#define PAGE_LIST_NULL (~0U)

struct page_list_head {
    struct page_info *next, *tail;
};

#define PAGE_LIST_HEAD_INIT { NULL, NULL }
#define PAGE_LIST_HEAD(name) struct page_list_head name = PAGE_LIST_HEAD_INIT

static inline void INIT_PAGE_LIST_HEAD(struct page_list_head *head)
{
    head->next = head->tail = NULL;
}

/* A page as a link, and back: the only place links are made or read. */
static inline uint32_t page_list_link(const struct page_info *pg)
{
    unsigned long mfn;

    if ( !pg )
        return PAGE_LIST_NULL;
    mfn = mfn_x(page_to_mfn(pg));
    ASSERT(mfn < MFN32_LIMIT);

    return mfn;
}

static inline struct page_info *page_list_unlink(uint32_t link)
{
    return link == PAGE_LIST_NULL ? NULL : mfn_to_page(_mfn(link));
}

static inline bool page_list_empty(const struct page_list_head *head)
{
    return !head->next;
}

static inline struct page_info *page_list_first(const struct page_list_head *h)
{
    return h->next;
}

static inline struct page_info *page_list_last(const struct page_list_head *h)
{
    return h->tail;
}

/* The page after (before) pg on its list, or NULL at the end. */
static inline struct page_info *page_list_next(const struct page_info *pg)
{
    return page_list_unlink(pg->list.next);
}

static inline struct page_info *page_list_prev(const struct page_info *pg)
{
    return page_list_unlink(pg->list.prev);
}

/* Puts pg at the front of the list. */
static inline void page_list_add(struct page_info *pg,
                                 struct page_list_head *head)
{
    struct page_info *first = head->next;

    pg->list.prev = PAGE_LIST_NULL;
    pg->list.next = page_list_link(first);
    if ( first )
        first->list.prev = page_list_link(pg);
    else
        head->tail = pg;
    head->next = pg;
}

/* Puts pg at the back of the list. */
static inline void page_list_add_tail(struct page_info *pg,
                                      struct page_list_head *head)
{
    struct page_info *last = head->tail;

    pg->list.next = PAGE_LIST_NULL;
    pg->list.prev = page_list_link(last);
    if ( last )
        last->list.next = page_list_link(pg);
    else
        head->next = pg;
    head->tail = pg;
}

/* Takes pg, which must be on this list, off it. */
static inline void page_list_del(struct page_info *pg,
                                 struct page_list_head *head)
{
    struct page_info *next = page_list_next(pg), *prev = page_list_prev(pg);

    if ( prev )
        prev->list.next = pg->list.next;
    else
    {
        ASSERT(head->next == pg);
        head->next = next;
    }
    if ( next )
        next->list.prev = pg->list.prev;
    else
    {
        ASSERT(head->tail == pg);
        head->tail = prev;
    }
    pg->list.next = pg->list.prev = PAGE_LIST_NULL;
}

/* Takes the first page off the list and returns it; NULL if empty. */
static inline struct page_info *page_list_remove_head(struct page_list_head *h)
{
    struct page_info *pg = h->next;

    if ( pg )
        page_list_del(pg, h);

    return pg;
}

#define page_list_for_each(pos, head) \
    for ( (pos) = page_list_first(head); (pos); (pos) = page_list_next(pos) )

/* The same, for a body that may take pos off the list. */
#define page_list_for_each_safe(pos, tmp, head)                              \
    for ( (pos) = page_list_first(head);                                     \
          (pos) && ((tmp) = page_list_next(pos), true); (pos) = (tmp) )

#endif /* ASM_X86_PAGE_LIST_H */
