/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels, 2-level ABI: the part PV timers need (bind_virq,
 * bind_ipi, send, unmask, close, status); interdomain channels, PIRQs,
 * reset and the FIFO ABI come with the next milestone
 * (EVTCHNOP_init_control returns -ENOSYS, so Linux uses 2-level).
 *
 * A port is pending while its bit is set in shared_info's
 * evtchn_pending; it is delivered when its mask bit is clear, by
 * setting its word's bit in the target vCPU's evtchn_pending_sel and
 * then evtchn_upcall_pending, in that order (each a locked bit
 * operation, so a guest that sees the later flag sees the earlier
 * ones). The vCPU is then woken if blocked, and kicked if it runs on
 * another CPU, so that its next return to the guest delivers the
 * upcall (pv_exit_work()).
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/softirq.h>
#include <xen/xmalloc.h>
#include <asm/guest_access.h>
#include <asm/smp.h>
#include <public/event_channel.h>
#include <public/xen.h>

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

int evtchn_init(struct domain *d)
{
    d->max_evtchns = EVTCHN_2L_NR_CHANNELS;
    d->evtchn = xzalloc_array(struct evtchn, d->max_evtchns);
    spin_lock_init(&d->event_lock);

    return d->evtchn ? 0 : -ENOMEM;
}

void evtchn_destroy(struct domain *d)
{
    xfree(d->evtchn);
    d->evtchn = NULL;
}

/* Makes sure v notices pending events: wake it, or make it pass its exit. */
static void vcpu_kick(struct vcpu *v)
{
    vcpu_unblock(v);
    if ( v->is_running && v->processor != smp_processor_id() )
        smp_send_event_check_cpu(v->processor);
}

static void deliver(struct vcpu *v, evtchn_port_t port)
{
    struct shared_info *s = v->domain->shared_info;
    struct vcpu_info *vi = v->vcpu_info;

    if ( test_bit(port, s->evtchn_mask) ||
         test_and_set_bit(port / BITS_PER_WORD, &vi->evtchn_pending_sel) )
        return;
    if ( !test_and_set_bit(0, (unsigned long *)&vi->evtchn_upcall_pending) )
        vcpu_kick(v);
}

void evtchn_set_pending(struct vcpu *v, evtchn_port_t port)
{
    if ( test_and_set_bit(port, v->domain->shared_info->evtchn_pending) )
        return;
    deliver(v, port);
    /* A poller waits for pending ports, masked ones included. */
    if ( read_atomic(&v->polling) )
    {
        write_atomic(&v->polling, false);
        vcpu_unblock(v);
    }
}

bool evtchn_port_pending(const struct domain *d, evtchn_port_t port)
{
    return port < d->max_evtchns &&
           test_bit(port, d->shared_info->evtchn_pending);
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    evtchn_port_t port = read_atomic(&v->virq_to_evtchn[virq]);

    if ( port )
        evtchn_set_pending(v, port);
}

/* The lowest free port but 0 (never used, as in Xen); under event_lock. */
static int alloc_port(struct domain *d)
{
    unsigned int p;

    for ( p = 1; p < d->max_evtchns; p++ )
        if ( d->evtchn[p].state == ECS_FREE )
            return p;

    return -ENOSPC;
}

static struct vcpu *vcpu_of(struct domain *d, unsigned int id)
{
    return id < d->max_vcpus ? d->vcpu[id] : NULL;
}

static long bind_virq(struct domain *d, struct evtchn_bind_virq *b)
{
    struct vcpu *v = vcpu_of(d, b->vcpu);
    int port;

    if ( b->virq >= NR_VIRQS )
        return -EINVAL;
    if ( !v )
        return -ENOENT;
    spin_lock(&d->event_lock);
    if ( v->virq_to_evtchn[b->virq] )
    {
        spin_unlock(&d->event_lock);
        return -EEXIST;
    }
    port = alloc_port(d);
    if ( port > 0 )
    {
        d->evtchn[port].state = ECS_VIRQ;
        d->evtchn[port].notify_vcpu = b->vcpu;
        d->evtchn[port].virq = b->virq;
        write_atomic(&v->virq_to_evtchn[b->virq], port);
        b->port = port;
    }
    spin_unlock(&d->event_lock);

    return port < 0 ? port : 0;
}

static long bind_ipi(struct domain *d, struct evtchn_bind_ipi *b)
{
    int port;

    if ( !vcpu_of(d, b->vcpu) )
        return -ENOENT;
    spin_lock(&d->event_lock);
    port = alloc_port(d);
    if ( port > 0 )
    {
        d->evtchn[port].state = ECS_IPI;
        d->evtchn[port].notify_vcpu = b->vcpu;
        b->port = port;
    }
    spin_unlock(&d->event_lock);

    return port < 0 ? port : 0;
}

static long close_port(struct domain *d, evtchn_port_t port)
{
    struct evtchn *e;

    if ( port == 0 || port >= d->max_evtchns )
        return -EINVAL;
    spin_lock(&d->event_lock);
    e = &d->evtchn[port];
    switch ( e->state )
    {
    case ECS_FREE:
        spin_unlock(&d->event_lock);
        return -EINVAL;
    case ECS_VIRQ:
        write_atomic(&d->vcpu[e->notify_vcpu]->virq_to_evtchn[e->virq], 0);
        break;
    }
    e->state = ECS_FREE;
    spin_unlock(&d->event_lock);

    return 0;
}

static long send(struct domain *d, evtchn_port_t port)
{
    struct evtchn *e;

    if ( port >= d->max_evtchns )
        return -EINVAL;
    e = &d->evtchn[port];
    switch ( read_atomic(&e->state) )
    {
    case ECS_IPI:
        evtchn_set_pending(d->vcpu[e->notify_vcpu], port);
        return 0;
    case ECS_VIRQ:
        return 0; /* as in Xen: nothing to send to */
    default:
        return -EINVAL;
    }
}

static long unmask(struct domain *d, evtchn_port_t port)
{
    struct evtchn *e;

    if ( port >= d->max_evtchns )
        return -EINVAL;
    e = &d->evtchn[port];
    /* A port now unmasked that was pending meanwhile is delivered now. */
    if ( test_and_clear_bit(port, d->shared_info->evtchn_mask) &&
         test_bit(port, d->shared_info->evtchn_pending) )
        deliver(d->vcpu[e->state == ECS_FREE ? 0 : e->notify_vcpu], port);

    return 0;
}

long do_event_channel_op(unsigned long cmd, unsigned long arg)
{
    struct domain *d = current->domain;
    long rc;

    switch ( cmd )
    {
    case EVTCHNOP_bind_virq:
    {
        struct evtchn_bind_virq b;

        if ( copy_from_guest_va(&b, arg, sizeof(b)) )
            return -EFAULT;
        rc = bind_virq(d, &b);
        if ( !rc && copy_to_guest_va(arg, &b, sizeof(b)) )
            rc = -EFAULT;
        return rc;
    }
    case EVTCHNOP_bind_ipi:
    {
        struct evtchn_bind_ipi b;

        if ( copy_from_guest_va(&b, arg, sizeof(b)) )
            return -EFAULT;
        rc = bind_ipi(d, &b);
        if ( !rc && copy_to_guest_va(arg, &b, sizeof(b)) )
            rc = -EFAULT;
        return rc;
    }
    case EVTCHNOP_close:
    case EVTCHNOP_send:
    case EVTCHNOP_unmask:
    {
        evtchn_port_t port; /* the first field of each argument */

        if ( copy_from_guest_va(&port, arg, sizeof(port)) )
            return -EFAULT;
        return cmd == EVTCHNOP_close ? close_port(d, port)
               : cmd == EVTCHNOP_send ? send(d, port) : unmask(d, port);
    }
    default:
        return -ENOSYS;
    }
}
