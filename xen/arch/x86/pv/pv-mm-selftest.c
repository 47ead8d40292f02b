/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Self-test pv-domain: a domain's life and its page types, end to end,
 * inside the hypervisor.
 *
 * A domain is created with two vCPUs and some pages, a four-level page
 * table tree is written into its frames (through map_domain_page()) and
 * validated as its L4: every count is then checked against what the
 * tree implies. The type rules are tried both ways (a frame mapped
 * writable cannot become a table; a table cannot be mapped writable; a
 * hypervisor slot cannot be changed). A frame the hypervisor mapped
 * globally and unmapped lazily is promoted to a table at once: every
 * CPU must have flushed since that unmap when the promotion returns.
 * Last, the domain is killed, and the heap's free count must return
 * exactly to its value before the domain existed.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/flushtlb.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/selftest.h>
#include <xen/vmap.h>
#include <xen/xmalloc.h>
#include <asm/l4-slots.h>
#include <asm/page-owner.h>
#include <asm/pg2virt.h>
#include <asm/pv-mm.h>
#include <asm/pv.h>
#include <asm/smp.h>

#define TEST_DOMID   0x7000
#define NR_PAGES     16
/* Frames: 0 L4, 1 L3, 2 L2, 3 L1, 4.. data. */
#define F_L4 0
#define F_L3 1
#define F_L2 2
#define F_L1 3
#define F_RW 4          /* mapped writable */
#define F_RO 5          /* mapped read-only */
#define F_FREE 6        /* owned, not mapped: the alias-test frame */
#define GUEST_VA 0x400000UL

#define PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)

static unsigned long tcount(const struct page_info *pg)
{
    return pg->type_info & PGT_count_mask;
}

static unsigned long gcount(const struct page_info *pg)
{
    return pg->count_info & PGC_count_mask;
}

static void write_entry(struct page_info *table, unsigned int idx, pgentry_t e)
{
    pgentry_t *t = map_domain_page(page_to_mfn(table));

    t[idx] = e;
    unmap_domain_page(t);
}

static pgentry_t entry_to(struct page_info *pg, pgentry_t flags)
{
    return mfn_to_maddr(page_to_mfn(pg)) | flags;
}

static const char *build_tree(struct page_info **f)
{
    write_entry(f[F_L4], l4_table_offset(GUEST_VA), entry_to(f[F_L3], PROT));
    write_entry(f[F_L3], l3_table_offset(GUEST_VA), entry_to(f[F_L2], PROT));
    write_entry(f[F_L2], l2_table_offset(GUEST_VA), entry_to(f[F_L1], PROT));
    write_entry(f[F_L1], 0, entry_to(f[F_RW], PROT));
    write_entry(f[F_L1], 1, entry_to(f[F_RO], PROT & ~_PAGE_RW));
    /* The L1 maps itself read-only, as guests map their tables. */
    write_entry(f[F_L1], 2, entry_to(f[F_L1], PROT & ~_PAGE_RW));

    return NULL;
}

/* What the validated tree must hold, frame by frame. */
static const char *check_counts(struct page_info **f, unsigned long l4_refs)
{
    static const struct {
        unsigned int frame;
        unsigned long type;
        unsigned long tcount, gcount; /* gcount includes the allocation */
    } want[] = {
        { F_L3, PGT_l3_page_table, 1, 2 },
        { F_L2, PGT_l2_page_table, 1, 2 },
        { F_L1, PGT_l1_page_table, 1, 3 }, /* L2 entry + its own RO map */
        { F_RW, PGT_writable_page, 1, 2 },
        { F_RO, PGT_none, 0, 2 },
    };
    unsigned int i;

    if ( (f[F_L4]->type_info & PGT_type_mask) != PGT_l4_page_table ||
         !(f[F_L4]->type_info & PGT_validated) || tcount(f[F_L4]) != l4_refs )
        return selftest_fail("L4 type_info %#lx, want %lu validated L4 "
                             "references", f[F_L4]->type_info, l4_refs);
    for ( i = 0; i < ARRAY_SIZE(want); i++ )
    {
        const struct page_info *pg = f[want[i].frame];

        if ( (pg->type_info & PGT_type_mask) != want[i].type ||
             tcount(pg) != want[i].tcount || gcount(pg) != want[i].gcount )
            return selftest_fail("frame %u: type_info %#lx count_info %#lx, "
                                 "want type %#lx x%lu, %lu references",
                                 want[i].frame, pg->type_info, pg->count_info,
                                 want[i].type, want[i].tcount,
                                 want[i].gcount);
    }

    return NULL;
}

static const char *check_rules(struct domain *d, struct page_info **f)
{
    pgentry_t *l4;
    int rc;

    /* A frame mapped writable cannot become a table of any level. */
    if ( get_page_and_type(f[F_RW], d, PGT_l1_page_table) ||
         get_page_and_type(f[F_RW], d, PGT_l4_page_table) )
        return selftest_fail("a writable-mapped frame became a page table");
    /* A table cannot be mapped writable, nor as a descriptor page. */
    rc = mod_table_entry(f[F_L1], 1, 3, entry_to(f[F_L2], PROT), false,
                         NULL);
    if ( rc >= 0 )
        return selftest_fail("writable mapping of a validated L2: rc %d", rc);
    if ( get_page_and_type(f[F_L1], d, PGT_seg_desc_page) )
        return selftest_fail("a validated L1 became a descriptor page");
    /* The hypervisor's L4 slots belong to it. */
    rc = mod_table_entry(f[F_L4], 4, ROOT_PAGETABLE_FIRST_XEN_SLOT,
                         entry_to(f[F_L3], PROT), false, NULL);
    if ( rc != -EPERM )
        return selftest_fail("write to L4 slot 256: rc %d", rc);
    l4 = map_domain_page(page_to_mfn(f[F_L4]));
    rc = !(l4[RO_MPT_SLOT] & _PAGE_PRESENT);
    unmap_domain_page(l4);
    if ( rc )
        return selftest_fail("validation left the L4's M2P slot empty");

    return NULL;
}

/*
 * A frame with a lazily unmapped hypervisor alias becomes a page table:
 * when get_page_type() returns, no CPU may still hold that alias.
 */
static const char *check_alias_flushed(struct domain *d, struct page_info *pg)
{
    uint32_t before = tlbflush_current_time();
    unsigned long *va;
    unsigned int cpu;

    /*
     * A frame the direct map covers has a permanent writable alias there
     * anyway (as in Xen); the lazy-alias case is the no-direct-map one.
     */
    if ( mfn_in_directmap(page_to_mfn(pg)) )
        return NULL;
    va = map_domain_page_global(page_to_mfn(pg));
    if ( !va )
        return selftest_fail("map_domain_page_global failed");
    va[0] = 0;  /* an empty L1: validates */
    unmap_domain_page_global(va);
    if ( (int32_t)(pg->tlbflush_timestamp - before) < 0 )
        return selftest_fail("the lazy unmap did not stamp the frame "
                             "(stamp %u, clock was %u)",
                             pg->tlbflush_timestamp, before);

    if ( !get_page_and_type(pg, d, PGT_l1_page_table) )
        return selftest_fail("an owned, unmapped frame would not be an L1");
    for_each_online_cpu ( cpu )
        if ( tlbflush_needed(cpu, pg->tlbflush_timestamp) )
        {
            put_page_and_type(pg);
            return selftest_fail("CPU%u may still hold the writable alias "
                                 "of a frame now an L1", cpu);
        }
    put_page_and_type(pg);

    return NULL;
}

/*
 * The reference audit accounts for the two L4 references once a pin and
 * a vCPU root own them, and catches a type count off by one.
 */
static const char *check_audit(struct domain *d, struct page_info **f)
{
    struct pv_audit a;
    const char *fail = NULL;

    set_bit(59 /* PGT_pinned */, &f[F_L4]->type_info);
    d->vcpu[0]->arch.guest_table = page_to_mfn(f[F_L4]);
    if ( pv_audit_domain(d, &a, false) )
        fail = selftest_fail("audit: out of memory");
    else if ( a.mismatches || a.pinned != 1 || a.tables != 4 )
        fail = selftest_fail("audit of a sound tree: %lu mismatches, %lu "
                             "pinned, %lu live tables (want 0, 1, 4)",
                             a.mismatches, a.pinned, a.tables);
    if ( !fail )
    {
        f[F_L1]->type_info++;            /* a reference nobody holds */
        if ( pv_audit_domain(d, &a, false) || a.mismatches != 1 )
            fail = selftest_fail("audit missed a stray type reference "
                                 "(%lu mismatches)", a.mismatches);
        f[F_L1]->type_info--;
    }
    clear_bit(59, &f[F_L4]->type_info);
    d->vcpu[0]->arch.guest_table = INVALID_MFN;

    return fail;
}

static const char *test_pv_domain(void)
{
    unsigned long free_before, tables_before;
    struct page_info *f[NR_PAGES];
    const char *fail = NULL;
    struct domain *d;
    unsigned int i;

    /*
     * Settle first: lazily unmapped frames return at a purge, and
     * xmalloc keeps a spare page per size class; both are dropped again
     * before the count after the domain's death.
     */
    xmalloc_trim();
    vmap_purge();
    free_before = avail_domheap_pages();
    tables_before = xen_pagetable_pages;

    d = domain_create(TEST_DOMID, 2, false);
    if ( !d )
        return selftest_fail("domain_create failed");
    if ( !vcpu_create(d, 0, 0) || !vcpu_create(d, 1, 0) )
        fail = selftest_fail("vcpu_create failed");
    for ( i = 0; !fail && i < NR_PAGES; i++ )
    {
        f[i] = alloc_domheap_page(0);
        if ( !f[i] || assign_pages(d, f[i], 0) )
            fail = selftest_fail("no page %u for the domain", i);
    }
    if ( !fail && d->tot_pages != NR_PAGES )
        fail = selftest_fail("tot_pages %lu, want %u", d->tot_pages, NR_PAGES);
    if ( !fail )
        fail = build_tree(f);

    /* Validate the tree twice over: a pin and a root. */
    if ( !fail && (!get_page_and_type(f[F_L4], d, PGT_l4_page_table) ||
                   !get_page_and_type(f[F_L4], d, PGT_l4_page_table)) )
        fail = selftest_fail("the test tree does not validate");
    if ( !fail )
        fail = check_counts(f, 2);
    if ( !fail )
        fail = check_rules(d, f);
    if ( !fail )
        fail = check_counts(f, 2); /* the refusals left nothing behind */
    if ( !fail )
        fail = check_alias_flushed(d, f[F_FREE]);
    if ( !fail )
        fail = check_audit(d, f);

    /* Dropping both references devalidates the tree, every level. */
    if ( !fail )
    {
        put_page_and_type(f[F_L4]);
        put_page_and_type(f[F_L4]);
        for ( i = F_L4; i <= F_RO && !fail; i++ )
            if ( tcount(f[i]) || gcount(f[i]) != 1 )
                fail = selftest_fail("frame %u after devalidation: type_info "
                                     "%#lx count_info %#lx", i,
                                     f[i]->type_info, f[i]->count_info);
    }

    domain_kill(d);
    xmalloc_trim();
    vmap_purge();
    /*
     * Exactly what was free, less the hypervisor page tables that
     * mapping the domain's xenheap and vmap pages left in place (empty
     * tables of those regions are kept for reuse, by design).
     */
    if ( !fail && avail_domheap_pages() + (xen_pagetable_pages - tables_before)
                  != free_before )
        fail = selftest_fail("heap: %lu pages free before the domain, %lu "
                             "after its death (%lu new hypervisor page "
                             "tables)", free_before, avail_domheap_pages(),
                             xen_pagetable_pages - tables_before);
    if ( !fail )
        printk("pv-domain: %u pages, 4-level tree validated and torn down; "
               "heap back to %lu free pages\n", NR_PAGES, free_before);

    return fail;
}
REGISTER_SELFTEST("pv-domain", test_pv_domain);
