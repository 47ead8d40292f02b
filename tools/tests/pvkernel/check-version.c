/* SPDX-License-Identifier: GPL-2.0-only */
/* xen_version, console_io, and hypercall numbers nobody implements. */
#include "pvkernel.h"

PVTEST(xen_version_strings)
{
    static xen_compile_info_t ci;
    static xen_capabilities_info_t caps;
    static xen_changeset_info_t cs;
    static xen_extraversion_t ev;
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);

    expect(v >= (3 << 16), "version %#lx", v);
    EXPECT_OK(HYPERVISOR_xen_version(XENVER_extraversion, ev));
    expect(strlen(ev) < sizeof(ev), "extraversion not terminated");
    EXPECT_OK(HYPERVISOR_xen_version(XENVER_compile_info, &ci));
    expect(ci.compiler[0], "compile_info.compiler empty");
    EXPECT_OK(HYPERVISOR_xen_version(XENVER_capabilities, caps));
    expect(strstr(caps, "xen-3.0-x86_64") != NULL, "capabilities \"%s\"", caps);
    EXPECT_OK(HYPERVISOR_xen_version(XENVER_changeset, cs));
    /* Debian's 4.17 build reports an empty changeset: only terminated. */
    expect(strlen(cs) < sizeof(cs), "changeset not terminated");
    EXPECT_EQ(HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
    printk("pvtest: info: Xen %ld.%ld%s, caps \"%s\"\n", v >> 16, v & 0xffff,
           ev, caps);
}

PVTEST(xen_version_platform_parameters)
{
    xen_platform_parameters_t pp = { 0 };

    EXPECT_OK(HYPERVISOR_xen_version(XENVER_platform_parameters, &pp));
    EXPECT_EQ(pp.virt_start, m2p_start);
}

PVTEST(xen_version_features)
{
    xen_feature_info_t fi = { .submap_idx = 0 };

    EXPECT_OK(HYPERVISOR_xen_version(XENVER_get_features, &fi));
    /* Linux panics without these two. */
    expect(fi.submap & (1u << XENFEAT_mmu_pt_update_preserve_ad),
           "submap %#x lacks mmu_pt_update_preserve_ad (5)", fi.submap);
    expect(fi.submap & (1u << XENFEAT_gnttab_map_avail_bits),
           "submap %#x lacks gnttab_map_avail_bits (7)", fi.submap);
    if ( is_dom0() )
        expect(fi.submap & (1u << XENFEAT_dom0), "submap %#x lacks dom0 (11)",
               fi.submap);
    else
        expect(!(fi.submap & (1u << XENFEAT_dom0)),
               "submap %#x has dom0 (11) for a domU", fi.submap);
    expect(!(fi.submap & (1u << XENFEAT_auto_translated_physmap)),
           "submap %#x has auto_translated_physmap for PV", fi.submap);
    /* Xen has one submap; a later index is refused rather than zero. */
    fi.submap_idx = 1;
    EXPECT_ERR(HYPERVISOR_xen_version(XENVER_get_features, &fi), EINVAL);
}

PVTEST(xen_version_bad_args)
{
    EXPECT_ERR(HYPERVISOR_xen_version(999, NULL), ENOSYS);
    EXPECT_ERR(HYPERVISOR_xen_version(XENVER_capabilities, NULL), EFAULT);
    EXPECT_ERR(HYPERVISOR_xen_version(XENVER_compile_info,
                                      0xffff800000001000UL), EFAULT);
    EXPECT_ERR(HYPERVISOR_xen_version(XENVER_get_features,
                                      0x8000000000000000UL), EFAULT);
}

PVTEST(console_io_write)
{
    static const char msg[] = "pvtest: info: console_io write of 0 bytes and a string\n";

    EXPECT_OK(HYPERVISOR_console_io(CONSOLEIO_write, 0, msg));
    EXPECT_OK(HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg));
}

PVTEST(console_io_bad_args)
{
    EXPECT_ERR(HYPERVISOR_console_io(CONSOLEIO_write, 16, NULL), EFAULT);
    EXPECT_ERR(HYPERVISOR_console_io(CONSOLEIO_write, 16,
                                     0xffff830000000000UL), EFAULT);
    EXPECT_ERR(HYPERVISOR_console_io(CONSOLEIO_write, 16,
                                     0x0000900000000000UL), EFAULT);
    EXPECT_ERR(HYPERVISOR_console_io(42, 0, NULL), ENOSYS);
}

PVTEST(unknown_hypercalls)
{
    static const unsigned int nrs[] = { 11, 43, 47, 56, 63, 64, 127 };

    for ( unsigned int i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++ )
        if ( nrs[i] < 128 )
        {
            long rc = hypercall_any(nrs[i], 0, 0, 0);

            expect(rc == -ENOSYS, "hypercall %u returned %ld, expected -ENOSYS",
                   nrs[i], rc);
        }
}
