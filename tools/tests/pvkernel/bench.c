/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * "bench" on the command line: instead of the checks, time PV operations
 * from inside the guest and print one line each,
 *
 *     pvbench: <operation> <n> instructions
 *
 * which tools/scripts/bench.py collects from two hypervisor builds (no
 * direct map, full direct map) and tabulates.
 *
 * The method is the hypervisor's own bench (xen/arch/x86/bench.c): each
 * figure is the median over BENCH_RUNS batches of BENCH_BATCH operations,
 * divided by the batch. Under QEMU with -icount the TSC counts
 * instructions, guest and hypervisor alike, and a calibration loop of a
 * known length converts ticks to instructions. The loop around each
 * operation (a call, an index, a result check) is included.
 *
 * Each operation leaves the state as it found it, or alternates between
 * two states, so that every repetition does the same work. Runs as dom0
 * on one vCPU: the grant operations grant to domain 0.
 */
#include "pvkernel.h"
#include <public/grant_table.h>

#define BENCH_RUNS          51
#define BENCH_BATCH         32
#define CALIBRATION_LOOPS   100000
#define L1_ENTRIES          512
#define MAX_TREE_TABLES     32
#define GRANT_REF           8   /* past the reserved entries */

#define PTE_RW  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                 _PAGE_DIRTY)
#define PTE_RO  (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

/* An operation; i, its index in the batch, picks one of two states. */
typedef void (*bench_fn_t)(unsigned int i);
#define BENCH_OP(name) \
    static void name(unsigned int i __attribute__((unused)))

/* The first failed operation of the current measurement, if any. */
static long bench_rc;
static unsigned int bench_failures;

static inline void note(long rc)
{
    if ( __builtin_expect(rc != 0, 0) && !bench_failures++ )
        bench_rc = rc;
}

static inline uint64_t rdtsc_ordered(void)
{
    asm volatile ( "lfence" ::: "memory" );
    return rdtsc();
}

/* Ticks per 1000 instructions, from a loop of two instructions a turn. */
static uint64_t calibrate(void)
{
    unsigned long n = CALIBRATION_LOOPS;
    uint64_t t = rdtsc_ordered();

    asm volatile ( "1: dec %0; jnz 1b" : "+r" (n) );
    t = rdtsc_ordered() - t;

    return t * 1000 / (2 * CALIBRATION_LOOPS);
}

static void sort(uint64_t *v, unsigned int n)
{
    for ( unsigned int i = 1; i < n; i++ )
        for ( unsigned int j = i; j && v[j - 1] > v[j]; j-- )
        {
            uint64_t t = v[j];

            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

static uint64_t ticks_per_k;

/* Median instructions (ticks if uncalibrated) of one call of fn. */
static uint64_t measure(const char *name, bench_fn_t fn)
{
    uint64_t samples[BENCH_RUNS];

    bench_failures = 0;
    fn(0);  /* warm up; also the state every odd call flips back from */
    fn(1);
    for ( unsigned int run = 0; run < BENCH_RUNS; run++ )
    {
        uint64_t t = rdtsc_ordered();

        for ( unsigned int i = 0; i < BENCH_BATCH; i++ )
            fn(i);
        samples[run] = rdtsc_ordered() - t;
    }
    if ( bench_failures )
    {
        fail("%s: %u failed, the first with %ld", name, bench_failures,
             bench_rc);
        check_abort();
    }
    sort(samples, BENCH_RUNS);
    return ticks_per_k ? samples[BENCH_RUNS / 2] * 1000 / ticks_per_k /
                         BENCH_BATCH
                       : samples[BENCH_RUNS / 2] / BENCH_BATCH;
}

#define NAME_WIDTH 40

static void report(const char *name, uint64_t n)
{
    char padded[NAME_WIDTH + 1];
    size_t len = strlen(name);

    /* Our printk has no %-40s: pad the name by hand, for the eye. */
    memset(padded, ' ', NAME_WIDTH);
    memcpy(padded, name, len < NAME_WIDTH ? len : NAME_WIDTH);
    padded[NAME_WIDTH] = '\0';
    printk("pvbench: %s %8lu instructions\n", padded, (unsigned long)n);
}

static void bench(const char *name, bench_fn_t fn)
{
    report(name, measure(name, fn));
}

/* Setup steps: a failure ends the bench with the check's FAIL line. */
static void must(long rc, const char *what)
{
    if ( rc )
    {
        fail("%s: %ld", what, rc);
        check_abort();
    }
}

/* ------------------------------------------------------------------------
 * The operations
 */

BENCH_OP(b_null)
{
    /* Answered from a constant: the hypercall round trip and no more. */
    HYPERVISOR_xen_version(XENVER_version, NULL);
}

/* A kernel VA whose L1 entry flips between two frames of ours. */
static unsigned long flip_va;
static uint64_t flip_pte[2];
static uint64_t flip_pte_maddr;

BENCH_OP(b_mmu_update_1)
{
    note(set_pte(flip_pte_maddr, flip_pte[i & 1]));
}

BENCH_OP(b_update_va_mapping)
{
    note(HYPERVISOR_update_va_mapping(flip_va, flip_pte[i & 1], UVMF_INVLPG));
}

/* A direct write to the entry through the L1's read-only alias. */
static volatile uint64_t *flip_pte_alias;

BENCH_OP(b_ptwr)
{
    *flip_pte_alias = flip_pte[i & 1];
}

/*
 * A pinned L1 (not hooked in anywhere) whose 512 entries flip between two
 * sets of 512 of our frames, mapped read-only: 1024 distinct page_infos.
 */
static struct mmu_update batch[2][L1_ENTRIES];

BENCH_OP(b_mmu_update_512)
{
    unsigned int done = 0;

    note(HYPERVISOR_mmu_update(batch[i & 1], L1_ENTRIES, &done, DOMID_SELF));
    note(done != L1_ENTRIES);
}

static unsigned long pin_mfn;

BENCH_OP(b_pin_l1)
{
    note(mmuext(MMUEXT_PIN_L1_TABLE, pin_mfn));
    note(mmuext(MMUEXT_UNPIN_TABLE, pin_mfn));
}

BENCH_OP(b_pin_l4)
{
    note(mmuext(MMUEXT_PIN_L4_TABLE, pin_mfn));
    note(mmuext(MMUEXT_UNPIN_TABLE, pin_mfn));
}

static evtchn_port_t ipi_port;

BENCH_OP(b_event)
{
    struct evtchn_send s = { .port = ipi_port };

    /*
     * The upcall comes as the send returns; the handler acknowledges it
     * and its iret masks events again.
     */
    ((volatile vcpu_info_t *)vcpu_info_of[0])->evtchn_upcall_mask = 0;
    note(HYPERVISOR_event_channel_op(EVTCHNOP_send, &s));
}

static unsigned long grant_va;

BENCH_OP(b_grant)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = grant_va, .flags = GNTMAP_host_map, .ref = GRANT_REF,
        .dom = 0,
    };
    struct gnttab_unmap_grant_ref u = { .host_addr = grant_va };

    note(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref,
                    &m, 1));
    note(m.status);
    u.handle = m.handle;
    note(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref,
                    &u, 1));
    note(u.status);
}

/* ------------------------------------------------------------------------
 * Setup
 */

static void setup_flip(void)
{
    unsigned long a = scratch_page(), b = scratch_page();
    uint64_t ma;

    flip_va = scratch_page();
    flip_pte[0] = (va_to_mfn(a) << PAGE_SHIFT) | PTE_RW;
    flip_pte[1] = (va_to_mfn(b) << PAGE_SHIFT) | PTE_RW;
    flip_pte_maddr = ma = pte_maddr(flip_va, 1);
    flip_pte_alias = (volatile uint64_t *)(mfn_to_va(ma >> PAGE_SHIFT) +
                                           (ma & (PAGE_SIZE - 1)));
}

/* A zeroed scratch page turned into a pinned L1 table; its mfn. */
static unsigned long pinned_l1(void)
{
    unsigned long va = scratch_page();

    must(remap_ro(va), "remap an L1 read-only");
    must(mmuext(MMUEXT_PIN_L1_TABLE, va_to_mfn(va)), "pin an L1");
    return va_to_mfn(va);
}

static void setup_batch(void)
{
    unsigned long l1 = pinned_l1();

    for ( unsigned int set = 0; set < 2; set++ )
        for ( unsigned int j = 0; j < L1_ENTRIES; j++ )
        {
            batch[set][j].ptr = ((l1 << PAGE_SHIFT) + j * 8) |
                                MMU_NORMAL_PT_UPDATE;
            batch[set][j].val = (p2m[set * L1_ENTRIES + j] << PAGE_SHIFT) |
                                PTE_RO;
        }
}

/* An unpinned, read-only L1 mapping 512 of our frames (or none). */
static unsigned long full_l1(bool full)
{
    unsigned long va = scratch_page();

    for ( unsigned int j = 0; full && j < L1_ENTRIES; j++ )
        ((uint64_t *)va)[j] = (p2m[j] << PAGE_SHIFT) | PTE_RO;
    must(remap_ro(va), "remap an L1 read-only");
    return va_to_mfn(va);
}

/* ---- a copy of the kernel's whole page-table tree */

struct tree {
    unsigned long va[MAX_TREE_TABLES];    /* the copies, L4 first */
    unsigned int level[MAX_TREE_TABLES];
    unsigned int nr, per_level[5], l1_entries;
};

static bool tree_has(const struct tree *t, unsigned long mfn)
{
    for ( unsigned int n = 0; n < t->nr; n++ )
        if ( va_to_mfn(t->va[n]) == mfn )
            return true;
    return false;
}

/* Copies the table at mfn and, below L1, every table under it. */
static unsigned long copy_table(struct tree *t, unsigned long mfn,
                                unsigned int level)
{
    const uint64_t *src = (const uint64_t *)mfn_to_va(mfn);
    unsigned int n = t->nr++;
    uint64_t *dst;

    if ( n >= MAX_TREE_TABLES )
    {
        fail("the kernel's page tables have more than %u tables",
             MAX_TREE_TABLES);
        check_abort();
    }
    t->va[n] = scratch_page();
    t->level[n] = level;
    t->per_level[level]++;
    dst = (uint64_t *)t->va[n];
    for ( unsigned int i = 0; i < 512; i++ )
    {
        uint64_t e = src[i];

        /* The hypervisor's slots are filled in by the pin. */
        if ( !(e & _PAGE_PRESENT) || (level == 4 && i >= 256 && i < 272) )
            continue;
        if ( level > 1 )
            e = (copy_table(t, (e & PTE_MFN_MASK) >> PAGE_SHIFT,
                            level - 1) << PAGE_SHIFT) | (e & ~PTE_MFN_MASK);
        else
            t->l1_entries++;
        dst[i] = e;
    }
    return va_to_mfn(t->va[n]);
}

/*
 * The copy maps what the kernel maps, so its L1s map the copies too
 * (writable, as the kernel's padding is): a page table may not be
 * writable, so those entries become read-only, as do the kernel's own
 * mappings of the copies.
 */
static unsigned long copy_tree(struct tree *t)
{
    unsigned long l4 = copy_table(t, va_to_mfn(start_info->pt_base), 4);

    for ( unsigned int n = 0; n < t->nr; n++ )
        if ( t->level[n] == 1 )
            for ( unsigned int i = 0; i < 512; i++ )
            {
                uint64_t *e = &((uint64_t *)t->va[n])[i];

                if ( (*e & _PAGE_PRESENT) &&
                     tree_has(t, (*e & PTE_MFN_MASK) >> PAGE_SHIFT) )
                    *e &= ~_PAGE_RW;
            }
    for ( unsigned int n = 0; n < t->nr; n++ )
        must(remap_ro(t->va[n]), "remap a table copy read-only");
    return l4;
}

/* Only the L4 copied: its entries refer to the live, validated L3s. */
static unsigned long copy_l4(void)
{
    unsigned long va = scratch_page();
    const uint64_t *old = (const uint64_t *)start_info->pt_base;

    for ( unsigned int i = 0; i < 512; i++ )
        if ( i < 256 || i >= 272 )
            ((uint64_t *)va)[i] = old[i];
    must(remap_ro(va), "remap an L4 copy read-only");
    return va_to_mfn(va);
}

static void setup_event(void)
{
    struct evtchn_bind_ipi b = { .vcpu = 0 };
    struct evtchn_unmask u;

    must(HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b), "bind_ipi");
    ipi_port = u.port = b.port;
    must(HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &u), "unmask");
}

static void close_event(void)
{
    struct evtchn_close c = { .port = ipi_port };

    must(HYPERVISOR_event_channel_op(EVTCHNOP_close, &c), "close");
}

/* Where grant frame 0 is mapped. */
static grant_entry_v1_t grant_table[PAGE_SIZE / sizeof(grant_entry_v1_t)]
    __attribute__((aligned(PAGE_SIZE)));

static void setup_grant(void)
{
    static xen_pfn_t frame;
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    volatile grant_entry_v1_t *e = &grant_table[GRANT_REF];
    unsigned long page = scratch_page();

    set_xen_guest_handle(st.frame_list, &frame);
    must(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &st, 1)
         ?: st.status, "grant setup_table");
    must(HYPERVISOR_update_va_mapping((unsigned long)grant_table,
                                      (frame << PAGE_SHIFT) | PTE_RW,
                                      UVMF_INVLPG), "map the grant table");
    e->domid = 0;
    e->frame = va_to_mfn(page);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    e->flags = GTF_permit_access;
    /* An address with an L1 under it and nothing mapped. */
    grant_va = scratch_page();
    must(HYPERVISOR_update_va_mapping(grant_va, 0, UVMF_INVLPG),
         "unmap the grant's address");
}

static void end_grant(void)
{
    volatile grant_entry_v1_t *e = &grant_table[GRANT_REF];

    expect(!(e->flags & (GTF_reading | GTF_writing)),
           "grant still in use after the bench: flags %#x", e->flags);
    e->flags = 0;
}

void pv_bench(void)
{
    struct tree tree = { .nr = 0 };
    unsigned int upcalls;
    uint64_t n;

    if ( !is_dom0() )
        check_skip("the grant operations grant to domain 0");

    ticks_per_k = calibrate();
    /* Worded so that it is no "<operation> <n> instructions" line. */
    printk("pvbench: calibrate %lu ticks per 1000 instructions, in the "
           "guest\n", (unsigned long)ticks_per_k);

    bench("null hypercall (xen_version)", b_null);

    setup_flip();
    bench("mmu_update, 1 PTE", b_mmu_update_1);
    setup_batch();
    n = measure("mmu_update 512", b_mmu_update_512);
    report("mmu_update, 512 PTEs (per batch)", n);
    report("mmu_update, 512 PTEs (per entry)", n / L1_ENTRIES);
    bench("update_va_mapping, UVMF_INVLPG", b_update_va_mapping);
    bench("ptwr-emulated PTE write (mov)", b_ptwr);

    pin_mfn = full_l1(false);
    bench("pin+unpin L1, empty", b_pin_l1);
    pin_mfn = full_l1(true);
    bench("pin+unpin L1, 512 entries", b_pin_l1);
    pin_mfn = copy_l4();
    bench("pin+unpin L4, top level copied", b_pin_l4);
    pin_mfn = copy_tree(&tree);
    printk("pvbench: L4 tree: %u tables (L4 %u, L3 %u, L2 %u, L1 %u), "
           "%u present L1 entries\n", tree.nr, tree.per_level[4],
           tree.per_level[3], tree.per_level[2], tree.per_level[1],
           tree.l1_entries);
    bench("pin+unpin L4, whole tree copied", b_pin_l4);

    setup_event();
    upcalls = nr_upcalls();
    bench("event send to self + upcall", b_event);
    upcalls = nr_upcalls() - upcalls;
    close_event();
    EXPECT_EQ(upcalls, 2 + BENCH_RUNS * BENCH_BATCH);

    setup_grant();
    bench("grant map+unmap (self-granted)", b_grant);
    end_grant();
}
