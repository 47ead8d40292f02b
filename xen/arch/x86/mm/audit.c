/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mapping audit: every page-table root a CPU can load is walked, each
 * mapping is checked against the bookkeeping of the region it lies in,
 * and the RAM frames mapped are counted by region. Its claim to prove is
 * the project's: no guest or heap frame is mapped at rest, outside the
 * direct map a build may ask for.
 *
 * Roots
 * -----
 * The idle tables, which every CPU runs on, and the AP trampoline's,
 * which an AP runs on while it starts; both halves of each. An upper-half
 * L4 entry of the trampoline's that equals idle's points to the same
 * tables and is not walked twice; one that differs is a finding, since
 * the trampoline copies them and they never change.
 *
 * Tables
 * ------
 * Every page-table page walked into, roots included, must be neither
 * free nor a xenheap page: the hypervisor's tables come from the image,
 * the boot allocator, the domheap or low memory (the trampoline's).
 *
 * Execution
 * ---------
 * Every leaf must be non-executable (NX in it or above it) except the
 * image's text and, in the trampoline's root, the trampoline's code page.
 * On a CPU without NX nothing can be, and this rule is not applied.
 *
 * Placement
 * ---------
 * Every 4 KiB page of every leaf, RAM or not, must be where its region's
 * own bookkeeping says something is mapped:
 *   image        the image's own frame at its offset, below __image_end;
 *   frame table  a chunk the frame table populated;
 *   tracking     a page of the page-to-virt arrays that was populated;
 *   xenheap      a xenheap page whose page_to_virt() is this address;
 *   vmap         a live allocation (not a range vunmap()ed and waiting for
 *                the purge: its PTEs went at unmap time), or a backed
 *                page of the allocators' bitmaps in the region's head;
 *   mapcache     a slot its CPU has in use; the audit's own mappings of
 *                the tables it walks are such slots;
 *   direct map   RAM at its own physical offset, below directmap_end_mfn
 *                (checked a leaf at a time: it can hold millions of frames);
 *   bootmap      a slot in use, mapping no RAM (below);
 *   trampoline   (the trampoline root's lower half) the code page, at its
 *                own physical address;
 *   anywhere else nothing.
 * The frames behind the frame table, the tracking arrays and the vmap
 * bitmaps must be the hypervisor's: RAM, in use and not xenheap (they
 * come from the boot allocator or the domheap). Last, no free heap frame
 * may be mapped anywhere but the direct map.
 *
 * The bootmap keeps what the ACPI code looks up for good (tables and
 * register blocks), which firmware puts in reserved, ACPI or NVS memory;
 * the RAM it maps at boot (the multiboot2 information, the BIOS data
 * area) is unmapped once read. RAM still mapped there is a frame the heap
 * may own and give to a guest, so any is a finding.
 *
 * Only RAM frames are counted by class; other frames (MMIO, firmware
 * memory) are counted together, and obey the same rules. Findings are
 * counted per page for placement, per leaf for execution and per table
 * page for tables; the first few are named.
 */
#include <asm/bootmap.h>
#include <asm/config.h>
#include <asm/e820.h>
#include <asm/m2p.h>
#include <asm/mm-audit.h>
#include <asm/page.h>
#include <asm/page-owner.h>
#include <asm/pg2virt.h>
#include <asm/pv.h>
#include <asm/smp.h>
#include <xen/domain_page.h>
#include <xen/lib.h>
#include <xen/selftest.h>
#include <xen/string.h>
#include <xen/vmap.h>

#define MAR_NONE MAR_NR

static const char *const class_names[MA_NR] = {
    "image", "frametable", "tracking", "xenheap", "vmap", "mapcache",
    "directmap", "bootmap", "trampoline", "m2p", "vcpuinfo", "other",
};

static const char *const reason_names[MAR_NR] = {
    [MAR_OUTSIDE] = "mapped outside every region",
    [MAR_IMAGE] = "not the image's own frame at its offset",
    [MAR_EXEC] = "executable outside the image's text",
    [MAR_FRAMETABLE_HOLE] = "frame table outside its populated chunks",
    [MAR_TRACKING_HOLE] = "tracking array outside its populated pages",
    [MAR_M2P_HOLE] = "M2P outside the table pages it made",
    [MAR_NOT_OWN_FRAME] = "backed by a frame not the hypervisor's (free, "
                          "xenheap or not RAM)",
    [MAR_NOT_XENHEAP] = "xenheap region maps a frame not marked xenheap",
    [MAR_XENHEAP_ELSEWHERE] = "xenheap page mapped away from its "
                              "page_to_virt()",
    [MAR_VMAP_FREE] = "vmap address in no allocation",
    [MAR_VMAP_UNMAPPED] = "vunmap()ed range, waiting for the purge, still "
                          "mapped",
    [MAR_VMAP_HEAD] = "vmap head mapped past the backed bitmap pages",
    [MAR_MAPCACHE_IDLE] = "mapcache slot not in use",
    [MAR_DIRECTMAP] = "direct map entry not RAM at its own offset below "
                      "the direct map's end",
    [MAR_BOOTMAP_IDLE] = "bootmap slot not in use",
    [MAR_BOOTMAP_RAM] = "RAM in the bootmap window",
    [MAR_TRAMPOLINE] = "trampoline maps more than its code page",
    [MAR_FREE] = "free heap frame mapped",
    [MAR_TABLE_XENHEAP] = "page-table page from the xenheap",
    [MAR_TABLE_FREE] = "page-table page is a free frame",
    [MAR_ROOT_MISMATCH] = "L4 entry differs from the idle tables'",
};

/* One root's walk. */
struct walk {
    struct mm_audit *a;
    const char *root;
    bool trampoline;   /* the lower half is the trampoline's identity map */
    mfn_t code;        /* the trampoline's code frame */
};

extern char __image_end[], __text_end[];

const char *mm_audit_reason_name(enum mm_audit_reason r)
{
    return r < MAR_NR ? reason_names[r] : "?";
}

static void finding(const struct walk *w, unsigned long va, mfn_t mfn,
                    enum mm_audit_reason r)
{
    struct mm_audit *a = w->a;

    if ( r == MAR_FREE )
        a->free_mapped++;
    if ( a->named < MM_AUDIT_NAMED )
        a->finding[a->named++] = (struct mm_audit_finding){
            .root = w->root, .va = va, .mfn = mfn, .reason = r,
        };
    a->unexpected++;
}

/* ------------------------------------------------------------------------
 * Frames
 */

/* Bytes of [s, e) that the memory map calls RAM. */
static paddr_t ram_bytes(paddr_t s, paddr_t e)
{
    paddr_t n = 0;
    unsigned int i;

    for ( i = 0; i < e820.nr_map; i++ )
    {
        const struct e820entry *m = &e820.map[i];
        paddr_t ms = max(s, (paddr_t)m->addr);
        paddr_t me = min(e, (paddr_t)(m->addr + m->size));

        if ( m->type == E820_RAM && ms < me )
            n += me - ms;
    }

    return n;
}

static bool is_ram(mfn_t mfn)
{
    return ram_bytes(mfn_to_maddr(mfn), mfn_to_maddr(mfn) + PAGE_SIZE) ==
           PAGE_SIZE;
}

/* A frame the hypervisor owns: RAM, in use, not a xenheap page. */
static bool own_frame(mfn_t mfn, bool ram)
{
    const struct page_info *pg;

    if ( !ram || !mfn_valid(mfn) )
        return false;
    pg = mfn_to_page(mfn);

    return page_state_is(pg, inuse) && !(pg->count_info & PGC_xen_heap);
}

static bool is_free(mfn_t mfn)
{
    return mfn_valid(mfn) && page_state_is(mfn_to_page(mfn), free);
}

/* ------------------------------------------------------------------------
 * The rules
 */

static enum mm_audit_class classify(const struct walk *w, unsigned long va)
{
    if ( va < (1UL << 47) )
        return w->trampoline ? MA_TRAMPOLINE : MA_OTHER;
    if ( va >= XEN_VIRT_START && va < XEN_VIRT_END )
        return MA_IMAGE;
    if ( va >= FRAMETABLE_VIRT_START && va < FRAMETABLE_VIRT_END )
        return MA_FRAMETABLE;
    if ( va >= PG2VIRT_VIRT_START && va < PG2VIRT_VIRT_END )
        return MA_TRACKING;
    if ( (va >= RO_MPT_VIRT_START && va < RO_MPT_VIRT_END) ||
         (va >= RDWR_MPT_VIRT_START && va < RDWR_MPT_VIRT_END) )
        return MA_M2P;
    if ( va >= XENHEAP_VIRT_START && va < XENHEAP_VIRT_END )
        return MA_XENHEAP;
    /* A guest's registered vcpu_info: vmap, but a guest frame at rest. */
    if ( va >= VMAP_VIRT_START && va < VMAP_VIRT_END )
        return pv_va_is_vcpu_info(va) ? MA_VCPUINFO : MA_VMAP;
    if ( va >= MAPCACHE_VIRT_START && va < MAPCACHE_VIRT_END )
        return MA_MAPCACHE;
    if ( va_in_directmap(va) )
        return MA_DIRECTMAP;
    if ( va >= BOOTMAP_VIRT_START && va < BOOTMAP_VIRT_END )
        return MA_BOOTMAP;
    return MA_OTHER;
}

static enum mm_audit_reason check_xenheap(unsigned long va, mfn_t mfn,
                                          bool ram)
{
    if ( !ram || !mfn_valid(mfn) ||
         !(mfn_to_page(mfn)->count_info & PGC_xen_heap) )
        return MAR_NOT_XENHEAP;
    /* mfn_to_virt() of a frame with no address would stop the machine. */
    if ( !mfn_has_virt(mfn) || mfn_to_virt(mfn) != (void *)va )
        return MAR_XENHEAP_ELSEWHERE;

    return MAR_NONE;
}

static enum mm_audit_reason check_vmap(unsigned long va, mfn_t mfn, bool ram)
{
    switch ( vm_va_state(va) )
    {
    case VM_VA_ALLOCATED:
        return MAR_NONE;
    case VM_VA_BITMAP:
        return own_frame(mfn, ram) ? MAR_NONE : MAR_NOT_OWN_FRAME;
    case VM_VA_UNMAPPED:
        return MAR_VMAP_UNMAPPED;
    case VM_VA_RESERVED:
        return MAR_VMAP_HEAD;
    default:
        return MAR_VMAP_FREE;
    }
}

/* The placement and frame rules for one page (not the direct map's). */
static enum mm_audit_reason check_page(const struct walk *w,
                                       enum mm_audit_class c,
                                       unsigned long va, mfn_t mfn, bool ram)
{
    switch ( c )
    {
    case MA_IMAGE:
        return va < (unsigned long)__image_end &&
               mfn_to_maddr(mfn) == __pa_image(va) ? MAR_NONE : MAR_IMAGE;
    case MA_FRAMETABLE:
        if ( !frame_table_va_populated(va) )
            return MAR_FRAMETABLE_HOLE;
        return own_frame(mfn, ram) ? MAR_NONE : MAR_NOT_OWN_FRAME;
    case MA_TRACKING:
        if ( !pg2virt_va_populated(va) )
            return MAR_TRACKING_HOLE;
        return own_frame(mfn, ram) ? MAR_NONE : MAR_NOT_OWN_FRAME;
    case MA_M2P:
        if ( !m2p_va_backed(va) )
            return MAR_M2P_HOLE;
        return own_frame(mfn, ram) ? MAR_NONE : MAR_NOT_OWN_FRAME;
    case MA_VCPUINFO:
        return check_vmap(va, mfn, ram);
    case MA_XENHEAP:
        return check_xenheap(va, mfn, ram);
    case MA_VMAP:
        return check_vmap(va, mfn, ram);
    case MA_MAPCACHE:
        return mapcache_va_in_use(va) ? MAR_NONE : MAR_MAPCACHE_IDLE;
    case MA_BOOTMAP:
        if ( !bootmap_va_in_use(va) )
            return MAR_BOOTMAP_IDLE;
        return ram ? MAR_BOOTMAP_RAM : MAR_NONE;
    case MA_TRAMPOLINE:
        return mfn_eq(mfn, w->code) && va == mfn_to_maddr(mfn) ? MAR_NONE
                                                              : MAR_TRAMPOLINE;
    default:
        return MAR_OUTSIDE;
    }
}

static void visit_page(const struct walk *w, enum mm_audit_class c,
                       unsigned long va, mfn_t mfn)
{
    bool ram = is_ram(mfn);
    enum mm_audit_reason r = check_page(w, c, va, mfn, ram);

    if ( ram )
        w->a->ram[c]++;
    else
        w->a->nonram++;
    /*
     * Only an allocated page's owner field names an owner (see v.order).
     * Mapcache slots in use are a hypercall in flight on some CPU, not a
     * mapping at rest: the mapcache's class count shows them.
     */
    if ( ram && mfn_valid(mfn) && c != MA_VCPUINFO && c != MA_MAPCACHE &&
         (mfn_to_page(mfn)->count_info & PGC_allocated) )
    {
        if ( mfn_to_page(mfn)->count_info & PGC_xen_heap )
            w->a->shared++;
        else
            w->a->guest++;
    }
    if ( r == MAR_NONE && ram && is_free(mfn) )
        r = MAR_FREE;
    if ( r != MAR_NONE )
        finding(w, va, mfn, r);
}

/* The direct map maps RAM at its own offset: a leaf at a time. */
static void visit_directmap(const struct walk *w, unsigned long va,
                            mfn_t mfn, unsigned long pages)
{
    paddr_t pa = mfn_to_maddr(mfn), len = (paddr_t)pages << PAGE_SHIFT;

    w->a->ram[MA_DIRECTMAP] += pages;
    if ( va - DIRECTMAP_VIRT_START != pa ||
         mfn_x(mfn) + pages > directmap_end_mfn ||
         ram_bytes(pa, pa + len) != len )
        finding(w, va, mfn, MAR_DIRECTMAP);
}

static bool may_execute(const struct walk *w, enum mm_audit_class c,
                        unsigned long va, mfn_t mfn, unsigned long pages)
{
    unsigned long end = va + (pages << PAGE_SHIFT);

    if ( c == MA_IMAGE )
        return end <= ROUNDUP((unsigned long)__text_end, PAGE_SIZE);
    if ( c == MA_TRAMPOLINE )
        return pages == 1 && mfn_eq(mfn, w->code);

    return false;
}

/* A leaf of pages frames from mfn at va; nx: NX here or above. */
static void visit_leaf(const struct walk *w, unsigned long va, mfn_t mfn,
                       unsigned long pages, bool nx)
{
    enum mm_audit_class c = classify(w, va);
    unsigned long i;

    if ( !nx && (pte_flags_supported & _PAGE_NX) &&
         !may_execute(w, c, va, mfn, pages) )
        finding(w, va, mfn, MAR_EXEC);

    if ( c == MA_DIRECTMAP )
    {
        visit_directmap(w, va, mfn, pages);
        return;
    }
    for ( i = 0; i < pages; i++ )
        visit_page(w, c, va + (i << PAGE_SHIFT), mfn_add(mfn, i));
}

static void check_table(const struct walk *w, mfn_t mfn, unsigned long va)
{
    const struct page_info *pg;

    w->a->tables++;
    if ( !mfn_valid(mfn) )
        return;
    pg = mfn_to_page(mfn);
    if ( pg->count_info & PGC_xen_heap )
        finding(w, va, mfn, MAR_TABLE_XENHEAP);
    else if ( page_state_is(pg, free) )
        finding(w, va, mfn, MAR_TABLE_FREE);
}

/* ------------------------------------------------------------------------
 * The walk
 */

static unsigned long canonical(unsigned long va)
{
    return (unsigned long)((long)(va << 16) >> 16);
}

/*
 * Is L4 slot i of the trampoline's root the idle root's own entry? The
 * accessed bit is the CPU's to set in either copy.
 */
static bool shared_with_idle(const struct walk *w, unsigned int i,
                             pgentry_t e, unsigned long va)
{
    pgentry_t mask = ~(pgentry_t)_PAGE_ACCESSED;

    if ( !w->trampoline || i < PAGETABLE_ENTRIES / 2 )
        return false;
    if ( (e & mask) == (idle_pg_table[i] & mask) )
        return true;
    finding(w, va, maddr_to_mfn(e & PTE_ADDR_MASK), MAR_ROOT_MISMATCH);
    return false;
}

static mfn_t leaf_mfn(pgentry_t e, unsigned int level)
{
    return maddr_to_mfn(leaf_maddr(e, level));
}

/*
 * Another CPU may release a mapcache slot between the read of its PTE
 * and the look at its in-use bit (unmap clears the PTE, counts the
 * unmap, then clears the bit), and may map and release it again, the
 * same frame in the same slot, before the PTE is read a second time. A
 * slot whose bit is clear is a finding only if its PTE still reads the
 * same, its bit is still clear, and its CPU has done no unmap since
 * before the first read (unmaps: the count then).
 */
static bool slot_released(const pgentry_t *t, unsigned int i, pgentry_t e,
                          unsigned long va, unsigned long unmaps)
{
    if ( va < MAPCACHE_VIRT_START || va >= MAPCACHE_VIRT_END ||
         mapcache_va_in_use(va) )
        return false;

    return read_atomic(&t[i]) != e || mapcache_va_in_use(va) ||
           mapcache_va_unmaps(va) != unmaps;
}

/* One table at level (4 down to 1) covering va_base upwards. */
static void walk_table(const struct walk *w, mfn_t table, unsigned int level,
                       unsigned long va_base, bool nx)
{
    unsigned int shift = PAGE_SHIFT + 9 * (level - 1), i;
    const pgentry_t *t;

    check_table(w, table, va_base);
    t = map_domain_page(table);
    for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
    {
        unsigned long va = canonical(va_base + ((unsigned long)i << shift));
        unsigned long unmaps = level == 1 ? mapcache_va_unmaps(va) : 0;
        pgentry_t e = read_atomic(&t[i]);
        bool leaf_nx = nx || (e & _PAGE_NX);

        if ( !(e & _PAGE_PRESENT) ||
             (level == 4 && shared_with_idle(w, i, e, va)) ||
             (level == 1 && slot_released(t, i, e, va, unmaps)) )
            continue;
        if ( level == 1 || (level < 4 && (e & _PAGE_PSE)) )
            visit_leaf(w, va, leaf_mfn(e, level),
                       1UL << (shift - PAGE_SHIFT), leaf_nx);
        else
            walk_table(w, maddr_to_mfn(e & PTE_ADDR_MASK), level - 1, va,
                       leaf_nx);
    }
    unmap_domain_page(t);
}

void mm_audit_run(struct mm_audit *a)
{
    struct walk w = { .a = a, .root = "idle", .code = INVALID_MFN };
    mfn_t root;

    memset(a, 0, sizeof(*a));

    walk_table(&w, maddr_to_mfn(__pa_image(idle_pg_table)), 4, 0, false);
    a->roots++;

    if ( ap_trampoline(&root, &w.code) )
    {
        w.root = "trampoline";
        w.trampoline = true;
        walk_table(&w, root, 4, 0, false);
        a->roots++;
    }
}

/* ------------------------------------------------------------------------
 * Reporting, and the self-test
 */

static void print_finding(const struct mm_audit_finding *f)
{
    unsigned long page = (f->va - MAPCACHE_VIRT_START) >> PAGE_SHIFT;

    printk(XENLOG_WARNING "mm-audit: unexpected: %s: %#lx maps frame %#lx "
           "(%s tables)", mm_audit_reason_name(f->reason), f->va,
           mfn_x(f->mfn), f->root);
    if ( f->reason == MAR_MAPCACHE_IDLE )
        printk(" CPU%lu slot %lu", page / MAPCACHE_SLOTS,
               page % MAPCACHE_SLOTS);
    printk("\n");
}

void mm_audit_print(const struct mm_audit *a)
{
    unsigned int i;

    printk("mm-audit: RAM frames mapped by class:");
    for ( i = 0; i < MA_NR; i++ )
        printk(" %s=%lu", class_names[i], a->ram[i]);
    printk(" guest=%lu shared=%lu nonram=%lu tables=%lu roots=%u "
           "free-mapped=%lu unexpected=%lu\n", a->guest, a->shared,
           a->nonram, a->tables, a->roots, a->free_mapped, a->unexpected);

    for ( i = 0; i < a->named; i++ )
        print_finding(&a->finding[i]);
    if ( a->unexpected > a->named )
        printk(XENLOG_WARNING "mm-audit: and %lu more unexpected\n",
               a->unexpected - a->named);
}

static const char *selftest_mm_audit(void)
{
    struct mm_audit a;

    mm_audit_run(&a);
    mm_audit_print(&a);

    if ( a.unexpected )
        return selftest_fail("%lu unexpected mappings, the first: %s at %#lx",
                             a.unexpected,
                             mm_audit_reason_name(a.finding[0].reason),
                             a.finding[0].va);
    if ( !directmap_end_mfn && a.ram[MA_DIRECTMAP] )
        return selftest_fail("no direct map configured, yet %lu frames in it",
                             a.ram[MA_DIRECTMAP]);

    return NULL;
}
REGISTER_LATE_SELFTEST("mm-audit", selftest_mm_audit);
