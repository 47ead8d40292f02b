/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen_version: who the hypervisor is and what it offers a guest.
 *
 * The feature bits are those Xen gives a 64-bit PV guest (dom0 gets
 * XENFEAT_dom0 too). Linux panics without mmu_pt_update_preserve_ad and
 * gnttab_map_avail_bits, and a PV guest must never see
 * auto_translated_physmap.
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/guest_access.h>
#include <public/features.h>
#include <public/version.h>

#define XENON_EXTRAVERSION ".1-xenon"

uint32_t xen_features_for(const struct domain *d)
{
    /* Bits 17-20: what Xen sets for every PV guest today (see Xen). */
    uint32_t f = (1U << XENFEAT_mmu_pt_update_preserve_ad) |
                 (1U << XENFEAT_highmem_assist) |
                 (1U << XENFEAT_gnttab_map_avail_bits) |
                 (1U << XENFEAT_memory_op_vnode_supported) |
                 (1U << 17) | (1U << 18) | (1U << 19) | (1U << 20);

    if ( d->is_privileged )
        f |= 1U << XENFEAT_dom0;

    return f;
}

/* Copies the NUL-terminated s into a fixed-size guest buffer. */
static long put_string(unsigned long arg, const char *s, size_t size)
{
    char buf[1024];

    memset(buf, 0, size);
    strlcpy(buf, s, size);
    return copy_to_guest_va(arg, buf, size) ? -EFAULT : 0;
}

long do_xen_version(unsigned long cmd, unsigned long arg)
{
    switch ( cmd )
    {
    case XENVER_version:
        /* Xen 4.17's ABI: what guests built for Xen check against. */
        return (4 << 16) | 17;

    case XENVER_extraversion:
        return put_string(arg, XENON_EXTRAVERSION, sizeof(xen_extraversion_t));

    case XENVER_compile_info:
    {
        struct xen_compile_info info;

        memset(&info, 0, sizeof(info));
        strlcpy(info.compiler, "gcc", sizeof(info.compiler));
        strlcpy(info.compile_by, "xenon", sizeof(info.compile_by));
        strlcpy(info.compile_domain, "xenon", sizeof(info.compile_domain));
        strlcpy(info.compile_date, __DATE__, sizeof(info.compile_date));
        return copy_to_guest_va(arg, &info, sizeof(info)) ? -EFAULT : 0;
    }

    case XENVER_capabilities:
        return put_string(arg, "xen-3.0-x86_64 ",
                          sizeof(xen_capabilities_info_t));

    case XENVER_changeset:
        return put_string(arg, "xenon", sizeof(xen_changeset_info_t));

    case XENVER_platform_parameters:
    {
        struct xen_platform_parameters p = {
            .virt_start = HYPERVISOR_VIRT_START,
        };

        return copy_to_guest_va(arg, &p, sizeof(p)) ? -EFAULT : 0;
    }

    case XENVER_get_features:
    {
        struct xen_feature_info fi;

        if ( copy_from_guest_va(&fi, arg, sizeof(fi)) )
            return -EFAULT;
        if ( fi.submap_idx >= XENFEAT_NR_SUBMAPS )
            return -EINVAL;
        fi.submap = xen_features_for(current->domain);
        return copy_to_guest_va(arg, &fi, sizeof(fi)) ? -EFAULT : 0;
    }

    case XENVER_pagesize:
        return PAGE_SIZE;

    case XENVER_guest_handle:
    {
        uint8_t handle[16] = { 0 };

        return copy_to_guest_va(arg, handle, sizeof(handle)) ? -EFAULT : 0;
    }

    default:
        return -ENOSYS;
    }
}
