/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's own page tables.
 *
 * Every page-table page the hypervisor allocates for itself comes from
 * the domheap (the boot allocator before the heap exists), never from the
 * xenheap, and is read and written only through a transient mapcache
 * mapping (map_xen_pagetable()). That is what breaks the loop
 *   alloc_xenheap_pages -> vmap -> map_pages_to_xen ->
 *   alloc_xen_pagetable -> alloc_xenheap_pages:
 * page tables need no permanently mapped memory at all.
 *
 * The walk is one step per level: next_table() returns the table below
 * an entry, creating it or splitting a superpage into it as needed.
 * Leaves are 4 KiB, 2 MiB or 1 GiB; map_pages_to_xen() uses the largest
 * that alignment and length allow and merges a table back into a
 * superpage when a write makes it uniform. Intermediate entries carry
 * no restrictions (present, writable, executable): the leaf decides.
 *
 * The L4 entries of the hypervisor's shared slots are all populated by
 * xen_pagetables_init() and never change afterwards, because PV guests
 * will carry copies of them in their own L4 tables; the per-guest slots
 * stay empty here (asm/l4-slots.h).
 *
 * One lock (xen_pt_lock, interrupt-safe, since xenheap allocations may
 * come from interrupt handlers) covers every change to the tables; it
 * nests outside the heap lock.
 *
 * TLBs and paging-structure caches. A change is made under the lock and
 * flushed after it is dropped, by what it did:
 *  - a new mapping where nothing was present needs no flush (no CPU
 *    caches a non-present entry);
 *  - a present leaf replaced, or a superpage split, is flushed for the
 *    range on every CPU (modify_xen_mappings() likewise);
 *  - a table unhooked (a merge into a superpage, a table emptied by a
 *    destroy, a table replaced by a superpage) may still be walked
 *    through other CPUs' paging-structure caches, so every CPU flushes
 *    everything, and only then is the table page freed: until that
 *    flush it stays a page table, never reused and never scrubbed (a
 *    stale walk of a scrubbed page would fault, of a reused one would
 *    translate through someone else's data);
 *  - destroy_xen_mappings() flushes the range on this CPU only; other
 *    CPUs are the caller's business (vmap batches them, xen/vmap.h).
 * Tables in the vmap and xenheap regions are kept when a destroy empties
 * them: vmap reuses its addresses all the time, and a table freed there
 * would cost an all-CPU flush on every unmap, defeating lazy vunmap
 * (4 KiB of L1 per 2 MiB of address space ever used).
 */
#include <asm/config.h>
#include <asm/l4-slots.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/pg2virt.h>
#include <asm/page-list.h>
#include <asm/processor.h>
#include <xen/domain_page.h>
#include <xen/flushtlb.h>
#include <xen/spinlock.h>
#include <asm/smp.h>
#include <xen/errno.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/string.h>

#define TABLE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)
#define L1_SPAN (1UL << PAGE_SHIFT)
#define L2_SPAN (1UL << L2_PAGE_SHIFT)
#define L3_SPAN (1UL << L3_PAGE_SHIFT)
#define L4_SPAN (1UL << L4_PAGE_SHIFT)


/* Set once the heap is up; page tables come from it from then on. */
bool mm_heap_ready;

/* Page-table pages allocated (and not freed) by the hypervisor. */
unsigned long xen_pagetable_pages;

static DEFINE_SPINLOCK(xen_pt_lock);

/*
 * What one change under the lock did, for the flush after it: tables
 * unhooked wait in retired until every CPU has flushed.
 */
struct pt_change {
    bool replaced;                  /* a present leaf or superpage changed */
    bool unhooked;                  /* a table was taken out of the tree */
    struct page_list_head retired;  /* heap tables to free after the flush */
    pgentry_t table_extra;          /* more flags for new table entries */
};

bool cpu_has_page1gb;

/* ------------------------------------------------------------------------
 * Page-table pages
 */

/* A zeroed page for a page table, or INVALID_MFN. */
static mfn_t alloc_xen_pagetable(void)
{
    mfn_t mfn;
    void *p;

    if ( mm_heap_ready )
    {
        struct page_info *pg = alloc_domheap_page(0);

        if ( !pg )
            return INVALID_MFN;
        page_set_flag(pg, PGC_pagetable);
        arch_fetch_and_add(&xen_pagetable_pages, 1);
        return page_to_mfn(pg); /* the heap zeroes what it hands out */
    }

    mfn = alloc_boot_pages(1, 1);
    if ( mfn_eq(mfn, INVALID_MFN) )
        return mfn;
    p = map_domain_page(mfn);
    memset(p, 0, PAGE_SIZE);
    unmap_domain_page(p);
    arch_fetch_and_add(&xen_pagetable_pages, 1);

    return mfn;
}

mfn_t alloc_xen_pagetable_page(void)
{
    unsigned long irqfl;
    mfn_t mfn;

    spin_lock_irqsave(&xen_pt_lock, irqfl);
    mfn = alloc_xen_pagetable();
    spin_unlock_irqrestore(&xen_pt_lock, irqfl);

    return mfn;
}

/*
 * Only heap tables ever leave the tree: tables in the image (built by
 * head.S, some of them written directly, like the mapcache's first L1)
 * and from the boot allocator stay where they are, even when empty or
 * uniform.
 */
static bool table_may_go(mfn_t mfn)
{
    return !mfn_in_image(mfn) && mfn_valid(mfn) &&
           (mfn_to_page(mfn)->count_info & PGC_pagetable);
}

/*
 * A table just unhooked: a heap table waits in chg->retired for the
 * flush; another (a superpage mapped over a boot-time table) is left
 * unused, never freed.
 */
static void retire_xen_pagetable(mfn_t mfn, struct pt_change *chg)
{
    chg->unhooked = true;
    if ( !table_may_go(mfn) )
        return;
    page_list_add(mfn_to_page(mfn), &chg->retired);
}

#ifdef CONFIG_DEBUG
/* The invariant this file exists to keep: flushed everywhere, then freed. */
static void check_flushed_since(const struct page_info *pg, uint32_t when)
{
    unsigned int cpu;

    for_each_online_cpu ( cpu )
        if ( tlbflush_needed(cpu, when) )
        {
            printk(XENLOG_ERR "page table %#lx freed before CPU%u flushed "
                   "it\n", mfn_x(page_to_mfn(pg)), cpu);
            BUG();
        }
}
#else
static inline void check_flushed_since(const struct page_info *pg,
                                       uint32_t when) {}
#endif

/*
 * After the lock is dropped: the flush that the change needs (see the
 * top of the file), then the retired tables go back to the heap.
 */
static void finish_change(struct pt_change *chg, unsigned long s,
                          unsigned long e, bool local_only)
{
    uint32_t unhooked_at = tlbflush_current_time();
    struct page_info *pg;
    unsigned long freed = 0;

    if ( chg->unhooked )
        flush_tlb_all();
    else if ( chg->replaced && !local_only )
        flush_area_mask(&cpu_online_map, s, (e - s) >> PAGE_SHIFT);
    else if ( chg->replaced )
        flush_area_local(s, (e - s) >> PAGE_SHIFT);

    while ( (pg = page_list_remove_head(&chg->retired)) != NULL )
    {
        check_flushed_since(pg, unhooked_at);
        page_clear_flag(pg, PGC_pagetable);
        free_domheap_page(pg);
        freed++;
    }
    if ( freed )
        arch_fetch_and_add(&xen_pagetable_pages, -freed);
}

static pgentry_t *map_xen_pagetable(mfn_t mfn)
{
    return map_domain_page(mfn);
}

static void unmap_xen_pagetable(const pgentry_t *t)
{
    unmap_domain_page(t);
}

static mfn_t entry_mfn(pgentry_t e)
{
    return maddr_to_mfn(e & PTE_ADDR_MASK);
}

static bool is_table(pgentry_t e, unsigned int level)
{
    return (e & _PAGE_PRESENT) && (level == 1 ? false : !(e & _PAGE_PSE));
}

/* Retires an unhooked table and, at level 3, its L1s too. */
static void retire_table_tree(mfn_t mfn, unsigned int level,
                              struct pt_change *chg)
{
    if ( level > 2 )
    {
        pgentry_t *t = map_xen_pagetable(mfn);
        unsigned int i;

        for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
            if ( is_table(t[i], level - 1) )
                retire_table_tree(entry_mfn(t[i]), level - 1, chg);
        unmap_xen_pagetable(t);
    }
    retire_xen_pagetable(mfn, chg);
}

/* ------------------------------------------------------------------------
 * The walk
 */

/*
 * Splits the superpage in *pe (an L3 or L2 entry) into a new table of
 * 512 entries that map the same frames with the same flags.
 */
static mfn_t split_superpage(pgentry_t *pe, unsigned int level,
                             struct pt_change *chg)
{
    pgentry_t e = *pe, flags = e & ~PTE_ADDR_MASK, *t;
    unsigned long step = level == 3 ? L2_SPAN : L1_SPAN;
    uint64_t base = leaf_maddr(e, level);
    mfn_t mfn = alloc_xen_pagetable();
    unsigned int i;

    if ( mfn_eq(mfn, INVALID_MFN) )
        return mfn;
    /*
     * The superpage's PAT bit is bit 12; the 2 MiB leaves of a split 1 GiB
     * page keep it there, 4 KiB leaves have it in bit 7, where a superpage
     * has PSE.
     */
    if ( level == 2 )
        flags = (flags & ~_PAGE_PSE) | ((e & _PAGE_PAT_LARGE) ? _PAGE_PAT : 0);
    else
        flags |= e & _PAGE_PAT_LARGE;

    t = map_xen_pagetable(mfn);
    for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
        t[i] = (base + i * step) | flags;
    unmap_xen_pagetable(t);
    *pe = mfn_to_maddr(mfn) | TABLE_FLAGS;
    /* An entry that mapped a page now references a table. */
    chg->replaced = true;

    return mfn;
}

/*
 * The table below *pe (an entry at level 4, 3 or 2), created empty or
 * split from a superpage if need be. INVALID_MFN if out of memory.
 */
static mfn_t next_table(pgentry_t *pe, unsigned int level,
                        struct pt_change *chg)
{
    mfn_t mfn;

    if ( is_table(*pe, level) )
        return entry_mfn(*pe);
    if ( *pe & _PAGE_PRESENT )
        return split_superpage(pe, level, chg);

    mfn = alloc_xen_pagetable();
    if ( !mfn_eq(mfn, INVALID_MFN) )
        *pe = mfn_to_maddr(mfn) | TABLE_FLAGS | chg->table_extra;

    return mfn;
}

/*
 * If the table t (below entry *pe at level 3 or 2) maps one aligned
 * contiguous block with one set of flags, replace it with a superpage.
 * The first and last entries are checked first: most tables fail there.
 */
static bool try_merge(pgentry_t *pe, unsigned int level, const pgentry_t *t)
{
    unsigned long step = level == 3 ? L2_SPAN : L1_SPAN;
    unsigned long span = step * PAGETABLE_ENTRIES;
    pgentry_t first = t[0], flags = first & ~PTE_ADDR_MASK;
    unsigned int i;

    if ( level == 3 && !cpu_has_page1gb )
        return false;
    if ( !table_may_go(maddr_to_mfn(*pe & PTE_ADDR_MASK)) )
        return false;
    if ( !(first & _PAGE_PRESENT) || ((first & PTE_ADDR_MASK) & (span - 1)) ||
         (level == 3 && !(first & _PAGE_PSE)) ||
         t[PAGETABLE_ENTRIES - 1] != first + (PAGETABLE_ENTRIES - 1) * step )
        return false;
    for ( i = 1; i < PAGETABLE_ENTRIES - 1; i++ )
        if ( t[i] != first + i * step )
            return false;

    *pe = (first & PTE_ADDR_MASK) | flags | _PAGE_PSE;
    return true;
}

static bool table_is_empty(const pgentry_t *t)
{
    unsigned int i;

    for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
        if ( t[i] & _PAGE_PRESENT )
            return false;

    return true;
}

/* Can [virt, +nr pages) -> mfn start with a leaf of size span here? */
static bool fits(unsigned long virt, mfn_t mfn, unsigned long nr,
                 unsigned long span)
{
    unsigned long pages = span >> PAGE_SHIFT;

    return !(virt & (span - 1)) && !(mfn_x(mfn) & (pages - 1)) && nr >= pages;
}

/* ------------------------------------------------------------------------
 * Mapping
 */

/* Maps within one L2 slot with 4 KiB pages; returns pages done or 0. */
static unsigned long map_l1(pgentry_t *pl2e, unsigned long virt, mfn_t mfn,
                            unsigned long nr, pgentry_t flags,
                            struct pt_change *chg)
{
    unsigned int i = l1_table_offset(virt), n = 0;
    mfn_t l1mfn = next_table(pl2e, 2, chg);
    pgentry_t *l1t;

    if ( mfn_eq(l1mfn, INVALID_MFN) )
        return 0;
    l1t = map_xen_pagetable(l1mfn);
    for ( ; i < PAGETABLE_ENTRIES && n < nr; i++, n++ )
    {
        if ( l1t[i] & _PAGE_PRESENT )
            chg->replaced = true;
        l1t[i] = mfn_to_maddr(mfn_add(mfn, n)) | flags;
    }
    if ( try_merge(pl2e, 2, l1t) )
        retire_xen_pagetable(l1mfn, chg);
    unmap_xen_pagetable(l1t);

    return n;
}

/* Maps within one L3 slot; returns pages done or 0. */
static unsigned long map_l2(pgentry_t *pl3e, unsigned long virt, mfn_t mfn,
                            unsigned long nr, pgentry_t flags,
                            struct pt_change *chg)
{
    mfn_t l2mfn = next_table(pl3e, 3, chg);
    pgentry_t *l2t, *pl2e, old;
    unsigned long done;

    if ( mfn_eq(l2mfn, INVALID_MFN) )
        return 0;
    l2t = map_xen_pagetable(l2mfn);
    pl2e = &l2t[l2_table_offset(virt)];

    if ( fits(virt, mfn, nr, L2_SPAN) )
    {
        old = *pl2e;
        *pl2e = mfn_to_maddr(mfn) | flags | _PAGE_PSE;
        if ( is_table(old, 2) )
            retire_table_tree(entry_mfn(old), 2, chg);
        else if ( old & _PAGE_PRESENT )
            chg->replaced = true;
        done = L2_SPAN >> PAGE_SHIFT;
    }
    else
        done = map_l1(pl2e, virt, mfn, nr, flags, chg);

    if ( done && try_merge(pl3e, 3, l2t) )
        retire_xen_pagetable(l2mfn, chg);
    unmap_xen_pagetable(l2t);

    return done;
}

int map_pages_to_xen(unsigned long virt, mfn_t mfn, unsigned long nr,
                     unsigned long flags)
{
    unsigned long s = virt, done, irqfl;
    struct pt_change chg = { .retired = PAGE_LIST_HEAD_INIT };
    int rc = 0;

    ASSERT(!(virt & ~PAGE_MASK));
    /* Only the hypervisor's own slots: the rest belongs to guests. */
    ASSERT(virt >= HYPERVISOR_VIRT_START &&
           nr <= (HYPERVISOR_VIRT_END - virt) >> PAGE_SHIFT);
    flags = pte_flags(flags | _PAGE_PRESENT) & ~_PAGE_PSE;
    /*
     * Guests read the M2P through slot 256: the tables under it must let
     * them through too (the leaves say read-only).
     */
    if ( virt >= RO_MPT_VIRT_START && virt < RO_MPT_VIRT_END )
        chg.table_extra = _PAGE_USER;

    spin_lock_irqsave(&xen_pt_lock, irqfl);
    for ( ; nr; virt += done << PAGE_SHIFT, mfn = mfn_add(mfn, done),
                nr -= done )
    {
        pgentry_t *pl4e = &idle_pg_table[l4_table_offset(virt)];
        mfn_t l3mfn = next_table(pl4e, 4, &chg);
        pgentry_t *l3t, *pl3e, old;

        if ( mfn_eq(l3mfn, INVALID_MFN) )
        {
            rc = -ENOMEM;
            break;
        }
        l3t = map_xen_pagetable(l3mfn);
        pl3e = &l3t[l3_table_offset(virt)];

        if ( cpu_has_page1gb && fits(virt, mfn, nr, L3_SPAN) )
        {
            old = *pl3e;
            *pl3e = mfn_to_maddr(mfn) | flags | _PAGE_PSE;
            if ( is_table(old, 3) )
                retire_table_tree(entry_mfn(old), 3, &chg);
            else if ( old & _PAGE_PRESENT )
                chg.replaced = true;
            done = L3_SPAN >> PAGE_SHIFT;
        }
        else
            done = map_l2(pl3e, virt, mfn, nr, flags, &chg);
        unmap_xen_pagetable(l3t);

        if ( !done )
        {
            rc = -ENOMEM;
            break;
        }
    }

    spin_unlock_irqrestore(&xen_pt_lock, irqfl);
    finish_change(&chg, s, virt, false);
    return rc;
}

/* ------------------------------------------------------------------------
 * Changing and removing mappings
 */

struct range_op {
    unsigned long s, e;
    bool destroy;           /* else: set flags */
    bool stamp;             /* destroy: stamp the frames it unmaps */
    pgentry_t flags;
    struct pt_change chg;
    int rc;
};

/* Tables a destroy empties here stay (see the top of the file). */
static bool keeps_empty_tables(unsigned long va)
{
    return (va >= VMAP_VIRT_START && va < VMAP_VIRT_END) ||
           (va >= XENHEAP_VIRT_START && va < XENHEAP_VIRT_END);
}

/*
 * A leaf at level that a stamping destroy has just cleared: its frames
 * are stamped with the flush clock (read after the clear).
 */
static void stamp_leaf(const struct range_op *op, pgentry_t e,
                       unsigned int level)
{
    if ( !op->stamp || !(e & _PAGE_PRESENT) )
        return;
    mark_mfns_stale(maddr_to_mfn(leaf_maddr(e, level)),
                    1UL << (9 * (level - 1)));
}

static pgentry_t changed(const struct range_op *op, pgentry_t e, bool leaf_pse)
{
    if ( op->destroy || !(e & _PAGE_PRESENT) )
        return op->destroy ? 0 : e;

    return (e & PTE_ADDR_MASK) | op->flags | (leaf_pse ? _PAGE_PSE : 0);
}

/* Does the op cover the whole [va, va + span)? */
static bool covers(const struct range_op *op, unsigned long va,
                   unsigned long span)
{
    return !(va & (span - 1)) && va + span <= op->e;
}

/*
 * The table below *pe (level 3 or 2) for this operation, mapped, with its
 * frame in *mfn; NULL with op->rc set if a split ran out of memory.
 */
static pgentry_t *op_table(struct range_op *op, pgentry_t *pe,
                           unsigned int level, mfn_t *mfn)
{
    *mfn = next_table(pe, level, &op->chg);
    if ( mfn_eq(*mfn, INVALID_MFN) )
    {
        op->rc = -ENOMEM;
        return NULL;
    }

    return map_xen_pagetable(*mfn);
}

/*
 * Done with table t below *pe: a destroy frees it if it is now empty, a
 * modify merges it into a superpage if it is now uniform. Unmaps t.
 */
static void op_table_done(struct range_op *op, pgentry_t *pe,
                          unsigned int level, pgentry_t *t, mfn_t mfn,
                          unsigned long va)
{
    if ( op->destroy ? !keeps_empty_tables(va) && table_may_go(mfn) &&
                       table_is_empty(t)
                     : try_merge(pe, level, t) )
    {
        if ( op->destroy )
            *pe = 0;
        retire_xen_pagetable(mfn, &op->chg);
    }
    unmap_xen_pagetable(t);
}

/* One L2 slot: va is inside it; returns where the slot ends. */
static unsigned long change_l1(struct range_op *op, pgentry_t *pl2e,
                               unsigned long va)
{
    unsigned long end = min(ROUNDDOWN(va, L2_SPAN) + L2_SPAN, op->e);
    mfn_t l1mfn;
    pgentry_t *l1t = op_table(op, pl2e, 2, &l1mfn);

    if ( !l1t )
        return op->e;
    for ( ; va < end; va += PAGE_SIZE )
    {
        pgentry_t *pl1e = &l1t[l1_table_offset(va)];

        pgentry_t old = *pl1e;

        if ( old & _PAGE_PRESENT )
            op->chg.replaced = true;
        *pl1e = changed(op, old, false);
        stamp_leaf(op, old, 1);
    }
    op_table_done(op, pl2e, 2, l1t, l1mfn, end - 1);

    return end;
}

static unsigned long change_entry(struct range_op *op, pgentry_t *pe,
                                  unsigned int level, unsigned long va,
                                  unsigned long end);

/* One L3 slot. */
static unsigned long change_l2(struct range_op *op, pgentry_t *pl3e,
                               unsigned long va)
{
    unsigned long end = min(ROUNDDOWN(va, L3_SPAN) + L3_SPAN, op->e);
    mfn_t l2mfn;
    pgentry_t *l2t = op_table(op, pl3e, 3, &l2mfn);

    if ( !l2t )
        return op->e;
    while ( va < end && !op->rc )
        va = change_entry(op, &l2t[l2_table_offset(va)], 2, va, end);

    op_table_done(op, pl3e, 3, l2t, l2mfn, end - 1);

    return end;
}

/*
 * The entry *pe at level 3 or 2 covering va, within a walk up to end:
 * skipped if not present, changed whole if it is a superpage the op
 * covers, descended into otherwise. Returns where the walk goes on.
 */
static unsigned long change_entry(struct range_op *op, pgentry_t *pe,
                                  unsigned int level, unsigned long va,
                                  unsigned long end)
{
    unsigned long span = 1UL << (PAGE_SHIFT + 9 * (level - 1));
    pgentry_t old = *pe;

    if ( !(old & _PAGE_PRESENT) )
        return min(ROUNDDOWN(va, span) + span, end);
    if ( (old & _PAGE_PSE) && covers(op, va, span) )
    {
        *pe = changed(op, old, true);
        stamp_leaf(op, old, level);
        op->chg.replaced = true;
        return va + span;
    }

    return level == 3 ? change_l2(op, pe, va) : change_l1(op, pe, va);
}

static int change_range(struct range_op *op)
{
    unsigned long va = op->s, irqfl;

    ASSERT(!(op->s & ~PAGE_MASK) && !(op->e & ~PAGE_MASK) && op->s <= op->e);
    ASSERT(op->s >= HYPERVISOR_VIRT_START && op->e <= HYPERVISOR_VIRT_END);

    spin_lock_irqsave(&xen_pt_lock, irqfl);
    while ( va < op->e && !op->rc )
    {
        pgentry_t *pl4e = &idle_pg_table[l4_table_offset(va)], *l3t;
        unsigned long l3_end = min(ROUNDDOWN(va, L4_SPAN) + L4_SPAN, op->e);

        if ( !(*pl4e & _PAGE_PRESENT) )
        {
            va = l3_end;
            continue;
        }
        l3t = map_xen_pagetable(entry_mfn(*pl4e));
        while ( va < l3_end && !op->rc )
            va = change_entry(op, &l3t[l3_table_offset(va)], 3, va, l3_end);
        /* L3 tables stay: the L4 entries of the hypervisor never change. */
        unmap_xen_pagetable(l3t);
    }

    spin_unlock_irqrestore(&xen_pt_lock, irqfl);
    /* Removed leaves: this CPU; other CPUs are the caller's (vmap). */
    finish_change(&op->chg, op->s, op->e, op->destroy);
    return op->rc;
}

int modify_xen_mappings(unsigned long s, unsigned long e, unsigned long flags)
{
    struct range_op op = {
        .s = s, .e = e,
        .flags = pte_flags(flags | _PAGE_PRESENT) & ~_PAGE_PSE,
    };

    return change_range(&op);
}

int destroy_xen_mappings(unsigned long s, unsigned long e)
{
    struct range_op op = { .s = s, .e = e, .destroy = true };

    return change_range(&op);
}

int destroy_xen_mappings_stamped(unsigned long s, unsigned long e)
{
    struct range_op op = { .s = s, .e = e, .destroy = true, .stamp = true };

    return change_range(&op);
}

/* ------------------------------------------------------------------------
 * Lookup, shared by the self-tests and the mapping audit
 */

/*
 * The leaf entry mapping va, and its level (1, 2 or 3) in *level; 0 if
 * va is not mapped.
 */
pgentry_t xen_pagetable_lookup(unsigned long va, unsigned int *level)
{
    pgentry_t e = idle_pg_table[l4_table_offset(va)];
    unsigned int lvl;

    for ( lvl = 3; lvl >= 1; lvl-- )
    {
        pgentry_t *t;
        unsigned int idx = lvl == 3 ? l3_table_offset(va)
                           : lvl == 2 ? l2_table_offset(va)
                                      : l1_table_offset(va);

        if ( !(e & _PAGE_PRESENT) )
            return 0;
        t = map_xen_pagetable(entry_mfn(e));
        e = t[idx];
        unmap_xen_pagetable(t);
        if ( !(e & _PAGE_PRESENT) )
            return 0;
        if ( lvl == 1 || (e & _PAGE_PSE) )
        {
            if ( level )
                *level = lvl;
            return e;
        }
    }

    return 0;
}

/* ------------------------------------------------------------------------
 * Set-up
 */

void __init xen_pagetables_init(void)
{
    uint32_t eax, ebx, ecx, edx;
    struct pt_change chg = { .retired = PAGE_LIST_HEAD_INIT };
    unsigned int slot;

    cpuid(0x80000000, &eax, &ebx, &ecx, &edx);
    if ( eax >= 0x80000001 )
    {
        cpuid(0x80000001, &eax, &ebx, &ecx, &edx);
        cpu_has_page1gb = edx & CPUID_EXT_PAGE1GB;
    }

    /* Fix every L4 entry of the hypervisor's shared slots now, for good. */
    for ( slot = l4_table_offset(HYPERVISOR_VIRT_START);
          slot <= l4_table_offset(HYPERVISOR_VIRT_END - 1); slot++ )
        if ( l4_slot_is_shared(slot) &&
             mfn_eq(next_table(&idle_pg_table[slot], 4, &chg), INVALID_MFN) )
            panic("out of memory for the hypervisor's L3 tables");
}
