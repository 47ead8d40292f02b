/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 hypercalls of the first set that are small: physdev_op
 * (set_iopl), platform_op, and memory_op's queries.
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/e820.h>
#include <asm/guest_access.h>
#include <asm/m2p.h>
#include <public/memory.h>
#include <public/physdev.h>
#include <public/platform.h>

long do_physdev_op(unsigned long cmd, unsigned long arg)
{
    switch ( cmd )
    {
    case PHYSDEVOP_set_iopl:
    {
        struct physdev_set_iopl s;

        if ( copy_from_guest_va(&s, arg, sizeof(s)) )
            return -EFAULT;
        if ( s.iopl > 3 )
            return -EINVAL;
        current->arch.iopl = s.iopl;
        return 0;
    }
    default:
        return -ENOSYS;
    }
}

long do_platform_op(unsigned long arg)
{
    if ( !current->domain->is_privileged )
        return -EPERM;

    /* settime and firmware info come with PV time (next milestone). */
    return -ENOSYS;
}

long do_memory_op(unsigned long cmd, unsigned long arg)
{
    struct domain *d = current->domain;

    switch ( cmd & 0x3f ) /* the rest: continuation state */
    {
    case XENMEM_maximum_ram_page:
        return max_page - 1;

    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    {
        domid_t id;

        if ( copy_from_guest_va(&id, arg, sizeof(id)) )
            return -EFAULT;
        if ( id != DOMID_SELF && id != d->domain_id )
            return -ESRCH;
        return cmd == XENMEM_current_reservation ? d->tot_pages
                                                 : d->max_pages;
    }

    case XENMEM_machphys_mapping:
    {
        struct xen_machphys_mapping m = {
            .v_start = RO_MPT_VIRT_START,
            .v_end = RO_MPT_VIRT_START + m2p_size_bytes(),
            .max_mfn = m2p_size_bytes() / sizeof(unsigned long) - 1,
        };

        return copy_to_guest_va(arg, &m, sizeof(m)) ? -EFAULT : 0;
    }

    default:
        return -ENOSYS;
    }
}
