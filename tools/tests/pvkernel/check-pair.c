/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dom0 and a domU together (the `pair` option, on both kernels; each
 * knows the other as peer_domid): a grant each way, mapped from the
 * other side, and an interdomain event channel each way.
 *
 * The domU leads, since it cannot ask about dom0: it grants a rendezvous
 * page to dom0 at PAIR_REF, writing there the port it allocated for
 * dom0; dom0 retries mapping that grant until it appears, allocates a
 * port and grants a page of its own for the domU, writes both into the
 * rendezvous page, binds the domU's port and sends. The domU binds
 * dom0's port, sends back, maps dom0's page and answers in it. Each side
 * waits for the other's event with sched_op poll, and every wait has a
 * deadline so that a missing peer fails the check instead of hanging.
 */
#include "pvkernel.h"
#include <public/grant_table.h>

#define MS 1000000UL
#define PAIR_REF    24            /* the domU's rendezvous page, for dom0 */
#define PAIR_REF2   25            /* dom0's page, for the domU */
#define RV_MAGIC    0x52563031    /* "RV01" */
#define DOM0_WORD   0x0d0d0d0d
#define DOMU_WORD   0x1d1d1d1d

enum step { STEP_NONE, STEP_DOM0_READY, STEP_DOMU_ANSWERED, STEP_DOM0_DONE };

struct rendezvous {
    volatile uint32_t magic;
    volatile uint32_t domu_port;     /* unbound in the domU, for dom0 */
    volatile uint32_t dom0_port;     /* unbound in dom0, for the domU */
    volatile uint32_t step;
};

static bool pair_enabled(void)
{
    return option_set("pair");
}

#define gnttab_op(cmd, p, n) \
    hypercall3(__HYPERVISOR_grant_table_op, cmd, p, n)

/* Frame 0 of this kernel's grant table, mapped at a page of its own. */
static grant_entry_v1_t *pair_table(void)
{
    static grant_entry_v1_t *t;
    static xen_pfn_t frame;
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    unsigned long va;

    if ( t )
        return t;
    set_xen_guest_handle(st.frame_list, &frame);
    if ( gnttab_op(GNTTABOP_setup_table, &st, 1) || st.status != GNTST_okay )
    {
        fail("setup_table: status %d", st.status);
        check_abort();
    }
    va = scratch_page();
    if ( HYPERVISOR_update_va_mapping(va, (frame << PAGE_SHIFT) |
                                      _PAGE_PRESENT | _PAGE_RW | _PAGE_USER,
                                      UVMF_INVLPG) )
    {
        fail("cannot map grant frame %#lx", (unsigned long)frame);
        check_abort();
    }
    t = (grant_entry_v1_t *)va;
    return t;
}

static void grant_to_peer(grant_ref_t ref, unsigned long va, bool readonly)
{
    volatile grant_entry_v1_t *e = &pair_table()[ref];

    e->domid = peer_domid;
    e->frame = va_to_mfn(va);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    e->flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
}

static bool revoke(grant_ref_t ref)
{
    uint16_t want = GTF_permit_access;

    return __atomic_compare_exchange_n(&pair_table()[ref].flags, &want, 0,
                                       false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

/* A fresh VA with nothing mapped: where a peer's grant goes. */
static unsigned long unmapped_va(void)
{
    unsigned long va = scratch_page();

    EXPECT_OK(HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG));
    return va;
}

static int16_t map_peer(grant_ref_t ref, unsigned long va,
                        grant_handle_t *h)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = va, .flags = GNTMAP_host_map, .ref = ref,
        .dom = peer_domid,
    };

    if ( gnttab_op(GNTTABOP_map_grant_ref, &op, 1) )
        return GNTST_general_error;
    *h = op.handle;
    return op.status;
}

static int16_t unmap_peer(unsigned long va, grant_handle_t h)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = va, .handle = h };

    if ( gnttab_op(GNTTABOP_unmap_grant_ref, &op, 1) )
        return GNTST_general_error;
    return op.status;
}

static evtchn_port_t alloc_for_peer(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
                                      .remote_dom = peer_domid };

    EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a));
    return a.port;
}

static evtchn_port_t bind_peer(evtchn_port_t remote)
{
    struct evtchn_bind_interdomain b = { .remote_dom = peer_domid,
                                         .remote_port = remote };

    EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b));
    return b.local_port;
}

static void send(evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };

    EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_send, &s));
}

static void close_port(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };

    EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_close, &c));
}

static bool port_pending(evtchn_port_t port)
{
    return __atomic_load_n(&shared->evtchn_pending[port / 64],
                           __ATOMIC_SEQ_CST) & (1UL << (port % 64));
}

/* Waits (sched_op poll) until port is pending; clears it. */
static bool wait_port(evtchn_port_t port, unsigned long ms)
{
    uint64_t end = system_time_ns(0) + ms * MS;

    while ( !port_pending(port) && system_time_ns(0) < end )
    {
        struct sched_poll p = { .nr_ports = 1, .timeout = end };

        set_xen_guest_handle(p.ports, &port);
        HYPERVISOR_sched_op(SCHEDOP_poll, &p);
    }
    if ( !port_pending(port) )
        return false;
    __atomic_and_fetch(&shared->evtchn_pending[port / 64],
                       ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
    return true;
}

static bool wait_step(struct rendezvous *rv, uint32_t step, unsigned long ms)
{
    uint64_t end = system_time_ns(0) + ms * MS;

    while ( rv->step < step && system_time_ns(0) < end )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    return rv->step >= step;
}

static void pair_domu(void)
{
    unsigned long page = scratch_page(), va = unmapped_va();
    struct rendezvous *rv = (struct rendezvous *)page;
    evtchn_port_t mine = alloc_for_peer(), bound;
    grant_handle_t h = ~0U;
    bool refused_while_mapped;

    rv->domu_port = mine;
    grant_to_peer(PAIR_REF, page, false);
    rv->magic = RV_MAGIC;

    /* dom0 maps our page, binds our port and sends. */
    if ( !wait_port(mine, 20000) )
    {
        fail("no event from dom0 on port %u within 20 s", mine);
        check_abort();
    }
    EXPECT_EQ(rv->step, STEP_DOM0_READY);
    refused_while_mapped = !revoke(PAIR_REF);
    expect(refused_while_mapped, "revoked the rendezvous grant while dom0 "
           "maps it");

    /* Our turn: bind dom0's port and send back; map dom0's page. */
    bound = bind_peer(rv->dom0_port);
    send(bound);
    EXPECT_EQ(map_peer(PAIR_REF2, va, &h), GNTST_okay);
    EXPECT_EQ(*(volatile uint32_t *)va, DOM0_WORD);
    *(volatile uint32_t *)(va + 4) = DOMU_WORD;
    EXPECT_EQ(unmap_peer(va, h), GNTST_okay);
    rv->step = STEP_DOMU_ANSWERED;

    /* dom0 unmaps our page when done: then, and only then, it comes back. */
    expect(wait_step(rv, STEP_DOM0_DONE, 20000), "dom0 did not finish");
    {
        uint64_t end = system_time_ns(0) + 5000 * MS;

        while ( !revoke(PAIR_REF) && system_time_ns(0) < end )
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    EXPECT_EQ(pair_table()[PAIR_REF].flags, 0);
    /* Done: dom0 ends its check only after this one has. */
    send(bound);
    close_port(bound);
    close_port(mine);
}

static void pair_dom0(void)
{
    unsigned long rv_va = unmapped_va(), mine_page = scratch_page();
    struct rendezvous *rv = (struct rendezvous *)rv_va;
    /* The domU may run its other checks first: give it a minute. */
    uint64_t end = system_time_ns(0) + 60000 * MS;
    evtchn_port_t mine, bound;
    grant_handle_t h = ~0U;
    int16_t st;

    /* The domU's rendezvous grant appears once it has started its check. */
    while ( (st = map_peer(PAIR_REF, rv_va, &h)) != GNTST_okay &&
            system_time_ns(0) < end )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    if ( st != GNTST_okay )
    {
        fail("no rendezvous grant from d%u within 60 s (status %d)",
             peer_domid, st);
        check_abort();
    }
    while ( rv->magic != RV_MAGIC && system_time_ns(0) < end )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    EXPECT_EQ(rv->magic, RV_MAGIC);

    mine = alloc_for_peer();
    *(volatile uint32_t *)mine_page = DOM0_WORD;
    grant_to_peer(PAIR_REF2, mine_page, false);
    rv->dom0_port = mine;
    rv->step = STEP_DOM0_READY;
    bound = bind_peer(rv->domu_port);
    send(bound);

    expect(wait_port(mine, 20000), "no event back from d%u", peer_domid);
    expect(wait_step(rv, STEP_DOMU_ANSWERED, 20000), "d%u did not answer",
           peer_domid);
    EXPECT_EQ(*(volatile uint32_t *)(mine_page + 4), DOMU_WORD);
    expect(revoke(PAIR_REF2), "could not revoke the grant the domU unmapped");

    rv->step = STEP_DOM0_DONE;
    EXPECT_EQ(unmap_peer(rv_va, h), GNTST_okay);
    expect(wait_port(mine, 20000), "d%u did not report its end",
           peer_domid);
    close_port(bound);
    close_port(mine);
}

PVTEST(pair_grants_and_events)
{
    if ( !pair_enabled() )
        check_skip("needs the pair option and a peer domain");
    if ( is_dom0() )
        pair_dom0();
    else
        pair_domu();
}

/*
 * The `pair_die` option: the domU grants dom0 a page and, once dom0 has
 * mapped it, shuts down without taking the grant back. Its frames go
 * back to the heap, so dom0's mapping must go first: dom0's next read
 * through it faults, and its handle is no longer valid.
 */
static void die_domu(void)
{
    unsigned long page = scratch_page();
    struct rendezvous *rv = (struct rendezvous *)page;
    evtchn_port_t mine = alloc_for_peer();

    rv->domu_port = mine;
    grant_to_peer(PAIR_REF, page, false);
    rv->magic = RV_MAGIC;
    if ( !wait_port(mine, 20000) )
    {
        fail("no event from dom0 on port %u within 20 s", mine);
        check_abort();
    }
    printk("pvtest: info: dying with a grant mapped by d%u\n", peer_domid);
    poweroff(SHUTDOWN_poweroff);
}

static void die_dom0(void)
{
    unsigned long rv_va = unmapped_va();
    volatile struct rendezvous *rv = (struct rendezvous *)rv_va;
    uint64_t end = system_time_ns(0) + 20000 * MS;
    grant_handle_t h = ~0U;
    bool faulted = false;
    int16_t st;

    while ( (st = map_peer(PAIR_REF, rv_va, &h)) != GNTST_okay &&
            system_time_ns(0) < end )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    if ( st != GNTST_okay )
    {
        fail("no rendezvous grant from d%u within 20 s", peer_domid);
        check_abort();
    }
    EXPECT_EQ(rv->magic, RV_MAGIC);
    send(bind_peer(rv->domu_port));

    /* Until the domU is gone, the page reads as it was; then it faults. */
    end = system_time_ns(0) + 20000 * MS;
    while ( !faulted && system_time_ns(0) < end )
    {
        if ( !pv_setjmp(trap_catch()) )
        {
            (void)rv->magic;
            trap_catch_end();
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        }
        else
            faulted = true;
    }
    expect(faulted, "the dead domU's page was still mapped after 20 s");
    if ( faulted )
        EXPECT_EQ(caught.vector, 14);
    expect(unmap_peer(rv_va, h) != GNTST_okay,
           "unmap of a mapping taken back succeeded");
    EXPECT_EQ(read_pte(rv_va, 1) & _PAGE_PRESENT, 0);
}

PVTEST(pair_granter_dies_while_mapped)
{
    if ( !option_set("pair_die") )
        check_skip("needs the pair_die option and a peer domain");
    if ( is_dom0() )
        die_dom0();
    else
        die_domu();
}
