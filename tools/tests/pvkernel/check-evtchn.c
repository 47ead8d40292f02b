/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels, 2-level ABI: interdomain channels (as loopback ones to
 * dom0 itself, the only domain), sending each way with the pending,
 * selector and upcall flags, masking, closing one end, the status of
 * every kind of port, bind_vcpu moving delivery to vCPU 1, the VIRQ
 * classes, bad input for every op, running out of ports, and
 * EVTCHNOP_reset.
 *
 * Every check closes what it binds and leaves nothing pending: the
 * checks after these ones start from an empty port table as before.
 */
#include "pvkernel.h"

#define NR_PORTS    4096    /* EVTCHN_2L_NR_CHANNELS, 64-bit guest */
#define SELF_ID     my_domid
#define NO_DOMAIN   1234    /* no domain has this id */
#define BAD_PORT    NR_PORTS
#define ENOSPC      28

static uint16_t held[NR_PORTS];

static long evtchn_op(unsigned int cmd, void *arg)
{
    return HYPERVISOR_event_channel_op(cmd, arg);
}

/* The new port, or -errno. */
static long alloc_unbound(domid_t dom, domid_t remote)
{
    struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };
    long rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);

    return rc ?: a.port;
}

static long bind_interdomain(domid_t rdom, evtchn_port_t rport)
{
    struct evtchn_bind_interdomain b = { .remote_dom = rdom,
                                         .remote_port = rport };
    long rc = evtchn_op(EVTCHNOP_bind_interdomain, &b);

    return rc ?: b.local_port;
}

static long bind_virq(uint32_t virq, uint32_t vcpu)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
    long rc = evtchn_op(EVTCHNOP_bind_virq, &b);

    return rc ?: b.port;
}

static long bind_ipi(uint32_t vcpu)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu };
    long rc = evtchn_op(EVTCHNOP_bind_ipi, &b);

    return rc ?: b.port;
}

static long bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

    return evtchn_op(EVTCHNOP_bind_vcpu, &b);
}

static long close_port(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };

    return evtchn_op(EVTCHNOP_close, &c);
}

static long send_port(evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };

    return evtchn_op(EVTCHNOP_send, &s);
}

static long unmask_port(evtchn_port_t port)
{
    struct evtchn_unmask u = { .port = port };

    return evtchn_op(EVTCHNOP_unmask, &u);
}

static long status_of(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return evtchn_op(EVTCHNOP_status, st);
}

/* The status (EVTCHNSTAT_*) of an own port; -errno if refused. */
static long state_of(evtchn_port_t port)
{
    struct evtchn_status st;
    long rc = status_of(DOMID_SELF, port, &st);

    return rc ?: st.status;
}

static bool test_word_bit(const xen_ulong_t *w, unsigned int bit)
{
    return __atomic_load_n(&w[bit / 64], __ATOMIC_SEQ_CST) &
           (1UL << (bit % 64));
}

static bool is_pending(evtchn_port_t port)
{
    return test_word_bit(shared->evtchn_pending, port);
}

static bool sel_set(unsigned int vcpu, evtchn_port_t port)
{
    return test_word_bit(&vcpu_info_of[vcpu]->evtchn_pending_sel,
                         port / 64);
}

static void set_mask(evtchn_port_t port, bool on)
{
    if ( on )
        __atomic_or_fetch(&shared->evtchn_mask[port / 64],
                          1UL << (port % 64), __ATOMIC_SEQ_CST);
    else
        __atomic_and_fetch(&shared->evtchn_mask[port / 64],
                           ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
}

static unsigned int nr_vcpus(void)
{
    unsigned int n = 0;

    while ( n < 64 && HYPERVISOR_vcpu_op(VCPUOP_is_up, n, NULL) >= 0 )
        n++;
    return n;
}

/*
 * Ports in use now. Xen answers -EINVAL for a port past the ones it has
 * allocated memory for, which are free too.
 */
static unsigned int ports_in_use(void)
{
    unsigned int n = 0;

    for ( evtchn_port_t p = 1; p < NR_PORTS; p++ )
    {
        long s = state_of(p);

        if ( s != EVTCHNSTAT_closed && s != -EINVAL )
            n++;
    }
    return n;
}

/* vCPU 0's flags clear, nothing noted as seen: a clean start. */
static void quiesce(void)
{
    ack_events();
    memset(events_seen, 0, sizeof(events_seen));
}

/* A loopback pair: *a unbound for dom0, then *b bound to it. */
static bool loopback_pair(long *a, long *b)
{
    *a = alloc_unbound(DOMID_SELF, DOMID_SELF);
    if ( *a <= 0 )
    {
        fail("alloc_unbound: %ld", *a);
        return false;
    }
    *b = bind_interdomain(DOMID_SELF, *a);
    if ( *b <= 0 )
    {
        fail("bind_interdomain to %ld: %ld", *a, *b);
        close_port(*a);
        return false;
    }
    return true;
}

PVTEST(evtchn_loopback_send)
{
    struct evtchn_status st;
    long a, b;

    quiesce();
    if ( !loopback_pair(&a, &b) )
        return;
    expect(a != b && a > 0 && b > 0, "ports %ld and %ld", a, b);

    EXPECT_OK(status_of(DOMID_SELF, a, &st));
    EXPECT_EQ(st.status, EVTCHNSTAT_interdomain);
    EXPECT_EQ(st.u.interdomain.dom, SELF_ID);
    EXPECT_EQ(st.u.interdomain.port, b);
    EXPECT_EQ(st.vcpu, 0);
    EXPECT_OK(status_of(SELF_ID, b, &st));
    EXPECT_EQ(st.status, EVTCHNSTAT_interdomain);
    EXPECT_EQ(st.u.interdomain.port, a);

    /* A send on an unbound port is lost: the new end starts pending. */
    expect(is_pending(b), "bound port %ld not pending at bind", b);
    quiesce();

    /* b -> a: a pending, its word in vCPU 0's selector, the upcall flag. */
    EXPECT_OK(send_port(b));
    expect(is_pending(a) && !is_pending(b), "send on %ld: pending a %d b %d",
           b, is_pending(a), is_pending(b));
    expect(sel_set(0, a), "selector bit %ld not set", a / 64);
    EXPECT_EQ(vcpu_info_of[0]->evtchn_upcall_pending, 1);
    quiesce();

    /* a -> b. */
    EXPECT_OK(send_port(a));
    expect(is_pending(b) && !is_pending(a), "send on %ld: pending a %d b %d",
           a, is_pending(a), is_pending(b));
    expect(sel_set(0, b), "selector bit %ld not set", b / 64);
    EXPECT_EQ(vcpu_info_of[0]->evtchn_upcall_pending, 1);
    quiesce();

    /* Masked: pending, no selector; unmask delivers it. */
    set_mask(a, true);
    EXPECT_OK(send_port(b));
    expect(is_pending(a), "masked port %ld not pending", a);
    expect(!sel_set(0, a), "selector set for masked port %ld", a);
    EXPECT_EQ(vcpu_info_of[0]->evtchn_upcall_pending, 0);
    EXPECT_OK(unmask_port(a));
    expect(!test_word_bit(shared->evtchn_mask, a), "%ld still masked", a);
    expect(sel_set(0, a), "unmask did not set the selector");
    EXPECT_EQ(vcpu_info_of[0]->evtchn_upcall_pending, 1);
    quiesce();
    /* Unmasking a port that is not pending raises nothing. */
    set_mask(a, true);
    EXPECT_OK(unmask_port(a));
    EXPECT_EQ(vcpu_info_of[0]->evtchn_pending_sel, 0);
    EXPECT_EQ(vcpu_info_of[0]->evtchn_upcall_pending, 0);

    EXPECT_OK(close_port(a));
    EXPECT_OK(close_port(b));
    quiesce();
}

PVTEST(evtchn_close_one_end)
{
    struct evtchn_status st;
    long a, b, c;

    quiesce();
    if ( !loopback_pair(&a, &b) )
        return;
    quiesce();

    /* Closing a: b goes back to unbound, bindable by dom0 again. */
    EXPECT_OK(close_port(a));
    EXPECT_EQ(state_of(a), EVTCHNSTAT_closed);
    EXPECT_OK(status_of(DOMID_SELF, b, &st));
    EXPECT_EQ(st.status, EVTCHNSTAT_unbound);
    EXPECT_EQ(st.u.unbound.dom, SELF_ID);
    /* Sending on an unbound port is accepted and goes nowhere. */
    EXPECT_OK(send_port(b));
    expect(!is_pending(a) && !is_pending(b), "send on unbound %ld raised "
           "something", b);
    EXPECT_ERR(send_port(a), EINVAL);
    EXPECT_ERR(bind_interdomain(DOMID_SELF, a), EINVAL);
    c = bind_interdomain(DOMID_SELF, b);
    expect(c > 0, "bind_interdomain to the left end: %ld", c);
    if ( c > 0 )
    {
        EXPECT_OK(status_of(DOMID_SELF, b, &st));
        EXPECT_EQ(st.u.interdomain.port, c);
        /* A bound end is not unbound any more. */
        EXPECT_ERR(bind_interdomain(DOMID_SELF, b), EINVAL);
        EXPECT_ERR(bind_interdomain(DOMID_SELF, c), EINVAL);

        /* Closing a pending port clears its pending bit. */
        quiesce();
        EXPECT_OK(send_port(b));
        expect(is_pending(c), "port %ld not pending", c);
        EXPECT_OK(close_port(c));
        expect(!is_pending(c), "closed port %ld still pending", c);
        EXPECT_EQ(state_of(b), EVTCHNSTAT_unbound);
    }
    EXPECT_OK(close_port(b));
    EXPECT_ERR(close_port(b), EINVAL);
    quiesce();
}

PVTEST(evtchn_status_kinds)
{
    struct evtchn_status st;
    long ipi, virq, unb;

    quiesce();
    EXPECT_OK(status_of(DOMID_SELF, 0, &st));
    EXPECT_EQ(st.status, EVTCHNSTAT_closed);

    ipi = bind_ipi(0);
    EXPECT_OK(status_of(DOMID_SELF, ipi, &st));
    EXPECT_EQ(st.status, EVTCHNSTAT_ipi);
    EXPECT_EQ(st.vcpu, 0);

    virq = bind_virq(VIRQ_DEBUG, 0);
    EXPECT_OK(status_of(DOMID_SELF, virq, &st));
    EXPECT_EQ(st.status, EVTCHNSTAT_virq);
    EXPECT_EQ(st.u.virq, VIRQ_DEBUG);
    EXPECT_EQ(st.vcpu, 0);

    /* Any remote id is taken, existing or not; DOMID_SELF is dom0. */
    unb = alloc_unbound(SELF_ID, NO_DOMAIN);
    EXPECT_OK(status_of(SELF_ID, unb, &st));
    EXPECT_EQ(st.status, EVTCHNSTAT_unbound);
    EXPECT_EQ(st.u.unbound.dom, NO_DOMAIN);
    EXPECT_ERR(bind_interdomain(DOMID_SELF, unb), EINVAL);

    /* Sending on a VIRQ port is refused (Xen's -EINVAL); IPI loops back. */
    EXPECT_ERR(send_port(virq), EINVAL);
    EXPECT_OK(send_port(ipi));
    expect(is_pending(ipi) && sel_set(0, ipi), "IPI %ld not delivered", ipi);

    EXPECT_OK(close_port(ipi));
    EXPECT_OK(close_port(virq));
    EXPECT_OK(close_port(unb));
    EXPECT_EQ(state_of(ipi), EVTCHNSTAT_closed);
    EXPECT_EQ(state_of(virq), EVTCHNSTAT_closed);
    EXPECT_EQ(state_of(unb), EVTCHNSTAT_closed);
    quiesce();
}

/*
 * Xen's classes: TIMER, DEBUG, XENOPROF and XENPMU are per vCPU, the
 * rest (VIRQ_ARCH_* included, on x86) global: bound on vCPU 0 only,
 * then moved with bind_vcpu.
 */
PVTEST(evtchn_virq_classes)
{
    static const bool per_vcpu[NR_VIRQS] = {
        [VIRQ_TIMER] = true, [VIRQ_DEBUG] = true,
        [VIRQ_XENOPROF] = true, [VIRQ_XENPMU] = true,
    };
    unsigned int n = nr_vcpus();
    long port[NR_VIRQS], p;

    quiesce();
    EXPECT_OK(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
    for ( unsigned int v = 0; v < NR_VIRQS; v++ )
    {
        port[v] = bind_virq(v, 0);
        expect(port[v] > 0, "VIRQ %u on vCPU 0: %ld", v, port[v]);
        /* One port per VIRQ (and per vCPU for a per-vCPU one). */
        EXPECT_ERR(bind_virq(v, 0), EEXIST);
        if ( !per_vcpu[v] )
            EXPECT_ERR(bind_virq(v, 1), EINVAL);
        else if ( n < 2 )
            EXPECT_ERR(bind_virq(v, 1), ENOENT);
    }
    EXPECT_ERR(bind_vcpu(port[VIRQ_TIMER], 0), EINVAL);
    EXPECT_ERR(bind_vcpu(port[VIRQ_DEBUG], 0), EINVAL);
    EXPECT_OK(bind_vcpu(port[VIRQ_DOM_EXC], 0));
    if ( n >= 2 )
    {
        struct evtchn_status st;

        for ( unsigned int v = 0; v < NR_VIRQS; v++ )
        {
            if ( !per_vcpu[v] )
                continue;
            p = bind_virq(v, 1);
            expect(p > 0, "VIRQ %u on vCPU 1: %ld", v, p);
            EXPECT_OK(status_of(DOMID_SELF, p, &st));
            EXPECT_EQ(st.vcpu, 1);
            EXPECT_ERR(bind_vcpu(p, 0), EINVAL);
            EXPECT_OK(close_port(p));
        }
        /* A global one moves, and stays bound (on vCPU 0's table). */
        EXPECT_OK(bind_vcpu(port[VIRQ_CONSOLE], 1));
        EXPECT_OK(status_of(DOMID_SELF, port[VIRQ_CONSOLE], &st));
        EXPECT_EQ(st.vcpu, 1);
        EXPECT_EQ(st.u.virq, VIRQ_CONSOLE);
        EXPECT_ERR(bind_virq(VIRQ_CONSOLE, 0), EEXIST);
    }
    for ( unsigned int v = 0; v < NR_VIRQS; v++ )
        EXPECT_OK(close_port(port[v]));
    /* Closed, each can be bound again. */
    p = bind_virq(VIRQ_CONSOLE, 0);
    expect(p > 0, "VIRQ_CONSOLE again: %ld", p);
    EXPECT_OK(close_port(p));
    quiesce();
}

/* bind_vcpu: an interdomain end, and an unbound one before it is bound. */
PVTEST(evtchn_bind_vcpu_delivery)
{
    struct evtchn_status st;
    vcpu_info_t *v1 = vcpu_info_of[1];
    long a, b, ipi;

    if ( nr_vcpus() < 2 )
        check_skip("needs 2 vCPUs (Xen: dom0_max_vcpus=2)");
    quiesce();
    if ( !loopback_pair(&a, &b) )
        return;
    quiesce();
    ipi = bind_ipi(0);
    EXPECT_ERR(bind_vcpu(ipi, 1), EINVAL);
    EXPECT_OK(close_port(ipi));

    /* vCPU 1 is down: delivery only sets its flags. */
    EXPECT_OK(bind_vcpu(a, 1));
    EXPECT_OK(status_of(DOMID_SELF, a, &st));
    EXPECT_EQ(st.vcpu, 1);
    __atomic_and_fetch(&v1->evtchn_pending_sel, ~(1UL << (a / 64)),
                       __ATOMIC_SEQ_CST);
    v1->evtchn_upcall_pending = 0;
    EXPECT_OK(send_port(b));
    expect(is_pending(a), "port %ld not pending", a);
    expect(sel_set(1, a), "vCPU 1's selector bit %ld not set", a / 64);
    EXPECT_EQ(v1->evtchn_upcall_pending, 1);
    expect(!sel_set(0, a), "vCPU 0's selector set for vCPU 1's port");
    EXPECT_EQ(vcpu_info_of[0]->evtchn_upcall_pending, 0);
    __atomic_and_fetch(&shared->evtchn_pending[a / 64], ~(1UL << (a % 64)),
                       __ATOMIC_SEQ_CST);
    v1->evtchn_pending_sel = 0;
    v1->evtchn_upcall_pending = 0;

    /* The other end still notifies vCPU 0. */
    EXPECT_OK(send_port(a));
    expect(sel_set(0, b) && !sel_set(1, b), "port %ld not on vCPU 0", b);
    EXPECT_OK(close_port(b));
    /* a is unbound now; it keeps vCPU 1 for a new binding. */
    EXPECT_OK(status_of(DOMID_SELF, a, &st));
    EXPECT_EQ(st.status, EVTCHNSTAT_unbound);
    EXPECT_EQ(st.vcpu, 1);
    EXPECT_OK(bind_vcpu(a, 0));
    EXPECT_OK(bind_vcpu(a, 1));
    b = bind_interdomain(DOMID_SELF, a);
    quiesce();
    EXPECT_OK(send_port(b));
    expect(sel_set(1, a) && !sel_set(0, a), "after rebinding, %ld not "
           "delivered to vCPU 1", a);
    EXPECT_OK(close_port(a));
    EXPECT_OK(close_port(b));
    /* A closed port notifies vCPU 0 again when reused. */
    a = alloc_unbound(DOMID_SELF, DOMID_SELF);
    EXPECT_OK(status_of(DOMID_SELF, a, &st));
    EXPECT_EQ(st.vcpu, 0);
    EXPECT_OK(close_port(a));
    v1->evtchn_pending_sel = 0;
    v1->evtchn_upcall_pending = 0;
    quiesce();
}

PVTEST(evtchn_bad_input)
{
    struct evtchn_status st;
    struct evtchn_reset rs = { .dom = NO_DOMAIN };
    unsigned int n = nr_vcpus();
    long ipi, virq, a, b;

    quiesce();
    EXPECT_ERR(alloc_unbound(NO_DOMAIN, DOMID_SELF), ESRCH);

    ipi = bind_ipi(0);
    virq = bind_virq(VIRQ_DEBUG, 0);
    if ( !loopback_pair(&a, &b) )
        return;
    EXPECT_ERR(bind_interdomain(NO_DOMAIN, a), ESRCH);
    EXPECT_ERR(bind_interdomain(DOMID_SELF, 0), EINVAL);
    EXPECT_ERR(bind_interdomain(DOMID_SELF, BAD_PORT), EINVAL);
    EXPECT_ERR(bind_interdomain(DOMID_SELF, ipi), EINVAL);
    EXPECT_ERR(bind_interdomain(DOMID_SELF, virq), EINVAL);
    EXPECT_ERR(bind_interdomain(DOMID_SELF, a), EINVAL);

    EXPECT_ERR(bind_virq(NR_VIRQS, 0), EINVAL);
    EXPECT_ERR(bind_virq(0xffffffff, 0), EINVAL);
    EXPECT_ERR(bind_virq(VIRQ_DEBUG, n), ENOENT);
    EXPECT_ERR(bind_virq(VIRQ_DEBUG, 4096), ENOENT);
    EXPECT_ERR(bind_virq(VIRQ_DOM_EXC, 4096), EINVAL);

    EXPECT_ERR(bind_ipi(n), ENOENT);
    EXPECT_ERR(bind_ipi(0xffffffff), ENOENT);

    EXPECT_ERR(bind_vcpu(a, n), ENOENT);
    EXPECT_ERR(bind_vcpu(BAD_PORT, n), ENOENT);
    EXPECT_ERR(bind_vcpu(BAD_PORT, 0), EINVAL);
    EXPECT_ERR(bind_vcpu(0, 0), EINVAL);
    EXPECT_ERR(bind_vcpu(ipi, 0), EINVAL);

    EXPECT_ERR(send_port(0), EINVAL);
    EXPECT_ERR(send_port(BAD_PORT), EINVAL);
    EXPECT_ERR(send_port(0xffffffff), EINVAL);

    EXPECT_ERR(close_port(0), EINVAL);
    EXPECT_ERR(close_port(BAD_PORT), EINVAL);

    EXPECT_ERR(unmask_port(BAD_PORT), EINVAL);
    EXPECT_ERR(unmask_port(0xffffffff), EINVAL);

    EXPECT_ERR(status_of(DOMID_SELF, BAD_PORT, &st), EINVAL);
    EXPECT_ERR(status_of(NO_DOMAIN, 1, &st), ESRCH);

    EXPECT_ERR(evtchn_op(EVTCHNOP_reset, &rs), ESRCH);

    /* A bad pointer, for each op. */
    for ( unsigned int cmd = EVTCHNOP_bind_interdomain;
          cmd <= EVTCHNOP_reset; cmd++ )
        if ( cmd != EVTCHNOP_bind_pirq )
            expect(evtchn_op(cmd, NULL) == -EFAULT, "op %u on NULL: %ld",
                   cmd, evtchn_op(cmd, NULL));
    EXPECT_ERR(evtchn_op(99, &st), ENOSYS);

    /* Nothing above changed a port. */
    EXPECT_EQ(state_of(ipi), EVTCHNSTAT_ipi);
    EXPECT_EQ(state_of(virq), EVTCHNSTAT_virq);
    EXPECT_EQ(state_of(a), EVTCHNSTAT_interdomain);
    EXPECT_OK(close_port(ipi));
    EXPECT_OK(close_port(virq));
    EXPECT_OK(close_port(a));
    EXPECT_OK(close_port(b));
    quiesce();
}

/*
 * Ports 1 to 4095 are there to take (port 0 never is), lowest free first;
 * when they are gone every op that takes one fails with -ENOSPC.
 */
PVTEST(evtchn_exhaustion)
{
    unsigned int before = ports_in_use(), n = 0;
    long p, victim;

    quiesce();
    while ( n < NR_PORTS && (p = alloc_unbound(DOMID_SELF, DOMID_SELF)) > 0 )
        held[n++] = p;
    EXPECT_ERR(p, ENOSPC);
    EXPECT_EQ(n, NR_PORTS - 1 - before);
    if ( before == 0 )
        expect(n && held[0] == 1 && held[n - 1] == NR_PORTS - 1,
               "ports %u to %u", held[0], held[n ? n - 1 : 0]);
    EXPECT_ERR(bind_ipi(0), ENOSPC);
    EXPECT_ERR(bind_virq(VIRQ_DEBUG, 0), ENOSPC);
    EXPECT_ERR(bind_interdomain(DOMID_SELF, held[0]), ENOSPC);
    EXPECT_ERR(alloc_unbound(DOMID_SELF, DOMID_SELF), ENOSPC);

    /* A closed port is the one handed out next. */
    if ( n > 100 )
    {
        victim = held[100];
        EXPECT_OK(close_port(victim));
        EXPECT_EQ(bind_interdomain(DOMID_SELF, held[0]), victim);
        EXPECT_EQ(state_of(held[0]), EVTCHNSTAT_interdomain);
        EXPECT_ERR(bind_ipi(0), ENOSPC);
    }
    for ( unsigned int i = 0; i < n; i++ )
        EXPECT_OK(close_port(held[i]));
    EXPECT_EQ(ports_in_use(), before);
    p = bind_ipi(0);
    expect(p > 0, "bind_ipi after freeing: %ld", p);
    EXPECT_OK(close_port(p));
    quiesce();
}

/* EVTCHNOP_reset on itself closes every port, of every kind. */
PVTEST(evtchn_reset)
{
    struct evtchn_reset rs = { .dom = DOMID_SELF };
    long a, b, p;

    if ( ports_in_use() )
        check_skip("ports bound by earlier checks would be lost");
    quiesce();
    if ( !loopback_pair(&a, &b) )
        return;
    EXPECT_OK(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
    expect(bind_virq(VIRQ_TIMER, 0) > 0, "bind VIRQ_TIMER");
    expect(bind_virq(VIRQ_DOM_EXC, 0) > 0, "bind VIRQ_DOM_EXC");
    expect(bind_ipi(0) > 0, "bind_ipi");
    expect(alloc_unbound(DOMID_SELF, NO_DOMAIN) > 0, "alloc_unbound");
    EXPECT_EQ(ports_in_use(), 6);
    EXPECT_OK(evtchn_op(EVTCHNOP_reset, &rs));
    EXPECT_EQ(ports_in_use(), 0);
    expect(!is_pending(b), "port %ld pending after reset", b);
    /* The VIRQs are free to bind again, from port 1 up. */
    p = bind_virq(VIRQ_TIMER, 0);
    EXPECT_EQ(p, 1);
    EXPECT_EQ(bind_virq(VIRQ_DOM_EXC, 0), 2);
    /* By own id, too. */
    rs.dom = SELF_ID;
    EXPECT_OK(evtchn_op(EVTCHNOP_reset, &rs));
    EXPECT_EQ(ports_in_use(), 0);
    quiesce();
}

/* Xenon refuses the FIFO ABI (Xen would switch to it: not run there). */
PVTEST(evtchn_fifo_refused)
{
    struct evtchn_init_control ic = { .control_gfn = 0, .vcpu = 0 };
    struct evtchn_expand_array ea = { 0 };
    struct evtchn_set_priority sp = { .port = 1, .priority = 7 };
    char extra[XEN_EXTRAVERSION_LEN];

    /* Priorities are the FIFO ABI's: Xen refuses them with 2-level too. */
    EXPECT_ERR(evtchn_op(EVTCHNOP_set_priority, &sp), ENOSYS);
    memset(extra, 0, sizeof(extra));
    EXPECT_OK(HYPERVISOR_xen_version(XENVER_extraversion, extra));
    if ( !strstr(extra, "xenon") )
        check_skip("Xen has the FIFO ABI");
    EXPECT_ERR(evtchn_op(EVTCHNOP_init_control, &ic), ENOSYS);
    EXPECT_ERR(evtchn_op(EVTCHNOP_expand_array, &ea), ENOSYS);
}
