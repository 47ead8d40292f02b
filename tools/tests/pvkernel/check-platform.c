/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * platform_op: setting the wallclock (what dom0's hwclock/NTP does) and
 * the interface-version check every call goes through.
 */
#include "pvkernel.h"

#include <public/platform.h>

static uint64_t wallclock_secs(void)
{
    uint32_t ver;
    uint64_t secs;

    do {
        ver = shared->wc_version;
        __asm__ __volatile__ ( "" ::: "memory" );
        secs = ((uint64_t)shared->wc_sec_hi << 32) | shared->wc_sec;
        __asm__ __volatile__ ( "" ::: "memory" );
    } while ( (ver & 1) || ver != shared->wc_version );

    return secs;
}

PVTEST(platform_op_settime)
{
    struct xen_platform_op op = {
        .cmd = XENPF_settime64,
        .interface_version = XENPF_INTERFACE_VERSION,
    };
    uint64_t before = wallclock_secs(), after;

    if ( !is_dom0() )
    {
        /* Xen checks the argument and its version before the privilege. */
        op.u.settime64.secs = before + 3600;
        EXPECT_ERR(HYPERVISOR_platform_op(&op), EPERM);
        EXPECT_EQ(wallclock_secs(), before);
        EXPECT_ERR(HYPERVISOR_platform_op(NULL), EFAULT);
        op.interface_version = XENPF_INTERFACE_VERSION - 1;
        EXPECT_ERR(HYPERVISOR_platform_op(&op), EACCES);
        return;
    }

    /* The wallclock at system time 0 moves by exactly an hour. */
    op.u.settime64.secs = before + 3600;
    op.u.settime64.nsecs = shared->wc_nsec;
    op.u.settime64.system_time = 0;
    EXPECT_OK(HYPERVISOR_platform_op(&op));
    after = wallclock_secs();
    EXPECT_EQ(after, before + 3600);
    /* And back. */
    op.u.settime64.secs = before;
    EXPECT_OK(HYPERVISOR_platform_op(&op));
    EXPECT_EQ(wallclock_secs(), before);

    op.u.settime64.mbz = 1;
    EXPECT_ERR(HYPERVISOR_platform_op(&op), EINVAL);
    op.u.settime64.mbz = 0;
    op.interface_version = XENPF_INTERFACE_VERSION - 1;
    EXPECT_ERR(HYPERVISOR_platform_op(&op), EACCES);
    EXPECT_ERR(HYPERVISOR_platform_op(NULL), EFAULT);
}
