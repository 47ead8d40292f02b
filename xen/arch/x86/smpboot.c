/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bringing up the application processors (APs).
 *
 * The boot CPU starts the APs one at a time: it gives the next one a
 * stack block, a per-CPU area and a mapcache window, fills in the
 * trampoline's fields, and sends INIT-SIPI-SIPI to its APIC ID. The AP
 * comes up through boot/trampoline.S into start_secondary(), sets up its
 * own descriptor tables and local APIC, and marks itself online last.
 * One at a time keeps the trampoline's single set of fields safe and the
 * log readable; an AP that does not come online within a second is
 * reported, put back to sleep with INIT, and left out.
 */
#include <asm/desc.h>
#include <asm/i387.h>
#include <asm/pv.h>
#include <xen/sched.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/bootinfo.h>
#include <asm/e820.h>
#include <asm/mm.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <xen/domain_page.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/percpu.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <xen/time.h>
#include <xen/timer.h>
#include <xen/vmap.h>

uint32_t x86_cpu_to_apicid[CONFIG_NR_CPUS] = {
    [0 ... CONFIG_NR_CPUS - 1] = BAD_APICID
};
cpumask_t cpu_present_map;
cpumask_t cpu_online_map;

static bool opt_nosmp;
boolean_param("nosmp", opt_nosmp);
static unsigned int opt_maxcpus = CONFIG_NR_CPUS;
integer_param("maxcpus", opt_maxcpus);

/* The trampoline (boot/trampoline.S) and its field offsets. */
extern const char trampoline_start[], trampoline_end[];
extern const uint32_t tr_off_gdt, tr_off_gdtr, tr_off_far32, tr_off_far64;
extern const uint32_t tr_off_cr3, tr_off_efer, tr_off_entry, tr_off_stack;
extern const uint32_t tr_off_start32, tr_off_start64;
extern const char ap_start64[];

/* Read by ap_start64: the hypervisor's L4, physical. */
unsigned long ap_cr3;

/*
 * Low memory: the trampoline code page, then its L4, L3, L2 and L1
 * tables. The lower half maps the code page alone, at its own address,
 * read-only and executable: the AP runs from it for the few instructions
 * between turning paging on and jumping to the image. Nothing else below
 * the hypervisor is mapped, since low RAM past the first MiB belongs to
 * the heap and may hold anyone's data.
 */
#define TRAMPOLINE_PAGES 5
static paddr_t trampoline_pa;

static bool __init overlaps(paddr_t s, paddr_t e, paddr_t bs, paddr_t be)
{
    return s < be && bs < e;
}

/*
 * The highest 5-page RAM range in [4 KiB, 636 KiB): below the EBDA and
 * the legacy video and BIOS areas, above the real-mode vector table, and
 * clear of the multiboot2 information and modules if the loader put any
 * there. The heap never hands out frames below 1 MiB, so it stays ours.
 */
static paddr_t __init find_trampoline_memory(void)
{
    const paddr_t low = 0x1000, high = 0x9f000;
    const paddr_t size = TRAMPOLINE_PAGES * PAGE_SIZE;
    paddr_t best = 0;
    unsigned int i, m;

    for ( i = 0; i < e820.nr_map; i++ )
    {
        const struct e820entry *e = &e820.map[i];
        paddr_t s = e->addr, end = e->addr + e->size, pa;

        if ( e->type != E820_RAM )
            continue;
        if ( s < low )
            s = low;
        if ( end > high )
            end = high;
        s = (s + PAGE_SIZE - 1) & PAGE_MASK;
        end &= PAGE_MASK;

        for ( pa = end - size; end >= s + size && pa >= s; pa -= PAGE_SIZE )
        {
            bool clash = overlaps(pa, pa + size, boot_info.mbi_start,
                                  boot_info.mbi_end);

            for ( m = 0; m < boot_info.nr_modules && !clash; m++ )
                clash = overlaps(pa, pa + size, boot_info.modules[m].start,
                                 boot_info.modules[m].end);
            if ( !clash )
            {
                if ( pa > best )
                    best = pa;
                break;
            }
        }
    }

    return best;
}

/* Writes a trampoline field (never crossing a page: fields are aligned). */
static void poke(paddr_t pa, const void *v, size_t len)
{
    uint8_t *p = map_domain_page(maddr_to_mfn(pa));

    memcpy(p + (pa & ~PAGE_MASK), v, len);
    unmap_domain_page(p);
}

static void __init poke32(paddr_t pa, uint32_t v)
{
    poke(pa, &v, sizeof(v));
}

static void __init poke64(paddr_t pa, uint64_t v)
{
    poke(pa, &v, sizeof(v));
}

/* Copies the trampoline down and builds its page tables. */
static void __init trampoline_setup(void)
{
    size_t len = trampoline_end - trampoline_start;
    paddr_t l4 = trampoline_pa + PAGE_SIZE, l3 = l4 + PAGE_SIZE;
    paddr_t l2 = l3 + PAGE_SIZE, l1 = l2 + PAGE_SIZE;
    pgentry_t *t;
    unsigned int i;
    uint8_t *code;

    BUILD_BUG_ON(PAGE_SIZE < 512); /* the code must fit one page */
    BUG_ON(len > PAGE_SIZE);

    code = map_domain_page(maddr_to_mfn(trampoline_pa));
    memset(code, 0, PAGE_SIZE);
    memcpy(code, trampoline_start, len);
    unmap_domain_page(code);

    t = map_domain_page(maddr_to_mfn(l4));
    memset(t, 0, PAGE_SIZE);
    t[0] = l3 | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED;
    /* The hypervisor's upper-half entries never change after boot. */
    for ( i = PAGETABLE_ENTRIES / 2; i < PAGETABLE_ENTRIES; i++ )
        t[i] = idle_pg_table[i];
    unmap_domain_page(t);

    t = map_domain_page(maddr_to_mfn(l3));
    memset(t, 0, PAGE_SIZE);
    t[0] = l2 | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED;
    unmap_domain_page(t);

    t = map_domain_page(maddr_to_mfn(l2));
    memset(t, 0, PAGE_SIZE);
    t[0] = l1 | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED;
    unmap_domain_page(t);

    /* Read-only: the GDT's accessed bits are preset (trampoline.S). */
    ASSERT(trampoline_pa < (1UL << L2_PAGE_SHIFT)); /* under L2 entry 0 */
    t = map_domain_page(maddr_to_mfn(l1));
    memset(t, 0, PAGE_SIZE);
    t[l1_table_offset(trampoline_pa)] = trampoline_pa | _PAGE_PRESENT |
                                        _PAGE_ACCESSED;
    unmap_domain_page(t);

    poke32(trampoline_pa + tr_off_gdtr + 2, trampoline_pa + tr_off_gdt);
    poke32(trampoline_pa + tr_off_far32, trampoline_pa + tr_off_start32);
    poke32(trampoline_pa + tr_off_far64, trampoline_pa + tr_off_start64);
    poke32(trampoline_pa + tr_off_cr3, l4);
    poke32(trampoline_pa + tr_off_efer, rdmsr(MSR_EFER));
    poke64(trampoline_pa + tr_off_entry, (unsigned long)ap_start64);

    ap_cr3 = read_cr3();
}

/*
 * A stack block (asm/config.h) in VMAP_DEFAULT, aligned to its size,
 * with the two guard pages left unmapped so that running off the primary
 * stack or an IST stack faults.
 */
static void *__init alloc_stack_block(void)
{
    unsigned int pages = STACK_SIZE >> PAGE_SHIFT, i;
    unsigned long va = (unsigned long)vm_alloc(pages, pages, VMAP_DEFAULT);

    if ( !va )
        return NULL;
    for ( i = 0; i < pages; i++ )
    {
        struct page_info *pg;

        if ( i == 0 || i == PRIMARY_STACK_PAGE - 1 )
            continue;
        pg = alloc_domheap_page(MEMF_no_scrub);
        if ( !pg || map_pages_to_xen(va + i * PAGE_SIZE, page_to_mfn(pg), 1,
                                     PAGE_HYPERVISOR_RW) )
            panic("Out of memory for CPU stacks");
    }

    return (void *)va;
}

static void __init wait_for_online(unsigned int cpu, s_time_t timeout)
{
    s_time_t end = NOW() + timeout;

    while ( !cpu_online(cpu) && NOW() < end )
        cpu_relax();
}

/* Starts cpu; true if it came online. */
static bool __init do_boot_cpu(unsigned int cpu, uint32_t apic_id)
{
    void *stack = stack_base[cpu];
    struct cpu_info *ci;
    uint32_t sipi = APIC_DM_STARTUP | (trampoline_pa >> PAGE_SHIFT);

    if ( !stack )
        stack = stack_base[cpu] = alloc_stack_block();
    if ( !stack || percpu_alloc(cpu) || mapcache_cpu_init(cpu) ||
         gdt_page_alloc(cpu) )
        panic("Out of memory bringing up CPU%u", cpu);
    sched_cpu_init(cpu);

    ci = (struct cpu_info *)(primary_stack_top(stack));
    memset(ci, 0, sizeof(*ci));
    ci->processor_id = cpu;
    ci->apic_id = apic_id;
    ci->per_cpu_offset = __per_cpu_offset[cpu];
    x86_cpu_to_apicid[cpu] = apic_id;
    poke64(trampoline_pa + tr_off_stack, primary_stack_top(stack));

    /* INIT, then two SIPIs, spaced as the MP specification asks. */
    apic_send_icr(apic_id, APIC_DM_INIT | APIC_INT_ASSERT |
                           APIC_INT_LEVELTRIG);
    mdelay(10);
    apic_send_icr(apic_id, sipi);
    udelay(200);
    if ( !cpu_online(cpu) )
    {
        apic_send_icr(apic_id, sipi);
        udelay(200);
    }
    wait_for_online(cpu, SECONDS(1));

    if ( cpu_online(cpu) )
        return true;

    printk(XENLOG_ERR "CPU%u (APIC ID %u) did not answer; going on "
           "without it\n", cpu, apic_id);
    /* Back to wait-for-SIPI, so that it cannot wake up later on us. */
    apic_send_icr(apic_id, APIC_DM_INIT | APIC_INT_ASSERT |
                           APIC_INT_LEVELTRIG);
    x86_cpu_to_apicid[cpu] = BAD_APICID;
    return false;
}

void __init smp_boot_cpus(void)
{
    unsigned int i, cpu = 1, max = CONFIG_NR_CPUS, dropped = 0;
    uint32_t bsp_id = x86_cpu_to_apicid[0];

    cpumask_set_cpu(0, &cpu_present_map);
    cpumask_set_cpu(0, &cpu_online_map);

    if ( opt_maxcpus && opt_maxcpus < max )
        max = opt_maxcpus;
    if ( opt_nosmp )
        max = 1;
    if ( !acpi_madt.nr_cpus )
        printk("SMP: no MADT; running on the boot CPU only\n");

    /* Only when there is an AP to start: low memory is left alone else. */
    if ( acpi_madt.nr_cpus > 1 && max > 1 )
    {
        trampoline_pa = find_trampoline_memory();
        if ( trampoline_pa )
        {
            trampoline_setup();
            printk("SMP: AP trampoline at %#lx\n", trampoline_pa);
        }
        else
        {
            printk(XENLOG_ERR "SMP: no free low memory for the AP "
                   "trampoline; running on the boot CPU only\n");
            max = 1;
        }
    }

    for ( i = 0; i < acpi_madt.nr_cpus; i++ )
    {
        const struct acpi_madt_cpu *c = &acpi_madt.cpus[i];

        if ( c->apic_id == bsp_id || !c->enabled )
            continue;
        if ( c->apic_id > 0xff && !x2apic_enabled )
        {
            printk(XENLOG_WARNING "SMP: APIC ID %u needs x2APIC mode, which "
                   "this CPU lacks; ignored\n", c->apic_id);
            continue;
        }
        if ( cpu >= max )
        {
            dropped++;
            continue;
        }
        cpumask_set_cpu(cpu, &cpu_present_map);
        if ( do_boot_cpu(cpu, c->apic_id) )
            cpu++;
        else
            cpumask_clear_cpu(cpu, &cpu_present_map);
    }

    if ( dropped )
        printk("SMP: %u more CPU%s ignored (%s)\n", dropped,
               dropped == 1 ? "" : "s",
               opt_nosmp ? "nosmp" : max < CONFIG_NR_CPUS ?
               "maxcpus=" : "beyond CONFIG_NR_CPUS");
    spin_debug_enable();
    printk("Brought up %u CPUs\n", num_online_cpus());
}

/* An AP's first C code, on its own stack and the hypervisor's tables. */
void __noreturn start_secondary(void)
{
    unsigned int cpu = smp_processor_id();

    load_system_tables();
    fpu_init_cpu();
    pv_syscall_init_cpu();
    idle_vcpu_init(cpu);
    apic_setup_cpu();
    if ( get_apic_id() != get_cpu_info()->apic_id )
        panic("CPU%u woke with APIC ID %u, expected %u", cpu, get_apic_id(),
              get_cpu_info()->apic_id);

    apic_timer_init_cpu();
    smp_cpu_ready(cpu);
    /* Last: from here on other CPUs may send it IPIs and work. */
    cpumask_set_cpu(cpu, &cpu_online_map);
    local_irq_enable();

    sched_cpu_ready();
    idle_loop();
}

bool ap_trampoline(mfn_t *root, mfn_t *code)
{
    if ( !trampoline_pa )
        return false;
    *root = maddr_to_mfn(trampoline_pa + PAGE_SIZE);
    *code = maddr_to_mfn(trampoline_pa);

    return true;
}
