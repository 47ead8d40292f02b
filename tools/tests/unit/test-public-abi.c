/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The public PV ABI headers (xen/include/public/): every structure's size
 * and the offset of its fields, and the numbers a guest passes, against
 * the values of Xen's own ABI for a 64-bit x86 guest. These are the ABI:
 * a field that moves or a number that changes breaks every PV kernel
 * built for Xen, so each value here was taken from Xen's layout, not
 * from our headers.
 */
#include "harness.h"

#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/version.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/memory.h>
#include <public/callback.h>
#include <public/physdev.h>
#include <public/platform.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/nmi.h>

#define SIZE(type, want)    CHECK_EQU(sizeof(type), want)
#define OFFSET(type, field, want) CHECK_EQU(offsetof(type, field), want)

TEST(vcpu_info)
{
    SIZE(struct vcpu_info, 64);
    OFFSET(struct vcpu_info, evtchn_upcall_mask, 1);
    OFFSET(struct vcpu_info, evtchn_pending_sel, 8);
    OFFSET(struct vcpu_info, arch, 16);
    OFFSET(struct vcpu_info, time, 32);
}

TEST(vcpu_time_info)
{
    SIZE(struct vcpu_time_info, 32);
    OFFSET(struct vcpu_time_info, tsc_timestamp, 8);
    OFFSET(struct vcpu_time_info, system_time, 16);
    OFFSET(struct vcpu_time_info, tsc_to_system_mul, 24);
    OFFSET(struct vcpu_time_info, tsc_shift, 28);
    OFFSET(struct vcpu_time_info, flags, 29);
}

TEST(shared_info)
{
    SIZE(struct shared_info, 3136);
    OFFSET(struct shared_info, evtchn_pending, 2048);
    OFFSET(struct shared_info, evtchn_mask, 2560);
    OFFSET(struct shared_info, wc_version, 3072);
    OFFSET(struct shared_info, wc_sec, 3076);
    OFFSET(struct shared_info, wc_nsec, 3080);
    OFFSET(struct shared_info, wc_sec_hi, 3084);
    OFFSET(struct shared_info, arch, 3088);
}

TEST(arch_shared_info)
{
    SIZE(struct arch_shared_info, 48);
    OFFSET(struct arch_shared_info, p2m_cr3, 24);
    OFFSET(struct arch_shared_info, p2m_generation, 40);
}

TEST(start_info)
{
    SIZE(struct start_info, 1168);
    OFFSET(struct start_info, nr_pages, 32);
    OFFSET(struct start_info, shared_info, 40);
    OFFSET(struct start_info, flags, 48);
    OFFSET(struct start_info, store_mfn, 56);
    OFFSET(struct start_info, store_evtchn, 64);
    OFFSET(struct start_info, console, 72);
    OFFSET(struct start_info, pt_base, 88);
    OFFSET(struct start_info, nr_pt_frames, 96);
    OFFSET(struct start_info, mfn_list, 104);
    OFFSET(struct start_info, mod_start, 112);
    OFFSET(struct start_info, mod_len, 120);
    OFFSET(struct start_info, cmd_line, 128);
    OFFSET(struct start_info, first_p2m_pfn, 1152);
    OFFSET(struct start_info, nr_p2m_frames, 1160);
}

TEST(trap_info)
{
    SIZE(struct trap_info, 16);
    OFFSET(struct trap_info, address, 8);
}

TEST(xen_cpu_user_regs)
{
    SIZE(struct xen_cpu_user_regs, 200);
    OFFSET(struct xen_cpu_user_regs, rax, 80);
    OFFSET(struct xen_cpu_user_regs, rdi, 112);
    OFFSET(struct xen_cpu_user_regs, error_code, 120);
    OFFSET(struct xen_cpu_user_regs, entry_vector, 124);
    OFFSET(struct xen_cpu_user_regs, rip, 128);
    OFFSET(struct xen_cpu_user_regs, cs, 136);
    OFFSET(struct xen_cpu_user_regs, saved_upcall_mask, 140);
    OFFSET(struct xen_cpu_user_regs, rflags, 144);
    OFFSET(struct xen_cpu_user_regs, rsp, 152);
    OFFSET(struct xen_cpu_user_regs, ss, 160);
    OFFSET(struct xen_cpu_user_regs, es, 168);
    OFFSET(struct xen_cpu_user_regs, ds, 176);
    OFFSET(struct xen_cpu_user_regs, fs, 184);
    OFFSET(struct xen_cpu_user_regs, gs, 192);
}

TEST(vcpu_guest_context)
{
    SIZE(struct vcpu_guest_context, 5168);
    OFFSET(struct vcpu_guest_context, flags, 512);
    OFFSET(struct vcpu_guest_context, user_regs, 520);
    OFFSET(struct vcpu_guest_context, trap_ctxt, 720);
    OFFSET(struct vcpu_guest_context, ldt_base, 4816);
    OFFSET(struct vcpu_guest_context, gdt_frames, 4832);
    OFFSET(struct vcpu_guest_context, gdt_ents, 4960);
    OFFSET(struct vcpu_guest_context, kernel_ss, 4968);
    OFFSET(struct vcpu_guest_context, kernel_sp, 4976);
    OFFSET(struct vcpu_guest_context, ctrlreg, 4984);
    OFFSET(struct vcpu_guest_context, debugreg, 5048);
    OFFSET(struct vcpu_guest_context, event_callback_eip, 5112);
    OFFSET(struct vcpu_guest_context, failsafe_callback_eip, 5120);
    OFFSET(struct vcpu_guest_context, syscall_callback_eip, 5128);
    OFFSET(struct vcpu_guest_context, vm_assist, 5136);
    OFFSET(struct vcpu_guest_context, fs_base, 5144);
    OFFSET(struct vcpu_guest_context, gs_base_kernel, 5152);
    OFFSET(struct vcpu_guest_context, gs_base_user, 5160);
}

TEST(iret_context)
{
    SIZE(struct iret_context, 72);
}

TEST(arch_vcpu_info)
{
    SIZE(struct arch_vcpu_info, 16);
}

TEST(mmuext_op)
{
    SIZE(struct mmuext_op, 24);
    OFFSET(struct mmuext_op, arg1, 8);
    OFFSET(struct mmuext_op, arg2, 16);
}

TEST(mmu_update)
{
    SIZE(struct mmu_update, 16);
}

TEST(multicall_entry)
{
    SIZE(struct multicall_entry, 64);
}

TEST(callback_register)
{
    SIZE(struct callback_register, 16);
    OFFSET(struct callback_register, address, 8);
}

TEST(callback_unregister)
{
    SIZE(struct callback_unregister, 4);
}

TEST(vcpu_runstate_info)
{
    SIZE(struct vcpu_runstate_info, 48);
    OFFSET(struct vcpu_runstate_info, state_entry_time, 8);
    OFFSET(struct vcpu_runstate_info, time, 16);
}

TEST(vcpu_set_singleshot_timer)
{
    SIZE(struct vcpu_set_singleshot_timer, 16);
    OFFSET(struct vcpu_set_singleshot_timer, flags, 8);
}

TEST(vcpu_register_vcpu_info)
{
    SIZE(struct vcpu_register_vcpu_info, 16);
    OFFSET(struct vcpu_register_vcpu_info, offset, 8);
}

TEST(vcpu_register_runstate_memory_area)
{
    SIZE(struct vcpu_register_runstate_memory_area, 8);
}

TEST(sched_shutdown)
{
    SIZE(struct sched_shutdown, 4);
}

TEST(sched_poll)
{
    SIZE(struct sched_poll, 24);
    OFFSET(struct sched_poll, nr_ports, 8);
    OFFSET(struct sched_poll, timeout, 16);
}

TEST(sched_remote_shutdown)
{
    SIZE(struct sched_remote_shutdown, 8);
    OFFSET(struct sched_remote_shutdown, reason, 4);
}

TEST(xen_memory_reservation)
{
    SIZE(struct xen_memory_reservation, 32);
    OFFSET(struct xen_memory_reservation, nr_extents, 8);
    OFFSET(struct xen_memory_reservation, extent_order, 16);
    OFFSET(struct xen_memory_reservation, mem_flags, 20);
    OFFSET(struct xen_memory_reservation, domid, 24);
}

TEST(xen_memory_exchange)
{
    SIZE(struct xen_memory_exchange, 72);
    OFFSET(struct xen_memory_exchange, out, 32);
    OFFSET(struct xen_memory_exchange, nr_exchanged, 64);
}

TEST(xen_machphys_mfn_list)
{
    SIZE(struct xen_machphys_mfn_list, 24);
    OFFSET(struct xen_machphys_mfn_list, extent_start, 8);
    OFFSET(struct xen_machphys_mfn_list, nr_extents, 16);
}

TEST(xen_machphys_mapping)
{
    SIZE(struct xen_machphys_mapping, 24);
    OFFSET(struct xen_machphys_mapping, max_mfn, 16);
}

TEST(xen_add_to_physmap)
{
    SIZE(struct xen_add_to_physmap, 24);
    OFFSET(struct xen_add_to_physmap, size, 2);
    OFFSET(struct xen_add_to_physmap, space, 4);
    OFFSET(struct xen_add_to_physmap, idx, 8);
    OFFSET(struct xen_add_to_physmap, gpfn, 16);
}

TEST(xen_memory_map)
{
    SIZE(struct xen_memory_map, 16);
    OFFSET(struct xen_memory_map, buffer, 8);
}

TEST(xen_foreign_memory_map)
{
    SIZE(struct xen_foreign_memory_map, 24);
    OFFSET(struct xen_foreign_memory_map, map, 8);
}

TEST(xen_compile_info)
{
    SIZE(struct xen_compile_info, 144);
    OFFSET(struct xen_compile_info, compile_by, 64);
    OFFSET(struct xen_compile_info, compile_domain, 80);
    OFFSET(struct xen_compile_info, compile_date, 112);
}

TEST(xen_feature_info)
{
    SIZE(struct xen_feature_info, 8);
}

TEST(xen_platform_parameters)
{
    SIZE(struct xen_platform_parameters, 8);
}

TEST(physdev_set_iopl)
{
    SIZE(struct physdev_set_iopl, 4);
}

TEST(physdev_irq_status_query)
{
    SIZE(struct physdev_irq_status_query, 8);
}

TEST(physdev_eoi)
{
    SIZE(struct physdev_eoi, 4);
}

TEST(physdev_map_pirq)
{
    SIZE(struct physdev_map_pirq, 40);
    OFFSET(struct physdev_map_pirq, type, 4);
    OFFSET(struct physdev_map_pirq, pirq, 12);
    OFFSET(struct physdev_map_pirq, entry_nr, 24);
    OFFSET(struct physdev_map_pirq, table_base, 32);
}

TEST(physdev_unmap_pirq)
{
    SIZE(struct physdev_unmap_pirq, 8);
}

TEST(physdev_apic)
{
    SIZE(struct physdev_apic, 16);
}

TEST(physdev_setup_gsi)
{
    SIZE(struct physdev_setup_gsi, 8);
}

TEST(physdev_pci_structs)
{
    SIZE(struct physdev_manage_pci, 2);
    SIZE(struct physdev_manage_pci_ext, 16);
    OFFSET(struct physdev_manage_pci_ext, is_extfn, 4);
    OFFSET(struct physdev_manage_pci_ext, physfn, 12);
    SIZE(struct physdev_pci_device_add, 12);
    OFFSET(struct physdev_pci_device_add, flags, 4);
    OFFSET(struct physdev_pci_device_add, physfn, 8);
    OFFSET(struct physdev_pci_device_add, optarr, 12);
    SIZE(struct physdev_pci_device, 4);
    SIZE(struct physdev_pci_mmcfg_reserved, 16);
    SIZE(struct physdev_irq, 8);
}

TEST(physdev_set_iobitmap)
{
    SIZE(struct physdev_set_iobitmap, 16);
}

TEST(xen_platform_op)
{
    SIZE(struct xen_platform_op, 136);
    OFFSET(struct xen_platform_op, u, 8);
}

TEST(xenpf_settime64)
{
    SIZE(struct xenpf_settime64, 24);
    OFFSET(struct xenpf_settime64, nsecs, 8);
    OFFSET(struct xenpf_settime64, system_time, 16);
}

TEST(xenpf_settime32)
{
    SIZE(struct xenpf_settime32, 16);
}

TEST(xenpf_firmware_info)
{
    SIZE(struct xenpf_firmware_info, 40);
    OFFSET(struct xenpf_firmware_info, u, 8);
    OFFSET(struct xenpf_firmware_info, u.disk_info.edd_params, 16);
    OFFSET(struct xenpf_firmware_info, u.vbeddc_info.edid, 16);
    OFFSET(struct xenpf_firmware_info, u.disk_mbr_signature.mbr_signature, 12);
}

TEST(xenpf_set_processor_pminfo)
{
    SIZE(struct xenpf_set_processor_pminfo, 112);
    OFFSET(struct xenpf_set_processor_pminfo, u, 8);
}

TEST(xen_processor_performance)
{
    SIZE(struct xen_processor_performance, 104);
}

TEST(xen_processor_power)
{
    SIZE(struct xen_processor_power, 16);
}

TEST(xen_processor_cx)
{
    SIZE(struct xen_processor_cx, 48);
}

TEST(evtchn_alloc_unbound)
{
    SIZE(struct evtchn_alloc_unbound, 8);
    OFFSET(struct evtchn_alloc_unbound, port, 4);
}

TEST(evtchn_bind_interdomain)
{
    SIZE(struct evtchn_bind_interdomain, 12);
}

TEST(evtchn_bind_virq)
{
    SIZE(struct evtchn_bind_virq, 12);
}

TEST(evtchn_bind_ipi)
{
    SIZE(struct evtchn_bind_ipi, 8);
}

TEST(evtchn_status)
{
    SIZE(struct evtchn_status, 24);
    OFFSET(struct evtchn_status, status, 8);
    OFFSET(struct evtchn_status, vcpu, 12);
    OFFSET(struct evtchn_status, u, 16);
}

TEST(evtchn_init_control)
{
    SIZE(struct evtchn_init_control, 24);
}

TEST(evtchn_bind_pirq)
{
    SIZE(struct evtchn_bind_pirq, 12);
}

TEST(evtchn_send)
{
    SIZE(struct evtchn_send, 4);
}

TEST(grant_entry_v1)
{
    SIZE(struct grant_entry_v1, 8);
    OFFSET(struct grant_entry_v1, domid, 2);
    OFFSET(struct grant_entry_v1, frame, 4);
}

TEST(gnttab_map_grant_ref)
{
    SIZE(struct gnttab_map_grant_ref, 32);
    OFFSET(struct gnttab_map_grant_ref, flags, 8);
    OFFSET(struct gnttab_map_grant_ref, ref, 12);
    OFFSET(struct gnttab_map_grant_ref, dom, 16);
    OFFSET(struct gnttab_map_grant_ref, status, 18);
    OFFSET(struct gnttab_map_grant_ref, handle, 20);
    OFFSET(struct gnttab_map_grant_ref, dev_bus_addr, 24);
}

TEST(gnttab_unmap_grant_ref)
{
    SIZE(struct gnttab_unmap_grant_ref, 24);
    OFFSET(struct gnttab_unmap_grant_ref, handle, 16);
    OFFSET(struct gnttab_unmap_grant_ref, status, 20);
}

TEST(gnttab_setup_table)
{
    SIZE(struct gnttab_setup_table, 24);
    OFFSET(struct gnttab_setup_table, nr_frames, 4);
    OFFSET(struct gnttab_setup_table, status, 8);
    OFFSET(struct gnttab_setup_table, frame_list, 16);
}

TEST(gnttab_query_size)
{
    SIZE(struct gnttab_query_size, 16);
    OFFSET(struct gnttab_query_size, status, 12);
}

TEST(xen_multiboot_mod_list)
{
    SIZE(struct xen_multiboot_mod_list, 16);
}

TEST(dom0_vga_console_info)
{
    SIZE(dom0_vga_console_info_t, 40);
}
/* Handles are one pointer: a guest passes them in place of raw pointers. */
TEST(guest_handles)
{
    XEN_GUEST_HANDLE(xen_pfn_t) h;
    xen_pfn_t pfn = 0;

    SIZE(XEN_GUEST_HANDLE(void), 8);
    SIZE(XEN_GUEST_HANDLE(const_uint8), 8);
    set_xen_guest_handle(h, &pfn);
    CHECK(h.p == &pfn);
    SIZE(xen_pfn_t, 8);
    SIZE(xen_ulong_t, 8);
    SIZE(domid_t, 2);
    SIZE(xen_domain_handle_t, 16);
    SIZE(evtchn_port_t, 4);
    SIZE(struct xen_e820_entry, 20);
}

TEST(hypercall_numbers)
{
    CHECK_EQ(__HYPERVISOR_set_trap_table, 0);
    CHECK_EQ(__HYPERVISOR_mmu_update, 1);
    CHECK_EQ(__HYPERVISOR_set_gdt, 2);
    CHECK_EQ(__HYPERVISOR_stack_switch, 3);
    CHECK_EQ(__HYPERVISOR_set_callbacks, 4);
    CHECK_EQ(__HYPERVISOR_fpu_taskswitch, 5);
    CHECK_EQ(__HYPERVISOR_sched_op_compat, 6);
    CHECK_EQ(__HYPERVISOR_platform_op, 7);
    CHECK_EQ(__HYPERVISOR_set_debugreg, 8);
    CHECK_EQ(__HYPERVISOR_get_debugreg, 9);
    CHECK_EQ(__HYPERVISOR_update_descriptor, 10);
    CHECK_EQ(__HYPERVISOR_memory_op, 12);
    CHECK_EQ(__HYPERVISOR_multicall, 13);
    CHECK_EQ(__HYPERVISOR_update_va_mapping, 14);
    CHECK_EQ(__HYPERVISOR_set_timer_op, 15);
    CHECK_EQ(__HYPERVISOR_event_channel_op_compat, 16);
    CHECK_EQ(__HYPERVISOR_xen_version, 17);
    CHECK_EQ(__HYPERVISOR_console_io, 18);
    CHECK_EQ(__HYPERVISOR_physdev_op_compat, 19);
    CHECK_EQ(__HYPERVISOR_grant_table_op, 20);
    CHECK_EQ(__HYPERVISOR_vm_assist, 21);
    CHECK_EQ(__HYPERVISOR_update_va_mapping_otherdomain, 22);
    CHECK_EQ(__HYPERVISOR_iret, 23);
    CHECK_EQ(__HYPERVISOR_vcpu_op, 24);
    CHECK_EQ(__HYPERVISOR_set_segment_base, 25);
    CHECK_EQ(__HYPERVISOR_mmuext_op, 26);
    CHECK_EQ(__HYPERVISOR_xsm_op, 27);
    CHECK_EQ(__HYPERVISOR_nmi_op, 28);
    CHECK_EQ(__HYPERVISOR_sched_op, 29);
    CHECK_EQ(__HYPERVISOR_callback_op, 30);
    CHECK_EQ(__HYPERVISOR_xenoprof_op, 31);
    CHECK_EQ(__HYPERVISOR_event_channel_op, 32);
    CHECK_EQ(__HYPERVISOR_physdev_op, 33);
    CHECK_EQ(__HYPERVISOR_hvm_op, 34);
    CHECK_EQ(__HYPERVISOR_sysctl, 35);
    CHECK_EQ(__HYPERVISOR_domctl, 36);
    CHECK_EQ(__HYPERVISOR_kexec_op, 37);
    CHECK_EQ(__HYPERVISOR_tmem_op, 38);
    CHECK_EQ(__HYPERVISOR_argo_op, 39);
    CHECK_EQ(__HYPERVISOR_xenpmu_op, 40);
    CHECK_EQ(__HYPERVISOR_dm_op, 41);
    CHECK_EQ(__HYPERVISOR_hypfs_op, 42);
    CHECK_EQ(__HYPERVISOR_arch_0, 48);
    CHECK_EQ(__HYPERVISOR_arch_7, 55);
    CHECK_EQ(XEN_HYPERCALL_STUB_SIZE * XEN_NR_HYPERCALL_STUBS, 4096);
}

TEST(mmu_commands)
{
    CHECK_EQ(MMU_NORMAL_PT_UPDATE, 0);
    CHECK_EQ(MMU_MACHPHYS_UPDATE, 1);
    CHECK_EQ(MMU_PT_UPDATE_PRESERVE_AD, 2);
    CHECK_EQ(MMU_PT_UPDATE_NO_TRANSLATE, 3);
    CHECK_EQ(MMUEXT_PIN_L1_TABLE, 0);
    CHECK_EQ(MMUEXT_PIN_L2_TABLE, 1);
    CHECK_EQ(MMUEXT_PIN_L3_TABLE, 2);
    CHECK_EQ(MMUEXT_PIN_L4_TABLE, 3);
    CHECK_EQ(MMUEXT_UNPIN_TABLE, 4);
    CHECK_EQ(MMUEXT_NEW_BASEPTR, 5);
    CHECK_EQ(MMUEXT_TLB_FLUSH_LOCAL, 6);
    CHECK_EQ(MMUEXT_INVLPG_LOCAL, 7);
    CHECK_EQ(MMUEXT_TLB_FLUSH_MULTI, 8);
    CHECK_EQ(MMUEXT_INVLPG_MULTI, 9);
    CHECK_EQ(MMUEXT_TLB_FLUSH_ALL, 10);
    CHECK_EQ(MMUEXT_INVLPG_ALL, 11);
    CHECK_EQ(MMUEXT_FLUSH_CACHE, 12);
    CHECK_EQ(MMUEXT_SET_LDT, 13);
    CHECK_EQ(MMUEXT_NEW_USER_BASEPTR, 15);
    CHECK_EQ(MMUEXT_CLEAR_PAGE, 16);
    CHECK_EQ(MMUEXT_COPY_PAGE, 17);
    CHECK_EQ(MMUEXT_FLUSH_CACHE_GLOBAL, 18);
    CHECK_EQ(MMUEXT_MARK_SUPER, 19);
    CHECK_EQ(MMUEXT_UNMARK_SUPER, 20);
    CHECK_EQU(UVMF_NONE, 0);
    CHECK_EQU(UVMF_TLB_FLUSH, 1);
    CHECK_EQU(UVMF_INVLPG, 2);
    CHECK_EQU(UVMF_FLUSHTYPE_MASK, 3);
    CHECK_EQU(UVMF_LOCAL, 0);
    CHECK_EQU(UVMF_ALL, 4);
}

TEST(virqs_vmassist_domids)
{
    CHECK_EQ(VIRQ_TIMER, 0);
    CHECK_EQ(VIRQ_DEBUG, 1);
    CHECK_EQ(VIRQ_CONSOLE, 2);
    CHECK_EQ(VIRQ_DOM_EXC, 3);
    CHECK_EQ(VIRQ_CON_RING, 8);
    CHECK_EQ(VIRQ_XENPMU, 13);
    CHECK_EQ(VIRQ_ARCH_0, 16);
    CHECK_EQ(NR_VIRQS, 24);
    CHECK_EQ(CONSOLEIO_write, 0);
    CHECK_EQ(CONSOLEIO_read, 1);
    CHECK_EQ(VMASST_CMD_enable, 0);
    CHECK_EQ(VMASST_CMD_disable, 1);
    CHECK_EQ(VMASST_TYPE_writable_pagetables, 2);
    CHECK_EQ(VMASST_TYPE_pae_extended_cr3, 3);
    CHECK_EQ(VMASST_TYPE_architectural_iopl, 4);
    CHECK_EQ(VMASST_TYPE_runstate_update_flag, 5);
    CHECK_EQ(VMASST_TYPE_m2p_strict, 32);
    CHECK_EQU(DOMID_FIRST_RESERVED, 0x7ff0);
    CHECK_EQU(DOMID_SELF, 0x7ff0);
    CHECK_EQU(DOMID_IO, 0x7ff1);
    CHECK_EQU(DOMID_XEN, 0x7ff2);
    CHECK_EQU(DOMID_COW, 0x7ff3);
    CHECK_EQU(DOMID_INVALID, 0x7ff4);
    CHECK_EQU(DOMID_ANY, 0x7ff5);
    CHECK_EQU(DOMID_IDLE, 0x7fff);
    CHECK_EQ(XEN_LEGACY_MAX_VCPUS, 32);
    CHECK_EQ(MAX_GUEST_CMDLINE, 1024);
}

TEST(start_info_flags)
{
    CHECK_EQU(SIF_PRIVILEGED, 1);
    CHECK_EQU(SIF_INITDOMAIN, 2);
    CHECK_EQU(SIF_MULTIBOOT_MOD, 4);
    CHECK_EQU(SIF_MOD_START_PFN, 8);
    CHECK_EQU(SIF_VIRT_P2M_4TOOLS, 16);
    CHECK_EQU(SIF_PM_MASK, 0xff00);
}

TEST(x86_64_layout_constants)
{
    CHECK_EQU(FLAT_RING3_CS32, 0xe023);
    CHECK_EQU(FLAT_RING3_CS64, 0xe033);
    CHECK_EQU(FLAT_RING3_DS32, 0xe02b);
    CHECK_EQU(FLAT_RING3_DS64, 0);
    CHECK_EQU(FLAT_RING3_SS64, 0xe02b);
    CHECK_EQU(FLAT_KERNEL_CS, 0xe033);
    CHECK_EQU(FLAT_KERNEL_SS, 0xe02b);
    CHECK_EQU(FLAT_KERNEL_DS, 0);
    CHECK_EQU(FLAT_USER_CS, 0xe033);
    CHECK_EQU(FLAT_USER_CS32, 0xe023);
    CHECK_EQU(FLAT_USER_SS, 0xe02b);
    CHECK_EQU(HYPERVISOR_VIRT_START, 0xffff800000000000UL);
    CHECK_EQU(HYPERVISOR_VIRT_END, 0xffff880000000000UL);
    CHECK_EQU(MACH2PHYS_VIRT_START, 0xffff800000000000UL);
    CHECK_EQU(MACH2PHYS_VIRT_END, 0xffff804000000000UL);
    CHECK_EQU(MACH2PHYS_NR_ENTRIES, 1UL << 35);
    CHECK_EQ(FIRST_RESERVED_GDT_ENTRY, 7168);
    CHECK_EQ(SEGBASE_FS, 0);
    CHECK_EQ(SEGBASE_GS_USER, 1);
    CHECK_EQ(SEGBASE_GS_KERNEL, 2);
    CHECK_EQ(SEGBASE_GS_USER_SEL, 3);
    CHECK_EQU(VGCF_i387_valid, 1);
    CHECK_EQU(VGCF_in_kernel, 4);
    CHECK_EQU(VGCF_failsafe_disables_events, 8);
    CHECK_EQU(VGCF_syscall_disables_events, 16);
    CHECK_EQU(VGCF_online, 32);
    CHECK_EQU(VGCF_in_syscall, 256);
}

/* The trap-info flag accessors and the forced-emulation prefix bytes. */
TEST(trap_info_flags_and_emulate_prefix)
{
    struct trap_info ti = { 0 };
    static const char prefix[] = XEN_EMULATE_PREFIX;

    TI_SET_DPL(&ti, 3);
    TI_SET_IF(&ti, 7);
    CHECK_EQU(ti.flags, 7);
    CHECK_EQU(TI_GET_DPL(&ti), 3);
    CHECK_EQU(TI_GET_IF(&ti), 4);
    /* "ud2; .ascii \"xen\"" as the assembler sees it. */
    CHECK_STR(prefix, ".byte 0x0f, 0x0b, 0x78, 0x65, 0x6e ; ");
}

TEST(sub_op_numbers)
{
    CHECK_EQ(XENVER_version, 0);
    CHECK_EQ(XENVER_extraversion, 1);
    CHECK_EQ(XENVER_compile_info, 2);
    CHECK_EQ(XENVER_capabilities, 3);
    CHECK_EQ(XENVER_changeset, 4);
    CHECK_EQ(XENVER_platform_parameters, 5);
    CHECK_EQ(XENVER_get_features, 6);
    CHECK_EQ(XENVER_pagesize, 7);
    CHECK_EQ(XENVER_guest_handle, 8);
    CHECK_EQ(XENVER_commandline, 9);
    CHECK_EQ(XENVER_build_id, 10);
    CHECK_EQ(XENVER_commandline2, 14);
    SIZE(xen_extraversion_t, 16);
    SIZE(xen_capabilities_info_t, 1024);
    SIZE(xen_changeset_info_t, 64);

    CHECK_EQ(SCHEDOP_yield, 0);
    CHECK_EQ(SCHEDOP_block, 1);
    CHECK_EQ(SCHEDOP_shutdown, 2);
    CHECK_EQ(SCHEDOP_poll, 3);
    CHECK_EQ(SCHEDOP_remote_shutdown, 4);
    CHECK_EQ(SCHEDOP_shutdown_code, 5);
    CHECK_EQ(SCHEDOP_watchdog, 6);
    CHECK_EQ(SCHEDOP_pin_override, 7);
    CHECK_EQ(SHUTDOWN_poweroff, 0);
    CHECK_EQ(SHUTDOWN_reboot, 1);
    CHECK_EQ(SHUTDOWN_suspend, 2);
    CHECK_EQ(SHUTDOWN_crash, 3);
    CHECK_EQ(SHUTDOWN_watchdog, 4);
    CHECK_EQ(SHUTDOWN_soft_reset, 5);

    CHECK_EQ(VCPUOP_initialise, 0);
    CHECK_EQ(VCPUOP_up, 1);
    CHECK_EQ(VCPUOP_down, 2);
    CHECK_EQ(VCPUOP_is_up, 3);
    CHECK_EQ(VCPUOP_get_runstate_info, 4);
    CHECK_EQ(VCPUOP_register_runstate_memory_area, 5);
    CHECK_EQ(VCPUOP_set_periodic_timer, 6);
    CHECK_EQ(VCPUOP_stop_periodic_timer, 7);
    CHECK_EQ(VCPUOP_set_singleshot_timer, 8);
    CHECK_EQ(VCPUOP_stop_singleshot_timer, 9);
    CHECK_EQ(VCPUOP_register_vcpu_info, 10);
    CHECK_EQ(VCPUOP_send_nmi, 11);
    CHECK_EQ(VCPUOP_get_physid, 12);
    CHECK_EQ(VCPUOP_register_vcpu_time_memory_area, 13);
    CHECK_EQU(VCPU_SSHOTTMR_future, 1);
    CHECK_EQ(RUNSTATE_running, 0);
    CHECK_EQ(RUNSTATE_runnable, 1);
    CHECK_EQ(RUNSTATE_blocked, 2);
    CHECK_EQ(RUNSTATE_offline, 3);
    CHECK_EQU(XEN_RUNSTATE_UPDATE, 1ULL << 63);

    CHECK_EQ(CALLBACKTYPE_event, 0);
    CHECK_EQ(CALLBACKTYPE_failsafe, 1);
    CHECK_EQ(CALLBACKTYPE_syscall, 2);
    CHECK_EQ(CALLBACKTYPE_nmi, 4);
    CHECK_EQ(CALLBACKTYPE_sysenter, 5);
    CHECK_EQ(CALLBACKTYPE_syscall32, 7);
    CHECK_EQU(CALLBACKF_mask_events, 1);
    CHECK_EQ(CALLBACKOP_register, 0);
    CHECK_EQ(CALLBACKOP_unregister, 1);
    CHECK_EQ(XENNMI_register_callback, 0);
}

TEST(memory_and_platform_numbers)
{
    CHECK_EQ(XENMEM_increase_reservation, 0);
    CHECK_EQ(XENMEM_decrease_reservation, 1);
    CHECK_EQ(XENMEM_maximum_ram_page, 2);
    CHECK_EQ(XENMEM_current_reservation, 3);
    CHECK_EQ(XENMEM_maximum_reservation, 4);
    CHECK_EQ(XENMEM_machphys_mfn_list, 5);
    CHECK_EQ(XENMEM_populate_physmap, 6);
    CHECK_EQ(XENMEM_add_to_physmap, 7);
    CHECK_EQ(XENMEM_memory_map, 9);
    CHECK_EQ(XENMEM_machine_memory_map, 10);
    CHECK_EQ(XENMEM_exchange, 11);
    CHECK_EQ(XENMEM_machphys_mapping, 12);
    CHECK_EQ(XENMEM_set_memory_map, 13);
    CHECK_EQ(XENMEM_maximum_gpfn, 14);
    CHECK_EQ(XENMEM_remove_from_physmap, 15);
    CHECK_EQ(XENMEM_add_to_physmap_batch, 23);
    CHECK_EQ(XENMEM_machphys_compat_mfn_list, 25);
    CHECK_EQ(XENMEM_acquire_resource, 28);

    CHECK_EQU(XENPF_INTERFACE_VERSION, 0x03000001);
    CHECK_EQ(XENPF_settime32, 17);
    CHECK_EQ(XENPF_settime64, 62);
    CHECK_EQ(XENPF_settime, 62);
    CHECK_EQ(XENPF_add_memtype, 31);
    CHECK_EQ(XENPF_microcode_update, 35);
    CHECK_EQ(XENPF_platform_quirk, 39);
    CHECK_EQ(XENPF_get_cpu_version, 48);
    CHECK_EQ(XENPF_efi_runtime_call, 49);
    CHECK_EQ(XENPF_firmware_info, 50);
    CHECK_EQ(XENPF_enter_acpi_sleep, 51);
    CHECK_EQ(XENPF_set_processor_pminfo, 54);
    CHECK_EQ(XENPF_get_cpuinfo, 55);
    CHECK_EQ(XENPF_resource_op, 61);
    CHECK_EQ(XENPF_get_symbol, 63);
    CHECK_EQ(XENPF_microcode_update2, 66);
    CHECK_EQ(XEN_FW_DISK_INFO, 1);
    CHECK_EQ(XEN_FW_EFI_INFO, 4);
    CHECK_EQ(XEN_FW_KBD_SHIFT_FLAGS, 5);

    CHECK_EQ(PHYSDEVOP_irq_status_query, 5);
    CHECK_EQ(PHYSDEVOP_set_iopl, 6);
    CHECK_EQ(PHYSDEVOP_set_iobitmap, 7);
    CHECK_EQ(PHYSDEVOP_apic_read, 8);
    CHECK_EQ(PHYSDEVOP_eoi, 12);
    CHECK_EQ(PHYSDEVOP_map_pirq, 13);
    CHECK_EQ(PHYSDEVOP_unmap_pirq, 14);
    CHECK_EQ(PHYSDEVOP_setup_gsi, 21);
    CHECK_EQ(PHYSDEVOP_pci_device_add, 25);
    CHECK_EQ(PHYSDEVOP_pirq_eoi_gmfn_v2, 28);
    CHECK_EQ(PHYSDEVOP_pci_device_reset, 32);
    CHECK_EQ(MAP_PIRQ_TYPE_GSI, 1);
}

TEST(event_channel_and_grant_numbers)
{
    CHECK_EQ(EVTCHNOP_bind_interdomain, 0);
    CHECK_EQ(EVTCHNOP_bind_virq, 1);
    CHECK_EQ(EVTCHNOP_bind_pirq, 2);
    CHECK_EQ(EVTCHNOP_close, 3);
    CHECK_EQ(EVTCHNOP_send, 4);
    CHECK_EQ(EVTCHNOP_status, 5);
    CHECK_EQ(EVTCHNOP_alloc_unbound, 6);
    CHECK_EQ(EVTCHNOP_bind_ipi, 7);
    CHECK_EQ(EVTCHNOP_bind_vcpu, 8);
    CHECK_EQ(EVTCHNOP_unmask, 9);
    CHECK_EQ(EVTCHNOP_reset, 10);
    CHECK_EQ(EVTCHNOP_init_control, 11);
    CHECK_EQ(EVTCHNOP_expand_array, 12);
    CHECK_EQ(EVTCHNOP_set_priority, 13);
    CHECK_EQU(EVTCHN_2L_NR_CHANNELS, 4096);

    CHECK_EQ(GNTTABOP_map_grant_ref, 0);
    CHECK_EQ(GNTTABOP_unmap_grant_ref, 1);
    CHECK_EQ(GNTTABOP_setup_table, 2);
    CHECK_EQ(GNTTABOP_dump_table, 3);
    CHECK_EQ(GNTTABOP_transfer, 4);
    CHECK_EQ(GNTTABOP_copy, 5);
    CHECK_EQ(GNTTABOP_query_size, 6);
    CHECK_EQ(GNTTABOP_set_version, 8);
    CHECK_EQ(GNTTABOP_get_version, 10);
    CHECK_EQ(GNTTABOP_cache_flush, 12);
    CHECK_EQU(GTF_permit_access, 1);
    CHECK_EQU(GTF_readonly, 4);
    CHECK_EQ(GNTMAP_host_map, 2);
    CHECK_EQ(GNTMAP_readonly, 4);
    CHECK_EQ(GNTST_permission_denied, -8);
    CHECK_EQ(GNTST_no_space, -13);
}
