/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels: the ports of each domain and EVTCHNOP_*, with Xen's
 * semantics and error codes (the rules are in xen/event.h, the design in
 * docs/designs/event-channels.md). Delivery is event_2l.c.
 *
 * Every change to a port happens under its domain's event_lock, and to
 * an interdomain pair under both domains' locks, lower address first.
 * Closing learns the peer only once its own lock is held; if the peer
 * comes first in the order, its lock is tried, and on failure both are
 * dropped and taken again in order. The peer cannot vanish meanwhile
 * without first unbinding the pair, which the recheck then sees.
 *
 * PIRQ ports: bind_pirq and closing leave the line's side to
 * asm/physdev.h (x86's PIRQ table) under the same event_lock.
 *
 * Ports consumed by the hypervisor (a domU's console ring) are UNBOUND
 * ports naming DOMID_XEN, with the index of a consumer function that a
 * send calls once d's lock is dropped.
 *
 * Not supported: the FIFO ABI
 * (init_control, expand_array, set_priority -ENOSYS, so guests keep the
 * 2-level ABI).
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/xmalloc.h>
#include <asm/guest_access.h>
#include <asm/physdev.h>
#include <public/event_channel.h>
#include <public/xen.h>

int evtchn_init(struct domain *d)
{
    spin_lock_init(&d->event_lock);
    d->max_evtchns = EVTCHN_2L_NR_CHANNELS;
    d->evtchn = xzalloc_array(struct evtchn, d->max_evtchns);

    return d->evtchn ? 0 : -ENOMEM;
}

static struct vcpu *vcpu_of(const struct domain *d, unsigned int id)
{
    return id < d->max_vcpus ? d->vcpu[id] : NULL;
}

/* The lowest free port but 0; under event_lock. A dying domain has none. */
static int alloc_port(const struct domain *d)
{
    unsigned int p;

    if ( d->is_dying )
        return -EINVAL;
    for ( p = 1; p < d->max_evtchns; p++ )
        if ( d->evtchn[p].state == ECS_FREE )
            return p;

    return -ENOSPC;
}

/* Back to FREE, not pending, notifying vCPU 0 (as Xen); under event_lock. */
static void free_port(struct domain *d, evtchn_port_t port)
{
    struct evtchn *e = &d->evtchn[port];

    write_atomic(&e->state, ECS_FREE);
    write_atomic(&e->notify_vcpu, 0);
    e->remote_dom = NULL;
    e->xen_consumer = 0;
    evtchn_2l_clear_pending(d, port);
}

/*
 * The domain dom names (DOMID_SELF: the caller's), with a reference;
 * NULL if there is none.
 */
static struct domain *get_target(domid_t dom)
{
    return get_domain_by_id(dom == DOMID_SELF ? current->domain->domain_id
                                              : dom);
}

/* May the calling domain act on d's ports? Itself, or if privileged. */
static bool may_control(const struct domain *d)
{
    return d == current->domain || current->domain->is_privileged;
}

static void lock_pair(struct domain *a, struct domain *b)
{
    if ( a == b )
        spin_lock(&a->event_lock);
    else if ( a < b )
    {
        spin_lock(&a->event_lock);
        spin_lock(&b->event_lock);
    }
    else
    {
        spin_lock(&b->event_lock);
        spin_lock(&a->event_lock);
    }
}

static void unlock_pair(struct domain *a, struct domain *b)
{
    if ( a != b )
        spin_unlock(&b->event_lock);
    spin_unlock(&a->event_lock);
}

static long alloc_unbound(struct evtchn_alloc_unbound *a)
{
    struct domain *d = get_target(a->dom);
    int port;

    if ( !d )
        return -ESRCH;
    spin_lock(&d->event_lock);
    port = alloc_port(d);
    if ( port > 0 && !may_control(d) )
        port = -EPERM;
    if ( port > 0 )
    {
        struct evtchn *e = &d->evtchn[port];

        /* DOMID_SELF is the caller, not necessarily d (as Xen). */
        e->remote_domid = a->remote_dom == DOMID_SELF
                          ? current->domain->domain_id : a->remote_dom;
        write_atomic(&e->state, ECS_UNBOUND);
        a->port = port;
    }
    spin_unlock(&d->event_lock);
    put_domain(d);

    return port < 0 ? port : 0;
}

/*
 * The hypervisor's consumers, by index less one: a few functions,
 * registered on first use and never removed, so that a port holds a
 * byte rather than a pointer.
 */
static xen_consumer_fn xen_consumers[4];
static DEFINE_SPINLOCK(xen_consumers_lock);

static unsigned int xen_consumer_index(xen_consumer_fn fn)
{
    unsigned int i;

    spin_lock(&xen_consumers_lock);
    for ( i = 0; i < ARRAY_SIZE(xen_consumers); i++ )
    {
        if ( !xen_consumers[i] )
            xen_consumers[i] = fn;
        if ( xen_consumers[i] == fn )
            break;
    }
    spin_unlock(&xen_consumers_lock);

    return i < ARRAY_SIZE(xen_consumers) ? i + 1 : 0;
}

int evtchn_alloc_xen_port(struct domain *d, xen_consumer_fn fn)
{
    unsigned int idx = xen_consumer_index(fn);
    int port;

    if ( !idx )
        return -ENOSPC;
    spin_lock(&d->event_lock);
    port = alloc_port(d);
    if ( port > 0 )
    {
        struct evtchn *e = &d->evtchn[port];

        e->remote_domid = DOMID_XEN;
        e->xen_consumer = idx;
        write_atomic(&e->state, ECS_UNBOUND);
    }
    spin_unlock(&d->event_lock);

    return port;
}

void evtchn_notify_port(struct domain *d, evtchn_port_t port)
{
    ASSERT(port && port < d->max_evtchns);
    evtchn_set_pending(d->vcpu[read_atomic(&d->evtchn[port].notify_vcpu)],
                       port);
}

static long bind_interdomain(struct evtchn_bind_interdomain *b)
{
    struct domain *ld = current->domain, *rd = get_target(b->remote_dom);
    struct evtchn *lchn, *rchn;
    int lport;

    if ( !rd )
        return -ESRCH;
    lock_pair(ld, rd);
    lport = alloc_port(ld);
    if ( lport < 0 )
        goto out;
    rchn = b->remote_port < rd->max_evtchns ? &rd->evtchn[b->remote_port]
                                             : NULL;
    if ( !rchn || rchn->state != ECS_UNBOUND ||
         rchn->remote_domid != ld->domain_id )
    {
        lport = -EINVAL;
        goto out;
    }
    lchn = &ld->evtchn[lport];
    lchn->remote_dom = rd;
    lchn->remote_port = b->remote_port;
    write_atomic(&lchn->state, ECS_INTERDOMAIN);
    rchn->remote_dom = ld;
    rchn->remote_port = lport;
    write_atomic(&rchn->state, ECS_INTERDOMAIN);
    /*
     * A send on the remote end while it was unbound was dropped: the new
     * end starts pending so the binder looks (as Xen).
     */
    evtchn_set_pending(ld->vcpu[lchn->notify_vcpu], lport);
    b->local_port = lport;
 out:
    unlock_pair(ld, rd);
    put_domain(rd);

    return lport < 0 ? lport : 0;
}

static long bind_virq(struct evtchn_bind_virq *b)
{
    struct domain *d = current->domain;
    struct vcpu *v;
    int port;

    if ( b->virq >= NR_VIRQS )
        return -EINVAL;
    /* A global VIRQ is bound on vCPU 0, then moved with bind_vcpu. */
    if ( virq_is_global(b->virq) && b->vcpu != 0 )
        return -EINVAL;
    if ( !(v = vcpu_of(d, b->vcpu)) )
        return -ENOENT;
    spin_lock(&d->event_lock);
    if ( v->virq_to_evtchn[b->virq] )
        port = -EEXIST;
    else if ( (port = alloc_port(d)) > 0 )
    {
        d->evtchn[port].notify_vcpu = b->vcpu;
        d->evtchn[port].virq = b->virq;
        write_atomic(&d->evtchn[port].state, ECS_VIRQ);
        write_atomic(&v->virq_to_evtchn[b->virq], port);
        b->port = port;
    }
    spin_unlock(&d->event_lock);

    return port < 0 ? port : 0;
}

static long bind_ipi(struct evtchn_bind_ipi *b)
{
    struct domain *d = current->domain;
    int port;

    if ( !vcpu_of(d, b->vcpu) )
        return -ENOENT;
    spin_lock(&d->event_lock);
    port = alloc_port(d);
    if ( port > 0 )
    {
        d->evtchn[port].notify_vcpu = b->vcpu;
        write_atomic(&d->evtchn[port].state, ECS_IPI);
        b->port = port;
    }
    spin_unlock(&d->event_lock);

    return port < 0 ? port : 0;
}

static long bind_pirq(struct evtchn_bind_pirq *b)
{
    struct domain *d = current->domain;
    int port, rc;

    spin_lock(&d->event_lock);
    port = alloc_port(d);
    if ( port > 0 )
    {
        /* Bound on vCPU 0, then moved with bind_vcpu (as Xen). */
        d->evtchn[port].notify_vcpu = 0;
        d->evtchn[port].pirq = b->pirq;
        write_atomic(&d->evtchn[port].state, ECS_PIRQ);
        rc = pirq_bind_port(d, b->pirq, port,
                            b->flags & BIND_PIRQ__WILL_SHARE);
        if ( rc )
        {
            free_port(d, port);
            port = rc;
        }
        else
            b->port = port;
    }
    spin_unlock(&d->event_lock);

    return port < 0 ? port : 0;
}

/*
 * Takes the peer's lock for closing d's interdomain port e while d's is
 * held, in the lock order; returns with both held and e still bound to
 * the peer it returns, or NULL with d's held and e no longer
 * interdomain.
 */
static struct domain *lock_peer(struct domain *d, struct evtchn *e)
{
    struct domain *rd;

    while ( e->state == ECS_INTERDOMAIN )
    {
        rd = e->remote_dom;
        if ( rd == d )
            return rd;
        if ( d < rd )
        {
            spin_lock(&rd->event_lock);
            return rd;
        }
        if ( spin_trylock(&rd->event_lock) )
            return rd;
        /*
         * rd comes first and is busy: let go of d's lock, so that a CPU
         * holding rd's and waiting for d's can finish, and look again.
         * rd stays alive only while bound to e, which needs d's lock to
         * change, so rd is never touched while d's lock is dropped.
         */
        spin_unlock(&d->event_lock);
        cpu_relax();
        spin_lock(&d->event_lock);
    }

    return NULL;
}

/* Closes d's port; -EINVAL if free or out of range. Takes the locks. */
static long close_port(struct domain *d, evtchn_port_t port)
{
    struct domain *rd;
    struct evtchn *e;
    long rc = 0;

    if ( port == 0 || port >= d->max_evtchns )
        return -EINVAL;
    spin_lock(&d->event_lock);
    e = &d->evtchn[port];
 again:
    switch ( e->state )
    {
    case ECS_FREE:
        rc = -EINVAL;
        break;
    case ECS_VIRQ:
    {
        struct vcpu *v = d->vcpu[virq_is_global(e->virq) ? 0
                                                          : e->notify_vcpu];

        /* Gone already if d is being freed without domain_kill(). */
        if ( v )
            write_atomic(&v->virq_to_evtchn[e->virq], 0);
        free_port(d, port);
        break;
    }
    case ECS_INTERDOMAIN:
        rd = lock_peer(d, e);
        if ( rd )
        {
            struct evtchn *peer = &rd->evtchn[e->remote_port];

            /* The peer may be bound again by d (as Xen). */
            peer->remote_domid = d->domain_id;
            peer->remote_dom = NULL;
            write_atomic(&peer->state, ECS_UNBOUND);
            free_port(d, port);
            if ( rd != d )
                spin_unlock(&rd->event_lock);
            break;
        }
        /* Changed while the locks were retaken (the peer closed it...). */
        goto again;
    case ECS_PIRQ:
        pirq_unbind_port(d, e->pirq);
        free_port(d, port);
        break;
    default: /* ECS_UNBOUND, ECS_IPI */
        free_port(d, port);
        break;
    }
    spin_unlock(&d->event_lock);

    return rc;
}

static long send(struct domain *d, evtchn_port_t port)
{
    struct evtchn *e;
    unsigned int consumer = 0;
    long rc = 0;

    if ( port >= d->max_evtchns )
        return -EINVAL;
    e = &d->evtchn[port];
    /* Holding d's lock keeps an interdomain peer alive (xen/event.h). */
    spin_lock(&d->event_lock);
    switch ( e->state )
    {
    case ECS_INTERDOMAIN:
    {
        struct domain *rd = e->remote_dom;
        struct evtchn *r = &rd->evtchn[e->remote_port];

        evtchn_set_pending(rd->vcpu[read_atomic(&r->notify_vcpu)],
                           e->remote_port);
        break;
    }
    case ECS_IPI:
        evtchn_set_pending(d->vcpu[e->notify_vcpu], port);
        break;
    case ECS_UNBOUND:
        /* The hypervisor's end, or nobody to tell: dropped (as Xen). */
        consumer = e->xen_consumer;
        break;
    default:
        rc = -EINVAL;
        break;
    }
    spin_unlock(&d->event_lock);

    /*
     * Outside the lock: the consumer may print, and may notify d back.
     * d is the caller's own domain, so it stays alive meanwhile; a port
     * closed and reused in between costs one spurious call, which a
     * consumer must bear (it reads shared state, it trusts no event).
     */
    if ( consumer )
        xen_consumers[consumer - 1](d, port);

    return rc;
}

static long status(struct evtchn_status *st)
{
    struct domain *d = get_target(st->dom);
    const struct evtchn *e;
    long rc = 0;

    if ( !d )
        return -ESRCH;
    if ( st->port >= d->max_evtchns )
    {
        put_domain(d);
        return -EINVAL;
    }
    if ( !may_control(d) )
    {
        put_domain(d);
        return -EPERM;
    }
    spin_lock(&d->event_lock);
    e = &d->evtchn[st->port];
    memset(&st->u, 0, sizeof(st->u));
    switch ( e->state )
    {
    case ECS_FREE:
        st->status = EVTCHNSTAT_closed;
        break;
    case ECS_UNBOUND:
        st->status = EVTCHNSTAT_unbound;
        st->u.unbound.dom = e->remote_domid;
        break;
    case ECS_INTERDOMAIN:
        st->status = EVTCHNSTAT_interdomain;
        st->u.interdomain.dom = e->remote_dom->domain_id;
        st->u.interdomain.port = e->remote_port;
        break;
    case ECS_VIRQ:
        st->status = EVTCHNSTAT_virq;
        st->u.virq = e->virq;
        break;
    case ECS_IPI:
        st->status = EVTCHNSTAT_ipi;
        break;
    case ECS_PIRQ:
        st->status = EVTCHNSTAT_pirq;
        st->u.pirq = e->pirq;
        break;
    }
    st->vcpu = e->notify_vcpu;
    spin_unlock(&d->event_lock);
    put_domain(d);

    return rc;
}

/* Later events of port go to vCPU id; those already pending stay put. */
static long bind_vcpu(struct domain *d, struct evtchn_bind_vcpu *b)
{
    struct evtchn *e;
    long rc = 0;

    if ( !vcpu_of(d, b->vcpu) )
        return -ENOENT;
    if ( b->port >= d->max_evtchns )
        return -EINVAL;
    e = &d->evtchn[b->port];
    spin_lock(&d->event_lock);
    switch ( e->state )
    {
    case ECS_VIRQ:
        if ( !virq_is_global(e->virq) )
        {
            rc = -EINVAL;
            break;
        }
        /* fall through */
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
        write_atomic(&e->notify_vcpu, b->vcpu);
        break;
    case ECS_PIRQ:
        write_atomic(&e->notify_vcpu, b->vcpu);
        /* As Xen: the line follows, to where that vCPU runs now. */
        pirq_set_vcpu(d, e->pirq, d->vcpu[b->vcpu]);
        break;
    default: /* free, IPI: their vCPU is fixed (as Xen) */
        rc = -EINVAL;
        break;
    }
    spin_unlock(&d->event_lock);

    return rc;
}

static long unmask(struct domain *d, evtchn_port_t port)
{
    if ( port >= d->max_evtchns )
        return -EINVAL;
    evtchn_2l_unmask(d->vcpu[read_atomic(&d->evtchn[port].notify_vcpu)],
                     port);

    return 0;
}

/* Closes every port of d, one lock round each. */
static void close_all(struct domain *d)
{
    evtchn_port_t port;

    for ( port = 1; port < d->max_evtchns; port++ )
        if ( read_atomic(&d->evtchn[port].state) != ECS_FREE )
            close_port(d, port);
}

/*
 * EVTCHNOP_reset: the caller's own ports only. Xen also lets a
 * privileged domain reset a domain it has paused; Xenon has no such
 * pause, so it answers as Xen does for one not paused.
 */
static long reset(struct evtchn_reset *r)
{
    struct domain *d = get_target(r->dom);
    long rc = 0;

    if ( !d )
        return -ESRCH;
    if ( !may_control(d) )
        rc = -EPERM;
    else if ( d != current->domain )
        rc = -EINVAL;
    else
        close_all(d);
    put_domain(d);

    return rc;
}

void evtchn_destroy(struct domain *d)
{
    /* d is dying: alloc_port() opens no port behind us. */
    ASSERT(d->is_dying);
    if ( d->evtchn )
        close_all(d);
}

void evtchn_destroy_final(struct domain *d)
{
    if ( !d->evtchn )
        return;
    /* Interdomain peers must not be left pointing at d. */
    close_all(d);
    xfree(d->evtchn);
    d->evtchn = NULL;
}

/* Argument in, op, out again if op succeeded. */
#define WITH_ARG(type, op) guest_struct_op(type, arg, op, !rc_)

long do_event_channel_op(unsigned long cmd, unsigned long arg)
{
    struct domain *d = current->domain;
    evtchn_port_t port;

    switch ( cmd )
    {
    case EVTCHNOP_alloc_unbound:
        return WITH_ARG(struct evtchn_alloc_unbound, alloc_unbound);
    case EVTCHNOP_bind_interdomain:
        return WITH_ARG(struct evtchn_bind_interdomain, bind_interdomain);
    case EVTCHNOP_bind_virq:
        return WITH_ARG(struct evtchn_bind_virq, bind_virq);
    case EVTCHNOP_bind_ipi:
        return WITH_ARG(struct evtchn_bind_ipi, bind_ipi);
    case EVTCHNOP_bind_pirq:
        return WITH_ARG(struct evtchn_bind_pirq, bind_pirq);
    case EVTCHNOP_status:
        return WITH_ARG(struct evtchn_status, status);
    case EVTCHNOP_reset:
        return WITH_ARG(struct evtchn_reset, reset);
    case EVTCHNOP_bind_vcpu:
    {
        struct evtchn_bind_vcpu b;

        if ( copy_from_guest_va(&b, arg, sizeof(b)) )
            return -EFAULT;
        return bind_vcpu(d, &b);
    }
    case EVTCHNOP_close:
    case EVTCHNOP_send:
    case EVTCHNOP_unmask:
        /* The port is the only field of each argument. */
        if ( copy_from_guest_va(&port, arg, sizeof(port)) )
            return -EFAULT;
        return cmd == EVTCHNOP_close ? close_port(d, port)
               : cmd == EVTCHNOP_send ? send(d, port) : unmask(d, port);
    default:
        /* The FIFO ABI's init_control, expand_array, priority. */
        return -ENOSYS;
    }
}
