/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Negative tests of the mapping audit: an audit that never fails proves
 * nothing. Each plant makes one stray mapping of a kind the audit exists
 * to catch, runs the audit, and checks that it found exactly one thing:
 * that page (or table) and that frame, for the expected reason. Then the
 * plant is removed, every CPU's TLB flushed, and the audit must be clean
 * again, so that mm-audit, which runs next, sees the machine as it was.
 *
 * Most plants are one page mapped with map_pages_to_xen() and removed
 * with destroy_xen_mappings(). Two are PTEs written by hand, because
 * that is the bug they stand for and because destroy_xen_mappings() is
 * not for those tables: a leaked mapcache slot (destroying it could
 * empty the L1 the image shares among CPUs 0-15's windows, and
 * destroy_xen_mappings() unhooks an L1 it has emptied) and a stray in
 * the AP trampoline's tables, which are not the idle tables.
 */
#include <asm/bootmap.h>
#include <asm/config.h>
#include <asm/m2p.h>
#include <asm/mm-audit.h>
#include <asm/page.h>
#include <asm/pg2virt.h>
#include <asm/smp.h>
#include <xen/domain_page.h>
#include <xen/flushtlb.h>
#include <xen/lib.h>
#include <xen/selftest.h>
#include <xen/string.h>
#include <xen/vmap.h>

/* What the plants use, set up once and given back at the end. */
static struct {
    struct page_info *frame; /* a domheap frame: in use, not xenheap */
    unsigned long vm_va;     /* a page of VMAP_DEFAULT, allocated, unmapped */
    unsigned long xh_va;     /* a page of the xenheap region, likewise */
    void *xh_page;           /* a xenheap page */
    unsigned long table_va;  /* 2 MiB of VMAP_DEFAULT, aligned, unmapped */
} fx;

/* One stray mapping, as its plant made it. */
struct stray {
    unsigned long va;
    mfn_t mfn;                   /* the frame the audit must name */
    enum mm_audit_reason expect;
    pgentry_t flags;             /* non-zero: map mfn at va with these */
    mfn_t root;                  /* a hand-written PTE: its root... */
    void *undo;                  /* whatever else remove() needs */
    bool skip;                   /* make() found nothing to plant here */
};

struct plant {
    const char *name;
    /* NULL when planted (or s->skip), else why it could not be. */
    const char *(*make)(struct stray *s);
    /* NULL: destroy_xen_mappings() of the page. */
    void (*remove)(struct stray *s);
};

static mfn_t idle_root(void)
{
    return maddr_to_mfn(__pa_image(idle_pg_table));
}

static unsigned int table_index(unsigned long va, unsigned int level)
{
    return (va >> (PAGE_SHIFT + 9 * (level - 1))) & (PAGETABLE_ENTRIES - 1);
}

/*
 * The entry for va at level in the tables under root, mapped (release
 * it with unmap_domain_page()); NULL if a level above is missing or a
 * superpage.
 */
static pgentry_t *map_entry(mfn_t root, unsigned long va, unsigned int level)
{
    pgentry_t *t = map_domain_page(root), e;
    unsigned int l;

    for ( l = 4; l > level; l-- )
    {
        e = t[table_index(va, l)];
        unmap_domain_page(t);
        if ( !(e & _PAGE_PRESENT) || (l < 4 && (e & _PAGE_PSE)) )
            return NULL;
        t = map_domain_page(maddr_to_mfn(e & PTE_ADDR_MASK));
    }

    return &t[table_index(va, level)];
}

/* Writes the L1 entry for va under root; false if there is no L1. */
static bool write_l1e(mfn_t root, unsigned long va, pgentry_t e)
{
    pgentry_t *p = map_entry(root, va, 1);

    if ( !p )
        return false;
    *p = e;
    unmap_domain_page(p);

    return true;
}

static void remove_by_hand(struct stray *s)
{
    write_l1e(s->root, s->va, 0);
}

static const char *skip(struct stray *s, const char *why)
{
    s->skip = true;
    return why;
}

/* ------------------------------------------------------------------------
 * The plants
 */

/* A map_domain_page() that leaked: a slot's PTE, the slot not in use. */
static const char *make_mapcache_leak(struct stray *s)
{
    unsigned int cpu = smp_processor_id();
    pgentry_t *p;

    s->va = MAPCACHE_VIRT_START +
            ((unsigned long)cpu * MAPCACHE_SLOTS + MAPCACHE_SLOTS - 1) *
            PAGE_SIZE;
    s->root = idle_root();
    s->expect = MAR_MAPCACHE_IDLE;
    if ( mapcache_va_in_use(s->va) )
        return selftest_fail("CPU%u's last mapcache slot is in use", cpu);

    p = map_entry(s->root, s->va, 1);
    if ( !p || *p )
    {
        if ( p )
            unmap_domain_page(p);
        return selftest_fail("no free PTE for CPU%u's last mapcache slot",
                             cpu);
    }
    *p = mfn_to_maddr(s->mfn) | pte_flags(PAGE_HYPERVISOR_RW);
    unmap_domain_page(p);

    return NULL;
}

/* A vmap leaf where no allocation is: our allocation's guard page. */
static const char *make_vmap_unallocated(struct stray *s)
{
    s->va = fx.vm_va + PAGE_SIZE;
    s->flags = PAGE_HYPERVISOR_RW;
    s->expect = MAR_VMAP_FREE;

    return NULL;
}

/* The leaf a vunmap() took away, put back while the range awaits reuse. */
static const char *make_vmap_unmapped(struct stray *s)
{
    void *va = vmap(&s->mfn, 1);

    if ( !va )
        return selftest_fail("vmap() of one frame failed");
    vunmap(va);
    s->va = (unsigned long)va;
    s->flags = PAGE_HYPERVISOR_RW;
    /* Eager unmapping gives the range back at once. */
    s->expect = vmap_lazy ? MAR_VMAP_UNMAPPED : MAR_VMAP_FREE;

    return NULL;
}

/* A live vmap of a frame given back to the heap under it. */
static const char *make_vmap_freed_frame(struct stray *s)
{
    struct page_info *pg = alloc_domheap_page(0);
    void *va;

    if ( !pg )
        return selftest_fail("no domheap page");
    s->mfn = page_to_mfn(pg);
    va = vmap(&s->mfn, 1);
    if ( !va )
    {
        free_domheap_page(pg);
        return selftest_fail("vmap() of one frame failed");
    }
    /* Nothing allocates until remove(): the frame stays free, unused. */
    free_domheap_page(pg);
    s->va = (unsigned long)va;
    s->undo = va;
    s->expect = MAR_FREE;

    return NULL;
}

static void remove_vmap_freed_frame(struct stray *s)
{
    vunmap(s->undo);
}

/* A domheap frame in the xenheap region. */
static const char *make_xenheap_domheap_frame(struct stray *s)
{
    s->va = fx.xh_va;
    s->flags = PAGE_HYPERVISOR_RW;
    s->expect = MAR_NOT_XENHEAP;

    return NULL;
}

/* A second address for a xenheap page, away from its page_to_virt(). */
static const char *make_xenheap_alias(struct stray *s)
{
    s->va = fx.xh_va;
    s->mfn = virt_to_mfn(fx.xh_page);
    s->flags = PAGE_HYPERVISOR_RW;
    s->expect = MAR_XENHEAP_ELSEWHERE;

    return NULL;
}

/*
 * A direct-map-style alias of a domheap frame: at its direct-map address
 * if the direct map does not cover it (always, without a direct map),
 * else at the top of the region, away from its own offset.
 */
static const char *make_directmap_alias(struct stray *s)
{
    s->va = mfn_in_directmap(s->mfn)
            ? DIRECTMAP_VIRT_END - PAGE_SIZE
            : DIRECTMAP_VIRT_START + mfn_to_maddr(s->mfn);
    s->flags = PAGE_HYPERVISOR_RW;
    s->expect = MAR_DIRECTMAP;

    return NULL;
}

/* The frame table's last page: a chunk only 16 TiB of RAM would fill. */
static const char *make_frametable_hole(struct stray *s)
{
    s->va = FRAMETABLE_VIRT_END - PAGE_SIZE;
    if ( frame_table_va_populated(s->va) )
        return skip(s, "the frame table's last chunk is populated");
    s->flags = PAGE_HYPERVISOR_RW;
    s->expect = MAR_FRAMETABLE_HOLE;

    return NULL;
}

/* The forward tracking array's last page, describing frames near 2^32. */
static const char *make_tracking_hole(struct stray *s)
{
    s->va = (unsigned long)XH2MFN_ARRAY - PAGE_SIZE;
    if ( pg2virt_va_populated(s->va) )
        return skip(s, "the forward array's last page is populated");
    s->flags = PAGE_HYPERVISOR_RW;
    s->expect = MAR_TRACKING_HOLE;

    return NULL;
}

/* A heap frame kept in the bootmap window. */
static const char *make_bootmap_ram(struct stray *s)
{
    s->undo = bootmap_map(mfn_to_maddr(s->mfn), PAGE_SIZE);
    s->va = (unsigned long)s->undo;
    s->expect = MAR_BOOTMAP_RAM;

    return NULL;
}

static void remove_bootmap_ram(struct stray *s)
{
    bootmap_unmap(s->undo, PAGE_SIZE);
}

/* Data mapped executable: a vmap leaf without NX. */
static const char *make_exec_data(struct stray *s)
{
    if ( !(pte_flags_supported & _PAGE_NX) )
        return skip(s, "the CPU has no NX");
    s->va = fx.vm_va;
    s->flags = PAGE_HYPERVISOR_RW & ~_PAGE_NX;
    s->expect = MAR_EXEC;

    return NULL;
}

/* A mapping in a region that maps nothing (the guests' M2P, for now). */
static const char *make_outside(struct stray *s)
{
    /* Slot 256 past the M2P: reserved, nothing may be mapped there. */
    s->va = RO_MPT_VIRT_END;
    s->flags = PAGE_HYPERVISOR_RW;
    s->expect = MAR_OUTSIDE;

    return NULL;
}

/* The read-write M2P past the table pages it made. */
static const char *make_m2p_hole(struct stray *s)
{
    s->va = RDWR_MPT_VIRT_START + ROUNDUP(m2p_size_bytes(), PAGE_SIZE);
    s->flags = PAGE_HYPERVISOR_RW;
    s->expect = MAR_M2P_HOLE;

    return NULL;
}

/*
 * A page-table page that is a xenheap page. Hooking a real xenheap page
 * in as a table would take hand-built tables; marking the fresh L1 that
 * map_pages_to_xen() gives our own 2 MiB of vmap is the same to the
 * audit, and nothing else looks at that flag meanwhile.
 */
static const char *make_table_xenheap(struct stray *s)
{
    pgentry_t *l2e;

    s->va = fx.table_va;
    s->expect = MAR_TABLE_XENHEAP;
    if ( map_pages_to_xen(s->va, s->mfn, 1, PAGE_HYPERVISOR_RW) )
        return selftest_fail("cannot map %#lx", s->va);

    l2e = map_entry(idle_root(), s->va, 2);
    if ( l2e && (*l2e & _PAGE_PRESENT) && !(*l2e & _PAGE_PSE) )
        s->mfn = maddr_to_mfn(*l2e & PTE_ADDR_MASK);
    else
        s->mfn = INVALID_MFN;
    if ( l2e )
        unmap_domain_page(l2e);
    if ( mfn_eq(s->mfn, INVALID_MFN) || !mfn_valid(s->mfn) )
    {
        destroy_xen_mappings(s->va, s->va + PAGE_SIZE);
        return selftest_fail("no L1 table of the heap's behind %#lx", s->va);
    }
    mfn_to_page(s->mfn)->count_info |= PGC_xen_heap;

    return NULL;
}

static void remove_table_xenheap(struct stray *s)
{
    mfn_to_page(s->mfn)->count_info &= ~PGC_xen_heap;
    destroy_xen_mappings(s->va, s->va + PAGE_SIZE);
}

/* A second page in the AP trampoline's identity map (its L4's own). */
static const char *make_trampoline_stray(struct stray *s)
{
    mfn_t code;

    if ( !ap_trampoline(&s->root, &code) )
        return skip(s, "no AP trampoline");
    s->va = mfn_to_maddr(s->root);
    s->expect = MAR_TRAMPOLINE;
    if ( !write_l1e(s->root, s->va,
                    mfn_to_maddr(s->mfn) | pte_flags(PAGE_HYPERVISOR_RW)) )
        return selftest_fail("the trampoline's tables have no L1 for %#lx",
                             s->va);

    return NULL;
}

static const struct plant plants[] = {
    { "mapcache-leak", make_mapcache_leak, remove_by_hand },
    { "vmap-unallocated", make_vmap_unallocated, NULL },
    { "vmap-unmapped", make_vmap_unmapped, NULL },
    { "vmap-freed-frame", make_vmap_freed_frame, remove_vmap_freed_frame },
    { "xenheap-domheap-frame", make_xenheap_domheap_frame, NULL },
    { "xenheap-alias", make_xenheap_alias, NULL },
    { "directmap-alias", make_directmap_alias, NULL },
    { "frametable-hole", make_frametable_hole, NULL },
    { "tracking-hole", make_tracking_hole, NULL },
    { "bootmap-ram", make_bootmap_ram, remove_bootmap_ram },
    { "exec-data", make_exec_data, NULL },
    { "outside-regions", make_outside, NULL },
    { "m2p-hole", make_m2p_hole, NULL },
    { "table-xenheap", make_table_xenheap, remove_table_xenheap },
    { "trampoline-stray", make_trampoline_stray, remove_by_hand },
};

/* ------------------------------------------------------------------------
 * Running them
 */

static void print_findings(const char *what, const struct mm_audit *a)
{
    unsigned int i;

    printk(XENLOG_ERR "mm-audit-negative: %s: unexpected=%lu\n", what,
           a->unexpected);
    for ( i = 0; i < a->named; i++ )
        printk(XENLOG_ERR "mm-audit-negative:   %s: %#lx, frame %#lx (%s "
               "tables)\n", mm_audit_reason_name(a->finding[i].reason),
               a->finding[i].va, mfn_x(a->finding[i].mfn),
               a->finding[i].root);
}

/* Did the audit name exactly this stray, and nothing else? */
static const char *check_named(const struct plant *p, const struct stray *s,
                               const struct mm_audit *a)
{
    const struct mm_audit_finding *f = &a->finding[0];

    if ( a->unexpected == 1 && f->va == s->va && mfn_eq(f->mfn, s->mfn) &&
         f->reason == s->expect )
        return NULL;

    print_findings(p->name, a);
    return selftest_fail("%s: expected exactly \"%s\" at %#lx, frame %#lx",
                         p->name, mm_audit_reason_name(s->expect), s->va,
                         mfn_x(s->mfn));
}

static const char *run_plant(const struct plant *p)
{
    struct stray s = { .mfn = page_to_mfn(fx.frame), .root = INVALID_MFN };
    struct mm_audit a;
    const char *fail = p->make(&s);

    if ( s.skip )
    {
        printk("mm-audit-negative: %s: skipped: %s\n", p->name, fail);
        return NULL;
    }
    if ( fail )
        return fail;
    if ( s.flags )
    {
        /* Never clobber a real mapping. */
        if ( xen_pagetable_lookup(s.va, NULL) )
            return selftest_fail("%s: %#lx is already mapped", p->name, s.va);
        if ( map_pages_to_xen(s.va, s.mfn, 1, s.flags) )
            return selftest_fail("%s: cannot map %#lx", p->name, s.va);
    }

    mm_audit_run(&a);
    fail = check_named(p, &s, &a);

    if ( p->remove )
        p->remove(&s);
    else
        destroy_xen_mappings(s.va, s.va + PAGE_SIZE);
    /* Other CPUs may have walked into the plant (speculatively, at least). */
    flush_tlb_all();
    if ( fail )
        return fail;

    printk("mm-audit-negative: %s: frame %#lx at %#lx: \"%s\", "
           "unexpected=1\n", p->name, mfn_x(s.mfn), s.va,
           mm_audit_reason_name(s.expect));

    mm_audit_run(&a);
    if ( a.unexpected )
    {
        print_findings("after removal", &a);
        return selftest_fail("%s: %lu unexpected after the plant was removed",
                             p->name, a.unexpected);
    }

    return NULL;
}

static const char *setup(void)
{
    fx.frame = alloc_domheap_page(0);
    fx.vm_va = (unsigned long)vm_alloc(1, 1, VMAP_DEFAULT);
    fx.xh_va = (unsigned long)vm_alloc(1, 1, VMAP_XENHEAP);
    fx.xh_page = alloc_xenheap_page();
    fx.table_va = (unsigned long)vm_alloc(PAGETABLE_ENTRIES,
                                          PAGETABLE_ENTRIES, VMAP_DEFAULT);

    if ( !fx.frame || !fx.vm_va || !fx.xh_va || !fx.xh_page || !fx.table_va )
        return selftest_fail("out of memory or address space");

    return NULL;
}

static void teardown(void)
{
    if ( fx.frame )
        free_domheap_page(fx.frame);
    vm_free((void *)fx.vm_va);
    vm_free((void *)fx.xh_va);
    free_xenheap_page(fx.xh_page);
    vm_free((void *)fx.table_va);
    memset(&fx, 0, sizeof(fx));
}

static const char *selftest_mm_audit_negative(void)
{
    struct mm_audit a;
    const char *fail;
    unsigned int i;

    /* The plants touch the bootmap, which is the boot CPU's alone. */
    if ( smp_processor_id() != 0 )
        return selftest_fail("not on the boot CPU");

    mm_audit_run(&a);
    if ( a.unexpected )
    {
        print_findings("before planting", &a);
        return selftest_fail("%lu unexpected before any plant", a.unexpected);
    }

    fail = setup();
    for ( i = 0; i < ARRAY_SIZE(plants) && !fail; i++ )
        fail = run_plant(&plants[i]);
    teardown();

    return fail;
}
/* Late, and linked before audit.c: mm-audit runs after it, on its leftovers. */
REGISTER_LATE_SELFTEST("mm-audit-negative", selftest_mm_audit_negative);
