/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Feature bits of the PV interface: what the hypervisor offers a guest
 * (XENVER_get_features, in words of 32 bits) and what a guest kernel
 * supports or requires (XEN_ELFNOTE_FEATURES by name without the
 * "XENFEAT_" prefix, XEN_ELFNOTE_SUPPORTED_FEATURES as a bitmap).
 */
#ifndef __XEN_PUBLIC_FEATURES_H__
#define __XEN_PUBLIC_FEATURES_H__

/* The guest may write its page tables directly; the hypervisor validates. */
#define XENFEAT_writable_page_tables        0
/* The guest may write its descriptor tables directly. */
#define XENFEAT_writable_descriptor_tables  1
/* The hypervisor translates guest-physical to machine addresses. */
#define XENFEAT_auto_translated_physmap     2
/* The guest kernel runs in ring 0. */
#define XENFEAT_supervisor_mode_kernel      3
/* PAE page directories need not be below 4 GiB. */
#define XENFEAT_pae_pgdir_above_4gb         4
/* MMU_PT_UPDATE_PRESERVE_AD is available. */
#define XENFEAT_mmu_pt_update_preserve_ad   5
/* MMUEXT_[UN]MARK_SUPER (highmem assist) is available. */
#define XENFEAT_highmem_assist              6
/* Grant mappings honour the guest-available PTE bits in their flags. */
#define XENFEAT_gnttab_map_avail_bits       7
/* An HVM guest may take event channel upcalls through a vector. */
#define XENFEAT_hvm_callback_vector         8
/* An HVM guest may use the PV clock safely. */
#define XENFEAT_hvm_safe_pvclock            9
/* An HVM guest's PIRQs are delivered as event channels. */
#define XENFEAT_hvm_pirqs                  10
/* The domain is the control/hardware domain (or the kernel can be). */
#define XENFEAT_dom0                       11
/* Deprecated: grant mappings are 1:1. */
#define XENFEAT_grant_map_identity         12
/* XENMEM_get_vnumainfo is available. */
#define XENFEAT_memory_op_vnode_supported  13
/* Arm: SMCCC calls are available. */
#define XENFEAT_ARM_SMCCC_supported        14
/* PVH Linux: the ACPI RSDP may be anywhere, not only below 1 MiB. */
#define XENFEAT_linux_rsdp_unrestricted    15
/* The domain's guest frames are not equal to machine frames. */
#define XENFEAT_not_direct_mapped          16
/* The domain's guest frames equal machine frames. */
#define XENFEAT_direct_mapped              17
/* VCPUOP_register_runstate_phys_area is available. */
#define XENFEAT_runstate_phys_area         18
/* VCPUOP_register_vcpu_time_phys_area is available. */
#define XENFEAT_vcpu_time_phys_area        19
/* Every MSI-X vector control write reaches the device model. */
#define XENFEAT_dm_msix_all_writes         20

/* Words of 32 feature bits. */
#define XENFEAT_NR_SUBMAPS 1

#endif /* __XEN_PUBLIC_FEATURES_H__ */
