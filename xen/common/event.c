/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event delivery to vCPUs: the upcall flags in vcpu_info, and waking a
 * blocked vCPU.
 *
 * The ports themselves are xen/common/event_channel.c.
 */
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/sched.h>

bool vcpu_event_pending(const struct vcpu *v)
{
    const struct vcpu_info *vi = v->vcpu_info;

    return vi && read_atomic(&vi->evtchn_upcall_pending) &&
           !read_atomic(&vi->evtchn_upcall_mask);
}

void vcpu_unblock(struct vcpu *v)
{
    if ( test_and_clear_bit(_VPF_blocked, &v->pause_flags) )
        vcpu_wake(v);
}

void send_timer_event(struct vcpu *v)
{
    send_guest_vcpu_virq(v, VIRQ_TIMER);
}
