/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * platform_op: setting the wallclock (what dom0's hwclock/NTP does), the
 * interface-version check every call goes through, the physical CPU list
 * and firmware facts Linux asks for; xenpmu_op's refusal.
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

/*
 * The physical CPUs, as Linux's xen_pcpu driver lists them: every number
 * up to max_present is an online CPU (no hot-plug here) with an APIC ID
 * of its own, the next is no CPU at all.
 */
PVTEST(platform_op_cpuinfo)
{
    struct xen_platform_op op = {
        .cmd = XENPF_get_cpuinfo,
        .interface_version = XENPF_INTERFACE_VERSION,
    };
    uint32_t apic_ids[64], max_present, cpu, i;

    if ( !is_dom0() )
        return;
    EXPECT_OK(HYPERVISOR_platform_op(&op));
    max_present = op.u.pcpu_info.max_present;
    expect(max_present < 64, "max_present %u", max_present);
    for ( cpu = 0; cpu <= max_present && cpu < 64; cpu++ )
    {
        op.u.pcpu_info = (struct xenpf_pcpuinfo){ .xen_cpuid = cpu };
        EXPECT_OK(HYPERVISOR_platform_op(&op));
        EXPECT_EQ(op.u.pcpu_info.flags, XEN_PCPU_FLAGS_ONLINE);
        EXPECT_EQ(op.u.pcpu_info.max_present, max_present);
        apic_ids[cpu] = op.u.pcpu_info.apic_id;
        for ( i = 0; i < cpu; i++ )
            expect(apic_ids[i] != apic_ids[cpu], "CPUs %u and %u share APIC "
                   "ID %u", i, cpu, apic_ids[cpu]);
    }
    op.u.pcpu_info = (struct xenpf_pcpuinfo){ .xen_cpuid = max_present + 1 };
    EXPECT_OK(HYPERVISOR_platform_op(&op));
    EXPECT_EQ(op.u.pcpu_info.flags, XEN_PCPU_FLAGS_INVALID);

    /* The BIOS keyboard flags: none known, index 0 only. */
    op.cmd = XENPF_firmware_info;
    op.u.firmware_info = (struct xenpf_firmware_info){
        .type = XEN_FW_KBD_SHIFT_FLAGS,
    };
    op.u.firmware_info.u.kbd_shift_flags = 0xff;
    EXPECT_OK(HYPERVISOR_platform_op(&op));
    EXPECT_EQ(op.u.firmware_info.u.kbd_shift_flags, 0);
    op.u.firmware_info.index = 1;
    EXPECT_ERR(HYPERVISOR_platform_op(&op), ESRCH);
}

/* No virtual PMU: Xen's answer with its vPMU off (the default). */
PVTEST(xenpmu_op_unsupported)
{
    EXPECT_ERR(hypercall_any(__HYPERVISOR_xenpmu_op, 0, 0, 0), EOPNOTSUPP);
}

/*
 * UEFI facts: either none (-ENOSYS, a BIOS boot, as Xen answers) or the
 * system table's revision, a configuration table and a vendor name, and
 * no runtime services (-EOPNOTSUPP).
 */
PVTEST(platform_op_efi_info)
{
    struct xen_platform_op op = {
        .cmd = XENPF_firmware_info,
        .interface_version = XENPF_INTERFACE_VERSION,
    };
    union xenpf_efi_info *efi = &op.u.firmware_info.u.efi_info;
    static uint16_t vendor[32];
    long rc;

    if ( !is_dom0() )
        return;
    op.u.firmware_info.type = XEN_FW_EFI_INFO;
    op.u.firmware_info.index = XEN_FW_EFI_VERSION;
    rc = HYPERVISOR_platform_op(&op);
    if ( rc == -ENOSYS )
    {
        op.u.firmware_info.index = XEN_FW_EFI_CONFIG_TABLE;
        EXPECT_ERR(HYPERVISOR_platform_op(&op), ENOSYS);
        printk("pvtest: info: no UEFI information (a BIOS boot)\n");
        return;
    }
    EXPECT_OK(rc);
    expect(efi->version >> 16 >= 1, "EFI revision %#x", efi->version);

    op.u.firmware_info.index = XEN_FW_EFI_CONFIG_TABLE;
    EXPECT_OK(HYPERVISOR_platform_op(&op));
    expect(efi->cfg.nent > 0 && efi->cfg.nent < 1000 && efi->cfg.addr,
           "%u configuration tables at %#lx", efi->cfg.nent,
           (unsigned long)efi->cfg.addr);

    op.u.firmware_info.index = XEN_FW_EFI_VENDOR;
    efi->vendor.bufsz = sizeof(vendor);
    set_xen_guest_handle(efi->vendor.name, vendor);
    EXPECT_OK(HYPERVISOR_platform_op(&op));
    expect(vendor[0] >= ' ' && vendor[0] < 0x7f, "vendor name starts %#x",
           vendor[0]);

    op.u.firmware_info.index = XEN_FW_EFI_RT_VERSION;
    EXPECT_ERR(HYPERVISOR_platform_op(&op), EOPNOTSUPP);
    op.u.firmware_info.index = 99;
    EXPECT_ERR(HYPERVISOR_platform_op(&op), EINVAL);
}
