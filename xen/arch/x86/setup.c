/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The boot CPU's path from head.S to an idle (or self-testing) hypervisor.
 */
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/config.h>
#include <asm/bench.h>
#include <asm/bootinfo.h>
#include <asm/e820.h>
#include <asm/efi-info.h>
#include <asm/dom0_build.h>
#include <asm/irq.h>
#include <asm/physdev.h>
#include <asm/fixmap.h>
#include <asm/i387.h>
#include <asm/i8259.h>
#include <asm/image.h>
#include <asm/io_apic.h>
#include <asm/l4-slots.h>
#include <asm/m2p.h>
#include <asm/pv.h>
#include <asm/layout.h>
#include <asm/mm.h>
#include <asm/pg2virt.h>
#include <asm/system.h>
#include <asm/traps.h>
#include <xen/console.h>
#include <xen/domain_page.h>
#include <xen/init.h>
#include <xen/keyhandler.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/percpu.h>
#include <xen/sched.h>
#include <xen/selftest.h>
#include <xen/smp.h>
#include <xen/time.h>
#include <xen/timer.h>
#include <xen/string.h>
#include <xen/vmap.h>

void __start_xen(paddr_t mbi_pa);

extern char __image_start[], __image_end[];

static void __init print_modules(void)
{
    unsigned int i;

    printk("Modules: %u\n", boot_info.nr_modules);
    for ( i = 0; i < boot_info.nr_modules; i++ )
    {
        const struct boot_module *m = &boot_info.modules[i];

        printk(" Module %u: %#lx-%#lx (%lu bytes) '%s'\n", i, m->start,
               m->end, m->end - m->start, m->cmdline);
    }
}

static void __init print_memory(void)
{
    uint64_t ram = e820_ram_bytes(e820.map, e820.nr_map);

    printk("Memory map (%s, %u entries from the loader):\n",
           boot_info.mmap_source, e820_raw.nr_map);
    e820_print(&e820);
    printk("Total RAM: %lu MiB (%lu bytes)\n", ram >> 20, ram);
}

/*
 * Below this much free heap after boot the hypervisor cannot do anything
 * useful (its own self-tests need about that much): say so plainly.
 */
#define MIN_FREE_HEAP_MB 10

static void __init print_mm_report(void)
{
    unsigned long ram = e820_ram_bytes(e820.map, e820.nr_map) >> PAGE_SHIFT;

    printk("Memory: %lu MiB RAM, %lu MiB free in the heap after boot\n",
           ram >> (20 - PAGE_SHIFT),
           avail_domheap_pages() >> (20 - PAGE_SHIFT));
    printk("Memory overhead: frame table %lu KiB (%lu bytes/frame), "
           "page-to-virt arrays %lu KiB, hypervisor page tables %lu KiB\n",
           frame_table_bytes >> 10,
           ram ? frame_table_bytes / ram : 0, pg2virt_bytes >> 10,
           xen_pagetable_pages << (PAGE_SHIFT - 10));

    if ( avail_domheap_pages() < (MIN_FREE_HEAP_MB << (20 - PAGE_SHIFT)) )
        panic("Not enough memory: %lu KiB free after boot, Xenon needs at "
              "least %u MiB", avail_domheap_pages() << (PAGE_SHIFT - 10),
              MIN_FREE_HEAP_MB);
}

void __init __start_xen(paddr_t mbi_pa)
{
    bool tested;

    percpu_init();
    image_map_init();
    fixmap_init();
    multiboot2_parse(mbi_pa);

    /* Options decide how the console starts; their messages wait in conring. */
    cmdline_parse(boot_info.cmdline);
    console_init();
    trap_init();

    printk("Xenon %d.%d (%s build), x86-64, %s\n", XEN_VERSION,
           XEN_SUBVERSION, IS_ENABLED(CONFIG_DEBUG) ? "debug" : "release",
           boot_info.efi ? "UEFI" : "BIOS");
    printk("Boot loader: %s\n", boot_info.loader);
    printk("Command line: %s\n", boot_info.cmdline);
    printk("Image: %#lx-%#lx loaded at physical %#lx\n",
           (unsigned long)__image_start, (unsigned long)__image_end - 1,
           xen_phys_start);

    memcpy(&e820, &e820_raw, sizeof(e820));
    e820.nr_map = e820_sanitise(e820.map, e820.nr_map);
    print_memory();
    print_modules();
    layout_init();

    mapcache_init();
    init_boot_allocator();
    xen_pagetables_init();
    xen_l4_slots_init();
    frame_table_init();
    end_boot_allocator();
    mm_heap_ready = true;
    frame_table_init_late();
    directmap_init();
    vm_init();
    m2p_init();
    print_mm_report();

    acpi_boot_init(boot_info.rsdp_len ? boot_info.rsdp : NULL,
                   boot_info.rsdp_len);
    pic_disable();
    io_apic_init();
    irq_init();
    physdev_init();
    efi_info_init();

    fpu_init();
    pv_syscall_init_cpu();
    arch_domain_init();
    sched_init();
    sched_cpu_init(0);
    idle_domain_init();
    idle_vcpu_init(0);

    early_time_init();
    apic_init_bsp(acpi_madt.lapic_addr);
    apic_timer_init_cpu();
    timer_init();
    smp_intr_init();
    keyhandler_init();
    console_init_postirq();
    smp_boot_cpus();
    /* From here on this CPU takes IPIs like the others. */
    local_irq_enable();

    tested = selftest_run();
    if ( opt_bench )
        bench_run();
    if ( tested || opt_bench )
        machine_power_off();

    create_dom0();
    console_endboot();
    /* The boot stack's work is done: from here this CPU schedules. */
    sched_cpu_ready();
    idle_loop();
}
