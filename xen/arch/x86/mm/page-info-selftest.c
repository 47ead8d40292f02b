/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Self-test "page-info": the parts of struct page_info that the PV issues
 * build on (asm/mm.h, asm/page-owner.h).
 *
 *  - a page fresh from the heap has no owner, no type and no references;
 *  - an owner set to a xenheap page (where every struct domain will
 *    live) reads back as the same pointer, and clearing it leaves the
 *    word at 0 (order 0);
 *  - from every online CPU at once, each CPU flipping a flag of its own
 *    in one page's count_info while all of them count references in the
 *    same word with cmpxchg: no update may be lost, and a flag set
 *    before must survive. A plain |= or &= would lose some of them on
 *    hardware (and under multi-threaded TCG).
 */
#include <asm/mm.h>
#include <asm/page-owner.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/selftest.h>
#include <xen/smp.h>

static const char *check_owner(struct page_info *pg, const void *owner)
{
    const struct domain *d = owner;

    page_set_owner(pg, d);
    if ( page_get_owner(pg) != d )
        return selftest_fail("owner %p read back as %p", owner,
                             page_get_owner(pg));
    if ( pg->v.owner != mfn_x(virt_to_mfn(owner)) + 1 )
        return selftest_fail("owner %p stored as %#x", owner, pg->v.owner);
    page_set_owner(pg, NULL);
    if ( page_get_owner(pg) || page_get_order(pg) )
        return selftest_fail("cleared owner reads %p, order %u",
                             page_get_owner(pg), page_get_order(pg));

    return NULL;
}

static const char *owner_run(struct page_info *pg)
{
    void *xh = alloc_xenheap_page();
    const char *fail;

    if ( pg->type_info || pg->v.owner ||
         pg->count_info != PGC_state_inuse )
        return selftest_fail("fresh page: count_info %#lx type_info %#lx "
                             "owner %#x", pg->count_info, pg->type_info,
                             pg->v.owner);
    if ( page_get_owner(pg) )
        return selftest_fail("fresh page owned by %p", page_get_owner(pg));
    if ( !xh )
        return selftest_fail("no xenheap page");
    fail = check_owner(pg, xh);
    free_xenheap_page(xh);

    return fail;
}

/* ------------------------------------------------------------------------
 * Flags and counts of one page from every CPU at once.
 */

/* Reserved count_info bits (asm/mm.h): the test's page, the test's bits. */
#define TEST_FLAG(cpu) (1UL << (52 + (cpu)))
#define TEST_FLAGGERS  4
#define SURVIVOR       (1UL << 56)
/* Total rounds, shared out: fixed work whatever the CPU count. */
#define FLAG_WORK      16000

static struct page_info *shared_pg;
static unsigned int flag_rounds;
static unsigned long flag_errors;

static void get_ref(struct page_info *pg)
{
    unsigned long x = read_atomic(&pg->count_info), y;

    do {
        y = x;
        x = cmpxchg(&pg->count_info, y, y + 1);
    } while ( x != y );
}

static void flag_worker(void *unused)
{
    unsigned int cpu = smp_processor_id(), i;
    unsigned long flag = cpu < TEST_FLAGGERS ? TEST_FLAG(cpu) : 0;

    for ( i = 0; i < flag_rounds; i++ )
    {
        if ( flag )
        {
            page_set_flag(shared_pg, flag);
            if ( !(read_atomic(&shared_pg->count_info) & flag) )
                arch_fetch_and_add(&flag_errors, 1);
        }
        get_ref(shared_pg);
        if ( flag )
        {
            page_clear_flag(shared_pg, flag);
            if ( read_atomic(&shared_pg->count_info) & flag )
                arch_fetch_and_add(&flag_errors, 1);
        }
    }
}

static const char *flags_run(struct page_info *pg)
{
    unsigned int n = num_online_cpus();
    unsigned long want, got, left;

    shared_pg = pg;
    flag_rounds = FLAG_WORK / n;
    flag_errors = 0;
    page_set_flag(pg, SURVIVOR);
    on_cpus_idle(&cpu_online_map, flag_worker, NULL);

    want = (unsigned long)flag_rounds * n;
    got = pg->count_info & PGC_count_mask;
    left = pg->count_info & ~(PGC_count_mask | PGC_state_mask);
    /* What the heap is given back must hold no references. */
    pg->count_info = PGC_state_inuse;

    if ( flag_errors )
        return selftest_fail("%lu flag changes lost (undone before their "
                             "own CPU read them back)", flag_errors);
    if ( got != want )
        return selftest_fail("%u CPUs counted %lu references, want %lu", n,
                             got, want);
    if ( left != SURVIVOR )
        return selftest_fail("flags left %#lx, want only %#lx", left,
                             SURVIVOR);

    return NULL;
}

static const char *selftest_page_info(void)
{
    struct page_info *pg = alloc_domheap_page(0);
    const char *fail;

    if ( !pg )
        return selftest_fail("no memory");
    fail = owner_run(pg);
    if ( !fail )
        fail = flags_run(pg);
    free_domheap_page(pg);

    return fail;
}
REGISTER_SELFTEST("page-info", selftest_page_info);
