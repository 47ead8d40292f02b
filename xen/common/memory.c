/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memory_op's changes to a domain's memory: reservations and exchange
 * (xen/memory.h has the ABI and the invariants). Return values, limits
 * and the order of the checks are Xen 4.17's for a PV guest.
 *
 * Frames are handed out zeroed by the heap and never touched here: no
 * mapping of guest memory is needed, with or without a direct map.
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/memory.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <asm/guest_access.h>
#include <asm/m2p.h>
#include <asm/page-owner.h>
#include <asm/pv-mm.h>
#include <public/memory.h>

/* One L1 table's worth for a guest (Xen's default memop-max-order). */
#define DOMU_MAX_ORDER 9

/* Xen's node numbers run to 63; Xenon has one node and ignores them. */
#define MAX_NUMNODES   64
#define NUMA_NO_NODE   0xffU

unsigned int memop_max_order(const struct domain *d)
{
    return d->is_privileged ? MAX_ORDER : DOMU_MAX_ORDER;
}

/*
 * The domain a call names, referenced: the caller itself (DOMID_SELF or
 * its own id), or for a privileged caller any other. -ESRCH for none,
 * then -EPERM, in Xen's order.
 */
static struct domain *memop_get_domain(domid_t id, long *rc)
{
    struct domain *curr = current->domain, *d;

    if ( id == DOMID_SELF )
        id = curr->domain_id;
    d = id < DOMID_FIRST_RESERVED ? get_domain_by_id(id) : NULL;
    if ( !d )
    {
        *rc = -ESRCH;
        return NULL;
    }
    if ( d != curr && !curr->is_privileged )
    {
        put_domain(d);
        *rc = -EPERM;
        return NULL;
    }

    return d;
}

static unsigned int order_of_pages(unsigned long nr)
{
    return nr <= 1 ? 0 : 64 - __builtin_clzl(nr - 1);
}

/*
 * A node in mem_flags: the control domain may name any of Xen's, others
 * only loosely (an exact request fails), as Xen checks them. Xenon has
 * one node, so a valid request changes nothing.
 */
static bool node_ok(unsigned int mem_flags)
{
    unsigned int node = XENMEMF_get_node(mem_flags);

    if ( node == NUMA_NO_NODE )
        return true;
    if ( current->domain->is_privileged )
        return node < MAX_NUMNODES;
    return !(mem_flags & XENMEMF_exact_node_request);
}

/*
 * A reservation's address limit to heap flags: a limit at or above the
 * top of RAM limits nothing, one of a page or less cannot be met.
 */
static bool reservation_memflags(unsigned int mem_flags,
                                 unsigned int *memflags)
{
    unsigned int bits = XENMEMF_get_address_bits(mem_flags);

    *memflags = 0;
    if ( bits && bits < order_of_pages(max_page) + PAGE_SHIFT )
    {
        if ( bits <= PAGE_SHIFT )
            return false;
        *memflags = MEMF_bits(bits);
    }
    /* A virtual node names no memory of its own here (no vNUMA). */
    return (mem_flags & XENMEMF_vnode) || node_ok(mem_flags);
}

/* ---------------------------------------------------------------------
 * Pages to and from a guest
 */

/*
 * Drops the owner's allocation reference if it is still held; the page
 * goes when its last reference does (put_page()).
 */
static void drop_allocation_ref(struct page_info *pg)
{
    if ( __atomic_fetch_and(&pg->count_info, ~PGC_allocated,
                            __ATOMIC_SEQ_CST) & PGC_allocated )
        put_page(pg);
}

/* 2^order fresh frames for d, within its allowance; NULL if none. */
static struct page_info *alloc_guest_pages(struct domain *d,
                                           unsigned int order,
                                           unsigned int memflags)
{
    struct page_info *pg = alloc_domheap_pages(order, memflags);

    if ( pg && assign_pages_limited(d, pg, order) )
    {
        free_domheap_pages(pg, order);
        pg = NULL;
    }

    return pg;
}

/*
 * Takes back frames just given whose number the guest could not be
 * told: they are freed now, or when whoever guessed and mapped them in
 * the meantime lets go.
 */
static void revoke_guest_pages(struct page_info *pg, unsigned int order)
{
    unsigned long i;

    for ( i = 0; i < (1UL << order); i++ )
        drop_allocation_ref(&pg[i]);
}

static void set_m2p(struct page_info *pg, unsigned int order,
                    unsigned long pfn)
{
    unsigned long i;

    for ( i = 0; i < (1UL << order); i++ )
        set_gpfn_from_mfn(page_to_mfn(&pg[i]),
                          pfn == M2P_INVALID ? M2P_INVALID : pfn + i);
}

/*
 * Xen's guest_remove_page() for a PV guest: the frame must be d's. Its
 * allocation reference goes; the frame itself goes with its last
 * reference, so one still mapped or pinned stays (and stays counted)
 * until that ends, and giving it back twice meanwhile is no error.
 * Xenheap pages shared with the guest (shared_info) stay its owner's.
 */
static int remove_guest_page(struct domain *d, unsigned long mfn)
{
    struct page_info *pg;

    if ( !mfn_valid(_mfn(mfn)) )
        return -EINVAL;
    pg = mfn_to_page(_mfn(mfn));
    if ( !get_page(pg, d) )
        return -ENXIO;
    if ( pg->count_info & PGC_xen_heap )
    {
        put_page(pg);
        return -ENXIO;
    }
    drop_allocation_ref(pg);
    put_page(pg);

    return 0;
}

/*
 * Takes a frame from d for an exchange: only if d's allocation reference
 * is the only one (nothing maps it, pins it or holds it), as Xen's
 * steal_page(). It leaves d's list and tot_pages, ownerless with no
 * references, so that nobody can take one any more.
 */
static int steal_guest_page(struct domain *d, struct page_info *pg)
{
    unsigned long x, y;

    if ( !get_page(pg, d) )
        return -EINVAL;
    y = read_atomic(&pg->count_info);
    do {
        x = y;
        if ( (x & (PGC_count_mask | PGC_allocated | PGC_xen_heap)) !=
             (PGC_allocated | 2) )
        {
            put_page(pg);
            return -EINVAL;
        }
    } while ( (y = cmpxchg(&pg->count_info, x,
                           x & ~(PGC_count_mask | PGC_allocated))) != x );

    /* Type references come with general ones: there can be none. */
    ASSERT(!(pg->type_info & PGT_count_mask));
    spin_lock(&d->page_alloc_lock);
    page_list_del(pg, &d->page_list);
    d->tot_pages--;
    spin_unlock(&d->page_alloc_lock);
    pg->type_info = 0;
    page_set_owner(pg, NULL);

    return 0;
}

/* ---------------------------------------------------------------------
 * Reservations
 */

struct memop_args {
    struct domain *d;
    unsigned long list;         /* guest array of xen_pfn_t; 0: none */
    unsigned long nr_extents;
    unsigned int order;
    unsigned int memflags;
    unsigned long done;         /* in: the first extent; out: how far */
    bool preempted;
};

/* The guest's slot i of the extent list. */
static unsigned long extent_slot(const struct memop_args *a, unsigned long i)
{
    return a->list + i * sizeof(xen_pfn_t);
}

/* Stops between extents when the CPU has other work: a continuation. */
static bool memop_preempted(struct memop_args *a, unsigned long i,
                            unsigned long start)
{
    if ( i == start || !hypercall_preempt_check() )
        return false;
    a->preempted = true;

    return true;
}

/*
 * New frames with no pfn: their MFNs written to the list (if there is
 * one; without, the frames are the guest's all the same, as in Xen).
 */
static void increase_reservation(struct memop_args *a)
{
    unsigned long i, start = a->done;

    for ( i = start; i < a->nr_extents; i++ )
    {
        struct page_info *pg;
        xen_pfn_t mfn;

        if ( memop_preempted(a, i, start) )
            break;
        pg = alloc_guest_pages(a->d, a->order, a->memflags);
        if ( !pg )
            break;
        set_m2p(pg, a->order, M2P_INVALID);
        mfn = mfn_x(page_to_mfn(pg));
        if ( a->list &&
             copy_to_guest_va(extent_slot(a, i), &mfn, sizeof(mfn)) )
        {
            revoke_guest_pages(pg, a->order);
            break;
        }
    }
    a->done = i;
}

/* Each slot's pfn in, the new extent's first MFN out; the M2P maps it. */
static void populate_physmap(struct memop_args *a, bool on_demand)
{
    unsigned long i, start = a->done;

    for ( i = start; i < a->nr_extents; i++ )
    {
        struct page_info *pg;
        xen_pfn_t pfn, mfn;

        if ( memop_preempted(a, i, start) )
            break;
        if ( copy_from_guest_va(&pfn, extent_slot(a, i), sizeof(pfn)) )
            break;
        if ( on_demand )
        {
            /* Not on oneself; for a PV target Xen marks nothing. */
            if ( a->d == current->domain )
                break;
            continue;
        }
        pg = alloc_guest_pages(a->d, a->order, a->memflags);
        if ( !pg )
            break;
        set_m2p(pg, a->order, pfn);
        mfn = mfn_x(page_to_mfn(pg));
        if ( copy_to_guest_va(extent_slot(a, i), &mfn, sizeof(mfn)) )
        {
            revoke_guest_pages(pg, a->order);
            break;
        }
    }
    a->done = i;
}

/*
 * Each slot names an extent of the guest's own frames by its first MFN.
 * A bad frame stops the batch there, the frames of its extent before it
 * already given back (Xen's count does not include that extent).
 */
static void decrease_reservation(struct memop_args *a)
{
    unsigned long i, j, start = a->done;

    for ( i = start; i < a->nr_extents; i++ )
    {
        xen_pfn_t mfn;

        if ( memop_preempted(a, i, start) )
            break;
        if ( copy_from_guest_va(&mfn, extent_slot(a, i), sizeof(mfn)) )
            break;
        for ( j = 0; j < (1UL << a->order); j++ )
            if ( remove_guest_page(a->d, mfn + j) )
                goto out;
    }
 out:
    a->done = i;
}

long memory_reservation_op(unsigned int op, unsigned long start,
                           unsigned long arg)
{
    struct xen_memory_reservation r;
    struct memop_args a = { .done = start };
    bool on_demand;
    long rc;

    if ( copy_from_guest_va(&r, arg, sizeof(r)) )
        return start;
    /* The count must fit what a continuation can encode in cmd. */
    if ( r.nr_extents > (0xffffffffUL >> MEMOP_EXTENT_SHIFT) ||
         start >= r.nr_extents )
        return start;
    a.d = memop_get_domain(r.domid, &rc);
    if ( !a.d )
        return start;
    if ( !reservation_memflags(r.mem_flags, &a.memflags) )
    {
        put_domain(a.d);
        return start;
    }
    a.list = (unsigned long)r.extent_start.p;
    a.nr_extents = r.nr_extents;
    a.order = r.extent_order;
    on_demand = op == XENMEM_populate_physmap &&
                (r.mem_flags & XENMEMF_populate_on_demand);

    if ( a.order <= (on_demand ? MAX_ORDER
                               : memop_max_order(current->domain)) )
    {
        switch ( op )
        {
        case XENMEM_increase_reservation:
            increase_reservation(&a);
            break;
        case XENMEM_decrease_reservation:
            decrease_reservation(&a);
            break;
        default:
            populate_physmap(&a, on_demand);
            break;
        }
    }
    put_domain(a.d);

    if ( a.preempted )
        return hypercall_create_continuation(
            __HYPERVISOR_memory_op, op | (a.done << MEMOP_EXTENT_SHIFT), arg);

    return a.done;
}

/* ---------------------------------------------------------------------
 * Exchange
 *
 * Extents are exchanged in chunks of the same number of frames: 2^in
 * input extents for 2^out output extents, one of in and out 0. A chunk
 * is all or nothing: its output slots are checked readable and writable
 * first, its input frames taken from the guest (each must be the
 * guest's and referenced by nothing else), its output allocated; only
 * then are the inputs freed and the outputs given. nr_exchanged counts
 * whole chunks.
 *
 * Two places where Xen's count is less than what happened are made
 * honest: an output slot that cannot be written is found before the
 * chunk's frames change hands (Xen would have exchanged them and not
 * counted it), and one that fails in the middle of giving the outputs
 * (the guest unmapped its list meanwhile) is counted as exchanged.
 */

struct exchange_chunk {
    struct domain *d;
    const struct xen_memory_exchange *x;
    unsigned long in_first, out_first;  /* the chunk's first extents */
    unsigned long nr_in, nr_out;        /* and how many */
    unsigned int memflags;
};

static unsigned long pfn_slot(const struct xen_memory_reservation *r,
                              unsigned long i)
{
    return (unsigned long)r->extent_start.p + i * sizeof(xen_pfn_t);
}

/*
 * Xen's guest_handle_subrange_okay() for a 64-bit PV caller: the range
 * starts outside the hypervisor's hole and its size does not wrap.
 * Whether it is mapped is for the copies to find out.
 */
static bool guest_list_ok(const struct xen_memory_reservation *r,
                          unsigned long first, unsigned long last)
{
    unsigned long addr = pfn_slot(r, first);

    return last - first + 1 < ~0UL / sizeof(xen_pfn_t) &&
           (addr < (1UL << 47) || addr >= HYPERVISOR_VIRT_END);
}

static int check_out_slots(const struct exchange_chunk *c)
{
    unsigned long j;
    xen_pfn_t pfn;

    for ( j = 0; j < c->nr_out; j++ )
    {
        unsigned long slot = pfn_slot(&c->x->out, c->out_first + j);

        if ( copy_from_guest_va(&pfn, slot, sizeof(pfn)) ||
             copy_to_guest_va(slot, &pfn, sizeof(pfn)) )
            return -EFAULT;
    }

    return 0;
}

static int steal_inputs(const struct exchange_chunk *c,
                        struct page_list_head *in)
{
    unsigned long j, k;
    xen_pfn_t mfn;
    int rc;

    for ( j = 0; j < c->nr_in; j++ )
    {
        if ( copy_from_guest_va(&mfn, pfn_slot(&c->x->in, c->in_first + j),
                                sizeof(mfn)) )
            return -EFAULT;
        for ( k = 0; k < (1UL << c->x->in.extent_order); k++ )
        {
            struct page_info *pg;

            if ( !mfn_valid(_mfn(mfn + k)) )
                return -EINVAL;
            pg = mfn_to_page(_mfn(mfn + k));
            rc = steal_guest_page(c->d, pg);
            if ( rc )
                return rc;
            page_list_add_tail(pg, in);
        }
    }

    return 0;
}

/* Output extents cannot come from below a page: like an empty heap. */
static struct page_info *alloc_output(unsigned int order,
                                      unsigned int memflags)
{
    if ( MEMF_get_bits(memflags) && MEMF_get_bits(memflags) <= PAGE_SHIFT )
        return NULL;
    return alloc_domheap_pages(order, memflags);
}

/*
 * Gives the outputs, freeing the inputs: past the point of no return.
 * 1 if the domain died meanwhile (the rest freed), else 0 or -EFAULT
 * for a slot that could not be read or written after all.
 */
static int commit_chunk(const struct exchange_chunk *c,
                        struct page_list_head *in, struct page_list_head *out)
{
    unsigned int order = c->x->out.extent_order;
    struct page_info *pg;
    unsigned long j;
    int rc = 0;

    while ( (pg = page_list_remove_head(in)) != NULL )
        free_domain_page(pg);

    for ( j = 0; (pg = page_list_remove_head(out)) != NULL; j++ )
    {
        unsigned long slot = pfn_slot(&c->x->out, c->out_first + j);
        xen_pfn_t pfn, mfn = mfn_x(page_to_mfn(pg));

        if ( assign_pages(c->d, pg, order) )
        {
            free_domheap_pages(pg, order);
            while ( (pg = page_list_remove_head(out)) != NULL )
                free_domheap_pages(pg, order);
            return 1;
        }
        if ( copy_from_guest_va(&pfn, slot, sizeof(pfn)) )
        {
            pfn = M2P_INVALID;
            rc = -EFAULT;
        }
        set_m2p(pg, order, pfn);
        if ( copy_to_guest_va(slot, &mfn, sizeof(mfn)) )
            rc = -EFAULT;
    }

    return rc;
}

/* Puts back what a failed chunk took, and frees what it allocated. */
static void undo_chunk(const struct exchange_chunk *c,
                       struct page_list_head *in, struct page_list_head *out)
{
    struct page_info *pg;

    while ( (pg = page_list_remove_head(in)) != NULL )
        if ( assign_pages(c->d, pg, 0) )
            free_domain_page(pg);      /* the domain died meanwhile */
    while ( (pg = page_list_remove_head(out)) != NULL )
        free_domheap_pages(pg, c->x->out.extent_order);
}

/*
 * One chunk: 0 done, 1 not done because the domain is dying, else the
 * errno; *counted says whether the chunk's exchange happened anyway.
 */
static int exchange_one_chunk(const struct exchange_chunk *c, bool *counted)
{
    PAGE_LIST_HEAD(in);
    PAGE_LIST_HEAD(out);
    unsigned long j;
    int rc;

    *counted = false;
    rc = check_out_slots(c);
    if ( rc )
        return rc;
    rc = steal_inputs(c, &in);
    for ( j = 0; !rc && j < c->nr_out; j++ )
    {
        struct page_info *pg = alloc_output(c->x->out.extent_order,
                                            c->memflags);

        if ( !pg )
            rc = -ENOMEM;
        else
            page_list_add_tail(pg, &out);
    }
    if ( rc )
    {
        undo_chunk(c, &in, &out);
        return rc;
    }

    rc = commit_chunk(c, &in, &out);
    *counted = rc != 1;

    return rc;
}

static long write_nr_exchanged(unsigned long arg,
                               const struct xen_memory_exchange *x)
{
    return copy_to_guest_va(arg + __builtin_offsetof(
                                struct xen_memory_exchange, nr_exchanged),
                            &x->nr_exchanged, sizeof(x->nr_exchanged))
           ? -EFAULT : 0;
}

long memory_exchange(unsigned long arg)
{
    struct xen_memory_exchange x;
    struct exchange_chunk c = { .x = &x };
    unsigned int in_chunk, out_chunk, bits;
    unsigned long i, first, out_first;
    bool counted = false;
    long rc;

    if ( copy_from_guest_va(&x, arg, sizeof(x)) )
        return -EFAULT;

    if ( max(x.in.extent_order, x.out.extent_order) >
         memop_max_order(current->domain) )
    {
        rc = -EPERM;
        goto early;
    }
    if ( x.nr_exchanged > x.in.nr_extents || x.in.domid != x.out.domid ||
         (~0UL >> x.in.extent_order) < x.in.nr_extents ||
         (~0UL >> x.out.extent_order) < x.out.nr_extents ||
         (x.in.nr_extents << x.in.extent_order) !=
         (x.out.nr_extents << x.out.extent_order) )
    {
        rc = -EINVAL;
        goto early;
    }
    if ( x.nr_exchanged == x.in.nr_extents )
        return 0;

    if ( x.in.extent_order <= x.out.extent_order )
    {
        in_chunk = x.out.extent_order - x.in.extent_order;
        out_chunk = 0;
        out_first = x.nr_exchanged >> in_chunk;
    }
    else
    {
        in_chunk = 0;
        out_chunk = x.in.extent_order - x.out.extent_order;
        out_first = x.nr_exchanged << out_chunk;
    }
    if ( !guest_list_ok(&x.in, x.nr_exchanged, x.in.nr_extents - 1) ||
         !guest_list_ok(&x.out, out_first, x.out.nr_extents - 1) )
    {
        rc = -EFAULT;
        goto early;
    }
    if ( !node_ok(x.out.mem_flags) )
    {
        rc = -EINVAL;
        goto early;
    }
    c.d = memop_get_domain(x.in.domid, &rc);
    if ( !c.d )
        goto early;

    /* Xen takes any address limit here; one of a page or less fails. */
    bits = XENMEMF_get_address_bits(x.out.mem_flags);
    c.memflags = bits < order_of_pages(max_page) + PAGE_SHIFT
                 ? MEMF_bits(bits) : 0;
    c.nr_in = 1UL << in_chunk;
    c.nr_out = 1UL << out_chunk;

    first = x.nr_exchanged >> in_chunk;
    for ( i = first; i < (x.in.nr_extents >> in_chunk); i++ )
    {
        if ( i != first && hypercall_preempt_check() )
        {
            x.nr_exchanged = i << in_chunk;
            put_domain(c.d);
            if ( write_nr_exchanged(arg, &x) )
                return -EFAULT;
            return hypercall_create_continuation(__HYPERVISOR_memory_op,
                                                 XENMEM_exchange, arg);
        }
        c.in_first = i << in_chunk;
        c.out_first = i << out_chunk;
        rc = exchange_one_chunk(&c, &counted);
        if ( rc )
            break;
    }
    put_domain(c.d);

    if ( !rc )
        x.nr_exchanged = x.in.nr_extents;
    else
    {
        x.nr_exchanged = (i + counted) << in_chunk;
        if ( rc == 1 )
            rc = 0;     /* the domain is dying: Xen reports the count only */
    }

 early:
    if ( write_nr_exchanged(arg, &x) )
        rc = -EFAULT;

    return rc;
}

/* ---------------------------------------------------------------------
 * The calls that only name a domain
 */

long memory_reservation_query(unsigned int op, unsigned long arg)
{
    struct domain *d;
    domid_t id;
    long rc;

    if ( copy_from_guest_va(&id, arg, sizeof(id)) )
        return -EFAULT;
    d = memop_get_domain(id, &rc);
    if ( !d )
        return rc;
    rc = op == XENMEM_current_reservation ? d->tot_pages : d->max_pages;
    put_domain(d);

    return rc;
}

/*
 * A PV guest's frames are machine frames: there is no physmap to add to.
 * Xen checks the argument, the space and the domain, then refuses.
 */
long memory_add_to_physmap(unsigned long start, unsigned long arg)
{
    struct xen_add_to_physmap xatp;
    struct domain *d;
    domid_t id;

    if ( start != (uint16_t)start )
        return -EDOM;
    if ( copy_from_guest_va(&xatp, arg, sizeof(xatp)) )
        return -EFAULT;
    if ( xatp.space == XENMAPSPACE_gmfn_foreign )
        return -ENOSYS;
    id = xatp.domid == DOMID_SELF ? current->domain->domain_id : xatp.domid;
    d = id < DOMID_FIRST_RESERVED ? get_domain_by_id(id) : NULL;
    if ( !d )
        return -ESRCH;
    put_domain(d);

    return -EACCES;
}
