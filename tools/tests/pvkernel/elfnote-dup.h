/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DUPLICATES of public/elfnote.h and public/features.h: the few Xen ELF
 * note types and XENFEAT_* bits the test kernel needs, until those two
 * public headers exist in the tree; then this file goes and the kernel
 * includes them. The values are Xen's.
 */
#ifndef PVKERNEL_ELFNOTE_DUP_H
#define PVKERNEL_ELFNOTE_DUP_H

#define XEN_ELFNOTE_ENTRY               1
#define XEN_ELFNOTE_HYPERCALL_PAGE      2
#define XEN_ELFNOTE_VIRT_BASE           3
#define XEN_ELFNOTE_PADDR_OFFSET        4
#define XEN_ELFNOTE_XEN_VERSION         5
#define XEN_ELFNOTE_GUEST_OS            6
#define XEN_ELFNOTE_GUEST_VERSION       7
#define XEN_ELFNOTE_LOADER              8
#define XEN_ELFNOTE_FEATURES            10
#define XEN_ELFNOTE_SUPPORTED_FEATURES  17

#define XENFEAT_writable_page_tables        0
#define XENFEAT_writable_descriptor_tables  1
#define XENFEAT_auto_translated_physmap     2
#define XENFEAT_supervisor_mode_kernel      3
#define XENFEAT_pae_pgdir_above_4gb         4
#define XENFEAT_mmu_pt_update_preserve_ad   5
#define XENFEAT_highmem_assist              6
#define XENFEAT_gnttab_map_avail_bits       7
#define XENFEAT_hvm_callback_vector         8
#define XENFEAT_hvm_safe_pvclock            9
#define XENFEAT_hvm_pirqs                   10
#define XENFEAT_dom0                        11

#endif /* PVKERNEL_ELFNOTE_DUP_H */
