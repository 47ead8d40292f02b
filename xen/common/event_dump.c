/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The event-channel dump (debug key 'e'): for each domain, every port
 * in use with its state, target vCPU and pending/masked bits, and each
 * vCPU's upcall flags and selector. A snapshot taken without the
 * domains' locks: good enough to see an event that is stuck.
 */
#include <xen/event.h>
#include <xen/init.h>
#include <xen/keyhandler.h>
#include <xen/lib.h>
#include <xen/sched.h>

static const char *const state_names[] = {
    [ECS_FREE] = "free", [ECS_UNBOUND] = "unbound",
    [ECS_INTERDOMAIN] = "interdomain", [ECS_VIRQ] = "virq",
    [ECS_IPI] = "ipi", [ECS_PIRQ] = "pirq",
};

static void dump_domain_events(struct domain *d, void *unused)
{
    const struct shared_info *s = d->shared_info;
    unsigned int port, i;

    if ( is_idle_domain(d) || !d->evtchn || !s )
        return;
    printk("d%u event channels:\n", d->domain_id);
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        const struct vcpu *v = d->vcpu[i];

        if ( v && v->vcpu_info )
            printk("  v%u: upcall_pending %u, upcall_mask %u, pending_sel "
                   "%#lx\n", i, v->vcpu_info->evtchn_upcall_pending,
                   v->vcpu_info->evtchn_upcall_mask,
                   (unsigned long)v->vcpu_info->evtchn_pending_sel);
    }
    for ( port = 1; port < d->max_evtchns; port++ )
    {
        const struct evtchn *e = &d->evtchn[port];

        if ( e->state == ECS_FREE )
            continue;
        printk("  port %u: %s", port,
               e->state < ARRAY_SIZE(state_names) ? state_names[e->state]
                                                   : "?");
        if ( e->state == ECS_VIRQ )
            printk(" %u", e->virq);
        if ( e->state == ECS_PIRQ )
            printk(" %u", e->pirq);
        if ( e->state == ECS_INTERDOMAIN && e->remote_dom )
            printk(" d%u:%u", e->remote_dom->domain_id, e->remote_port);
        printk(", vCPU %u%s%s\n", e->notify_vcpu,
               test_bit(port, s->evtchn_pending) ? ", pending" : "",
               test_bit(port, s->evtchn_mask) ? ", masked" : "");
    }
}

static void dump_events(unsigned char key)
{
    domain_for_each(dump_domain_events, NULL);
}

void __init event_dump_init(void)
{
    register_keyhandler('e', dump_events,
                        "dump every domain's event channels");
}
