/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Self-tests of the layout decisions the PV issues build on.
 *
 * "l4-slots": the idle L4 still keeps the rules of asm/l4-slots.h after
 * everything else has run; a guest-style L4 built by init_xen_l4_slots()
 * has exactly the shared entries, an own per-domain entry and nothing
 * else; and the hypervisor runs on it for a moment: its image, stack,
 * per-CPU data, mapcache, frame table and xenheap are all reachable,
 * and so is a page mapped under that L4's per-domain entry, which the
 * idle tables must not reach once they are back.
 *
 * "fixmap": a frame mapped at a fixmap slot reads and writes the same
 * bytes as through the mapcache; cleared, the slot faults.
 */
#include <asm/extable.h>
#include <asm/fixmap.h>
#include <asm/l4-slots.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/system.h>
#include <xen/domain_page.h>
#include <xen/flushtlb.h>
#include <xen/lib.h>
#include <xen/selftest.h>

#define TABLE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)
#define PATTERN     0x6c34736c6f747321UL

/* L4, per-domain L3, L2, L1, and the frame they map. */
enum { T_L4, T_L3, T_L2, T_L1, T_DATA, T_NR };

static void set_entry(struct page_info *table, unsigned int idx,
                      pgentry_t e)
{
    pgentry_t *t = map_domain_page(page_to_mfn(table));

    t[idx] = e;
    unmap_domain_page(t);
}

static pgentry_t entry_of(struct page_info *pg, pgentry_t flags)
{
    return mfn_to_maddr(page_to_mfn(pg)) | flags;
}

/* The guest L4's hypervisor slots are what init_xen_l4_slots() promises. */
static const char *check_guest_l4(struct page_info *l4, struct page_info *l3)
{
    const pgentry_t *t = map_domain_page(page_to_mfn(l4));
    const char *fail = NULL;
    unsigned int s;

    for ( s = 0; s < PAGETABLE_ENTRIES && !fail; s++ )
    {
        pgentry_t want = 0;

        if ( l4_slot_is_shared(s) )
            want = idle_pg_table[s];
        else if ( s == PERDOMAIN_SLOT )
            want = entry_of(l3, TABLE_FLAGS);
        else if ( s == LINEAR_PT_SLOT )
            want = entry_of(l4, LINEAR_PT_FLAGS);
        if ( t[s] != want )
            fail = selftest_fail("guest L4 slot %u is %#lx, want %#lx", s,
                                 t[s], want);
    }
    unmap_domain_page(t);

    return fail;
}

/*
 * On the guest-style L4, with interrupts off: everything the hypervisor
 * needs is there, and the per-domain page too. Returns a bit per thing
 * that was not as it should be.
 */
static unsigned int run_on(struct page_info *l4, mfn_t data,
                           const unsigned long *xh, uint64_t *perdomain)
{
    static unsigned long in_image = PATTERN;
    unsigned long on_stack = PATTERN, old = read_cr3(), flags;
    uint32_t flushed;
    const uint64_t *p;
    unsigned int bad = 0;

    /* No shootdown can move this CPU's flush time from here on. */
    flags = local_irq_save();
    flushed = this_cpu(tlbflush_time);
    write_cr3(mfn_to_maddr(page_to_mfn(l4)));

    if ( read_atomic(&in_image) != PATTERN )
        bad |= 1;
    if ( read_atomic(&on_stack) != PATTERN )
        bad |= 2;
    if ( read_atomic(&this_cpu(tlbflush_time)) != flushed )
        bad |= 4;
    p = map_domain_page(data);
    if ( *p != PATTERN )
        bad |= 8;
    unmap_domain_page(p);
    if ( !page_state_is(mfn_to_page(data), inuse) )
        bad |= 16;
    if ( read_atomic(xh) != PATTERN )
        bad |= 32;
    if ( probe_read_u64((uint64_t *)PERDOMAIN_VIRT_START, perdomain) )
        bad |= 64;

    write_cr3(old);
    local_irq_restore(flags);

    return bad;
}

static const char *l4_slots_run(struct page_info **pg, unsigned long *xh)
{
    uint64_t *p, seen = 0;
    unsigned int bad;
    const char *fail;

    p = map_domain_page(page_to_mfn(pg[T_DATA]));
    *p = PATTERN;
    unmap_domain_page(p);
    *xh = PATTERN;

    /* PERDOMAIN_VIRT_START -> the data frame, under the per-domain L3. */
    set_entry(pg[T_L3], l3_table_offset(PERDOMAIN_VIRT_START),
              entry_of(pg[T_L2], TABLE_FLAGS));
    set_entry(pg[T_L2], l2_table_offset(PERDOMAIN_VIRT_START),
              entry_of(pg[T_L1], TABLE_FLAGS));
    set_entry(pg[T_L1], l1_table_offset(PERDOMAIN_VIRT_START),
              entry_of(pg[T_DATA], pte_flags(PAGE_HYPERVISOR_RW)));

    p = map_domain_page(page_to_mfn(pg[T_L4]));
    init_xen_l4_slots(p, page_to_mfn(pg[T_L3]), page_to_mfn(pg[T_L4]));
    unmap_domain_page(p);
    if ( (fail = check_guest_l4(pg[T_L4], pg[T_L3])) )
        return fail;

    bad = run_on(pg[T_L4], page_to_mfn(pg[T_DATA]), xh, &seen);
    if ( bad )
        return selftest_fail("on a guest-style L4: failed checks %#x (1 image, "
                             "2 stack, 4 per-CPU, 8 mapcache, 16 frame "
                             "table, 32 xenheap, 64 per-domain)", bad);
    if ( seen != PATTERN )
        return selftest_fail("per-domain page read %#lx", seen);

    /* Back on the idle tables, the per-domain page is out of reach. */
    if ( !probe_read_u64((uint64_t *)PERDOMAIN_VIRT_START, &seen) )
        return selftest_fail("the idle tables reach the per-domain area "
                             "(read %#lx)", seen);

    return NULL;
}

static const char *selftest_l4_slots(void)
{
    struct page_info *pg[T_NR] = { NULL };
    /* First: the xenheap may keep page tables and tracking pages. */
    unsigned long *xh = alloc_xenheap_page();
    unsigned long free_before = mm_free_frames();
    const char *fail = NULL;
    unsigned int i, slot;

    if ( (fail = xen_l4_slots_check(&slot)) )
        fail = selftest_fail("idle L4 slot %u: %s", slot, fail);
    else if ( !xh )
        fail = selftest_fail("no xenheap page");

    for ( i = 0; i < T_NR && !fail; i++ )
        if ( !(pg[i] = alloc_domheap_page(0)) )
            fail = selftest_fail("no memory");
    if ( !fail )
        fail = l4_slots_run(pg, xh);

    for ( i = 0; i < T_NR; i++ )
        if ( pg[i] )
            free_domheap_page(pg[i]);
    if ( !fail && mm_free_frames() != free_before )
        fail = selftest_fail("heap has %lu free frames, had %lu",
                             mm_free_frames(), free_before);
    free_xenheap_page(xh);

    return fail;
}
REGISTER_SELFTEST("l4-slots", selftest_l4_slots);

static const char *selftest_fixmap(void)
{
    struct page_info *pg = alloc_domheap_page(0);
    volatile uint64_t *fix = fix_to_virt(FIX_SELFTEST);
    const char *fail = NULL;
    uint64_t *p, v;
    pgentry_t e;

    if ( !pg )
        return selftest_fail("no memory");

    set_fixmap(FIX_SELFTEST, page_to_mfn(pg), PAGE_HYPERVISOR_RW);
    e = xen_pagetable_lookup((unsigned long)fix, NULL);
    p = map_domain_page(page_to_mfn(pg));
    p[1] = PATTERN;
    fix[2] = ~PATTERN;
    if ( !mfn_eq(maddr_to_mfn(e & PTE_ADDR_MASK), page_to_mfn(pg)) )
        fail = selftest_fail("fixmap slot maps %#lx, want %#lx",
                             mfn_x(maddr_to_mfn(e & PTE_ADDR_MASK)),
                             mfn_x(page_to_mfn(pg)));
    else if ( fix[1] != PATTERN || p[2] != ~PATTERN )
        fail = selftest_fail("fixmap and mapcache disagree: %#lx/%#lx",
                             fix[1], p[2]);
    unmap_domain_page(p);

    clear_fixmap(FIX_SELFTEST);
    if ( !fail && !probe_read_u64(fix, &v) )
        fail = selftest_fail("cleared fixmap slot still reads %#lx", v);
    free_domheap_page(pg);

    return fail;
}
REGISTER_SELFTEST("fixmap", selftest_fixmap);
