/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor as a domU's console backend (xen/pv-console-ring.h).
 */
#include <xen/console.h>
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/pv-console-ring.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <asm/pv-mm.h>
#include <public/io/console.h>

/*
 * Two vCPUs of one domain notifying at once would print the same bytes
 * twice: one drain at a time. Shared by all domains, as the console
 * lock they all end up in is.
 */
static DEFINE_SPINLOCK(drain_lock);

static void drain(struct domain *d, evtchn_port_t port)
{
    struct xencons_interface *ring;
    XENCONS_RING_IDX cons, prod;
    char buf[128];
    bool held_back = false;

    spin_lock(&drain_lock);
    /*
     * A stale send on a port closed and reused since: not the ring's.
     * Or the ring is gone (released under this lock: no timer is armed
     * again after that).
     */
    if ( !port || port != d->console_ring_port )
    {
        spin_unlock(&drain_lock);
        return;
    }
    ring = map_domain_page(d->console_ring_mfn);
    cons = read_atomic(&ring->out_cons);
    prod = read_atomic(&ring->out_prod);
    /* The bytes are read only after the index that publishes them. */
    smp_rmb();
    if ( prod - cons > sizeof(ring->out) )
        cons = prod;
    while ( cons != prod )
    {
        unsigned int want = min(prod - cons, (unsigned int)sizeof(buf));
        unsigned int n = console_budget_take(d, want), i;

        for ( i = 0; i < n; i++ )
            buf[i] = ring->out[MASK_XENCONS_IDX(cons + i, ring->out)];
        console_domain_write(d, buf, n);
        cons += n;
        if ( n < want )
        {
            held_back = true;
            break;
        }
    }
    /* Every byte read before the guest may overwrite it. */
    smp_mb();
    write_atomic(&ring->out_cons, cons);
    unmap_domain_page(ring);
    /* Over its share: the rest waits in the ring, the guest with it. */
    if ( held_back )
        set_timer(&d->console_ring_timer,
                  console_budget_ready_at(d, min(prod - cons,
                                                 (unsigned int)sizeof(buf))));
    spin_unlock(&drain_lock);

    evtchn_notify_port(d, port);
}

static void drain_later(void *data)
{
    struct domain *d = data;

    drain(d, read_atomic(&d->console_ring_port));
}

int pv_console_ring_init(struct domain *d, mfn_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);
    int port;

    if ( !get_page_and_type(pg, d, PGT_writable_page) )
        return -EINVAL;
    port = evtchn_alloc_xen_port(d, drain);
    if ( port < 0 )
    {
        put_page_and_type(pg);
        return port;
    }
    d->console_ring_mfn = mfn;
    init_timer(&d->console_ring_timer, drain_later, d, smp_processor_id());
    d->console_ring_port = port;

    return port;
}

void pv_console_ring_release(struct domain *d)
{
    if ( !d->console_ring_port )
        return;
    spin_lock(&drain_lock);
    d->console_ring_port = 0;
    spin_unlock(&drain_lock);
    /* Disarmed, and a drain it started (which may map the frame) over. */
    kill_timer(&d->console_ring_timer);
    put_page_and_type(mfn_to_page(d->console_ring_mfn));
    d->console_ring_mfn = INVALID_MFN;
}
