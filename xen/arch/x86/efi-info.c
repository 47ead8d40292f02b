/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What dom0 may learn of the UEFI firmware the machine booted through
 * (platform_op XENPF_firmware_info, XEN_FW_EFI_INFO): the system table's
 * revision, its configuration table (where Linux finds the ACPI RSDP,
 * which on UEFI is nowhere in the legacy BIOS area it would otherwise
 * scan) and the firmware vendor.
 *
 * The loader (GRUB, multiboot2) hands over the system table's address
 * and has left boot services by the time the hypervisor runs, so there
 * are no runtime services here: the table and what it points to are
 * read once at boot from firmware memory (runtime-services data, which
 * the memory map keeps from the heap) and kept.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/string.h>
#include <asm/bootinfo.h>
#include <asm/efi-info.h>
#include <asm/guest_access.h>
#include <asm/page.h>

#define EFI_SYSTEM_TABLE_SIGNATURE 0x5453595320494249UL /* "IBI SYST" */
#define VENDOR_MAX 64               /* UCS-2 characters kept, with the NUL */

/* The x86-64 system table, as far as it is read here. */
struct efi_system_table {
    uint64_t signature;
    uint32_t revision;
    uint32_t header_size;
    uint32_t crc32;
    uint32_t reserved;
    uint64_t fw_vendor;             /* CHAR16 *, physical */
    uint32_t fw_revision;
    uint32_t pad;
    uint64_t con_in_handle, con_in, con_out_handle, con_out;
    uint64_t stderr_handle, stderr;
    uint64_t runtime_services, boot_services;
    uint64_t nr_tables;
    uint64_t tables;                /* EFI_CONFIGURATION_TABLE *, physical */
};

static struct {
    bool valid;
    uint32_t revision, fw_revision;
    uint64_t tables, nr_tables;
    uint16_t vendor[VENDOR_MAX];
} efi;

/* Copies len bytes at physical address pa, a page at a time. */
static void copy_from_phys(void *buf, paddr_t pa, size_t len)
{
    while ( len )
    {
        size_t off = pa & ~PAGE_MASK, n = min(len, PAGE_SIZE - off);
        const uint8_t *p = map_domain_page(maddr_to_mfn(pa & PAGE_MASK));

        memcpy(buf, p + off, n);
        unmap_domain_page(p);
        buf += n;
        pa += n;
        len -= n;
    }
}

void __init efi_info_init(void)
{
    struct efi_system_table st;
    unsigned int i;

    if ( !boot_info.efi_systab )
        return;
    copy_from_phys(&st, boot_info.efi_systab, sizeof(st));
    if ( st.signature != EFI_SYSTEM_TABLE_SIGNATURE )
    {
        printk(XENLOG_WARNING "EFI: no system table at %#lx (signature "
               "%#lx); dom0 gets no EFI information\n",
               (unsigned long)boot_info.efi_systab, st.signature);
        return;
    }

    efi.revision = st.revision;
    efi.fw_revision = st.fw_revision;
    efi.tables = st.tables;
    efi.nr_tables = st.nr_tables;
    if ( st.fw_vendor )
        copy_from_phys(efi.vendor, st.fw_vendor, sizeof(efi.vendor));
    efi.vendor[VENDOR_MAX - 1] = 0;
    efi.valid = true;

    printk("EFI: system table revision %u.%u, %lu configuration tables at "
           "%#lx, firmware \"", st.revision >> 16, st.revision & 0xffff,
           efi.nr_tables, efi.tables);
    for ( i = 0; efi.vendor[i]; i++ )
        printk("%c", efi.vendor[i] < 0x7f && efi.vendor[i] >= ' '
                     ? efi.vendor[i] : '?');
    printk("\" revision %#x\n", efi.fw_revision);
}

int efi_info_get(uint32_t index, union xenpf_efi_info *info)
{
    unsigned int n, len;

    /* Xen's answer when it did not boot through EFI. */
    if ( !efi.valid )
        return -ENOSYS;

    switch ( index )
    {
    case XEN_FW_EFI_VERSION:
        info->version = efi.revision;
        return 0;
    case XEN_FW_EFI_CONFIG_TABLE:
        info->cfg.addr = efi.tables;
        info->cfg.nent = efi.nr_tables;
        return 0;
    case XEN_FW_EFI_VENDOR:
        /* As much of the name as fits, its NUL included if it does. */
        for ( len = 0; efi.vendor[len]; len++ )
            continue;
        n = min(info->vendor.bufsz / 2, len + 1);
        info->vendor.revision = efi.fw_revision;
        return copy_to_guest_va((unsigned long)info->vendor.name.p,
                                efi.vendor, n * 2) ? -EFAULT : 0;
    case XEN_FW_EFI_RT_VERSION:
        /* No runtime services: Xen's answer with them off. */
        return -EOPNOTSUPP;
    case XEN_FW_EFI_MEM_INFO:
    case XEN_FW_EFI_PCI_ROM:
        /* No firmware memory map or option ROMs kept: nothing found. */
        return -ESRCH;
    default:
        return -EINVAL;
    }
}
