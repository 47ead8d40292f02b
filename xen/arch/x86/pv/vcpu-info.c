/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VCPUOP_register_vcpu_info: a vCPU's vcpu_info moves from shared_info
 * into a frame of the guest's own choosing.
 *
 * Event delivery writes a vCPU's vcpu_info from whichever CPU raises the
 * event (a timer, another vCPU's send), at any moment, with interrupts
 * off: it cannot take a mapcache slot of the target CPU's window, nor
 * map and unmap on every event. So the frame is mapped once, globally,
 * with map_domain_page_global() (a vmap of one page: ~4500 instructions
 * with no direct map, paid once at registration) and stays mapped until
 * the domain dies. It is one of the two kinds of guest frame the
 * hypervisor keeps mapped at rest (shared_info is the other); the
 * mapping census counts them as their own class (`vcpuinfo`).
 *
 * The frame takes the writable type for as long as it is registered, so
 * it can never become a page table under the hypervisor's feet.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <xen/vmap.h>
#include <asm/guest_access.h>
#include <asm/pv-mm.h>
#include <asm/pv.h>
#include <public/vcpu.h>

/*
 * Any vCPU of the domain may register any other's: two at once for one
 * vCPU must not both pass the once-only check (the loser's references
 * and mapping would leak). Registration is rare; one lock will do.
 */
static DEFINE_SPINLOCK(register_lock);

long pv_register_vcpu_info(struct vcpu *v, unsigned long arg)
{
    struct vcpu_register_vcpu_info info;
    struct vcpu_info *new;
    struct page_info *pg;
    unsigned int i;
    long rc = 0;
    char *map;

    if ( copy_from_guest_va(&info, arg, sizeof(info)) )
        return -EFAULT;
    /* Past the page: -ENXIO, as Xen says. */
    if ( info.offset > PAGE_SIZE - sizeof(struct vcpu_info) )
        return -ENXIO;
    if ( (info.offset & 7) || info.rsvd )
        return -EINVAL;
    if ( !mfn_valid(_mfn(info.mfn)) )
        return -EINVAL;
    pg = mfn_to_page(_mfn(info.mfn));

    spin_lock(&register_lock);
    if ( v->arch.vcpu_info_page )
        rc = -EINVAL; /* once only, as in Xen */
    else if ( !get_page_and_type(pg, v->domain, PGT_writable_page) )
        rc = -EINVAL;
    else if ( !(map = map_domain_page_global(_mfn(info.mfn))) )
    {
        put_page_and_type(pg);
        rc = -ENOMEM;
    }
    if ( rc )
    {
        spin_unlock(&register_lock);
        return rc;
    }

    new = (struct vcpu_info *)(map + info.offset);
    /* vCPUs past shared_info's 32 slots start with events masked. */
    if ( v->vcpu_info )
        memcpy(new, v->vcpu_info, sizeof(*new));
    else
    {
        memset(new, 0, sizeof(*new));
        new->evtchn_upcall_mask = 1;
    }
    /* Every word may hold something: make the guest look at them all. */
    for ( i = 0; i < sizeof(new->evtchn_pending_sel) * 8; i++ )
        set_bit(i, &new->evtchn_pending_sel);
    write_atomic(&new->evtchn_upcall_pending, 1);
    smp_wmb();
    v->arch.vcpu_info_page = map;
    v->arch.vcpu_info_mfn = _mfn(info.mfn);
    write_atomic(&v->vcpu_info, new);
    spin_unlock(&register_lock);

    return 0;
}

void pv_release_vcpu_info(struct vcpu *v)
{
    char *map = v->arch.vcpu_info_page;

    if ( !map )
        return;
    v->vcpu_info = v->vcpu_id < XEN_LEGACY_MAX_VCPUS
                   ? &v->domain->shared_info->vcpu_info[v->vcpu_id] : NULL;
    v->arch.vcpu_info_page = NULL;
    unmap_domain_page_global(map);
    put_page_and_type(mfn_to_page(v->arch.vcpu_info_mfn));
}

struct find_va {
    unsigned long va;
    bool found;
};

static void find_in_domain(struct domain *d, void *arg)
{
    struct find_va *f = arg;
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] &&
             (unsigned long)d->vcpu[i]->arch.vcpu_info_page == f->va )
            f->found = true;
}

bool pv_va_is_vcpu_info(unsigned long va)
{
    struct find_va f = { .va = va & PAGE_MASK };

    domain_for_each(find_in_domain, &f);
    return f.found;
}
