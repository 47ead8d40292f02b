/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The page-table hypercalls beyond first light: long batches and their
 * continuations (inside and outside a multicall), an honest done count,
 * MACHPHYS_UPDATE read back through the M2P, COPY_PAGE and CLEAR_PAGE,
 * the vCPU-mask flush scopes, update_va_mapping_otherdomain, foreign
 * domain ids, and two vCPUs pinning, unpinning and mapping one frame at
 * once.
 */
#include "pvkernel.h"

#define PTE_RW  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                 _PAGE_DIRTY)
#define PTE_RO  (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

#define BIG_BATCH 10000

static struct mmu_update big[BIG_BATCH];

/* A scratch page made a pinned L1 (not hooked anywhere). */
static unsigned long pinned_l1(void)
{
    unsigned long l1 = scratch_page();

    EXPECT_OK(remap_ro(l1));
    EXPECT_OK(mmuext(MMUEXT_PIN_L1_TABLE, va_to_mfn(l1)));
    return l1;
}

/* Entry i of the batch writes slot i % 512 of l1: data, read-only. */
static void fill_batch(unsigned long l1, unsigned long data, unsigned int n)
{
    uint64_t base = va_to_mfn(l1) << PAGE_SHIFT;

    for ( unsigned int i = 0; i < n; i++ )
    {
        big[i].ptr = (base + (i % 512) * 8) | MMU_NORMAL_PT_UPDATE;
        big[i].val = (va_to_mfn(data) << PAGE_SHIFT) | PTE_RO |
                     ((unsigned long)((i / 512) & 7) << 9); /* an avail bit */
    }
}

/* Slot i holds what the last batch entry for it wrote. */
static unsigned int batch_mismatches(unsigned long l1, unsigned long data,
                                     unsigned int n)
{
    const uint64_t *t = (const uint64_t *)l1;
    unsigned int bad = 0;

    for ( unsigned int s = 0; s < 512 && s < n; s++ )
    {
        unsigned int last = s + ((n - 1 - s) / 512) * 512;

        /* Xen makes user pages global itself; Xenon never does. */
        if ( (t[s] & ~0x100UL) != ((va_to_mfn(data) << PAGE_SHIFT) | PTE_RO |
                      ((unsigned long)((last / 512) & 7) << 9)) )
            bad++;
    }
    return bad;
}

/*
 * An event made pending and unmasked before a long hypercall preempts
 * it: the upcall arrives with the guest back on the hypercall page's
 * SYSCALL, and the call then completes on re-entry.
 */
static unsigned long upcall_rip;
static unsigned int upcall_done_seen;
static volatile unsigned int *watched_done;

static void note_upcall(const struct trap_frame *f)
{
    if ( !upcall_rip )
    {
        upcall_rip = f->rip;
        upcall_done_seen = watched_done ? *watched_done : 0;
    }
}

static void close_port(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };

    EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_close, &c));
}

/*
 * An interrupt between the unmask and the SYSCALL takes the event before
 * the call, which then proves nothing; the batches here rewrite the same
 * entries, so such a try is simply made again (three at most).
 */
static bool retry_upcall(evtchn_port_t port, unsigned int *tries)
{
    if ( upcall_place(upcall_rip) != UPCALL_BEFORE_CALL || ++*tries == 3 )
        return false;
    close_port(port);
    return true;
}

PVTEST(mmu_batch_10000_preempted)
{
    unsigned long l1 = pinned_l1(), data = scratch_page();
    static volatile unsigned int done;
    unsigned int tries = 0;
    evtchn_port_t port;
    long rc;

    fill_batch(l1, data, BIG_BATCH);
    do {
        done = 0;
        upcall_rip = 0;
        watched_done = &done;
        event_hook = note_upcall;
        port = pend_self_event();
        vcpu_info_of[0]->evtchn_upcall_mask = 0;   /* the upcall may come */
        rc = HYPERVISOR_mmu_update(big, BIG_BATCH, &done, DOMID_SELF);
        vcpu_info_of[0]->evtchn_upcall_mask = 1;
    } while ( retry_upcall(port, &tries) );
    EXPECT_OK(rc);
    EXPECT_EQ(done, BIG_BATCH);
    EXPECT_EQ(batch_mismatches(l1, data, BIG_BATCH), 0);
    expect(upcall_place(upcall_rip) == UPCALL_IN_CALL,
           "no upcall inside the batch (upcall at %#lx)", upcall_rip);
    expect(upcall_done_seen > 0 && upcall_done_seen < BIG_BATCH,
           "done count at the upcall %u, want a partial count",
           upcall_done_seen);
    close_port(port);
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(l1)));
}

/*
 * A new L4 -> L3 -> L2 -> TREE_L1S x L1 tree, every L1 full of
 * read-only mappings of data; all of its pages made read-only. With
 * bad_last, the last L1's last entry maps the L2 writable instead,
 * which makes the tree invalid; without link_l2 the L3 is left empty.
 */
#define TREE_L1S 8
#define TREE_PAGES (3 + TREE_L1S)

static void build_tree(unsigned long *pages, unsigned long data,
                       bool bad_last, bool link_l2)
{
    uint64_t *l4 = (uint64_t *)pages[0], *l3 = (uint64_t *)pages[1];
    uint64_t *l2 = (uint64_t *)pages[2];

    for ( unsigned int i = 0; i < TREE_PAGES; i++ )
        EXPECT_OK(remap_rw(pages[i]));
    for ( unsigned int i = 0; i < TREE_L1S; i++ )
    {
        uint64_t *l1 = (uint64_t *)pages[3 + i];

        for ( unsigned int j = 0; j < 512; j++ )
            l1[j] = (va_to_mfn(data) << PAGE_SHIFT) | PTE_RO;
        l2[i] = (va_to_mfn(pages[3 + i]) << PAGE_SHIFT) | PTE_RW;
    }
    if ( bad_last )
        ((uint64_t *)pages[2 + TREE_L1S])[511] =
            (va_to_mfn(pages[2]) << PAGE_SHIFT) | PTE_RW;
    l3[0] = link_l2 ? (va_to_mfn(pages[2]) << PAGE_SHIFT) | PTE_RW : 0;
    l4[0] = (va_to_mfn(pages[1]) << PAGE_SHIFT) | PTE_RW;
    for ( unsigned int i = 0; i < TREE_PAGES; i++ )
        EXPECT_OK(remap_ro(pages[i]));
}

/* Every page of the tree can be mapped writable: no type is left held. */
static void expect_tree_free(const unsigned long *pages, const char *when)
{
    for ( unsigned int i = 0; i < TREE_PAGES; i++ )
    {
        long rc = remap_rw(pages[i]);

        expect(rc == 0, "%s: tree page %u still typed (rc %ld)", when, i, rc);
    }
}

/* An event made pending and unmasked: its upcall may come in a call. */
static evtchn_port_t arm_upcall(void)
{
    evtchn_port_t port;

    upcall_rip = 0;
    port = pend_self_event();
    vcpu_info_of[0]->evtchn_upcall_mask = 0;
    return port;
}

/*
 * After the call (rc its result): events masked again, the call
 * succeeded, and the upcall came with the guest back on the SYSCALL
 * itself (the call was preempted and continued), not on the ret after
 * it.
 */
static void expect_preempted(evtchn_port_t port, long rc, const char *what)
{
    vcpu_info_of[0]->evtchn_upcall_mask = 1;
    expect(rc == 0, "%s: rc %ld", what, rc);
    expect(upcall_place(upcall_rip) == UPCALL_IN_CALL,
           "no upcall inside %s (upcall at %#lx)", what, upcall_rip);
    close_port(port);
}

typedef long tree_op_fn(const unsigned long *pages);

static long pin_tree(const unsigned long *pages)
{
    return mmuext(MMUEXT_PIN_L4_TABLE, va_to_mfn(pages[0]));
}

static long unpin_tree(const unsigned long *pages)
{
    return mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(pages[0]));
}

/* The L3's entry bringing the L2 (and the L1s under it) in. */
static long link_subtree(const unsigned long *pages)
{
    return set_pte(va_to_mfn(pages[1]) << PAGE_SHIFT,
                   (va_to_mfn(pages[2]) << PAGE_SHIFT) | PTE_RW);
}

static long unlink_subtree(const unsigned long *pages)
{
    return set_pte(va_to_mfn(pages[1]) << PAGE_SHIFT, 0);
}

/* op with an event pending must be preempted; undo puts things back. */
static void expect_op_preempted(const unsigned long *pages, tree_op_fn *op,
                                tree_op_fn *undo, const char *what)
{
    unsigned int tries = 0;
    evtchn_port_t port;
    long rc;

    for ( ;; )
    {
        port = arm_upcall();
        rc = op(pages);
        if ( rc || upcall_place(upcall_rip) != UPCALL_BEFORE_CALL ||
             ++tries == 3 )
            break;
        vcpu_info_of[0]->evtchn_upcall_mask = 1;
        close_port(port);
        EXPECT_OK(undo(pages));
    }
    expect_preempted(port, rc, what);
}

/*
 * A whole new tree is validated a sub-table at a time: an event made
 * pending before the pin preempts it, on the hypercall page, and the
 * pin completes on re-entry. Unpinned, no sub-table keeps a reference.
 * An invalid tree is refused whole and leaves nothing held either. A
 * sub-tree that one mmu_update brings in is preempted the same way, and
 * so are the unpin that devalidates the whole tree and the mmu_update
 * that takes a sub-tree away.
 */
PVTEST(mmu_pin_new_tree_preempted)
{
    unsigned long pages[TREE_PAGES], data = scratch_page();
    long rc;

    for ( unsigned int i = 0; i < TREE_PAGES; i++ )
        pages[i] = scratch_page();
    build_tree(pages, data, false, true);
    watched_done = NULL;
    event_hook = note_upcall;
    expect_op_preempted(pages, pin_tree, unpin_tree, "the pin");
    /* Pinned, the tree's tables cannot be mapped writable. */
    EXPECT_ERR(remap_rw(pages[3 + TREE_L1S - 1]), EBUSY);
    /* The unpin devalidates the whole tree: preempted the same way. */
    expect_op_preempted(pages, unpin_tree, pin_tree, "the unpin");
    expect_tree_free(pages, "after unpin");

    /*
     * Which of the two conflicting uses of the L2 is found first depends
     * on the order of validation: Xen (top-down) says -EBUSY, Xenon
     * (bottom-up) -EINVAL. Either way the pin is refused whole.
     */
    build_tree(pages, data, true, true);
    rc = mmuext(MMUEXT_PIN_L4_TABLE, va_to_mfn(pages[0]));
    expect(rc == -EINVAL || rc == -EBUSY, "invalid tree pinned: rc %ld", rc);
    expect_tree_free(pages, "after a refused pin");

    /* The same sub-tree brought in by one mmu_update of an L3 entry. */
    build_tree(pages, data, false, false);
    EXPECT_OK(pin_tree(pages));
    expect_op_preempted(pages, link_subtree, unlink_subtree,
                        "the update bringing it");
    /* Clearing that entry devalidates the sub-tree: in pieces too. */
    expect_op_preempted(pages, unlink_subtree, link_subtree,
                        "the update clearing it");
    EXPECT_OK(unpin_tree(pages));
    expect_tree_free(pages, "after the L3 entry went");
}

PVTEST(mmu_done_count_at_failure)
{
    unsigned long l1 = pinned_l1(), data = scratch_page();
    unsigned int done = ~0U;

    fill_batch(l1, data, 20);
    big[7].val = (va_to_mfn(l1) << PAGE_SHIFT) | PTE_RW; /* a table, RW */
    EXPECT_ERR(HYPERVISOR_mmu_update(big, 20, &done, DOMID_SELF), EBUSY);
    EXPECT_EQ(done, 7);
    /* The first seven went in, nothing after. */
    EXPECT_EQ(((uint64_t *)l1)[6] & PTE_MFN_MASK,
              va_to_mfn(data) << PAGE_SHIFT);
    EXPECT_EQ(((uint64_t *)l1)[8], 0);
    /* A list the guest cannot read (Xen leaves *pdone alone then). */
    EXPECT_ERR(HYPERVISOR_mmu_update((struct mmu_update *)
                                     0xffff830000000000UL, 5, &done,
                                     DOMID_SELF), EFAULT);
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(l1)));
}

PVTEST(mmu_multicall_failing_entry_and_preemption)
{
    unsigned long l1 = pinned_l1(), data = scratch_page();
    static multicall_entry_t mc[3];
    static unsigned int done[2];
    unsigned int tries = 0;
    evtchn_port_t port;
    long rc;

    /* A failing entry in the middle does not stop the batch. */
    memset(mc, 0, sizeof(mc));
    mc[0].op = __HYPERVISOR_xen_version;
    mc[0].args[0] = XENVER_version;
    mc[1].op = __HYPERVISOR_mmuext_op;      /* unpin of a frame not pinned */
    mc[1].args[0] = 0;
    mc[2].op = __HYPERVISOR_xen_version;
    mc[2].args[0] = XENVER_version;
    {
        static struct mmuext_op bad = { .cmd = MMUEXT_UNPIN_TABLE };

        bad.arg1.mfn = va_to_mfn(data);
        mc[1].args[0] = (unsigned long)&bad;
        mc[1].args[1] = 1;
        mc[1].args[3] = DOMID_SELF;
    }
    EXPECT_OK(hypercall2(__HYPERVISOR_multicall, mc, 3));
    expect(mc[0].result > 0 && mc[2].result == mc[0].result,
           "version results %ld, %ld", (long)mc[0].result,
           (long)mc[2].result);
    EXPECT_EQ((long)mc[1].result, -EINVAL);

    /* Two long entries, preempted inside the first: both complete. */
    fill_batch(l1, data, BIG_BATCH);
    do {
        memset(mc, 0, sizeof(mc));
        for ( unsigned int i = 0; i < 2; i++ )
        {
            mc[i].op = __HYPERVISOR_mmu_update;
            mc[i].args[0] = (unsigned long)&big[i * (BIG_BATCH / 2)];
            mc[i].args[1] = BIG_BATCH / 2;
            mc[i].args[2] = (unsigned long)&done[i];
            mc[i].args[3] = DOMID_SELF;
            done[i] = 0;
        }
        upcall_rip = 0;
        watched_done = &done[0];
        event_hook = note_upcall;
        port = pend_self_event();
        vcpu_info_of[0]->evtchn_upcall_mask = 0;
        rc = hypercall2(__HYPERVISOR_multicall, mc, 2);
        vcpu_info_of[0]->evtchn_upcall_mask = 1;
    } while ( retry_upcall(port, &tries) );
    EXPECT_OK(rc);
    EXPECT_EQ((long)mc[0].result, 0);
    EXPECT_EQ((long)mc[1].result, 0);
    EXPECT_EQ(done[0], BIG_BATCH / 2);
    EXPECT_EQ(done[1], BIG_BATCH / 2);
    EXPECT_EQ(batch_mismatches(l1, data, BIG_BATCH), 0);
    expect(upcall_place(upcall_rip) == UPCALL_IN_CALL,
           "no upcall inside the multicall (upcall at %#lx)", upcall_rip);
    close_port(port);
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(l1)));
}

PVTEST(mmu_machphys_update_read_back)
{
    unsigned long a = scratch_page();
    unsigned long mfn = va_to_mfn(a), pfn = m2p[mfn];
    struct mmu_update u = { .ptr = (mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE,
                            .val = 0x12345 };
    static xen_pfn_t m2p_mfn;
    struct xen_machphys_mfn_list l = { .max_extents = 1 };

    EXPECT_EQ(pfn, (a - KERNEL_VIRT_BASE) >> PAGE_SHIFT);
    EXPECT_OK(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
    EXPECT_EQ(m2p[mfn], 0x12345);
    u.val = pfn;
    EXPECT_OK(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
    EXPECT_EQ(m2p[mfn], pfn);
    /* Not ours: an M2P frame. */
    set_xen_guest_handle(l.extent_start, &m2p_mfn);
    EXPECT_OK(HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l));
    u.ptr = (m2p_mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
    EXPECT_ERR(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), EINVAL);
}

static long mmuext2(unsigned int cmd, unsigned long arg1, unsigned long arg2)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = arg1,
                            .arg2.src_mfn = arg2 };

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

PVTEST(mmu_copy_and_clear_page)
{
    unsigned long a = scratch_page(), b = scratch_page();
    unsigned long l1 = pinned_l1();
    unsigned long *pa = (unsigned long *)a, *pb = (unsigned long *)b;
    unsigned int bad = 0;

    for ( unsigned int i = 0; i < 512; i++ )
        pa[i] = 0x1111111111111111UL * (i & 15) + i;
    EXPECT_OK(mmuext2(MMUEXT_COPY_PAGE, va_to_mfn(b), va_to_mfn(a)));
    for ( unsigned int i = 0; i < 512; i++ )
        bad += pb[i] != pa[i];
    EXPECT_EQ(bad, 0);
    EXPECT_OK(mmuext2(MMUEXT_CLEAR_PAGE, va_to_mfn(b), 0));
    bad = 0;
    for ( unsigned int i = 0; i < 512; i++ )
        bad += pb[i] != 0;
    EXPECT_EQ(bad, 0);
    /* A page table is no destination; a table may be a source. */
    EXPECT_ERR(mmuext2(MMUEXT_COPY_PAGE, va_to_mfn(l1), va_to_mfn(a)), EINVAL);
    EXPECT_ERR(mmuext2(MMUEXT_CLEAR_PAGE, va_to_mfn(l1), 0), EINVAL);
    EXPECT_OK(mmuext2(MMUEXT_COPY_PAGE, va_to_mfn(b), va_to_mfn(l1)));
    /* Frames that are not ours, on either side. */
    EXPECT_ERR(mmuext2(MMUEXT_COPY_PAGE, va_to_mfn(b), ~0UL >> 20), EINVAL);
    EXPECT_ERR(mmuext2(MMUEXT_CLEAR_PAGE, ~0UL >> 20, 0), EINVAL);
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(l1)));
}

static long flush_multi(unsigned int cmd, unsigned long va, const void *mask)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.linear_addr = va };

    op.arg2.vcpumask.p = mask;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/*
 * Each flush scope makes a changed mapping visible: the old frame is
 * read through va first (so a TLB may hold it), then the PTE is changed
 * behind the TLB's back with mmu_update, then flushed.
 */
PVTEST(mmu_flush_scopes)
{
    unsigned long a = scratch_page(), b = scratch_page(), v = scratch_page();
    uint64_t pte = pte_maddr(v, 1);
    volatile unsigned long *pv = (volatile unsigned long *)v;
    unsigned long vcpu0 = 1, none = 0;
    unsigned long frame[2] = { va_to_mfn(a), va_to_mfn(b) };

    *(unsigned long *)a = 0xaaaa;
    *(unsigned long *)b = 0xbbbb;
    for ( unsigned int i = 0; i < 6; i++ )
    {
        unsigned long want = i & 1 ? 0xaaaa : 0xbbbb;

        EXPECT_OK(set_pte(pte, (frame[!(i & 1)] << PAGE_SHIFT) | PTE_RW));
        switch ( i )
        {
        case 0:
            EXPECT_OK(flush_multi(MMUEXT_TLB_FLUSH_MULTI, 0, &vcpu0));
            break;
        case 1:
            EXPECT_OK(flush_multi(MMUEXT_INVLPG_MULTI, v, &vcpu0));
            break;
        case 2:
            EXPECT_OK(flush_multi(MMUEXT_TLB_FLUSH_ALL, 0, NULL));
            break;
        case 3:
            EXPECT_OK(flush_multi(MMUEXT_INVLPG_ALL, v, NULL));
            break;
        case 4:
            EXPECT_OK(HYPERVISOR_update_va_mapping(
                v, (frame[0] << PAGE_SHIFT) | PTE_RW,
                UVMF_TLB_FLUSH | UVMF_MULTI | (unsigned long)&vcpu0));
            want = 0xaaaa;
            break;
        case 5:
            EXPECT_OK(HYPERVISOR_update_va_mapping(
                v, (frame[1] << PAGE_SHIFT) | PTE_RW,
                UVMF_INVLPG | UVMF_ALL));
            want = 0xbbbb;
            break;
        }
        expect(*pv == want, "scope %u: read %#lx, want %#lx", i, *pv, want);
    }
    /* An empty mask flushes nothing and is no error. */
    EXPECT_OK(flush_multi(MMUEXT_TLB_FLUSH_MULTI, 0, &none));
    /*
     * Bad masks and addresses, as Xen answers: an unreadable mask is
     * -EINVAL for mmuext_op but -EFAULT for update_va_mapping; INVLPG
     * takes any address (even a non-canonical one: the instruction
     * ignores it).
     */
    EXPECT_ERR(flush_multi(MMUEXT_TLB_FLUSH_MULTI, 0,
                           (void *)0xffff830000000000UL), EINVAL);
    EXPECT_OK(flush_multi(MMUEXT_INVLPG_MULTI, 0x0000800000000000UL, &vcpu0));
    EXPECT_OK(flush_multi(MMUEXT_INVLPG_MULTI, 0xffff830000000000UL, &vcpu0));
    EXPECT_ERR(HYPERVISOR_update_va_mapping(
                   v, (frame[0] << PAGE_SHIFT) | PTE_RW,
                   UVMF_INVLPG | 0xffff830000000000UL), EFAULT);
    EXPECT_OK(remap_rw(v));
}

PVTEST(mmu_foreign_domain_ids)
{
    unsigned long a = scratch_page(), v = scratch_page();
    struct mmu_update u = { .ptr = pte_maddr(v, 1) | MMU_NORMAL_PT_UPDATE,
                            .val = (va_to_mfn(a) << PAGE_SHIFT) | PTE_RW };
    domid_t self = my_domid;

    /* DOMID_SELF names us; our own id, as a foreign domain, does not. */
    *(volatile unsigned long *)a = 0x4321;
    EXPECT_OK(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
    EXPECT_ERR(HYPERVISOR_mmu_update(&u, 1, NULL, self), ESRCH);
    EXPECT_OK(hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, v,
                         (va_to_mfn(v) << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG,
                         DOMID_SELF));
    EXPECT_ERR(hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, v,
                          (va_to_mfn(a) << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG,
                          self), ESRCH);
    EXPECT_OK(hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, v,
                         (va_to_mfn(a) << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG,
                         DOMID_SELF));
    EXPECT_EQ(*(volatile unsigned long *)v, 0x4321);
    /* No such domain. */
    EXPECT_ERR(HYPERVISOR_mmu_update(&u, 1, NULL, 1234), ESRCH);
    EXPECT_ERR(hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, v,
                          (va_to_mfn(a) << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG,
                          1234), ESRCH);
    EXPECT_ERR(HYPERVISOR_mmuext_op(NULL, 0, NULL, 1234), ESRCH);
    EXPECT_OK(remap_rw(v));
}

/*
 * Xenon drops _PAGE_GLOBAL from guest L1 entries (a CR3 load then
 * flushes a vCPU's translations); Xen manages it itself, adding it to
 * user pages and flushing globals at guest kernel/user switches.
 */
PVTEST(mmu_guest_global_bit_dropped)
{
    unsigned long a = scratch_page();

    if ( !on_xenon() )
        check_skip("Xen sets _PAGE_GLOBAL on guest user pages itself");
    EXPECT_OK(HYPERVISOR_update_va_mapping(a, (va_to_mfn(a) << PAGE_SHIFT) |
                                           PTE_RW | 0x100, UVMF_INVLPG));
    EXPECT_EQ(read_pte(a, 1) & 0x100, 0);
    EXPECT_EQ(read_pte(a, 1) & PTE_MFN_MASK, va_to_mfn(a) << PAGE_SHIFT);
}

/* ---- two vCPUs on one frame */

#define RACE_ROUNDS 3000

static struct race {
    unsigned long frame_va, alias_va;
    volatile unsigned int go, stop;
    unsigned int pins[2], unpins[2], rw_maps[2];
    unsigned int rw_while_pinned;
} race;

/*
 * Pin, map writable elsewhere, unpin, whatever the other vCPU does; every
 * other round maps first, so that writable maps happen even when the two
 * vCPUs do not overlap (one CPU for both, or a slow machine).
 */
static void race_round(unsigned int me, unsigned int round)
{
    unsigned long mfn = va_to_mfn(race.frame_va);

    if ( (round & 1) && mmuext(MMUEXT_PIN_L1_TABLE, mfn) == 0 )
        race.pins[me]++;
    if ( HYPERVISOR_update_va_mapping(race.alias_va + me * PAGE_SIZE,
                                      (mfn << PAGE_SHIFT) | PTE_RW,
                                      UVMF_INVLPG) == 0 )
    {
        race.rw_maps[me]++;
        /* Writable now: no one may hold it as a table at this moment. */
        if ( mmuext(MMUEXT_PIN_L1_TABLE, mfn) == 0 )
        {
            race.rw_while_pinned++;
            race.pins[me]++;
        }
        HYPERVISOR_update_va_mapping(race.alias_va + me * PAGE_SIZE, 0,
                                     UVMF_INVLPG);
    }
    if ( mmuext(MMUEXT_UNPIN_TABLE, mfn) == 0 )
        race.unpins[me]++;
}

static void race_vcpu1(void)
{
    while ( !race.go )
        ;
    for ( unsigned int i = 0; i < RACE_ROUNDS && !race.stop; i++ )
        race_round(1, i);
}

PVTEST(mmu_race_pin_unpin_map_two_vcpus)
{
    unsigned int pins, unpins;
    bool pinned_at_end;

    memset(&race, 0, sizeof(race));
    race.frame_va = scratch_page();
    race.alias_va = scratch_page();
    scratch_page();                         /* the second alias */
    EXPECT_OK(remap_ro(race.frame_va));
    EXPECT_OK(HYPERVISOR_update_va_mapping(race.alias_va, 0, UVMF_INVLPG));
    EXPECT_OK(HYPERVISOR_update_va_mapping(race.alias_va + PAGE_SIZE, 0,
                                           UVMF_INVLPG));
    if ( !vcpu1_run(race_vcpu1) )
    {
        fail("vCPU 1 did not start");
        return;
    }
    race.go = 1;
    for ( unsigned int i = 0; i < RACE_ROUNDS; i++ )
        race_round(0, i);
    if ( !vcpu1_wait(20000) )
    {
        race.stop = 1;
        fail("vCPU 1 did not finish its rounds");
        vcpu1_wait(5000);
    }
    pins = race.pins[0] + race.pins[1];
    unpins = race.unpins[0] + race.unpins[1];
    pinned_at_end = mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(race.frame_va)) == 0;
    printk("pvtest: info: race: %u pins, %u unpins, %u+%u writable maps\n",
           pins, unpins, race.rw_maps[0], race.rw_maps[1]);
    EXPECT_EQ(race.rw_while_pinned, 0);
    EXPECT_EQ(pins, unpins + pinned_at_end);
    expect(pins > 0 && race.rw_maps[0] + race.rw_maps[1] > 0,
           "no contention: %u pins, %u writable maps", pins,
           race.rw_maps[0] + race.rw_maps[1]);
    /* Nothing left holding it: writable again, then pinnable again. */
    EXPECT_OK(remap_rw(race.frame_va));
    EXPECT_OK(remap_ro(race.frame_va));
    EXPECT_OK(mmuext(MMUEXT_PIN_L1_TABLE, va_to_mfn(race.frame_va)));
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(race.frame_va)));
    EXPECT_OK(remap_rw(race.alias_va));
    EXPECT_OK(remap_rw(race.alias_va + PAGE_SIZE));
}
