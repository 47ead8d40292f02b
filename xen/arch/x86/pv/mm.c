/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page ownership, types and reference counts for PV guests, and the
 * validation of guest page tables.
 *
 * Every frame a guest can reach is counted twice (asm/mm.h has the
 * bits):
 *
 *  - count_info's general count: one per thing that may touch the frame
 *    (the owner's allocation reference, PGC_allocated; each page-table
 *    entry mapping it; each hypervisor reference held across a
 *    hypercall). A frame with a zero count belongs to nobody's view.
 *  - type_info: what the frame is being used as (writable, L1-L4 page
 *    table, segment descriptors) and how many uses of that type exist.
 *    The type changes only when its count is zero, so a frame is never
 *    both writable and a page table: that is what keeps a guest from
 *    writing its own page tables, or any mapping of another's frame.
 *
 * get_page()/put_page() and get_page_type()/put_page_type() are the only
 * ways in. The first use of a page-table type validates the page: each
 * present entry is checked and takes its own references (an L1 entry
 * on the frame it maps, writable type if it maps it writable; an L2-L4
 * entry on the next-level table, which is validated in turn); the last
 * put undoes that. Validation reads and writes the page through
 * map_domain_page() only.
 *
 * Before a frame becomes a page table or descriptor page, every CPU
 * that might still hold a writable translation of it (a guest mapping
 * just dropped, or a hypervisor vmap alias lazily unmapped) flushes:
 * both stamp the frame's tlbflush_timestamp when the writable mapping
 * goes, and the promotion flushes exactly the CPUs that have not
 * flushed since.
 *
 * Validation of a whole new tree is split into preemptible pieces by
 * pv/prevalidate.c before the top table's get_page_type(), and the
 * devalidation an unpin starts by pv/devalidate.c; a table being
 * devalidated in pieces (PGT_partial) refuses every type reference.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/flushtlb.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/apic.h>
#include <asm/io_apic.h>
#include <asm/l4-slots.h>
#include <asm/msi.h>
#include <asm/page-owner.h>
#include <asm/pv-mm.h>
#include <asm/processor.h>
#include <asm/pv.h>

/* ---------------------------------------------------------------------
 * General references
 */

bool get_page(struct page_info *pg, const struct domain *d)
{
    unsigned long x, nx, y = read_atomic(&pg->count_info);

    do {
        x = y;
        nx = x + 1;
        if ( !(x & PGC_count_mask) || !((nx) & PGC_count_mask) ||
             (x & PGC_state_mask) != PGC_state_inuse )
            return false;
    } while ( (y = cmpxchg(&pg->count_info, x, nx)) != x );

    if ( unlikely(read_atomic(&pg->v.owner) != d->page_owner_id) )
    {
        put_page(pg);
        return false;
    }

    return true;
}

void put_page(struct page_info *pg)
{
    unsigned long x, nx, y = read_atomic(&pg->count_info);

    do {
        x = y;
        BUG_ON(!(x & PGC_count_mask));
        nx = x - 1;
    } while ( (y = cmpxchg(&pg->count_info, x, nx)) != x );

    /* The last reference of a page its owner gave up: back to the heap. */
    if ( !(nx & PGC_count_mask) && !(nx & PGC_allocated) )
        free_domain_page(pg);
}

/* ---------------------------------------------------------------------
 * Entries: what each level may hold, and the references they take
 */

/* Flags a guest may set; everything else (reserved, PSE in tables) not. */
#define L1_ALLOWED (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_PWT |      \
                    _PAGE_PCD | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_PAT |   \
                    _PAGE_GLOBAL | 0xe00UL | _PAGE_NX)
#define LN_ALLOWED (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_PWT |      \
                    _PAGE_PCD | _PAGE_ACCESSED | _PAGE_DIRTY | 0xe00UL |     \
                    _PAGE_NX)

static bool flags_ok(pgentry_t e, unsigned int level)
{
    pgentry_t allowed = (level == 1 ? L1_ALLOWED : LN_ALLOWED) | PTE_ADDR_MASK;

    return !(e & ~allowed);
}

/*
 * The guest kernel runs in ring 3: its mappings must be user-accessible
 * for it to use them at all, so every entry gets _PAGE_USER, as Xen
 * gives 64-bit PV guests. _PAGE_GLOBAL goes: a global translation would
 * outlive the CR3 switch from the guest's kernel to its user tables
 * (the kernel's pages are user-accessible) and to other domains; and
 * without it a CR3 load is all a vCPU's switch-out needs to flush.
 * A frame of an MSI-X table or PBA in use loses _PAGE_RW (asm/msi.h), as
 * with Xen's mmio_ro_ranges: the hypervisor owns the entries' address
 * and data, and a write there would reroute its vectors.
 */
static pgentry_t adjust_guest_entry(pgentry_t e, unsigned int level)
{
    if ( !(e & _PAGE_PRESENT) )
        return e;
    if ( level == 1 )
    {
        e &= ~_PAGE_GLOBAL;
        if ( (e & _PAGE_RW) &&
             msix_frame_ro((e & PTE_ADDR_MASK) >> PAGE_SHIFT) )
            e &= ~_PAGE_RW;
    }

    return e | _PAGE_USER;
}

static struct page_info *entry_page(pgentry_t e)
{
    mfn_t mfn = maddr_to_mfn(e & PTE_ADDR_MASK);

    return mfn_valid(mfn) ? mfn_to_page(mfn) : NULL;
}

/*
 * The interrupt controllers are the hypervisor's: dom0 reaches the
 * IO-APICs through physdev_op (setup_gsi, map_pirq, apic_read) and has
 * no local APIC of its own, so their pages are never mapped by a guest
 * (a write could reroute or mask the hypervisor's own interrupts).
 */
static bool hypervisor_mmio(mfn_t mfn)
{
    unsigned int i;

    if ( mfn_x(mfn) == (apic_phys_base >> PAGE_SHIFT) )
        return true;
    for ( i = 0; i < nr_io_apics; i++ )
        if ( mfn_x(mfn) == (io_apics[i].address >> PAGE_SHIFT) )
            return true;

    return false;
}

/*
 * Frames dom0 may map that are not RAM: I/O memory and firmware areas
 * (the frame table marks non-RAM frames offline), but the hypervisor's
 * interrupt controllers. The HPET, which the hypervisor only reads at
 * boot to calibrate its clocks, is dom0's to map.
 */
static bool iomem_mappable(const struct domain *d, mfn_t mfn)
{
    /* Beyond the CPU's address width an entry would fault in any case. */
    if ( mfn_x(mfn) >= (1UL << (paddr_bits() - PAGE_SHIFT)) )
        return false;
    /* Every L1 entry comes here: the RAM test first, as the common one. */
    return d->is_privileged &&
           (!mfn_valid(mfn) ||
            (mfn_to_page(mfn)->count_info & PGC_state_mask) ==
            PGC_state_offline) &&
           !hypervisor_mmio(mfn);
}

static int get_page_from_l1e(pgentry_t e, struct domain *d)
{
    mfn_t mfn = maddr_to_mfn(e & PTE_ADDR_MASK);
    struct page_info *pg;

    if ( !(e & _PAGE_PRESENT) )
        return 0;
    if ( !flags_ok(e, 1) )
        return -EINVAL;
    if ( iomem_mappable(d, mfn) )
        return 0;
    pg = entry_page(e);
    if ( !pg || !get_page(pg, d) )
        return -EPERM;
    /* Ours, but in use as a table or descriptor page: busy (as Xen). */
    if ( (e & _PAGE_RW) && get_page_type(pg, PGT_writable_page) )
    {
        put_page(pg);
        return -EBUSY;
    }

    return 0;
}

static void put_page_from_l1e(pgentry_t e)
{
    struct page_info *pg;

    if ( !(e & _PAGE_PRESENT) || !(pg = entry_page(e)) ||
         (pg->count_info & PGC_state_mask) == PGC_state_offline )
        return;
    if ( e & _PAGE_RW )
        put_page_and_type(pg);
    else
        put_page(pg);
}

static unsigned long level_type(unsigned int level)
{
    return (unsigned long)level << PGT_type_shift;
}

/* An entry at level (2-4) points at a table of the level below. */
static int get_page_from_lne(pgentry_t e, unsigned int level, struct domain *d)
{
    struct page_info *pg;

    if ( !(e & _PAGE_PRESENT) )
        return 0;
    if ( !flags_ok(e, level) )
        return -EINVAL;
    pg = entry_page(e);
    if ( !pg )
        return -EPERM;

    return get_page_and_type(pg, d, level_type(level - 1)) ? 0 : -EINVAL;
}

static void put_page_from_lne(pgentry_t e)
{
    struct page_info *pg;

    if ( (e & _PAGE_PRESENT) && (pg = entry_page(e)) )
        put_page_and_type(pg);
}

/* Slots of an L4 that belong to the hypervisor. */
static bool xen_l4_slot(unsigned int i)
{
    return i >= ROOT_PAGETABLE_FIRST_XEN_SLOT &&
           i <= ROOT_PAGETABLE_LAST_XEN_SLOT;
}

int get_page_from_entry(pgentry_t e, unsigned int level, struct domain *d)
{
    return level == 1 ? get_page_from_l1e(e, d) : get_page_from_lne(e, level, d);
}

void put_page_from_entry(pgentry_t e, unsigned int level)
{
    if ( level == 1 )
        put_page_from_l1e(e);
    else
        put_page_from_lne(e);
}

/* ---------------------------------------------------------------------
 * Validation
 */

/* Takes the references of every entry of a page becoming a table. */
static int validate_table(struct page_info *pg, unsigned int level)
{
    struct domain *d = page_get_owner(pg);
    pgentry_t *t = map_domain_page(page_to_mfn(pg));
    unsigned int i;
    int rc = 0;

    for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
    {
        if ( level == 4 && xen_l4_slot(i) )
            continue;
        t[i] = adjust_guest_entry(t[i], level);
        rc = get_page_from_entry(t[i], level, d);
        if ( rc )
            break;
    }
    if ( rc )
    {
        printk(XENLOG_DEBUG "d%u: L%u table %#lx entry %u (%#lx) refused\n",
               d ? d->domain_id : 0, level, mfn_x(page_to_mfn(pg)), i, t[i]);
        while ( i-- )
            if ( !(level == 4 && xen_l4_slot(i)) )
                put_page_from_entry(t[i], level);
    }
    else if ( level == 4 )
        /* The hypervisor's slots are the hypervisor's, whatever was there. */
        init_xen_l4_slots(t, d->arch.perdomain_l3, page_to_mfn(pg));
    unmap_domain_page(t);

    return rc;
}

static void devalidate_table(struct page_info *pg, unsigned int level)
{
    pgentry_t *t = map_domain_page(page_to_mfn(pg));
    unsigned int i;

    for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
        if ( !(level == 4 && xen_l4_slot(i)) )
            put_page_from_entry(t[i], level);
    unmap_domain_page(t);
}

static unsigned int type_level(unsigned long type)
{
    unsigned long t = type & PGT_type_mask;

    return t >= PGT_l1_page_table && t <= PGT_l4_page_table
           ? t >> PGT_type_shift : 0;
}

/* ---------------------------------------------------------------------
 * Type references
 */

void put_page_type(struct page_info *pg)
{
    unsigned long x, nx, y = read_atomic(&pg->type_info);

    for ( ;; )
    {
        x = y;
        BUG_ON(!(x & PGT_count_mask));
        nx = x - 1;
        if ( !(nx & PGT_count_mask) && (x & PGT_validated) && type_level(x) )
        {
            /* Last use as a table: undo the validation first, unshared. */
            if ( (y = cmpxchg(&pg->type_info, x,
                              (x & ~PGT_validated) | PGT_locked)) != x )
                continue;
            devalidate_table(pg, type_level(x));
            pg->tlbflush_timestamp = tlbflush_current_time();
            write_atomic(&pg->type_info, nx & ~(PGT_validated | PGT_locked));
            return;
        }
        if ( (y = cmpxchg(&pg->type_info, x, nx)) == x )
            break;
    }

    /* No writable mapping left: stamp it for a later promotion's flush. */
    if ( !(nx & PGT_count_mask) )
        pg->tlbflush_timestamp = tlbflush_current_time();
}

int get_page_type(struct page_info *pg, unsigned long type)
{
    unsigned long x, nx, y = read_atomic(&pg->type_info);
    unsigned int level = type_level(type);

    for ( ;; )
    {
        x = y;
        nx = x + 1;
        if ( !(nx & PGT_count_mask) )
            return -EINVAL;
        /* In use as something else (a table referring to itself, too). */
        if ( (x & PGT_count_mask) && (x & PGT_type_mask) != type )
            return -EINVAL;
        /* Being devalidated in pieces by some vCPU (pv/devalidate.c). */
        if ( x & PGT_partial )
            return -EBUSY;
        if ( x & PGT_locked )
        {
            /* Another CPU is validating or devalidating it. */
            cpu_relax();
            y = read_atomic(&pg->type_info);
            continue;
        }
        if ( !(x & PGT_count_mask) )
        {
            if ( (x & PGT_type_mask) != type || !(x & PGT_validated) )
            {
                /*
                 * A new type (or a table that lost its validation): flush
                 * any CPU that may still write it through a stale alias.
                 */
                if ( level || type == PGT_seg_desc_page )
                    flush_stale_tlbs(pg->tlbflush_timestamp);
                nx = (nx & ~(PGT_type_mask | PGT_validated | PGT_pinned)) |
                     type;
                if ( !level && type != PGT_seg_desc_page )
                    nx |= PGT_validated;
                else
                    nx |= PGT_locked;
            }
        }
        if ( (y = cmpxchg(&pg->type_info, x, nx)) == x )
            break;
    }

    if ( nx & PGT_locked )
    {
        int rc = level ? validate_table(pg, level)
                       : pv_validate_desc_page(pg) ? 0 : -EINVAL;

        if ( rc )
        {
            write_atomic(&pg->type_info, nx & ~(PGT_locked | PGT_count_mask));
            return rc;
        }
        write_atomic(&pg->type_info, (nx & ~PGT_locked) | PGT_validated);
    }

    return 0;
}

unsigned int get_table_type_ref(struct page_info *pg)
{
    unsigned long x, y = read_atomic(&pg->type_info);

    do {
        x = y;
        if ( !type_level(x) || !(x & PGT_validated) || (x & PGT_locked) ||
             !(x & PGT_count_mask) || !((x + 1) & PGT_count_mask) )
            return 0;
    } while ( (y = cmpxchg(&pg->type_info, x, x + 1)) != x );

    return type_level(x);
}

bool get_page_and_type(struct page_info *pg, struct domain *d,
                       unsigned long type)
{
    if ( !get_page(pg, d) )
        return false;
    if ( get_page_type(pg, type) )
    {
        put_page(pg);
        return false;
    }

    return true;
}

void put_page_and_type(struct page_info *pg)
{
    put_page_type(pg);
    put_page(pg);
}

/* ---------------------------------------------------------------------
 * Changing one entry of a validated table
 */

/*
 * What every change of an entry starts with: the hypervisor's L4 slots
 * refused, _PAGE_USER added, the new entry checked and its references
 * taken. 0 or the -errno the change fails with.
 */
static int take_new_entry(struct page_info *table, unsigned int level,
                          unsigned int idx, pgentry_t *new,
                          struct domain *pg_owner)
{
    if ( level == 4 && xen_l4_slot(idx) )
        return -EPERM;
    *new = adjust_guest_entry(*new, level);

    /* Only an L1 entry may name another domain's frame (dom0's right). */
    return get_page_from_entry(*new, level,
                               level == 1 && pg_owner ? pg_owner
                                                      : page_get_owner(table));
}

int mod_table_entry_cmpxchg(struct page_info *table, unsigned int level,
                            unsigned int idx, pgentry_t old, pgentry_t new)
{
    pgentry_t *t, seen;
    int rc = take_new_entry(table, level, idx, &new, NULL);

    if ( rc )
        return rc;

    t = map_domain_page(page_to_mfn(table));
    seen = cmpxchg(&t[idx], old, new);
    unmap_domain_page(t);

    if ( seen != old )
    {
        put_page_from_entry(new, level);
        return -EAGAIN;
    }
    put_page_from_entry(old, level);
    return 0;
}

int mod_table_entry(struct page_info *table, unsigned int level,
                    unsigned int idx, pgentry_t new, bool preserve_ad,
                    struct domain *pg_owner)
{
    pgentry_t old;
    int rc = mod_table_entry_keep_old(table, level, idx, new, preserve_ad,
                                      pg_owner, &old);

    if ( !rc )
        put_page_from_entry(old, level);
    return rc;
}

int mod_table_entry_keep_old(struct page_info *table, unsigned int level,
                             unsigned int idx, pgentry_t new,
                             bool preserve_ad, struct domain *pg_owner,
                             pgentry_t *old_out)
{
    pgentry_t *t, old;
    int rc = take_new_entry(table, level, idx, &new, pg_owner);

    if ( rc )
        return rc;

    t = map_domain_page(page_to_mfn(table));
    if ( preserve_ad )
    {
        /* Keep A/D bits the CPU may be setting right now. */
        pgentry_t seen = read_atomic(&t[idx]);

        do {
            old = seen;
            seen = cmpxchg(&t[idx], old,
                           new | (old & (_PAGE_ACCESSED | _PAGE_DIRTY)));
        } while ( seen != old );
    }
    else
        old = xchg(&t[idx], new);
    unmap_domain_page(t);

    *old_out = old;
    return 0;
}
