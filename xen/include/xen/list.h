/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_LIST_H
#define XEN_LIST_H

/*
 * Circular doubly linked lists threaded through the objects they hold.
 * A head is a struct list_head whose next and prev point at itself when
 * the list is empty; an element is a struct list_head inside an object,
 * which list_entry() turns back into the object. No locking: the owner
 * of a list says which lock protects it.
 */

#include <xen/compiler.h>
#include <xen/types.h>

struct list_head {
    struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *h)
{
    h->next = h;
    h->prev = h;
}

static inline bool list_empty(const struct list_head *h)
{
    return h->next == h;
}

static inline void __list_insert(struct list_head *e, struct list_head *prev,
                                 struct list_head *next)
{
    e->next = next;
    e->prev = prev;
    next->prev = e;
    prev->next = e;
}

static inline void list_add(struct list_head *e, struct list_head *h)
{
    __list_insert(e, h, h->next);
}

static inline void list_add_tail(struct list_head *e, struct list_head *h)
{
    __list_insert(e, h->prev, h);
}

/* Leaves e pointing at itself, so that list_empty(e) says "not listed". */
static inline void list_del_init(struct list_head *e)
{
    e->prev->next = e->next;
    e->next->prev = e->prev;
    INIT_LIST_HEAD(e);
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)

#define list_for_each_entry(pos, h, member)                                \
    for ( pos = list_entry((h)->next, __typeof__(*pos), member);           \
          &pos->member != (h);                                             \
          pos = list_entry(pos->member.next, __typeof__(*pos), member) )

#endif /* XEN_LIST_H */
