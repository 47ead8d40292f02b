/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_EFI_INFO_H
#define ASM_X86_EFI_INFO_H

/*
 * The UEFI facts dom0 may ask for (xen/arch/x86/efi-info.c): read once
 * at boot from the system table the loader named, never written.
 */
#include <xen/types.h>
#include <public/platform.h>

/* Reads the system table, if the loader gave one; after mapcache_init(). */
void efi_info_init(void);

/*
 * XEN_FW_EFI_INFO's answer for index (XEN_FW_EFI_*) into info: 0, or
 * -ENOSYS when the machine did not boot through UEFI, as Xen answers.
 * The vendor name is copied to the guest buffer info names.
 */
int efi_info_get(uint32_t index, union xenpf_efi_info *info);

#endif /* ASM_X86_EFI_INFO_H */
