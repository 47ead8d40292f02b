/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 hypercalls of the first set that are small: platform_op,
 * xenpmu_op, and memory_op's dispatch (reservations and exchange in
 * xen/common/memory.c) and x86 queries. physdev_op is xen/arch/x86/physdev.c.
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <asm/acpi.h>
#include <asm/dom0_build.h>
#include <asm/e820.h>
#include <asm/efi-info.h>
#include <asm/guest_access.h>
#include <asm/m2p.h>
#include <asm/smp.h>
#include <public/memory.h>
#include <public/platform.h>
#include <public/sched.h>

/* The MADT's processor UID of the CPU with this APIC ID. */
static uint32_t cpu_acpi_id(uint32_t apic_id)
{
    unsigned int i;

    for ( i = 0; i < acpi_madt.nr_cpus; i++ )
        if ( acpi_madt.cpus[i].apic_id == apic_id )
            return acpi_madt.cpus[i].acpi_uid;

    return ~0U; /* no MADT: the boot CPU found alone */
}

/* XENPF_get_cpuinfo: present CPUs are the online ones (no hot-plug). */
static void pcpu_info(struct xenpf_pcpuinfo *p)
{
    unsigned int cpu = p->xen_cpuid, last = 0, i;

    for_each_present_cpu ( i )
        last = i;
    p->max_present = last;
    if ( cpu >= CONFIG_NR_CPUS || !cpumask_test_cpu(cpu, &cpu_present_map) )
    {
        p->flags = XEN_PCPU_FLAGS_INVALID;
        return;
    }
    p->apic_id = x86_cpu_to_apicid[cpu];
    p->acpi_id = cpu_acpi_id(p->apic_id);
    p->flags = cpu_online(cpu) ? XEN_PCPU_FLAGS_ONLINE : 0;
}

long do_platform_op(unsigned long arg)
{
    struct xen_platform_op op;

    /* Xen's order: the argument, its version, then the privilege. */
    if ( copy_from_guest_va(&op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != XENPF_INTERFACE_VERSION )
        return -EACCES;
    if ( !current->domain->is_privileged )
        return -EPERM;

    switch ( op.cmd )
    {
    case XENPF_settime32:
        pv_set_wallclock(op.u.settime32.secs, op.u.settime32.nsecs,
                         op.u.settime32.system_time);
        return 0;
    case XENPF_settime64:
        if ( op.u.settime64.mbz )
            return -EINVAL;
        pv_set_wallclock(op.u.settime64.secs, op.u.settime64.nsecs,
                         op.u.settime64.system_time);
        return 0;
    case XENPF_enter_acpi_sleep:
    {
        const struct xenpf_enter_acpi_sleep *s = &op.u.enter_acpi_sleep;
        int rc = acpi_dom0_sleep_request(s->sleep_state, s->val_a, s->val_b,
                                         s->flags);

        if ( rc )
            return rc;
        /*
         * In Xen, dom0's values mean the sleep state is entered now; the
         * shutdown path says that dom0 went and powers off with them.
         */
        domain_shutdown(current->domain, SHUTDOWN_poweroff);
        return 0;
    }
    case XENPF_firmware_info:
        switch ( op.u.firmware_info.type )
        {
        case XEN_FW_DISK_INFO:
        case XEN_FW_DISK_MBR_SIGNATURE:
        case XEN_FW_VBEDDC_INFO:
            /* The loader gave no EDD or DDC data: no such index. */
            return -ESRCH;
        case XEN_FW_EFI_INFO:
        {
            int rc = efi_info_get(op.u.firmware_info.index,
                                  &op.u.firmware_info.u.efi_info);

            if ( rc )
                return rc;
            break;
        }
        case XEN_FW_KBD_SHIFT_FLAGS:
            /*
             * Xen reads the BIOS's flags in real mode; multiboot2 leaves
             * none to read. No shift key held is what dom0 assumes.
             */
            if ( op.u.firmware_info.index )
                return -ESRCH;
            op.u.firmware_info.u.kbd_shift_flags = 0;
            break;
        default:
            return -EINVAL;
        }
        break;
    case XENPF_get_cpuinfo:
        pcpu_info(&op.u.pcpu_info);
        break;
    default:
        printk(XENLOG_DEBUG "d%u: platform_op cmd %u not supported\n",
               current->domain->domain_id, op.cmd);
        return -ENOSYS;
    }

    return copy_to_guest_va(arg, &op, sizeof(op)) ? -EFAULT : 0;
}

/*
 * No virtual PMU: Xen's answer when its vPMU is off, its default. Linux
 * then runs without PMU counters, as under Xen.
 */
long do_xenpmu_op(unsigned long op, unsigned long arg)
{
    return -EOPNOTSUPP;
}

long do_memory_op(unsigned long cmd, unsigned long arg)
{
    struct domain *d = current->domain;
    unsigned int op = cmd & MEMOP_CMD_MASK;
    unsigned long start = cmd >> MEMOP_EXTENT_SHIFT; /* continuation state */

    switch ( op )
    {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return memory_reservation_op(op, start, arg);

    case XENMEM_exchange:
        return start ? -EINVAL : memory_exchange(arg);

    case XENMEM_maximum_ram_page:
        /* One past the highest RAM frame: Xen's max_page, as it says it. */
        return start ? -EINVAL : (long)max_page;

    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        return start ? -EINVAL : memory_reservation_query(op, arg);

    case XENMEM_add_to_physmap:
        return memory_add_to_physmap(start, arg);

    case XENMEM_machphys_mfn_list:
    {
        struct xen_machphys_mfn_list l;
        unsigned long off, mfn;
        unsigned int n = 0;

        if ( copy_from_guest_va(&l, arg, sizeof(l)) )
            return -EFAULT;
        /* The first frame of each 2 MiB of table, as Xen reports them. */
        for ( off = 0; off < m2p_size_bytes() && n < l.max_extents;
              off += 1UL << L2_PAGE_SHIFT )
        {
            mfn = m2p_table_mfn(off);
            if ( copy_to_guest_va((unsigned long)(l.extent_start.p + n),
                                  &mfn, sizeof(mfn)) )
                return -EFAULT;
            n++;
        }
        l.nr_extents = n;
        return copy_to_guest_va(arg, &l, sizeof(l)) ? -EFAULT : 0;
    }

    case XENMEM_memory_map:
        /* A PV dom0 has no pseudo-physical map of its own (as in Xen). */
        return -ENOSYS;

    case XENMEM_machine_memory_map:
    {
        struct xen_memory_map map;
        unsigned int i;

        if ( !d->is_privileged )
            return -EPERM;
        if ( copy_from_guest_va(&map, arg, sizeof(map)) )
            return -EFAULT;
        for ( i = 0; i < e820.nr_map && i < map.nr_entries; i++ )
        {
            struct xen_e820_entry ent = {
                .addr = e820.map[i].addr,
                .size = e820.map[i].size,
                .type = e820.map[i].type,
            };

            if ( copy_to_guest_va((unsigned long)map.buffer.p +
                                  i * sizeof(ent), &ent, sizeof(ent)) )
                return -EFAULT;
        }
        map.nr_entries = i;
        return copy_to_guest_va(arg, &map, sizeof(map)) ? -EFAULT : 0;
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
