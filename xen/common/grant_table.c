/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables, version 1: the table each domain writes its grants
 * into, the active state the hypervisor keeps per grant, and the
 * maptrack each mapping domain keeps of what it mapped (the model and
 * the invariants are in xen/grant_table.h; the page-table side in
 * xen/arch/x86/pv/grant-map.c; the hypercall in grant_table_op.c).
 *
 * The shared frames are xenheap pages: the hypervisor reads and updates
 * grant entries through the xenheap's global mapping, never through a
 * mapping of guest memory. The granted frames themselves are reached
 * only by the guest's own mappings, or by map_domain_page() for a copy.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/xmalloc.h>
#include <asm/pv-mm.h>
#include <public/grant_table.h>

#include "grant_table.h"

/* ---------------------------------------------------------------------
 * The table: frames and active entries
 */

static int grow_table(struct grant_table *gt, struct domain *d,
                      unsigned int nr_frames)
{
    ASSERT(nr_frames <= GNTTAB_MAX_FRAMES);

    while ( gt->nr_frames < nr_frames )
    {
        unsigned int f = gt->nr_frames;
        unsigned int a = f * ACTIVE_PAGES_PER_FRAME, i;
        void *shared = alloc_xenheap_page();

        if ( !shared )
            return -ENOMEM;
        for ( i = 0; i < ACTIVE_PAGES_PER_FRAME; i++ )
        {
            gt->active[a + i] = alloc_xenheap_page();
            if ( !gt->active[a + i] )
            {
                while ( i-- )
                {
                    free_xenheap_page(gt->active[a + i]);
                    gt->active[a + i] = NULL;
                }
                free_xenheap_page(shared);
                return -ENOMEM;
            }
            memset(gt->active[a + i], 0, PAGE_SIZE);
        }
        memset(shared, 0, PAGE_SIZE);
        share_xen_page_with_guest(shared, d);
        gt->shared[f] = shared;
        /* Entries become reachable only once they exist. */
        smp_wmb();
        write_atomic(&gt->nr_frames, f + 1);
    }

    return 0;
}

int grant_table_init(struct domain *d)
{
    struct grant_table *gt = xzalloc(struct grant_table);

    if ( !gt )
        return -ENOMEM;
    spin_lock_init(&gt->lock);
    spin_lock_init(&gt->maptrack_lock);
    gt->maptrack_free = MAPTRACK_NONE;
    d->grant_table = gt;

    return grow_table(gt, d, GNTTAB_INITIAL_FRAMES);
}

void grant_table_destroy(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    unsigned int i;

    if ( !gt )
        return;
    for ( i = 0; i < gt->nr_frames; i++ )
    {
        unshare_xen_page(gt->shared[i], d);
        free_xenheap_page(gt->shared[i]);
    }
    for ( i = 0; i < gt->nr_frames * ACTIVE_PAGES_PER_FRAME; i++ )
        free_xenheap_page(gt->active[i]);
    for ( i = 0; i < gt->maptrack_pages; i++ )
        free_xenheap_page(gt->maptrack[i]);
    xfree(gt);
    d->grant_table = NULL;
}

/* setup_table: grows d's table to nr_frames (never shrinks it). */
int grant_table_grow(struct domain *d, unsigned int nr_frames)
{
    struct grant_table *gt = d->grant_table;
    int rc;

    if ( nr_frames > GNTTAB_MAX_FRAMES )
        return -EINVAL;
    spin_lock(&gt->lock);
    rc = grow_table(gt, d, nr_frames);
    spin_unlock(&gt->lock);

    return rc;
}

/* ---------------------------------------------------------------------
 * Status bits and pins
 */

/* The entry's flags and domid as one word: what a granter cmpxchg()s. */
static uint32_t *entry_header(grant_entry_v1_t *e)
{
    return (uint32_t *)e;
}

static void clear_status(grant_entry_v1_t *e, uint16_t bits)
{
    __atomic_fetch_and(&e->flags, (uint16_t)~bits, __ATOMIC_SEQ_CST);
}

/*
 * Sets GTF_reading, and GTF_writing for a writable use, in the granter's
 * entry, checking on the first use that it grants access to ld (and,
 * for a writable one, not read-only). The granter may be rewriting the
 * entry at the same time: a few retries, then it counts as misbehaving,
 * as in Xen (which also answers a bad grant with a general error).
 */
static int set_status(grant_entry_v1_t *e, bool first, bool readonly,
                      domid_t ld)
{
    uint32_t *hdr = entry_header(e);
    uint32_t seen = read_atomic(hdr);
    unsigned int tries;

    for ( tries = 0; tries < 5; tries++ )
    {
        uint32_t old = seen, new;
        uint16_t flags = old & 0xffff;
        domid_t domid = old >> 16;

        if ( first && ((flags & GTF_type_mask) != GTF_permit_access ||
                       domid != ld) )
            return GNTST_general_error;
        if ( !readonly && (flags & GTF_readonly) )
            return GNTST_general_error;
        new = old | GTF_reading | (readonly ? 0 : GTF_writing);
        if ( (seen = cmpxchg(hdr, old, new)) == old )
            return GNTST_okay;
    }

    return GNTST_general_error;
}

int grant_pin(struct domain *rd, grant_ref_t ref, domid_t ld, bool readonly,
              mfn_t *frame)
{
    struct grant_table *gt = rd->grant_table;
    struct active_grant *act;
    grant_entry_v1_t *e;
    struct page_info *pg;
    bool pinned;
    int rc;

    spin_lock(&gt->lock);
    if ( ref >= nr_grant_entries(gt) )
    {
        spin_unlock(&gt->lock);
        return GNTST_bad_gntref;
    }
    act = active_entry(gt, ref);
    e = shared_entry(gt, ref);
    pinned = act->readers || act->writers;

    /* Version 1: one domain at a time uses a grant. */
    if ( (pinned && act->mapper != ld) ||
         (readonly ? act->readers : act->writers) == UINT16_MAX )
    {
        spin_unlock(&gt->lock);
        return GNTST_general_error;
    }

    if ( !pinned || (!readonly && !act->writers) )
    {
        rc = set_status(e, !pinned, readonly, ld);
        if ( rc )
        {
            spin_unlock(&gt->lock);
            return rc;
        }
    }

    if ( !pinned )
    {
        /* The frame is read once: later changes of the entry do not count. */
        mfn_t mfn = _mfn(read_atomic(&e->frame));

        pg = mfn_valid(mfn) ? mfn_to_page(mfn) : NULL;
        if ( !pg || !get_page(pg, rd) )
        {
            clear_status(e, GTF_reading | (readonly ? 0 : GTF_writing));
            spin_unlock(&gt->lock);
            return GNTST_bad_page;
        }
        act->frame = mfn;
        act->mapper = ld;
    }

    if ( readonly )
        act->readers++;
    else
        act->writers++;
    *frame = act->frame;
    spin_unlock(&gt->lock);

    return GNTST_okay;
}

void grant_unpin(struct domain *rd, grant_ref_t ref, bool readonly)
{
    struct grant_table *gt = rd->grant_table;
    struct active_grant *act;
    grant_entry_v1_t *e;

    spin_lock(&gt->lock);
    act = active_entry(gt, ref);
    e = shared_entry(gt, ref);
    if ( readonly )
    {
        BUG_ON(!act->readers);
        act->readers--;
    }
    else
    {
        BUG_ON(!act->writers);
        if ( !--act->writers )
            clear_status(e, GTF_writing);
    }
    if ( !act->readers && !act->writers )
    {
        clear_status(e, GTF_reading);
        put_page(mfn_to_page(act->frame));
        act->frame = INVALID_MFN;
    }
    spin_unlock(&gt->lock);
}

/* ---------------------------------------------------------------------
 * Maptrack: the mapping domain's handles
 */

struct grant_mapping *maptrack_entry(struct grant_table *gt,
                                     grant_handle_t handle)
{
    if ( handle >= gt->maptrack_pages * MAPTRACK_PER_PAGE )
        return NULL;

    return &gt->maptrack[handle / MAPTRACK_PER_PAGE]
                        [handle % MAPTRACK_PER_PAGE];
}

/* A free handle (its entry's flags 0), or MAPTRACK_NONE. maptrack_lock. */
grant_handle_t maptrack_get(struct domain *ld)
{
    struct grant_table *gt = ld->grant_table;
    grant_handle_t h = gt->maptrack_free;
    struct grant_mapping *m;

    if ( h == MAPTRACK_NONE )
    {
        unsigned int i, base = gt->maptrack_pages * MAPTRACK_PER_PAGE;

        if ( gt->maptrack_pages == MAPTRACK_MAX_PAGES )
            return MAPTRACK_NONE;
        m = alloc_xenheap_page();
        if ( !m )
            return MAPTRACK_NONE;
        memset(m, 0, PAGE_SIZE);
        /* Lowest handles first, as a guest reading them may expect. */
        for ( i = 0; i < MAPTRACK_PER_PAGE; i++ )
            m[i].next_free = i + 1 < MAPTRACK_PER_PAGE ? base + i + 1
                                                       : MAPTRACK_NONE;
        gt->maptrack[gt->maptrack_pages++] = m;
        /* Heap accounting in tests: this page outlives what is mapped. */
        printk(XENLOG_INFO "d%u: grant maptrack grows to %u page(s)\n",
               ld->domain_id, gt->maptrack_pages);
        h = base;
    }
    m = maptrack_entry(gt, h);
    gt->maptrack_free = m->next_free;

    return h;
}

void maptrack_put(struct grant_table *gt, grant_handle_t h)
{
    struct grant_mapping *m = maptrack_entry(gt, h);

    m->flags = 0;
    m->next_free = gt->maptrack_free;
    gt->maptrack_free = h;
}

/* ---------------------------------------------------------------------
 * Teardown of a dying domain's mappings
 */

void grant_table_release_mappings(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    grant_handle_t h;

    if ( !gt )
        return;
    spin_lock(&gt->maptrack_lock);
    for ( h = 0; h < gt->maptrack_pages * MAPTRACK_PER_PAGE; h++ )
    {
        struct grant_mapping *m = maptrack_entry(gt, h);

        if ( !m->flags )
            continue;
        grant_mapping_undo(d, m, GNTMAP_host_map | GNTMAP_device_map,
                           true);
        maptrack_put(gt, h);
    }
    spin_unlock(&gt->maptrack_lock);
}

/*
 * A granter's death: mappings other domains still hold of its frames are
 * taken from them (their PTEs cleared, TLBs flushed, references and pins
 * dropped, their handles freed), since the frames are about to go back
 * to the heap with the rest of the granter's memory. Xen instead keeps
 * such frames, and the dead domain, until the mappers let go; here the
 * mapper loses its access and a later unmap of the handle fails.
 */
struct mapper_list {
    struct domain *d[64];
    unsigned int n;
};

static void collect_mapper(struct domain *ld, void *arg)
{
    struct mapper_list *l = arg;

    if ( ld->grant_table && l->n < ARRAY_SIZE(l->d) && get_domain(ld) )
        l->d[l->n++] = ld;
}

static unsigned int revoke_maps_in(struct domain *ld, struct domain *rd)
{
    struct grant_table *gt = ld->grant_table;
    unsigned int revoked = 0;
    grant_handle_t h;

    spin_lock(&gt->maptrack_lock);
    for ( h = 0; h < gt->maptrack_pages * MAPTRACK_PER_PAGE; h++ )
    {
        struct grant_mapping *m = maptrack_entry(gt, h);

        if ( !m->flags || m->granter != rd )
            continue;
        grant_mapping_undo(ld, m, GNTMAP_host_map | GNTMAP_device_map,
                           true);
        maptrack_put(gt, h);
        revoked++;
    }
    spin_unlock(&gt->maptrack_lock);

    return revoked;
}

unsigned int grant_table_revoke_foreign_maps(struct domain *rd)
{
    static struct mapper_list l; /* domain deaths are serialised */
    unsigned int i, revoked = 0;

    l.n = 0;
    domain_for_each(collect_mapper, &l);
    for ( i = 0; i < l.n; i++ )
    {
        if ( l.d[i] != rd )
            revoked += revoke_maps_in(l.d[i], rd);
        put_domain(l.d[i]);
    }
    if ( revoked )
        printk(XENLOG_INFO "d%u: %u grant mapping(s) of its frames taken "
               "back from other domains\n", rd->domain_id, revoked);

    return revoked;
}

/*
 * Undoes the parts of m in what (GNTMAP_host_map, GNTMAP_device_map)
 * that it holds: the PTE (if it is still there: a PTE the guest replaced
 * took its references with it), the device references, the pins; with
 * the granter's reference once nothing is left. A host mapping whose
 * PTE is gone stays, and nothing is undone (GNTST_general_error, as
 * Xen), unless force (teardown): then only its PTE is skipped.
 */
int grant_mapping_undo(struct domain *ld, struct grant_mapping *m,
                       unsigned int what, bool force)
{
    struct domain *rd = m->granter;
    bool readonly = m->flags & GNTMAP_readonly;
    int rc;

    if ( (what & GNTMAP_host_map) && (m->flags & GNTMAP_host_map) )
    {
        rc = grant_host_unmap(ld, &m->slot,
                              m->flags & GNTMAP_contains_pte
                              ? GRANT_VA_UNKNOWN : m->host_addr,
                              m->frame, readonly);
        if ( rc != GNTST_okay && !force )
            return rc;
        m->flags &= ~GNTMAP_host_map;
        grant_unpin(rd, m->ref, readonly);
    }
    if ( (what & GNTMAP_device_map) && (m->flags & GNTMAP_device_map) )
    {
        struct page_info *pg = mfn_to_page(m->frame);

        m->flags &= ~GNTMAP_device_map;
        if ( readonly )
            put_page(pg);
        else
            put_page_and_type(pg);
        grant_unpin(rd, m->ref, readonly);
    }
    if ( !(m->flags & (GNTMAP_host_map | GNTMAP_device_map)) )
    {
        m->flags = 0;
        m->granter = NULL;
        put_domain(rd);
    }

    return GNTST_okay;
}

/* ---------------------------------------------------------------------
 * For the page audit
 */

void grant_audit_active(struct domain *d, grant_audit_hold_t hold, void *arg)
{
    struct grant_table *gt = d->grant_table;
    grant_ref_t ref;

    if ( !gt )
        return;
    spin_lock(&gt->lock);
    for ( ref = 0; ref < nr_grant_entries(gt); ref++ )
    {
        const struct active_grant *act = active_entry(gt, ref);

        /* grant_pin()'s one reference, while the grant is in use. */
        if ( act->readers || act->writers )
            hold(arg, act->frame, false);
    }
    spin_unlock(&gt->lock);
}

void grant_audit_device_maps(struct domain *mapper, const struct domain *d,
                             grant_audit_hold_t hold, void *arg)
{
    struct grant_table *gt = mapper->grant_table;
    unsigned int h;

    if ( !gt )
        return;
    spin_lock(&gt->maptrack_lock);
    for ( h = 0; h < gt->maptrack_pages * MAPTRACK_PER_PAGE; h++ )
    {
        const struct grant_mapping *m = maptrack_entry(gt, h);

        if ( m->granter == d && (m->flags & GNTMAP_device_map) )
            hold(arg, m->frame, !(m->flags & GNTMAP_readonly));
    }
    spin_unlock(&gt->maptrack_lock);
}
