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
#include <xen/spinlock.h>
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

    /* A stale send on a port closed and reused since: not the ring's. */
    if ( port != d->console_ring_port )
        return;

    spin_lock(&drain_lock);
    ring = map_domain_page(d->console_ring_mfn);
    cons = read_atomic(&ring->out_cons);
    prod = read_atomic(&ring->out_prod);
    /* The bytes are read only after the index that publishes them. */
    smp_rmb();
    if ( prod - cons > sizeof(ring->out) )
        cons = prod;
    while ( cons != prod )
    {
        unsigned int n = 0;

        while ( cons != prod && n < sizeof(buf) )
            buf[n++] = ring->out[MASK_XENCONS_IDX(cons++, ring->out)];
        console_domain_write(d, buf, n);
    }
    /* Every byte read before the guest may overwrite it. */
    smp_mb();
    write_atomic(&ring->out_cons, cons);
    unmap_domain_page(ring);
    spin_unlock(&drain_lock);

    evtchn_notify_port(d, port);
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
    d->console_ring_port = port;

    return port;
}

void pv_console_ring_release(struct domain *d)
{
    if ( !d->console_ring_port )
        return;
    d->console_ring_port = 0;
    put_page_and_type(mfn_to_page(d->console_ring_mfn));
    d->console_ring_mfn = INVALID_MFN;
}
