/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xmalloc: segregated power-of-two size classes in slab pages, and whole
 * xenheap pages for anything larger. See xen/xmalloc.h for the contract.
 *
 * A slab page starts with struct slab; its objects follow at the first
 * multiple of the class size past the header, so every object is aligned
 * to its class size. Objects are handed out from the page's free list,
 * or, while it is empty, from a bump offset that has never been used
 * (so a new page needs no carving). A bitmap of allocated slots catches
 * double and stray frees. A large allocation is page aligned, which is
 * how xfree() tells it from a slab object (never at a page's start); its
 * order is kept in its page_info.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/string.h>
#include <xen/xmalloc.h>

#ifdef __XEN_HOST_TEST__
#include "xmalloc-host.h"
#else
#include <asm/mm.h>
#include <asm/pg2virt.h>
#include <asm/system.h>

static void large_order_set(void *p, unsigned int order)
{
    page_set_order(virt_to_page(p), order);
}

static unsigned int large_order_get(const void *p)
{
    return page_get_order(virt_to_page(p));
}

/*
 * One lock over the classes and statistics, interrupt-safe (xmalloc may
 * be called from interrupt handlers). Pages are allocated and freed with
 * it dropped.
 */
#include <xen/spinlock.h>
static DEFINE_SPINLOCK(xmalloc_spinlock);

static unsigned long xmalloc_lock(void)
{
    unsigned long flags;

    spin_lock_irqsave(&xmalloc_spinlock, flags);
    return flags;
}

static void xmalloc_unlock(unsigned long flags)
{
    spin_unlock_irqrestore(&xmalloc_spinlock, flags);
}
#endif

#define MIN_SHIFT   4                       /* 16 bytes */
#define MAX_SHIFT   10                      /* XMALLOC_SLAB_MAX */
#define NR_CLASSES  (MAX_SHIFT - MIN_SHIFT + 1)
#define SLAB_MAGIC  0x736c6162U             /* "slab" */
#define MAX_SLOTS   (PAGE_SIZE >> MIN_SHIFT)

struct slab {
    struct slab *next, *prev;   /* in its class's list of pages with room */
    void *free;                 /* freed slots, linked through themselves */
    uint32_t magic;
    uint16_t class;
    uint16_t inuse;             /* objects handed out */
    uint16_t bump;              /* offset of the first never-used slot */
    uint64_t allocated[MAX_SLOTS / 64]; /* bit n: slot n is handed out */
};

struct size_class {
    struct slab *partial;       /* pages with at least one free slot */
    struct slab *spare;         /* one emptied page kept against churn */
    unsigned int size;
    unsigned int first;         /* offset of slot 0 */
    unsigned int slots;         /* objects per page */
};

/* All protected by disabling interrupts (one CPU; SMP adds a lock). */
static struct size_class classes[NR_CLASSES];
static struct xmalloc_stats stats;

BUILD_BUG_ON(sizeof(struct slab) > 128);
BUILD_BUG_ON(XMALLOC_SLAB_MAX != 1U << MAX_SHIFT);

static struct size_class *class_of(unsigned int c)
{
    struct size_class *k = &classes[c];

    if ( !k->size )
    {
        k->size = 1U << (c + MIN_SHIFT);
        k->first = ROUNDUP((unsigned int)sizeof(struct slab), k->size);
        k->slots = (PAGE_SIZE - k->first) / k->size;
    }

    return k;
}

/* The class for size at alignment align, or -1 for the large path. */
static int class_index(size_t size, size_t align)
{
    size_t need = max(size, align);
    unsigned int shift = MIN_SHIFT;

    if ( need > XMALLOC_SLAB_MAX )
        return -1;
    while ( (1UL << shift) < need )
        shift++;

    return shift - MIN_SHIFT;
}

static void list_add(struct size_class *k, struct slab *s)
{
    s->prev = NULL;
    s->next = k->partial;
    if ( k->partial )
        k->partial->prev = s;
    k->partial = s;
}

static void list_del(struct size_class *k, struct slab *s)
{
    if ( s->prev )
        s->prev->next = s->next;
    else
        k->partial = s->next;
    if ( s->next )
        s->next->prev = s->prev;
}

static unsigned int slot_of(const struct size_class *k, const struct slab *s,
                            const void *p)
{
    return ((const char *)p - (const char *)s - k->first) / k->size;
}

static void set_allocated(struct slab *s, unsigned int slot, bool on)
{
    if ( on )
        s->allocated[slot / 64] |= 1UL << (slot % 64);
    else
        s->allocated[slot / 64] &= ~(1UL << (slot % 64));
}

/* A fresh slab page for class c, or NULL. Called with interrupts on. */
static struct slab *new_slab(unsigned int c)
{
    struct slab *s = alloc_xenheap_pages(0, MEMF_no_scrub);

    if ( !s )
        return NULL;
    memset(s, 0, sizeof(*s));
    s->magic = SLAB_MAGIC;
    s->class = c;
    s->bump = class_of(c)->first;

    return s;
}

/* Takes a slot from s; s must have room. */
static void *slab_take(struct size_class *k, struct slab *s)
{
    void *p;

    if ( s->free )
    {
        p = s->free;
        s->free = *(void **)p;
    }
    else
    {
        p = (char *)s + s->bump;
        s->bump += k->size;
    }
    set_allocated(s, slot_of(k, s, p), true);
    if ( ++s->inuse == k->slots )
        list_del(k, s); /* full */

    return p;
}

static void *slab_alloc(unsigned int c)
{
    struct size_class *k = class_of(c);
    struct slab *s, *fresh = NULL;
    unsigned long flags;
    void *p;

    for ( ; ; )
    {
        flags = xmalloc_lock();
        if ( !k->partial && k->spare )
        {
            list_add(k, k->spare);
            k->spare = NULL;
        }
        if ( (s = k->partial) == NULL && fresh )
        {
            s = fresh;
            fresh = NULL;
            list_add(k, s);
            stats.pool_pages++;
        }
        if ( s )
            break;
        xmalloc_unlock(flags);
        /* Outside the critical section: the xenheap may map pages. */
        if ( !(fresh = new_slab(c)) )
            return NULL;
    }
    p = slab_take(k, s);
    stats.objects++;
    stats.bytes += k->size;
    xmalloc_unlock(flags);

    if ( fresh ) /* another context filled the class meanwhile */
        free_xenheap_pages(fresh, 0);

    return p;
}

static void slab_free(void *p)
{
    struct slab *s = (struct slab *)((unsigned long)p & PAGE_MASK);
    struct size_class *k;
    unsigned long flags;
    unsigned int slot;
    bool empty;

    BUG_ON(s->magic != SLAB_MAGIC || s->class >= NR_CLASSES);
    k = class_of(s->class);
    BUG_ON((unsigned long)p < (unsigned long)s + k->first ||
           ((unsigned long)p - (unsigned long)s - k->first) % k->size);
    slot = slot_of(k, s, p);

    flags = xmalloc_lock();
    /* A slot not marked allocated: a double free or a stray pointer. */
    BUG_ON(!(s->allocated[slot / 64] & (1UL << (slot % 64))));
    set_allocated(s, slot, false);
    if ( s->inuse-- == k->slots )
        list_add(k, s); /* was full, has room again */
    *(void **)p = s->free;
    s->free = p;
    stats.objects--;
    stats.bytes -= k->size;
    empty = !s->inuse;
    if ( empty )
    {
        list_del(k, s);
        /*
         * Keep one emptied page per class: an object allocated and freed
         * over and over would otherwise take a page from the xenheap (and
         * map it) every time.
         */
        if ( !k->spare )
        {
            k->spare = s;
            empty = false;
        }
        else
        {
            stats.pool_pages--;
            s->magic = 0;
        }
    }
    xmalloc_unlock(flags);

    if ( empty )
        free_xenheap_pages(s, 0);
}

static void *large_alloc(size_t size)
{
    unsigned int order = get_order_from_bytes(size);
    unsigned long flags;
    void *p;

    if ( order > MAX_ORDER )
        return NULL;
    p = alloc_xenheap_pages(order, MEMF_no_scrub);
    if ( !p )
        return NULL;
    large_order_set(p, order);

    flags = xmalloc_lock();
    stats.large_pages += 1UL << order;
    stats.bytes += PAGE_SIZE << order;
    xmalloc_unlock(flags);

    return p;
}

static void large_free(void *p)
{
    unsigned int order = large_order_get(p);
    unsigned long flags;

    flags = xmalloc_lock();
    stats.large_pages -= 1UL << order;
    stats.bytes -= PAGE_SIZE << order;
    xmalloc_unlock(flags);

    free_xenheap_pages(p, order);
}

void *_xmalloc(size_t size, size_t align)
{
    int c;

    if ( !size || !align || (align & (align - 1)) || align > PAGE_SIZE )
    {
#ifdef CONFIG_DEBUG
        if ( size )
            printk(XENLOG_WARNING "xmalloc: bad request from %pS: %zu bytes "
                   "aligned to %zu\n", __builtin_return_address(0), size,
                   align);
#endif
        return NULL;
    }
    c = class_index(size, align);

    return c < 0 ? large_alloc(size) : slab_alloc(c);
}

void *_xzalloc(size_t size, size_t align)
{
    void *p = _xmalloc(size, align);

    if ( p )
        memset(p, 0, size);

    return p;
}

void xfree(void *p)
{
    if ( !p )
        return;
    if ( !((unsigned long)p & ~PAGE_MASK) )
        large_free(p);
    else
        slab_free(p);
}

void xmalloc_trim(void)
{
    unsigned int c;

    for ( c = 0; c < NR_CLASSES; c++ )
    {
        unsigned long flags = xmalloc_lock();
        struct slab *s = classes[c].spare;

        classes[c].spare = NULL;
        if ( s )
        {
            stats.pool_pages--;
            s->magic = 0;
        }
        xmalloc_unlock(flags);
        if ( s )
            free_xenheap_pages(s, 0);
    }
}

void xmalloc_get_stats(struct xmalloc_stats *st)
{
    unsigned long flags = xmalloc_lock();

    *st = stats;
    xmalloc_unlock(flags);
}
