/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memory_op's reservation calls and exchange: round trips with exact
 * counts, the frames they hand out (ours, mappable, their M2P entries),
 * frames given back while still mapped or pinned, exchange both ways
 * and its nr_exchanged when a chunk in the middle fails, a long batch
 * that is preempted and continued, the allowance (max_pages), bad
 * input, and add_to_physmap (which a PV guest does not have).
 */
#include "pvkernel.h"

#define M2P_INVALID     (~0UL)
#define EDOM            33
#define PTE_RW  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                 _PAGE_DIRTY)
#define LONG_BATCH      2000
#define MAX_LIST        8192
/* Pfns for populate_physmap and exchange, far above our own. */
#define FREE_PFN        0x100000UL

static xen_pfn_t list[MAX_LIST];

static long reservation(unsigned int op, xen_pfn_t *l, unsigned long n,
                        unsigned int order, domid_t domid)
{
    struct xen_memory_reservation r = {
        .nr_extents = n, .extent_order = order, .domid = domid,
    };

    set_xen_guest_handle(r.extent_start, l);
    return HYPERVISOR_memory_op(op, &r);
}

static long current_pages(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

static long max_pages(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
}

/* Maps mfn at va (one of our scratch pages); 0 or the error. */
static long map_at(unsigned long va, unsigned long mfn)
{
    return HYPERVISOR_update_va_mapping(va, (mfn << PAGE_SHIFT) | PTE_RW,
                                        UVMF_INVLPG);
}

/* Is mfn ours: can we map it? (va goes back to its own frame.) */
static bool mappable(unsigned long va, unsigned long mfn)
{
    long rc = map_at(va, mfn);

    EXPECT_OK(remap_rw(va));
    return rc == 0;
}

/* Writes word into frame mfn through va; its first word before that. */
static unsigned long poke(unsigned long va, unsigned long mfn,
                          unsigned long word)
{
    unsigned long old = 0;

    if ( map_at(va, mfn) == 0 )
    {
        old = *(volatile unsigned long *)va;
        *(volatile unsigned long *)va = word;
    }
    else
        fail("mfn %#lx not mappable", mfn);
    EXPECT_OK(remap_rw(va));
    return old;
}

/* Does any word of frame mfn differ from 0? */
static bool frame_dirty(unsigned long va, unsigned long mfn)
{
    bool dirty = false;

    if ( map_at(va, mfn) )
        fail("mfn %#lx not mappable", mfn);
    else
        for ( unsigned long i = 0; i < PAGE_SIZE / 8; i++ )
            if ( ((volatile unsigned long *)va)[i] )
                dirty = true;
    EXPECT_OK(remap_rw(va));
    return dirty;
}

static bool ours_in_p2m(unsigned long mfn)
{
    for ( unsigned long pfn = 0; pfn < start_info->nr_pages; pfn++ )
        if ( p2m[pfn] == mfn )
            return true;
    return false;
}

PVTEST(reservation_round_trip)
{
    unsigned long va = scratch_page();
    long before = current_pages();
    const unsigned int n = 16;

    EXPECT_EQ(reservation(XENMEM_increase_reservation, list, n, 0,
                          DOMID_SELF), n);
    EXPECT_EQ(current_pages(), before + n);
    for ( unsigned int i = 0; i < n; i++ )
    {
        expect(!ours_in_p2m(list[i]), "new mfn %#lx already ours", list[i]);
        for ( unsigned int j = 0; j < i; j++ )
            expect(list[i] != list[j], "mfn %#lx given twice", list[i]);
        /* No pfn given, none in the M2P. */
        EXPECT_EQ(m2p[list[i]], M2P_INVALID);
        poke(va, list[i], 0xfeed0000UL + i);
    }
    for ( unsigned int i = 0; i < n; i++ )
        EXPECT_EQ(poke(va, list[i], 0), 0xfeed0000UL + i);

    EXPECT_EQ(reservation(XENMEM_decrease_reservation, list, n, 0,
                          DOMID_SELF), n);
    EXPECT_EQ(current_pages(), before);
    for ( unsigned int i = 0; i < n; i++ )
    {
        expect(!mappable(va, list[i]), "mfn %#lx mappable after decrease",
               list[i]);
        EXPECT_EQ(m2p[list[i]], M2P_INVALID);
    }
    /* Gone already: the first frame is not ours any more. */
    EXPECT_EQ(reservation(XENMEM_decrease_reservation, list, 1, 0,
                          DOMID_SELF), 0);
}

PVTEST(reservation_populate_physmap)
{
    unsigned long va = scratch_page();
    long before = current_pages();
    const unsigned int n = 8;

    for ( unsigned int i = 0; i < n; i++ )
        list[i] = FREE_PFN + i;
    EXPECT_EQ(reservation(XENMEM_populate_physmap, list, n, 0, DOMID_SELF),
              n);
    EXPECT_EQ(current_pages(), before + n);
    for ( unsigned int i = 0; i < n; i++ )
    {
        EXPECT_EQ(m2p[list[i]], FREE_PFN + i);
        expect(mappable(va, list[i]), "populated mfn %#lx not mappable",
               list[i]);
    }
    EXPECT_EQ(reservation(XENMEM_decrease_reservation, list, n, 0,
                          DOMID_SELF), n);
    EXPECT_EQ(current_pages(), before);

    /* An order-2 extent: aligned, its M2P entries pfn.. pfn + 3. */
    list[0] = FREE_PFN + 64;
    EXPECT_EQ(reservation(XENMEM_populate_physmap, list, 1, 2, DOMID_SELF),
              1);
    EXPECT_EQ(current_pages(), before + 4);
    EXPECT_EQ(list[0] & 3, 0);
    for ( unsigned int k = 0; k < 4; k++ )
        EXPECT_EQ(m2p[list[0] + k], FREE_PFN + 64 + k);
    EXPECT_EQ(reservation(XENMEM_decrease_reservation, list, 1, 2,
                          DOMID_SELF), 1);
    EXPECT_EQ(current_pages(), before);
    for ( unsigned int k = 0; k < 4; k++ )
        EXPECT_EQ(m2p[list[0] + k], M2P_INVALID);

    /* An address limit: frames below 4 GiB. */
    EXPECT_EQ(reservation(XENMEM_increase_reservation, list, 1, 0,
                          DOMID_SELF), 1);
    {
        struct xen_memory_reservation r = {
            .nr_extents = 2, .mem_flags = XENMEMF_address_bits(32),
            .domid = DOMID_SELF,
        };

        list[1] = FREE_PFN;
        list[2] = FREE_PFN + 1;
        set_xen_guest_handle(r.extent_start, &list[1]);
        EXPECT_EQ(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 2);
        expect(list[1] < (1UL << 20) && list[2] < (1UL << 20),
               "address_bits 32: mfns %#lx %#lx", list[1], list[2]);
    }
    EXPECT_EQ(reservation(XENMEM_decrease_reservation, list, 3, 0,
                          DOMID_SELF), 3);
    EXPECT_EQ(current_pages(), before);
}

static long exchange(xen_pfn_t *in, unsigned long nr_in, unsigned int in_order,
                     xen_pfn_t *out, unsigned long nr_out,
                     unsigned int out_order, unsigned long *nr_exchanged)
{
    struct xen_memory_exchange x = {
        .in = { .nr_extents = nr_in, .extent_order = in_order,
                .domid = DOMID_SELF },
        .out = { .nr_extents = nr_out, .extent_order = out_order,
                 .domid = DOMID_SELF },
        .nr_exchanged = 0,
    };
    long rc;

    set_xen_guest_handle(x.in.extent_start, in);
    set_xen_guest_handle(x.out.extent_start, out);
    rc = HYPERVISOR_memory_op(XENMEM_exchange, &x);
    *nr_exchanged = x.nr_exchanged;
    return rc;
}

PVTEST(reservation_exchange_both_ways)
{
    unsigned long va = scratch_page(), done;
    long before = current_pages();
    xen_pfn_t in[4], out[4];

    EXPECT_EQ(reservation(XENMEM_increase_reservation, in, 4, 0, DOMID_SELF),
              4);
    for ( unsigned int i = 0; i < 4; i++ )
        poke(va, in[i], 0xabcd0000UL + i);

    /* Four order-0 frames for one order-2 extent at pfn FREE_PFN. */
    out[0] = FREE_PFN;
    EXPECT_OK(exchange(in, 4, 0, out, 1, 2, &done));
    EXPECT_EQ(done, 4);
    EXPECT_EQ(current_pages(), before + 4);
    EXPECT_EQ(out[0] & 3, 0);
    for ( unsigned int i = 0; i < 4; i++ )
    {
        expect(!mappable(va, in[i]), "input mfn %#lx still ours", in[i]);
        EXPECT_EQ(m2p[in[i]], M2P_INVALID);
        EXPECT_EQ(m2p[out[0] + i], FREE_PFN + i);
        /*
         * Contents are not carried over (Xen: whatever the heap had;
         * Xenon: zeroes, the heap scrubs).
         */
        if ( on_xenon() )
            expect(!frame_dirty(va, out[0] + i), "new frame %#lx not zeroed",
                   out[0] + i);
        expect(poke(va, out[0] + i, 0x1234) != 0xabcd0000UL + i,
               "contents carried over to mfn %#lx", out[0] + i);
    }

    /* And back: one order-2 extent for four frames at pfns 8.. 11. */
    in[0] = out[0];
    for ( unsigned int i = 0; i < 4; i++ )
        out[i] = FREE_PFN + 8 + i;
    EXPECT_OK(exchange(in, 1, 2, out, 4, 0, &done));
    EXPECT_EQ(done, 1);
    EXPECT_EQ(current_pages(), before + 4);
    for ( unsigned int i = 0; i < 4; i++ )
    {
        expect(!mappable(va, in[0] + i), "input mfn %#lx still ours",
               in[0] + i);
        EXPECT_EQ(m2p[out[i]], FREE_PFN + 8 + i);
        expect(mappable(va, out[i]), "output mfn %#lx not ours", out[i]);
    }
    EXPECT_EQ(reservation(XENMEM_decrease_reservation, out, 4, 0,
                          DOMID_SELF), 4);
    EXPECT_EQ(current_pages(), before);
}

PVTEST(reservation_exchange_fails_in_the_middle)
{
    unsigned long va = scratch_page(), done, kernel_mfn = va_to_mfn(va);
    long before = current_pages();
    static xen_pfn_t m2p_mfn;
    struct xen_machphys_mfn_list l = { .max_extents = 1 };
    xen_pfn_t mine[3], in[4], out[4], a, b, c, d;

    set_xen_guest_handle(l.extent_start, &m2p_mfn);
    EXPECT_OK(HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l));
    EXPECT_EQ(reservation(XENMEM_increase_reservation, mine, 3, 0,
                          DOMID_SELF), 3);

    /* Chunks of one: the third frame is not ours, the first two go. */
    in[0] = mine[0];
    in[1] = mine[1];
    in[2] = m2p_mfn;
    in[3] = c = mine[2];
    for ( unsigned int i = 0; i < 4; i++ )
        out[i] = FREE_PFN + i;
    EXPECT_ERR(exchange(in, 4, 0, out, 4, 0, &done), EINVAL);
    EXPECT_EQ(done, 2);
    EXPECT_EQ(current_pages(), before + 3);
    for ( unsigned int i = 0; i < 2; i++ )
    {
        /* The heap may hand chunk 0's input out again as chunk 1's output. */
        expect(in[i] == out[0] || in[i] == out[1] || !mappable(va, in[i]),
               "exchanged mfn %#lx still ours", in[i]);
        expect(mappable(va, out[i]), "new mfn %#lx not ours", out[i]);
        EXPECT_EQ(m2p[out[i]], FREE_PFN + i);
    }
    expect(mappable(va, c), "mfn %#lx after the failure taken", c);
    EXPECT_EQ(out[2], FREE_PFN + 2);        /* slots after it untouched */
    a = out[0];
    b = out[1];

    /* A frame of ours that is mapped cannot be exchanged either. */
    in[0] = a;
    in[1] = kernel_mfn;
    out[0] = out[1] = FREE_PFN + 16;
    EXPECT_ERR(exchange(in, 2, 0, out, 2, 0, &done), EINVAL);
    EXPECT_EQ(done, 1);
    EXPECT_EQ(out[1], FREE_PFN + 16);
    d = out[0];
    expect(!mappable(va, a), "exchanged mfn %#lx still ours", a);
    EXPECT_EQ(*(volatile unsigned long *)va, 0);   /* still our page */

    /* One chunk of four with a bad frame in it: all or nothing. */
    in[0] = d;
    in[1] = b;
    in[2] = m2p_mfn;
    in[3] = c;
    out[0] = FREE_PFN + 32;
    EXPECT_ERR(exchange(in, 4, 0, out, 1, 2, &done), EINVAL);
    EXPECT_EQ(done, 0);
    EXPECT_EQ(out[0], FREE_PFN + 32);
    expect(mappable(va, d) && mappable(va, b) && mappable(va, c),
           "a frame lost by a failed chunk");
    EXPECT_EQ(current_pages(), before + 3);

    mine[0] = d;
    mine[1] = b;
    mine[2] = c;
    EXPECT_EQ(reservation(XENMEM_decrease_reservation, mine, 3, 0,
                          DOMID_SELF), 3);
    EXPECT_EQ(current_pages(), before);
}

/*
 * A frame given back while mapped or pinned stays allocated, and
 * counted, until its last reference goes (Xen's rule).
 */
PVTEST(reservation_decrease_mapped_or_pinned)
{
    unsigned long va = scratch_page(), va2 = scratch_page();
    long before = current_pages();
    xen_pfn_t mfn;

    EXPECT_EQ(reservation(XENMEM_increase_reservation, &mfn, 1, 0,
                          DOMID_SELF), 1);
    EXPECT_OK(map_at(va, mfn));
    *(volatile unsigned long *)va = 0x77;
    EXPECT_EQ(reservation(XENMEM_decrease_reservation, &mfn, 1, 0,
                          DOMID_SELF), 1);
    EXPECT_EQ(current_pages(), before + 1);
    EXPECT_EQ(*(volatile unsigned long *)va, 0x77);
    /* Given back twice while mapped: still no error. */
    EXPECT_EQ(reservation(XENMEM_decrease_reservation, &mfn, 1, 0,
                          DOMID_SELF), 1);
    EXPECT_OK(remap_rw(va));                /* the last reference */
    EXPECT_EQ(current_pages(), before);
    expect(!mappable(va2, mfn), "freed mfn %#lx mappable", mfn);

    /* Pinned as an L1 (blank, so that it validates). */
    EXPECT_EQ(reservation(XENMEM_increase_reservation, &mfn, 1, 0,
                          DOMID_SELF), 1);
    EXPECT_OK(map_at(va, mfn));
    memset((void *)va, 0, PAGE_SIZE);
    EXPECT_OK(remap_rw(va));
    EXPECT_OK(mmuext(MMUEXT_PIN_L1_TABLE, mfn));
    EXPECT_EQ(reservation(XENMEM_decrease_reservation, &mfn, 1, 0,
                          DOMID_SELF), 1);
    EXPECT_EQ(current_pages(), before + 1);
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, mfn));
    EXPECT_EQ(current_pages(), before);
    expect(!mappable(va2, mfn), "freed mfn %#lx mappable", mfn);
}

/*
 * The guest list's extents beyond what the allowance allows are not
 * done. Needs a boot with dom0_mem=...,max:... close above dom0's size.
 */
PVTEST(reservation_over_max_pages)
{
    long cur = current_pages(), max = max_pages(), room = max - cur;

    if ( room < 0 || room + 2 > MAX_LIST )
        check_skip("needs dom0_mem=<n>,max:<n + less than 32 MiB>");
    EXPECT_EQ(reservation(XENMEM_increase_reservation, list, room + 2, 0,
                          DOMID_SELF), room);
    EXPECT_EQ(current_pages(), max);
    EXPECT_EQ(reservation(XENMEM_increase_reservation, list + room, 1, 0,
                          DOMID_SELF), 0);
    EXPECT_EQ(reservation(XENMEM_decrease_reservation, list, room, 0,
                          DOMID_SELF), room);
    EXPECT_EQ(current_pages(), cur);
}

/* ---- the long batch, preempted by a pending event */

static unsigned long upcall_rip, upcall_rdi;

static void note_upcall(const struct trap_frame *f)
{
    if ( !upcall_rip )
    {
        upcall_rip = f->rip;
        upcall_rdi = f->rdi;
    }
}

static long batch_with_event_pending(unsigned int op)
{
    struct evtchn_close c;
    long rc;

    upcall_rip = upcall_rdi = 0;
    event_hook = note_upcall;
    c.port = pend_self_event();
    vcpu_info_of[0]->evtchn_upcall_mask = 0;
    rc = reservation(op, list, LONG_BATCH, 0, DOMID_SELF);
    vcpu_info_of[0]->evtchn_upcall_mask = 1;
    event_hook = NULL;
    EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_close, &c));

    return rc;
}

/*
 * op over the first LONG_BATCH slots of list with an event pending. An
 * interrupt between the unmask and the SYSCALL delivers the event before
 * the call: then the batch ran whole, is undone, and tried again.
 */
static long preempted_batch(unsigned int op)
{
    unsigned int undo = op == XENMEM_increase_reservation
                        ? XENMEM_decrease_reservation
                        : XENMEM_increase_reservation;
    unsigned int tries = 0;
    long rc;

    while ( (rc = batch_with_event_pending(op)) == LONG_BATCH &&
            upcall_place(upcall_rip) == UPCALL_BEFORE_CALL && ++tries < 3 )
        EXPECT_EQ(reservation(undo, list, LONG_BATCH, 0, DOMID_SELF),
                  LONG_BATCH);

    expect(upcall_place(upcall_rip) == UPCALL_IN_CALL,
           "op %u: no upcall inside the batch (at %#lx)", op, upcall_rip);
    /* The continuation: the op, and the extents done above bit 6. */
    EXPECT_EQ(upcall_rdi & 63, op);
    expect((upcall_rdi >> 6) > 0 && (upcall_rdi >> 6) < LONG_BATCH,
           "op %u: continuation cmd %#lx, want a partial count", op,
           upcall_rdi);
    return rc;
}

PVTEST(reservation_long_batch_continues)
{
    long before = current_pages();

    if ( max_pages() - before < LONG_BATCH )
        check_skip("needs room for 2000 more pages");
    EXPECT_EQ(preempted_batch(XENMEM_increase_reservation), LONG_BATCH);
    EXPECT_EQ(current_pages(), before + LONG_BATCH);
    for ( unsigned int i = 1; i < LONG_BATCH; i++ )
        if ( list[i] == list[i - 1] || !list[i] )
        {
            fail("slot %u: mfn %#lx", i, list[i]);
            break;
        }
    EXPECT_EQ(preempted_batch(XENMEM_decrease_reservation), LONG_BATCH);
    EXPECT_EQ(current_pages(), before);
}

/* ---- bad input */

PVTEST(reservation_bad_input)
{
    long before = current_pages();
    struct xen_memory_reservation r = {
        .nr_extents = 1, .domid = DOMID_SELF,
    };
    domid_t id;

    set_xen_guest_handle(r.extent_start, list);
    /* Reservation calls count extents: bad input is 0 done, no errno. */
    EXPECT_EQ(HYPERVISOR_memory_op(XENMEM_increase_reservation, NULL), 0);
    EXPECT_EQ(HYPERVISOR_memory_op(XENMEM_increase_reservation,
                                   0xffff830000000000UL), 0);
    EXPECT_EQ(reservation(XENMEM_decrease_reservation, NULL, 1, 0,
                          DOMID_SELF), 0);
    EXPECT_EQ(reservation(XENMEM_populate_physmap, NULL, 1, 0, DOMID_SELF),
              0);
    EXPECT_EQ(reservation(XENMEM_increase_reservation, list, 1, 0, 0x7000),
              0);
    EXPECT_EQ(reservation(XENMEM_increase_reservation, list, 1, 0, DOMID_IO),
              0);
    EXPECT_EQ(reservation(XENMEM_increase_reservation, list, 1, 19,
                          DOMID_SELF), 0);
    EXPECT_EQ(reservation(XENMEM_increase_reservation, list,
                          (0xffffffffUL >> 6) + 1, 0, DOMID_SELF), 0);
    r.mem_flags = XENMEMF_address_bits(12);
    EXPECT_EQ(HYPERVISOR_memory_op(XENMEM_increase_reservation, &r), 0);
    r.mem_flags = XENMEMF_address_bits(13);  /* no RAM that low */
    EXPECT_EQ(HYPERVISOR_memory_op(XENMEM_increase_reservation, &r), 0);
    /*
     * No such node: refused to dom0; a domU's node request is a hint
     * unless exact, so it gets its page (given back at once).
     */
    r.mem_flags = XENMEMF_node(64);
    if ( is_dom0() )
        EXPECT_EQ(HYPERVISOR_memory_op(XENMEM_increase_reservation, &r), 0);
    else
    {
        EXPECT_EQ(HYPERVISOR_memory_op(XENMEM_increase_reservation, &r), 1);
        EXPECT_EQ(reservation(XENMEM_decrease_reservation, list, 1, 0,
                              DOMID_SELF), 1);
        r.mem_flags = XENMEMF_exact_node(64);
        EXPECT_EQ(HYPERVISOR_memory_op(XENMEM_increase_reservation, &r), 0);
    }
    /* Resuming at or past the end does nothing. */
    r.mem_flags = 0;
    EXPECT_EQ(HYPERVISOR_memory_op(XENMEM_increase_reservation | (1 << 6),
                                   &r), 1);
    EXPECT_EQ(current_pages(), before);
    /*
     * A list the guest cannot write: 0 done. Xen leaves the frame it
     * could not report with the guest; Xenon takes it back.
     */
    EXPECT_EQ(reservation(XENMEM_increase_reservation,
                          (xen_pfn_t *)start_info->pt_base, 1, 0,
                          DOMID_SELF), 0);
    if ( on_xenon() )
        EXPECT_EQ(current_pages(), before);

    /* The queries. */
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_current_reservation, NULL),
               EFAULT);
    id = 0x7000;
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_current_reservation, &id), ESRCH);
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_maximum_reservation, &id), ESRCH);
    id = DOMID_SELF;
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_current_reservation | (1 << 6),
                                    &id), EINVAL);
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_maximum_ram_page | (1 << 6),
                                    NULL), EINVAL);
    id = my_domid;  /* our own id works as DOMID_SELF does */
    EXPECT_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &id),
              current_pages());
}

PVTEST(reservation_exchange_bad_input)
{
    struct xen_memory_exchange x = {
        .in = { .nr_extents = 1, .domid = DOMID_SELF },
        .out = { .nr_extents = 1, .domid = DOMID_SELF },
    };
    xen_pfn_t in = 0, out = 0;

    set_xen_guest_handle(x.in.extent_start, &in);
    set_xen_guest_handle(x.out.extent_start, &out);
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_exchange, NULL), EFAULT);
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_exchange | (1 << 6), &x), EINVAL);

    x.out.extent_order = 19;
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_exchange, &x), EPERM);
    x.out.extent_order = 1;                  /* 1 frame for 2 */
    x.nr_exchanged = 0;
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_exchange, &x), EINVAL);
    EXPECT_EQ(x.nr_exchanged, 0);
    x.out.extent_order = 0;
    x.out.domid = 0;                         /* ids must match as given */
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_exchange, &x), EINVAL);
    x.out.domid = DOMID_SELF;
    x.nr_exchanged = 2;
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_exchange, &x), EINVAL);
    EXPECT_EQ(x.nr_exchanged, 2);            /* written back as it was */
    x.nr_exchanged = 1;                      /* all done already */
    EXPECT_OK(HYPERVISOR_memory_op(XENMEM_exchange, &x));
    x.nr_exchanged = 0;
    x.in.domid = x.out.domid = 0x7000;
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_exchange, &x), ESRCH);
    x.in.domid = x.out.domid = DOMID_SELF;
    set_xen_guest_handle(x.out.extent_start,
                         (xen_pfn_t *)0xffff830000000000UL);
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_exchange, &x), EFAULT);
    /* An input frame that is not a frame at all. */
    set_xen_guest_handle(x.out.extent_start, &out);
    in = ~0UL >> 12;
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_exchange, &x), EINVAL);
    EXPECT_EQ(x.nr_exchanged, 0);
}

PVTEST(reservation_add_to_physmap)
{
    struct xen_add_to_physmap a = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info,
        .gpfn = FREE_PFN,
    };

    /* A PV guest has no physmap: Xen refuses once the argument is read. */
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), EACCES);
    a.space = XENMAPSPACE_grant_table;
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), EACCES);
    a.space = XENMAPSPACE_gmfn_foreign;
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), ENOSYS);
    a.space = XENMAPSPACE_shared_info;
    a.domid = 0x7000;
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), ESRCH);
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_add_to_physmap, NULL), EFAULT);
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_add_to_physmap |
                                    (1UL << (6 + 16)), &a), EDOM);
}
