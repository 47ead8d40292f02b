/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event delivery, 2-level ABI: a port is pending while its bit is set in
 * shared_info's evtchn_pending, and masked while set in evtchn_mask.
 *
 * Making a port pending sets, in this order, its pending bit, then (if
 * it is not masked) its word's bit in the notified vCPU's
 * evtchn_pending_sel, then that vCPU's evtchn_upcall_pending. Each is a
 * locked bit operation, a full barrier on x86, so a guest that sees a
 * later flag sees the earlier ones, and one that clears them in the
 * opposite order loses nothing. Whoever sets upcall_pending first kicks
 * the vCPU: woken if blocked, an IPI to its CPU if it runs elsewhere, so
 * that its next return to the guest makes the upcall (pv_exit_work()).
 *
 * The vCPU's vcpu_info is wherever v->vcpu_info points: in shared_info,
 * or the page it registered (mapped globally, see pv.md), since delivery
 * runs on any CPU. Nothing here takes a lock.
 */
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/softirq.h>
#include <asm/smp.h>
#include <public/xen.h>

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

/* v notices pending events: wake it, or make it pass its exit path. */
static void vcpu_kick(struct vcpu *v)
{
    vcpu_unblock(v);
    if ( v->is_running && v->processor != smp_processor_id() )
        smp_send_event_check_cpu(v->processor);
}

/* The selector and upcall flags of v for pending, unmasked port. */
static void mark_selector(struct vcpu *v, evtchn_port_t port)
{
    struct vcpu_info *vi = v->vcpu_info;

    if ( !vi || test_and_set_bit(port / BITS_PER_WORD,
                                 &vi->evtchn_pending_sel) )
        return;
    if ( !test_and_set_bit(0, (unsigned long *)&vi->evtchn_upcall_pending) )
        vcpu_kick(v);
}

/*
 * A vCPU blocked in sched_op poll waits for its ports, masked or not,
 * whichever vCPU they notify; it looks at them again when woken, so
 * waking every poller of the domain is safe. Pairs with poll()'s barrier
 * between setting polling and reading the pending bits.
 */
static void wake_pollers(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpu[i];

        if ( v && read_atomic(&v->polling) )
        {
            write_atomic(&v->polling, false);
            vcpu_unblock(v);
        }
    }
}

void evtchn_set_pending(struct vcpu *v, evtchn_port_t port)
{
    struct domain *d = v->domain;
    struct shared_info *s = d->shared_info;

    if ( test_and_set_bit(port, s->evtchn_pending) )
        return;
    if ( !test_bit(port, s->evtchn_mask) )
        mark_selector(v, port);
    wake_pollers(d);
}

bool evtchn_port_pending(const struct domain *d, evtchn_port_t port)
{
    return port < d->max_evtchns &&
           test_bit(port, d->shared_info->evtchn_pending);
}

void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port)
{
    /* Gone already when evtchn_destroy_final() closes what was left. */
    if ( d->shared_info )
        clear_bit(port, d->shared_info->evtchn_pending);
}

void evtchn_2l_unmask(struct vcpu *v, evtchn_port_t port)
{
    struct shared_info *s = v->domain->shared_info;

    /* Pending while masked: the selector was left alone, set it now. */
    if ( test_and_clear_bit(port, s->evtchn_mask) &&
         test_bit(port, s->evtchn_pending) )
        mark_selector(v, port);
}

bool virq_is_global(unsigned int virq)
{
    switch ( virq )
    {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        /* Including VIRQ_ARCH_*: x86 has no per-vCPU ones. */
        return true;
    }
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    evtchn_port_t port;

    ASSERT(virq < NR_VIRQS && !virq_is_global(virq));
    port = read_atomic(&v->virq_to_evtchn[virq]);
    if ( port )
        evtchn_set_pending(v, port);
}

void send_global_virq(struct domain *d, unsigned int virq)
{
    struct vcpu *v0;
    evtchn_port_t port;

    ASSERT(virq < NR_VIRQS && virq_is_global(virq));
    if ( !d || !d->evtchn || !(v0 = d->vcpu[0]) )
        return;
    port = read_atomic(&v0->virq_to_evtchn[virq]);
    if ( port )
        evtchn_notify_port(d, port);
}
