/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduling hypercalls: sched_op, set_timer_op, and vcpu_op's
 * state and timer commands.
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/softirq.h>
#include <asm/guest_access.h>
#include <asm/pv.h>
#include <public/sched.h>
#include <public/vcpu.h>

/* Xen takes at most this many ports in one poll. */
#define MAX_POLL_PORTS 128

static void poll_timeout(void *data)
{
    struct vcpu *v = data;

    write_atomic(&v->polling, false);
    vcpu_unblock(v);
}

/*
 * SCHEDOP_poll: block until one of the ports is pending (masked or not)
 * or the timeout (absolute system time; 0: none) passes. Returns 0
 * either way; the guest looks at its ports.
 */
static long poll(struct vcpu *v, unsigned long arg)
{
    struct domain *d = v->domain;
    struct sched_poll p;
    evtchn_port_t ports[MAX_POLL_PORTS];
    unsigned int i;

    if ( copy_from_guest_va(&p, arg, sizeof(p)) )
        return -EFAULT;
    if ( p.nr_ports > MAX_POLL_PORTS )
        return -EINVAL;
    if ( copy_from_guest_va(ports, (unsigned long)p.ports.p,
                            p.nr_ports * sizeof(ports[0])) )
        return -EFAULT;
    for ( i = 0; i < p.nr_ports; i++ )
        if ( ports[i] >= d->max_evtchns )
            return -EINVAL;

    set_bit(_VPF_blocked, &v->pause_flags);
    write_atomic(&v->polling, true);
    smp_mb(); /* a port set pending from now on sees polling */
    for ( i = 0; i < p.nr_ports; i++ )
        if ( evtchn_port_pending(d, ports[i]) )
        {
            write_atomic(&v->polling, false);
            clear_bit(_VPF_blocked, &v->pause_flags);
            return 0;
        }
    if ( p.timeout )
    {
        if ( !v->poll_timer.function )
            init_timer(&v->poll_timer, poll_timeout, v, v->processor);
        set_timer(&v->poll_timer, p.timeout);
    }
    raise_softirq(SCHEDULE_SOFTIRQ);

    return 0;
}

long do_sched_op(unsigned long cmd, unsigned long arg)
{
    struct vcpu *v = current;

    switch ( cmd )
    {
    case SCHEDOP_yield:
        vcpu_yield();
        return 0;

    case SCHEDOP_block:
        /* Blocking enables events: a pending one wakes the vCPU. */
        v->vcpu_info->evtchn_upcall_mask = 0;
        vcpu_block();
        return 0;

    case SCHEDOP_poll:
        return poll(v, arg);

    case SCHEDOP_shutdown:
    case SCHEDOP_shutdown_code:
    {
        struct sched_shutdown s;

        if ( copy_from_guest_va(&s, arg, sizeof(s)) )
            return -EFAULT;
        if ( s.reason > SHUTDOWN_MAX )
            return -EINVAL;
        if ( cmd == SCHEDOP_shutdown_code )
        {
            v->domain->shutdown_code = s.reason;
            return 0;
        }
        domain_shutdown(v->domain, s.reason);
        return 0;
    }

    default:
        return -ENOSYS;
    }
}

/* The vCPU's one-shot timer went off: wake it (VIRQ_TIMER when bound). */
static void singleshot_fired(void *data)
{
    struct vcpu *v = data;

    send_timer_event(v);
}

static void set_singleshot(struct vcpu *v, s_time_t deadline)
{
    if ( !v->singleshot_timer.function )
        init_timer(&v->singleshot_timer, singleshot_fired, v, v->processor);
    /* A deadline in the past fires at once, as Xen's does. */
    set_timer(&v->singleshot_timer, deadline);
}

long do_set_timer_op(unsigned long timeout)
{
    struct vcpu *v = current;

    if ( !timeout )
        stop_timer(&v->singleshot_timer);
    else
        set_singleshot(v, timeout);

    return 0;
}

long do_vcpu_op(unsigned long cmd, unsigned long vcpuid, unsigned long arg)
{
    struct domain *d = current->domain;
    struct vcpu *v;

    if ( vcpuid >= d->max_vcpus || !(v = d->vcpu[vcpuid]) )
        return -ENOENT;

    switch ( cmd )
    {
    case VCPUOP_initialise:
        return pv_vcpu_initialise(v, arg);

    case VCPUOP_register_vcpu_info:
        return pv_register_vcpu_info(v, arg);

    case VCPUOP_is_up:
        return !test_bit(_VPF_down, &v->pause_flags);

    case VCPUOP_up:
        if ( mfn_eq(v->arch.guest_table, INVALID_MFN) )
            return -EINVAL; /* never initialised */
        if ( test_and_clear_bit(_VPF_down, &v->pause_flags) )
            vcpu_wake(v);
        return 0;

    case VCPUOP_down:
        if ( !test_and_set_bit(_VPF_down, &v->pause_flags) )
            vcpu_sleep_nosync(v);
        return 0;

    case VCPUOP_register_runstate_memory_area:
    {
        struct vcpu_register_runstate_memory_area area;

        if ( copy_from_guest_va(&area, arg, sizeof(area)) )
            return -EFAULT;
        v->arch.runstate_guest = (unsigned long)area.addr.h.p;
        /*
         * As Xen: the area holds the counts from the moment it is given,
         * not from the vCPU's next switch (a poll that does not block
         * makes none).
         */
        if ( v == current )
            update_runstate_area(v);
        return 0;
    }

    case VCPUOP_set_singleshot_timer:
    {
        struct vcpu_set_singleshot_timer t;

        if ( v != current )
            return -EINVAL;
        if ( copy_from_guest_va(&t, arg, sizeof(t)) )
            return -EFAULT;
        if ( (t.flags & VCPU_SSHOTTMR_future) && (s_time_t)t.timeout_abs_ns < NOW() )
            return -ETIME;
        set_singleshot(v, t.timeout_abs_ns);
        return 0;
    }

    case VCPUOP_stop_singleshot_timer:
        if ( v != current )
            return -EINVAL;
        stop_timer(&v->singleshot_timer);
        return 0;

    case VCPUOP_stop_periodic_timer:
        /* There is no periodic timer to stop. */
        return 0;

    default:
        return -ENOSYS;
    }
}
