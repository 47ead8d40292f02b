/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * grant_table_op (hypercall 20), version 1: setup_table, query_size,
 * get_version/set_version, map_grant_ref, unmap_grant_ref and copy.
 * Each map, unmap and copy op has its own status (GNTST_*, as Xen gives
 * them); the hypercall itself fails only for a bad command, count or
 * argument address. The other commands (transfer, unmap_and_replace,
 * status frames, swap, dump, cache_flush) return -ENOSYS. Map, unmap
 * and copy batches are continued when work is pending.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/guest_access.h>
#include <asm/pg2virt.h>
#include <asm/pv-mm.h>
#include <public/grant_table.h>

#include "grant_table.h"

/* The documented layouts (public/grant_table.h), as guests compile them. */
BUILD_BUG_ON(sizeof(struct grant_entry_v1) != 8);
BUILD_BUG_ON(sizeof(struct gnttab_copy) != 40);
BUILD_BUG_ON(offsetof(struct gnttab_copy, dest) != 16);
BUILD_BUG_ON(offsetof(struct gnttab_copy, len) != 32);
BUILD_BUG_ON(offsetof(struct gnttab_copy, status) != 36);
BUILD_BUG_ON(offsetof(struct gnttab_copy_ptr, offset) != 10);
BUILD_BUG_ON(sizeof(struct gnttab_get_version) != 8);
BUILD_BUG_ON(offsetof(struct gnttab_get_version, version) != 4);

/* dom as a guest names it (DOMID_SELF included), referenced; or NULL. */
static struct domain *lookup_domain(domid_t dom)
{
    struct domain *cd = current->domain;

    if ( dom == DOMID_SELF || dom == cd->domain_id )
        return get_domain(cd) ? cd : NULL;

    return get_domain_by_id(dom);
}

/* Whose table the caller may set up or inspect: its own, or dom0 any. */
static bool may_control(const struct domain *d)
{
    return d == current->domain || current->domain->is_privileged;
}

/* ---------------------------------------------------------------------
 * The table
 */

static long setup_table(unsigned long uop, unsigned long count)
{
    struct gnttab_setup_table op;
    struct domain *d;
    unsigned int i;

    if ( count != 1 )
        return -EINVAL;
    if ( copy_from_guest_va(&op, uop, sizeof(op)) )
        return -EFAULT;

    d = lookup_domain(op.dom);
    if ( !d )
        op.status = GNTST_bad_domain;
    else if ( !may_control(d) )
        op.status = GNTST_permission_denied;
    else if ( op.nr_frames > GNTTAB_MAX_FRAMES ||
              grant_table_grow(d, op.nr_frames) )
        op.status = GNTST_general_error;
    else
    {
        op.status = GNTST_okay;
        for ( i = 0; i < op.nr_frames; i++ )
        {
            /* A PV guest names frames by MFN. */
            xen_pfn_t mfn = mfn_x(virt_to_mfn(d->grant_table->shared[i]));

            if ( copy_to_guest_va((unsigned long)op.frame_list.p +
                                  i * sizeof(mfn), &mfn, sizeof(mfn)) )
            {
                op.status = GNTST_bad_virt_addr;
                break;
            }
        }
    }
    if ( d )
        put_domain(d);

    if ( copy_to_guest_va(uop + offsetof(struct gnttab_setup_table, status),
                          &op.status, sizeof(op.status)) )
        return -EFAULT;

    return 0;
}

static long query_size(unsigned long uop, unsigned long count)
{
    struct gnttab_query_size op;
    struct domain *d;

    if ( count != 1 )
        return -EINVAL;
    if ( copy_from_guest_va(&op, uop, sizeof(op)) )
        return -EFAULT;

    d = lookup_domain(op.dom);
    if ( !d )
        op.status = GNTST_bad_domain;
    else if ( !may_control(d) )
        op.status = GNTST_permission_denied;
    else
    {
        op.nr_frames = read_atomic(&d->grant_table->nr_frames);
        op.max_nr_frames = GNTTAB_MAX_FRAMES;
        op.status = GNTST_okay;
    }
    if ( d )
        put_domain(d);

    return copy_to_guest_va(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/*
 * Only version 1 exists: asking for 2 is -ENOSYS, what Xen answers when
 * its maximum version is 1 (Linux then stays on version 1); anything
 * else -EINVAL. The version in force is written back either way.
 */
static long set_version(unsigned long uop)
{
    struct gnttab_set_version op;
    long rc;

    if ( copy_from_guest_va(&op, uop, sizeof(op)) )
        return -EFAULT;
    rc = op.version == 1 ? 0 : op.version == 2 ? -ENOSYS : -EINVAL;
    op.version = 1;

    return copy_to_guest_va(uop, &op, sizeof(op)) ? -EFAULT : rc;
}

static long get_version(unsigned long uop)
{
    struct gnttab_get_version op;
    struct domain *d;
    bool allowed;

    if ( copy_from_guest_va(&op, uop, sizeof(op)) )
        return -EFAULT;
    d = lookup_domain(op.dom);
    if ( !d )
        return -ESRCH;
    allowed = may_control(d);
    put_domain(d);
    if ( !allowed )
        return -EPERM;
    op.version = 1;

    return copy_to_guest_va(uop + offsetof(struct gnttab_get_version, version),
                            &op.version, sizeof(op.version)) ? -EFAULT : 0;
}

/* ---------------------------------------------------------------------
 * map_grant_ref and unmap_grant_ref
 */

#define MAP_PARTS (GNTMAP_host_map | GNTMAP_device_map)

/* The device mapping's own references on the frame (the PTE has others). */
static bool get_device_refs(struct page_info *pg, struct domain *rd,
                            bool readonly)
{
    return readonly ? get_page(pg, rd)
                    : get_page_and_type(pg, rd, PGT_writable_page);
}

static void put_device_refs(struct page_info *pg, bool readonly)
{
    if ( readonly )
        put_page(pg);
    else
        put_page_and_type(pg);
}

static int16_t map_one(struct gnttab_map_grant_ref *op)
{
    struct domain *ld = current->domain, *rd;
    struct grant_table *lgt = ld->grant_table;
    unsigned int parts = op->flags & MAP_PARTS;
    bool readonly = op->flags & GNTMAP_readonly;
    struct grant_pte_slot slot = { INVALID_MFN, 0 };
    struct grant_mapping *m;
    struct page_info *pg;
    grant_handle_t h;
    unsigned int pins = 0;
    mfn_t frame;
    int rc;

    if ( !parts )
        return GNTST_bad_gntref;        /* as Xen: flags name no mapping */
    rd = lookup_domain(op->dom);
    if ( !rd )
        return GNTST_bad_domain;

    spin_lock(&lgt->maptrack_lock);
    h = maptrack_get(ld);
    if ( h == MAPTRACK_NONE )
    {
        rc = GNTST_no_space;
        goto out;
    }

    /* One use of the grant per part: unmapped part by part. */
    for ( ; pins < (parts == MAP_PARTS ? 2 : 1); pins++ )
    {
        rc = grant_pin(rd, op->ref, ld->domain_id, readonly, &frame);
        if ( rc )
            goto unpin;
    }
    pg = mfn_to_page(frame);

    if ( (parts & GNTMAP_device_map) && !get_device_refs(pg, rd, readonly) )
    {
        rc = GNTST_general_error;
        goto unpin;
    }
    if ( parts & GNTMAP_host_map )
    {
        rc = grant_pte_slot_find(current, op->host_addr, op->flags, &slot);
        if ( !rc )
            rc = grant_host_map(ld, &slot, pg, rd, readonly);
        if ( rc )
        {
            if ( parts & GNTMAP_device_map )
                put_device_refs(pg, readonly);
            goto unpin;
        }
    }

    m = maptrack_entry(lgt, h);
    m->ref = op->ref;
    m->granter = rd;                    /* the lookup's reference */
    m->frame = frame;
    m->host_addr = op->host_addr;
    m->slot = slot;
    m->flags = op->flags & (MAP_PARTS | GNTMAP_readonly | GNTMAP_contains_pte);
    spin_unlock(&lgt->maptrack_lock);

    op->handle = h;
    /* PV: the machine address, which Linux also uses to learn the MFN. */
    op->dev_bus_addr = mfn_to_maddr(frame);

    return GNTST_okay;

 unpin:
    while ( pins-- )
        grant_unpin(rd, op->ref, readonly);
    maptrack_put(lgt, h);
 out:
    spin_unlock(&lgt->maptrack_lock);
    put_domain(rd);

    return rc;
}

/*
 * Undoes the parts the op names: the host mapping if host_addr is given
 * (and is where it was made), the device mapping if dev_bus_addr is
 * given (and is its address); the handle goes with the last part.
 */
static int16_t unmap_one(const struct gnttab_unmap_grant_ref *op)
{
    struct domain *ld = current->domain;
    struct grant_table *lgt = ld->grant_table;
    struct grant_mapping *m;
    unsigned int what = 0;
    int rc = GNTST_okay;

    spin_lock(&lgt->maptrack_lock);
    m = maptrack_entry(lgt, op->handle);
    if ( !m || !m->flags )
    {
        rc = GNTST_bad_handle;
        goto out;
    }
    if ( op->dev_bus_addr && (m->flags & GNTMAP_device_map) )
    {
        if ( op->dev_bus_addr != mfn_to_maddr(m->frame) )
        {
            rc = GNTST_bad_dev_addr;
            goto out;
        }
        what |= GNTMAP_device_map;
    }
    if ( op->host_addr && (m->flags & GNTMAP_host_map) )
    {
        if ( op->host_addr != m->host_addr )
        {
            rc = GNTST_general_error;
            goto out;
        }
        what |= GNTMAP_host_map;
    }
    rc = grant_mapping_undo(ld, m, what, false);
    if ( !m->flags )
        maptrack_put(lgt, op->handle);
 out:
    spin_unlock(&lgt->maptrack_lock);

    return rc;
}

/* ---------------------------------------------------------------------
 * copy
 */

/* One side of a copy: the frame, and what was taken to reach it. */
struct copy_side {
    struct domain *d;
    bool is_grant, readonly;
    grant_ref_t ref;
    struct page_info *pg;
    bool have_type;
};

static int copy_lookup(const struct gnttab_copy_ptr *p, bool is_grant,
                       struct copy_side *s)
{
    /* By frame number only in the caller's own memory. */
    if ( !is_grant && p->domid != DOMID_SELF )
        return GNTST_permission_denied;
    s->d = lookup_domain(p->domid);

    return s->d ? GNTST_okay : GNTST_bad_domain;
}

static int copy_claim(const struct gnttab_copy_ptr *p, struct copy_side *s)
{
    mfn_t mfn;
    int rc;

    if ( s->is_grant )
    {
        rc = grant_pin(s->d, p->u.ref, current->domain->domain_id,
                       s->readonly, &mfn);
        if ( rc )
            return rc;
        s->ref = p->u.ref;
        s->pg = mfn_to_page(mfn);
        /* The pin holds the frame; this reference is the copy's own. */
        if ( !get_page(s->pg, s->d) )
        {
            grant_unpin(s->d, s->ref, s->readonly);
            s->pg = NULL;
            return GNTST_general_error;
        }
    }
    else
    {
        mfn = _mfn(p->u.gmfn);
        if ( p->u.gmfn != mfn_x(mfn) || !mfn_valid(mfn) ||
             !get_page(mfn_to_page(mfn), s->d) )
            return GNTST_bad_page;
        s->pg = mfn_to_page(mfn);
    }
    /* Never a write into a page table or descriptor page. */
    if ( !s->readonly )
    {
        if ( get_page_type(s->pg, PGT_writable_page) )
            return GNTST_general_error;
        s->have_type = true;
    }

    return GNTST_okay;
}

static void copy_release(struct copy_side *s)
{
    if ( s->have_type )
        put_page_type(s->pg);
    if ( s->pg )
    {
        put_page(s->pg);
        if ( s->is_grant )
            grant_unpin(s->d, s->ref, s->readonly);
    }
    if ( s->d )
        put_domain(s->d);
}

static int16_t copy_one(const struct gnttab_copy *op)
{
    struct copy_side src = {
        .is_grant = op->flags & GNTCOPY_source_gref, .readonly = true,
    };
    struct copy_side dst = {
        .is_grant = op->flags & GNTCOPY_dest_gref, .readonly = false,
    };
    int rc;

    if ( !op->len )
        return GNTST_okay;

    rc = copy_lookup(&op->source, src.is_grant, &src);
    if ( !rc )
        rc = copy_lookup(&op->dest, dst.is_grant, &dst);
    if ( !rc )
        rc = copy_claim(&op->source, &src);
    if ( !rc )
        rc = copy_claim(&op->dest, &dst);
    if ( !rc && (op->source.offset + op->len > PAGE_SIZE ||
                 op->dest.offset + op->len > PAGE_SIZE) )
        rc = GNTST_bad_copy_arg;
    if ( !rc )
    {
        /* No direct map: both frames through mapcache slots. */
        const uint8_t *from = map_domain_page(page_to_mfn(src.pg));
        uint8_t *to = map_domain_page(page_to_mfn(dst.pg));

        memmove(to + op->dest.offset, from + op->source.offset, op->len);
        unmap_domain_page(to);
        unmap_domain_page(from);
    }
    copy_release(&dst);
    copy_release(&src);

    return rc;
}

/* ---------------------------------------------------------------------
 * The hypercall
 */

/*
 * The batched commands: each op's size, and which of its bytes go back
 * (status first; map also gives the handle and bus address after it).
 */
static const struct {
    unsigned int size, back_at, back_len;
} batch_layout[] = {
    [GNTTABOP_map_grant_ref] = {
        sizeof(struct gnttab_map_grant_ref),
        offsetof(struct gnttab_map_grant_ref, status),
        sizeof(struct gnttab_map_grant_ref) -
        offsetof(struct gnttab_map_grant_ref, status),
    },
    [GNTTABOP_unmap_grant_ref] = {
        sizeof(struct gnttab_unmap_grant_ref),
        offsetof(struct gnttab_unmap_grant_ref, status), sizeof(int16_t),
    },
    [GNTTABOP_copy] = {
        sizeof(struct gnttab_copy), offsetof(struct gnttab_copy, status),
        sizeof(int16_t),
    },
};

/*
 * count ops of cmd from uop. A batch is as long as the guest makes it:
 * with work pending it is continued from the next op, the arguments
 * saying what is left, as Xen does.
 */
static long grant_batch(unsigned int cmd, unsigned long uop,
                        unsigned int count)
{
    unsigned int size = batch_layout[cmd].size;

    for ( unsigned int i = 0; i < count; i++ )
    {
        unsigned long a = uop + (unsigned long)i * size;
        union {
            struct gnttab_map_grant_ref map;
            struct gnttab_unmap_grant_ref unmap;
            struct gnttab_copy copy;
        } op;

        if ( i && hypercall_preempt_check() )
            return hypercall_create_continuation(__HYPERVISOR_grant_table_op,
                                                 cmd, a, count - i);
        if ( copy_from_guest_va(&op, a, size) )
            return -EFAULT;
        switch ( cmd )
        {
        case GNTTABOP_map_grant_ref:
            op.map.status = map_one(&op.map);
            break;
        case GNTTABOP_unmap_grant_ref:
            op.unmap.status = unmap_one(&op.unmap);
            break;
        default:
            op.copy.status = copy_one(&op.copy);
            break;
        }
        if ( copy_to_guest_va(a + batch_layout[cmd].back_at,
                              (uint8_t *)&op + batch_layout[cmd].back_at,
                              batch_layout[cmd].back_len) )
            return -EFAULT;
    }

    return 0;
}

long do_grant_table_op(unsigned long cmd, unsigned long uop,
                       unsigned long count)
{
    if ( (int)count < 0 )
        return -EINVAL;

    switch ( cmd )
    {
    case GNTTABOP_setup_table:
        return setup_table(uop, count);
    case GNTTABOP_query_size:
        return query_size(uop, count);
    case GNTTABOP_set_version:
        return set_version(uop);
    case GNTTABOP_get_version:
        return get_version(uop);

    case GNTTABOP_map_grant_ref:
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_copy:
        return grant_batch(cmd, uop, count);

    default:
        return -ENOSYS;
    }
}
